"""Settings refuse values that make no sense, and importing them writes nothing to disk."""

import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from bluehelmet.core import env


def _import_settings(tmp_path, **variables):
    """Import the settings module in a fresh interpreter with only these BLUEHELMET_ variables."""
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "user"), **variables}
    environment.setdefault("BLUEHELMET_HOME", str(tmp_path / "home"))
    return subprocess.run(
        [sys.executable, "-c", "import bluehelmet.settings as s; print(s.BLUEHELMET_JOB_TIMEOUT)"],
        env={**environment, "PYTHONPATH": ":".join(sys.path)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_importing_settings_writes_nothing(tmp_path):
    done = _import_settings(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "10800"
    assert not (tmp_path / "home").exists() and not (tmp_path / "user").exists()


def test_a_bad_value_stops_the_start_naming_the_variable(tmp_path):
    done = _import_settings(tmp_path, BLUEHELMET_JOB_TIMEOUT="3h")
    assert done.returncode != 0
    assert "BLUEHELMET_JOB_TIMEOUT='3h': expected a whole number" in done.stderr


@pytest.mark.parametrize(
    ("helper", "value", "message"),
    [
        (lambda: env.flag("BH_TEST"), "yes please", "expected 1 or 0"),
        (lambda: env.integer("BH_TEST", 5, minimum=1), "0", "at least 1"),
        (lambda: env.integer("BH_TEST", 5, maximum=10), "11", "at most 10"),
        (lambda: env.day_counts("BH_TEST", {"incident_sources": 730}), "incident_source=10", "category=days"),
        (lambda: env.day_counts("BH_TEST", {"incident_sources": 730}), "incident_sources=ten", "whole number of days"),
    ],
)
def test_helpers_refuse(monkeypatch, helper, value, message):
    monkeypatch.setenv("BH_TEST", value)
    with pytest.raises(ImproperlyConfigured, match=message):
        helper()


def test_helpers_read_good_values(monkeypatch):
    monkeypatch.setenv("BH_TEST", " On ")
    assert env.flag("BH_TEST") is True
    monkeypatch.setenv("BH_TEST", "incident_sources=0, ddr_participants=90")
    assert env.day_counts("BH_TEST", {"incident_sources": 730, "ddr_participants": 1825, "x": 1}) == {
        "incident_sources": 0,
        "ddr_participants": 90,
        "x": 1,
    }
    monkeypatch.delenv("BH_TEST")
    assert env.integer("BH_TEST", 7) == 7 and env.words("BH_TEST", "a, ,b") == ["a", "b"]


def test_the_secret_key_is_generated_once_on_first_use(tmp_path, monkeypatch):
    monkeypatch.delenv("BLUEHELMET_SECRET_KEY", raising=False)
    first = env.secret_key(tmp_path / "new")
    assert len(first) > 40 and env.secret_key(tmp_path / "new") == first
    assert (tmp_path / "new" / "secret_key").stat().st_mode & 0o077 == 0
