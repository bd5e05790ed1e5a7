"""The `bluehelmet` console command: Django's manage.py behind a friendlier name.

bluehelmet demo                 load the Sierra Leone demo and serve it
bluehelmet import ged FILE      import a UCDP GED CSV (see `bluehelmet import --help`)
bluehelmet basemap MISSION FILE.pmtiles   set the mission's offline basemap (core/basemaps.py)
bluehelmet migrate, createsuperuser, runserver, ...   any Django command
"""

import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bluehelmet.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "bluehelmet"
    # `--actor USERNAME`: whom the change history names for this command (else the OS user).
    from bluehelmet.core.history import pop_actor_option

    argv = pop_actor_option(argv)
    # The demo wipes its database, so unless told otherwise it lives apart from real data.
    if len(argv) > 1 and argv[1] == "demo":
        os.environ.setdefault("BLUEHELMET_HOME", str(Path.home() / ".bluehelmet-demo"))
    # `bluehelmet import ...` reads better than `import_data`, but `import` is a Python keyword.
    if len(argv) > 1 and argv[1] == "import":
        argv[1] = "import_data"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
