"""Who may change what through the imports page (issue 13): a role in one mission never
reaches another mission's reference data, the file's rows are what is checked, and import
jobs are seen only by who started them, the administrators of the missions they touch and
superusers. Also the upload size cap and the purge of failed uploads."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bluehelmet.core import retention
from bluehelmet.core.models import Membership, Mission, Place, Role
from bluehelmet.datasets.models import ConflictEvent, ConflictMonth, Deployment, MissionStrength
from bluehelmet.forces.models import PlacePopulation
from bluehelmet.importers.models import ImportJob, PlaceAlias, UnmatchedPlaceName
from tests.factories import make_user

from .conftest import CONFLICT_MONTHS, GEOPKO, read_rows, table_counts, write_csv


@pytest.fixture(autouse=True)
def jobs_in_process(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_BROKER_URL = ""
    settings.BLUEHELMET_JOBS_SYNC = True


@pytest.fixture
def people(users, other_mission):
    """The administrator and analyst of MINUSCA (mission B), and a user who is a partner in
    UNAMSIL (mission A) and an analyst of MINUSCA, then one who is a partner in A and an
    administrator of B."""
    mixed = make_user("mixed", users["partner"].memberships.get().mission, Role.PARTNER)
    Membership.objects.create(user=mixed, mission=other_mission, role=Role.ANALYST)
    mixed_admin = make_user("mixed-admin", users["partner"].memberships.get().mission, Role.PARTNER)
    Membership.objects.create(user=mixed_admin, mission=other_mission, role=Role.ADMINISTRATOR)
    return {
        "b_admin": make_user("minusca-admin", other_mission, Role.ADMINISTRATOR),
        "b_analyst": make_user("minusca-analyst", other_mission, Role.ANALYST),
        "mixed": mixed,
        "mixed_admin": mixed_admin,
    }


def upload(client, path: Path, kind: str, **fields):
    file = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
    return client.post("/imports/", {"kind": kind, "file": file, **fields})


def stored_uploads(settings) -> list[Path]:
    directory = Path(settings.MEDIA_ROOT) / "imports"
    return list(directory.iterdir()) if directory.exists() else []


def unamsil_troops(tmp_path, troops="99999") -> Path:
    """Two real UNAMSIL rows of Geo-PKO, the first with its troops changed."""
    header, rows = read_rows(GEOPKO)
    rows = [row for row in rows if row[1] == "UNAMSIL"][:2]
    rows[0][header.index("No.troops")] = troops
    return write_csv(tmp_path / "geopko.csv", header, rows)


def refused(response, *names) -> str:
    assert response.status_code == 400
    errors = " ".join(
        str(e)
        for e in response.context["form"].errors.get("file", []) + response.context["form"].errors.get("kind", [])
    )
    for name in names:
        assert name in errors
    return errors


@pytest.mark.parametrize("who", ["b_admin", "b_analyst", "mixed", "mixed_admin"])
def test_another_missions_deployments_cannot_be_overwritten(client_for, people, sierra_leone, tmp_path, settings, who):
    before = table_counts()
    response = upload(client_for(people[who]), unamsil_troops(tmp_path), "geopko")
    assert response.status_code == 400
    assert not Deployment.objects.filter(troops=99999).exists()
    assert table_counts() == before and not ImportJob.objects.exists() and not stored_uploads(settings)


def test_the_refusal_names_the_mission_and_its_rows(client_for, people, sierra_leone, tmp_path):
    errors = refused(upload(client_for(people["b_admin"]), unamsil_troops(tmp_path), "geopko"), "UNAMSIL", "rows 2, 3")
    assert "Nothing was imported" in errors


def test_the_rows_are_checked_not_the_mission_field(client_for, people, sierra_leone, tmp_path):
    """MINUSCA in the form, UNAMSIL in the rows: the rows decide."""
    path = unamsil_troops(tmp_path)
    header, rows = read_rows(path)
    rows.append(list(rows[0]))
    rows[-1][header.index("Mission")] = "MINUSCA"
    rows[-1][header.index("location")] = "Bangui"
    mixed = write_csv(tmp_path / "mixed.csv", header, rows)
    refused(upload(client_for(people["b_admin"]), mixed, "geopko"), "UNAMSIL")
    assert not Deployment.objects.filter(troops=99999).exists()


def test_the_missions_administrator_imports_its_deployments(client_for, users, sierra_leone, tmp_path):
    response = upload(client_for(users["administrator"]), unamsil_troops(tmp_path, "4321"), "geopko")
    assert response.status_code == 302
    assert ImportJob.objects.get().status == ImportJob.Status.SUCCEEDED
    assert Deployment.objects.filter(mission__acronym="UNAMSIL", troops=4321).exists()


def test_an_analyst_does_not_import_reference_data(client_for, users, sierra_leone, tmp_path):
    """Reference data is for administrators: an analyst of the mission itself is refused."""
    response = upload(client_for(users["analyst"]), unamsil_troops(tmp_path), "geopko")
    assert response.status_code == 400 and not Deployment.objects.filter(troops=99999).exists()


def boundary_file(tmp_path, country="Sierra Leone") -> Path:
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    features = [{"type": "Feature", "properties": {"name": "Kenema", "level": "ADM2"}, "geometry": square}]
    path = tmp_path / "districts.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


@pytest.fixture
def kenema(country):
    ring = [[-11.5, 7.5], [-11.0, 7.5], [-11.0, 8.0], [-11.5, 8.0], [-11.5, 7.5]]
    return Place.objects.create(
        key="adm2:Sierra Leone:Kenema",
        kind=Place.Kind.ADM2,
        name="Kenema",
        parent=country,
        country=country,
        geometry={"type": "Polygon", "coordinates": [ring]},
    )


@pytest.mark.parametrize("who", ["b_admin", "mixed_admin"])
def test_another_missions_district_cannot_be_replaced(client_for, people, kenema, tmp_path, who):
    refused(
        upload(client_for(people[who]), boundary_file(tmp_path), "boundaries", country="Sierra Leone"), "Sierra Leone"
    )
    kenema.refresh_from_db()
    assert kenema.geometry["coordinates"][0][0] == [-11.5, 7.5]


def test_boundaries_naming_no_country_in_the_form_are_still_checked(client_for, people, kenema, tmp_path):
    """The country comes from the districts the file names when the form leaves it empty."""
    path = tmp_path / "chiefdoms.geojson"
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"name": "Nongowa", "district": "Kenema"}, "geometry": square}
                ],
            }
        )
    )
    refused(upload(client_for(people["b_admin"]), path, "boundaries"), "Sierra Leone")
    assert not Place.objects.filter(name="Nongowa").exists()


def test_the_country_administrator_replaces_its_district(client_for, users, kenema, tmp_path):
    assert (
        upload(
            client_for(users["administrator"]), boundary_file(tmp_path), "boundaries", country="Sierra Leone"
        ).status_code
        == 302
    )
    kenema.refresh_from_db()
    assert kenema.geometry["coordinates"][0][0] == [0, 0]


def test_mission_list_and_host_countries_of_others_are_refused(client_for, people, mission, other_mission, tmp_path):
    client = client_for(people["b_admin"])
    renamed = write_csv(
        tmp_path / "missions.csv",
        ["Acronym", "Missionname", "start_date", "end_date"],
        [["UNAMSIL", "Renamed", "October 1999", "December 2005"]],
    )
    refused(upload(client, renamed, "missions"), "UNAMSIL")
    new = write_csv(
        tmp_path / "new.csv",
        ["Acronym", "Missionname", "start_date", "end_date"],
        [["UNNEW", "New", "May 2020", "Present"]],
    )
    refused(upload(client, new, "missions"), "UNNEW")
    hosts = write_csv(tmp_path / "hosts.csv", ["Mission", "Mission_Country"], [["MINUSCA", "Sierra Leone"]])
    refused(upload(client, hosts, "mission-countries"), "Sierra Leone")
    assert (
        Mission.objects.get(acronym="UNAMSIL").name != "Renamed"
        and not Mission.objects.filter(acronym="UNNEW").exists()
    )
    assert list(other_mission.host_countries.values_list("name", flat=True)) == ["Central African Republic"]


def test_own_mission_list_rows_are_imported(client_for, people, other_mission, tmp_path):
    renamed = write_csv(
        tmp_path / "missions.csv",
        ["Acronym", "Missionname", "start_date", "end_date"],
        [["MINUSCA", "MINUSCA renamed", "April 2014", "Present"]],
    )
    assert upload(client_for(people["b_admin"]), renamed, "missions").status_code == 302
    assert Mission.objects.get(acronym="MINUSCA").name == "MINUSCA renamed"


def test_strength_of_another_mission_is_refused(client_for, people, mission, tmp_path):
    columns = [
        "mission",
        "year",
        "month",
        "authtroop",
        "authpolice",
        "authmilobs",
        "troop",
        "police",
        "milobs",
        "contributors",
    ]
    path = write_csv(
        tmp_path / "strength.csv", columns, [["UNAMSIL", "2001", "1", "1", "1", "1", "99999", "1", "1", "1"]]
    )
    refused(upload(client_for(people["b_admin"]), path, "strength"), "UNAMSIL")
    assert not MissionStrength.objects.exists()


def test_populations_of_another_missions_places_are_refused(client_for, people, kenema, tmp_path):
    path = write_csv(
        tmp_path / "pop.csv",
        ["place", "population", "source", "year"],
        [["adm2:Sierra Leone:Kenema", "1", "mine", "2020"]],
    )
    refused(upload(client_for(people["b_admin"]), path, "place-populations"), "Sierra Leone")
    assert not PlacePopulation.objects.exists()


def test_country_data_needs_an_import_role_in_that_country(client_for, users, people, tmp_path):
    """Conflict months of Sierra Leone: refused to MINUSCA's analyst and to the partner of
    UNAMSIL who is analyst elsewhere; imported by UNAMSIL's analyst."""
    header, rows = read_rows(CONFLICT_MONTHS)
    rows = [row for row in rows if row[header.index("mission")] in ("", "UNAMSIL")][:3]
    path = write_csv(tmp_path / "cm.csv", header, rows)
    for who in ("b_analyst", "mixed"):
        refused(upload(client_for(people[who]), path, "conflict-months"), "Sierra Leone")
    assert not ConflictMonth.objects.exists()
    assert upload(client_for(users["analyst"]), path, "conflict-months").status_code == 302
    assert ConflictMonth.objects.count() == 3


