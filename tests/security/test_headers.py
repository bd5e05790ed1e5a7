"""Security headers and cookie settings on every response."""

from django.test import Client

from bluehelmet.core.models import Role
from tests.factories import PASSWORD, make_user


def test_login_page_headers_and_policy(db):
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "microphone=()" in response["Permissions-Policy"]
    from .html_checks import parse_policy

    header = response["Content-Security-Policy"]
    policy = parse_policy(header)
    assert policy["script-src"] == ["'self'"]
    for directive, sources in {
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }.items():
        assert policy[directive] == sources, directive
    assert policy["img-src"] == ["'self'", "data:"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


def test_tile_server_is_allowed_for_images():
    from bluehelmet import settings as project_settings

    assert project_settings._tile_origin("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png") == [
        "https://*.tile.openstreetmap.org"
    ]
    assert project_settings._tile_origin("https://tiles.example.org:8443/{z}/{x}/{y}.png") == [
        "https://tiles.example.org:8443"
    ]
    assert project_settings._tile_origin("") == []


def test_session_and_csrf_cookies(mission):
    user = make_user("ana", mission, Role.ANALYST)
    client = Client()
    page = client.get("/accounts/login/")
    csrf = page.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert not session["max-age"] and not session["expires"]  # ends when the browser closes


def test_idle_session_expires(settings, mission):
    user = make_user("ana", mission, Role.ANALYST)
    client = Client()
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert client.get("/").status_code == 200
    assert 0 < client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE
    # The server keeps the expiry: a session idle past it is gone.
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    assert client.get("/").status_code == 302


def test_password_rules_are_strong(settings):
    names = [validator["NAME"].rsplit(".", 1)[-1] for validator in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("short1", "password123", "12345678901"):
        try:
            validate_password(weak)
        except ValidationError:
            continue
        raise AssertionError(f"{weak!r} was accepted")


def test_the_standalone_report_style_block_is_allowed_by_its_hash(db):
    """The report file is written once and served later (no per-response nonce possible): the
    policy carries the hash of its <style> block, so the file keeps its look when served."""
    from pathlib import Path

    import bluehelmet

    from .html_checks import csp_problems

    policy = Client().get("/accounts/login/")["Content-Security-Policy"]
    template = Path(bluehelmet.__file__).parent / "performance/templates/performance/report.html"
    style_only = template.read_text(encoding="utf-8")
    assert "<style>" in style_only
    assert [p for p in csp_problems(style_only, policy) if "<style>" in p] == []
    assert [p for p in csp_problems(style_only) if "<style>" in p]  # without the policy's hash: refused
