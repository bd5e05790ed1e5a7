"""How fast does a full UCDP GED download import? Target: 300,000 rows in under 120 s on SQLite.

    .venv/bin/python benchmarks/import_ged.py [--rows N] [--keep]

Builds a GED CSV of N rows (default 300,000) by resampling the real Central African
Republic rows with fresh unique ids, migrates a fresh SQLite database in a temporary
BLUEHELMET_HOME, and imports the file through run_import (the code behind
`bluehelmet import ged`). For comparison, in the same run: a plain `csv` parse of the
file, and the floor, a raw sqlite3 executemany of the same rows into a bare table.
"""

import argparse
import csv
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "bluehelmet" / "data" / "ucdp" / "ged231_events_central_african_republic.csv"
TARGET_SECONDS = 120


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


def time_csv_parse(path: Path) -> float:
    started = time.perf_counter()
    with open(path, newline="", encoding="utf-8") as f:
        for _row in csv.reader(f):
            pass
    return time.perf_counter() - started


def time_raw_insert(path: Path, database: Path) -> float:
    """Parse with csv and executemany into a bare 48-column table, one transaction, with the
    same journal settings as the project's SQLite."""
    started = time.perf_counter()
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
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="bh-bench-ged-"))
    os.environ["BLUEHELMET_HOME"] = str(home)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bluehelmet.settings")
    sys.path.insert(0, str(ROOT / "src"))

    import django

    django.setup()
    from django.core.management import call_command

    from bluehelmet.datasets.models import ConflictEvent
    from bluehelmet.importers.registry import run_import

    path = home / f"ged_{args.rows}.csv"
    started = time.perf_counter()
    build_file(path, args.rows)
    print(
        f"built {path.name}: {args.rows:,} rows, {path.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - started:.1f} s"
    )
    call_command("migrate", verbosity=0)

    parse_seconds = time_csv_parse(path)
    floor_seconds = time_raw_insert(path, home / "floor.sqlite3")

    last = {"percent": -10}

    def progress(done, total):
        percent = 100 * done // max(total, 1)
        if percent >= last["percent"] + 10:
            last["percent"] = percent
            print(f"  {percent:3d}% {done:,}/{total:,}", file=sys.stderr)

    started = time.perf_counter()
    summary = run_import("ged", path, progress=progress)
    seconds = time.perf_counter() - started
    assert summary.created == args.rows == ConflictEvent.objects.count(), summary

    started = time.perf_counter()
    again = run_import("ged", path)
    again_seconds = time.perf_counter() - started
    assert (again.created, again.updated, again.unchanged) == (0, 0, args.rows), again

    target = TARGET_SECONDS * args.rows / 300_000
    print()
    print(f"{'':<40}{'seconds':>10}{'rows/s':>12}")
    print(f"{'csv module parse only (peer)':<40}{parse_seconds:>10.1f}{args.rows / parse_seconds:>12,.0f}")
    print(f"{'raw sqlite3 executemany (floor)':<40}{floor_seconds:>10.1f}{args.rows / floor_seconds:>12,.0f}")
    print(f"{'bluehelmet import ged (first time)':<40}{seconds:>10.1f}{args.rows / seconds:>12,.0f}")
    print(f"{'bluehelmet import ged (again, unchanged)':<40}{again_seconds:>10.1f}{args.rows / again_seconds:>12,.0f}")
    print(f"\nimport / floor: {seconds / floor_seconds:.1f}x")
    verdict = "PASS" if seconds < target else "FAIL"
    print(f"{verdict}: {seconds:.1f} s for {args.rows:,} rows against a target of {target:.0f} s")
    if args.keep:
        print(f"kept {home}")
    else:
        import shutil

        shutil.rmtree(home, ignore_errors=True)
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
