"""BLUEHELMET_HTTPS turns on the settings a site behind a TLS proxy needs; off, none of them."""

import json
import os
import subprocess
import sys

PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
    "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER]))"
)


def settings_with(tmp_path, **env):
    environment = {
        **os.environ,
        "BLUEHELMET_HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "bluehelmet.settings",
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], env=environment, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_https_settings_follow_the_environment(tmp_path):
    assert settings_with(tmp_path, BLUEHELMET_HTTPS="0") == [False, False, False, 0, None]
    assert settings_with(tmp_path, BLUEHELMET_HTTPS="1") == [
        True,
        True,
        True,
        31536000,
        ["HTTP_X_FORWARDED_PROTO", "https"],
    ]
