"""Incident analysis: counts and casualties of the incidents a user may see, by type,
perpetrator, admin area and month, for the analysis page, its JSON and its exports.

The incidents are the live picture's (`feed.mission_incidents`: the gate's mission rule and
TLP labels, merged reports left out), filtered with the live picture's `IncidentFilter`;
nothing here decides what a user may see. The filters combine, and each breakdown applies
every filter but its own (the way a cross-filtering dashboard works): choosing a type narrows
the actors, areas and months to that type while the types chart still shows every type,
the chosen one marked, so another can be chosen without first clearing it.

Each breakdown is one GROUP BY query, and the totals of the chosen months and of the same
months a year earlier are summed from the months breakdown: the page costs the same few
queries for 1 incident or 100,000.
"""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.db.models import Case, CharField, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bluehelmet.core.models import Mission, Organization, Place
from bluehelmet.core.months import add_months
from bluehelmet.core.timerange import MonthRangeForm

from . import feed
from .filters import IncidentFilter
from .models import Incident, IncidentType, SavedAnalysisView

# The filters of the page, by the name the breakdown it belongs to leaves out.
RECORD_FILTERS = ("type", "perpetrator", "place", "status")
DIMENSIONS = ("type", "perpetrator", "place", "month")
CASUALTY_KINDS = ("killed", "injured", "abducted")
# How many months the page shows at first: a year, ending with the latest incident's month,
# so that the comparison with the year before reads as "this year against last year".
DEFAULT_MONTHS = 12


class AnalysisFilterForm(MonthRangeForm):
    """The analysis page's filters, from a query string or a saved view: an incident type
    (code), a perpetrator (organisation id), an admin area (place id), a status and a month
    range (`from`, `to`: YYYY-MM). With `mission`, the type, perpetrator and area must exist
    for it (checked when a view is saved; a query string naming nothing just matches nothing)."""

    def __init__(self, data=None, *, mission: Mission | None = None, **kwargs):
        super().__init__(data, **kwargs)
        self.mission = mission
        self.fields["type"] = forms.SlugField(label=_("Type"), required=False, max_length=50)
        self.fields["perpetrator"] = forms.IntegerField(label=_("Perpetrator"), required=False, min_value=1)
        self.fields["place"] = forms.IntegerField(label=_("Admin area"), required=False, min_value=1)
        self.fields["status"] = forms.ChoiceField(
            label=_("Status"), required=False, choices=[("", _("Any")), *Incident.Status.choices]
        )

    def clean_type(self):
        code = self.cleaned_data.get("type") or ""
        if (
            code
            and self.mission is not None
            and not IncidentType.objects.filter(mission=self.mission, code=code).exists()
        ):
            raise forms.ValidationError(_("The mission has no incident type of this code."), code="unknown")
        return code

    def clean_perpetrator(self):
        pk = self.cleaned_data.get("perpetrator")
        if pk and self.mission is not None and not Organization.objects.filter(pk=pk).exists():
            raise forms.ValidationError(_("No actor has this id."), code="unknown")
        return pk

    def clean_place(self):
        pk = self.cleaned_data.get("place")
        if pk and self.mission is not None:
            areas = Place.objects.filter(
                pk=pk, kind__in=Place.AREA_KINDS, country__in=self.mission.host_countries.all()
            )
            if not areas.exists():
                raise forms.ValidationError(_("No admin area of the mission's countries has this id."), code="unknown")
        return pk

    def canonical(self) -> dict[str, str]:
        """The filters given, as strings (months as YYYY-MM): a saved view's `params`, and a
        query string that opens the page on them. Call after is_valid()."""
        values = {}
        for name in ("from", "to"):
            if self.cleaned_data.get(name):
                values[name] = self.cleaned_data[name].strftime("%Y-%m")
        for name in RECORD_FILTERS:
            if self.cleaned_data.get(name):
                values[name] = str(self.cleaned_data[name])
        return values


@dataclass
class Selection:
    """Cleaned filters, with the month range resolved (first days of its first and last months)."""

    first: datetime.date
    last: datetime.date
    records: dict[str, str] = field(default_factory=dict)  # type, perpetrator, place, status

    @property
    def last_day(self) -> datetime.date:
        return add_months(self.last, 1) - datetime.timedelta(days=1)

    def params(self) -> dict[str, str]:
        return {"from": self.first.strftime("%Y-%m"), "to": self.last.strftime("%Y-%m"), **self.records}


