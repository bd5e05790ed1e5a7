"""Forms of the incident pages; the report forms also check the API's reports."""

import json
import uuid
from collections import Counter
from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.access import STAFF_ROLES
from bluehelmet.core.models import Organization, Place, Sharing, Team
from bluehelmet.core.sensitivity import VISIBLE_TO, Sensitivity
from bluehelmet.core.widgets import FilteredSelectMultiple
from bluehelmet.datasets.actors import mission_actors

from .locating import mission_area_places, mission_locator
from .lookups import active_types
from .models import Agreement, AlertRule, Casualty, Incident, IncidentType, MonitoredZone, ResponseTask, Source

# A device clock a few minutes fast is not a report from the future.
CLOCK_SKEW = timedelta(minutes=10)
PRECISION_OF_AREA = {Place.Kind.COUNTRY: 6, Place.Kind.ADM1: 4, Place.Kind.ADM2: 3, Place.Kind.ADM3: 3}
CASUALTY_GROUPS = (
    Casualty.Group.CIVILIAN,
    Casualty.Group.COMBATANT,
    Casualty.Group.PEACEKEEPER,
    Casualty.Group.UNKNOWN,
)
CASUALTY_GRID = [(kind, group) for kind in Casualty.Kind.values for group in CASUALTY_GROUPS]
MAX_BREAKDOWN_ROWS = 60
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def grid_field(kind: str, group: str) -> str:
    return f"{kind}_{group}"


def combine_casualties(
    totals: dict[tuple[str, str], int | None], breakdown: list[dict]
) -> tuple[list[dict], dict[tuple[str, str], int]]:
    """The casualty rows of a report: the breakdown rows (by sex and age) as given and, for
    each total of the grid, the part its breakdown does not cover, of unknown sex and age. A
    kind and group without a total counts its breakdown rows only (what the API sends).
    Returns the rows and, for each total smaller than its breakdown, that breakdown's sum."""
    counts = Counter()
    for row in breakdown:
        counts[(row["kind"], row["group"], row["sex"], row["age"])] += row["count"]
    too_small = {}
    for (kind, group), total in totals.items():
        if total is None:
            continue
        known = sum(n for (k, g, _sex, _age), n in counts.items() if (k, g) == (kind, group))
        if known > total:
            too_small[(kind, group)] = known
        else:
            counts[(kind, group, Casualty.Sex.UNKNOWN, Casualty.Age.UNKNOWN)] += total - known
    order = {
        value: i
        for choices in (Casualty.Kind, Casualty.Group, Casualty.Sex, Casualty.Age)
        for i, value in enumerate(choices.values)
    }
    keys = sorted((key for key, n in counts.items() if n > 0), key=lambda key: [order[v] for v in key])
    rows = [{"kind": k, "group": g, "sex": s, "age": a, "count": counts[(k, g, s, a)]} for k, g, s, a in keys]
    return rows, too_small


def casualty_totals(rows) -> dict[str, int]:
    """killed, injured and abducted: the incident's totals of its casualty rows."""
    return {kind: sum(row["count"] for row in rows if row["kind"] == kind) for kind in Casualty.Kind.values}


def casualty_grid_initial(incident: Incident) -> tuple[dict[str, int], list[dict]]:
    """An incident's stored casualties as the edit form shows them: grid totals by kind and
    group, and the rows whose sex or age is known as the breakdown."""
    totals, breakdown = Counter(), []
    for row in incident.casualties.values("kind", "group", "sex", "age", "count"):
        totals[grid_field(row["kind"], row["group"])] += row["count"]
        if row["sex"] != Casualty.Sex.UNKNOWN or row["age"] != Casualty.Age.UNKNOWN:
            breakdown.append(row)
    return dict(totals), breakdown


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ModelDefaultsMixin:
    """Fields whose model field has a default may be left out (devices send the least they
    can); they then take that default."""

    optional_defaults: tuple[str, ...] = ()

    def _make_defaults_optional(self):
        for name in self.optional_defaults:
            if name in self.fields:
                self.fields[name].required = False

    def _fill_defaults(self, cleaned: dict) -> None:
        for name in self.optional_defaults:
            if name in self.fields and cleaned.get(name) in (None, "") and name not in self.errors:
                cleaned[name] = self._meta.model._meta.get_field(name).get_default()


