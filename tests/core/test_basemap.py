"""A mission's offline basemap: a PMTiles file set by `bluehelmet basemap` (core/basemaps.py),
served to the mission's members with byte ranges (core/basemap_views.py), named to the maps by
{% map_attrs %}."""

import gzip
import os
import struct
from io import StringIO
from pathlib import Path

import mapbox_vector_tile
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from pmtiles.reader import MemorySource, Reader

from bluehelmet.core.basemaps import BasemapError, basemap_path, mission_basemap, read_header, set_basemap
from bluehelmet.core.models import Role

from ..basemap_file import build_basemap
from ..factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pmtiles_file(tmp_path_factory) -> Path:
    return build_basemap(tmp_path_factory.mktemp("basemap") / "sle.pmtiles", countries=("SLE",), max_zoom=6)


@pytest.fixture
def basemap_home(settings, tmp_path):
    settings.BLUEHELMET_BASEMAP_DIR = tmp_path / "basemaps"
    return settings.BLUEHELMET_BASEMAP_DIR


@pytest.fixture
def with_basemap(mission, basemap_home, pmtiles_file):
    set_basemap(mission, pmtiles_file)
    return pmtiles_file.read_bytes()


@pytest.fixture
def member(mission, client_for):
    return client_for(make_user("analyst", mission, Role.ANALYST))


def url(mission):
    return reverse("mission-basemap", args=[mission.acronym])


# --- the file the tests build: a real PMTiles archive the PMTiles reader reads -------------------


def test_the_built_file_has_the_layers_protomaps_paints(pmtiles_file):
    reader = Reader(MemorySource(pmtiles_file.read_bytes()))
    header = reader.header()
    assert (header["min_zoom"], header["max_zoom"]) == (0, 6)
    # Freetown (-13.23, 8.48) at zoom 6: tile 6/29/30.
    tile = mapbox_vector_tile.decode(gzip.decompress(reader.get(6, 29, 30)))
    assert {"earth", "boundaries", "places"} <= set(tile)
    assert {f["properties"]["kind_detail"] for f in tile["boundaries"]["features"]} == {2, 4}
    assert "Western Area Urban" in {f["properties"]["name"] for f in tile["places"]["features"]}


# --- the range view -----------------------------------------------------------------------------


def test_a_plain_get_is_the_whole_file_with_validators_and_long_private_caching(member, mission, with_basemap):
    response = member.get(url(mission))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == with_basemap
    assert response["Content-Length"] == str(len(with_basemap))
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "application/vnd.pmtiles"
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")
    assert response["Cache-Control"] == "private, max-age=2592000"


def test_one_range_is_206_with_content_range(member, mission, with_basemap):
    size = len(with_basemap)
    response = member.get(url(mission), HTTP_RANGE="bytes=0-126")
    assert response.status_code == 206
    body = b"".join(response.streaming_content)
    assert body == with_basemap[:127] and body.startswith(b"PMTiles\x03")
    assert response["Content-Range"] == f"bytes 0-126/{size}"
    assert response["Content-Length"] == "127"
    assert response["Accept-Ranges"] == "bytes"

    middle = member.get(url(mission), HTTP_RANGE="bytes=1000-1999")
    assert b"".join(middle.streaming_content) == with_basemap[1000:2000]
    # An open end and a suffix, as RFC 9110 14.1.2 reads them; an end past the file is cut to it.
    tail = member.get(url(mission), HTTP_RANGE=f"bytes={size - 10}-")
    assert (tail["Content-Range"], b"".join(tail.streaming_content)) == (
        f"bytes {size - 10}-{size - 1}/{size}",
        with_basemap[-10:],
    )
    suffix = member.get(url(mission), HTTP_RANGE="bytes=-5")
    assert b"".join(suffix.streaming_content) == with_basemap[-5:]
    past = member.get(url(mission), HTTP_RANGE=f"bytes={size - 3}-{size + 100}")
    assert past.status_code == 206 and b"".join(past.streaming_content) == with_basemap[-3:]


def test_the_tiles_the_reader_asks_for_come_back_whole(member, mission, with_basemap):
    """What protomaps-leaflet's reader does: the header, then the directory it points to, then
    a tile's bytes, each a range request; the tile decodes."""
    reader = Reader(lambda offset, length: b"".join(_range(member, mission, offset, length)))
    tile = reader.get(6, 29, 30)
    assert "places" in mapbox_vector_tile.decode(gzip.decompress(tile))


def _range(client, mission, offset, length):
    response = client.get(url(mission), HTTP_RANGE=f"bytes={offset}-{offset + length - 1}")
    assert response.status_code == 206
    return response.streaming_content


