"""Backup and restore of a whole installation: the database, the uploads and the field key.

An archive is one .tar.gz:

    manifest.json       engine, applied migrations per app, created at, Blue Helmet version
    database.sqlite3    SQLite: a consistent copy made with SQLite's online backup API
    database.pgdump     PostgreSQL: `pg_dump --format=custom` (one consistent snapshot)
    uploads/...         settings.MEDIA_ROOT
    field_key           BLUEHELMET_HOME/field_key, when the installation has one

The field key decrypts the personal data in the database, so the archive must be kept as
securely as the database itself.

Restore checks everything before it changes anything (the archive reads through, the engine
matches, no migration is newer than the code, the database snapshot is readable), then
replaces the database, the uploads and the field key.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from bluehelmet.core.crypto import KEY_FILE, encrypted_fields
from bluehelmet.version import __version__

FORMAT = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass
class Unpacked:
    """An archive extracted into a working folder and checked, ready to restore."""

    manifest: dict
    database: Path
    uploads: Path
    field_key: Path | None
    tables: set[str] | None = None  # PostgreSQL: the tables in the dump


def _connection(alias="default"):
    connection = connections[alias]
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"backup supports SQLite and PostgreSQL, not {connection.vendor}")
    return connection


def applied_migrations(connection) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def default_archive_name(now: datetime.datetime | None = None) -> str:
    now = now or datetime.datetime.now(datetime.UTC)
    return f"bluehelmet-backup-{now:%Y%m%d-%H%M%S}.tar.gz"


# --- PostgreSQL client tools ---------------------------------------------------------------


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} was not found on PATH: install the PostgreSQL client tools of the server's "
            f"version (Debian: apt-get install postgresql-client) and try again"
        )
    return path


def _pg_environment(settings_dict: dict) -> dict[str, str]:
    """libpq variables from the Django settings, so no password appears on a command line."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for variable, key in (("PGSSLMODE", "sslmode"), ("PGSSLROOTCERT", "sslrootcert")):
        if options.get(key):
            env[variable] = str(options[key])
    return env


def _run_pg(command: list[str], settings_dict: dict) -> str:
    done = subprocess.run(command, env=_pg_environment(settings_dict), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def pgdump_tables(snapshot: Path, settings_dict: dict) -> set[str]:
    """The tables in a custom-format dump (reading its table of contents checks the dump)."""
    tables = set()
    # Lines like "215; 1259 16390 TABLE public core_mission postgres" (not "TABLE DATA").
    for line in _run_pg([pg_tool("pg_restore"), "--list", str(snapshot)], settings_dict).splitlines():
        parts = line.split()
        if not line.startswith(";") and len(parts) > 5 and parts[3] == "TABLE" and parts[4] != "DATA":
            tables.add(parts[5])
    return tables


# --- Backup --------------------------------------------------------------------------------


def snapshot_database(connection, target: Path) -> None:
    """A consistent copy of the live database in `target`, with the engine's own mechanism."""
    if connection.vendor == "sqlite":
        source = sqlite3.connect(connection.settings_dict["NAME"], timeout=30)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        except sqlite3.Error as error:
            raise BackupError(f"the database could not be copied: {error}") from None
        finally:
            destination.close()
            source.close()
    else:
        _run_pg([pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}"], connection.settings_dict)


def create_backup(output: str | Path | None = None, *, alias: str = "default") -> tuple[Path, dict]:
    """Write an archive of the database, the uploads and the field key; returns its path and
    manifest. The archive is written beside its final name and renamed when complete."""
    connection = _connection(alias)
    if not output:
        output = Path.cwd() / default_archive_name()
    elif Path(output).is_dir() or str(output).endswith(os.sep):
        output = Path(output) / default_archive_name()
    output = Path(output)
    key_file = Path(settings.HOME) / KEY_FILE
    manifest = {
        "format": FORMAT,
        "engine": connection.vendor,
        "migrations": applied_migrations(connection),
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "bluehelmet_version": __version__,
        "field_key": key_file.exists(),
    }
    partial = output.with_name(output.name + ".partial")
    snapshot = output.with_name(output.name + ".db.partial")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        snapshot_database(connection, snapshot)
        # The archive holds a secret (the field key): readable by its owner only.
        with (
            os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as raw,
            tarfile.open(fileobj=raw, mode="w:gz") as archive,
        ):
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(datetime.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(snapshot, arcname=DATABASE_FILES[connection.vendor])
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, arcname=UPLOADS)
            if key_file.exists():
                archive.add(key_file, arcname=KEY_FILE)
        partial.replace(output)
    except OSError as error:
        raise BackupError(f"the archive could not be written: {error}") from None
    finally:
        snapshot.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
    return output, manifest


# --- Restore -------------------------------------------------------------------------------


def _check_manifest(manifest: dict, connection) -> None:
    if (
        not isinstance(manifest, dict)
        or manifest.get("engine") not in DATABASE_FILES
        or not isinstance(manifest.get("migrations"), dict)
    ):
        raise BackupError("the archive's manifest is not a Blue Helmet backup manifest")
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"the archive is in backup format {manifest.get('format')!r}; this version reads format {FORMAT}"
        )
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"the archive is a {manifest['engine']} backup and this installation uses {connection.vendor}: "
            f"restore it into a {manifest['engine']} installation"
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    newer = [
        f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names if (app, name) not in known
    ]
    if newer:
        raise BackupError(
            "the archive was made by a newer version of Blue Helmet (migrations this code does not have: "
            f"{', '.join(newer[:5])}{' ...' if len(newer) > 5 else ''}): upgrade Blue Helmet first"
        )


def _check_sqlite_snapshot(database: Path) -> None:
    try:
        db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            result = db.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            db.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"the archive's database is not readable: {error}") from None
    if result != "ok":
        raise BackupError(f"the archive's database is damaged: {result}")