def selection(form: AnalysisFilterForm, by_month_rows: list[dict] | None = None) -> Selection:
    """The valid form's filters, a month left out filled in: the DEFAULT_MONTHS months up to
    the latest month with incidents in `by_month_rows` (the months breakdown, which does not
    depend on the month range; this month when there is none)."""
    data = form.cleaned_data
    first, last = data.get("from"), data.get("to")
    if first is None or last is None:
        latest = datetime.date.fromisoformat(by_month_rows[-1]["key"] + "-01") if by_month_rows else None
        latest = latest or timezone.localdate().replace(day=1)
        if last is None:
            last = max(latest, first) if first else latest
        if first is None:
            first = add_months(last, 1 - DEFAULT_MONTHS)
    return Selection(first, last, records_of(form))


def records_of(form: AnalysisFilterForm) -> dict[str, str]:
    return {name: str(form.cleaned_data[name]) for name in RECORD_FILTERS if form.cleaned_data.get(name)}


class Matching:
    """The incidents a user may see that match the record filters (type, perpetrator, place,
    status; the live picture's IncidentFilter) less one of them, within days when given. One
    filter set serves every breakdown, so a place is looked up once."""

    def __init__(self, user, mission: Mission, records: dict[str, str]):
        self.visible = feed.mission_incidents(user, mission)
        self.filterset = IncidentFilter(records, queryset=self.visible)
        self.valid = self.filterset.is_valid()

    def __call__(self, days: tuple | None = None, without: str | None = None) -> QuerySet[Incident]:
        if not self.valid:
            return self.visible.none()
        incidents = self.visible
        # What FilterSet.filter_queryset does, leaving out the breakdown's own filter.
        for name, value in self.filterset.form.cleaned_data.items():
            if name != without:
                incidents = self.filterset.filters[name].filter(incidents, value)
        if days is not None:
            incidents = feed.within_days(incidents, *days)
        return incidents


def _measures() -> dict:
    return {"count": Count("pk"), **{kind: Coalesce(Sum(kind), 0) for kind in CASUALTY_KINDS}}


def _rows(values, key: str, label) -> list[dict]:
    rows = [
        {"key": row[key], "label": label(row), "count": row["count"], **{kind: row[kind] for kind in CASUALTY_KINDS}}
        for row in values
    ]
    return sorted(rows, key=lambda row: (-row["count"], str(row["label"])))


UNKNOWN_ACTOR = gettext_lazy("Unknown or none")
UNKNOWN_AREA = gettext_lazy("No admin area")


def by_type(incidents: QuerySet[Incident]) -> list[dict]:
    values = incidents.values("type__code", "type__name").annotate(**_measures()).order_by()
    return _rows(values, "type__code", lambda row: row["type__name"])


def by_perpetrator(incidents: QuerySet[Incident]) -> list[dict]:
    """An incident counts for each of its perpetrators (the rows add up to more than the
    incidents when some have several), and once under "unknown" when it names none."""
    values = incidents.values("perpetrators__id", "perpetrators__name", "perpetrators__acronym")
    values = values.annotate(**_measures()).order_by()

    def label(row) -> str:
        if row["perpetrators__id"] is None:
            return str(UNKNOWN_ACTOR)
        # A long name reads badly beside a bar: its acronym stands for it.
        name, acronym = row["perpetrators__name"], row["perpetrators__acronym"]
        return acronym if acronym and len(name) > 40 else name

    return _rows(values, "perpetrators__id", label)


AREA_LEVELS = (Place.Kind.ADM2, Place.Kind.ADM1)


def _area_of_incident(level: str, attribute: str, output_field):
    """The incident's admin area at `level`, from its place (an area of that level or finer,
    or a town inside one): the place itself or the first of its parents of that level."""
    whens = [
        When(**{f"place{'__parent' * depth}__kind": level}, then=F(f"place{'__parent' * depth}__{attribute}"))
        for depth in range(4)
    ]
    return Case(*whens, default=Value(None), output_field=output_field)


