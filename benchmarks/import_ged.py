"""How fast does a full UCDP GED download import, next to the database's own bulk load?
Target: within 3x of the floor (issue 16), on SQLite; the same ratio reported on PostgreSQL.

    .venv/bin/python benchmarks/import_ged.py [--rows N] [--postgres URL | --no-postgres] [--keep]

Builds a GED CSV of N rows (default 300,000) by resampling the real Central African
Republic rows with fresh unique ids, then for each database, in a child process of its own
(Django is set up once per process), migrates a fresh database and times, in the same run:
- the floor: the file parsed by the csv module and loaded into a bare table of the same 48
  text columns, in one transaction: sqlite3 executemany on SQLite, psycopg COPY on
  PostgreSQL;
- the import through run_import (the code behind `bluehelmet import ged`), every guarantee
  on: each value checked (row and column errors), all-or-nothing, actors, countries and
  admin areas matched, counts of created / updated / unchanged;
- the same file again (nothing changes), and the file with every 100th row changed.
PostgreSQL: --postgres names a server (default $DATABASE_URL when it is one, else
postgres://postgres@127.0.0.1:5432/postgres); the benchmark creates a scratch database on it
and drops it at the end. No server answering: that part is skipped with a message.
Times are wall-clock seconds; "cpu" is this process's own CPU time (the database server's
is not in it on PostgreSQL), steadier than the wall clock on a busy machine.

Where the time went (cProfile, 30,000 rows, SQLite; the 300,000-row figures scale with it):
before (30.7 s for 300,000 rows, 7.5x the floor's 4.1 s)
- each row was parsed twice, once to check the file and once to write it: about 62% of
  the time in GedImporter.parse and the Row converters (1.5 million Row.int calls and
  1.1 million Row.text calls per 30,000 rows, each a method call with a strip, a null test
  and a range check, plus 2.9 million Row.raw lookups by column name);
- 9% in the INSERT executemany and 25% in building its rows (insert_rows) and the batches;
- again (unchanged): the same two parses, plus fetching every stored row back with
  values() and comparing 53 fields per row in Python (0.3 s per 30,000 rows).
after
- one reading of the file inside the transaction (Importer.single_pass); a well-formed row
  is converted by list comprehensions over column positions (GedImporter._parse_fast) and
  only a doubtful row goes through the value-by-value checks that name row and column;
- rows written by importers.base.KeyedWriter: on SQLite, per batch of 5,000, one query for
  which ids exist, an INSERT executemany of the new rows and an UPDATE ... WHERE (stored
  values) IS NOT (file's values) of the others, so the comparison runs in the database (an
  INSERT ... ON CONFLICT DO UPDATE cost twice as much with SQLite's foreign key checks);
  on PostgreSQL, COPY into a temporary table, then one UPDATE ... FROM of the rows that
  differ and one INSERT ... SELECT of the new ones (ON CONFLICT DO UPDATE locked, so wrote,
  every existing row even when unchanged);
- the CSV read by the io module once the file is known to be UTF-8 (a line-by-line decode
  only when it is not, to name the row of the bad byte).
- a first load (empty table) drops the table's secondary indexes and builds them once at
  the end, in the same transaction (KeyedWriter): 17.7 s -> 11.8 s on SQLite, 2.69x the floor.
What remained before that (SQLite, first import, CPU seconds per 300,000 rows): about 8 s in
SQLite inserting into the event table and its 11 indexes (half of it the indexes: the same
rows into the table without them took half the time; the floor's bare table has none), about
5 s reading and checking (1.2 s of it the csv module itself, 3.3 s the fast check and the
actor, country and PRIO-GRID steps), about 1.5 s building the batches. Again (unchanged):
the same reading, and the UPDATE's index lookup and comparison per row. On PostgreSQL most
of the wall time is the server's: the INSERT ... SELECT into the table and its indexes.
"""

import argparse
import csv
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "bluehelmet" / "data" / "ucdp" / "ged231_events_central_african_republic.csv"
TARGET_RATIO = 3.0
CHANGE_EVERY = 100  # the "changed" file alters one row in this many


