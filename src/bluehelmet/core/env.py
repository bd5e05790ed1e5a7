"""Settings read from environment variables, refused when they do not make sense.

Each helper names the variable and the value it could not use, so a deployment with a typo
(`BLUEHELMET_JOB_TIMEOUT=3h`, `BLUEHELMET_HTTPS=yes please`) stops at start-up with a message that
says what to fix, instead of running with a silently different value. Plain Python: settings.py
imports this before Django is configured.
"""

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _refuse(name: str, value: str, expected: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{name}={value!r}: expected {expected}")


def text(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def flag(name: str, default: bool = False) -> bool:
    """1/0, true/false, yes/no, on/off (any case); unset or empty: the default."""
    value = text(name).lower()
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _refuse(name, value, "1 or 0 (true/false, yes/no, on/off)")


def integer(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    """A whole number within [minimum, maximum]; unset or empty: the default."""
    value = text(name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise _refuse(name, value, "a whole number") from None
    if number < minimum or (maximum is not None and number > maximum):
        upper = "" if maximum is None else f" and at most {maximum}"
        raise _refuse(name, value, f"a whole number of at least {minimum}{upper}")
    return number


def words(name: str, default: str = "") -> list[str]:
    """A comma-separated list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def day_counts(name: str, known: Mapping[str, int]) -> dict[str, int]:
    """`category=days,...` over the known categories' defaults; an unknown category or a count
    that is not a whole number is refused (a misspelt category would otherwise keep personal
    data for the default period without anyone noticing)."""
    counts = dict(known)
    for item in words(name):
        category, sep, days = item.partition("=")
        category, days = category.strip(), days.strip()
        if not sep or category not in known:
            raise _refuse(name, item, f"category=days with a category among {', '.join(sorted(known))}")
        if not days.isdigit():
            raise _refuse(name, item, f"{category}=<whole number of days>")
        counts[category] = int(days)
    return counts


def home(name: str = "BLUEHELMET_HOME") -> Path:
    return Path(os.environ.get(name) or Path.home() / ".bluehelmet").expanduser()


def secret_key(home_dir: Path, name: str = "BLUEHELMET_SECRET_KEY") -> str:
    """The configured key, else one generated once and kept in the home folder (created here,
    at the first use of the key, not when the settings module is imported)."""
    if key := text(name):
        return key
    path = home_dir / "secret_key"
    if not path.exists():
        home_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()