def test_ged_events_of_another_country_are_refused(client_for, people, mission, tmp_path):
    from .conftest import GED

    header, rows = read_rows(GED)
    rows = rows[:2]
    for row in rows:
        row[header.index("country")] = "Sierra Leone"
    refused(
        upload(client_for(people["b_analyst"]), write_csv(tmp_path / "ged.csv", header, rows), "ged"), "Sierra Leone"
    )
    assert not ConflictEvent.objects.exists()


def test_the_form_offers_only_the_kinds_the_user_may_import(client_for, users):
    analyst_kinds = dict(client_for(users["analyst"]).get("/imports/").context["form"].fields["kind"].choices)
    assert set(analyst_kinds) == {"ged", "conflict-months"}
    admin_kinds = dict(client_for(users["administrator"]).get("/imports/").context["form"].fields["kind"].choices)
    assert {"geopko", "boundaries", "missions", "ged"} <= set(admin_kinds)


# -- Place matching ----------------------------------------------------------------------------


def test_place_matching_stays_in_the_countries_of_the_matching_role(client_for, people, kenema, other_country):
    unmatched = UnmatchedPlaceName.objects.create(
        country=kenema.country,
        kind=Place.Kind.ADM2,
        name="Kenama",
        normalized="kenama",
        source="humanitarian-3w",
        rows=[2],
    )
    client = client_for(people["mixed"])  # partner in UNAMSIL (Sierra Leone), analyst of MINUSCA
    assert "Kenama" not in client.get("/imports/places/").content.decode()
    response = client.post("/imports/places/", {"unmatched": unmatched.pk, f"m{unmatched.pk}-place": kenema.pk})
    assert response.status_code == 404
    assert not PlaceAlias.objects.exists()