def build_file(path: Path, rows: int, seed: int = 1) -> None:
    with open(SOURCE, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        sample = list(reader)
    id_column = header.index("id")
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for new_id in range(1, rows + 1):
            row = list(rng.choice(sample))
            row[id_column] = str(new_id)
            writer.writerow(row)


def build_changed_file(path: Path, changed: Path) -> int:
    """The file with `best` (and `high`) raised by one on every CHANGE_EVERY-th row."""
    count = 0
    with open(path, newline="", encoding="utf-8") as f, open(changed, "w", newline="", encoding="utf-8") as out:
        reader = csv.reader(f)
        writer = csv.writer(out)
        header = next(reader)
        writer.writerow(header)
        best, high = header.index("best"), header.index("high")
        for number, row in enumerate(reader):
            if number % CHANGE_EVERY == 0:
                row[best] = str(int(row[best]) + 1)
                row[high] = str(max(int(row[high]), int(row[best])))
                count += 1
            writer.writerow(row)
    return count


class Clock:
    """Wall and CPU seconds of a block."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def time_csv_parse(path: Path) -> Clock:
    with Clock() as clock, open(path, newline="", encoding="utf-8") as f:
        for _row in csv.reader(f):
            pass
    return clock


def sqlite_floor(path: Path, database: Path) -> Clock:
    """Parse with csv and executemany into a bare 48-column table, one transaction, with the
    same journal settings as the project's SQLite."""
    with Clock() as clock:
        connection = sqlite3.connect(database)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader)
            columns = ", ".join(f'"{name}"' for name in header)
            connection.execute(f"CREATE TABLE events ({columns})")
            marks = ", ".join("?" * len(header))
            with connection:
                connection.executemany(f"INSERT INTO events VALUES ({marks})", reader)
        connection.close()
    return clock


def postgres_floor(path: Path, url: str) -> Clock:
    """Parse with csv and COPY (psycopg's copy, row by row) into a bare table of the same 48
    text columns, one transaction."""
    import psycopg

    with Clock() as clock:
        with psycopg.connect(url) as connection, open(path, newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader)
            columns = ", ".join(f'"{name}" text' for name in header)
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE TABLE floor_events ({columns})")
                with cursor.copy("COPY floor_events FROM STDIN") as copy:
                    for row in reader:
                        copy.write_row(row)
    return clock


# -- one database, in a child process ---------------------------------------------------------


