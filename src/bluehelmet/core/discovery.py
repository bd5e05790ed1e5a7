"""Finding what each app registers: `<app>/<name>.py` modules imported once per process.

The registries of core (capabilities in permissions.py, inbox sources in inbox.py, commentable
records in comments.py, search kinds in search.py, retention rules in retention.py) are filled
by importing those modules, the way Django's admin finds admin.py.
"""

from functools import cache

from django.utils.module_loading import autodiscover_modules


@cache
def discover(module_name: str) -> None:
    """Import `<app>/<module_name>.py` of every installed app, the first time only (a failed
    import is not remembered: the next call tries again)."""
    autodiscover_modules(module_name)
