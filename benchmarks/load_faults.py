"""Does the platform hold under a crowd, a dead job worker and a database restart?

    .venv/bin/python benchmarks/load_faults.py [--reporters 150] [--analysts 50] [--users N] [--seconds 90]
        [--fault-seconds 60] [--floor-seconds 90] [--phases steady,worker,postgres] [--workers 4]
        [--threads 2] [--job-every 20] [--pg-down 3] [--no-floor] [--no-profile]
    .venv/bin/python benchmarks/load_faults.py --find-capacity [--users 200] [--capacity-step 1.25]
        [--capacity-seconds 60] [--max-users 1200]

On loopback it creates a PostgreSQL database of its own (bh_load on 127.0.0.1:5432, dropped at
the end), migrates it, imports the shipped Sierra Leone boundaries, the UN mission list and the
Geo-PKO location-month file, and sets up UNAMSIL with the default taxonomy, an exercise buffer
zone, one alert rule of each incident kind, reporter accounts (API tokens, as the field app
holds) and analyst accounts (who log in through the login form: real sessions). It then starts
gunicorn (several workers) and a Celery worker fed through Redis (127.0.0.1:6379), and runs the
users from one asyncio loop (httpx), each waiting 5-15 s (--think) between two actions:

- reporters (default 150) file reports (POST /api/incidents/ with a client id, as the offline
  queue does; one in ten is deliberately sent twice, one in twenty has its answer cut off and
  is sent again) or read the latest incidents (GET /api/incidents/?page_size=20);
- analysts (default 50) read the live feed, the incident map data, the incidents dashboard and
  the mission overview (pages, with their session);
- the mission's administrator (logged in with a second factor) uploads the mission's Geo-PKO
  rows every --job-every seconds (a background import job of 666 rows on the Celery worker;
  an upload may change only the missions its uploader administers).

A report answered 503 (or not answered at all) is sent again with the same client id after the
Retry-After delay, as the offline queue does. Phases, one after the other, each with its figures
(throughput, p50/p95/p99 latency per request kind, errors by kind):

1. steady: --seconds (default 300) of the load above;
2. worker: the Celery worker is killed (SIGKILL, the whole worker, while a job runs) and
   started again 5 s later; its jobs must be handed out again and finish;
3. postgres: PostgreSQL is stopped (fast shutdown: every connection cut) and started again
   --pg-down seconds later; requests meanwhile must be answered 503 with Retry-After (no 500,
   no hung request) and reports sent again must be stored once.

4. floor (unless --no-floor): the same number of users with the same think times against the
   least Django REST framework endpoint that stores one row (benchmarks/floor: Blue Helmet's
   middleware list less the project's own, token authentication), served by the same gunicorn
   settings from a database of its own on the same PostgreSQL server, Blue Helmet's server
   stopped meanwhile.

With --find-capacity the phases above give way to steps of --capacity-seconds: --users users,
then --capacity-step times more, until p95 passes 1 s; the capacity is the answered requests a
second of the busiest step within it. The floor is stepped the same way.

Unless --no-profile, the servers run with BLUEHELMET_PROFILE_DIR (core/profiling.py): after
the checks, a table per request kind and phase tells where the server's time went (each
middleware, the view, templates, serialisation, SQL with its query count). Then the targets
of issue 16, PASS or FAIL each: nothing lost or duplicated; steady phase p95 < 500 ms and
p99 < 1 s; p95 < 2 s during the faults outside the outage seconds; capacity >= 40 answered
requests a second (--find-capacity); throughput within 3x of the floor's.

Checks at the end: every acknowledged report is in the database exactly once, no client id
twice, nothing nobody sent, every report acknowledged in the end; no 500 and no request without
an answer in 30 s; every 503 with Retry-After; every import job submitted finished and
succeeded. Exits 1 on a failed check (the targets do not change the exit status). PostgreSQL is started again whatever happens (other
people's tests use it).
"""

import argparse
import asyncio
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # gunicorn and celery beside the interpreter running this
DATA = ROOT / "src" / "bluehelmet" / "data"
SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "bh_load"
FLOOR_DATABASE = "bh_load_floor"
REDIS = "redis://127.0.0.1:6379/13"
BOUNDARIES = DATA / "boundaries" / "sle_adm0_adm2_districts_geoboundaries_simplified.geojson"
GEOPKO = DATA / "geopko" / "geopko_v1_2_africa_1994_2018_location_month.csv"
# What the import jobs upload: the Geo-PKO rows of the mission (an upload may change only the
# missions its uploader administers), written by set_up into the run's folder.
JOB_FILE = Path("geopko_unamsil_location_month.csv")
UPLOADER = "jobs-administrator"  # a mission administrator: imports, with a second factor
HOST = "127.0.0.1"
PASSWORD = "load-test-" + uuid.uuid4().hex[:12]
TYPES = [
    "armed-clash",
    "attack-on-civilians",
    "ceasefire-violation",
    "demonstration-riot",
    "abduction",
    "explosive-hazard",
]
RESEND_SHARE = 0.10
DROP_SHARE = 0.05
REQUEST_TIMEOUT = 30  # an answer slower than this counts as a hung request
THINK = [5.0, 15.0]  # seconds a user waits between two actions (--think)
RETRY_GRACE = 120  # after a phase, seconds a reporter keeps re-sending an unacknowledged report
# The targets (issue 16): steady phase p95 and p99, p95 during the faults outside the outage,
# the capacity (answered requests a second while p95 stays within CAPACITY_P95), the floor ratio.
STEADY_P95, STEADY_P99, FAULT_P95 = 0.5, 1.0, 2.0
CAPACITY_P95, CAPACITY_TARGET, FLOOR_RATIO = 1.0, 40.0, 3.0
MISSION = "UNAMSIL"
PAGES = {  # analyst reads: kind -> path
    "feed page": f"/missions/{MISSION}/incidents/feed/",
    "map data": f"/missions/{MISSION}/incidents/map.geojson",
    "incidents dashboard": f"/missions/{MISSION}/incidents/",
    "mission overview": f"/missions/{MISSION}/",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# --- PostgreSQL ---------------------------------------------------------------------------


def postgres_answers() -> bool:
    import psycopg

    try:
        psycopg.connect(f"{SERVER}/postgres", connect_timeout=2).close()
        return True
    except psycopg.OperationalError:
        return False


def postgres_control(action: str) -> None:
    """Stop or start the local PostgreSQL: pg_ctlcluster (Debian) where it exists, else the
    service script."""
    if shutil.which("pg_ctlcluster") and shutil.which("pg_lsclusters"):
        for line in subprocess.run(
            ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
        ).stdout.splitlines():
            version, cluster, port = line.split()[:3]
            if port == "5432":
                command = ["pg_ctlcluster", version, cluster, action] + (["-m", "fast"] if action == "stop" else [])
                subprocess.run(command, check=True, capture_output=True, timeout=120)
                return
    subprocess.run(["service", "postgresql", action], check=True, capture_output=True, timeout=120)


def ensure_postgres_running() -> None:
    """Whatever happened, leave PostgreSQL running: other people's tests use it."""
    if postgres_answers():
        return
    try:
        postgres_control("start")
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"could not start PostgreSQL: {exc}", file=sys.stderr)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not postgres_answers():
        time.sleep(0.5)