def measure(backend: str, path: Path, changed_path: Path, changed_rows: int, rows: int, url: str) -> dict:
    """Set up Django on this backend, migrate, and time the floor and the imports."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bluehelmet.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from bluehelmet.datasets.models import ConflictEvent
    from bluehelmet.importers.registry import run_import

    call_command("migrate", verbosity=0)
    if backend == "sqlite":
        floor = sqlite_floor(path, Path(os.environ["BLUEHELMET_HOME"]) / "floor.sqlite3")
    else:
        floor = postgres_floor(path, url)

    last = {"percent": -10}

    def progress(done, total):
        percent = 100 * done // max(total, 1)
        if percent >= last["percent"] + 20:
            last["percent"] = percent
            print(f"  {backend}: {percent:3d}% {done:,}/{total:,}", file=sys.stderr)

    with Clock() as first:
        summary = run_import("ged", path, progress=progress)
    assert summary.created == rows == ConflictEvent.objects.count(), summary
    with Clock() as again:
        unchanged = run_import("ged", path)
    assert (unchanged.created, unchanged.updated, unchanged.unchanged) == (0, 0, rows), unchanged
    with Clock() as changed:
        updated = run_import("ged", changed_path)
    assert (updated.created, updated.updated) == (0, changed_rows), updated
    return {
        "floor": [floor.wall, floor.cpu],
        "first": [first.wall, first.cpu],
        "again": [again.wall, again.cpu],
        "changed": [changed.wall, changed.cpu],
    }


def child(args) -> int:
    if args.child == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        url = ""
    else:
        url = args.postgres
        os.environ["DATABASE_URL"] = url
    result = measure(args.child, Path(args.file), Path(args.changed_file), args.changed_rows, args.rows, url)
    print("RESULT " + json.dumps(result))
    return 0


def run_child(backend: str, args, home: Path, path: Path, changed: Path, changed_rows: int, url: str = "") -> dict:
    backend_home = home / backend
    backend_home.mkdir()
    env = {**os.environ, "BLUEHELMET_HOME": str(backend_home)}
    command = [sys.executable, __file__, "--child", backend, "--rows", str(args.rows), "--file", str(path)]
    command += ["--changed-file", str(changed), "--changed-rows", str(changed_rows), "--postgres", url]
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def postgres_scratch(url: str) -> tuple[str, str] | str:
    """(the server's URL, a fresh database's URL) or why there is none."""
    try:
        import psycopg
        from psycopg import conninfo
    except ImportError:
        return "psycopg is not installed"
    name = f"bh_bench_ged_{os.getpid()}"
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        return f"no PostgreSQL server answers at {url} ({str(exc).strip().splitlines()[0]})"
    params = conninfo.conninfo_to_dict(url)
    params["dbname"] = name
    user = params.get("user", "")
    password = f":{params['password']}" if params.get("password") else ""
    host, port = params.get("host", "127.0.0.1"), params.get("port", "5432")
    return url, f"postgres://{user}{password}@{host}:{port}/{name}"


def drop_scratch(server: str, scratch: str) -> None:
    import psycopg

    name = scratch.rsplit("/", 1)[1]
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def report(backend: str, rows: int, parse_seconds: float, result: dict, changed_rows: int) -> bool:
    floor_name = "raw sqlite3 executemany (floor)" if backend == "sqlite" else "psycopg COPY (floor)"
    lines = [
        ("csv module parse only (peer)", [parse_seconds, None]),
        (floor_name, result["floor"]),
        ("bluehelmet import ged (first time)", result["first"]),
        ("again, unchanged", result["again"]),
        (f"again, {changed_rows:,} rows changed", result["changed"]),
    ]
    print(f"\n{backend} ({rows:,} rows){'seconds':>{56 - len(backend) - len(f'{rows:,}') - 8}}{'cpu':>8}{'rows/s':>11}")
    for name, (wall, cpu) in lines:
        cpu_text = f"{cpu:>8.1f}" if cpu is not None else f"{'':>8}"
        print(f"  {name:<44}{wall:>10.1f}{cpu_text}{rows / wall:>11,.0f}")
    ratio = result["first"][0] / result["floor"][0]
    passed = ratio <= TARGET_RATIO
    print(
        f"  {'PASS' if passed else 'FAIL'}: import / floor = {ratio:.2f}x (target {TARGET_RATIO:.0f}x); "
        f"again / floor = {result['again'][0] / result['floor'][0]:.2f}x"
    )
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    url = os.environ.get("DATABASE_URL", "")
    parser.add_argument(
        "--postgres",
        default=url if url.startswith("postgres") else "postgres://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server (a scratch database is created on it)",
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--changed-file", help=argparse.SUPPRESS)
    parser.add_argument("--changed-rows", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    home = Path(tempfile.mkdtemp(prefix="bh-bench-ged-"))
    path, changed = home / f"ged_{args.rows}.csv", home / f"ged_{args.rows}_changed.csv"
    started = time.perf_counter()
    build_file(path, args.rows)
    changed_rows = build_changed_file(path, changed)
    size = path.stat().st_size / 1e6
    print(f"built {path.name}: {args.rows:,} rows, {size:.0f} MB in {time.perf_counter() - started:.1f} s")
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    parse_seconds = time_csv_parse(path).wall

    verdicts = [
        report(
            "sqlite",
            args.rows,
            parse_seconds,
            run_child("sqlite", args, home, path, changed, changed_rows),
            changed_rows,
        )
    ]
    if args.no_postgres:
        print("\npostgresql: skipped (--no-postgres)")
    else:
        scratch = postgres_scratch(args.postgres)
        if isinstance(scratch, str):
            print(f"\npostgresql: skipped: {scratch}")
        else:
            server, database = scratch
            try:
                result = run_child("postgres", args, home, path, changed, changed_rows, database)
            finally:
                drop_scratch(server, database)
            verdicts.append(report("postgresql", args.rows, parse_seconds, result, changed_rows))
    print(f"\nload average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.keep:
        print(f"kept {home}")
    else:
        shutil.rmtree(home, ignore_errors=True)
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
