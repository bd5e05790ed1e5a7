"""`bluehelmet backup` and `bluehelmet restore` round-trip every table, the uploads and the
field key, on the engine the suite runs on (SQLite, and PostgreSQL with pg_dump/pg_restore when
DATABASE_URL points at one); bad archives are refused with exit status 1 and change nothing.

The restore really replaces the test database, hence transactional_db."""

import datetime
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connection

from bluehelmet.core.backup import DATABASE_FILES, MANIFEST, BackupError, applied_migrations, pg_tool
from bluehelmet.core.demo import DATA_DIR
from bluehelmet.core.models import Mission, Organization, Place
from bluehelmet.ddr import cases
from bluehelmet.ddr.models import Participant, Weapon
from bluehelmet.importers.registry import run_import

pytestmark = pytest.mark.django_db(transaction=True)

SHIPPED = [
    ("missions", "missions/un_pko_list_start_end_month.csv"),
    ("mission-countries", "missions/ipi_mission_country_continent.csv"),
    ("boundaries", "boundaries/sle_adm0_adm2_districts_geoboundaries_simplified.geojson"),
]


@pytest.fixture
def home(settings, tmp_path):
    """An installation folder of its own: uploads and a field key generated in it."""
    settings.HOME = tmp_path / "home"
    settings.HOME.mkdir()
    settings.MEDIA_ROOT = settings.HOME / "uploads"
    settings.BLUEHELMET_FIELD_KEYS = []
    return settings.HOME


@pytest.fixture
def loaded(home):
    """Real shipped data, a DDR participant (encrypted personal data) and two uploads."""
    for kind, name in SHIPPED:
        run_import(kind, DATA_DIR / name)
    mission = Mission.objects.get(acronym="UNAMSIL")
    district = Place.objects.filter(kind=Place.Kind.ADM2, name="Kailahun").get()
    ruf = Organization.objects.create(
        key="actor:RUF", name="Revolutionary United Front (RUF)", acronym="RUF", kind=Organization.Kind.ARMED_GROUP
    )
    person = cases.register(
        AnonymousUser(),
        mission,
        {
            "category": "combatant",
            "full_name": "Exercise Person One",
            "birth_date": datetime.date(1975, 3, 2),
            "sex": "male",
            "phone": "+232 00 000 000",
            "faction": ruf,
            "place": district,
            "registered_on": datetime.date(2001, 6, 1),
        },
    )
    cases.record_weapon(
        AnonymousUser(),
        person,
        {
            "kind": "rifle",
            "model": "AK-47",
            "serial": "EX-1",
            "quantity": 1,
            "handed_in_on": datetime.date(2001, 6, 2),
            "site": "",
        },
    )
    (home / "uploads" / "imports").mkdir(parents=True)
    (home / "uploads" / "imports" / "ged.csv").write_text("id,year\n1,1999\n")
    (home / "uploads" / "evidence.txt").write_bytes("évidence".encode())
    return person


def every_table() -> dict:
    """Every model's rows ordered by pk (encrypted fields read back decrypted, so the key is
    checked too), and the raw rows of tables no model owns (full-text search tables)."""
    state = {}
    model_tables = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        model_tables.add(model._meta.db_table)
        state[model._meta.label] = list(model._base_manager.order_by("pk").values_list())
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for table in sorted(tables - model_tables):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            state[table] = sorted(map(repr, cursor.fetchall()))
    state["tables"] = sorted(tables)
    state["migrations"] = applied_migrations(connection)
    return state


def folder(path: Path) -> dict:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_round_trip_restores_every_table_the_uploads_and_the_key(loaded, home, tmp_path, capsys):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive))
    assert "holds the field-encryption key" in capsys.readouterr().out
    assert archive.stat().st_mode & 0o077 == 0  # it holds a secret: owner only
    before, uploads_before = every_table(), folder(home / "uploads")
    assert len(before["core.Place"]) > 10 and len(before["core.Mission"]) > 50 and before["ddr.Participant"]
    key = (home / "field_key").read_bytes()

    # Change, delete and add records, uploads and the key; add a table no backup knows.
    Mission.objects.filter(acronym="UNAMSIL").update(name="changed after the backup")
    Weapon.objects.all().delete()
    Participant.objects.all().delete()
    Place.objects.filter(kind=Place.Kind.ADM2, name="Bo").delete()
    Mission.objects.create(acronym="EXERCISE", name="Exercise mission created after the backup")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE after_backup (id integer)")
    (home / "uploads" / "evidence.txt").unlink()
    (home / "uploads" / "new.txt").write_text("after the backup")
    (home / "field_key").unlink()  # as on a fresh machine
    assert every_table() != before

    call_command("restore", str(archive), yes=True)

    after = every_table()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    assert folder(home / "uploads") == uploads_before
    assert (home / "field_key").read_bytes() == key
    assert Participant.objects.get().full_name == "Exercise Person One"
    # Sequences came back too: a new record does not collide with a restored one.
    assert Mission.objects.create(acronym="NEW", name="After the restore").pk > max(
        pk for pk, *_ in before["core.Mission"]
    )


