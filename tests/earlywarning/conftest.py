"""Fixtures of the early-warning tests: synthetic but realistic event histories."""

import datetime

import numpy as np
import polars as pl
import pytest

from bluehelmet.core.models import Place
from bluehelmet.datasets.models import ConflictEvent

# Cells and towns of the Central African Republic (real coordinates: Bangui, Bria, Bambari,
# Kaga-Bandoro); events here are generated, never presented as real.
TOWNS = [
    ("Bangui province", 4.3612, 18.5550),
    ("Haute-Kotto province", 6.5423, 21.9863),
    ("Ouaka province", 5.7679, 20.6757),
    ("Nana-Grébizi province", 6.9896, 19.1873),
]
SMALL_MODEL = {"n_estimators": 15, "min_data_in_leaf": 5}


def synthetic_events(n_months: int = 48, seed: int = 3, start=(2018, 1), towns=TOWNS) -> pl.DataFrame:
    """A few events a month around each town, more in some towns than others, with a
    run of quiet months: enough structure for a model to learn something."""
    rng = np.random.default_rng(seed)
    rows = []
    for m in range(n_months):
        year, month = start[0] + (start[1] - 1 + m) // 12, (start[1] - 1 + m) % 12 + 1
        for k, (adm1, lat, lon) in enumerate(towns):
            rate = (k + 1) * (0.3 if 20 <= m < 28 else 1.0)
            for _ in range(rng.poisson(rate)):
                rows.append(
                    {
                        "date_start": datetime.date(year, month, int(rng.integers(1, 28))),
                        "type_of_violence": int(rng.integers(1, 4)),
                        "best": float(rng.poisson(3 * (k + 1))),
                        "latitude": lat + float(rng.normal(0, 0.2)),
                        "longitude": lon + float(rng.normal(0, 0.2)),
                        "adm_1": adm1,
                    }
                )
    return pl.DataFrame(rows)


def store_events(country: Place, frame: pl.DataFrame, first_id: int = 500000) -> int:
    ConflictEvent.objects.bulk_create(
        [
            ConflictEvent(
                ged_id=first_id + i,
                year=row["date_start"].year,
                date_start=row["date_start"],
                date_end=row["date_start"],
                type_of_violence=row["type_of_violence"],
                best=int(row["best"]),
                latitude=row["latitude"],
                longitude=row["longitude"],
                adm_1=row.get("adm_1") or "",
                country=country,
                country_name=country.name,
            )
            for i, row in enumerate(frame.iter_rows(named=True))
        ]
    )
    return frame.height


@pytest.fixture
def events_frame():
    return synthetic_events()


@pytest.fixture
def car_history(other_mission, other_country):
    """MINUSCA with four years of generated events in the Central African Republic."""
    store_events(other_country, synthetic_events())
    return other_mission
