"""The text a user sees on a page, and the English left in a French one.

`visible_texts` reads text nodes, the labels of buttons and fields (value of submit buttons,
placeholder, title, aria-label, alt), option labels, the labels a page hands its JavaScript
(`data-*` attributes, and the `labels`/`*Label` values of `json_script` blocks); never the
code of scripts and styles.

`english_left` keeps what a French page shows exactly as the English page does, minus data
values (anything stored in the database, numbers, dates, codes), and reports it when it holds
an English word: a word of the English interface (the msgids) that the French interface
(the msgstrs) never uses.
"""

import json
import re
from html.parser import HTMLParser

SKIPPED_ELEMENTS = {"script", "style", "noscript", "svg", "code", "pre"}
LABEL_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
# Pieces a text breaks into: a data value often sits beside interface words in one node.
SEPARATORS = re.compile(r"\s*(?:[·•|:;,()\[\]«»\"“”/–—=<>+×→←›‹]|\s-\s|\.\s|\.$|\?|!|^#\d+\s)\s*")
# Numbers, dates and signs around a data value ("#12 Attack on civilians", "3 km"); an
# ellipsis stays (truncatechars: the data check then compares the start).
EDGES = re.compile(r"^[\W\d_]+|[^\w…]+$")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.skipping: list[str] = []
        self.json_script = False
        self.buffer: list[str] = []
        self.language = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("type") == "application/json":
            self.json_script, self.buffer = True, []
        # Text marked as another language on purpose (a citation's title, a language's own
        # name in the switcher) is not the interface's: `lang` is also what screen readers use.
        foreign = "lang" in attributes and tag != "html" and not (attributes["lang"] or "").startswith(self.language)
        if tag in SKIPPED_ELEMENTS or foreign:
            self.skipping.append(tag)
        if tag == "html":
            self.language = (attributes.get("lang") or "")[:2]
        if self.skipping:
            return
        for name, value in attrs:
            if not value:
                continue
            if name in LABEL_ATTRIBUTES or (name.startswith("data-") and _looks_like_label(value)):
                self.texts.append(value)
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset") and attributes.get("value"):
            self.texts.append(attributes["value"])

    def handle_startendtag(self, tag, attrs):
        depth = len(self.skipping)
        self.handle_starttag(tag, attrs)
        del self.skipping[depth:]

    def handle_endtag(self, tag):
        if tag == "script" and self.json_script:
            self.json_script = False
            try:
                self.texts.extend(_json_labels(json.loads("".join(self.buffer))))
            except ValueError:
                pass
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if self.json_script:
            self.buffer.append(data)
        elif not self.skipping and data.strip():
            self.texts.append(data)


def _looks_like_label(value: str) -> bool:
    """A `data-` attribute holding words for people (not a code like `verified` or `series-2`,
    nor a URL or JSON): it has a space or a capital."""
    value = value.strip()
    return (
        bool(WORD.search(value))
        and not value.startswith(("/", "{", "[", "http", "#"))
        and (" " in value or value[:1].isupper())
    )


def _json_labels(value, key="", inside_labels=False):
    """Interface strings handed to JavaScript: under a `labels`/`words`/`l10n` key, or in a
    key naming a label, a title or an axis."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _json_labels(
                v, str(k), inside_labels or str(k).lower() in ("labels", "words", "l10n", "messages")
            )
    elif isinstance(value, list):
        for v in value[:200]:
            yield from _json_labels(v, key, inside_labels)
    elif isinstance(value, str) and (
        inside_labels or re.search(r"(label|title|axis|text|message)$", key, re.IGNORECASE)
    ):
        yield value


def normalise(text: str) -> str:
    return " ".join(text.split())


def visible_texts(html: str) -> list[str]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return [normalise(text) for text in collector.texts if normalise(text)]


def pieces(text: str) -> list[str]:
    return [piece for piece in (p.strip() for p in SEPARATORS.split(text)) if piece]


def words(text: str) -> list[str]:
    return WORD.findall(text)


def english_left(french_texts, english_texts, english_vocabulary, is_data) -> list[str]:
    """Texts of the French page, identical on the English page, that hold an English word
    outside data values."""
    english = set(english_texts)
    found = []
    for text in dict.fromkeys(french_texts):
        if text not in english or is_data(text):
            continue
        suspect = [
            word
            for piece in pieces(text)
            if not (is_data(piece) or is_data(EDGES.sub("", piece)))  # "#12 Attack on civilians", "3 km"
            for word in words(piece)
            if word.lower() in english_vocabulary
        ]
        if suspect:
            found.append(f"{text!r} ({', '.join(dict.fromkeys(suspect))})")
    return found
