"""Forms of the humanitarian officer: needs, 3W activities, deliveries, access constraints,
and the HXL upload."""

import datetime
from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.models import Mission, Organization

from .importers import HUMANITARIAN_IMPORTERS
from .models import AccessConstraint, Activity, Delivery, NeedsAssessment


class DateInput(forms.DateInput):
    input_type = "date"


def _not_future(form, field, day):
    if day is not None and day > datetime.date.today():
        form.add_error(field, _("This date is in the future."))


def _after(form, field, day, earlier, message):
    if day is not None and earlier is not None and day < earlier:
        form.add_error(field, message)


class MissionRecordForm(forms.ModelForm):
    """A record of one mission: places limited to its host countries, organisations to the
    humanitarian kinds and any already used."""

    def __init__(self, *args, mission: Mission, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.mission = mission
        if "place" in self.fields:
            self.fields["place"].queryset = places
            self.fields["place"].label_from_instance = lambda p: (
                f"{p.name} ({p.get_kind_display()}{', ' + p.parent.name if p.parent_id and p.parent else ''})"
            )
        for name in ("organization",):
            if name in self.fields:
                self.fields[name].queryset = Organization.objects.exclude(kind=Organization.Kind.ARMED_GROUP).order_by(
                    "name"
                )

    def save(self, commit=True):
        self.instance.mission = self.mission
        return super().save(commit)


class NeedsAssessmentForm(MissionRecordForm):
    class Meta:
        model = NeedsAssessment
        fields = [
            "place",
            "sector",
            "people_in_need",
            "severity",
            "assessed_on",
            "method",
            "organization",
            "sharing",
            "notes",
        ]
        widgets = {"assessed_on": DateInput, "notes": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        cleaned = super().clean()
        _not_future(self, "assessed_on", cleaned.get("assessed_on"))
        return cleaned


class ActivityForm(MissionRecordForm):
    class Meta:
        model = Activity
        fields = [
            "organization",
            "implementing_partner",
            "sector",
            "activity",
            "place",
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
            "sharing",
        ]
        widgets = {"start": DateInput, "end": DateInput}

    def clean(self):
        cleaned = super().clean()
        _after(self, "end", cleaned.get("end"), cleaned.get("start"), _("Ends before it starts."))
        for total in ("targeted", "reached"):
            value, female, male = cleaned.get(total), cleaned.get(f"{total}_female"), cleaned.get(f"{total}_male")
            if value is not None and female is not None and male is not None and female + male > value:
                self.add_error(total, _("Fewer than women and girls plus men and boys (%(n)d).") % {"n": female + male})
        status, reached, start = cleaned.get("status"), cleaned.get("reached"), cleaned.get("start")
        if status == Activity.Status.PLANNED and reached:
            self.add_error("reached", _("A planned activity has reached nobody yet: set it ongoing or completed."))
        if status == Activity.Status.COMPLETED and not cleaned.get("end"):
            self.add_error("end", _("Give the day a completed activity ended."))
        if status in (Activity.Status.ONGOING, Activity.Status.COMPLETED) and start is None:
            self.add_error("start", _("Give the day the activity started."))
        _not_future(self, "end", cleaned.get("end") if status == Activity.Status.COMPLETED else None)
        return cleaned


class AccessConstraintForm(MissionRecordForm):
    class Meta:
        model = AccessConstraint
        fields = [
            "type",
            "place",
            "started_on",
            "ended_on",
            "impact",
            "people_affected",
            "description",
            "incident",
            "sharing",
        ]
        widgets = {"started_on": DateInput, "ended_on": DateInput, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, incidents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = incidents
        self.fields["incident"].label_from_instance = lambda i: (
            f"#{i.pk} {i.occurred_at:%Y-%m-%d} {i.type} ({i.location_description or i.place or ''})"
        )

    def clean(self):
        cleaned = super().clean()
        _not_future(self, "started_on", cleaned.get("started_on"))
        _after(self, "ended_on", cleaned.get("ended_on"), cleaned.get("started_on"), _("Ends before it starts."))
        return cleaned


class DeliveryForm(MissionRecordForm):
    class Meta:
        model = Delivery
        fields = [
            "organization",
            "sector",
            "item",
            "quantity",
            "unit",
            "place",
            "destination",
            "delivered_on",
            "escorted",
            "outcome",
            "beneficiaries",
            "access_constraint",
            "sharing",
            "notes",
        ]
        widgets = {"delivered_on": DateInput, "notes": forms.Textarea(attrs={"rows": 2})}

    record_constraint = forms.BooleanField(
        label=_("Record an access constraint from this delivery"),
        required=False,
        help_text=_(
            "For a blocked, looted or partly delivered consignment with no constraint chosen above: one is recorded "
            "(restriction of movement, at the delivery's place and date) and linked."
        ),
    )

    def __init__(self, *args, constraints=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["access_constraint"].queryset = constraints

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome != Delivery.Outcome.PLANNED:
            _not_future(self, "delivered_on", cleaned.get("delivered_on"))
        if cleaned.get("record_constraint"):
            if outcome not in Delivery.BLOCKED_OUTCOMES:
                self.add_error(
                    "record_constraint",
                    _("Only a blocked, looted or partly delivered consignment records an access constraint."),
                )
            elif cleaned.get("access_constraint"):
                self.add_error("record_constraint", _("An access constraint is already chosen."))
        return cleaned


IMPORT_KINDS = [(importer.kind, importer.label) for importer in HUMANITARIAN_IMPORTERS]


class HxlUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=IMPORT_KINDS)
    file = forms.FileField(label=_("HXL file (CSV)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() != ".csv":
            raise forms.ValidationError(_("Upload a CSV file with an HXL hashtag row."))
        return upload