class TypeByCodeField(forms.ModelChoiceField):
    """The incident type by its code: from the mission's cached active types (incidents.lookups)
    when given, no query; from the queryset otherwise (an edit may keep an inactive type)."""

    by_code: dict[str, IncidentType] | None = None

    def to_python(self, value):
        if self.by_code is None or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.by_code[str(value)]
        except KeyError:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


class IncidentReportForm(ModelDefaultsMixin, forms.ModelForm):
    """A new report, or an edit of one. Used by the report page and the API alike, so both
    answer with the same field-level errors."""

    # Not a model field of the form: its uniqueness is the database's to enforce (see reports).
    client_id = forms.UUIDField(
        required=False,
        widget=forms.HiddenInput,
        help_text=_("generated by the device; a report re-sent with the same id is stored once"),
    )
    type = TypeByCodeField(
        queryset=IncidentType.objects.none(),
        to_field_name="code",
        label=_("Type"),
        error_messages={"invalid_choice": _("Unknown incident type: choose one of the mission's types.")},
    )
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90, label=_("Latitude"))
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180, label=_("Longitude"))
    location_precision = forms.TypedChoiceField(
        choices=Incident.LocationPrecision.choices, coerce=int, required=False, label=_("Location precision")
    )
    place = forms.ModelChoiceField(
        queryset=Place.objects.none(),
        required=False,
        label=_("Admin area"),
        help_text=_("or pick the point on the map / give coordinates"),
    )
    # The mission's actors (datasets.actors), filtered as one types (static/js/selectfilter.js).
    perpetrators = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none(), required=False, label=_("Perpetrators"), widget=FilteredSelectMultiple
    )
    targets = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none(), required=False, label=_("Targets"), widget=FilteredSelectMultiple
    )
    agreement = forms.ModelChoiceField(
        queryset=Agreement.objects.none(),
        required=False,
        label=_("Ceasefire agreement"),
        help_text=_("set automatically when the incident lies in a monitored zone"),
    )

    class Meta:
        model = Incident
        fields = [
            "type",
            "occurred_at",
            "date_precision",
            "latitude",
            "longitude",
            "location_precision",
            "place",
            "location_description",
            "perpetrators",
            "targets",
            "narrative",
            "sharing",
            "sensitivity",
            "agreement",
        ]
        widgets = {"occurred_at": DateTimeInput(), "narrative": forms.Textarea(attrs={"rows": 5})}

    optional_defaults = ("date_precision", "sharing", "sensitivity")

    def __init__(self, *args, mission, breakdown: list[dict] | None = None, **kwargs):
        """`breakdown`: the checked casualty rows by sex and age that come with the grid's totals."""
        super().__init__(*args, **kwargs)
        self._make_defaults_optional()
        self.mission = mission
        self.breakdown = breakdown or []
        self._casualty_rows: list[dict] = []
        types = IncidentType.objects.filter(mission=mission)
        if self.instance.pk is None:
            types = types.filter(active=True)
        self.fields["type"].queryset = types
        if self.instance.pk is None:
            self.fields["type"].by_code = active_types(mission)
        self.fields["place"].queryset = mission_area_places(mission).order_by("kind", "name")
        self.fields["agreement"].queryset = Agreement.objects.filter(mission=mission)
        editing = self.instance.pk is not None
        self.fields["perpetrators"].queryset = mission_actors(
            mission, keep=self.instance.perpetrators.values("pk") if editing else None
        )
        self.fields["targets"].queryset = mission_actors(
            mission, international=True, keep=self.instance.targets.values("pk") if editing else None
        )
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
        if self.instance.pk is not None:
            del self.fields["client_id"]
        for kind, group in CASUALTY_GRID:
            label = f"{Casualty.Kind(kind).label}: {Casualty.Group(group).label}"
            self.fields[grid_field(kind, group)] = forms.IntegerField(
                min_value=0,
                max_value=Casualty.MAX_COUNT,
                required=False,
                label=label,
                widget=forms.NumberInput(attrs={"aria-label": label, "min": 0}),
            )
        if self.instance.pk is not None and not self.is_bound:
            totals, _breakdown = casualty_grid_initial(self.instance)
            self.initial.update(totals)
            self.initial["type"] = self.instance.type.code  # the field's values are codes, not ids

    # Checked by their form fields against the mission's own records (its types, its host
    # countries' areas, its agreements): the model's check that the row exists would ask again.
    CHECKED_REFERENCES = ("type", "place", "agreement")

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | set(self.CHECKED_REFERENCES)

    def clean_occurred_at(self):
        occurred_at = self.cleaned_data["occurred_at"]
        stored = self.instance.occurred_at if self.instance.pk else None
        if stored is not None and occurred_at == stored.replace(second=0, microsecond=0):
            return stored  # the form shows minutes: an unchanged time keeps its seconds
        if occurred_at > timezone.now() + CLOCK_SKEW:
            raise forms.ValidationError(_("This date is in the future."))
        if self.mission.start and occurred_at.date() < self.mission.start:
            raise forms.ValidationError(
                _("This date is before the mission started (%(start)s).") % {"start": self.mission.start.isoformat()}
            )
        return occurred_at

    def _label_shared_report(self, cleaned: dict) -> None:
        """Partners see a report only when it is both shared and labelled CLEAR or GREEN: a
        shared report sent without a label is GREEN; a shared AMBER or RED one is refused."""
        if cleaned.get("sharing") != Sharing.PUBLIC or "sensitivity" in self.errors:
            return
        label = cleaned.get("sensitivity")
        if label in (None, ""):
            cleaned["sensitivity"] = Sensitivity.GREEN
        elif label not in (Sensitivity.CLEAR, Sensitivity.GREEN):
            self.add_error("sensitivity", _("A report shared with partners must be labelled TLP:CLEAR or TLP:GREEN."))

    def clean(self):
        cleaned = super().clean()
        self._label_shared_report(cleaned)
        self._fill_defaults(cleaned)
        self._check_casualties()
        latitude, longitude, place = cleaned.get("latitude"), cleaned.get("longitude"), cleaned.get("place")
        if "latitude" in self.errors or "longitude" in self.errors:
            return cleaned
        if (latitude is None) != (longitude is None):
            missing = "latitude" if latitude is None else "longitude"
            self.add_error(missing, _("Give both latitude and longitude."))
            return cleaned
        if latitude is None:
            if place is None or place.latitude is None:
                self.add_error("latitude", _("Pick the place on the map, give coordinates or choose an admin area."))
                return cleaned
            cleaned["latitude"], cleaned["longitude"] = place.latitude, place.longitude
            cleaned["location_precision"] = cleaned.get("location_precision") or PRECISION_OF_AREA[place.kind]
        else:
            locator = mission_locator(self.mission)
            if locator:
                area = locator.locate(latitude, longitude)
                if area is None:
                    message = _("This point is outside the mission's host countries.")
                    self.add_error("latitude", message)
                    self.add_error("longitude", message)
                    return cleaned
                cleaned["place"] = area
        cleaned["location_precision"] = cleaned.get("location_precision") or Incident.LocationPrecision.EXACT
        return cleaned

    def _check_casualties(self):
        fields = {(kind, group): grid_field(kind, group) for kind, group in CASUALTY_GRID}
        if any(name in self.errors for name in fields.values()):
            return
        totals = {key: self.cleaned_data.get(name) for key, name in fields.items()}
        self._casualty_rows, too_small = combine_casualties(totals, self.breakdown)
        for key, known in too_small.items():
            self.add_error(fields[key], _("Less than its breakdown by sex and age (%(n)d).") % {"n": known})
        for kind, total in casualty_totals(self._casualty_rows).items():
            if total > Casualty.MAX_COUNT:
                self.add_error(
                    None,
                    _("The incident's total “%(kind)s” is over %(max)d: check the counts.")
                    % {"max": Casualty.MAX_COUNT, "kind": Casualty.Kind(kind).label},
                )

    def casualties_given(self) -> bool:
        """Whether the data holds the casualty grid (an edit without it keeps the casualties)."""
        return any(grid_field(kind, group) in self.data for kind, group in CASUALTY_GRID) or bool(self.breakdown)

    def casualty_rows(self) -> list[dict]:
        """The casualty rows to store (valid forms only)."""
        return self._casualty_rows

    def casualty_grid(self):
        """The grid's bound fields as rows (killed, injured, abducted) of columns (groups)."""
        return [
            (Casualty.Kind(kind).label, [self[grid_field(kind, g)] for g in CASUALTY_GROUPS])
            for kind in Casualty.Kind.values
        ]


