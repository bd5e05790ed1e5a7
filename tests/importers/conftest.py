"""Helpers for the importer tests: the shipped data files, real subsets of them, and a
snapshot of every table to prove a failed import changed nothing."""

import csv
from pathlib import Path

import pytest
from django.apps import apps

DATA = Path(__file__).resolve().parents[2] / "src" / "bluehelmet" / "data"
GED = DATA / "ucdp" / "ged231_events_central_african_republic.csv"
GEOPKO = DATA / "geopko" / "geopko_v1_2_africa_1994_2018_location_month.csv"
FRONTMAP = DATA / "geopko" / "geopko_v2.3_frontmap_mission_year_location.csv"
TROOP_TYPES = DATA / "geopko" / "geopko_v2.3_ttmap_troop_types.csv"
CONTRIBUTORS = DATA / "geopko" / "geopko_v2.3_tccmap_contributors.csv"
MISSIONS = DATA / "missions" / "un_pko_list_start_end_month.csv"
MISSION_COUNTRIES = DATA / "missions" / "ipi_mission_country_continent.csv"
STRENGTH = DATA / "personnel" / "personnel_shortfall_mission_month_1990_2015.csv"
CONFLICT_MONTHS = DATA / "cases" / "sierra_leone_conflict_month_1991_2002.csv"
DISTRICTS = DATA / "boundaries" / "sle_adm0_adm2_districts_geoboundaries_simplified.geojson"
CHIEFDOMS = DATA / "boundaries" / "sle_adm3_chiefdoms_geoboundaries_simplified.geojson"


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, list(reader)


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def subset(tmp_path):
    """subset(source, keep=lambda row: ..., edit=lambda rows: ...) -> a CSV of real rows."""

    def make(source: Path, keep=None, edit=None, name: str | None = None) -> Path:
        header, rows = read_rows(source)
        if keep is not None:
            index = {column: i for i, column in enumerate(header)}
            rows = [row for row in rows if keep({column: row[i] for column, i in index.items()})]
        if edit is not None:
            rows = edit(header, rows) or rows
        return write_csv(tmp_path / (name or source.name), header, rows)

    return make


def table_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("core", "incidents", "forces")
    }


def set_cell(header: list[str], row: list[str], column: str, value: str) -> list[str]:
    row = list(row)
    row[header.index(column)] = value
    return row