def recreate_database(name: str = "") -> None:
    import psycopg

    name = name or DATABASE

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")


def drop_database(name: str = "") -> None:
    import psycopg

    name = name or DATABASE

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# --- Set-up (in this process, through Django) ----------------------------------------------


def set_up(
    reporters: int, analysts: int
) -> tuple[list[tuple[str, str]], list[str], list[tuple[float, float]], list[str]]:
    """The data, the mission, its rules and zone; (user name, token) per reporter, analyst
    user names; points inside Sierra Leone to report from."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
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
    run_import("missions", DATA / "missions" / "un_pko_list_start_end_month.csv")
    run_import("mission-countries", DATA / "missions" / "ipi_mission_country_continent.csv")
    run_import("geopko", GEOPKO)  # the jobs re-import it: the same file, nothing new to write
    country = Place.objects.get(kind=Place.Kind.COUNTRY, name="Sierra Leone")
    mission = Mission.objects.get(acronym=MISSION)
    mission.host_countries.add(country)
    seed_types(mission)
    agreement = Agreement.objects.create(
        mission=mission, name="Load test agreement (exercise)", effective_from=datetime(1999, 7, 7).date()
    )
    box = {
        "type": "Polygon",
        "coordinates": [[[-12.3, 8.65], [-11.8, 8.65], [-11.8, 9.1], [-12.3, 9.1], [-12.3, 8.65]]],
    }
    MonitoredZone.objects.create(agreement=agreement, name="Load test exercise zone", **zone_geometry(box))
    AlertRule.objects.create(
        mission=mission, name="Cluster", kind=AlertRule.Kind.CLUSTER, min_count=3, radius_km=20, window_hours=48
    )
    AlertRule.objects.create(mission=mission, name="Zone", kind=AlertRule.Kind.ZONE)
    AlertRule.objects.create(mission=mission, name="Casualties", kind=AlertRule.Kind.CASUALTIES, casualty_threshold=5)
    user_model = get_user_model()
    hashed = make_password(PASSWORD)  # one hash for all (each costs ~1 s of CPU)
    reporter_tokens, analyst_names = [], []
    for i in range(reporters):
        user = user_model.objects.create(username=f"reporter-{i}", password=hashed)
        Membership.objects.create(user=user, mission=mission, role=Role.REPORTER)
        reporter_tokens.append((user.username, Token.objects.create(user=user).key))
    for i in range(analysts):
        user = user_model.objects.create(username=f"analyst-{i}", password=hashed)
        Membership.objects.create(user=user, mission=mission, role=Role.ANALYST)
        analyst_names.append(user.username)
    # The uploader of the import jobs: the mission's administrator, whose log-ins need a second
    # factor (backup codes, each used once).
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    uploader = user_model.objects.create(username=UPLOADER, password=hashed)
    Membership.objects.create(user=uploader, mission=mission, role=Role.ADMINISTRATOR)
    device = StaticDevice.objects.create(user=uploader, name="backup codes", confirmed=True)
    codes = [uuid.uuid4().hex[:10] for _ in range(10)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    import csv

    with GEOPKO.open(newline="", encoding="utf-8") as source, JOB_FILE.open("w", newline="", encoding="utf-8") as out:
        rows = csv.reader(source)
        writer = csv.writer(out)
        writer.writerow(next(rows))
        writer.writerows(row for row in rows if row[1] == MISSION)
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
    return reporter_tokens, analyst_names, points, codes


# --- Servers ------------------------------------------------------------------------------


def wait_for_port(port: int, process: subprocess.Popen, what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped at start (exit {process.returncode})")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{what} did not start")


def start_gunicorn(
    port: int, workers: int, threads: int, env: dict, log: Path, app: str = "bluehelmet.wsgi:application"
) -> subprocess.Popen:
    command = [
        str(BIN / "gunicorn"),
        app,
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "120",
        "--backlog",
        "2048",
        "--preload",
        "--log-level",
        "warning",
    ]
    with open(log, "ab") as output:  # the application's own log lines too
        process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True, stdout=output, stderr=output)
    wait_for_port(port, process, "gunicorn")
    return process


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    """A Celery worker in its own process group (so a kill takes its pool too)."""
    command = [
        str(BIN / "celery"),
        "-A",
        "bluehelmet",
        "worker",
        "--concurrency",
        "2",
        "--loglevel",
        "WARNING",
        "--logfile",
        str(log),
    ]
    return subprocess.Popen(
        command, env=env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def stop(process: subprocess.Popen | None, sig=signal.SIGTERM) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    except ProcessLookupError:
        pass


# --- Measurements -------------------------------------------------------------------------


class Phase:
    """What the users saw during one phase."""

    def __init__(self, name: str):
        self.name = name
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter = Counter()  # (kind, answer) -> count
        self.unavailable = 0  # 503 answers, all with Retry-After
        self.unavailable_without_retry_after = 0
        self.seconds = 0.0
        self.events: list[str] = []
        self.users = 0
        # (start, seconds) of every answered request, and the seconds a fault took a service
        # away (perf_counter clock): the fault targets leave out requests that met an outage.
        self.samples: list[tuple[float, float]] = []
        self.outages: list[tuple[float, float]] = []
        self.wall = (0.0, 0.0)  # time.time() at the start and the end: the profile's records

    def answered(self, kind: str, seconds: float, started: float = 0.0) -> None:
        self.latencies[kind].append(seconds)
        self.samples.append((started, seconds))

    def all_latencies(self) -> list[float]:
        return sorted(value for values in self.latencies.values() for value in values)

    def throughput(self) -> float:
        return sum(len(values) for values in self.latencies.values()) / self.seconds if self.seconds else 0.0

    def outside_outages(self) -> list[float]:
        """Latencies of the requests that neither started nor ended within an outage."""
        return sorted(
            seconds
            for started, seconds in self.samples
            if not any(started < end and started + seconds > begin for begin, end in self.outages)
        )

    def failed(self, kind: str, answer) -> None:
        self.errors[(kind, str(answer))] += 1

    def report(self) -> str:
        lines = [
            f"\n== phase {self.name}: {self.seconds:.0f} s ==",
            *[f"   {event}" for event in self.events],
            f"{'request kind':<34}{'answers':>9}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}",
        ]
        everything = []
        for kind in sorted(self.latencies):
            values = sorted(self.latencies[kind])
            everything += values
            lines.append(
                f"{kind:<34}{len(values):>9,}{len(values) / self.seconds:>8.1f}"
                + "".join(f"{percentile(values, q) * 1000:>9.0f}" for q in (0.50, 0.95, 0.99))
            )
        everything.sort()
        if everything:
            lines.append(
                f"{'all answered requests':<34}{len(everything):>9,}{len(everything) / self.seconds:>8.1f}"
                + "".join(f"{percentile(everything, q) * 1000:>9.0f}" for q in (0.50, 0.95, 0.99))
            )
        errors = ", ".join(f"{kind} {answer}: {n}" for (kind, answer), n in sorted(self.errors.items())) or "none"
        lines.append(f"errors by kind: {errors}")
        lines.append(
            f"503 answers with Retry-After: {self.unavailable}; without: {self.unavailable_without_retry_after}"
        )
        return "\n".join(lines)


def percentile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] if len(values) > 1 else (values[0] if values else 0.0)


class Ledger:
    """Every report sent and every acknowledgement, across all phases."""

    def __init__(self):
        self.sent: set[str] = set()
        self.bodies: dict[str, tuple[str, dict]] = {}  # client id -> (reporter's token, report)
        self.acked: dict[str, set[int]] = defaultdict(set)
        self.resends = self.drops = self.retries = 0


# --- The users ----------------------------------------------------------------------------


class Run:
    def __init__(self, base_url: str, points: list, ledger: Ledger):
        self.base_url, self.points, self.ledger = base_url, points, ledger
        self.phase: Phase | None = None
        self.deadline = 0.0  # end of the current phase (loop time)
        self.job_ids: list[int] = []

    def client(self, **headers):
        import httpx

        return httpx.AsyncClient(
            base_url=self.base_url,
            timeout=REQUEST_TIMEOUT,
            headers={"Accept": "application/json", **headers},
            # A connection per request: no race with the server closing an idle one.
            limits=httpx.Limits(max_connections=2, max_keepalive_connections=0),
        )

    async def request(self, client, kind: str, method: str, path: str, **kwargs):
        """One request, timed and classified; returns the response or None (no answer)."""
        import httpx

        phase = self.phase
        started = time.perf_counter()
        try:
            response = await client.request(method, path, **kwargs)
        except httpx.TimeoutException:
            phase.failed(kind, f"no answer in {kwargs.get('timeout') or REQUEST_TIMEOUT:g} s")
            return None
        except httpx.TransportError as exc:
            phase.failed(kind, type(exc).__name__)
            return None
        if response.status_code == 503:
            if response.headers.get("Retry-After", "").isdigit():
                phase.unavailable += 1
            else:
                phase.unavailable_without_retry_after += 1
            phase.failed(kind, 503)
        elif response.status_code >= 400:
            phase.failed(kind, response.status_code)
        else:
            phase.answered(kind, time.perf_counter() - started, started)
        return response

    def report_body(self, rng: random.Random) -> dict:
        lat, lon = rng.choice(self.points)
        killed = rng.choice([0, 0, 0, 1, 2, 6])
        return {
            "mission": MISSION,
            "client_id": str(uuid.uuid4()),
            "type": rng.choice(TYPES),
            "occurred_at": (datetime.now(UTC) - timedelta(minutes=rng.randint(0, 2880))).isoformat(),
            "latitude": lat,
            "longitude": lon,
            "narrative": "Load test report (exercise data).",
            "casualties": [{"kind": "killed", "group": "civilian", "count": killed}] if killed else [],
            "sources": [{"kind": "witness", "reliability": "C", "credibility": 3, "identity": "load test (exercise)"}],
        }

    async def file_report(self, client, body: dict, rng: random.Random, token: str = "") -> None:
        """Send until acknowledged, with the same client id, as the offline queue does."""
        import httpx

        ledger = self.ledger
        ledger.sent.add(body["client_id"])
        ledger.bodies[body["client_id"]] = (token, body)
        if rng.random() < DROP_SHARE:  # the link drops before the answer arrives
            ledger.drops += 1
            try:
                await client.post("/api/incidents/", json=body, timeout=httpx.Timeout(REQUEST_TIMEOUT, read=0.005))
            except httpx.HTTPError:
                pass
        give_up = self.deadline + RETRY_GRACE
        while True:
            response = await self.request(client, "file a report (POST)", "POST", "/api/incidents/", json=body)
            if response is not None and response.status_code in (200, 201):
                ledger.acked[body["client_id"]].add(response.json()["id"])
                if rng.random() < RESEND_SHARE:  # sent twice on purpose: same record, 200
                    ledger.resends += 1
                    again = await self.request(client, "file a report (POST)", "POST", "/api/incidents/", json=body)
                    if again is not None and again.status_code in (200, 201):
                        ledger.acked[body["client_id"]].add(again.json()["id"])
                return
            if response is not None and response.status_code not in (502, 503, 504):
                return  # refused (4xx) or a bug (500): counted, not retried
            if asyncio.get_running_loop().time() > give_up:
                return
            ledger.retries += 1
            retry_after = response.headers.get("Retry-After", "") if response is not None else ""
            await asyncio.sleep(min(int(retry_after), 10) if retry_after.isdigit() else 1 + rng.random())

    async def reporter(self, name: str, token: str, seed: int) -> None:
        rng = random.Random(seed)
        loop = asyncio.get_running_loop()
        async with self.client(Authorization=f"Token {token}") as client:
            await asyncio.sleep(rng.uniform(*THINK))
            while loop.time() < self.deadline:
                if rng.random() < 0.5:
                    await self.file_report(client, self.report_body(rng), rng, token)
                else:
                    await self.request(client, "read 20 incidents (API)", "GET", "/api/incidents/?page_size=20")
                await asyncio.sleep(rng.uniform(*THINK))

    async def log_in(self, client, username: str, code: str = "") -> None:
        """The login form, as a browser fills it: a real session (then the second factor's
        form with `code`, when given). Before the measurements, so patient: a password check
        costs about a second of CPU."""
        import httpx

        answer = None
        for _attempt in range(5):
            try:
                await client.get("/accounts/login/", timeout=180)
                token = client.cookies.get("csrftoken")
                response = await client.post(
                    "/accounts/login/",
                    data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
                    headers={"Referer": f"{self.base_url}/accounts/login/"},
                    timeout=180,
                )
            except httpx.HTTPError as exc:
                answer = type(exc).__name__
                continue
            if response.status_code == 302 and not code:
                return
            if response.status_code == 302:
                await client.get("/accounts/two-factor/verify/", timeout=180)
                response = await client.post(
                    "/accounts/two-factor/verify/",
                    data={"code": code, "csrfmiddlewaretoken": client.cookies.get("csrftoken")},
                    headers={"Referer": f"{self.base_url}/accounts/two-factor/verify/"},
                    timeout=180,
                )
                if response.status_code == 302:
                    return
            answer = f"HTTP {response.status_code}"
        raise RuntimeError(f"{username} could not log in: {answer}")

    async def analyst(self, client, seed: int) -> None:
        rng = random.Random(seed)
        loop = asyncio.get_running_loop()
        kinds = list(PAGES)
        await asyncio.sleep(rng.uniform(*THINK))
        while loop.time() < self.deadline:
            kind = rng.choices(kinds, weights=[30, 30, 25, 15])[0]
            await self.request(client, kind, "GET", PAGES[kind], headers={"Accept": "text/html,application/json"})
            await asyncio.sleep(rng.uniform(*THINK))

    async def submit_import(self, client) -> int | None:
        """Upload the mission's Geo-PKO rows as its administrator does on /imports/; the job id, or None."""
        token = client.cookies.get("csrftoken")
        for _attempt in range(20):
            response = await self.request(
                client,
                "upload an import (POST)",
                "POST",
                "/imports/",
                data={"kind": "geopko", "csrfmiddlewaretoken": token},
                files={"file": (JOB_FILE.name, JOB_FILE.read_bytes(), "text/csv")},
                headers={"Referer": f"{self.base_url}/imports/", "Accept": "text/html"},
            )
            if response is not None and response.status_code == 302:
                job_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
                self.job_ids.append(job_id)
                return job_id
            await asyncio.sleep(2)
        return None

    async def job_submitter(self, client, every: float) -> None:
        loop = asyncio.get_running_loop()
        while loop.time() < self.deadline:
            await self.submit_import(client)
            await asyncio.sleep(every)


