"""The JavaScript of every app writes no English of its own.

The one way Blue Helmet translates what scripts show: the template hands the script its
labels, already translated, in a `json_script` block (`labels`, `words`, `L10N`...) or in
`data-` attributes, and the script only puts them together with data. So a string literal
in a visible place (text content, HTML, a popup or tooltip, a chart label or title, an
ARIA label, a placeholder, an alert) must hold no word, only markup, punctuation or
numbers. Vendored libraries are not ours and are skipped.
"""

import re

import pytest

from .catalogues import SRC

SCRIPTS = sorted(path for path in SRC.glob("**/static/**/*.js") if "vendor" not in path.parts)


def _literal(name: str) -> str:
    return rf"""(?P<q{name}>["'`])(?P<{name}>(?:\\.|(?!(?P=q{name})).)*)(?P=q{name})"""


LITERAL = _literal("text")
# Where a literal becomes text on the screen.
SINKS = re.compile(
    r"(?:\.(?:textContent|innerText|innerHTML|outerHTML|title|placeholder|alt)\s*\+?=\s*"
    r"|\b(?:label|text|title|placeholder)\s*:\s*"
    r"|\b(?:bindPopup|bindTooltip|setContent|alert|confirm|prompt|insertAdjacentHTML\([^,]+,)\s*\(?\s*"
    r"|setAttribute\(\s*[\"'](?:aria-label|title|placeholder|alt)[\"']\s*,\s*)"
    r"(?:[^;\n]*?\+\s*)?" + LITERAL
)
# A string joined to the text with `+` in the same statement shows too.
JOINED = re.compile(r"\+\s*" + _literal("after") + r"|" + _literal("before") + r"\s*\+")
WORD = re.compile(r"[A-Za-z]{2,}")


def english_in(text: str) -> list[str]:
    text = re.sub(r"<[^>]*(?:>|$)", " ", text)  # markup is not text (a tag may close in the next literal)
    text = re.sub(r"&[a-z]+;|\$\{[^}]*\}", " ", text)  # entities, template placeholders
    return WORD.findall(text)


def visible_literals(source: str):
    return list(dict.fromkeys(_visible_literals(source)))


def _visible_literals(source: str):
    for number, line in enumerate(source.splitlines(), start=1):
        code = line.split("//", 1)[0] if "://" not in line else line
        if not SINKS.search(code):
            continue
        for match in SINKS.finditer(code):
            yield number, match.group("text")
        for match in JOINED.finditer(code):
            yield number, match.group("after") if match.group("after") is not None else match.group("before")


def test_scripts_are_found():
    assert len(SCRIPTS) >= 5, SCRIPTS


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: str(path.relative_to(SRC)))
def test_script_shows_no_english_of_its_own(script):
    problems = [
        f"{script.relative_to(SRC)}:{number}: {text!r}"
        for number, text in visible_literals(script.read_text(encoding="utf-8"))
        if english_in(text)
    ]
    assert not problems, (
        "pass these labels from the template (json_script or data- attributes), translated:\n" + "\n".join(problems)
    )


def test_the_check_catches_english():
    source = 'el.textContent = "Loading…";\nchart({ label: "expected", data });\nm.bindPopup("<b>" + name + "</b> sites");\nx.textContent = labels.ok + " · ";'
    found = [text for _line, text in visible_literals(source) if english_in(text)]
    assert found == ["Loading…", "expected", "</b> sites"], found
