"""Small builders for test records, shared by the fixtures in conftest.py and by tests."""

import datetime

from django.contrib.auth import get_user_model

from bluehelmet.core.models import Membership, Place
from bluehelmet.datasets.models import ConflictEvent

PASSWORD = "correct-horse-battery-9"


def make_country(name, code=""):
    """A country place that, as the importers make them, is its own country."""
    country = Place.objects.create(key=f"country:{name}", kind=Place.Kind.COUNTRY, name=name, code=code)
    country.country = country
    country.save(update_fields=["country"])
    return country


def make_user(username, mission=None, role=None, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if mission is not None:
        Membership.objects.create(user=user, mission=mission, role=role)
    return user


def make_event(country, ged_id, date, **fields):
    """A GED event; `date` is "YYYY-MM-DD" and also the end date unless given."""
    day = datetime.date.fromisoformat(date)
    fields.setdefault("date_end", day)
    fields.setdefault("best", fields.get("deaths_civilians", 0))
    return ConflictEvent.objects.create(
        ged_id=ged_id, year=day.year, date_start=day, country=country, country_name=country.name, **fields
    )
