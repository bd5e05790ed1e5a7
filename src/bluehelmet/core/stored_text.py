"""Messages kept in the database and shown later, in the reader's language.

A reason stored with a record ("no UCDP GED events for Sierra Leone in Blue Helmet: ...") is
written once, but read by people in several languages. Rules:
- store it in English: the message's msgid (marked with gettext_noop, so the catalogue has
  it) with its values filled in, never the text of whoever's language computed it;
- show it with `translate_stored(text, msgids)`: a text that is a msgid is translated as is;
  one that matches a msgid's pattern (its %(name)s placeholders standing for any text) is
  given in the reader's language with the same values; anything else is shown as stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from django.utils.translation import gettext

PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")


@lru_cache(maxsize=256)
def _pattern(msgid: str) -> tuple[re.Pattern, dict[str, str]]:
    kinds = {}
    parts, end = [], 0
    for match in PLACEHOLDER.finditer(msgid):
        parts.append(re.escape(msgid[end : match.start()].replace("%%", "%")))
        name, kind = match.groups()
        parts.append(f"(?P<{name}>-?\\d+)" if kind == "d" else f"(?P<{name}>.+?)")
        kinds[name] = kind
        end = match.end()
    parts.append(re.escape(msgid[end:].replace("%%", "%")))
    return re.compile("".join(parts), re.DOTALL), kinds


def translate_stored(text: str, msgids: Iterable[str]) -> str:
    """The stored English `text` in the active language (see the module's rules)."""
    if not text:
        return text
    for msgid in msgids:
        pattern, kinds = _pattern(msgid)
        match = pattern.fullmatch(text)
        if match is None:
            continue
        if not kinds:
            return gettext(msgid)
        values = {name: int(value) if kinds[name] == "d" else value for name, value in match.groupdict().items()}
        return gettext(msgid) % values
    return gettext(text)