def new_client_id() -> str:
    return str(uuid.uuid4())


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["kind", "description", "identity", "reliability", "credibility"]
        widgets = {"identity": forms.Textarea(attrs={"rows": 2})}


class SourceGradeForm(forms.ModelForm):
    """A new grading of a source already recorded (6x6 Admiralty scale), and why."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Why this grading"))

    class Meta:
        model = Source
        fields = ["reliability", "credibility"]


class CasualtyForm(ModelDefaultsMixin, forms.ModelForm):
    optional_defaults = ("group", "sex", "age")
    count = forms.IntegerField(min_value=0, max_value=Casualty.MAX_COUNT, label=_("count"))

    class Meta:
        model = Casualty
        fields = ["kind", "group", "sex", "age", "count"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._make_defaults_optional()

    def clean(self):
        cleaned = super().clean()
        self._fill_defaults(cleaned)
        return cleaned


class BaseBreakdownFormSet(forms.BaseFormSet):
    """The report form's casualty rows by sex and age: rows left empty are ignored, rows
    ticked "remove" are dropped."""

    def rows(self) -> list[dict]:
        """The filled rows of a valid formset (none when the form sent no rows at all)."""
        if not self.is_bound:
            return []
        return [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and f.cleaned_data.get("count") is not None and not f.cleaned_data.get("DELETE")
        ]


BreakdownFormSet = forms.formset_factory(
    CasualtyForm,
    formset=BaseBreakdownFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_BREAKDOWN_ROWS,
    absolute_max=MAX_BREAKDOWN_ROWS,
)


def breakdown_formset(data=None, initial=None) -> BaseBreakdownFormSet:
    """The casualty rows of a report or edit form; unbound when the data has none (a form
    posted without them, as older pages and scripts do)."""
    return BreakdownFormSet(_if_sent(data, "casualty"), initial=initial, prefix="casualty")


def _if_sent(data, prefix: str):
    """The data, or None when it holds no rows of the formset with this prefix."""
    return data if data is not None and f"{prefix}-TOTAL_FORMS" in data else None


def formset_checked(formset) -> bool:
    """Valid, or not sent at all."""
    return not formset.is_bound or formset.is_valid()


class BaseSourceFormSet(forms.BaseModelFormSet):
    """The sources of an incident on its edit page, plus one new. Without the right to see
    identities, the existing sources' identity field is left out (kept as stored)."""

    def __init__(self, *args, identities: bool, **kwargs):
        self.identities = identities
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if not self.identities and form.instance.pk is not None:
            del form.fields["identity"]
        return form


