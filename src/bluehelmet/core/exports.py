"""What every CSV export shares: cells a spreadsheet would run as a formula are quoted.

A cell starting with = + - @ (or a tab or carriage return, which some spreadsheets skip
before reading one of those) is run as a formula when the file is opened: text written by
users or imported from files could then call other programs or leak data (CSV injection,
OWASP). Such text is prefixed with a single quote, which spreadsheets show as text. Numbers
pass unchanged: a negative longitude is data, not a formula.
"""

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(value):
    """The value, with text that a spreadsheet would evaluate prefixed by a quote. Numbers pass
    as they are, None as an empty cell; anything else is written as its text (a related record's
    name, a translated label) and checked like text."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Line:
    """A file-like target for csv.writer that hands back the line just written."""

    def write(self, text: str) -> str:
        return text


def csv_lines(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """CSV text, a header then one line per row, every cell neutralised; for streaming."""
    writer = csv.writer(_Line())
    yield writer.writerow(list(header))
    for row in rows:
        yield writer.writerow([neutralize_formula(value) for value in row])
