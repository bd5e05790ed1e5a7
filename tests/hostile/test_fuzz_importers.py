"""Every importer (importers.registry.REGISTRY and the election results import) fed
malformed files: the import succeeds or raises ImportFailed with row/column errors, never
another exception, and a failed import leaves every table exactly as it was. The upload
page shows such failures as an error table, never a 500."""

import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from bluehelmet.core.models import Place, Role
from bluehelmet.elections.models import Election, PollingCentre, PollingStation, Round
from bluehelmet.elections.results import ResultsImporter
from bluehelmet.importers.base import CsvImporter, GeoJsonImporter, ImportFailed, RowError
from bluehelmet.importers.forms import generic_kinds
from bluehelmet.importers.models import ImportJob
from bluehelmet.importers.registry import REGISTRY
from tests.factories import make_user

from .conftest import database_fingerprint, hostile_settings, skip_if_excluded
from .strategies import csv_files, geojson_files

IMPORTERS = {**REGISTRY, ResultsImporter.kind: ResultsImporter}


@pytest.fixture
def import_world(mission, country):
    """What importers' options point at: UNAMSIL in Sierra Leone, its administrator, and
    an exercise election round with polling stations C1-1 and C1-2."""
    admin = make_user("fuzz-admin", mission, Role.ADMINISTRATOR)
    election = Election.objects.create(mission=mission, name="Exercise election", kind=Election.Kind.GENERAL)
    kenema = Place.objects.create(
        key="adm2:SLE:Kenema", kind=Place.Kind.ADM2, name="Kenema", parent=country, country=country
    )
    centre = PollingCentre.objects.create(
        mission=mission, code="C1", name="Exercise centre", place=kenema, latitude=7.877, longitude=-11.19
    )
    for code in ("C1-1", "C1-2"):
        PollingStation.objects.create(centre=centre, code=code, registered_voters=400)
    round_ = Round.objects.create(election=election, number=1, date=datetime.date(2002, 5, 14), label="Polling day")
    return {
        "mission": mission.acronym,
        "imported_by": admin.pk,
        "country": country.name,
        "round": round_,
        "level": "ADM2",
        "survey": "Exercise perception survey",
    }


def options_for(importer_class, world: dict) -> dict:
    """Values for the options the kind takes; an option this test does not know is left
    out (the importer must then refuse cleanly, which is checked the same way)."""
    return {name: world[name] for name in importer_class.option_names if name in world}


def columns_of(importer_class, path, options) -> list[str]:
    # required_columns is a property on some kinds (it depends on the options).
    return list(getattr(importer_class(path, **options), "required_columns", ()) or ())


def files_for(importer_class):
    """Malformed files of the type the kind reads (by the extensions its upload accepts)."""
    if issubclass(importer_class, GeoJsonImporter) or ".geojson" in importer_class.extensions:
        return geojson_files
    assert issubclass(importer_class, CsvImporter) or ".csv" in importer_class.extensions, (
        f"{importer_class.kind}: add a strategy for {importer_class.extensions} files"
    )
    return csv_files


def assert_clean_failure(failure: ImportFailed) -> None:
    assert failure.errors, "ImportFailed without any error"
    for error in failure.errors:
        assert isinstance(error, RowError)
        assert error.row is None or (isinstance(error.row, int) and error.row >= 1)
        assert isinstance(error.column, str) and isinstance(error.value, str)
        assert isinstance(error.message, str) and error.message.strip()
        assert len(error.value) <= 200


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
def test_importer_survives_malformed_files(kind, import_world, tmp_path):
    importer_class = IMPORTERS[kind]
    skip_if_excluded(importer_class.__module__)
    options = options_for(importer_class, import_world)
    path = tmp_path / f"upload{importer_class.extensions[0]}"
    path.write_bytes(b"")
    columns = columns_of(importer_class, path, options)
    strategy = files_for(importer_class)

    @hostile_settings()
    @given(data=strategy(columns))
    def check(data: bytes):
        path.write_bytes(data)
        before = database_fingerprint()
        with transaction.atomic():
            try:
                importer_class(path, **options).run()
            except ImportFailed as failure:
                assert_clean_failure(failure)
                assert database_fingerprint() == before, "a failed import changed the database"
            # Each example starts from the same database.
            transaction.set_rollback(True)

    check()


@pytest.fixture
def uploads_in_process(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_BROKER_URL = ""
    settings.BLUEHELMET_JOBS_SYNC = True


@pytest.mark.parametrize("kind", [kind for kind, _label in generic_kinds()])
def test_upload_page_shows_errors_of_malformed_files(
    kind, uploads_in_process, import_world, client_for, users, tmp_path
):
    importer_class = REGISTRY[kind]
    skip_if_excluded(importer_class.__module__)
    client = client_for(users["administrator"])
    extension = importer_class.extensions[0]
    empty = tmp_path / f"empty{extension}"
    empty.write_bytes(b"")
    columns = columns_of(importer_class, empty, options_for(importer_class, import_world))
    fields = {name: import_world[name] for name in importer_class.option_names if name in ("mission", "country")}

    @hostile_settings(max_examples=3)
    @given(
        data=files_for(importer_class)(columns),
        name=st.sampled_from(["data", "<img src=x onerror=alert(1)>", "=cmd|x"]),
    )
    def check(data: bytes, name: str):
        with transaction.atomic():
            upload = SimpleUploadedFile(name + extension, data, content_type="text/csv")
            jobs_before = ImportJob.objects.count()
            response = client.post("/imports/", {"kind": kind, "file": upload, **fields})
            if response.status_code == 400:  # refused by the form (an empty file): said so, no job
                assert "field-error" in response.content.decode() and ImportJob.objects.count() == jobs_before
                transaction.set_rollback(True)
                return
            assert response.status_code == 302, response.content[:500]
            job = ImportJob.objects.latest("pk")
            assert job.status in (ImportJob.Status.SUCCEEDED, ImportJob.Status.FAILED)
            page = client.get(response["Location"])
            assert page.status_code == 200
            content = page.content.decode()
            assert "<img src=x" not in content
            assert job.error == "", job.error  # a crash (core.job_records.JobRecord.error), not a refused row
            for error in job.errors:
                assert html.escape(error["message"]) in content or error["message"] in content
            transaction.set_rollback(True)

    check()
