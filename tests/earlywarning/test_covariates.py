"""Covariates that know where the peacekeepers are (analytics.forecast.covariates, no Django)."""

import numpy as np
import polars as pl
import pytest

from bluehelmet.analytics.forecast import LightGBMForecaster
from bluehelmet.analytics.forecast.covariates import (
    NO_BASE_KM,
    ablation,
    ablation_variants,
    format_ablation,
    haversine_km,
    in_zones,
    months_to_next,
    peacekeeper_covariates,
    point_counts,
    population_within,
    select_families,
    with_families,
)
from bluehelmet.analytics.panel import PanelError, events_panel, month_id

from .conftest import SMALL_MODEL, synthetic_events

KM_PER_DEGREE = 6371.0088 * np.pi / 180  # along the equator and any meridian

# Two units on the equator, one degree apart; sites at longitude 0.2 and 0.9.
UNITS = np.array([[0.0, 0.0], [0.0, 1.0]])
MONTHS = np.arange(100, 106, dtype=np.int32)


def _maps(*rows):
    return pl.DataFrame(
        [dict(zip(("source", "month_id", "latitude", "longitude", "troops"), row)) for row in rows],
        schema={
            "source": pl.Utf8,
            "month_id": pl.Int32,
            "latitude": pl.Float64,
            "longitude": pl.Float64,
            "troops": pl.Float64,
        },
    )


def test_haversine_matches_a_degree_of_the_equator():
    assert haversine_km(0, 0, 0, 1) == pytest.approx(KM_PER_DEGREE, rel=1e-9)
    assert haversine_km(0, 0, 1, 0) == pytest.approx(KM_PER_DEGREE, rel=1e-9)


def test_distance_and_troops_within_radius_on_known_answers():
    # Mission A's map of month 101: a site 22 km from unit 0 (300 troops) and one 11 km
    # from unit 1 (strength unknown). Its map of month 103 keeps only the first, at 500.
    maps = _maps(("A", 101, 0.0, 0.2, 300), ("A", 101, 0.0, 0.9, None), ("A", 103, 0.0, 0.2, 500))
    covariates = peacekeeper_covariates(UNITS, MONTHS, maps)
    near0, near1 = 0.2 * KM_PER_DEGREE, 0.1 * KM_PER_DEGREE
    # Month 100: no map yet, so no site known: the "none" distance and no troops.
    assert covariates["un_site_km"][:, 0].tolist() == [NO_BASE_KM, NO_BASE_KM]
    assert covariates["troops_25km"][:, 0].tolist() == [0, 0]
    # Months 101-102: the first map; an unknown strength is a site (distance) but 0 troops.
    np.testing.assert_allclose(covariates["un_site_km"][:, 1:3], [[near0] * 2, [near1] * 2], rtol=1e-5)
    assert covariates["troops_25km"][:, 1:3].tolist() == [[300, 300], [0, 0]]
    # Unit 1 is 0.8 degree (89 km) from the first site: outside 50 km too.
    assert covariates["troops_50km"][:, 1].tolist() == [300, 0]
    # From month 103 the newer map replaces the old one whole: site 2 is gone.
    np.testing.assert_allclose(covariates["un_site_km"][1, 3:], 0.8 * KM_PER_DEGREE, rtol=1e-5)
    assert covariates["troops_25km"][:, 3:].tolist() == [[500] * 3, [0] * 3]


def test_deployments_never_leak_from_later_maps():
    """A month's covariates are the same whether or not later maps exist."""
    early = _maps(("A", 101, 0.0, 0.2, 300))
    later = _maps(("A", 101, 0.0, 0.2, 300), ("A", 104, 0.0, 0.95, 900), ("B", 105, 0.0, 0.0, 50))
    with_early = peacekeeper_covariates(UNITS, MONTHS, early)
    with_later = peacekeeper_covariates(UNITS, MONTHS, later)
    for name, values in with_early.items():
        np.testing.assert_array_equal(values[:, :3], with_later[name][:, :3])  # months 100-103
    assert with_later["troops_25km"][1, 4] == 900  # and the later map counts from its own month


def test_a_map_stops_at_the_missions_end_and_when_stale():
    maps = _maps(("A", 100, 0.0, 0.0, 100), ("B", 100, 0.0, 1.0, 40))
    covariates = peacekeeper_covariates(UNITS, MONTHS, maps, ends={"A": 102}, max_staleness=4)
    assert covariates["troops_25km"][0].tolist() == [100, 100, 100, 0, 0, 0]  # A left after 102
    assert covariates["troops_25km"][1].tolist() == [40, 40, 40, 40, 40, 0]  # B's map is 5 months old in 105
    # A source that gives every month (a mission's postings) holds for no month more.
    monthly = peacekeeper_covariates(UNITS, MONTHS, maps, max_staleness={"A": 0})
    assert monthly["troops_25km"][0].tolist() == [100, 0, 0, 0, 0, 0]
    assert monthly["troops_25km"][1].tolist() == [40] * 6  # B keeps the default 24 months