def test_a_range_past_the_end_is_416(member, mission, with_basemap):
    size = len(with_basemap)
    response = member.get(url(mission), HTTP_RANGE=f"bytes={size}-{size + 10}")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


def test_head_answers_the_headers_without_the_body(member, mission, with_basemap):
    response = member.head(url(mission))
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(with_basemap))
    assert response["Accept-Ranges"] == "bytes"
    assert response.content == b""
    partial = member.head(url(mission), HTTP_RANGE="bytes=0-9")
    assert (partial.status_code, partial["Content-Range"]) == (206, f"bytes 0-9/{len(with_basemap)}")


def test_if_range_serves_the_range_only_of_the_same_file(member, mission, with_basemap):
    first = member.get(url(mission))
    etag, modified = first["ETag"], first["Last-Modified"]
    same = member.get(url(mission), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert same.status_code == 206
    by_date = member.get(url(mission), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=modified)
    assert by_date.status_code == 206
    # The file changed since (another ETag, another date, a weak ETag): the whole file, not a range.
    for stale in ('"0-0"', "W/" + etag, "Mon, 01 Jan 2001 00:00:00 GMT"):
        changed = member.get(url(mission), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=stale)
        assert changed.status_code == 200, stale
        assert b"".join(changed.streaming_content) == with_basemap


def test_the_browsers_copy_is_revalidated_with_304(member, mission, with_basemap):
    etag = member.get(url(mission))["ETag"]
    assert member.get(url(mission), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_only_the_missions_members_get_its_basemap(client_for, mission, other_mission, with_basemap):
    outsider = client_for(make_user("stranger", other_mission, Role.ANALYST))
    assert outsider.get(url(mission)).status_code == 404
    assert outsider.get(url(mission), HTTP_RANGE="bytes=0-126").status_code == 404


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(client, mission, with_basemap):
    response = client.get(url(mission))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_mission_without_a_basemap_answers_404(member, mission, basemap_home):
    assert member.get(url(mission)).status_code == 404


def test_nothing_but_get_and_head(member, mission, with_basemap):
    assert member.post(url(mission)).status_code == 405


# --- the maps are told about it -----------------------------------------------------------------


def render_map_attrs(user, mission) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load bluehelmet %}{% map_attrs mission %}").render(
        Context({"request": request, "mission": mission})
    )


def test_map_attrs_name_the_basemap_with_its_version_and_zoom(mission, with_basemap):
    user = make_user("analyst", mission, Role.ANALYST)
    attrs = render_map_attrs(user, mission)
    path = basemap_path(mission)
    version = f"{int(path.stat().st_mtime):x}-{path.stat().st_size:x}"
    assert f'data-basemap-url="{url(mission)}?v={version}"' in attrs
    assert 'data-basemap-max-zoom="6"' in attrs
    assert "vendor/protomaps-leaflet/protomaps-leaflet" in attrs


def test_map_attrs_without_a_basemap_name_none(mission, basemap_home):
    user = make_user("analyst", mission, Role.ANALYST)
    assert "data-basemap" not in render_map_attrs(user, mission)


# --- setting a basemap: the command refuses what is not a vector PMTiles file --------------------


def test_the_command_sets_reports_and_removes_a_basemap(mission, basemap_home, pmtiles_file):
    out = StringIO()
    call_command("basemap", "unamsil", str(pmtiles_file), stdout=out)
    assert "zoom 0 to 6" in out.getvalue()
    assert mission_basemap(mission).read_bytes() == pmtiles_file.read_bytes()
    assert mission_basemap(mission) == basemap_home / "UNAMSIL.pmtiles"
    shown = StringIO()
    call_command("basemap", "UNAMSIL", stdout=shown)
    assert "UNAMSIL.pmtiles" in shown.getvalue()
    call_command("basemap", "UNAMSIL", "--remove", stdout=StringIO())
    assert mission_basemap(mission) is None


