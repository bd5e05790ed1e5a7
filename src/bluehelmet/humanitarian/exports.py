"""CSV exports of every humanitarian list, and HXL exports of the 3W and needs (with the
hashtags the HXL importers read, so an exported file imports again unchanged)."""

import csv
import io

from django.http import HttpResponse

from bluehelmet.core.exports import neutralize_formula

from .queries import sector_label

# (header, hashtag, value of a record)
ACTIVITY_COLUMNS = [
    ("Organisation", "#org+name", lambda a: a.organization.name),
    ("Implementing partner", "#org+impl", lambda a: a.implementing_partner),
    ("Sector", "#sector+name", lambda a: sector_label(a.sector)),
    ("Activity", "#activity+name", lambda a: a.activity),
    ("Admin 1", "#adm1+name", lambda a: _level(a.place, "adm1")),
    ("Admin 1 P-code", "#adm1+code", lambda a: _level(a.place, "adm1", "pcode")),
    ("Admin 2", "#adm2+name", lambda a: _level(a.place, "adm2")),
    ("Admin 2 P-code", "#adm2+code", lambda a: _level(a.place, "adm2", "pcode")),
    ("Admin 3", "#adm3+name", lambda a: _level(a.place, "adm3")),
    ("Location", "#loc+name", lambda a: a.location),
    ("Start", "#date+start", lambda a: a.start.isoformat() if a.start else ""),
    ("End", "#date+end", lambda a: a.end.isoformat() if a.end else ""),
    ("Status", "#status", lambda a: a.status),
    ("Targeted", "#targeted", lambda a: _number(a.targeted)),
    ("Targeted women and girls", "#targeted+f", lambda a: _number(a.targeted_female)),
    ("Targeted men and boys", "#targeted+m", lambda a: _number(a.targeted_male)),
    ("Reached", "#reached", lambda a: _number(a.reached)),
    ("Reached women and girls", "#reached+f", lambda a: _number(a.reached_female)),
    ("Reached men and boys", "#reached+m", lambda a: _number(a.reached_male)),
]

NEEDS_COLUMNS = [
    ("Sector", "#sector+name", lambda n: sector_label(n.sector)),
    ("Admin 1", "#adm1+name", lambda n: _level(n.place, "adm1")),
    ("Admin 1 P-code", "#adm1+code", lambda n: _level(n.place, "adm1", "pcode")),
    ("Admin 2", "#adm2+name", lambda n: _level(n.place, "adm2")),
    ("Admin 2 P-code", "#adm2+code", lambda n: _level(n.place, "adm2", "pcode")),
    ("Admin 3", "#adm3+name", lambda n: _level(n.place, "adm3")),
    ("People in need", "#inneed", lambda n: n.people_in_need),
    ("Severity", "#severity", lambda n: n.severity),
    ("Assessment date", "#date+assessed", lambda n: n.assessed_on.isoformat()),
    ("Method", "#meta+method", lambda n: n.method),
    ("Assessed by", "#org+name", lambda n: n.organization.name if n.organization else ""),
]

DELIVERY_COLUMNS = [
    ("date", lambda d: d.delivered_on.isoformat()),
    ("organisation", lambda d: d.organization.name),
    ("sector", lambda d: d.sector),
    ("item", lambda d: d.item),
    ("quantity", lambda d: d.quantity),
    ("unit", lambda d: d.unit),
    ("place", lambda d: d.place.name),
    ("place_key", lambda d: d.place.key),
    ("destination", lambda d: d.destination),
    ("escorted", lambda d: int(d.escorted)),
    ("outcome", lambda d: d.outcome),
    ("people_served", lambda d: _number(d.beneficiaries)),
    ("access_constraint_id", lambda d: d.access_constraint_id or ""),
    ("exercise", lambda d: int(d.exercise)),
    ("notes", lambda d: d.notes),
]

CONSTRAINT_COLUMNS = [
    ("id", lambda c: c.pk),
    ("type", lambda c: c.type),
    ("place", lambda c: c.place.name),
    ("place_key", lambda c: c.place.key),
    ("from", lambda c: c.started_on.isoformat()),
    ("until", lambda c: c.ended_on.isoformat() if c.ended_on else ""),
    ("impact", lambda c: c.impact),
    ("people_affected", lambda c: _number(c.people_affected)),
    ("incident_id", lambda c: c.incident_id or ""),
    ("exercise", lambda c: int(c.exercise)),
    ("description", lambda c: c.description),
]

GAP_COLUMNS = [
    "area",
    "sector",
    "people_in_need",
    "severity",
    "assessed_on",
    "targeted",
    "reached",
    "coverage",
    "gap",
    "covered_share",
    "activities",
]


def _number(value):
    return "" if value is None else value


def _level(place, kind, field="name"):
    """The name (or another field, e.g. its P-code) of the admin area of `kind` that `place`
    is or lies in."""
    node = place
    while node is not None:
        if node.kind == kind:
            return getattr(node, field)
        node = node.parent
    return ""


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralize_formula(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def hxl_response(filename: str, columns, records) -> HttpResponse:
    """A CSV with a header row and a hashtag row, as HDX files are."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header for header, _tag, _value in columns])
    writer.writerow([tag for _header, tag, _value in columns])
    for record in records:
        writer.writerow([neutralize_formula(value(record)) for _h, _t, value in columns])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def activities_csv(activities, filename):
    header = [
        "organisation",
        "implementing_partner",
        "sector",
        "activity",
        "place",
        "place_key",
        "location",
        "start",
        "end",
        "status",
        "targeted",
        "targeted_female",
        "targeted_male",
        "reached",
        "reached_female",
        "reached_male",
        "exercise",
    ]
    rows = (
        [
            a.organization.name,
            a.implementing_partner,
            a.sector,
            a.activity,
            a.place.name,
            a.place.key,
            a.location,
            a.start.isoformat() if a.start else "",
            a.end.isoformat() if a.end else "",
            a.status,
            *(
                _number(getattr(a, f))
                for f in ("targeted", "targeted_female", "targeted_male", "reached", "reached_female", "reached_male")
            ),
            int(a.exercise),
        ]
        for a in activities
    )
    return csv_response(filename, header, rows)


def needs_csv(needs, filename):
    header = [
        "place",
        "place_key",
        "sector",
        "people_in_need",
        "severity",
        "assessed_on",
        "method",
        "organisation",
        "exercise",
    ]
    rows = (
        [
            n.place.name,
            n.place.key,
            n.sector,
            n.people_in_need,
            n.severity,
            n.assessed_on.isoformat(),
            n.method,
            n.organization.name if n.organization else "",
            int(n.exercise),
        ]
        for n in needs
    )
    return csv_response(filename, header, rows)


def simple_csv(records, columns, filename):
    return csv_response(
        filename, [name for name, _value in columns], ([value(r) for _name, value in columns] for r in records)
    )


def gaps_csv(analysis, filename):
    rows = []
    for gap in analysis.rows:
        data = gap.as_dict()
        data["area"] = analysis.areas[gap.area].name if gap.area in analysis.areas else gap.area
        data["covered_share"] = "" if data["covered_share"] is None else round(data["covered_share"], 4)
        rows.append(["" if data[c] is None else data[c] for c in GAP_COLUMNS])
    return csv_response(filename, GAP_COLUMNS, rows)