# --- Faults -------------------------------------------------------------------------------


def job_states(job_ids: list[int]) -> Counter:
    from django.db import connections

    from bluehelmet.importers.models import ImportJob

    connections.close_all()  # PostgreSQL may have restarted since
    return Counter(ImportJob.objects.filter(pk__in=job_ids).values_list("status", flat=True))


async def kill_worker(run: Run, phase: Phase, state: dict, env: dict, log: Path, analyst_client, delay: float) -> None:
    """Once a job is running, SIGKILL the whole worker; start a new one 5 s later."""
    from bluehelmet.importers.models import ImportJob

    await asyncio.sleep(delay)
    await run.submit_import(analyst_client)
    loop = asyncio.get_running_loop()
    give_up = loop.time() + 60
    running = []
    while loop.time() < give_up:
        running = await asyncio.to_thread(
            lambda: list(ImportJob.objects.filter(pk__in=run.job_ids, status="running").values_list("pk", flat=True))
        )
        if running:
            break
        await asyncio.sleep(0.2)
    states = await asyncio.to_thread(job_states, run.job_ids)
    outage_start = time.perf_counter()
    stop(state["worker"], signal.SIGKILL)
    phase.events.append(
        f"t={loop.time() - state['phase_start']:.0f} s: Celery worker killed (SIGKILL, whole process group); "
        f"jobs running then: {running or 'none'}; job states: {dict(states)}"
    )
    await asyncio.sleep(5)
    state["worker"] = start_worker(env, log)
    phase.outages.append((outage_start, time.perf_counter()))
    phase.events.append(f"t={loop.time() - state['phase_start']:.0f} s: a new Celery worker started")