# -- Who follows a job -------------------------------------------------------------------------


def make_job(user, mission_acronym=None, file_name=None):
    options = {"mission": mission_acronym} if mission_acronym else {}
    return ImportJob.objects.create(
        kind="humanitarian-3w",
        file_name=file_name or f"{user.username}-secret-file.csv",
        actor=user,
        summary={"options": options, "error_count": 1},
        status=ImportJob.Status.FAILED,
        errors=[{"row": 2, "column": "#org", "value": "CANARY-CELL", "message": "unknown"}],
    )


def test_another_missions_administrator_does_not_see_its_jobs(client_for, users, people):
    job = make_job(users["humanitarian"], "UNAMSIL")
    client = client_for(people["b_admin"])
    assert client.get(f"/imports/{job.pk}/").status_code == 404
    assert client.get(f"/imports/{job.pk}/status/").status_code == 404
    assert job.file_name not in client.get("/imports/").content.decode()
    client = client_for(users["administrator"])
    assert "CANARY-CELL" in client.get(f"/imports/{job.pk}/").content.decode()
    assert job.file_name in client.get("/imports/").content.decode()


def test_jobs_without_a_mission_are_their_uploaders_and_superusers(client_for, users, people):
    job = make_job(users["analyst"])
    assert client_for(users["administrator"]).get(f"/imports/{job.pk}/").status_code == 404
    assert client_for(users["analyst"]).get(f"/imports/{job.pk}/").status_code == 200
    assert client_for(users["superuser"]).get(f"/imports/{job.pk}/").status_code == 200


