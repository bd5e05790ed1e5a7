"""Heavy aggregates are cached (issue 16, cheap reads): the overview timeline, the incidents
dashboard counts and the patrol coverage come from the cache while nothing they read has
changed, are computed again on the next request after any change, and are never handed to
a viewer who may see fewer labels than the one they were computed for."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bluehelmet.core import freshness
from bluehelmet.core.gate import access
from bluehelmet.core.models import Role
from bluehelmet.datasets.models import MissionStrength
from bluehelmet.forces.models import Patrol, Unit
from bluehelmet.forces.queries import patrols_and_coverage
from bluehelmet.forces.timeline import cached_mission_timeline
from bluehelmet.incidents.models import Alert, AlertRule, Incident

from ..factories import make_event
from .test_read_query_counts import statements


def queries_of(call):
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return result, statements(queries)


def dashboard(user, mission, **params):
    client = Client()
    client.force_login(user)
    response = client.get(reverse("incidents:index", args=[mission.acronym]), params)
    assert response.status_code == 200
    return response


@pytest.fixture
def events(sl):
    for i, month in enumerate(("2000-01-15", "2000-03-15")):
        make_event(
            sl.country, 900000 + i, month, latitude=8.5, longitude=-11.9, best=4, deaths_civilians=4, type_of_violence=3
        )
    MissionStrength.objects.create(mission=sl.mission, month=datetime.date(2000, 1, 1), troops=6000)


def test_the_timeline_comes_from_the_cache_until_a_record_it_reads_changes(sl, users, events):
    analyst = users[Role.ANALYST]
    seen = access(analyst, sl.mission)
    first, computing = queries_of(lambda: cached_mission_timeline(analyst, seen))
    again, cached = queries_of(lambda: cached_mission_timeline(analyst, seen))
    assert again == first
    assert len(computing) >= 3 and len(cached) == 1  # the change stamp alone
    assert "conflictevent" in cached[0] and "GROUP BY" not in cached[0]

    make_event(
        sl.country, 900009, "2000-05-15", latitude=8.5, longitude=-11.9, best=7, deaths_civilians=7, type_of_violence=3
    )
    MissionStrength.objects.create(mission=sl.mission, month=datetime.date(2000, 5, 1), troops=9000)
    after = cached_mission_timeline(analyst, seen)
    assert "2000-05" in after["months"] and "2000-05" not in first["months"]
    assert after["series"]["troops"][after["months"].index("2000-05")] == 9000


def test_a_deployment_figure_rewritten_in_place_by_an_import_is_seen_at_once(sl, users, events):
    """An import rewrites rows past the signals (same count, same ids): run_import moves
    every mission's generation on, which is what this does."""
    analyst = users[Role.ANALYST]
    seen = access(analyst, sl.mission)
    assert cached_mission_timeline(analyst, seen)["series"]["troops"][0] == 6000
    MissionStrength.objects.filter(mission=sl.mission).update(troops=6500)
    assert cached_mission_timeline(analyst, seen)["series"]["troops"][0] == 6000  # what an import does next:
    freshness.changed()
    assert cached_mission_timeline(analyst, seen)["series"]["troops"][0] == 6500


def test_the_overview_page_runs_fewer_queries_once_its_timeline_is_cached(sl, users, events, client_for):
    client = client_for(users[Role.ANALYST])
    path = reverse("mission-detail", args=[sl.mission.acronym])
    client.get(path)  # per-process caches (translations, types)
    freshness.changed()  # the timeline computed again: a cold cache
    _, cold = queries_of(lambda: client.get(path))
    _, warm = queries_of(lambda: client.get(path))
    assert len(warm) == len(cold) - 3  # the three monthly series are not read


