"""Hypothesis strategies for hostile files: malformed CSV and GeoJSON, as bytes."""

import csv
import io
import json

from hypothesis import strategies as st

from .conftest import FORMULA_PAYLOADS, SQL_PAYLOADS, XSS_PAYLOADS

# Values that pass many columns' checks, so that rows get past the first checks and the
# later ones (lookups, cross-row checks, the write) are reached too.
PLAUSIBLE = [
    "UNAMSIL",
    "Sierra Leone",
    "Kenema",
    "C1-1",
    "2001-03-01",
    "2001",
    "3",
    "12",
    "0",
    "1",
    "400",
    "8.48",
    "-13.23",
    "NA",
    "",
    "infantry",
    "Ghana",
    "ADM2",
    "1999-07-07",
    "2002-05-14",
]
HUGE = "x" * 200_000  # beyond the csv module's field limit (131,072)

cells = st.one_of(
    st.sampled_from(PLAUSIBLE),
    st.sampled_from(XSS_PAYLOADS + FORMULA_PAYLOADS + SQL_PAYLOADS),
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.just(HUGE),
)


@st.composite
def headers(draw, columns: list[str]) -> list[str]:
    """The expected columns, or one of the ways a header goes wrong."""
    header = list(columns)
    how = draw(st.sampled_from(["keep", "keep", "drop", "duplicate", "rename", "shuffle", "extra", "empty", "json"]))
    if how == "drop" and header:
        del header[draw(st.integers(0, len(header) - 1))]
    elif how == "duplicate" and header:
        header.append(draw(st.sampled_from(header)))
    elif how == "rename" and header:
        header[draw(st.integers(0, len(header) - 1))] = draw(st.text(max_size=12))
    elif how == "shuffle":
        header = draw(st.permutations(header))
    elif how == "extra":
        header.append(draw(st.text(min_size=1, max_size=12)))
    elif how == "empty":
        header = [""] * len(header)
    elif how == "json":
        header = ['{"type": "FeatureCollection"}']
    return header


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@st.composite
def csv_files(draw, columns: list[str]) -> bytes:
    header = draw(headers(columns))
    width = len(header)
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        n = draw(st.sampled_from([width, width, width, max(width - 1, 0), width + 1]))
        rows.append(draw(st.lists(cells, min_size=n, max_size=n)))
    return draw(encoded_and_damaged(csv_text(header, rows)))


geometries = st.one_of(
    st.none(),
    st.just({"type": "Polygon", "coordinates": [[[-13.3, 8.3], [-13.0, 8.3], [-13.0, 8.6], [-13.3, 8.3]]]}),
    st.just({"type": "Polygon", "coordinates": [[[200, 100], [201, 100], [201, 101], [200, 100]]]}),
    st.just({"type": "Polygon", "coordinates": []}),
    st.just({"type": "Point", "coordinates": [-13.2, 8.4]}),
    st.just({"type": "Polygon", "coordinates": "nonsense"}),
    st.just({"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [0, 0]]]]}),
    st.just({"type": "Banana"}),
    st.just([]),
    st.just("Polygon"),
)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(PLAUSIBLE + XSS_PAYLOADS + FORMULA_PAYLOADS),
)
properties = st.one_of(
    st.dictionaries(
        st.sampled_from(["name", "shapeName", "level", "shapeType", "code", "shapeID", "district"]), json_scalars
    ),
    st.none(),
    st.just([]),
    st.just("props"),
)
features = st.one_of(
    st.fixed_dictionaries({"type": st.just("Feature"), "geometry": geometries, "properties": properties}),
    st.dictionaries(st.text(max_size=8), json_scalars, max_size=3),
    json_scalars,
)


@st.composite
def geojson_files(draw, _columns=None) -> bytes:
    shape = draw(st.sampled_from(["collection", "collection", "collection", "not-collection", "bad-json", "scalar"]))
    if shape == "collection":
        text = json.dumps({"type": "FeatureCollection", "features": draw(st.lists(features, max_size=4))})
    elif shape == "not-collection":
        text = json.dumps(
            draw(
                st.one_of(
                    st.just({"type": "FeatureCollection", "features": {}}),
                    st.just({"type": "Feature"}),
                    st.lists(json_scalars, max_size=3),
                )
            )
        )
    elif shape == "bad-json":
        text = draw(st.sampled_from(['{"type": "FeatureCollection", "features": [', "{'a': 1}", "[1, 2,]", "NaN", "{"]))
    else:
        text = json.dumps(draw(json_scalars))
    return draw(encoded_and_damaged(text))


@st.composite
def encoded_and_damaged(draw, text: str) -> bytes:
    """The text in some encoding, then maybe damaged: truncated, NUL bytes, other bytes."""
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16"]))
    data = text.encode(encoding, errors="replace")
    damage = draw(st.sampled_from(["none", "none", "truncate", "nul", "random", "empty", "blank", "zip", "bytes"]))
    if damage == "truncate" and data:
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif damage == "nul":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\x00" + data[at:]
    elif damage == "random":
        data = draw(st.binary(max_size=200))
    elif damage == "empty":
        data = b""
    elif damage == "blank":
        data = b" \n\r\n\t"
    elif damage == "zip":
        data = b"PK\x03\x04" + data
    elif damage == "bytes" and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at + 1 :]
    return data