def test_the_administrator_of_the_missions_a_file_touches_follows_its_job(
    client_for, users, people, sierra_leone, tmp_path
):
    upload(client_for(users["administrator"]), unamsil_troops(tmp_path, "12"), "geopko")
    job = ImportJob.objects.get()
    # UNAMSIL by its rows, UNOMSIL through its host country, where the file's sites are.
    assert job.summary["missions"] == {"UNAMSIL": True, "UNOMSIL": True} and job.status == ImportJob.Status.SUCCEEDED
    assert client_for(people["b_admin"]).get(f"/imports/{job.pk}/").status_code == 404
    colleague = make_user("unamsil-admin-2", users["administrator"].memberships.get().mission, Role.ADMINISTRATOR)
    assert client_for(colleague).get(f"/imports/{job.pk}/").status_code == 200


def test_recent_humanitarian_imports_are_of_this_mission_only(client_for, users, other_mission):
    Membership.objects.create(user=users["humanitarian"], mission=other_mission, role=Role.HUMANITARIAN)
    here = make_job(users["humanitarian"], "UNAMSIL")
    elsewhere = make_job(users["humanitarian"], "MINUSCA", file_name="minusca-file.csv")
    content = client_for(users["humanitarian"]).get("/missions/UNAMSIL/humanitarian/import/").content.decode()
    assert here.file_name in content and elsewhere.file_name not in content


# -- Size cap and purge ------------------------------------------------------------------------


def test_a_file_over_the_cap_is_a_form_error(client_for, users, settings, tmp_path):
    settings.BLUEHELMET_IMPORT_MAX_MB = 1
    path = tmp_path / "big.csv"
    path.write_bytes(CONFLICT_MONTHS.read_bytes() + b"\n" * (1024 * 1024))
    response = upload(client_for(users["analyst"]), path, "conflict-months")
    assert response.status_code == 400
    assert "up to 1.0" in " ".join(response.context["form"].errors["file"])
    assert not ImportJob.objects.exists() and not stored_uploads(settings)


def test_failed_uploads_are_purged_after_the_retention_period(users, settings, tmp_path):
    settings.BLUEHELMET_RETENTION_DAYS = {**settings.BLUEHELMET_RETENTION_DAYS, "failed_imports": 30}
    now = timezone.now()
    files = {}
    for name in ("old-failed", "new-failed", "old-succeeded"):
        files[name] = tmp_path / f"{name}.csv"
        files[name].write_text("x")
    status = {
        "old-failed": ImportJob.Status.FAILED,
        "new-failed": ImportJob.Status.FAILED,
        "old-succeeded": ImportJob.Status.SUCCEEDED,
    }
    age = {"old-failed": 31, "new-failed": 2, "old-succeeded": 90}
    jobs = {
        name: ImportJob.objects.create(
            kind="ged",
            file_name=f"{name}.csv",
            stored_path=str(files[name]),
            status=status[name],
            finished=now - datetime.timedelta(days=age[name]),
            actor=users["analyst"],
        )
        for name in files
    }
    outcome = next(o for o in retention.apply_retention() if o.category == "failed_imports")
    assert outcome.anonymised == 1
    assert not files["old-failed"].exists() and files["new-failed"].exists() and files["old-succeeded"].exists()
    jobs["old-failed"].refresh_from_db()
    assert (
        jobs["old-failed"].stored_path == ""
        and jobs["old-failed"].errors == []
        and jobs["old-failed"].file_name == "old-failed.csv"
    )
