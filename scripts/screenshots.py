"""Screenshots of the demo for the README: the overview, the incident report form and the risk
map of UNAMSIL and MINUSCA, at 1400x900, into docs/screenshots/.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--user admin]

It loads the demo (`bluehelmet demo --no-serve`) into a temporary BLUEHELMET_HOME (SQLite; a
DATABASE_URL of the shell is left out, so no real database is touched), serves it on a free
local port, logs in as a demo user in Debian's Chromium (/usr/bin/chromium, through Playwright,
as the browser tests do; an administrator's second factor is answered from the authenticator
secret the demo stored, as tests/e2e does), waits for each page's maps to finish drawing and
writes one PNG per page. A PNG over --max-kb is reduced to 256 colours; one still over it is
written as a JPEG instead (its name says so). The temporary home is removed at the end.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
VIEWPORT = {"width": 1400, "height": 900}
MISSIONS = ("UNAMSIL", "MINUSCA")
# (file name, path under the mission, what to wait for once the page has loaded)
PAGES = (
    # The overview draws its layers for the time control's range, then says which range.
    (
        "overview",
        "",
        "() => { const m = document.getElementById('mission-map'); return !m || m.dataset.shownRange !== undefined; }",
    ),
    ("report-form", "incidents/report/", "() => true"),
    ("risk-map", "risk/", "() => true"),
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_server(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode})")
        try:
            urllib.request.urlopen(url + "/accounts/login/", timeout=2)
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise SystemExit(f"no answer from {url} in {seconds:.0f} s")


def log_in(page, username: str, password: str) -> None:
    """Log in as the browser tests do, the second factor's code read from the demo's database
    (Django is set up on the temporary home by then)."""
    from tests.e2e.conftest import log_in_as

    log_in_as(page, username, password)


def fit_size(path: Path, max_kb: int) -> Path:
    """Keep the PNG under max_kb: 256 colours first (maps and charts lose little), then JPEG."""
    if path.stat().st_size <= max_kb * 1024:
        return path
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
        if path.stat().st_size <= max_kb * 1024:
            return path
        jpeg = path.with_suffix(".jpg")
        image.convert("RGB").save(jpeg, quality=82, optimize=True, progressive=True)
    path.unlink()
    return jpeg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    # The administrator sees every page of both missions (and has a second factor to answer).
    parser.add_argument("--user", default="admin", help="demo user to log in as (default: admin)")
    parser.add_argument("--max-kb", type=int, default=400, help="largest file kept as PNG (default 400)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    home = Path(tempfile.mkdtemp(prefix="bluehelmet-screenshots-"))
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env.update(
        BLUEHELMET_HOME=str(home),
        DJANGO_SETTINGS_MODULE="bluehelmet.settings",
        BLUEHELMET_JOBS_SYNC="1",
        # This checkout's code, whichever copy the virtualenv has installed.
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH")])),
    )
    os.environ.clear()
    os.environ.update(env)
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    bluehelmet = [sys.executable, "-m", "bluehelmet"]
    server = None
    try:
        print(f"loading the demo into {home} ...", flush=True)
        subprocess.run([*bluehelmet, "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)
        import django

        django.setup()
        from bluehelmet.core.demo import DEMO_USERS

        user = next((u for u in DEMO_USERS if u.username == args.user), None)
        if user is None:
            raise SystemExit(f"no demo user {args.user!r}: {', '.join(u.username for u in DEMO_USERS)}")
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [*bluehelmet, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_server(url, server)
        args.out.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
            )
            context = browser.new_context(base_url=url, viewport=VIEWPORT)
            page = context.new_page()
            page.set_default_timeout(30_000)
            log_in(page, user.username, user.password)
            for acronym in MISSIONS:
                for name, path, drawn in PAGES:
                    response = page.goto(f"/missions/{acronym}/{path}")
                    if response is None or response.status != 200:
                        raise SystemExit(f"/missions/{acronym}/{path}: {response and response.status}")
                    page.wait_for_load_state("networkidle")
                    page.wait_for_function(drawn)
                    page.wait_for_timeout(400)  # the last map tiles and chart frame
                    target = args.out / f"{acronym.lower()}-{name}.png"
                    page.screenshot(path=str(target))
                    written = fit_size(target, args.max_kb)
                    print(
                        f"{written.relative_to(ROOT) if written.is_relative_to(ROOT) else written}"
                        f"  {written.stat().st_size // 1024} KB"
                    )
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
