"""The optimiser fed from the database, and the forces pages with their access rules."""

import datetime

import pytest

from bluehelmet.core.models import Role, SensitiveAccess, Sharing
from bluehelmet.forces.models import AllocationPlan, Award, PlacePopulation, PlaceRisk, Unit
from bluehelmet.forces.planning import PlanParameters, RiskSource, candidate_places, mission_risk, run_plan

D = datetime.date


def test_places_are_the_deepest_admin_level(users, chiefdoms, mission):
    assert [p.name for p in candidate_places(users[Role.ANALYST], mission)] == [
        "Bo chiefdom",
        "Daru chiefdom",
        "Freetown chiefdom",
    ]


def test_risk_falls_back_on_past_fatal_events_near_each_place(users, sierra_leone, chiefdoms, mission):
    risk = mission_risk(users[Role.ANALYST], mission, list(chiefdoms.values()))
    assert risk.source == RiskSource.EVENTS and risk.as_of == D(2000, 5, 1)
    # Within the 12 months to May 2000 only the Freetown event of 2000-05-08 counts.
    assert risk.risk[chiefdoms["Freetown chiefdom"].pk] == pytest.approx(1 / 12)
    assert risk.risk[chiefdoms["Bo chiefdom"].pk] == 0


def test_risk_entered_by_hand_wins_over_the_fallback_and_early_warning_over_both(
    users, sierra_leone, chiefdoms, mission, monkeypatch
):
    PlaceRisk.objects.create(mission=mission, place=chiefdoms["Bo chiefdom"], risk=0.4)
    assert mission_risk(users[Role.ANALYST], mission, list(chiefdoms.values())).source == RiskSource.MANUAL
    monkeypatch.setattr(
        "bluehelmet.forces.planning.latest_place_risk_or_none", lambda m: {chiefdoms["Daru chiefdom"].pk: 0.9}
    )
    risk = mission_risk(users[Role.ANALYST], mission, list(chiefdoms.values()))
    assert (risk.source, risk.risk) == (RiskSource.EARLY_WARNING, {chiefdoms["Daru chiefdom"].pk: 0.9})


def test_a_stored_plan_compares_with_todays_posture(users, forces, chiefdoms, mission):
    for name, value in (("Bo chiefdom", 0.2), ("Daru chiefdom", 0.9), ("Freetown chiefdom", 0.5)):
        PlaceRisk.objects.create(mission=mission, place=chiefdoms[name], risk=value)
    plan = run_plan(users[Role.ANALYST], mission, PlanParameters(patrol_radius_km=40, hq_min_troops=0))
    assert plan.status == AllocationPlan.Status.OPTIMAL and not plan.population_weighted
    assert plan.result["population_unknown"] == 3
    assert plan.share_covered == pytest.approx(1.0)
    assert plan.posture_share <= plan.share_covered and plan.greedy_share <= plan.share_covered + 1e-9
    assert [u["name"] for u in plan.result["units"]] == sorted(
        u.name for u in Unit.objects.filter(mission=mission, actual_strength__gt=0)
    )


def test_population_weights_only_when_every_place_has_one(users, forces, chiefdoms, mission):
    for place in chiefdoms.values():
        PlaceRisk.objects.create(mission=mission, place=place, risk=0.5)
        PlacePopulation.objects.create(place=place, population=1000, source="test census")
    plan = run_plan(users[Role.ANALYST], mission, PlanParameters())
    assert plan.population_weighted and plan.result["places"][0]["weight"] == 500


def test_an_infeasible_plan_says_which_rule(users, forces, chiefdoms, mission):
    PlaceRisk.objects.create(mission=mission, place=chiefdoms["Daru chiefdom"], risk=0.5)
    plan = run_plan(users[Role.ANALYST], mission, PlanParameters(hq_min_troops=50000))
    assert plan.status == AllocationPlan.Status.INFEASIBLE
    assert plan.problems[0]["constraint"] == "hq_presence" and plan.problems[0]["subject"] == "Freetown"


def test_plan_page_runs_a_plan_and_shows_both_shares(client_for, users, forces, chiefdoms, mission):
    PlaceRisk.objects.create(mission=mission, place=chiefdoms["Daru chiefdom"], risk=0.5)
    client = client_for(users[Role.ANALYST])
    response = client.post(
        "/missions/UNAMSIL/forces/plan/",
        {
            "patrol_radius_km": 40,
            "troops_per_place": 150,
            "max_move_km": "",
            "max_units_per_site": 4,
            "hq_min_troops": 0,
            "time_limit": 5,
        },
    )
    assert response.status_code == 302
    page = client.get("/missions/UNAMSIL/forces/plan/").content.decode()
    assert 'id="share-today"' in page and 'id="share-plan"' in page and "100.0%" in page
    assert "Population unknown: unweighted risk." in page


def test_plan_form_errors_are_per_field(client_for, users, forces, mission):
    response = client_for(users[Role.ANALYST]).post(
        "/missions/UNAMSIL/forces/plan/",
        {"patrol_radius_km": -5, "troops_per_place": "x", "hq_min_troops": 0, "time_limit": 5},
    )
    assert response.status_code == 200 and AllocationPlan.objects.count() == 0
    form = response.context["form"]
    assert set(form.errors) == {"patrol_radius_km", "troops_per_place"}


