"""Place names folded for search: what a reporter types matches what the gazetteer spells.

    fold_name("M'Baïki") == "mbaiki"; fold_name("Haute-Kotto") == "haute kotto"

`search_names_for(names)` joins the folded names of one place as "|first|second|": a prefix
of any name is then `contains "|" + query`, of the first (the place's own name) `startswith`.
No model import here: core.models uses it in Place.save.
"""

import re
import unicodedata

SEPARATOR = "|"


def fold_name(text: str) -> str:
    """Lower case, accents dropped, apostrophes removed, other punctuation a space."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = re.sub(r"['’`ʼ]", "", plain)
    return " ".join(re.sub(r"[^\w]+", " ", plain).replace(SEPARATOR, " ").split())


def search_names_for(names) -> str:
    """The folded names, first one first, each once, as "|a|b|" ("" when none)."""
    folded = [name for name in dict.fromkeys(fold_name(name) for name in names) if name]
    return f"{SEPARATOR}{SEPARATOR.join(folded)}{SEPARATOR}" if folded else ""
