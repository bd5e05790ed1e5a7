"""One map module, one way to poll: the front end's shared pieces stay shared.

static/js/bhmap.js is the only script that makes a Leaflet map; every map element gets its
mission's bounds, tile server and areas from {% map_attrs mission %}; static/js/poll.js,
loaded by the base template, governs every poll (htmx `every`)."""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "bluehelmet"
MAP_MODULE = PACKAGE / "static" / "js" / "bhmap.js"


def own_scripts():
    return [path for path in PACKAGE.rglob("*.js") if "vendor" not in path.parts]


def templates():
    return list(PACKAGE.rglob("templates/**/*.html"))


def test_no_script_but_the_map_module_makes_a_map():
    assert re.search(r"\bL\.map\(", MAP_MODULE.read_text())
    makers = [
        p.relative_to(PACKAGE)
        for p in own_scripts()
        if p != MAP_MODULE and re.search(r"\bL\s*\.\s*map\s*\(", p.read_text())
    ]
    assert makers == [], "set maps up with BHMap.create (static/js/bhmap.js)"


def test_no_script_reads_the_tile_server_or_the_areas_itself():
    readers = [
        p.relative_to(PACKAGE)
        for p in own_scripts()
        if p != MAP_MODULE and re.search(r"tileUrl|tileLayer|areasUrl", p.read_text())
    ]
    assert readers == []


def test_every_map_element_gets_its_missions_attributes():
    """A map element (id ending in -map, class map) carries {% map_attrs mission %}: no
    template hard-codes where a map opens or writes the tile or areas URL by hand."""
    found, bare = 0, []
    for path in templates():
        for tag in re.findall(r"<div\b[^>]*\bid=\"[a-z-]+-map\"[^>]*>", path.read_text()):
            if re.search(r"class=\"[^\"]*\b(map|gap-map)\b", tag):
                found += 1
                if "{% map_attrs mission" not in tag:
                    bare.append(f"{path.relative_to(PACKAGE)}: {tag}")
            assert "data-areas-url" not in tag and "data-bounds" not in tag, tag
    assert found >= 14 and bare == []


def test_every_page_loads_the_polling_helper():
    """poll.js pauses every htmx poll (`hx-trigger="every ..."`) while the tab is hidden and
    slows it down after failures (tests/e2e/test_maps.py shows it in Chromium): every page
    has it, through the base template that every page extends."""
    assert "js/poll.js" in (PACKAGE / "templates" / "base.html").read_text()
    pollers = [p for p in templates() if 'hx-trigger="every' in p.read_text()]
    assert pollers
    for path in pollers:
        # A polling fragment is swapped into a page; a whole page extends the base.
        text = path.read_text()
        assert path.name.startswith("_") or "{% extends" in text, path
