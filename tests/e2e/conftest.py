"""Browser tests: Debian's Chromium driven by Playwright against a live server.

The demo data is loaded once per session into the test database; the tests only read it.
"""

import functools
import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# beside one unless told it is safe (it is: nothing here is async).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def demo_data(django_db_setup, django_db_blocker):
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from bluehelmet.overview.demo import load_demo_data

    with django_db_blocker.unblock():
        # pytest-django builds the test database only when some test asks for `db`; these
        # tests do not (they must not hold a transaction open against the server thread), so
        # when they run alone the database is built here.
        own_setup = None
        if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
            own_setup = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        load_demo_data(progress=lambda message: None)
    yield
    if own_setup is not None:
        with django_db_blocker.unblock():
            teardown_databases(own_setup, verbosity=0)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package (scripts/test.sh does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server_url(demo_data, django_db_blocker):
    """Serve the session's test database from a thread.

    Not pytest-django's live_server: that one empties the database after every test, and
    the demo data takes seconds to load. These tests only read, so one load serves all.
    """
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    # pytest-django's database guard is process-wide: lift it while the server thread serves.
    with django_db_blocker.unblock():
        yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


@pytest.fixture
def page(browser, server_url):
    context = browser.new_context(base_url=server_url, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def current_totp_code(username: str) -> str:
    """The code an authenticator app set up with the user's secret shows now, as the app
    computes it (RFC 6238). A code is accepted once: if this time step's code was already used
    (several log-ins within 30 s), the next step's code, within the one step of clock drift
    the server allows, else wait for a fresh step."""
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while True:
        totp.time = time.time()
        if totp.t() > device.last_t:
            break
        if totp.t() + 1 > device.last_t:
            totp.time += device.step
            break
        time.sleep(1)
    return f"{totp.token():0{device.digits}d}"


def log_in_as(page, username: str, password: str) -> None:
    """Log in through the form, as a person does (also used by scripts/screenshots.py)."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    # Administrators (the demo admin has an authenticator) then enter their code.
    if "/accounts/two-factor/verify/" in page.url:
        page.fill("input[name=code]", current_totp_code(username))
        page.click("button[type=submit].primary")
        page.wait_for_url(lambda url: "/accounts/two-factor/" not in url)


@pytest.fixture
def log_in(page):
    return functools.partial(log_in_as, page)