async def restart_postgres(phase: Phase, state: dict, delay: float, down: float) -> None:
    await asyncio.sleep(delay)
    loop = asyncio.get_running_loop()
    stopped = loop.time()
    outage_start = time.perf_counter()
    try:
        await asyncio.to_thread(postgres_control, "stop")
        phase.events.append(
            f"t={stopped - state['phase_start']:.0f} s: PostgreSQL stopped (fast shutdown: connections cut)"
        )
        await asyncio.sleep(down)
    finally:
        await asyncio.to_thread(postgres_control, "start")
        phase.outages.append((outage_start, time.perf_counter()))
    phase.events.append(
        f"t={loop.time() - state['phase_start']:.0f} s: PostgreSQL started again "
        f"({loop.time() - stopped:.1f} s without a database)"
    )


# --- The run ------------------------------------------------------------------------------


def user_split(args, users: int) -> tuple[int, int]:
    """Reporters and analysts among `users`, in the --reporters:--analysts proportion."""
    analysts = round(users * args.analysts / max(1, args.reporters + args.analysts))
    if args.analysts:
        analysts = max(1, analysts)
    return users - analysts, analysts


def capacity_steps(args) -> list[int]:
    """--find-capacity: the user counts tried, from --users up by --capacity-step."""
    steps, users = [], args.users
    while users <= args.max_users:
        steps.append(users)
        users = max(users + 1, round(users * args.capacity_step))
    return steps


