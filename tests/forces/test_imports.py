"""CSV imports of units, personnel, training and place populations: checked before
anything is written, errors with row, column and value, and idempotent."""

import datetime

import pytest

from bluehelmet.core.models import Role
from bluehelmet.forces.models import Person, PlacePopulation, PlaceRisk, TrainingRecord, Unit, UnitKind, UnitPosting
from bluehelmet.forces.planning import PlanParameters, run_plan
from bluehelmet.importers.base import ImportFailed
from bluehelmet.importers.models import ImportJob
from bluehelmet.importers.registry import run_import

D = datetime.date

UNITS = """name,type,country,authorised_strength,actual_strength,base,since,strength_reason
Exercise battalion 1,Infantry battalion,Nigeria,850,800,Bo,2001-04-01,
Exercise engineers,engineering,Exercia,200,210,,,reinforced for the rainy season
"""
PERSONNEL = """reference,unit,role,rank,arrival,departure,name
EX-001,Exercise battalion 1,commander,Lieutenant colonel,2001-04-01,2002-03-31,Exercise person A
EX-002,exercise battalion 1,Soldier,Private,2001-04-01,,
"""
TRAINING = """person,course,completed,expires,certificate
EX-001,POC,2001-01-10,,C-1
EX-002,Core pre-deployment training,2001-02-01,,
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(kind, path, **options):
    with pytest.raises(ImportFailed) as failed:
        run_import(kind, path, **options)
    return [(e.row, e.column, e.value, e.message) for e in failed.value.errors]


@pytest.fixture
def by(users):
    """The options the forces import page passes: the mission and its analyst."""
    return {"mission": "UNAMSIL", "imported_by": users[Role.ANALYST].pk}


def test_units_personnel_and_training_import_and_import_again(tmp_path, forces, courses, mission, by):
    summary = run_import("forces-units", write(tmp_path, "units.csv", UNITS), **by)
    assert (summary.created, summary.details["postings created"]) == (2, 1)
    battalion = Unit.objects.get(mission=mission, name="Exercise battalion 1")
    assert (battalion.kind, battalion.country.name, battalion.authorised_strength, battalion.actual_strength) == (
        UnitKind.INFANTRY,
        "Nigeria",
        850,
        800,
    )
    posting = UnitPosting.objects.get(unit=battalion)
    assert (posting.base.place.name, posting.start, posting.troops) == ("Bo", D(2001, 4, 1), 800)
    assert Unit.objects.get(name="Exercise engineers").country.name == "Exercia"
    run_import("forces-personnel", write(tmp_path, "people.csv", PERSONNEL), **by)
    commander = Person.objects.get(service_number="EX-001")
    assert (commander.name, commander.unit, commander.role, commander.departure) == (
        "Exercise person A",
        battalion,
        "commander",
        D(2002, 3, 31),
    )
    assert Person.objects.get(service_number="EX-002").name == "EX-002"
    run_import("forces-training", write(tmp_path, "training.csv", TRAINING), **by)
    poc = TrainingRecord.objects.get(person=commander)
    assert (poc.course, poc.expires, poc.certificate_number) == (
        courses["poc"],
        D(2003, 1, 10),
        "C-1",
    )  # 24 months valid
    counts = (Unit.objects.count(), UnitPosting.objects.count(), Person.objects.count(), TrainingRecord.objects.count())
    for kind, name in (
        ("forces-units", "units.csv"),
        ("forces-personnel", "people.csv"),
        ("forces-training", "training.csv"),
    ):
        again = run_import(kind, tmp_path / name, **by)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert (
        Unit.objects.count(),
        UnitPosting.objects.count(),
        Person.objects.count(),
        TrainingRecord.objects.count(),
    ) == counts


def test_unit_rows_with_errors_import_nothing(tmp_path, forces, mission, by):
    path = write(
        tmp_path,
        "units.csv",
        """name,type,country,authorised_strength,actual_strength,base,since
Exercise battalion 1,infantry,Nigeria,850,800,Bo,2001-04-01
Exercise battalion 2,cavalry,Nigeria,850,900,Atlantis,2001-04-01
Exercise battalion 1,infantry,Nigeria,850,-3,,
""",
    )
    before = Unit.objects.count()
    found = errors("forces-units", path, **by)
    assert [(row, column) for row, column, _v, _m in found] == [
        (3, "type"),
        (3, "actual_strength"),
        (3, "base"),
        (4, "actual_strength"),
        (4, "name"),
    ]
    assert "above the authorised strength (850)" in found[1][3] and "UNAMSIL has no base at Atlantis" == found[2][3]
    assert Unit.objects.count() == before


def test_personnel_errors_name_the_unit_and_the_dates(tmp_path, forces, mission, by):
    path = write(
        tmp_path,
        "people.csv",
        """reference,unit,role,rank,arrival,departure
EX-010,Ghost battalion,soldier,Private,2001-04-01,
EX-011,Guinea contingent, Bo,soldier,Private,2001-04-01,2001-03-01
EX-011,Guinea contingent,wizard,,2001-13-01,
""",
    )
    found = errors("forces-personnel", path, **by)
    assert found[0] == (
        2,
        "unit",
        "Ghost battalion",
        "unknown unit Ghost battalion: UNAMSIL has no unit of that name (import the units first)",
    )
    assert (3, "") == found[1][:2]  # the unquoted comma: one field too many
    assert {(row, column) for row, column, _v, _m in found[2:]} == {(4, "role"), (4, "arrival"), (4, "unit")}
    path = write(
        tmp_path,
        "people2.csv",
        'reference,unit,role,rank,arrival,departure\nEX-011,"Guinea contingent, Bo",soldier,Private,2001-04-01,2001-03-01\n',
    )
    assert errors("forces-personnel", path, **by) == [
        (2, "departure", "2001-03-01", "departure before arrival (2001-04-01)")
    ]
    assert not Person.objects.exists()


def test_training_errors(tmp_path, people, mission, by):
    people["commander"].service_number = "EX-001"
    people["commander"].save()
    path = write(
        tmp_path,
        "training.csv",
        """person,course,completed,expires
