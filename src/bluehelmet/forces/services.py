"""Writes of the forces pages that have no module of their own (patrols: patrols.py; risk
entered for planning: planning.py; awards: recognition.py). One function per action, each in
one transaction; the views write nothing themselves (tests/architecture keeps it)."""

from django.db import transaction

from .models import Equipment


@transaction.atomic
def save_equipment(form) -> Equipment:
    """A unit's item of major equipment, new or with its counts updated, from its validated
    form (the form offers only the units the user may see)."""
    return form.save()
