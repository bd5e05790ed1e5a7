"""Issue 15: a mission's lists of actors (incident perpetrators and targets, DDR factions)
hold the actors of its host countries and period, not every actor in the database."""

import datetime
import uuid

import pytest
from django.urls import reverse

from bluehelmet.core.models import Organization, Place
from bluehelmet.datasets.actors import mission_actors
from bluehelmet.ddr.forms import RegistrationForm
from bluehelmet.incidents.forms import IncidentReportForm
from bluehelmet.incidents.models import Incident, IncidentType
from bluehelmet.incidents.taxonomy import seed_types

from ..factories import make_country, make_event

ARMED = Organization.Kind.ARMED_GROUP


def actor(key, name, kind=ARMED, country=None):
    return Organization.objects.create(key=key, name=name, kind=kind, country=country)


def fight(country, ged_id, date, side_a, side_b):
    return make_event(
        country,
        ged_id,
        date,
        type_of_violence=1,
        side_a=side_a,
        side_a_name=side_a.name,
        side_b=side_b,
        side_b_name=side_b.name,
        latitude=0,
        longitude=0,
    )


@pytest.fixture
def actors(mission, other_mission, country, other_country):
    """UNAMSIL (Sierra Leone, 1999-10-22 to 2005-12-31) and MINUSCA (Central African
    Republic, from 2014-04-10, running), with actors of both and of Sudan."""
    mission.start, mission.end = datetime.date(1999, 10, 22), datetime.date(2005, 12, 31)
    mission.save()
    other_mission.start = datetime.date(2014, 4, 10)
    other_mission.save()
    sudan = make_country("Sudan", "625")
    government_sl = actor("ucdp:121", "Government of Sierra Leone", Organization.Kind.GOVERNMENT, country)
    government_car = actor("ucdp:120", "Government of Central African Republic", Organization.Kind.GOVERNMENT)
    a = {
        "CDF": actor("actor:CDF", "Civil Defence Forces (CDF)", country=country),
        # No country: known from the conflict events only.
        "RUF": actor("ucdp:303", "RUF"),
        "AFRC": actor("ucdp:1051", "AFRC"),
        "LRA": actor("ucdp:449", "LRA"),
        "UPC": actor("ucdp:6543", "UPC"),
        "Janjaweed": actor("ucdp:594", "Janjaweed", country=sudan),
        "UNICEF": actor("un:UNICEF", "UNICEF", Organization.Kind.UN_ENTITY),
        "Nepal": actor("state:Nepal", "Nepal", Organization.Kind.MEMBER_STATE),
        "government_sl": government_sl,
        "government_car": government_car,
    }
    fight(country, 1001, "2000-05-08", government_sl, a["RUF"])
    fight(country, 1002, "1997-05-25", government_sl, a["AFRC"])  # before UNAMSIL
    fight(other_country, 1003, "2016-03-02", government_car, a["LRA"])
    fight(other_country, 1004, "2017-05-13", government_car, a["UPC"])
    fight(other_country, 1005, "2009-02-20", government_car, a["Janjaweed"])  # before MINUSCA
    return a


@pytest.fixture
def district(country):
    return Place.objects.create(
        key="adm2:SLE:Kailahun", kind=Place.Kind.ADM2, name="Kailahun", parent=country, country=country
    )


def names(queryset):
    return {o.name for o in queryset}


def report_form(mission, **kwargs):
    seed_types(mission)
    return IncidentReportForm(mission=mission, **kwargs)


def test_unamsil_lists_hold_sierra_leone_actors_only(mission, actors, district):
    form = report_form(mission)
    assert names(form.fields["perpetrators"].queryset) == {
        "Civil Defence Forces (CDF)",
        "RUF",
        "Government of Sierra Leone",
    }
    assert names(form.fields["targets"].queryset) == {
        "Civil Defence Forces (CDF)",
        "RUF",
        "Government of Sierra Leone",
        "UNICEF",
        "Nepal",
    }
    factions = RegistrationForm(mission=mission, places=Place.objects.filter(pk=district.pk)).fields["faction"].queryset
    assert names(factions) == {"Civil Defence Forces (CDF)", "RUF"}


def test_minusca_lists_hold_central_african_actors(other_mission, actors):
    perpetrators = names(report_form(other_mission).fields["perpetrators"].queryset)
    assert perpetrators == {"LRA", "UPC", "Government of Central African Republic"}
    factions = names(RegistrationForm(mission=other_mission, places=Place.objects.none()).fields["faction"].queryset)
    assert factions == {"LRA", "UPC"}


def test_a_posted_actor_outside_the_list_is_a_field_error(mission, actors):
    form = report_form(mission, data={"perpetrators": [actors["LRA"].pk], "targets": [actors["Janjaweed"].pk]})
    assert not form.is_valid()
    assert "perpetrators" in form.errors and "targets" in form.errors


def test_the_registration_page_refuses_a_faction_outside_the_list(client_for, users, mission, actors, district):
    response = client_for(users["ddr_officer"]).post(
        reverse("ddr:register", args=["UNAMSIL"]),
        {
            "category": "combatant",
            "full_name": "Exercise Person",
            "birth_date": "1980-01-01",
            "sex": "male",
            "faction": actors["LRA"].pk,
            "place": district.pk,
            "registered_on": "2001-06-01",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="field-faction"' in body and "field-error" in body.split('id="field-faction"')[1].split("</div>")[0]


def test_editing_a_record_keeps_its_actors(mission, actors):
    seed_types(mission)
    incident = Incident.objects.create(
        mission=mission,
        client_id=uuid.uuid4(),
        type=IncidentType.objects.filter(mission=mission).first(),
        occurred_at=datetime.datetime(2000, 5, 8, tzinfo=datetime.UTC),
        latitude=8.5,
        longitude=-11.5,
    )
    incident.perpetrators.add(actors["AFRC"])
    form = IncidentReportForm(mission=mission, instance=incident)
    assert "AFRC" in names(form.fields["perpetrators"].queryset)
    assert "AFRC" not in names(form.fields["targets"].queryset)


def test_the_list_costs_one_query_whatever_its_length(mission, actors, country, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(list(mission_actors(mission))) == 3
    for n in range(20):
        fight(country, 2000 + n, "2001-01-15", actors["government_sl"], actor(f"test:{n}", f"Group {n}"))
    form = report_form(mission)
    with django_assert_num_queries(2):  # perpetrators and targets
        html = str(form["perpetrators"]) + str(form["targets"])
    assert "Group 19" in html and 'data-filter-select="id_perpetrators"' in html


def test_targets_hold_the_states_that_sent_troops_when_the_deployments_are_known(mission, actors, district):
    from bluehelmet.datasets.models import Deployment, DeploymentContribution

    ghana = actor("state:Ghana", "Ghana", Organization.Kind.MEMBER_STATE)
    deployment = Deployment.objects.create(mission=mission, site=district, month=datetime.date(2001, 3, 1))
    DeploymentContribution.objects.create(deployment=deployment, country=ghana, troops=800)
    targets = names(mission_actors(mission, international=True))
    assert {"Ghana", "UNICEF"} <= targets and "Nepal" not in targets
