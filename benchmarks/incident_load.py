"""Do field reports survive load? 50 concurrent reporters for 60 s against gunicorn + PostgreSQL.

    .venv/bin/python benchmarks/incident_load.py [--clients 50] [--seconds 60] [--read-seconds 20] [--workers 4]

Creates a PostgreSQL database of its own (bh_incident_load on 127.0.0.1:5432, dropped at the
end), migrates it, imports the shipped Sierra Leone boundaries, and sets up UNAMSIL with the
default taxonomy, an exercise buffer zone, one alert rule of each incident kind, and one
reporter account (API token) per client. It then starts gunicorn on 127.0.0.1 and runs, from
threads in this process:

1. the write load: every client files reports (POST /api/incidents/ with a fresh client id)
   for --seconds; one report in ten is deliberately sent twice (the answer must be the same
   record, HTTP 200), and one in twenty is sent and its connection dropped before the answer
   is read, then sent again (a field device on a bad link);
2. the peer figure, in the same run: the same clients reading a page of incidents
   (GET /api/incidents/?page_size=20) for --read-seconds.

Checks: every report acknowledged (201 or 200) is in the database exactly once, no row exists
for a client id twice, and the database holds exactly the reports sent: zero lost, zero
duplicated. Prints throughput and p50/p95 latency of both phases. Exits 1 on a failed check.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "bh_incident_load"
BOUNDARIES = ROOT / "src" / "bluehelmet" / "data" / "boundaries" / "sle_adm0_adm2_districts_geoboundaries_simplified.geojson"
HOST = "127.0.0.1"
TYPES = ["armed-clash", "attack-on-civilians", "ceasefire-violation", "demonstration-riot", "abduction", "explosive-hazard"]
RESEND_SHARE = 0.10
DROP_SHARE = 0.05
REQUEST_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")


def drop_database() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def set_up(clients: int) -> tuple[list[str], list[tuple[float, float]]]:
    """The mission, its rules and zone, one reporter token per client, and points inside
    Sierra Leone to report from."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token
    from shapely.geometry import Point, shape

    from bluehelmet.core.models import Membership, Mission, Place, Role
    from bluehelmet.importers.registry import run_import
    from bluehelmet.incidents.ceasefires import zone_geometry
    from bluehelmet.incidents.models import Agreement, AlertRule, MonitoredZone
    from bluehelmet.incidents.taxonomy import seed_types

    call_command("migrate", verbosity=0)
    run_import("boundaries", BOUNDARIES)
    country = Place.objects.get(kind=Place.Kind.COUNTRY, name="Sierra Leone")
    mission = Mission.objects.create(acronym="UNAMSIL", name="United Nations Mission in Sierra Leone", start=datetime(1999, 10, 22).date())
    mission.host_countries.add(country)
    seed_types(mission)
    agreement = Agreement.objects.create(mission=mission, name="Load test agreement (exercise)", effective_from=datetime(1999, 7, 7).date())
    box = {"type": "Polygon", "coordinates": [[[-12.3, 8.65], [-11.8, 8.65], [-11.8, 9.1], [-12.3, 9.1], [-12.3, 8.65]]]}
    MonitoredZone.objects.create(agreement=agreement, name="Load test exercise zone", **zone_geometry(box))
    AlertRule.objects.create(mission=mission, name="Cluster", kind=AlertRule.Kind.CLUSTER, min_count=3, radius_km=20, window_hours=48)
    AlertRule.objects.create(mission=mission, name="Zone", kind=AlertRule.Kind.ZONE)
    AlertRule.objects.create(mission=mission, name="Casualties", kind=AlertRule.Kind.CASUALTIES, casualty_threshold=5)
    tokens = []
    user_model = get_user_model()
    for i in range(clients):
        user = user_model.objects.create_user(f"reporter-{i}")
        Membership.objects.create(user=user, mission=mission, role=Role.REPORTER)
        tokens.append(Token.objects.create(user=user).key)
    outline = shape(country.geometry)
    rng = random.Random(7)
    points = []
    min_lon, min_lat, max_lon, max_lat = outline.bounds
    while len(points) < 2000:
        lat, lon = rng.uniform(min_lat, max_lat), rng.uniform(min_lon, max_lon)
        if outline.contains(Point(lon, lat)):
            points.append((round(lat, 5), round(lon, 5)))
    from django.db import connections

    connections.close_all()
    return tokens, points


def start_gunicorn(port: int, workers: int, env: dict) -> subprocess.Popen:
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "bluehelmet.wsgi:application", "--bind", f"{HOST}:{port}",
               "--workers", str(workers), "--timeout", "120", "--log-level", "warning"]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