def archive_with(
    source: Path, target: Path, manifest_changes: dict | None = None, database: bytes | None = None
) -> Path:
    """A copy of a real archive with its manifest changed or its database snapshot replaced."""
    with tarfile.open(source, "r:gz") as original, tarfile.open(target, "w:gz") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read() if member.isfile() else None
            if member.name == MANIFEST and manifest_changes is not None:
                data = json.dumps({**json.loads(data), **manifest_changes}).encode()
            elif member.name in DATABASE_FILES.values() and database is not None:
                data = database
            if data is not None:
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data) if data is not None else None)
    return target


@pytest.fixture
def good_archive(home, tmp_path):
    Mission.objects.create(acronym="UNAMSIL", name="United Nations Mission in Sierra Leone")
    (home / "uploads").mkdir()
    (home / "uploads" / "kept.txt").write_text("kept")
    call_command("backup", output=str(tmp_path / "good.tar.gz"))
    return tmp_path / "good.tar.gz"


def bad_archives(good: Path, folder: Path) -> dict:
    other_engine = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    truncated = folder / "truncated.tar.gz"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    garbage = folder / "garbage.tar.gz"
    garbage.write_bytes(b"not an archive at all" * 50)
    no_manifest = folder / "no-manifest.tar.gz"
    with tarfile.open(no_manifest, "w:gz") as archive:
        archive.addfile(tarfile.TarInfo("readme.txt"), io.BytesIO(b""))
    return {
        "no such file": folder / "missing.tar.gz",
        "not a readable backup archive": truncated,
        "not a readable backup archive ": garbage,
        "not a Blue Helmet backup": no_manifest,
        f"is a {other_engine} backup": archive_with(good, folder / "engine.tar.gz", {"engine": other_engine}),
        "core.9999_from_the_future": archive_with(
            good, folder / "newer.tar.gz", {"migrations": {"core": ["0001_initial", "9999_from_the_future"]}}
        ),
        "archive's database" if connection.vendor == "sqlite" else "pg_restore failed": archive_with(
            good, folder / "damaged.tar.gz", database=b"\x00" * 4096
        ),
    }


def test_bad_archives_exit_1_with_the_reason_and_change_nothing(good_archive, home, tmp_path, capsys):
    Mission.objects.filter(acronym="UNAMSIL").update(name="changed after the backup")
    before, uploads_before = every_table(), folder(home / "uploads")
    key = (home / "field_key").read_bytes() if (home / "field_key").exists() else None
    for reason, path in bad_archives(good_archive, tmp_path).items():
        with pytest.raises(SystemExit) as exit:
            execute_from_command_line(["bluehelmet", "restore", str(path), "--yes"])
        assert exit.value.code == 1, reason
        assert reason.strip() in capsys.readouterr().err, reason
        assert every_table() == before, reason
    assert folder(home / "uploads") == uploads_before
    assert ((home / "field_key").read_bytes() if (home / "field_key").exists() else None) == key
    assert not list(home.glob("restore-*"))  # the working folder is cleaned up


def test_restore_asks_first(good_archive, monkeypatch):
    Mission.objects.filter(acronym="UNAMSIL").update(name="changed after the backup")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(good_archive))
    assert Mission.objects.get().name == "changed after the backup"
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    call_command("restore", str(good_archive))
    assert Mission.objects.get().name == "United Nations Mission in Sierra Leone"


def test_missing_postgres_tools_are_named(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="pg_dump was not found on PATH.*postgresql-client"):
        pg_tool("pg_dump")
