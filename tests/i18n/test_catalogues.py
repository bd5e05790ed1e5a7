"""The French catalogues are complete, compiled and up to date with the code.

One test per catalogue and per check, so a failure names the app that owns it. A new app
is covered as soon as it has a `locale/` folder (see catalogues.py for how to update them).
"""

import pytest

from .catalogues import Catalogue, catalogues, compile_po, compiled_catalogue, fresh_msgids, parse_po, placeholders

CATALOGUES = catalogues()
ids = [catalogue.name for catalogue in CATALOGUES]


def _existing(catalogue: Catalogue) -> Catalogue:
    if not catalogue.po.exists():
        # An app with a locale folder but no catalogue yet: fine only while it has no string.
        found = fresh_msgids(catalogue)
        assert not found, (
            f"{catalogue.name} has {len(found)} translatable strings and no {catalogue.po}: run makemessages"
        )
        pytest.skip(f"{catalogue.name}: no translatable string yet")
    return catalogue


def test_every_app_catalogue_is_found():
    names = set(ids)
    assert {"project", "incidents", "forces", "earlywarning", "elections", "ddr", "performance"} <= names, names


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=ids)
def test_every_entry_is_translated(catalogue):
    catalogue = _existing(catalogue)
    problems = []
    for entry in parse_po(catalogue.po):
        where = f"{catalogue.po.name}:{entry.line} {entry.msgid!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy")
        if not entry.msgstr or any(not text.strip() for text in entry.msgstr.values()):
            problems.append(f"{where}: no French")
    assert not problems, f"{len(problems)} entries of {catalogue.po}:\n" + "\n".join(problems)


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=ids)
def test_placeholders_are_kept(catalogue):
    catalogue = _existing(catalogue)
    problems = []
    for entry in parse_po(catalogue.po):
        expected = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
        for index, text in entry.msgstr.items():
            found = placeholders(text)
            # A French singular may spell out "one" instead of the count (%(n)s / %d).
            missing = expected - found if entry.msgid_plural is None or index > 0 else set()
            if missing or found - expected:
                problems.append(
                    f"{catalogue.po.name}:{entry.line} {entry.msgid!r}: msgstr[{index}] {text!r} has {sorted(found)}, expected {sorted(expected)}"
                )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=ids)
def test_compiled_catalogue_matches_the_po(catalogue, tmp_path):
    catalogue = _existing(catalogue)
    assert catalogue.mo.exists(), f"{catalogue.mo} is missing: compilemessages"
    fresh = tmp_path / "fresh.mo"
    compile_po(catalogue.po, fresh)  # msgfmt --check-format: also fails on a broken format string
    committed, expected = compiled_catalogue(catalogue.mo), compiled_catalogue(fresh)
    stale = sorted(str(key) for key in expected.keys() | committed.keys() if expected.get(key) != committed.get(key))
    assert not stale, (
        f"{catalogue.mo} is out of date with the .po ({len(stale)} entries differ, e.g. {stale[:5]}): compilemessages"
    )


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=ids)
def test_catalogue_holds_every_string_of_the_code(catalogue):
    catalogue = _existing(catalogue)
    committed = {entry.key for entry in parse_po(catalogue.po)}
    missing = sorted(fresh_msgids(catalogue) - committed, key=str)
    assert not missing, (
        f"{len(missing)} strings of the code are not in {catalogue.po} (run makemessages, then translate):\n"
        + "\n".join((f"[{context}] " if context else "") + msgid for context, msgid in missing)
    )


def test_parser_reads_flags_contexts_and_plurals(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "%(n)s day"\nmsgid_plural "%(n)s days"\nmsgstr[0] "%(n)s jour"\nmsgstr[1] ""\n\n'
        'msgctxt "month"\nmsgid "May"\nmsgstr "mai"\n\n'
        'msgid ""\n"Long "\n"text"\nmsgstr "Long texte"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Parti"\n',
        encoding="utf-8",
    )
    entries = parse_po(po)
    assert [(e.msgctxt, e.msgid) for e in entries] == [(None, "%(n)s day"), ("month", "May"), (None, "Long text")]
    assert entries[0].flags == {"fuzzy", "python-format"} and entries[0].msgstr == {0: "%(n)s jour", 1: ""}
    assert entries[1].flags == set() and entries[2].msgstr == {0: "Long texte"}
    assert placeholders("%(n)s of %d, {name} 100%% {0}") == {"%(n)s", "%d", "{name}", "{0}"}
