"""Demo steps that import shipped data files (see core.demo for the registry of steps)."""

import time
from dataclasses import dataclass

from bluehelmet.core.demo import DATA_DIR

from .registry import run_import


@dataclass(frozen=True)
class DemoImports:
    """Import these files, in this order: (kind, path under src/bluehelmet/data/, options)."""

    files: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]

    def __call__(self, progress) -> None:
        for kind, relative_path, options in self.files:
            started = time.perf_counter()
            summary = run_import(kind, DATA_DIR / relative_path, **dict(options))
            progress(f"{kind:<20} {relative_path:<70} {summary.rows:>6} rows in {time.perf_counter() - started:5.1f} s")


# Boundaries and missions first, so that sites find their admin areas and deployments their missions.
PLACES_AND_MISSIONS = DemoImports(
    (
        ("boundaries", "boundaries/sle_adm0_adm2_districts_geoboundaries_simplified.geojson", ()),
        (
            "boundaries",
            "boundaries/sle_adm3_chiefdoms_geoboundaries_simplified.geojson",
            (("country", "Sierra Leone"),),
        ),
        # The Central African Republic (MINUSCA): OCHA's prefectures, then the sub-prefectures
        # that nest in them by P-code.
        ("boundaries", "boundaries/caf_adm1_prefectures_ocha_codab.geojson", ()),
        ("boundaries", "boundaries/caf_adm2_subprefectures_ocha_codab_v2.geojson", ()),
        ("missions", "missions/un_pko_list_start_end_month.csv", ()),
        ("mission-countries", "missions/ipi_mission_country_continent.csv", ()),
        # The gazetteer of the demo missions' host countries, placed in the boundaries above.
        ("gazetteer", "gazetteer/geonames_cities500_sl_cf_lr.csv", ()),
    )
)
