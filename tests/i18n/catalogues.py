"""The French catalogues of Blue Helmet: where they are, what they hold, what the code asks for.

Every app with a `locale/` folder owns `<app>/locale/fr/LC_MESSAGES/django.po` for its own
Python and templates; the project catalogue `src/bluehelmet/locale/fr` holds everything else
(core, importers, the shared templates, settings). New apps are picked up by their `locale/`
folder, with no list to maintain.

To bring the catalogues up to date with the code (what the tests below check), from the
repository root:

    .venv/bin/python -m tests.i18n.catalogues update [APP ...]   # makemessages ("project" or app names)
    ... write a French msgstr for every new or fuzzy entry ...
    .venv/bin/python -m tests.i18n.catalogues compile [APP ...]  # msgfmt, as compilemessages does
"""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import bluehelmet

SRC = Path(bluehelmet.__file__).resolve().parent
LANGUAGE = "fr"
DOMAIN = "django"
# makemessages reads these (its defaults): only they are copied for a dry run.
SOURCE_SUFFIXES = {".py", ".html", ".txt"}


@dataclass(frozen=True)
class Catalogue:
    name: str  # "project" or the app's folder name
    root: Path  # where makemessages runs
    ignore: tuple[str, ...] = ()  # app folders the project run must leave to their own catalogue

    @property
    def po(self) -> Path:
        return self.root / "locale" / LANGUAGE / "LC_MESSAGES" / f"{DOMAIN}.po"

    @property
    def mo(self) -> Path:
        return self.po.with_suffix(".mo")


def catalogues() -> list[Catalogue]:
    apps = sorted(path.parent.name for path in SRC.glob("*/locale") if path.is_dir())
    found = [Catalogue("project", SRC, tuple(apps))]
    found += [Catalogue(app, SRC / app) for app in apps]
    return found


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file (the header excluded), with their flags and line numbers."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None
    flags: set[str] = set()
    pending_ctxt: str | None = None

    def finish():
        nonlocal current
        if current is not None and current.msgid != "":
            entries.append(current)
        current = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            continue
        if line.startswith("#,"):
            finish()
            flags = {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value = ast.literal_eval(line)
            if target is None:
                continue
            what, index = target
            if what == "msgctxt":
                pending_ctxt = (pending_ctxt or "") + value
            elif current is not None:
                if what == "msgid":
                    current.msgid += value
                elif what == "msgid_plural":
                    current.msgid_plural += value
                else:
                    current.msgstr[index] += value
            continue
        value = ast.literal_eval(rest)
        if keyword == "msgctxt":
            finish()
            pending_ctxt = value
            target = ("msgctxt", None)
        elif keyword == "msgid":
            if current is not None and current.msgstr:
                finish()
            current = Entry(msgid=value, msgctxt=pending_ctxt, flags=flags, line=number, obsolete=obsolete)
            pending_ctxt, flags = None, set()
            target = ("msgid", None)
        elif keyword == "msgid_plural":
            current.msgid_plural = value
            target = ("msgid_plural", None)
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            current.msgstr[index] = value
            target = ("msgstr", index)
    finish()
    return [entry for entry in entries if not entry.obsolete]


# %(name)s, %s, %d, %.1f ... and {name} / {0}; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]|%[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|\{[A-Za-z_][A-Za-z0-9_]*\}|\{\d+\}"
)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


def english_only_words(allowed=frozenset()) -> set[str]:
    """Words of the English interface (the msgids) that its French (the msgstrs of every
    catalogue and of Django) never uses: in a French page, such a word is English left over."""
    english, french = set(), set()
    for catalogue in catalogues():
        if not catalogue.po.exists():
            continue
        for entry in parse_po(catalogue.po):
            english.update(w.lower() for w in WORDS.findall(entry.msgid + " " + (entry.msgid_plural or "")))
            for text in entry.msgstr.values():
                french.update(w.lower() for w in WORDS.findall(text))
    # The French of Django (admin, forms, dates) and of DRF counts too.
    import django
    import rest_framework

    for package in (django, rest_framework):
        for po in Path(package.__file__).parent.glob("**/locale/fr/LC_MESSAGES/django.po"):
            for entry in parse_po(po):
                for text in entry.msgstr.values():
                    french.update(w.lower() for w in WORDS.findall(text))
    return {word for word in english - french - set(allowed) if len(word) > 2}


WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


def compiled_catalogue(mo: Path) -> dict:
    with mo.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)


def compile_po(po: Path, mo: Path) -> None:
    subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True, capture_output=True, text=True)


def _environment() -> dict:
    # No settings: makemessages then only reads the files under its working directory, and
    # cannot reach the real tree through LOCALE_PATHS.
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    return env


def makemessages(catalogue: Catalogue, cwd: Path | None = None) -> None:
    ignores = [f"--ignore={app}/*" for app in catalogue.ignore]
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", LANGUAGE, "--no-obsolete", *ignores],
        cwd=cwd or catalogue.root,
        env=_environment(),
        check=True,
        capture_output=True,
        text=True,
    )


def fresh_msgids(catalogue: Catalogue) -> set[tuple[str | None, str]]:
    """The msgids makemessages finds today for a catalogue, run on a copy of the sources
    (the committed catalogue is never touched)."""
    with tempfile.TemporaryDirectory(prefix="bh-i18n-") as tmp:
        copy = Path(tmp) / "bluehelmet"

        def ignore(directory, names):
            here = Path(directory)
            return [
                name
                for name in names
                if not (here / name).is_dir()
                and Path(name).suffix not in SOURCE_SUFFIXES
                or name in ("__pycache__", "static", "data")
            ]

        shutil.copytree(SRC, copy, ignore=ignore)
        relative = catalogue.root.relative_to(SRC)
        root = copy / relative
        po = root / "locale" / LANGUAGE / "LC_MESSAGES" / f"{DOMAIN}.po"
        po.unlink(missing_ok=True)  # start from nothing: every msgid found is today's
        (root / "locale").mkdir(exist_ok=True)
        makemessages(catalogue, cwd=root)
        if not po.exists():
            return set()
        return {entry.key for entry in parse_po(po)}


def main(argv: list[str]) -> int:
    command, names = (argv[0], set(argv[1:])) if argv else ("", set())
    chosen = [catalogue for catalogue in catalogues() if not names or catalogue.name in names]
    if command == "update":
        for catalogue in chosen:
            makemessages(catalogue)
            print("updated", catalogue.po.relative_to(SRC.parent.parent))
    elif command == "compile":
        for catalogue in chosen:
            if catalogue.po.exists():
                compile_po(catalogue.po, catalogue.mo)
                print("compiled", catalogue.mo.relative_to(SRC.parent.parent))
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
