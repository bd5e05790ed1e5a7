"""The optimiser runs as a background job: the request returns at once, the page follows
the run, and a failed run leaves earlier plans standing."""

import pytest

from bluehelmet.core.models import Role
from bluehelmet.forces import planning
from bluehelmet.forces.models import AllocationPlan, PlaceRisk
from bluehelmet.forces.tasks import run_allocation_plan

PLAN = "/missions/UNAMSIL/forces/plan/"
RULES = {
    "patrol_radius_km": 40,
    "troops_per_place": 150,
    "max_move_km": "",
    "max_units_per_site": 4,
    "hq_min_troops": 0,
    "time_limit": 5,
}


@pytest.fixture
def risky(chiefdoms, mission):
    PlaceRisk.objects.create(mission=mission, place=chiefdoms["Daru chiefdom"], risk=0.5)


def test_the_request_queues_a_job_that_stores_the_plan(client_for, users, forces, risky, monkeypatch):
    submitted = []
    monkeypatch.setattr("bluehelmet.jobs.submit", lambda task, *args: submitted.append((task, args)))
    client = client_for(users[Role.ANALYST])
    assert client.post(PLAN, RULES).status_code == 302
    run = AllocationPlan.objects.get()
    assert run.status == AllocationPlan.Status.QUEUED and submitted == [(run_allocation_plan, (run.pk,))]
    page = client.get(PLAN).content.decode()
    assert f'hx-get="/missions/UNAMSIL/forces/plan/runs/{run.pk}/status/"' in page and 'id="share-plan"' not in page
    assert run_allocation_plan(run.pk) == AllocationPlan.Status.OPTIMAL
    run.refresh_from_db()
    assert run.share_covered == pytest.approx(1.0) and run.actor == users[Role.ANALYST]
    status = client.get(f"{PLAN}runs/{run.pk}/status/", HTTP_HX_REQUEST="true")
    assert status["HX-Refresh"] == "true" and "hx-get" not in status.content.decode()
    page = client.get(PLAN).content.decode()
    assert 'id="share-plan"' in page and "hx-get" not in page


def test_a_failed_run_says_why_and_leaves_the_earlier_plan(client_for, users, forces, risky, monkeypatch):
    client = client_for(users[Role.ANALYST])
    client.post(PLAN, RULES)  # jobs run at once in tests
    first = AllocationPlan.objects.get()
    assert first.status == AllocationPlan.Status.OPTIMAL

    def crash(*args, **kwargs):
        raise MemoryError("solver out of memory")

    monkeypatch.setattr(planning, "solve", crash)
    client.post(PLAN, RULES)
    failed = AllocationPlan.objects.latest("pk")
    assert failed.status == AllocationPlan.Status.FAILED and "solver out of memory" in failed.error
    assert failed.finished is not None and failed.problems == []
    page = client.get(PLAN).content.decode()
    assert "The optimiser stopped unexpectedly: solver out of memory" in page
    assert "Earlier plans are kept" in page and 'id="share-plan"' in page
    first.refresh_from_db()
    assert first.status == AllocationPlan.Status.OPTIMAL and first.share_covered == pytest.approx(1.0)
    status = client.get(f"{PLAN}runs/{failed.pk}/status/", HTTP_HX_REQUEST="true")
    assert (
        status.status_code == 200
        and "hx-get" not in status.content.decode()
        and "solver out of memory" in status.content.decode()
    )


def test_nothing_to_plan_fails_with_the_reason(client_for, users, mission):
    client = client_for(users[Role.ANALYST])
    client.post(PLAN, RULES)
    run = AllocationPlan.objects.get()
    assert run.status == AllocationPlan.Status.FAILED
    assert "Nothing to plan: the mission needs risk" in client.get(PLAN).content.decode()


def test_a_run_of_another_mission_is_not_found(client_for, other_member, users, forces, risky):
    client_for(users[Role.ANALYST]).post(PLAN, RULES)
    run = AllocationPlan.objects.get()
    assert client_for(other_member).get(f"/missions/MINUSCA/forces/plan/runs/{run.pk}/status/").status_code == 404
    assert client_for(users[Role.PARTNER]).get(f"{PLAN}runs/{run.pk}/status/").status_code == 403
