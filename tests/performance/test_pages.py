"""Pages and API of the performance area: the dashboard, values and assessments, effect
estimates, the report job, lessons with full-text search; roles and scoping throughout."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bluehelmet.core.models import Role
from bluehelmet.performance.effects import compute_mission_effects
from bluehelmet.performance.models import EffectEstimate, Lesson, LessonApplication, LessonLink, Measurement, Report
from bluehelmet.performance.results import compute_mission_indicators

d = datetime.date
BASE = "/missions/UNAMSIL/performance/"


def test_dashboard_shows_the_framework_with_lights_and_no_data_reasons(client_for, users, framework):
    compute_mission_indicators(framework["killed"].mission)
    response = client_for(users[Role.ANALYST]).get(BASE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "POC-1" in body and "DDR-1" in body
    assert "no DDR participants in this period" in body  # the DDR area exists, the mission has no participants
    assert 'data-code="POC-1" data-status="green"' in body
    assert "Generate report" in body and "Compute values now" in body


def test_partner_sees_public_indicators_only_and_no_controls(client_for, users, framework):
    body = client_for(users[Role.PARTNER]).get(BASE).content.decode()
    assert "POC-1" in body and "FOR-2" not in body
    assert "Generate report" not in body and "Compute values now" not in body


def test_member_of_another_mission_gets_404(client_for, other_member, framework):
    assert client_for(other_member).get(BASE).status_code == 404
    assert client_for(other_member).get(f"{BASE}indicators/{framework['killed'].pk}/").status_code == 404


def test_reporter_may_not_compute_or_enter_values(client_for, users, framework):
    client = client_for(users[Role.REPORTER])
    assert client.post(f"{BASE}compute/").status_code == 403
    assert (
        client.post(
            f"{BASE}indicators/{framework['manual'].pk}/values/", {"period": "2001-01-01", "value": "12"}
        ).status_code
        == 403
    )


def test_manual_value_needs_evidence_and_keeps_it(client_for, users, framework):
    client = client_for(users[Role.ANALYST])
    url = f"{BASE}indicators/{framework['manual'].pk}/values/"
    response = client.post(url, {"period": "2001-02-14", "value": "14"})
    assert response.status_code == 400
    assert "Attach the evidence" in response.content.decode()
    assert not Measurement.objects.filter(indicator=framework["manual"]).exists()

    evidence = SimpleUploadedFile("patrol-log.csv", b"week,patrols\n1,14\n", content_type="text/csv")
    response = client.post(url, {"period": "2001-02-14", "value": "14", "evidence": evidence})
    assert response.status_code == 302
    measurement = Measurement.objects.get(indicator=framework["manual"])
    assert measurement.period == d(2001, 2, 1) and measurement.value == 14 and measurement.source == "manual"
    download = client.get(f"{BASE}evidence/{measurement.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"week,patrols\n1,14\n"
    assert (
        client_for(users[Role.PARTNER]).get(f"{BASE}evidence/{measurement.pk}/").status_code == 404
    )  # not a public indicator


def test_assessment_is_written_and_shown(client_for, users, framework):
    client = client_for(users[Role.ANALYST])
    url = f"{BASE}indicators/{framework['killed'].pk}/"
    assert client.post(url + "assessments/", {"text": ""}).status_code == 400
    assert client.post(url + "assessments/", {"text": "Killings stopped after the ceasefire."}).status_code == 302
    assert "Killings stopped after the ceasefire." in client.get(url).content.decode()


def test_indicator_form_reports_field_errors(client_for, users, framework):
    client = client_for(users[Role.ANALYST])
    response = client.post(
        f"{BASE}indicators/new/",
        {
            "output": framework["output"].pk,
            "code": "X-1",
            "name": "X",
            "direction": "increase",
            "frequency": "month",
            "start": "2001-01-01",
            "method": "formula",
            "sharing": "mission",
        },
    )
    assert response.status_code == 200 and "Choose the formula" in response.content.decode()
    response = client.post(
        f"{BASE}indicators/new/",
        {
            "output": framework["output"].pk,
            "code": "X-1",
            "name": "Sites",
            "direction": "increase",
            "frequency": "quarter",
            "start": "2001-02-01",
            "method": "formula",
            "formula": "deployment_sites",
            "sharing": "mission",
        },
    )
    assert response.status_code == 302
    created = framework["output"].indicators.get(code="X-1")
    assert (
        created.start == d(2001, 1, 1) and created.measurements.exists()
    )  # computed at once (jobs run synchronously in tests)


def test_effects_page_reads_the_conflict_month_model(client_for, users, sierra_leone, mission):
    from bluehelmet.datasets.models import ConflictMonth

    # Enough months with troops and killings for a model: the five fixture months are too few.
    for i, (troops, killed) in enumerate(
        [(0, 40), (0, 10), (0.5, 30), (1, 0), (2, 5), (4, 0), (6, 12), (8, 0), (10, 0), (12, 3), (12, 0), (14, 0)] * 2
    ):
        ConflictMonth.objects.create(
            conflict_id=187,
            country=sierra_leone.events[0].country,
            month=d(2000 + i // 12, i % 12 + 1, 1),
            osv_all=killed,
            troops_lag=troops,
            police_lag=troops / 100 + (i % 3) / 100,
            observers_lag=0.1 + (i % 5) / 20,
        )
    compute_mission_effects(mission)
    estimate = EffectEstimate.objects.get(mission=mission, kind="conflict_months")
    model = estimate.result["models"]["negbin"]
    assert model["n_obs"] == 24 and model["n_dropped_missing"] == 5  # the fixture months have no troop figures
    body = client_for(users[Role.ANALYST]).get(f"{BASE}effects/").content.decode()
    assert "Each additional 1,000 troops is associated with" in body and "95% interval" in body
    cell = EffectEstimate.objects.get(mission=mission, kind="cell_panel")
    assert cell.result is None and cell.problem  # three GED events cannot carry a cell panel
    # Partners see the conflict-month estimate (published data), not the ones built on deployment maps.
    partner_body = client_for(users[Role.PARTNER]).get(f"{BASE}effects/").content.decode()
    assert "Each additional 1,000 troops" in partner_body and "PRIO-GRID cell months" not in partner_body


def test_too_few_months_are_said_not_estimated(client_for, users, sierra_leone, mission):
    from bluehelmet.datasets.models import ConflictMonth

    for i, row in enumerate(ConflictMonth.objects.order_by("month")):
        ConflictMonth.objects.filter(pk=row.pk).update(
            troops_lag=0.015 * i, police_lag=0.003 * (i % 2), observers_lag=0.04 - 0.005 * i
        )
    compute_mission_effects(mission)
    estimate = EffectEstimate.objects.get(mission=mission, kind="conflict_months")
    assert estimate.result is None and "too few observations" in estimate.problem
    assert "too few observations" in client_for(users[Role.ANALYST]).get(f"{BASE}effects/").content.decode()


def test_report_button_runs_the_job_and_serves_html_and_pdf(client_for, users, framework, lessons, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(users[Role.REPORTER])
    response = client.post(f"{BASE}reports/")
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/reports/{report.pk}/")
    assert report.status == Report.Status.SUCCEEDED, report.error
    html = b"".join(client.get(f"{BASE}reports/{report.pk}/report.html").streaming_content).decode()
    assert "Civilians killed per month" in html and "Peacekeepers must be able to defend the mandate" in html
    assert "no DDR participants in this period" in html and "data:image/svg+xml;base64," in html
    pdf = b"".join(client.get(f"{BASE}reports/{report.pk}/report.pdf").streaming_content)
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    assert client_for(users[Role.PARTNER]).get(f"{BASE}reports/{report.pk}/").status_code == 404
    assert client_for(users[Role.PARTNER]).post(f"{BASE}reports/").status_code == 404


@pytest.mark.parametrize(
    "query, expected",
    [
        ("defend", {"robust"}),
        ("defended mandate", {"robust"}),  # stemmed: "defended" finds "defend"
        ("deploy", {"robust", "planning"}),  # prefix: "deploy" finds "deploy" and "deployments"
        ('escort" OR "x', set()),  # FTS syntax in the input is plain text; the other mission's lesson stays out
        ("", {"robust", "planning"}),
    ],
)
def test_lesson_search(client_for, users, lessons, query, expected):
    response = client_for(users[Role.ANALYST]).get("/missions/UNAMSIL/lessons/", {"q": query})
    found = {name for name, lesson in lessons.items() if lesson in response.context["page"].object_list}
    assert found == expected


def test_lesson_filters_and_partner_scope(client_for, users, lessons):
    analyst = client_for(users[Role.ANALYST])
    page = analyst.get("/missions/UNAMSIL/lessons/", {"theme": "planning"}).context["page"]
    assert list(page.object_list) == [lessons["planning"]]
    LessonApplication.objects.create(lesson=lessons["planning"], where="Exercise", date=d(2015, 1, 1))
    page = analyst.get("/missions/UNAMSIL/lessons/", {"applied": "on"}).context["page"]
    assert list(page.object_list) == [lessons["planning"]]
    partner_page = client_for(users[Role.PARTNER]).get("/missions/UNAMSIL/lessons/", {"q": "deploy"}).context["page"]
    assert list(partner_page.object_list) == [lessons["robust"]]  # the only shared lesson


def test_lesson_created_applied_and_linked(client_for, users, framework, lessons, sierra_leone):
    client = client_for(users[Role.REPORTER])
    response = client.post(
        "/missions/UNAMSIL/lessons/new/",
        {
            "title": "Night patrols",
            "theme": "protection",
            "date": "2001-05-01",
            "observation": "Attacks came at night.",
            "lesson": "Patrol at night.",
            "sharing": "mission",
        },
    )
    assert response.status_code == 302
    lesson = Lesson.objects.get(title="Night patrols")
    assert (
        client.get("/missions/UNAMSIL/lessons/", {"q": "night"}).context["page"].object_list[0] == lesson
    )  # the FTS index follows inserts
    url = f"/missions/UNAMSIL/lessons/{lesson.pk}/"
    assert client.post(url + "applied/", {"date": "2015-01-01"}).status_code == 400  # where, or which mission
    assert (
        client.post(url + "applied/", {"date": "2015-01-01", "where": "Exercise: MINUSCA night patrols"}).status_code
        == 302
    )
    assert client.post(url + "links/", {"kind": "event", "object_id": 999999}).status_code == 400
    assert (
        client.post(
            url + "links/", {"kind": "event", "object_id": sierra_leone.events[0].pk, "note": "Freetown, January 1999"}
        ).status_code
        == 302
    )
    assert client.post(url + "links/", {"kind": "indicator", "indicator": framework["killed"].pk}).status_code == 302
    assert LessonLink.objects.filter(lesson=lesson).count() == 2
    body = client.get(url).content.decode()
    assert "Freetown, January 1999" in body and "Exercise: MINUSCA night patrols" in body and "POC-1" in body


def test_lesson_api_search_is_scoped(client_for, users, lessons):
    data = client_for(users[Role.ANALYST]).get("/api/lessons/", {"q": "deploy"}).json()
    assert {row["title"] for row in data["results"]} == {lessons["robust"].title, lessons["planning"].title}
    data = client_for(users[Role.PARTNER]).get("/api/lessons/").json()
    assert [row["title"] for row in data["results"]] == [lessons["robust"].title]


def test_dashboard_in_french(client_for, users, framework):
    client = client_for(users[Role.ANALYST])
    client.cookies["django_language"] = "fr"
    body = client.get(BASE, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Cadre de résultats" in body and "Effet du déploiement sur la violence" in body
