import pytest

from bluehelmet.core.models import Place
from bluehelmet.core.places import (
    PointLocator,
    canonical_country_name,
    get_or_create_country,
    repair_mojibake,
    site_key,
)
from bluehelmet.importers.registry import run_import

from .conftest import CHIEFDOMS, DISTRICTS


@pytest.mark.parametrize(
    "name, canonical",
    [
        ("Republic of Sierra Leone", "Sierra Leone"),
        ("South Sudan'", "South Sudan"),
        ("  Sierra   Leone ", "Sierra Leone"),
        ("DRC", "DR Congo"),
        ("Cote D’Ivoire", "Côte d'Ivoire"),
        ("Ivory Coast", "Côte d'Ivoire"),
        ("Nepal", "Nepal"),
    ],
)
def test_canonical_country_name(name, canonical):
    assert canonical_country_name(name) == canonical


def test_get_or_create_country(db):
    first = get_or_create_country("Republic of Sierra Leone")
    again = get_or_create_country("Sierra Leone", code="451")
    assert first.pk == again.pk and again.key == "country:Sierra Leone"
    assert again.country == again and again.code == "451" and again.kind == Place.Kind.COUNTRY


def test_site_key():
    assert site_key(" Bo ", 7.964722, -11.738333) == "site:Bo:7.96472:-11.73833"


def test_point_locator_finds_the_deepest_area(db):
    assert not PointLocator()
    run_import("boundaries", DISTRICTS)
    run_import("boundaries", CHIEFDOMS)
    locator = PointLocator()
    kenema = locator.locate(7.87666667, -11.1875)  # Geo-PKO's Kenema site
    assert kenema.kind == Place.Kind.ADM3 and kenema.parent.name == "Kenema"
    assert locator.country_id_of(kenema) == Place.objects.get(key="country:Sierra Leone").pk
    assert locator.locate(6.0, 1.2) is None  # Lomé, Togo: outside every loaded area


@pytest.mark.parametrize(
    "raw, repaired",
    [
        ("DÃ©koa", "Dékoa"),
        ("NdÃ©lÃ©", "Ndélé"),
        ("M'BaÃ¯ki", "M'Baïki"),
        ("Dékoa", "Dékoa"),  # already right
        ("Bo", "Bo"),
        ("Ã", "Ã"),  # not a UTF-8 sequence: left alone
    ],
)
def test_mojibake_in_site_names_is_repaired(raw, repaired):
    assert repair_mojibake(raw) == repaired