class Client(threading.Thread):
    """One reporter: files reports (or reads) until the deadline, recording every answer."""

    def __init__(self, port, token, points, deadline, seed, mode):
        super().__init__(daemon=True)
        self.port, self.token, self.points, self.deadline, self.mode = port, token, points, deadline, mode
        self.rng = random.Random(seed)
        self.latencies: list[float] = []
        self.acked: dict[str, set[int]] = {}  # client id -> record ids answered
        self.sent: set[str] = set()
        self.errors: Counter = Counter()
        self.resends = self.drops = 0

    def request(self, method, path, body=None, read=True):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        headers = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            connection.request(method, path, body=payload, headers=headers)
            if not read:  # the link drops before the answer arrives
                return None, None
            response = connection.getresponse()
            data = response.read()
            self.latencies.append(time.perf_counter() - started)
            return response.status, data
        finally:
            connection.close()

    def report(self) -> dict:
        lat, lon = self.rng.choice(self.points)
        killed = self.rng.choice([0, 0, 0, 1, 2, 6])
        return {
            "mission": "UNAMSIL", "client_id": str(uuid.uuid4()), "type": self.rng.choice(TYPES),
            "occurred_at": (datetime.now(UTC) - timedelta(minutes=self.rng.randint(0, 2880))).isoformat(),
            "latitude": lat, "longitude": lon, "narrative": "Load test report (exercise data).",
            "casualties": [{"kind": "killed", "group": "civilian", "count": killed}] if killed else [],
            "sources": [{"kind": "witness", "reliability": "C", "credibility": 3, "identity": "load test"}],
        }

    def file(self, body, read=True):
        status, data = self.request("POST", "/api/incidents/", body, read=read)
        if status is None:
            return
        if status in (200, 201):
            self.acked.setdefault(body["client_id"], set()).add(json.loads(data)["id"])
        else:
            self.errors[status] += 1

    def run(self):
        for _ in range(100_000):  # bounded, whatever the deadline
            if time.monotonic() >= self.deadline:
                break
            try:
                if self.mode == "read":
                    status, _data = self.request("GET", "/api/incidents/?page_size=20")
                    if status != 200:
                        self.errors[status] += 1
                    continue
                body = self.report()
                self.sent.add(body["client_id"])
                roll = self.rng.random()
                if roll < DROP_SHARE:
                    self.drops += 1
                    self.file(body, read=False)
                    time.sleep(0.05)
                self.file(body)
                if DROP_SHARE <= roll < DROP_SHARE + RESEND_SHARE:
                    self.resends += 1
                    self.file(body)
            except (OSError, http.client.HTTPException) as exc:
                self.errors[type(exc).__name__] += 1


def run_phase(port, tokens, points, seconds, mode) -> tuple[list[Client], float]:
    deadline = time.monotonic() + seconds
    clients = [Client(port, token, points, deadline, seed=i, mode=mode) for i, token in enumerate(tokens)]
    started = time.perf_counter()
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=seconds + REQUEST_TIMEOUT + 30)
    return clients, time.perf_counter() - started


def summary(label: str, clients: list[Client], elapsed: float) -> str:
    latencies = sorted(x for c in clients for x in c.latencies)
    if not latencies:
        return f"{label:<44} no answers"
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000
    return f"{label:<44}{len(latencies):>9,}{len(latencies) / elapsed:>10.1f}{p50:>10.0f}{p95:>10.0f}"


def check(clients: list[Client]) -> bool:
    from django.db.models import Count

    from bluehelmet.incidents.models import Incident

    acked = {}
    for client in clients:
        for client_id, ids in client.acked.items():
            acked.setdefault(client_id, set()).update(ids)
    sent = set().union(*(c.sent for c in clients))
    stored = dict(Incident.objects.values_list("client_id", "id"))
    stored = {str(k): v for k, v in stored.items()}
    per_id = Incident.objects.values("client_id").annotate(n=Count("id")).filter(n__gt=1).count()
    inconsistent = [cid for cid, ids in acked.items() if len(ids) != 1]
    lost = [cid for cid, ids in acked.items() if stored.get(cid) not in ids]
    unexpected = set(stored) - sent
    never_acked = sent - set(acked)
    print(f"\nreports sent (distinct client ids): {len(sent):,}; acknowledged: {len(acked):,}; rows in the database: {len(stored):,}")
    print(f"deliberate re-sends: {sum(c.resends for c in clients):,}; dropped connections then re-sent: {sum(c.drops for c in clients):,}")
    errors = sum((c.errors for c in clients), Counter())
    print(f"error answers: {dict(errors) or 'none'}; sent but never acknowledged: {len(never_acked)}")
    checks = {
        "acknowledged reports missing from the database (lost)": len(lost),
        "client ids stored more than once (duplicated)": per_id,
        "client ids answered with different records": len(inconsistent),
        "rows for reports nobody sent": len(unexpected),
        "rows beyond the reports sent": max(0, len(stored) - len(sent)),
    }
    for label, count in checks.items():
        print(f"  {label}: {count}")
    return not any(checks.values()) and not never_acked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--read-seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="bh-incident-load-"))
    env = {**os.environ, "BLUEHELMET_HOME": str(home), "DATABASE_URL": f"{SERVER}/{DATABASE}", "BLUEHELMET_SECRET_KEY": "load-test-" + uuid.uuid4().hex,
           "DJANGO_SETTINGS_MODULE": "bluehelmet.settings", "BLUEHELMET_JOBS_SYNC": "1", "BLUEHELMET_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    env.pop("CELERY_BROKER_URL", None)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    recreate_database()
    server = None
    try:
        tokens, points = set_up(args.clients)
        port = free_port()
        server = start_gunicorn(port, args.workers, env)
        print(f"gunicorn: {args.workers} sync workers on {HOST}:{port}; PostgreSQL database {DATABASE}; {args.clients} clients")
        writers, write_seconds = run_phase(port, tokens, points, args.seconds, "write")
        readers, read_seconds = run_phase(port, tokens, points, args.read_seconds, "read")
        print(f"\n{'':<44}{'answers':>9}{'per s':>10}{'p50 ms':>10}{'p95 ms':>10}")
        print(summary("file a report (POST /api/incidents/)", writers, write_seconds))
        print(summary("peer: read 20 incidents (GET, same server)", readers, read_seconds))
        ok = check(writers)
        print("PASS: zero lost, zero duplicated" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        drop_database()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
