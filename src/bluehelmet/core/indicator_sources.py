"""Figures an area offers to other areas' indicators: a registry each app fills in its
AppConfig.ready, so performance's formulas can read DDR or civil affairs (its siblings in
the layers, docs/architecture.md) without importing them.

    from bluehelmet.core.indicator_sources import register_indicator_source

    register_indicator_source("ddr.reintegration_rate", "bluehelmet.ddr.indicators.reintegration_rate")

A source is a function (or its dotted path, imported when first asked for) of the mission and
whatever else its owner documents; it returns a number, a duration, or None for "no data".
An unknown name is an area not installed: `indicator_source` returns None.
"""

from collections.abc import Callable

from django.utils.module_loading import import_string

_sources: dict[str, str | Callable] = {}


def register_indicator_source(name: str, function: str | Callable) -> None:
    """Offer a figure under a name (the same function again keeps one; another is an error)."""
    known = _sources.get(name)
    if known is not None and known != function:
        raise ValueError(f"indicator source {name!r} is already registered")
    _sources[name] = function


def indicator_source(name: str) -> Callable | None:
    function = _sources.get(name)
    if isinstance(function, str):
        function = _sources[name] = import_string(function)
    return function


def indicator_source_names() -> list[str]:
    return sorted(_sources)
