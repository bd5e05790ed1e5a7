"""Writes of the elections pages: one function per action, one transaction each."""

from django.db import transaction

from .models import ChecklistQuestion, Election


@transaction.atomic
def add_to_election(election: Election, form):
    """A record of the election (a round, a checklist question, a training or civic education
    session) from its valid ModelForm."""
    record = form.save(commit=False)
    record.election = election
    record.save()
    return record


@transaction.atomic
def toggle_question(question: ChecklistQuestion) -> ChecklistQuestion:
    """Take a checklist question off the observers' forms, or put it back."""
    question.active = not question.active
    question.save(update_fields=["active"])
    return question