def by_area(incidents: QuerySet[Incident]) -> tuple[str, list[dict]]:
    """The admin level counted by, and the counts of its areas. The level is the finest one
    the incidents' places reach (admin 2 where the mission's countries have it, as the maps
    draw it, admin 1 otherwise), so each area coloured on the map is one a user can click.
    Both levels are read in the one query, then the finer one kept."""
    annotations = {}
    for level in AREA_LEVELS:
        annotations[f"{level}_id"] = _area_of_incident(level, "id", IntegerField())
        annotations[f"{level}_name"] = _area_of_incident(level, "name", CharField())
    values = incidents.annotate(**annotations).values(*annotations).annotate(**_measures()).order_by()
    grouped = list(values)
    level = next(
        (level for level in AREA_LEVELS if any(row[f"{level}_id"] is not None for row in grouped)), AREA_LEVELS[-1]
    )
    areas: dict = {}
    for row in grouped:
        key = row[f"{level}_id"]
        area = areas.setdefault(
            key,
            {"key": key, "label": row[f"{level}_name"] or str(UNKNOWN_AREA), "count": 0}
            | dict.fromkeys(CASUALTY_KINDS, 0),
        )
        for measure in ("count", *CASUALTY_KINDS):
            area[measure] += row[measure]
    return level, sorted(areas.values(), key=lambda row: (-row["count"], str(row["label"])))


def by_month(incidents: QuerySet[Incident]) -> list[dict]:
    """Every month with incidents, oldest first (months without any are left for the caller
    to fill). All months, whatever the month range: the chart shows the range among them."""
    values = incidents.annotate(month=TruncMonth("occurred_at")).values("month").annotate(**_measures()).order_by()
    rows = []
    for row in values:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        rows.append(
            {
                "key": month.strftime("%Y-%m"),
                "label": month.strftime("%Y-%m"),
                "count": row["count"],
                **{kind: row[kind] for kind in CASUALTY_KINDS},
            }
        )
    return sorted(rows, key=lambda row: row["key"])


def compare_with_last_year(months: list[dict], chosen: Selection) -> dict:
    """Incidents and casualties of the chosen months and of the same months a year earlier
    (every other filter applied to both), and the change. Summed from the months breakdown
    (`by_month`: every month, under every filter but the months), so it costs no query."""
    previous_first, previous_last = add_months(chosen.first, -12), add_months(chosen.last, -12)
    periods = {
        "current": (chosen.first.strftime("%Y-%m"), chosen.last.strftime("%Y-%m")),
        "previous": (previous_first.strftime("%Y-%m"), previous_last.strftime("%Y-%m")),
    }
    result: dict = {"change": {}}
    for period, (first, last) in periods.items():
        inside = [row for row in months if first <= row["key"] <= last]
        result[period] = {"from": first, "to": last}
        for measure in ("count", *CASUALTY_KINDS):
            result[period][measure] = sum(row[measure] for row in inside)
    for measure in ("count", *CASUALTY_KINDS):
        current, previous = result["current"][measure], result["previous"][measure]
        result["change"][measure] = {
            "difference": current - previous,
            # No percentage from nothing: "+3" says it, "+inf %" would not.
            "percent": round(100 * (current - previous) / previous, 1) if previous else None,
        }
    return result


@dataclass
class Analysis:
    selection: Selection
    area_level: str
    comparison: dict
    by_type: list[dict]
    by_perpetrator: list[dict]
    by_area: list[dict]
    by_month: list[dict]

    def as_json(self) -> dict:
        return {
            "filters": self.selection.params(),
            "area_level": self.area_level,
            "comparison": self.comparison,
            "by_type": self.by_type,
            "by_perpetrator": self.by_perpetrator,
            "by_area": self.by_area,
            "by_month": self.by_month,
        }

    def months_in_range(self) -> list[dict]:
        """The chosen months, each with its counts (zeros where nothing happened): the no-script table."""
        known = {row["key"]: row for row in self.by_month}
        rows, month = [], self.selection.first
        while month <= self.selection.last:
            key = month.strftime("%Y-%m")
            rows.append(
                known.get(key) or {"key": key, "label": key, "count": 0, "killed": 0, "injured": 0, "abducted": 0}
            )
            month = add_months(month, 1)
        return rows

    def breakdowns(self) -> list[tuple[str, list[dict]]]:
        return [
            ("type", self.by_type),
            ("perpetrator", self.by_perpetrator),
            ("place", self.by_area),
            ("month", self.by_month),
        ]


