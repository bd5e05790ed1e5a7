"""Incident analysis (incidents.analysis and its pages): breakdowns under combined filters,
the comparison with the year before, the gate (labels, partners), saved views, the CSV
export and the query budget."""

import csv
import datetime
import io
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bluehelmet.core.models import Place, Role, Sharing
from bluehelmet.core.sensitivity import Sensitivity
from bluehelmet.incidents import analysis
from bluehelmet.incidents.models import Incident, IncidentType, SavedAnalysisView

from ..factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(sl):
    """Store an incident of `sl.mission` directly (no report checks): a type code, a day, a
    district, casualties, perpetrators, a label and a sharing."""
    types = {t.code: t for t in IncidentType.objects.filter(mission=sl.mission)}

    def make(
        code="armed-clash",
        day=datetime.date(2002, 3, 10),
        place=None,
        killed=0,
        injured=0,
        perpetrators=(),
        sensitivity=Sensitivity.AMBER,
        sharing=Sharing.MISSION,
        mission=None,
    ):
        place = place or sl.kenema
        made = Incident.objects.create(
            mission=mission or sl.mission,
            client_id=uuid.uuid4(),
            type=types[code] if mission is None else IncidentType.objects.get(mission=mission, code=code),
            occurred_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))),
            latitude=place.latitude,
            longitude=place.longitude,
            place=place,
            narrative="Test incident.",
            killed=killed,
            injured=injured,
            sensitivity=sensitivity,
            sharing=sharing,
        )
        made.perpetrators.set(perpetrators)
        return made

    return make


def run(user, mission, **params):
    form = analysis.AnalysisFilterForm({"from": "2002-01", "to": "2002-12", **params})
    assert form.is_valid(), form.errors
    return analysis.analyse(user, mission, form)


def counts(rows) -> dict:
    return {row["key"]: row["count"] for row in rows}


def test_filters_combine_and_each_breakdown_leaves_out_its_own(sl, users, incident):
    incident("armed-clash", place=sl.kenema, killed=3, perpetrators=[sl.ruf])
    incident("armed-clash", place=sl.bombali, killed=1, perpetrators=[sl.ruf, sl.government])
    incident("attack-on-civilians", place=sl.kenema, injured=2, perpetrators=[sl.government])
    incident("attack-on-civilians", day=datetime.date(2001, 6, 1), place=sl.kenema)  # outside the months
    analyst = users[Role.ANALYST]

    everything = run(analyst, sl.mission)
    assert counts(everything.by_type) == {"armed-clash": 2, "attack-on-civilians": 1}
    assert counts(everything.by_area) == {sl.kenema.pk: 2, sl.bombali.pk: 1}
    assert everything.area_level == Place.Kind.ADM2
    # An incident counts for each of its perpetrators.
    assert counts(everything.by_perpetrator) == {sl.ruf.pk: 2, sl.government.pk: 2}

    chosen = run(analyst, sl.mission, type="armed-clash", place=str(sl.kenema.pk))
    # The types chart keeps every type of Kenema (its own filter left out), the chosen one marked by the page.
    assert counts(chosen.by_type) == {"armed-clash": 1, "attack-on-civilians": 1}
    # The areas chart keeps every area of armed clashes.
    assert counts(chosen.by_area) == {sl.kenema.pk: 1, sl.bombali.pk: 1}
    # The perpetrators: armed clashes in Kenema only.
    assert counts(chosen.by_perpetrator) == {sl.ruf.pk: 1}
    assert chosen.comparison["current"]["count"] == 1
    assert chosen.comparison["current"]["killed"] == 3

    by_actor = run(analyst, sl.mission, perpetrator=str(sl.government.pk))
    assert counts(by_actor.by_type) == {"armed-clash": 1, "attack-on-civilians": 1}
    assert by_actor.comparison["current"]["injured"] == 2


def test_comparison_with_the_same_months_a_year_earlier(sl, users, incident):
    incident(day=datetime.date(2002, 2, 1), killed=4)
    incident(day=datetime.date(2002, 3, 1), killed=2)
    incident(day=datetime.date(2001, 2, 15), killed=1)
    incident(day=datetime.date(2001, 5, 1), killed=9)  # last year, but outside February-March
    result = run(users[Role.ANALYST], sl.mission, **{"from": "2002-02", "to": "2002-03"})
    comparison = result.comparison
    assert comparison["previous"]["from"] == "2001-02" and comparison["previous"]["to"] == "2001-03"
    assert (comparison["current"]["count"], comparison["previous"]["count"]) == (2, 1)
    assert (comparison["current"]["killed"], comparison["previous"]["killed"]) == (6, 1)
    assert comparison["change"]["count"] == {"difference": 1, "percent": 100.0}
    assert comparison["change"]["killed"] == {"difference": 5, "percent": 500.0}
    assert comparison["change"]["injured"] == {"difference": 0, "percent": None}
    # The months chart holds every month, whatever the range.
    assert [row["key"] for row in result.by_month] == ["2001-02", "2001-05", "2002-02", "2002-03"]


