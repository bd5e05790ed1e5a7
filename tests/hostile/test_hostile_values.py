"""Values no form would send, each once a 500: numbers too large for any database column in
query parameters, and the ids read from requests (core.params)."""

from urllib.parse import urlencode

import pytest

from bluehelmet.core.params import MAX_ID, id_list, positive_id
from tests.walk.routes import ROUTES

from .conftest import SKIPPED_APPS, app_of_module
from .test_injection import PAGE_PARAMETERS, filter_parameters, searchable  # noqa: F401 (fixture)

HUGE = "99999999999999999999999"
# Parameters read as ids, besides the filter sets': the live feed's `shown` list, the
# perception page's survey, a new task's alert and incident, the early-warning run.
ID_PARAMETERS = ["shown", "survey", "agreement", "alert", "incident", "run", "h"]


@pytest.mark.parametrize(
    "value,expected",
    [
        ("12", 12),
        (" 7 ", 7),
        (3, 3),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        (HUGE, None),
        ("0", None),
        ("-1", None),
        ("+1", None),
        ("1.0", None),
        ("1e3", None),
        ("²", None),
        ("٣", None),
        ("", None),
        (None, None),
        (True, None),
        (["1"], None),
    ],
)
def test_positive_id_takes_only_what_can_be_a_record_id(value, expected):
    assert positive_id(value) == expected


def test_id_list_keeps_the_ids_and_stops_at_the_limit():
    assert id_list(f"3,x,{HUGE},-2,5,²,8", limit=10) == [3, 5, 8]
    assert id_list(",".join(["1"] * 1000), limit=3) == [1, 1, 1]
    assert id_list(None, limit=3) == []


@pytest.mark.parametrize("payload", [HUGE, f"-{HUGE}", f"1,{HUGE}", "²"])
def test_pages_survive_numbers_too_large_for_the_database(searchable, payload):
    """Every page with every parameter it reads set to a number no 64-bit column holds (the
    live feed's `since`/`shown`, `?agreement=`, the perception page's `?survey=`, ...)."""
    names = sorted(set(PAGE_PARAMETERS) | set(ID_PARAMETERS) | set(filter_parameters()))
    pages = [
        route.paths["A"]
        for route in ROUTES
        if route.paths["A"]
        and not route.is_drf
        and not route.paths["A"].startswith("/admin/")
        and app_of_module(route.callback.__module__) not in SKIPPED_APPS
    ]
    assert "/missions/UNAMSIL/incidents/feed/" in pages and "/missions/UNAMSIL/civilaffairs/surveys/" in pages
    query = urlencode(dict.fromkeys(names, payload))
    for path in pages:
        response = searchable.get(f"{path}?{query}")
        assert response.status_code < 500, (path, response.status_code)


def test_the_agreement_filter_refuses_an_impossible_id_through_the_api(searchable):
    assert searchable.get("/api/incidents/", {"agreement": HUGE}).status_code == 400
    assert searchable.get("/missions/UNAMSIL/incidents/list/", {"agreement": HUGE}).status_code == 200


def test_a_json_body_over_the_limit_is_refused_before_it_is_parsed(client, users, settings):
    """DRF's JSON parser reads the body past DATA_UPLOAD_MAX_MEMORY_SIZE; the middleware does not."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(users["reporter"])
    response = client.post("/api/incidents/", '{"narrative": "' + "x" * 2000 + '"}', content_type="application/json")
    assert response.status_code == 413
    # A multipart upload is left to Django (its files go to disk); a small body is parsed.
    assert client.post("/api/incidents/", {"narrative": "x"}).status_code != 413
    assert client.post("/api/incidents/", {"narrative": "x"}, content_type="application/json").status_code == 400
