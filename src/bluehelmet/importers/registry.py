"""Every import kind, and the one way to run an import.

    run_import("ged", "ged231.csv", progress=print_progress) -> ImportSummary

raises ImportFailed (with the errors) and leaves the database as it was when the file
has any error.
"""

from pathlib import Path

from bluehelmet.civilaffairs.importers import CIVILAFFAIRS_IMPORTERS
from bluehelmet.forces.importers import FORCES_IMPORTERS
from bluehelmet.humanitarian.importers import HUMANITARIAN_IMPORTERS
from bluehelmet.incidents.importers import AcledIncidentImporter, GedIncidentImporter

from .base import ImportFailed, ImportSummary, Importer, ProgressCallback
from .boundaries import BoundaryImporter
from .conflict_months import ConflictMonthImporter
from .ged import GedImporter
from .geopko import GeoPkoImporter
from .geopko_years import ContributorsImporter, FrontmapImporter, TroopTypesImporter
from .missions import MissionCountriesImporter, MissionListImporter
from .strength import StrengthImporter

REGISTRY: dict[str, type[Importer]] = {
    importer.kind: importer
    for importer in (
        GedImporter, GeoPkoImporter, FrontmapImporter, TroopTypesImporter, ContributorsImporter,
        MissionListImporter, MissionCountriesImporter, BoundaryImporter, StrengthImporter, ConflictMonthImporter,
        GedIncidentImporter, AcledIncidentImporter, *FORCES_IMPORTERS, *CIVILAFFAIRS_IMPORTERS, *HUMANITARIAN_IMPORTERS,
    )
}


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
    return importer_class(path, progress=progress, **options).run()


__all__ = ["REGISTRY", "ImportFailed", "ImportSummary", "get_importer", "run_import"]
