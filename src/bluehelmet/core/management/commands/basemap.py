"""`bluehelmet basemap MISSION FILE.pmtiles`: make a PMTiles file (vector tiles, e.g. a Protomaps
extract of the host country) the mission's offline basemap; `--remove` takes it away; with the
mission alone, says which basemap it has. See core/basemaps.py."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bluehelmet.core.basemaps import BasemapError, mission_basemap, read_header, remove_basemap, set_basemap
from bluehelmet.core.models import Mission


def _describe(header) -> str:
    west, south, east, north = header.bounds
    return _(
        "%(size).1f MB, zoom %(min)s to %(max)s, west %(west).2f south %(south).2f east %(east).2f north %(north).2f"
    ) % {
        "size": header.size / 1e6,
        "min": header.min_zoom,
        "max": header.max_zoom,
        "west": west,
        "south": south,
        "east": east,
        "north": north,
    }


class Command(BaseCommand):
    help = "Set a mission's offline basemap: a PMTiles file of vector tiles its maps draw without any tile server."

    def add_arguments(self, parser):
        parser.add_argument("mission", help="the mission's acronym, e.g. UNAMSIL")
        parser.add_argument("file", nargs="?", help="a PMTiles (v3) file of vector tiles, e.g. a Protomaps extract")
        parser.add_argument("--remove", action="store_true", help="take the mission's basemap away")

    def handle(self, *args, mission, file=None, remove=False, **options):
        try:
            target = Mission.objects.get(acronym__iexact=mission)
        except Mission.DoesNotExist:
            raise CommandError(_("No mission with the acronym %(acronym)s.") % {"acronym": mission})
        if remove and file:
            raise CommandError(_("Give either a file or --remove, not both."))
        if remove:
            if remove_basemap(target):
                self.stdout.write(_("%(mission)s's basemap removed.") % {"mission": target.acronym})
            else:
                self.stdout.write(_("%(mission)s had no basemap.") % {"mission": target.acronym})
            return
        if not file:
            current = mission_basemap(target)
            if current is None:
                self.stdout.write(_("%(mission)s has no basemap.") % {"mission": target.acronym})
            else:
                self.stdout.write(f"{target.acronym}: {current} ({_describe(read_header(current))})")
            return
        try:
            header = set_basemap(target, Path(file))
        except BasemapError as error:
            raise CommandError(str(error))
        self.stdout.write(
            _("%(mission)s's maps now draw %(file)s (%(details)s).")
            % {"mission": target.acronym, "file": Path(file).name, "details": _describe(header)}
        )