def test_dashboard_counts_come_from_the_cache_and_a_new_report_shows_at_once(sl, users, file):
    analyst = users[Role.ANALYST]
    file()
    dashboard(analyst, sl.mission)
    cold, cold_queries = queries_of(lambda: dashboard(analyst, sl.mission))
    freshness.changed(sl.mission.pk)
    uncached, uncached_queries = queries_of(lambda: dashboard(analyst, sl.mission))
    cached, cached_queries = queries_of(lambda: dashboard(analyst, sl.mission))
    assert cached.context["counts"] == uncached.context["counts"]
    assert len(cached_queries) == len(uncached_queries) - 1  # the badges' count query skipped
    assert cached.context["counts"]["total"] == 1

    file(latitude=8.0)
    assert dashboard(analyst, sl.mission).context["counts"]["total"] == 2
    # The filters are part of the key: a filtered view is counted on its own.
    assert dashboard(analyst, sl.mission, type="no-such-type").context["counts"]["total"] in (0, 2)


def test_an_alert_closed_in_place_leaves_the_open_count_at_once(sl, users, file):
    analyst = users[Role.ANALYST]
    rule = AlertRule.objects.create(
        mission=sl.mission, name="Any", kind=AlertRule.Kind.CASUALTIES, casualty_threshold=1
    )
    incident = file(casualties=[{"kind": "killed", "group": "civilian", "count": 2}]).incident
    alert = Alert.objects.filter(mission=sl.mission, rule=rule).first() or Alert.objects.create(
        mission=sl.mission, rule=rule, incident=incident, title="test", severity=Alert.Severity.HIGH
    )
    opened = dashboard(analyst, sl.mission).context["counts"]["open_alerts"]
    assert opened >= 1
    alert.status = Alert.Status.CLOSED
    alert.save()  # same count, same id, no change time: the model's signal moves the generation on
    assert dashboard(analyst, sl.mission).context["counts"]["open_alerts"] == opened - 1


def test_a_viewer_with_fewer_labels_never_gets_counts_computed_for_more(sl, users, file):
    analyst, reporter, partner = users[Role.ANALYST], users[Role.REPORTER], users[Role.PARTNER]
    made = [
        file(sharing="public", sensitivity="green"),
        file(user=analyst, latitude=8.1, sensitivity="red"),
        file(user=analyst, latitude=8.2, sensitivity="amber"),
    ]
    assert all(m.ok for m in made), [m.errors for m in made]
    assert [Incident.objects.get(pk=m.incident.pk).sensitivity for m in made] == ["green", "red", "amber"]
    assert dashboard(analyst, sl.mission).context["counts"]["total"] == 3  # cached for RED readers
    assert dashboard(reporter, sl.mission).context["counts"]["total"] == 2  # no RED
    assert dashboard(partner, sl.mission).context["counts"]["total"] == 1  # CLEAR and GREEN, shared
    # And the other way round: what a partner's view cached is not an analyst's answer.
    freshness.changed(sl.mission.pk)
    assert dashboard(partner, sl.mission).context["counts"]["total"] == 1
    assert dashboard(analyst, sl.mission).context["counts"]["total"] == 3


def test_a_reporter_is_counted_their_own_red_report_and_no_one_elses(sl, users, file):
    """Below RED, the author rule makes each viewer's answer their own."""
    reporter, other = users[Role.REPORTER], users[Role.DDR_OFFICER]
    file(user=reporter, sensitivity="red")
    assert dashboard(reporter, sl.mission).context["counts"]["total"] == 1
    assert dashboard(other, sl.mission).context["counts"]["total"] == 0


def test_patrol_coverage_is_cached_and_a_patrol_reported_in_place_counts_at_once(sl, users):
    analyst = users[Role.ANALYST]
    unit = Unit.objects.create(mission=sl.mission, name="Test battalion")
    patrol = Patrol.objects.create(mission=sl.mission, unit=unit, kind=Patrol.Kind.FOOT, start=timezone.now())
    patrol.places.add(sl.bombali)
    first, computing = queries_of(lambda: patrols_and_coverage(analyst, sl.mission)["coverage"])
    again, cached = queries_of(lambda: patrols_and_coverage(analyst, sl.mission)["coverage"])
    assert len(cached) < len(computing)
    assert [row["visits"] for row in again if row["place"] == sl.bombali] == [0]
    patrol.status = Patrol.Status.CONDUCTED
    patrol.save()
    rows = patrols_and_coverage(analyst, sl.mission)["coverage"]
    assert [row["visits"] for row in rows if row["place"] == sl.bombali] == [1]
