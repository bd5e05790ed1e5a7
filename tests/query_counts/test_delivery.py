"""What travels is small and cached (issue 16): JSON and GeoJSON answers are gzipped (HTML
pages are not: BREACH), and static files are asked by content hash and kept for a year."""

import gzip
import json
import re

from django.contrib.staticfiles import finders
from django.urls import reverse

from bluehelmet.core.models import Role
from bluehelmet.core.staticfiles import FAR_FUTURE, content_version

from ..factories import make_event


def test_map_data_and_api_answers_are_gzipped(sl, users, file, client_for):
    for i in range(20):
        file(latitude=7.5 + i * 0.01)
        make_event(sl.country, 700000 + i, "2000-01-01", type_of_violence=1, latitude=8.0, longitude=-12.0, best=i)
    client = client_for(users[Role.ANALYST])
    for path, media_type in (
        (reverse("incidents:map-data", args=[sl.mission.acronym]), "application/json"),
        ("/api/incidents/", "application/json"),
        ("/api/events/?format=geojson", "application/geo+json"),
    ):
        plain = client.get(path)
        packed = client.get(path, headers={"accept-encoding": "gzip"})
        assert packed["Content-Encoding"] == "gzip" and packed["Content-Type"].startswith(media_type), path
        assert "Accept-Encoding" in packed["Vary"]
        assert json.loads(gzip.decompress(packed.content)) == json.loads(plain.content)
        if path.startswith("/missions/"):
            assert len(packed.content) < len(plain.content) / 3


def test_html_pages_are_not_compressed(sl, users, file, client_for):
    """They carry the CSRF token beside what the request sent (BREACH)."""
    file()
    client = client_for(users[Role.REPORTER])
    page = client.get(reverse("incidents:report", args=[sl.mission.acronym]), headers={"accept-encoding": "gzip"})
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    assert not page.has_header("Content-Encoding")


def test_static_urls_carry_the_content_hash_and_are_kept_a_year(sl, users, client_for):
    client = client_for(users[Role.ANALYST])
    content = client.get(reverse("incidents:index", args=[sl.mission.acronym])).content.decode()
    versioned = re.findall(r'(?:src|href)="/static/([^"?]+)\?v=([0-9a-f]{12})"', content)
    assert len(versioned) >= 4
    for name, version in versioned:
        assert finders.find(name) and content_version(name) == version
    name, version = versioned[0]
    kept = client.get(f"/static/{name}?v={version}")
    assert kept.status_code == 200
    assert kept["Cache-Control"] == f"public, max-age={FAR_FUTURE}, immutable"
    # Without the hash (a stylesheet's url(...)), WhiteNoise's short default stays.
    bare = client.get(f"/static/{name}")
    assert bare.status_code == 200 and "immutable" not in bare.get("Cache-Control", "")


def test_a_changed_file_gets_a_new_url(tmp_path, settings):
    from bluehelmet.core.staticfiles import _content_hash

    path = tmp_path / "app.js"
    path.write_text("one")
    first = _content_hash(str(path), 1, 3)
    path.write_text("two")
    assert _content_hash(str(path), 2, 3) != first
