"""Every import kind, and the one way to run an import.

    run_import("ged", "ged231.csv", progress=print_progress) -> ImportSummary

raises ImportFailed (with the errors) and leaves the database as it was when the file
has any error.

The kinds are not listed here: the app that owns the records an importer writes registers
it, in its AppConfig.ready, so this module imports no app (docs/adr/0003-registries.md):

    from bluehelmet.importers.registry import register

    register(GeoPkoImporter, StrengthImporter)

A kind is registered once; a second importer claiming the same kind is an error.
"""

from pathlib import Path

from bluehelmet.core import freshness, search

from .base import Importer, ImportFailed, ImportSummary, ProgressCallback, tracking_writes

REGISTRY: dict[str, type[Importer]] = {}


def register(*importers: type[Importer]) -> None:
    """Offer these importers under their `kind` (registering the same class again keeps one)."""
    for importer in importers:
        known = REGISTRY.get(importer.kind)
        if known is not None and known is not importer:
            raise ValueError(
                f"import kind {importer.kind!r} is already registered by {known.__module__}.{known.__name__}"
            )
        REGISTRY[importer.kind] = importer


def get_importer(kind: str) -> type[Importer]:
    try:
        return REGISTRY[kind]
    except KeyError:
        raise ValueError(f"unknown import kind {kind!r}; known: {', '.join(REGISTRY)}") from None


def run_import(kind: str, path: str | Path, *, progress: ProgressCallback | None = None, **options) -> ImportSummary:
    """Import one file of the given kind. Options a kind does not take are a TypeError;
    empty ones (None, "") are ignored, so callers can pass form fields as they are."""
    importer_class = get_importer(kind)
    options = {name: value for name, value in options.items() if value not in (None, "")}
    with tracking_writes() as written:
        summary = importer_class(path, progress=progress, **options).run()
    # Imports rewrite rows in bulk, past the models' signals: every mission's cached aggregates
    # (core.freshness) are computed again, and the search index of what was written rebuilt.
    freshness.changed()
    search.reindex_models(written)
    return summary


__all__ = ["REGISTRY", "ImportFailed", "ImportSummary", "get_importer", "register", "run_import"]