EX-404,POC,2001-01-10,
EX-001,Basket weaving,2001-01-10,
EX-001,POC,2001-01-10,2000-01-01
""",
    )
    found = errors("forces-training", path, **by)
    assert [(row, column) for row, column, _v, _m in found] == [(2, "person"), (3, "course"), (4, "expires")]


def test_mission_scoped_kinds_need_the_mission_and_one_of_its_importers(tmp_path, forces, users, other_member):
    path = write(tmp_path, "units.csv", UNITS)
    assert (
        errors("forces-units", path)[0][3]
        == "this kind of import needs a mission: import it from the mission's Forces > Import page"
    )
    assert errors("forces-units", path, mission="NOPE")[0][3] == "unknown mission NOPE"
    refused = "only the mission's administrators and analysts import into it, from its Forces > Import page"
    for user in (None, users[Role.REPORTER], other_member):
        assert errors("forces-units", path, mission="UNAMSIL", imported_by=user and user.pk)[0][3] == refused
    assert not Unit.objects.filter(name="Exercise engineers").exists()


def test_populations_weight_the_plan(tmp_path, users, forces, chiefdoms, mission):
    path = write(
        tmp_path,
        "population.csv",
        """place,population,source,year
Bo chiefdom,120000,Exercise census (demo figures),2004
adm3:Daru chiefdom,30000,Exercise census (demo figures),2004
freetown chiefdom,800000,Exercise census (demo figures),
""",
    )
    assert run_import("place-populations", path, mission="UNAMSIL").created == 3
    assert PlacePopulation.objects.get(place=chiefdoms["Daru chiefdom"]).population == 30000
    assert run_import("place-populations", path).unchanged == 3  # without a mission: keys and names anywhere
    for place in chiefdoms.values():
        PlaceRisk.objects.create(mission=mission, place=place, risk=0.5)
    plan = run_plan(users[Role.ANALYST], mission, PlanParameters())
    assert plan.population_weighted and {p["name"]: p["weight"] for p in plan.result["places"]}["Bo chiefdom"] == 60000


def test_population_errors(tmp_path, chiefdoms, other_mission, other_country):
    from bluehelmet.core.models import Place

    Place.objects.create(key="adm3:other Bo", kind=Place.Kind.ADM3, name="Bo chiefdom", country=other_country)
    path = write(
        tmp_path,
        "population.csv",
        "place,population,source,year\nBo chiefdom,100,census,2004\nNowhere,100,census,2004\nDaru chiefdom,lots,,1500\n",
    )
    found = errors("place-populations", path)
    assert [(row, column) for row, column, _v, _m in found] == [
        (2, "place"),
        (3, "place"),
        (4, "population"),
        (4, "source"),
        (4, "year"),
    ]
    assert found[0][3] == "2 places have this name: give the place key instead"
    assert (
        errors("place-populations", path, mission="MINUSCA")[0][3]
        == "no place with this name or key in the host countries of MINUSCA"
    )


def test_forces_import_page_runs_the_job_in_the_mission(tmp_path, client_for, users, forces, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    client = client_for(users[Role.ANALYST])
    assert client.get("/missions/UNAMSIL/forces/imports/").status_code == 200
    with open(write(tmp_path, "units.csv", UNITS), "rb") as f:
        response = client.post("/missions/UNAMSIL/forces/imports/", {"kind": "forces-units", "file": f})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/imports/{job.pk}/"
    assert job.status == ImportJob.Status.SUCCEEDED and job.summary["options"] == {
        "mission": "UNAMSIL",
        "imported_by": users[Role.ANALYST].pk,
    }
    assert "units.csv" in client.get("/missions/UNAMSIL/forces/imports/").content.decode()
    with open(write(tmp_path, "units.txt", UNITS), "rb") as f:
        response = client.post("/missions/UNAMSIL/forces/imports/", {"kind": "forces-units", "file": f})
    assert response.status_code == 400 and "file" in response.context["form"].errors
    assert client_for(users[Role.REPORTER]).get("/missions/UNAMSIL/forces/imports/").status_code == 403


def test_generic_import_page_offers_populations_with_their_mission(tmp_path, client_for, users, chiefdoms, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    # Populations are shared reference data: the mission's administrator imports them.
    client = client_for(users[Role.ADMINISTRATOR])
    page = client.get("/imports/").content.decode()
    assert 'value="place-populations"' in page and 'name="mission"' in page
    with open(
        write(tmp_path, "population.csv", "place,population,source,year\nBo chiefdom,100,census (exercise),2004\n"),
        "rb",
    ) as f:
        client.post("/imports/", {"kind": "place-populations", "file": f, "mission": "UNAMSIL"})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.SUCCEEDED and job.summary["options"] == {"mission": "UNAMSIL"}
    assert PlacePopulation.objects.get().place == chiefdoms["Bo chiefdom"]
    # Personnel and the like name their importer: the generic page cannot, so it runs none.
    with open(write(tmp_path, "units.csv", UNITS), "rb") as f:
        client.post("/imports/", {"kind": "forces-units", "file": f, "mission": "UNAMSIL"})
    assert not Unit.objects.filter(name="Exercise engineers").exists()