def unpack_backup(path: str | Path, workdir: str | Path, *, alias: str = "default") -> Unpacked:
    """Extract and check an archive; raises BackupError and changes nothing when it is not
    one this installation can restore."""
    path, workdir = Path(path), Path(workdir)
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
    connection = _connection(alias)
    try:
        with tarfile.open(path, mode="r:gz") as archive:
            # The "data" filter refuses absolute paths, links out of the folder and devices.
            archive.extractall(workdir, filter="data")
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise BackupError(f"{path} is not a readable backup archive: {error}") from None
    try:
        manifest = json.loads((workdir / MANIFEST).read_text())
    except (OSError, ValueError):
        raise BackupError(f"{path} has no readable {MANIFEST}: not a Blue Helmet backup") from None
    _check_manifest(manifest, connection)
    database = workdir / DATABASE_FILES[manifest["engine"]]
    if not database.is_file():
        raise BackupError(f"{path} holds no database snapshot ({database.name})")
    tables = None
    if manifest["engine"] == "sqlite":
        _check_sqlite_snapshot(database)
    else:
        tables = pgdump_tables(database, connection.settings_dict)
        if "django_migrations" not in tables:
            raise BackupError(f"{path}: the dump holds no django_migrations table: not a Blue Helmet database")
    key = workdir / KEY_FILE
    return Unpacked(manifest, database, workdir / UPLOADS, key if key.is_file() else None, tables)


def _restore_sqlite(connection, snapshot: Path) -> None:
    # The backup API in reverse: the live file takes the snapshot's pages under SQLite's own
    # locking, so other connections see the old or the new database, never a mix.
    source = sqlite3.connect(f"file:{snapshot}?mode=ro", uri=True)
    destination = sqlite3.connect(connection.settings_dict["NAME"], timeout=30)
    try:
        source.backup(destination)
    except sqlite3.Error as error:
        raise BackupError(f"the database could not be replaced (nothing was changed): {error}") from None
    finally:
        destination.close()
        source.close()


def _restore_postgresql(connection, snapshot: Path, tables_in_archive: set[str]) -> None:
    # One transaction: a restore that fails part-way leaves the database as it was.
    _run_pg(
        [
            pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(snapshot),
        ],
        connection.settings_dict,
    )
    # Tables of migrations applied here but not in the archive would stop a later `migrate`.
    with connection.cursor() as cursor:
        for table in sorted(set(connection.introspection.table_names(cursor)) - tables_in_archive):
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")


def holds_encrypted_data() -> bool:
    return any(model._base_manager.exists() for model in apps.get_models() if encrypted_fields(model))


def _replace_folder(target: Path, replacement: Path) -> None:
    """Swap a folder for another by renames, so a failure leaves the old one in place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(target.name + ".restoring")
    old = target.with_name(target.name + ".before-restore")
    shutil.rmtree(staged, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    if replacement.is_dir():
        shutil.copytree(replacement, staged)
    else:
        staged.mkdir()
    if target.exists():
        target.rename(old)
    staged.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def restore_backup(unpacked: Unpacked, *, alias: str = "default") -> None:
    """Replace the database, the uploads and the field key with the archive's."""
    connection = _connection(alias)
    connection.close()  # no open transaction or cached schema across the swap
    if unpacked.manifest["engine"] == "sqlite":
        _restore_sqlite(connection, unpacked.database)
    else:
        _restore_postgresql(connection, unpacked.database, unpacked.tables or set())
    connection.close()
    _replace_folder(Path(settings.MEDIA_ROOT), unpacked.uploads)
    if unpacked.field_key:
        key_file = Path(settings.HOME) / KEY_FILE
        staged = key_file.with_name(KEY_FILE + ".restoring")
        staged.write_bytes(unpacked.field_key.read_bytes())
        staged.chmod(0o600)
        staged.replace(key_file)