def test_default_months_end_with_the_latest_incident(sl, users, incident):
    incident(day=datetime.date(2002, 10, 5))
    form = analysis.AnalysisFilterForm({})
    assert form.is_valid()
    result = analysis.analyse(users[Role.ANALYST], sl.mission, form)
    assert result.selection.params() == {"from": "2001-11", "to": "2002-10"}


def test_red_is_never_counted_for_a_user_without_red_and_partners_see_only_shared(sl, users, incident):
    incident(killed=1, sensitivity=Sensitivity.RED)
    incident(killed=2, sensitivity=Sensitivity.AMBER)
    incident(killed=4, sensitivity=Sensitivity.GREEN, sharing=Sharing.PUBLIC)
    incident(killed=8, sensitivity=Sensitivity.AMBER, sharing=Sharing.PUBLIC)  # shared, but AMBER

    def killed(user):
        result = run(user, sl.mission)
        totals = {sum(row["killed"] for row in rows) for _name, rows in result.breakdowns() if _name != "perpetrator"}
        assert totals == {result.comparison["current"]["killed"]}  # every breakdown agrees
        return result.comparison["current"]["killed"]

    assert killed(users[Role.ANALYST]) == 15
    assert killed(users[Role.REPORTER]) == 14  # no RED
    assert killed(users[Role.PARTNER]) == 4  # shared and GREEN only


