"""Record ids read from a request (a query parameter, a form field): the one place that
turns such text into a number a database lookup can take.

Why one place: `"999…9".isdigit()` is true, and `int()` of it is a number no 64-bit column
holds. Django answers "no such record" for an out-of-range id in a plain integer lookup, but
not through a foreign key (`survey_id=`), an `in` list (`pk__in=`) or a decimal filter value:
there the database driver overflows and the page fails with a 500. `"²".isdigit()` is true
too, and `int("²")` raises. Every view that reads an id from a request reads it here.
"""

import re

import django_filters
from django import forms

# The largest key of a 64-bit integer column (SQLite's INTEGER, PostgreSQL's bigint): every
# primary key of the project is a BigAutoField.
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII digits only; 19 digits hold MAX_ID


def positive_id(value) -> int | None:
    """The id a request parameter names: a whole number from 1 to MAX_ID, written in ASCII
    digits (surrounding blanks allowed); None for anything else (empty, words, signs,
    fractions, other scripts' digits, numbers too large to be any record's id)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


def id_list(text, limit: int) -> list[int]:
    """ "12,15,20" -> [12, 15, 20]: the ids of a comma-separated parameter, at most `limit`;
    what is not an id is left out."""
    if not isinstance(text, str):
        return []
    ids = (positive_id(part) for part in text.split(",", limit * 4))
    return [pk for pk in ids if pk is not None][:limit]


class IdField(forms.IntegerField):
    """A form field for a record's id: a whole number from 1 to MAX_ID."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class IdFilter(django_filters.NumberFilter):
    """A django-filter filter on a foreign key or id, by number: a value that can be no id is a
    form error (the API answers 400, a page leaves the filter out), never a database error."""

    field_class = IdField