async def run_phase(run, args, name, seconds, reporters, analyst_clients, jobs_client, state, env, worker_log) -> Phase:
    loop = asyncio.get_running_loop()
    phase = Phase(name)
    phase.users = len(reporters) + len(analyst_clients)
    run.phase = phase
    state["phase_start"] = loop.time()
    run.deadline = loop.time() + seconds
    tasks = [run.reporter(n, t, seed=f"{name}-r{i}") for i, (n, t) in enumerate(reporters)]
    tasks += [run.analyst(c, seed=f"{name}-a{i}") for i, c in enumerate(analyst_clients)]
    if args.job_every > 0:
        tasks.append(run.job_submitter(jobs_client, args.job_every))
    if name == "worker":
        tasks.append(kill_worker(run, phase, state, env, worker_log, jobs_client, delay=seconds * 0.3))
    elif name == "postgres":
        tasks.append(restart_postgres(phase, state, delay=seconds * 0.3, down=args.pg_down))
    started, wall = time.perf_counter(), time.time()
    await asyncio.gather(*tasks)
    phase.seconds = time.perf_counter() - started
    phase.wall = (wall, time.time())
    phase.events.append(f"load average (1, 5, 15 min) at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(phase.report(), flush=True)
    return phase


async def run_all(
    args, base_url, reporters, analysts, points, codes, env, worker_log, state: dict
) -> tuple[list[Phase], Ledger, list[int]]:
    ledger = Ledger()
    run = Run(base_url, points, ledger)
    state["worker"] = start_worker(env, worker_log)
    analyst_clients = [run.client() for _ in analysts]
    # Log every analyst in through the form (a password check each: a few at a time).
    gate = asyncio.Semaphore(4)

    async def log_in(client, name):
        async with gate:
            await run.log_in(client, name)

    await asyncio.gather(*(log_in(c, n) for c, n in zip(analyst_clients, analysts)))
    jobs_client = run.client()
    if analysts:
        await run.log_in(jobs_client, UPLOADER, code=codes[0])
        # Warm up every gunicorn worker (templates, first queries) before measuring.
        for _ in range(3 * args.workers):
            await asyncio.gather(*(jobs_client.get(path) for path in PAGES.values()))
    phases = []
    common = (jobs_client, state, env, worker_log)
    if args.find_capacity:
        for users in capacity_steps(args):
            n_reporters, n_analysts = user_split(args, users)
            phase = await run_phase(
                run, args, f"capacity, {users} users", args.capacity_seconds,
                reporters[:n_reporters], analyst_clients[:n_analysts], *common,
            )  # fmt: skip
            phases.append(phase)
            if percentile(phase.all_latencies(), 0.95) > CAPACITY_P95:
                break
    else:
        for name in args.phases.split(","):
            seconds = args.seconds if name == "steady" else args.fault_seconds
            phases.append(await run_phase(run, args, name, seconds, reporters, analyst_clients, *common))
    for client in [*analyst_clients, jobs_client]:
        await client.aclose()
    phases.append(await drain(run, ledger))
    return phases, ledger, run.job_ids


async def drain(run: Run, ledger: Ledger) -> Phase:
    """The devices' offline queues once the crowd has gone: every report never acknowledged
    (its answers were lost or too slow) is sent again, same client id, until it is."""
    phase = Phase("drain (offline queues send again what was never acknowledged)")
    run.phase = phase
    waiting = [cid for cid in ledger.sent if cid not in ledger.acked]
    gate = asyncio.Semaphore(10)

    async def resend(client_id):
        token, body = ledger.bodies[client_id]
        async with gate, run.client(Authorization=f"Token {token}") as client:
            for _attempt in range(10):
                response = await run.request(
                    client, "file a report again (POST)", "POST", "/api/incidents/", json=body, timeout=120
                )
                if response is not None and response.status_code in (200, 201):
                    ledger.acked[client_id].add(response.json()["id"])
                    return
                await asyncio.sleep(5)

    started = time.perf_counter()
    await asyncio.gather(*(resend(cid) for cid in waiting))
    phase.seconds = max(time.perf_counter() - started, 0.001)
    phase.events.append(f"reports never acknowledged during the phases: {len(waiting)}")
    print(phase.report(), flush=True)
    return phase


def wait_for_jobs(job_ids: list[int], seconds: float) -> Counter:
    deadline = time.monotonic() + seconds
    states = Counter()
    while time.monotonic() < deadline:
        try:
            states = job_states(job_ids)
        except Exception:  # noqa: BLE001 - the database may still be starting
            time.sleep(1)
            continue
        if states.get("queued", 0) + states.get("running", 0) == 0:
            break
        time.sleep(2)
    return states


def check(phases: list[Phase], ledger: Ledger, job_ids: list[int]) -> bool:
    from django.db import connections
    from django.db.models import Count

    from bluehelmet.incidents.models import Incident

    connections.close_all()
    stored = {str(k): v for k, v in Incident.objects.values_list("client_id", "id")}
    per_id = Incident.objects.values("client_id").annotate(n=Count("id")).filter(n__gt=1).count()
    inconsistent = [cid for cid, ids in ledger.acked.items() if len(ids) != 1]
    lost = [cid for cid, ids in ledger.acked.items() if stored.get(cid) not in ids]
    unexpected = set(stored) - ledger.sent
    never_acked = ledger.sent - set(ledger.acked)
    errors = sum((p.errors for p in phases), Counter())
    server_errors = sum(n for (kind, answer), n in errors.items() if answer == "500")
    hung = sum(n for (kind, answer), n in errors.items() if answer.startswith("no answer in"))
    without_retry_after = sum(p.unavailable_without_retry_after for p in phases)
    states = wait_for_jobs(job_ids, 300)
    print("\n== checks (all phases) ==")
    print(
        f"reports sent (distinct client ids): {len(ledger.sent):,}; acknowledged: {len(ledger.acked):,}; rows in the database: {len(stored):,}"
    )
    print(
        f"deliberate re-sends: {ledger.resends:,}; cut-off answers then re-sent: {ledger.drops:,}; "
        f"re-sends after a 503 or no answer: {ledger.retries:,}"
    )
    print(f"import jobs submitted: {len(job_ids)}; their states: {dict(states) or 'none'}")
    checks = {
        "acknowledged reports missing from the database (lost)": len(lost),
        "client ids stored more than once (duplicated)": per_id,
        "client ids answered with different records": len(inconsistent),
        "rows for reports nobody sent": len(unexpected),
        "reports never acknowledged, even after retrying": len(never_acked),
        "500 answers": server_errors,
        f"requests without an answer in {REQUEST_TIMEOUT:g} s": hung,
        "503 answers without Retry-After": without_retry_after,
        "import jobs not finished (queued or running)": states.get("queued", 0) + states.get("running", 0),
        "import jobs failed": states.get("failed", 0),
        "import jobs submitted but not found": len(job_ids) - sum(states.values()),
    }
    for label, count in checks.items():
        print(f"  {label}: {count}")
    return checks


# --- The floor: the least a stored row costs on this stack --------------------------------


def floor_env(env: dict) -> dict:
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "floor.settings",
        "DATABASE_URL": f"{SERVER}/{FLOOR_DATABASE}",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "benchmarks"), str(ROOT / "src")]),
    }


