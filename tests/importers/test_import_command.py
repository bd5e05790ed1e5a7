"""`bluehelmet import`: the summary, --json, the errors and the exit status."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from bluehelmet.cli import main
from bluehelmet.datasets.models import ConflictMonth
from bluehelmet.importers.registry import REGISTRY

from .conftest import CONFLICT_MONTHS, GED, read_rows, set_cell, write_csv

pytestmark = pytest.mark.django_db


def test_json_summary(capsys):
    call_command("import_data", "conflict-months", str(CONFLICT_MONTHS), "--json")
    summary = json.loads(capsys.readouterr().out)
    assert summary["ok"] is True
    assert (summary["kind"], summary["rows"], summary["created"], summary["unchanged"]) == (
        "conflict-months",
        144,
        144,
        0,
    )
    call_command("import_data", "conflict-months", str(CONFLICT_MONTHS), "--json")
    again = json.loads(capsys.readouterr().out)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 144)


def test_human_summary_and_progress(capsys):
    call_command("import_data", "ged", str(GED))
    out, err = capsys.readouterr()
    assert "created 1,848, updated 0, unchanged 0" in out
    assert "100%" in err


def test_errors_as_json_and_status_1(tmp_path, capsys):
    header, data = read_rows(CONFLICT_MONTHS)
    data[-1] = set_cell(header, data[-1], "mon", "13")
    path = write_csv(tmp_path / "cm.csv", header, data)
    with pytest.raises(CommandError) as failed:
        call_command("import_data", "conflict-months", str(path), "--json")
    assert failed.value.returncode == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["error_count"] == 1
    assert report["errors"][0] == {"row": 145, "column": "mon", "value": "13", "message": "out of range (1 to 12)"}
    assert ConflictMonth.objects.count() == 0


def test_errors_as_a_table_and_exit_status_1(tmp_path):
    """The real console command, in its own process (it closes the database when done)."""
    header, data = read_rows(CONFLICT_MONTHS)
    data[0] = set_cell(header, data[0], "osvAll", "n/a")
    path = write_csv(tmp_path / "cm.csv", header, data)
    env = {**os.environ, "BLUEHELMET_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-m", "bluehelmet", "import", "conflict-months", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    assert "row  column" in done.stderr and "osvAll" in done.stderr and "n/a" in done.stderr
    assert "not a number" in done.stderr and "nothing was changed" in done.stderr


def test_help_lists_the_kinds(capsys):
    with pytest.raises(SystemExit):
        main(["bluehelmet", "import", "--help"])
    out = capsys.readouterr().out
    assert all(kind in out for kind in REGISTRY)


def test_option_a_kind_does_not_take():
    with pytest.raises(CommandError, match="does not take --mission"):
        call_command("import_data", "ged", str(GED), "--mission", "UNAMSIL")