def test_the_json_and_csv_answer_for_the_gate_and_refuse_bad_filters(sl, users, incident, client_for):
    incident("armed-clash", killed=5, sensitivity=Sensitivity.RED, perpetrators=[sl.ruf])
    incident("attack-on-civilians", killed=1, sharing=Sharing.PUBLIC, sensitivity=Sensitivity.GREEN)
    acronym = sl.mission.acronym
    client = client_for(users[Role.REPORTER])
    answer = client.get(reverse("incidents:analysis-data", args=[acronym]), {"from": "2002-01", "to": "2002-12"})
    assert answer.status_code == 200
    assert counts(answer.json()["by_type"]) == {"attack-on-civilians": 1}
    assert "date_from=2002-01-01" in answer.json()["rows_url"]

    bad = client.get(reverse("incidents:analysis-data", args=[acronym]), {"from": "2002-13", "place": "x"})
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"from", "place"}

    client = client_for(users[Role.ANALYST])
    response = client.get(
        reverse("incidents:analysis-csv", args=[acronym]), {"from": "2002-01", "to": "2002-12", "type": "armed-clash"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-incident-analysis-2002-01-2002-12.csv"')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == analysis.AGGREGATE_HEADER
    assert rows[1] == ["total_current", "", "2002-01 – 2002-12", "", "1", "5", "0", "0"]
    assert rows[2][0] == "total_previous" and rows[2][4] == "0"
    assert ["type", "armed-clash", "Armed clash", "yes", "1", "5", "0", "0"] in rows
    assert ["type", "attack-on-civilians", "Attack on civilians", "", "1", "1", "0", "0"] in rows
    assert ["perpetrator", str(sl.ruf.pk), "Revolutionary United Front (RUF)", "", "1", "5", "0", "0"] in rows
    assert ["place", str(sl.kenema.pk), "Kenema", "", "1", "5", "0", "0"] in rows
    assert ["month", "2002-03", "2002-03", "", "1", "5", "0", "0"] in rows

    # The rows behind the view: the incidents export with the same filters.
    rows_url = analysis.rows_export_url(sl.mission, run(users[Role.ANALYST], sl.mission, type="armed-clash").selection)
    exported = b"".join(client.get(rows_url).streaming_content).decode().splitlines()
    assert len(exported) == 2  # the header and the armed clash


def test_the_page_draws_the_tables_without_script(sl, users, incident, client_for):
    incident("armed-clash", killed=3, perpetrators=[sl.ruf])
    page = client_for(users[Role.ANALYST]).get(
        reverse("incidents:analysis", args=[sl.mission.acronym]), {"from": "2002-01", "to": "2002-12"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="table-type"' in html and "Armed clash" in html and "Kenema" in html
    assert f'data-select="perpetrator" data-key="{sl.ruf.pk}"' in html
    assert reverse("incidents:analysis", args=[sl.mission.acronym]) in html  # in the incidents menu
    bad = client_for(users[Role.ANALYST]).get(reverse("incidents:analysis", args=[sl.mission.acronym]), {"to": "no"})
    assert bad.status_code == 400 and "Enter a month as YYYY-MM" in bad.content.decode()


# --- saved views ------------------------------------------------------------------------------


def save(client, mission, **data):
    return client.post(
        reverse("incidents:analysis-save", args=[mission.acronym]), data, headers={"accept": "application/json"}
    )


def test_saved_views_private_or_shared_with_the_mission(sl, users, client_for):
    acronym = sl.mission.acronym
    analyst, reporter = users[Role.ANALYST], users[Role.REPORTER]
    client = client_for(analyst)
    private = save(
        client, sl.mission, name="Kenema clashes", type="armed-clash", place=sl.kenema.pk, **{"from": "2002-01"}
    )
    assert private.status_code == 201, private.content
    shared = save(client, sl.mission, name="All of 2002", shared="on", **{"from": "2002-01", "to": "2002-12"})
    assert shared.status_code == 201
    private_view = SavedAnalysisView.objects.get(name="Kenema clashes")
    assert private_view.params == {"from": "2002-01", "type": "armed-clash", "place": str(sl.kenema.pk)}
    assert private_view.owner == analyst and not private_view.shared

    opened = client.get(private.json()["url"])
    assert opened.status_code == 302
    assert "type=armed-clash" in opened["Location"] and f"place={sl.kenema.pk}" in opened["Location"]

    client = client_for(reporter)
    assert client.get(private.json()["url"]).status_code == 404  # another user's private view
    assert client.get(shared.json()["url"]).status_code == 302
    names = [view.name for view in analysis.saved_views(reporter, sl.mission)]
    assert names == ["All of 2002"]
    # Only the owner deletes.
    delete = reverse(
        "incidents:analysis-view-delete", args=[acronym, SavedAnalysisView.objects.get(name="All of 2002").pk]
    )
    assert client.post(delete).status_code == 404
    assert client_for(analyst).post(delete).status_code == 302
    assert not SavedAnalysisView.objects.filter(name="All of 2002").exists()


def test_a_saved_view_is_refused_field_by_field(sl, users, client_for):
    client = client_for(users[Role.ANALYST])
    refused = save(
        client, sl.mission, name="", type="no-such-type", perpetrator="0", **{"from": "2002-05", "to": "2002-01"}
    )
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"name", "type", "perpetrator", "to"}
    assert save(client, sl.mission, name="Mine").status_code == 201
    again = save(client, sl.mission, name="Mine")
    assert again.status_code == 400 and list(again.json()["errors"]) == ["name"]
    # A partner keeps views of their own but does not share them with the mission.
    partner = save(client_for(users[Role.PARTNER]), sl.mission, name="Shared?", shared="on")
    assert partner.status_code == 400 and list(partner.json()["errors"]) == ["shared"]
    assert SavedAnalysisView.objects.count() == 1


def test_the_model_checks_its_filters_on_save(sl, users):
    view = SavedAnalysisView(mission=sl.mission, owner=users[Role.ANALYST], name="Bad", params={"from": "May"})
    with pytest.raises(Exception) as refused:
        view.full_clean()
    assert "params" in refused.value.message_dict


def test_another_missions_user_cannot_open_a_view(sl, users, client_for, other_mission):
    view = SavedAnalysisView.objects.create(
        mission=sl.mission, owner=users[Role.ANALYST], name="Shared", shared=True, params={"from": "2002-01"}
    )
    other = other_mission
    stranger = make_user("stranger", other, Role.ANALYST)
    client = client_for(stranger)
    # Not through the other mission's address, and not through this one (not a member: 404).
    assert client.get(reverse("incidents:analysis-view", args=[other.acronym, view.pk])).status_code == 404
    assert client.get(reverse("incidents:analysis-view", args=[sl.mission.acronym, view.pk])).status_code == 404


# --- query budget -----------------------------------------------------------------------------

READ_BUDGET = 12


def test_the_page_and_its_json_run_the_same_queries_for_1_and_50_incidents(sl, users, incident, client_for):
    client = client_for(users[Role.ANALYST])
    acronym = sl.mission.acronym
    filters = {"from": "2002-01", "to": "2002-12", "type": "armed-clash", "place": str(sl.kenema.pk)}
    paths = {
        "page": reverse("incidents:analysis", args=[acronym]),
        "page, filtered": reverse("incidents:analysis", args=[acronym]) + "?" + _query(filters),
        "json": reverse("incidents:analysis-data", args=[acronym]) + "?" + _query(filters),
        "csv": reverse("incidents:analysis-csv", args=[acronym]) + "?" + _query(filters),
    }

    def measure():
        found = {}
        for name, path in paths.items():
            client.get(path)  # warm per-process caches
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
            assert response.status_code == 200
            found[name] = len(
                [q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
            )
        return found

    incident(perpetrators=[sl.ruf])
    one = measure()
    for i in range(49):
        incident(
            ["armed-clash", "attack-on-civilians"][i % 2],
            day=datetime.date(2002, 1 + i % 12, 1),
            place=[sl.kenema, sl.bombali][i % 2],
            perpetrators=[[sl.ruf], [sl.government], [sl.ruf, sl.government]][i % 3],
            killed=i % 4,
        )
    fifty = measure()
    assert one == fifty, (one, fifty)
    assert max(fifty.values()) <= READ_BUDGET, fifty


def _query(params) -> str:
    from urllib.parse import urlencode

    return urlencode(params)