def set_up_floor(env: dict, users: int) -> list[str]:
    """The floor's database (same PostgreSQL server) and one API token per user."""
    recreate_database(FLOOR_DATABASE)
    made = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "floor" / "setup.py"), str(users)],
        env=floor_env(env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return made.stdout.split()


async def floor_phase(base_url: str, name: str, seconds: float, tokens: list[str]) -> Phase:
    """The same users and think times as the product's phases, each action storing one row."""
    run = Run(base_url, [], Ledger())
    phase = Phase(name)
    phase.users = len(tokens)
    run.phase = phase
    loop = asyncio.get_running_loop()
    run.deadline = loop.time() + seconds

    async def user(token: str, seed: str) -> None:
        rng = random.Random(seed)
        async with run.client(Authorization=f"Token {token}") as client:
            await asyncio.sleep(rng.uniform(*THINK))
            while loop.time() < run.deadline:
                body = {"client_id": str(uuid.uuid4()), "narrative": "Load test row (exercise data)."}
                await run.request(client, "store one row (POST)", "POST", "/rows/", json=body)
                await asyncio.sleep(rng.uniform(*THINK))

    started, wall = time.perf_counter(), time.time()
    await asyncio.gather(*(user(token, f"{name}-{i}") for i, token in enumerate(tokens)))
    phase.seconds = time.perf_counter() - started
    phase.wall = (wall, time.time())
    phase.events.append(f"load average (1, 5, 15 min) at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(phase.report(), flush=True)
    return phase


def run_floor(args, env: dict, home: Path, users: int) -> list[Phase]:
    """Serve the floor with the same gunicorn settings and drive it: one phase of --floor-seconds
    with the steady phase's users, or (--find-capacity) the same steps as the product."""
    tokens = set_up_floor(env, max([users, *capacity_steps(args)]) if args.find_capacity else users)
    port = free_port()
    server = start_gunicorn(
        port, args.workers, args.threads, floor_env(env), home / "floor-gunicorn.log", app="floor.wsgi:application"
    )
    base_url = f"http://{HOST}:{port}"

    async def warm_up() -> None:  # every worker loads its translations and connects, as before ours
        async with Run(base_url, [], Ledger()).client(Authorization=f"Token {tokens[0]}") as client:
            for _ in range(3 * args.workers):
                await client.post("/rows/", json={"client_id": str(uuid.uuid4()), "narrative": "warm-up"})

    asyncio.run(warm_up())
    print(f"\nfloor: a Django REST framework endpoint storing one row, gunicorn on {HOST}:{port}", flush=True)
    phases = []
    try:
        if args.find_capacity:
            for step in capacity_steps(args):
                phase = asyncio.run(
                    floor_phase(base_url, f"floor capacity, {step} users", args.capacity_seconds, tokens[:step])
                )
                phases.append(phase)
                if percentile(phase.all_latencies(), 0.95) > CAPACITY_P95:
                    break
        else:
            phases.append(asyncio.run(floor_phase(base_url, "floor", args.floor_seconds, tokens[:users])))
    finally:
        stop(server)
    return phases


# --- Where the time goes ------------------------------------------------------------------


def profile_report(folder: Path, phase: Phase) -> str:
    """Per request kind (URL name), the mean server time of each part (core/profiling.py)."""
    import json

    records = []
    for path in sorted(folder.glob("profile-*.jsonl")):
        for line in path.read_text().splitlines():
            try:
                record = json.loads(line)
            except ValueError:  # a line cut short by a killed worker
                continue
            if phase.wall[0] <= record["t"] <= phase.wall[1]:
                records.append(record)
    if not records:
        return f"\n== profile, {phase.name}: no profiled request =="
    kinds: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        kinds[record["kind"]].append(record)
    lines = [f"\n== profile, {phase.name}: server time per request kind (mean per request, exclusive parts) =="]
    for kind, rows in sorted(kinds.items(), key=lambda item: -sum(r["total"] for r in item[1])):
        n = len(rows)
        total = sum(r["total"] for r in rows) / n
        queries = sum(sum(r["queries"].values()) for r in rows) / n
        lines.append(f"{kind}: {n:,} requests, {total * 1000:.1f} ms, {queries:.1f} SQL queries")
        parts: dict[str, float] = defaultdict(float)
        counts: dict[str, float] = defaultdict(float)
        for r in rows:
            for part, seconds in r["seconds"].items():
                parts[part] += seconds / n
            for part, count in r["queries"].items():
                counts[part] += count / n
        lines.append(f"   {'part':<44}{'ms':>9}{'share':>8}{'queries':>9}")
        for part, seconds in sorted(parts.items(), key=lambda item: -item[1]):
            if seconds * 1000 < 0.05:
                continue
            share = seconds / total if total else 0
            queries_text = f"{counts[part]:>9.1f}" if part in counts else ""
            lines.append(f"   {part:<44}{seconds * 1000:>9.2f}{share:>8.0%}{queries_text}")
    return "\n".join(lines)


# --- Targets ------------------------------------------------------------------------------


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def targets(phases: list[Phase], checks: dict, floor: list[Phase], args) -> bool:
    """The issue's targets, PASS or FAIL each; True when all measured ones pass."""
    lines, results = ["\n== targets =="], []

    def target(label: str, passed: bool, measured: str) -> None:
        results.append(passed)
        lines.append(f"  {verdict(passed)}  {label}: {measured}")

    by_name = {phase.name: phase for phase in phases}
    ms = lambda seconds: f"{seconds * 1000:.0f} ms"  # noqa: E731
    lost = checks["acknowledged reports missing from the database (lost)"]
    duplicated = (
        checks["client ids stored more than once (duplicated)"] + checks["client ids answered with different records"]
    )
    target("nothing lost", lost == 0, f"{lost} lost")
    target("nothing duplicated", duplicated == 0, f"{duplicated} duplicated")
    capacity = [p for p in phases if p.name.startswith("capacity")]
    # With --find-capacity, its first step (--users) stands for the steady phase.
    steady = by_name.get("steady") or (capacity[0] if capacity else None)
    if steady:
        values = steady.all_latencies()
        users = steady.name if steady.name.startswith("capacity") else f"{steady.name}, {steady.users} users"
        target(f"{users}: p95 < {ms(STEADY_P95)}", percentile(values, 0.95) < STEADY_P95, ms(percentile(values, 0.95)))
        target(f"{users}: p99 < {ms(STEADY_P99)}", percentile(values, 0.99) < STEADY_P99, ms(percentile(values, 0.99)))
    for name in ("worker", "postgres"):
        if name in by_name:
            values = by_name[name].outside_outages()
            outage = sum(end - begin for begin, end in by_name[name].outages)
            target(
                f"{name} fault: p95 < {ms(FAULT_P95)} outside the outage ({outage:.1f} s)",
                percentile(values, 0.95) < FAULT_P95,
                ms(percentile(values, 0.95)),
            )
    ours = capacity_of(capacity) if capacity else None
    if capacity:
        target(
            f"capacity >= {CAPACITY_TARGET:g} answered requests/s while p95 <= {ms(CAPACITY_P95)}",
            ours[1] >= CAPACITY_TARGET,
            f"{at_least(capacity)}{ours[1]:.1f}/s at {ours[0]} users"
            if ours[0]
            else "p95 over the limit at the first step",
        )
    else:
        lines.append("  (capacity not measured: run with --find-capacity)")
    if floor:
        if capacity:
            theirs = capacity_of(floor)
            ratio = theirs[1] / ours[1] if ours[1] else float("inf")
            target(
                f"capacity within {FLOOR_RATIO:g}x of the floor's",
                ratio <= FLOOR_RATIO,
                f"floor {at_least(floor)}{theirs[1]:.1f}/s at {theirs[0]} users, ours {ours[1]:.1f}/s: "
                f"the floor is {at_least(floor)}{ratio:.1f}x",
            )
        elif steady:
            floor_phase_ = floor[0]
            ratio = floor_phase_.throughput() / steady.throughput() if steady.throughput() else float("inf")
            p95_ratio = percentile(steady.all_latencies(), 0.95) / max(
                percentile(floor_phase_.all_latencies(), 0.95), 1e-6
            )
            target(
                f"throughput within {FLOOR_RATIO:g}x of the floor's (same users, same think times)",
                ratio <= FLOOR_RATIO,
                f"ours {steady.throughput():.1f}/s, floor {floor_phase_.throughput():.1f}/s (floor/ours {ratio:.2f}x); "
                f"p95 ours {ms(percentile(steady.all_latencies(), 0.95))}, floor "
                f"{ms(percentile(floor_phase_.all_latencies(), 0.95))} (ours/floor {p95_ratio:.1f}x)",
            )
    print("\n".join(lines), flush=True)
    return all(results)


def at_least(steps: list[Phase]) -> str:
    """ "at least " when even the last step (--max-users) kept p95 within the limit."""
    return "at least " if percentile(steps[-1].all_latencies(), 0.95) <= CAPACITY_P95 else ""


def capacity_of(steps: list[Phase]) -> tuple[int, float]:
    """(users, answered requests a second) of the busiest step whose p95 stayed within the limit."""
    passing = [p for p in steps if percentile(p.all_latencies(), 0.95) <= CAPACITY_P95]
    if not passing:
        return 0, 0.0
    best = max(passing, key=Phase.throughput)
    return best.users, best.throughput()


def main(argv: list[str] | None = None) -> int:
    global REQUEST_TIMEOUT, DATABASE, FLOOR_DATABASE, JOB_FILE
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reporters", type=int, default=150, help="users filing reports and reading the API")
    parser.add_argument("--analysts", type=int, default=50, help="users reading pages with a session")
    parser.add_argument("--users", type=int, help="users in all, split as --reporters:--analysts (default: their sum)")
    parser.add_argument("--seconds", type=float, default=90, help="length of the steady phase")
    parser.add_argument("--fault-seconds", type=float, default=60, help="length of each fault phase")
    parser.add_argument("--floor-seconds", type=float, help="length of the floor phase (default: --seconds)")
    parser.add_argument("--no-floor", action="store_true", help="do not measure the floor endpoint")
    parser.add_argument("--no-profile", action="store_true", help="do not profile the requests")
    parser.add_argument(
        "--find-capacity",
        action="store_true",
        help="instead of the phases: raise the users from --users by --capacity-step until p95 passes 1 s, "
        "for the product then for the floor, and report the capacity",
    )
    parser.add_argument("--capacity-step", type=float, default=1.25, help="users multiplied by this at each step")
    parser.add_argument("--capacity-seconds", type=float, default=60, help="length of each capacity step")
    parser.add_argument("--max-users", type=int, default=1200, help="the last capacity step")
    parser.add_argument("--phases", default="steady,worker,postgres")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--job-every", type=float, default=20, help="seconds between import uploads (0: none)")
    parser.add_argument("--pg-down", type=float, default=3, help="seconds PostgreSQL stays stopped")
    parser.add_argument(
        "--timeout", type=float, default=REQUEST_TIMEOUT, help="seconds after which a request counts as unanswered"
    )
    parser.add_argument(
        "--think", default=f"{THINK[0]:g},{THINK[1]:g}", help="a user's pause between actions: MIN,MAX seconds"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and logs")
    parser.add_argument("--database", default=DATABASE, help="name of the database made (and dropped) for the run")
    args = parser.parse_args(argv)
    if args.users is None:
        args.users = args.reporters + args.analysts
    else:
        args.reporters, args.analysts = user_split(args, args.users)
    if args.floor_seconds is None:
        args.floor_seconds = args.seconds
    THINK[:] = [float(x) for x in args.think.split(",")]
    REQUEST_TIMEOUT = args.timeout
    DATABASE, FLOOR_DATABASE = args.database, f"{args.database}_floor"
    if args.analysts < 1 and (args.job_every > 0 or "worker" in args.phases):
        parser.error("the import jobs are uploaded by an analyst: --analysts must be at least 1")

    home = Path(tempfile.mkdtemp(prefix="bh-load-"))
    queue = f"load-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "BLUEHELMET_HOME": str(home),
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        "BLUEHELMET_SECRET_KEY": "load-test-" + uuid.uuid4().hex,
        "DJANGO_SETTINGS_MODULE": "bluehelmet.settings",
        "BLUEHELMET_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "CELERY_BROKER_URL": REDIS,
        "BLUEHELMET_CELERY_QUEUE": queue,
        # Jobs here take seconds: a killed worker's job goes back to the queue after 20 s.
        "BLUEHELMET_CELERY_VISIBILITY_TIMEOUT": "20",
        # Many users from one address, all logging in at once: no lockout to trip over.
        "BLUEHELMET_LOGIN_FAILURE_LIMIT": "1000",
        # This checkout's code, whatever the virtualenv's editable install points at.
        "PYTHONPATH": str(ROOT / "src"),
    }
    if not args.no_profile:
        env["BLUEHELMET_PROFILE_DIR"] = str(home / "profile")
    env.pop("BLUEHELMET_JOBS_SYNC", None)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # run the clean-up below
    server, state = None, {}
    ensure_postgres_running()
    recreate_database()
    try:
        print(
            f"load average (1, 5, 15 min) at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} cores",
            flush=True,
        )
        set_up_started = time.perf_counter()
        most = user_split(args, max(capacity_steps(args))) if args.find_capacity else (args.reporters, args.analysts)
        JOB_FILE = home / JOB_FILE.name
        reporters, analysts, points, codes = set_up(*most)
        port = free_port()
        server = start_gunicorn(port, args.workers, args.threads, env, home / "gunicorn.log")
        print(
            f"set up in {time.perf_counter() - set_up_started:.0f} s. gunicorn: {args.workers} workers x {args.threads} threads on "
            f"{HOST}:{port}; PostgreSQL database {DATABASE}; Celery worker (2 processes) on {REDIS} queue {queue}; "
            f"{args.reporters} reporters + {args.analysts} analysts = {args.reporters + args.analysts} users"
            + (f"; capacity steps {capacity_steps(args)}" if args.find_capacity else "")
            + ("" if args.no_profile else f"; profiled into {home / 'profile'}"),
            flush=True,
        )
        phases, ledger, job_ids = asyncio.run(
            run_all(args, f"http://{HOST}:{port}", reporters, analysts, points, codes, env, home / "worker.log", state)
        )
        checks = check(phases, ledger, job_ids)
        ok = not any(checks.values())
        print("PASS: nothing lost, nothing duplicated, every job finished" if ok else "FAIL", flush=True)
        stop(server)  # the floor runs alone
        server = None
        floor = [] if args.no_floor else run_floor(args, env, home, args.users)
        if not args.no_profile:
            for phase in [*phases, *floor]:
                if not phase.name.startswith("drain"):
                    print(profile_report(home / "profile", phase), flush=True)
        met = targets(phases, checks, floor, args)
        print(f"\ntargets: {'all PASS' if met else 'some FAIL'} (they do not change the exit status)", flush=True)
        return 0 if ok else 1
    finally:
        ensure_postgres_running()
        stop(server)
        stop(state.get("worker"))
        try:
            import redis

            connection = redis.Redis.from_url(REDIS)
            connection.delete(queue)
            # The cache (the broker's Redis: settings.CACHES): aggregates and generations.
            for key in connection.scan_iter("bh:*"):
                connection.delete(key)
        except Exception:  # noqa: BLE001 - only tidying
            pass
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database()
            drop_database(FLOOR_DATABASE)
            shutil.rmtree(home, ignore_errors=True)
        else:
            print(f"kept: database {DATABASE}, logs in {home}")


if __name__ == "__main__":
    sys.exit(main())
