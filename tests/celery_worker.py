"""A real Celery worker fed through a real Redis broker, for the tests that need one: the
worker and the commands are separate processes sharing one SQLite file in the test's own
home, as in a small deployment.

They run where a Redis server answers on 127.0.0.1:6379 (as on CI), and once, in the SQLite
pass: whatever DATABASE_URL says, the processes use their own SQLite file, so the
PostgreSQL pass of scripts/test.sh would run the same thing again."""

import contextlib
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


NEEDS_REDIS_ONCE = [
    pytest.mark.skipif(not redis_answers(), reason="no Redis server on 127.0.0.1:6379"),
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")), reason="runs on its own SQLite file: once, in the SQLite pass"
    ),
]


def shell(env, code: str) -> str:
    """What `bluehelmet shell -c code` prints, run in the worker's environment."""
    done = subprocess.run(
        [BIN / "bluehelmet", "shell", "--no-imports", "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@contextlib.contextmanager
def running_worker(home: Path):
    """A migrated SQLite database in `home` and a Celery worker on a queue of its own (no
    other worker takes its jobs); yields the environment for `shell`. The worker must end
    without a traceback."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BLUEHELMET_JOBS_SYNC")}
    env.update(
        BLUEHELMET_HOME=str(home),
        CELERY_BROKER_URL="redis://127.0.0.1:6379/15",
        BLUEHELMET_CELERY_QUEUE=f"test-{uuid.uuid4().hex}",
    )
    subprocess.run([BIN / "bluehelmet", "migrate", "-v0"], env=env, check=True, timeout=120)
    worker = subprocess.Popen(
        [BIN / "celery", "-A", "bluehelmet", "worker", "--pool=solo", "--loglevel=WARNING"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield env
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert "Traceback" not in output, output
