"""A mission's offline basemap: one PMTiles file of vector tiles (e.g. a Protomaps extract of the
host country), kept under BLUEHELMET_HOME/basemaps/<ACRONYM>.pmtiles and served to the mission's
maps by core.basemap_views with HTTP range requests, so the maps need no tile server and no
internet (static/js/bhmap.js draws it with protomaps-leaflet).

A file is checked before it is taken: the PMTiles v3 header (the first 127 bytes, spec:
github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md), vector tiles (MVT: the only kind
protomaps-leaflet paints), and sections that lie inside the file. A file that fails is refused
with the reason, and the mission's current basemap is left as it was."""

import os
import re
import struct
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .models import Mission

MAGIC = b"PMTiles"
SPEC_VERSION = 3
HEADER_SIZE = 127
CHUNK = 1024 * 1024
TILE_TYPE_MVT = 1
TILE_TYPE_NAMES = {0: "unknown", 1: "MVT", 2: "PNG", 3: "JPEG", 4: "WebP", 5: "AVIF"}
# Little-endian: magic, version, 11 unsigned 64-bit offsets, lengths and counts, clustered,
# internal compression, tile compression, tile type, min and max zoom, the bounds (E7
# degrees), the centre zoom and the centre.
_HEADER = struct.Struct("<7sB11Q6B4iB2i")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


class BasemapError(ValueError):
    """A file that is not a basemap Blue Helmet can draw; the message says why."""


@dataclass(frozen=True)
class BasemapHeader:
    size: int  # bytes
    min_zoom: int
    max_zoom: int
    bounds: tuple[float, float, float, float]  # west, south, east, north (degrees)


def read_header(path: Path, name: str | None = None) -> BasemapHeader:
    """The header of the PMTiles file at `path`, or BasemapError saying what is wrong with it
    (naming the file `name`, by default its own name)."""
    name = name or path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            head = file.read(HEADER_SIZE)
    except OSError as error:
        raise BasemapError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror or error})
    if len(head) < HEADER_SIZE or not head.startswith(MAGIC):
        raise BasemapError(
            _("%(path)s is not a PMTiles file (it does not start with the PMTiles header).") % {"path": name}
        )
    fields = _HEADER.unpack(head)
    version = fields[1]
    root_offset, root_length, metadata_offset, metadata_length = fields[2:6]
    leaf_offset, leaf_length, data_offset, data_length = fields[6:10]
    tile_type, min_zoom, max_zoom = fields[16], fields[17], fields[18]
    west, south, east, north = (value / 1e7 for value in fields[19:23])
    if version != SPEC_VERSION:
        raise BasemapError(
            _("%(path)s is PMTiles version %(version)s; only version 3 is read (convert it with `pmtiles convert`).")
            % {"path": name, "version": version}
        )
    if tile_type != TILE_TYPE_MVT:
        raise BasemapError(
            _("%(path)s holds %(kind)s tiles; a basemap must hold vector tiles (MVT), such as a Protomaps extract.")
            % {"path": name, "kind": TILE_TYPE_NAMES.get(tile_type, str(tile_type))}
        )
    sections = ((root_offset, root_length), (metadata_offset, metadata_length), (leaf_offset, leaf_length))
    if root_length == 0 or any(offset + length > size for offset, length in (*sections, (data_offset, data_length))):
        raise BasemapError(
            _("%(path)s is cut short or damaged: its header points past the end of the file.") % {"path": name}
        )
    if min_zoom > max_zoom:
        raise BasemapError(_("%(path)s has a damaged header (zoom levels).") % {"path": name})
    return BasemapHeader(size=size, min_zoom=min_zoom, max_zoom=max_zoom, bounds=(west, south, east, north))


def basemap_path(mission: Mission) -> Path:
    """Where the mission's basemap is kept (whether or not it has one)."""
    name = mission.acronym if _SAFE_NAME.match(mission.acronym) else f"mission-{mission.pk}"
    return Path(settings.BLUEHELMET_BASEMAP_DIR) / f"{name}.pmtiles"


def mission_basemap(mission: Mission) -> Path | None:
    """The mission's basemap file, or None when it has none."""
    path = basemap_path(mission)
    return path if path.is_file() else None


def basemap_file_url(mission: Mission) -> tuple[str, BasemapHeader] | None:
    """The URL of the mission's basemap, versioned by the file's time and size so a replaced
    file is fetched anew (browsers keep it long, the offline app caches it whole), with its
    header; None when it has none, or a file damaged since it was set."""
    from django.urls import reverse

    path = mission_basemap(mission)
    if path is None:
        return None
    try:
        header = read_header(path)
    except BasemapError:
        return None
    version = f"{int(path.stat().st_mtime):x}-{header.size:x}"
    return f"{reverse('mission-basemap', args=[mission.acronym])}?v={version}", header


def set_basemap(mission: Mission, source: Path) -> BasemapHeader:
    """Check the PMTiles file at `source` and make it the mission's basemap (a copy: the source
    is left alone). Returns the file's header; BasemapError when refused."""
    read_header(source)  # refused before anything is copied
    with source.open("rb") as file:
        return install_basemap(mission, iter(lambda: file.read(CHUNK), b""), source.name)


def install_basemap(mission: Mission, chunks: Iterable[bytes], name: str) -> BasemapHeader:
    """Write the file given as `chunks` (named `name` in messages) beside the mission's
    basemap, check it, and rename it over the basemap, so the maps never read a half-written or
    refused file and a refused one leaves the current basemap in place."""
    target = basemap_path(mission)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        header = read_header(Path(partial), name)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return header


def remove_basemap(mission: Mission) -> bool:
    """Take the mission's basemap away (its maps fall back to the tile server or the shipped
    boundaries). Returns whether there was one."""
    path = mission_basemap(mission)
    if path is None:
        return False
    path.unlink()
    return True