SourceFormSet = forms.modelformset_factory(Source, form=SourceForm, formset=BaseSourceFormSet, extra=1, max_num=200)


def source_formset(incident: Incident, data=None, *, identities: bool) -> BaseSourceFormSet:
    return SourceFormSet(
        _if_sent(data, "sources"),
        queryset=incident.sources.order_by("added_at", "id"),
        prefix="sources",
        identities=identities,
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Incident.Status.choices, label=_("New status"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Why"))


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Why"))


class EditReasonForm(forms.Form):
    edit_reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Why this change"))


class MergeForm(forms.Form):
    duplicate = forms.IntegerField(label=_("Report number to merge into this one"), min_value=1)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Why"))


class AcknowledgeForm(forms.Form):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Note"))


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        full = obj.get_full_name()
        return f"{full} ({obj.get_username()})" if full else obj.get_username()


class TaskForm(forms.ModelForm):
    """A response task for a member of the mission, one of its teams or units, or both. Only the
    mission's lists are offered and accepted; a person must be staff whose role sees the task's
    label (`label`: the strictest of its alert and incident), or they could not open it."""

    class Meta:
        model = ResponseTask
        fields = ["title", "team", "assignee", "due_at"]
        widgets = {"due_at": DateTimeInput()}
        field_classes = {"assignee": MemberChoiceField}

    def __init__(self, *args, mission, label: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        roles = [role for role in STAFF_ROLES if label is None or label in VISIBLE_TO.get(role, ())]
        self.fields["assignee"].queryset = (
            get_user_model()
            .objects.filter(memberships__mission=mission, memberships__role__in=roles, is_active=True)
            .order_by("first_name", "last_name", "username")
        )
        self.fields["assignee"].label = _("Person")
        self.fields["team"].queryset = Team.objects.filter(mission=mission)
        self.fields["team"].label = _("Team or unit")

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("assignee") is None and data.get("team") is None:
            self.add_error("team", _("Choose a team or a person (or both)."))
        return data


class TaskUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=ResponseTask.Status.choices, label=_("Status"))
    outcome = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Outcome"))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("Files up to 10 MB."))
        return upload


class IncidentTypeForm(forms.ModelForm):
    class Meta:
        model = IncidentType
        fields = ["code", "name", "description", "active", "order"]

    def __init__(self, *args, mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.mission = mission

    def clean_code(self):
        code = self.cleaned_data["code"]
        if IncidentType.objects.filter(mission=self.mission, code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The mission already has a type with this code."))
        return code


class AlertRuleForm(forms.ModelForm):
    class Meta:
        model = AlertRule
        fields = [
            "name",
            "kind",
            "severity",
            "incident_types",
            "min_count",
            "radius_km",
            "window_hours",
            "casualty_threshold",
            "risk_threshold",
            "active",
        ]
        widgets = {"incident_types": forms.CheckboxSelectMultiple}

    REQUIRED = {
        AlertRule.Kind.CLUSTER: ("min_count", "radius_km", "window_hours"),
        AlertRule.Kind.CASUALTIES: ("casualty_threshold",),
        AlertRule.Kind.RISK: ("risk_threshold",),
        AlertRule.Kind.ZONE: (),
    }

    def __init__(self, *args, mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident_types"].queryset = IncidentType.objects.filter(mission=mission, active=True)

    def clean(self):
        cleaned = super().clean()
        for name in self.REQUIRED.get(cleaned.get("kind"), ()):
            if cleaned.get(name) in (None, ""):
                self.add_error(name, _("This kind of rule needs this value."))
        risk = cleaned.get("risk_threshold")
        if risk is not None and not 0 < risk <= 1:
            self.add_error("risk_threshold", _("A probability between 0 and 1."))
        if cleaned.get("radius_km") is not None and cleaned["radius_km"] <= 0:
            self.add_error("radius_km", _("More than 0 km."))
        return cleaned


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["name", "signed_on", "effective_from", "ends_on", "parties", "provisions", "sharing"]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}),
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "provisions": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("ends_on") and cleaned.get("effective_from") and cleaned["ends_on"] < cleaned["effective_from"]:
            self.add_error("ends_on", _("Ends before it is in force."))
        return cleaned


class ZoneForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name"))
    kind = forms.ChoiceField(choices=MonitoredZone.Kind.choices, label=_("Kind"))
    geometry = forms.CharField(required=False, widget=forms.HiddenInput, label=_("Drawn polygon"))
    geojson_file = forms.FileField(required=False, label=_("or a GeoJSON file"))
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Notes"))

    def __init__(self, *args, mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.mission = mission

    def clean(self):
        from .ceasefires import ZoneGeometryError, load_geojson, zone_geometry

        cleaned = super().clean()
        upload, drawn = cleaned.get("geojson_file"), cleaned.get("geometry")
        if not upload and not drawn:
            self.add_error("geometry", _("Draw the zone on the map or upload a GeoJSON file."))
            return cleaned
        try:
            text = upload.read(2_000_000).decode("utf-8-sig") if upload else drawn
            cleaned["zone"] = zone_geometry(load_geojson(text), self.mission)
        except (UnicodeDecodeError, json.JSONDecodeError):
            self.add_error("geojson_file" if upload else "geometry", _("Not a GeoJSON file."))
        except ZoneGeometryError as exc:
            self.add_error("geojson_file" if upload else "geometry", str(exc))
        return cleaned


class IncidentImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Dataset"),
        choices=[("incidents-ged", _("UCDP GED events (CSV)")), ("incidents-acled", _("ACLED export (CSV)"))],
    )
    file = forms.FileField(label=_("File"))