def analyse(user, mission: Mission, form: AnalysisFilterForm) -> Analysis:
    """Every breakdown of the page for a valid filter form, each under every filter but its
    own. The months breakdown comes first: it gives the default month range."""
    matching = Matching(user, mission, records_of(form))
    months = by_month(matching())
    chosen = selection(form, months)
    days = (chosen.first, chosen.last_day)
    level, areas = by_area(matching(days, without="place"))
    return Analysis(
        selection=chosen,
        area_level=level,
        comparison=compare_with_last_year(months, chosen),
        by_type=by_type(matching(days, without="type")),
        by_perpetrator=by_perpetrator(matching(days, without="perpetrator")),
        by_area=areas,
        by_month=months,
    )


def rows_export_url(mission: Mission, chosen: Selection) -> str:
    """The incidents export (CSV) of the rows behind the view: the same filters, the months
    as days."""
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.update(chosen.records)
    query["date_from"] = chosen.first.isoformat()
    query["date_to"] = chosen.last_day.isoformat()
    return reverse("incidents:export", args=[mission.acronym, "csv"]) + "?" + query.urlencode()


AGGREGATE_HEADER = ["breakdown", "key", "label", "selected", "incidents", *CASUALTY_KINDS]


def aggregate_rows(result: Analysis):
    """The view's numbers as CSV rows: the totals of the chosen months and of the year
    before, then each breakdown as the page shows it (under every filter but its own; the
    row of a filter chosen is marked selected)."""
    comparison = result.comparison
    for period in ("current", "previous"):
        totals = comparison[period]
        label = f"{totals['from']} – {totals['to']}"
        yield ["total_" + period, "", label, "", totals["count"], *(totals[kind] for kind in CASUALTY_KINDS)]
    chosen = result.selection.records
    for name, rows in result.breakdowns():
        for row in rows:
            selected = name in chosen and str(row["key"]) == chosen[name]
            yield [
                name,
                "" if row["key"] is None else row["key"],
                row["label"],
                "yes" if selected else "",
                row["count"],
                *(row[kind] for kind in CASUALTY_KINDS),
            ]


# --- saved views ------------------------------------------------------------------------------


def saved_views(user, mission: Mission) -> QuerySet[SavedAnalysisView]:
    """The views a user may open in a mission: their own and those shared with it."""
    return SavedAnalysisView.objects.filter(Q(owner=user) | Q(shared=True), mission=mission).select_related("owner")


class SavedViewForm(forms.ModelForm):
    class Meta:
        model = SavedAnalysisView
        fields = ["name", "shared"]


@dataclass
class SaveOutcome:
    view: SavedAnalysisView | None = None
    errors: dict = field(default_factory=dict)


def save_view(user, access, data) -> SaveOutcome:
    """Save the filters in `data` under the name in `data` (and `shared`), for the user in
    the access's mission. Errors are by field: name, shared, or the filter refused. Sharing
    with the mission takes a staff role (incidents.report)."""
    mission = access.mission
    view = SavedAnalysisView(mission=mission, owner=user)
    form = SavedViewForm(data, instance=view)
    filters = AnalysisFilterForm(data, mission=mission)
    errors: dict[str, list[str]] = {}
    filters_valid = filters.is_valid()
    if filters_valid:
        view.params = filters.canonical()
    if not form.is_valid():
        errors.update({name: list(messages) for name, messages in form.errors.items()})
    if not filters_valid:
        errors.update({name: list(messages) for name, messages in filters.errors.items()})
    name = (form.cleaned_data.get("name") or "").strip() if hasattr(form, "cleaned_data") else ""
    if name and SavedAnalysisView.objects.filter(mission=mission, owner=user, name=name).exists():
        errors.setdefault("name", []).append(_("You already have a view of this name."))
    if form.cleaned_data.get("shared") and not access.can("incidents.report"):
        errors.setdefault("shared", []).append(_("Your role in this mission does not allow sharing views."))
    if errors:
        return SaveOutcome(errors=errors)
    view.full_clean()
    view.save()
    return SaveOutcome(view)


def delete_view(user, view: SavedAnalysisView) -> None:
    """Only the owner deletes a view (the caller found it among the owner's own)."""
    if view.owner_id != user.pk:
        raise PermissionError("not the owner")
    view.delete()
