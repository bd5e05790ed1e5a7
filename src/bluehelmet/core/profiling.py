"""Where a request's time goes, per URL name: an opt-in profile for load benchmarks.

Off unless BLUEHELMET_PROFILE_DIR names a folder: settings then put a probe before, between
and after the middleware (`instrument`), and nothing of this module runs otherwise. With it
on, every request's wall time is split, exclusively, into sections:

- `middleware: <class>`  each middleware's own code, before and after the ones it wraps
  (session save, CSRF, CSP header, audit actor, ...);
- `view`                 URL resolution, process_view hooks, the view's Python;
- `template`             Django template rendering;
- `serialise`            REST framework serializers (`.data`), the JSON renderer and
  JsonResponse (the map data's GeoJSON);
- `sql`, `sql: session`, `sql: audit log`  time inside the database driver (every query,
  through `connection.execute_wrapper`), with how many queries.

Each server process appends one JSON line per request to `profile-<pid>.jsonl` in that
folder; benchmarks/load_faults.py reads them all and prints a table per request kind.
"""

import json
import os
import threading
import time
from pathlib import Path

PROBE = "bluehelmet.core.profiling.Probe"
_local = threading.local()
_write_lock = threading.Lock()
_installed = False


def instrument(middleware: list[str]) -> list[str]:
    """The middleware list with a probe before each one and one after the last."""
    probed = []
    for position, path in enumerate(middleware):
        probed += [f"{PROBE}{position}", path]
    return [*probed, f"{PROBE}{len(middleware)}"]


def __getattr__(name: str):
    """`Probe<n>`: the probe in front of the n-th middleware (a class per position, made
    when Django imports it from the settings)."""
    if name.startswith("Probe") and name[5:].isdigit():
        return type(name, (Probe,), {"position": int(name[5:])})
    raise AttributeError(name)


class Trace:
    """One request's clock: time runs into the section on top of the stack."""

    def __init__(self):
        self.stack: list[str] = []
        self.seconds: dict[str, float] = {}
        self.queries: dict[str, int] = {}
        self.mark = time.perf_counter()

    def _charge(self) -> None:
        now = time.perf_counter()
        if self.stack:
            top = self.stack[-1]
            self.seconds[top] = self.seconds.get(top, 0.0) + now - self.mark
        self.mark = now

    def push(self, section: str) -> None:
        self._charge()
        self.stack.append(section)

    def pop(self) -> None:
        self._charge()
        self.stack.pop()


def _trace() -> Trace | None:
    return getattr(_local, "trace", None)


class section:  # noqa: N801 - used like a function: `with section("template"):`
    def __init__(self, name: str):
        self.name = name

    def __enter__(self):
        self.trace = _trace()
        if self.trace is not None:
            self.trace.push(self.name)

    def __exit__(self, *exc):
        if self.trace is not None:
            self.trace.pop()


def _timed_sql(execute, sql, params, many, context):
    trace = _trace()
    if trace is None:
        return execute(sql, params, many, context)
    statement = sql if isinstance(sql, str) else str(sql)
    name = "sql: session" if "django_session" in statement else "sql: audit log" if "auditlog_" in statement else "sql"
    trace.queries[name] = trace.queries.get(name, 0) + 1
    trace.push(name)
    try:
        return execute(sql, params, many, context)
    finally:
        trace.pop()


def _wrap(owner, attribute: str, name: str, is_property: bool = False) -> None:
    original = getattr(owner, attribute)
    function = original.fget if is_property else original

    def timed(*args, **kwargs):
        with section(name):
            return function(*args, **kwargs)

    setattr(owner, attribute, property(timed) if is_property else timed)


def _install() -> None:
    """Time template rendering and serialisation (once per process, only when profiling)."""
    global _installed
    if _installed:
        return
    _installed = True
    from django.http import JsonResponse
    from django.template.backends.django import Template
    from rest_framework.renderers import JSONRenderer
    from rest_framework.serializers import BaseSerializer

    _wrap(Template, "render", "template")
    _wrap(JSONRenderer, "render", "serialise")
    _wrap(JsonResponse, "__init__", "serialise")  # the pages' JSON and GeoJSON (json.dumps)
    _wrap(BaseSerializer, "data", "serialise", is_property=True)


class Probe:
    """Sits in front of middleware number `position` (after the last one: the view)."""

    position = 0

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        names = [path for path in settings.MIDDLEWARE if not path.startswith(PROBE)]
        self.section = f"middleware: {names[self.position].rsplit('.', 1)[1]}" if self.position < len(names) else "view"
        if self.position == 0:
            _install()
            folder = Path(os.environ.get("BLUEHELMET_PROFILE_DIR", "") or settings.BLUEHELMET_PROFILE_DIR)
            folder.mkdir(parents=True, exist_ok=True)
            self.folder = folder

    def __call__(self, request):
        if self.position:
            with section(self.section):
                return self.get_response(request)
        return self.outermost(request)

    def outermost(self, request):
        from django.db import connection

        trace = Trace()
        _local.trace = trace
        started = time.perf_counter()
        try:
            with connection.execute_wrapper(_timed_sql), section(self.section):
                response = self.get_response(request)
        finally:
            _local.trace = None
        match = getattr(request, "resolver_match", None)
        route = (match.view_name if match else "") or "(no route)"
        record = {
            "t": time.time(),
            "kind": f"{request.method} {route}",
            "status": response.status_code,
            "total": time.perf_counter() - started,
            "seconds": trace.seconds,
            "queries": trace.queries,
        }
        line = json.dumps(record) + "\n"
        with _write_lock, open(self.folder / f"profile-{os.getpid()}.jsonl", "a") as output:
            output.write(line)
        return response
