"""Ceasefire durability: spells derived from conflict months, the mission's ceasefires as
spells ended by their first verified violation above the mission's threshold, and the page."""

import datetime
import uuid

import pandas as pd
import pytest
from django.utils import timezone

from bluehelmet.analytics.effects.cases import peace_spells
from bluehelmet.core.demo import DATA_DIR
from bluehelmet.core.models import Role, Sharing
from bluehelmet.core.sensitivity import Sensitivity
from bluehelmet.datasets.demo import CASE_FILE
from bluehelmet.importers.registry import run_import
from bluehelmet.incidents.models import Agreement, Incident, IncidentType
from bluehelmet.performance.durability import mission_spells
from bluehelmet.performance.models import CeasefireThreshold

URL = "/missions/UNAMSIL/performance/ceasefires/"


def _months(country, killed, troops):
    return pd.DataFrame(
        {
            "country": country,
            "period": range(100, 100 + len(killed)),
            "missions": "",
            "osv_all": killed,
            "troops_lag": troops,
            "police_lag": 0.0,
            "observers_lag": 0.0,
            "ceasefire": 0.0,
            "robust_mandate": 0.0,
            "poc_mandate": 0.0,
            "lntpop": 8.0,
        }
    )


def test_peace_spells_end_with_a_month_of_killings_and_censor_at_gaps():
    # Strength in a month is the next month's lag: troops arrive in month 2 (lag in month 3).
    frame = _months("A", [0, 0, 5, 0, None, 0, 0, 2], [0, 0, 0, 1.0, 1.0, 1.0, 1.0, 1.0])
    spells, rows = peace_spells(frame, threshold=1)
    assert spells[["months", "ended"]].values.tolist() == [[3, 1], [1, 0], [3, 1]]
    assert spells["un_troops_at_start"].tolist() == [0, 1, 1]
    first = rows[rows["spell"] == 0]
    assert first[["start", "stop", "ended", "un_troops"]].values.tolist() == [[0, 1, 0, 0], [1, 2, 0, 0], [2, 3, 1, 1]]
    # A higher threshold: the 2 killed in the last month no longer end a spell.
    spells, _ = peace_spells(frame, threshold=3)
    assert spells[["months", "ended"]].values.tolist() == [[3, 1], [1, 0], [3, 0]]


@pytest.fixture
def lome(mission):
    agreement = Agreement.objects.create(
        mission=mission, name="Lomé Peace Agreement", effective_from=datetime.date(1999, 7, 7), sharing=Sharing.PUBLIC
    )
    kind = IncidentType.objects.create(mission=mission, code="ceasefire-violation", name="Ceasefire violation")

    def violation(day, killed, status=Incident.Status.VERIFIED, sensitivity=Sensitivity.GREEN):
        return Incident.objects.create(
            mission=mission,
            client_id=uuid.uuid4(),
            type=kind,
            status=status,
            occurred_at=timezone.make_aware(datetime.datetime(*day, 12)),
            latitude=8.9,
            longitude=-12.0,
            narrative="Test violation.",
            killed=killed,
            agreement=agreement,
            sensitivity=sensitivity,
        )

    violation((2000, 1, 10), 3, status=Incident.Status.REPORTED)  # not verified: does not count
    violation((2000, 5, 2), 2)
    violation((2000, 6, 1), 12)
    return agreement


def test_a_ceasefire_ends_with_its_first_verified_violation_above_the_threshold(lome, mission, users):
    spell = mission_spells(users[Role.ANALYST], mission, 1)[0]
    assert spell["ended"] and spell["end"] == datetime.date(2000, 5, 2)
    assert spell["months"] == pytest.approx((datetime.date(2000, 5, 2) - datetime.date(1999, 7, 7)).days / 30.4375)
    assert mission_spells(users[Role.ANALYST], mission, 10)[0]["end"] == datetime.date(2000, 6, 1)
    running = mission_spells(users[Role.ANALYST], mission, 50, today=datetime.date(2026, 1, 1))[0]
    assert not running["ended"] and running["end"] == datetime.date(2026, 1, 1)


def test_the_page_with_the_derived_history_and_the_threshold_form(lome, mission, users, client_for):
    run_import("conflict-months", DATA_DIR / CASE_FILE)
    analyst = client_for(users[Role.ANALYST])
    body = analyst.get(URL).content.decode()
    assert "Lomé Peace Agreement" in body and "broken by a verified violation" in body
    assert "Derived data, not real ceasefire spells" in body and "Hazard ratio of UN troops in the country" in body
    assert "26 countries" in body or "countries" in body
    # The threshold: a field error for nonsense, a saved value otherwise, managers only.
    response = analyst.post(URL, {"min_killed": "0"})
    assert response.status_code == 400 and "greater than or equal to 1" in response.content.decode()
    assert analyst.post(URL, {"min_killed": "50"}).status_code == 302
    assert CeasefireThreshold.objects.get(mission=mission).min_killed == 50
    assert "still running" in analyst.get(URL).content.decode()
    reporter = client_for(users[Role.REPORTER])
    assert reporter.post(URL, {"min_killed": "2"}).status_code == 403
    assert 'name="min_killed"' not in reporter.get(URL).content.decode()
    french = reporter.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Données dérivées" in french and "Rapport de risque" in french


def test_without_conflict_months_the_page_says_why(lome, users, client_for):
    body = client_for(users[Role.PARTNER]).get(URL).content.decode()
    assert "Not estimated:" in body and "import the HKS file" in body
    assert client_for(users["outsider"]).get(URL).status_code == 404
