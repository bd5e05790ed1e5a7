"""The participants list as CSV, personal data included: for DDR officers and
administrators only (ddr.permissions), every participant exported logged (core.audit)."""

from collections.abc import Iterable, Iterator

from bluehelmet.core.exports import csv_lines

from .models import Participant

FIELDS = [
    "reference",
    "category",
    "full_name",
    "birth_date",
    "age_at_registration",
    "sex",
    "phone",
    "faction",
    "place",
    "registered_on",
    "stage",
    "disarmed_on",
    "demobilised_on",
    "reinserted_on",
    "reintegrated_on",
    "referred_to",
    "exercise",
]


def _iso(day) -> str:
    return day.isoformat() if hasattr(day, "isoformat") else (day or "")


def participant_record(p: Participant) -> list:
    return [
        p.reference,
        p.category,
        p.full_name,
        _iso(p.birth_date),
        p.age_at_registration,
        p.sex,
        p.phone,
        p.faction.name,
        p.place.name,
        _iso(p.registered_on),
        p.stage,
        _iso(p.disarmed_on),
        _iso(p.demobilised_on),
        _iso(p.reinserted_on),
        _iso(p.reintegrated_on),
        p.referred_to,
        p.exercise,
    ]


def participants_csv_lines(participants: Iterable[Participant]) -> Iterator[str]:
    return csv_lines(FIELDS, (participant_record(participant) for participant in participants))