def _pmtiles_variant(source: Path, target: Path, **changes) -> Path:
    """A copy of `source` with header bytes changed: {offset: bytes}."""
    data = bytearray(source.read_bytes())
    for offset, value in changes.values():
        data[offset : offset + len(value)] = value
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize(
    "make_file, reason",
    [
        (lambda tmp, src: _write(tmp / "areas.geojson", b'{"type": "FeatureCollection"}'), "is not a PMTiles file"),
        (lambda tmp, src: _write(tmp / "empty.pmtiles", b""), "is not a PMTiles file"),
        (lambda tmp, src: _write(tmp / "short.pmtiles", src.read_bytes()[:100]), "is not a PMTiles file"),
        (lambda tmp, src: _pmtiles_variant(src, tmp / "v2.pmtiles", version=(7, b"\x02")), "version 2"),
        (lambda tmp, src: _pmtiles_variant(src, tmp / "png.pmtiles", kind=(99, b"\x02")), "holds PNG tiles"),
        (lambda tmp, src: _write(tmp / "cut.pmtiles", src.read_bytes()[:2000]), "cut short or damaged"),
    ],
    ids=["geojson", "empty", "shorter-than-a-header", "old-version", "raster", "cut-short"],
)
def test_the_command_refuses_what_is_not_a_vector_pmtiles_file(
    mission, basemap_home, pmtiles_file, tmp_path, make_file, reason
):
    set_basemap(mission, pmtiles_file)
    before = basemap_path(mission).read_bytes()
    bad = make_file(tmp_path, pmtiles_file)
    with pytest.raises(CommandError, match=reason):
        call_command("basemap", "UNAMSIL", str(bad), stdout=StringIO())
    # The mission keeps the basemap it had, and no partial copy is left beside it.
    assert basemap_path(mission).read_bytes() == before
    assert os.listdir(basemap_home) == ["UNAMSIL.pmtiles"]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_the_command_names_a_missing_file_and_an_unknown_mission(mission, basemap_home, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("basemap", "UNAMSIL", str(tmp_path / "nowhere.pmtiles"), stdout=StringIO())
    with pytest.raises(CommandError, match="No mission with the acronym XYZ"):
        call_command("basemap", "XYZ", str(tmp_path / "nowhere.pmtiles"), stdout=StringIO())


def test_the_header_is_read_as_the_spec_lays_it_out(pmtiles_file):
    header = read_header(pmtiles_file)
    west, south, east, north = header.bounds
    # Sierra Leone's extent.
    assert -13.4 < west < -13.2 and 6.8 < south < 7.0 and -10.4 < east < -10.2 and 9.9 < north < 10.1
    assert header.size == pmtiles_file.stat().st_size
    # The layout the reader relies on: 127 bytes, the zooms at bytes 100 and 101.
    raw = pmtiles_file.read_bytes()[:127]
    assert struct.unpack_from("<BB", raw, 100) == (header.min_zoom, header.max_zoom)
    with pytest.raises(BasemapError):
        read_header(Path(__file__))


# --- the administrators' page: the same checks, through a service ------------------------------


def settings_url(mission):
    return reverse("mission-basemap-settings", args=[mission.acronym])


@pytest.fixture
def administrator(mission, client_for):
    return client_for(make_user("chief", mission, Role.ADMINISTRATOR))


def test_an_administrator_uploads_a_basemap_and_the_maps_get_it(administrator, mission, basemap_home, pmtiles_file):
    page = administrator.get(settings_url(mission))
    assert page.status_code == 200 and b"has no basemap" in page.content
    with pmtiles_file.open("rb") as upload:
        response = administrator.post(settings_url(mission), {"file": upload})
    assert response.status_code == 302
    assert mission_basemap(mission).read_bytes() == pmtiles_file.read_bytes()
    shown = administrator.get(settings_url(mission))
    assert b"Current basemap" in shown.content and b"0\xe2\x80\x936" in shown.content  # zoom 0–6
    assert b"".join(administrator.get(url(mission), HTTP_RANGE="bytes=0-6").streaming_content) == b"PMTiles"
    removed = administrator.post(settings_url(mission), {"remove": "1"})
    assert removed.status_code == 302 and mission_basemap(mission) is None


def test_the_page_refuses_a_file_that_is_not_pmtiles_on_its_field(administrator, mission, basemap_home, pmtiles_file):
    set_basemap(mission, pmtiles_file)
    upload = SimpleUploadedFile("areas.geojson", b'{"type": "FeatureCollection", "features": []}')
    response = administrator.post(settings_url(mission), {"file": upload})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "file": ["areas.geojson is not a PMTiles file (it does not start with the PMTiles header)."]
    }
    assert mission_basemap(mission).read_bytes() == pmtiles_file.read_bytes()
    assert os.listdir(basemap_home) == ["UNAMSIL.pmtiles"]
    assert administrator.post(settings_url(mission), {}).status_code == 400  # no file at all


def test_only_administrators_set_the_basemap(client_for, mission, other_mission, basemap_home, pmtiles_file):
    analyst = client_for(make_user("analyst", mission, Role.ANALYST))
    assert analyst.get(settings_url(mission)).status_code == 403
    with pmtiles_file.open("rb") as upload:
        assert analyst.post(settings_url(mission), {"file": upload}).status_code == 403
    stranger = client_for(make_user("stranger", other_mission, Role.ADMINISTRATOR))
    assert stranger.get(settings_url(mission)).status_code == 404
    assert mission_basemap(mission) is None