def test_the_infeasible_rule_is_shown_on_the_page(client_for, users, forces, chiefdoms, mission):
    PlaceRisk.objects.create(mission=mission, place=chiefdoms["Daru chiefdom"], risk=0.5)
    client = client_for(users[Role.ANALYST])
    client.post(
        "/missions/UNAMSIL/forces/plan/",
        {
            "patrol_radius_km": 40,
            "troops_per_place": 150,
            "max_units_per_site": 4,
            "hq_min_troops": 50000,
            "time_limit": 5,
        },
    )
    page = client.get("/missions/UNAMSIL/forces/plan/").content.decode()
    assert "Minimum presence at headquarters (Freetown)" in page


def test_reporters_read_plans_but_do_not_run_them(client_for, users, forces, mission):
    client = client_for(users[Role.REPORTER])
    assert client.get("/missions/UNAMSIL/forces/plan/").status_code == 200
    assert client.post("/missions/UNAMSIL/forces/plan/", {"patrol_radius_km": 40}).status_code == 403
    assert client.get("/missions/UNAMSIL/forces/risk/").status_code == 403


def test_risk_form_saves_and_rejects_out_of_range(client_for, users, chiefdoms, mission):
    client = client_for(users[Role.ANALYST])
    bo, daru = chiefdoms["Bo chiefdom"], chiefdoms["Daru chiefdom"]
    response = client.post("/missions/UNAMSIL/forces/risk/", {f"place_{bo.pk}": "1.5"})
    assert response.status_code == 200 and f"place_{bo.pk}" in response.context["form"].errors
    assert not PlaceRisk.objects.exists()
    client.post("/missions/UNAMSIL/forces/risk/", {f"place_{bo.pk}": "0.3", f"place_{daru.pk}": ""})
    assert list(PlaceRisk.objects.values_list("place", "risk")) == [(bo.pk, 0.3)]


def test_units_page_shows_the_posture_and_strength(client_for, users, forces, mission):
    page = client_for(users[Role.ANALYST]).get("/missions/UNAMSIL/forces/").content.decode()
    assert "Nigeria contingent, Freetown" in page and "units-table" in page
    assert "10151" in page  # deployed troops, January 2001 (UNAMSIL strength row of the fixture)


def test_partners_see_public_units_only_and_no_personnel(client_for, users, forces, people, mission):
    Unit.objects.filter(name="Guinea contingent, Bo").update(sharing=Sharing.MISSION)
    client = client_for(users[Role.PARTNER])
    page = client.get("/missions/UNAMSIL/forces/").content.decode()
    assert "Nigeria contingent, Freetown" in page and "Guinea contingent, Bo" not in page
    for path in ("training/", "plan/", "patrols/", "equipment/", "recognition/"):
        assert client.get(f"/missions/UNAMSIL/forces/{path}").status_code == 403, path


def test_other_missions_members_get_404(client_for, other_member, forces):
    assert client_for(other_member).get("/missions/UNAMSIL/forces/").status_code == 404


def test_training_page_lists_who_is_overdue_and_logs_it(client_for, users, people, mission):
    response = client_for(users[Role.ANALYST]).get("/missions/UNAMSIL/forces/training/?on=2001-06-01")
    page = response.content.decode()
    assert "80.0%" in page and "Exercise person 0002" in page and "Exercise person 0003" not in page
    assert SensitiveAccess.objects.filter(user=users[Role.ANALYST], mission=mission).exists()


def test_award_decisions_are_for_administrators_and_certificates_are_pdfs(client_for, users, people, mission):
    award = Award.objects.create(person=people["soldier"], kind=Award.Kind.UN_MEDAL)
    url = f"/missions/UNAMSIL/forces/awards/{award.pk}/decide/"
    assert client_for(users[Role.ANALYST]).post(url, {"decision": "approve"}).status_code == 403
    client = client_for(users[Role.ADMINISTRATOR])
    assert client.post(url, {"decision": "approve", "comment": ""}).status_code == 302
    award.refresh_from_db()
    assert award.status == Award.Status.APPROVED
    response = client.get(f"/missions/UNAMSIL/forces/awards/{award.pk}/certificate.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert SensitiveAccess.objects.filter(action="export", record_id=str(people["soldier"].pk)).exists()


@pytest.mark.parametrize("path", ["", "training/", "plan/", "patrols/", "equipment/", "recognition/"])
def test_pages_render_without_data(client_for, users, mission, path):
    assert client_for(users[Role.ANALYST]).get(f"/missions/UNAMSIL/forces/{path}").status_code == 200


def test_units_api_is_scoped(client_for, users, other_member, forces, mission):
    Unit.objects.filter(name="Guinea contingent, Bo").update(sharing=Sharing.MISSION)

    def names(client):
        return {u["name"] for u in client.get("/api/units/?mission=UNAMSIL&page_size=100").json()["results"]}

    assert "Guinea contingent, Bo" in names(client_for(users[Role.ANALYST]))
    assert "Guinea contingent, Bo" not in names(
        client_for(users[Role.PARTNER])
    ) and "Nigeria contingent, Freetown" in names(client_for(users[Role.PARTNER]))
    response = client_for(other_member).get("/api/units/")
    assert response.json()["results"] == []