def test_population_and_records_within_radius():
    places = pl.DataFrame({"latitude": [0.0, 0.0, 0.0], "longitude": [0.1, 0.5, 1.3], "population": [1000, 20, 7]})
    people = population_within(UNITS, 3, places)["population_50km"]
    # 11 km from unit 0; 55.6 km from both (outside 50 km); 33 km from unit 1.
    assert people.tolist() == [[1000] * 3, [7] * 3]
    records = pl.DataFrame({"month_id": [99, 100, 100, 102, 106], "latitude": [0.0] * 5, "longitude": [0.0] * 5})
    counts = point_counts(UNITS, MONTHS, records)
    assert counts[0].tolist() == [2, 0, 1, 0, 0, 0]  # months outside the panel are dropped
    assert counts[1].sum() == 0


def test_months_to_next_election_and_zones():
    ahead = months_to_next(MONTHS, [102, 130], cap=24)
    assert ahead.tolist() == [[2, 1, 0, 24, 24, 24]]  # 130 is 25+ months after 103..105
    square = {"type": "Polygon", "coordinates": [[[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [-0.5, -0.5]]]}
    flags = in_zones(UNITS, MONTHS, [(square, 101, 102)])
    assert flags.tolist() == [[0, 1, 1, 0, 0, 0], [0] * 6]


def test_with_families_keeps_the_panels_own_columns_and_refuses_unknown_families():
    panel = events_panel(synthetic_events(n_months=30), "adm1", covariate_targets=["events"])
    extra = {"un_site_km": np.ones_like(panel.y), "population_50km": np.ones_like(panel.y)}
    assert set(with_families(panel, extra, ["peacekeepers"]).covariates) == {"events", "un_site_km"}
    assert set(with_families(panel, extra, []).covariates) == {"events"}
    with pytest.raises(PanelError, match="unknown covariate family"):
        with_families(panel, extra, ["weather"])


def test_ablation_table_on_a_tiny_panel():
    panel = events_panel(synthetic_events(n_months=48), "adm1", first_month=month_id(2018, 1))
    centroids = np.array([[4.36, 18.55], [6.54, 21.99], [5.77, 20.68], [6.99, 19.19]])[: len(panel.units)]
    maps = _maps(("M", month_id(2019, 6), 5.77, 20.68, 800), ("M", month_id(2020, 6), 6.54, 21.99, 400))
    covariates = {
        **peacekeeper_covariates(centroids, panel.months, maps),
        **population_within(
            centroids, len(panel.months), pl.DataFrame({"latitude": [4.4], "longitude": [18.6], "population": [900000]})
        ),
    }
    horizons = [1, 2]
    origins = [int(panel.last_month) - 2 - k for k in (2, 1, 0)]
    variants = ablation_variants(["peacekeepers", "population"])
    assert list(variants) == ["none", "+peacekeepers", "+population", "all"]
    table = ablation(
        panel, covariates, origins, horizons, lambda: LightGBMForecaster(horizons, **SMALL_MODEL), variants
    )
    assert table["variant"].to_list() == list(variants)
    assert table["rows"].to_list() == [len(origins) * len(horizons) * len(panel.units)] * 4
    assert table.select(pl.col("MSLE").is_finite().all(), pl.col("CRPS").is_finite().all()).row(0) == (True, True)
    # The covariates reach the model: a variant with a family scores differently from none.
    assert table.filter(pl.col("variant") == "all")["MSLE"][0] != table.filter(pl.col("variant") == "none")["MSLE"][0]
    text = format_ablation(table)
    assert "+peacekeepers" in text and "vs none" in text

    # The selection rule: a family is kept only if it lowers both metrics, averaged over levels.
    def made(msle, crps):
        return pl.DataFrame({"variant": ["none", "+a"], "MSLE": [1.0, msle], "CRPS": [1.0, crps]})

    assert select_families({"pgm": made(0.9, 0.95), "adm1": made(1.05, 0.99)}, ["a"]) == {"a": True}
    assert select_families({"pgm": made(0.9, 1.01), "adm1": made(0.9, 1.01)}, ["a"]) == {"a": False}
