"""Import kinds of the reference data sets (registered by DatasetsConfig.ready):

- `ged` (UCDP GED events) and `conflict-months` (conflict-month series);
- `geopko` (Geo-PKO v1.2 location-months), `geopko-frontmap`, `geopko-troop-types` and
  `geopko-contributors` (the Geo-PKO v2.3 site-year files), `strength` (monthly mission
  strength).
"""

from .conflict_months import ConflictMonthImporter
from .ged import GedImporter
from .geopko import GeoPkoImporter
from .geopko_years import ContributorsImporter, FrontmapImporter, TroopTypesImporter
from .strength import StrengthImporter

DATASET_IMPORTERS = (
    GedImporter,
    ConflictMonthImporter,
    GeoPkoImporter,
    FrontmapImporter,
    TroopTypesImporter,
    ContributorsImporter,
    StrengthImporter,
)
