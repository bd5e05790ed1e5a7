from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from bluehelmet.analytics import indicators as maths

from .formulas import REGISTRY, formula_choices
from .models import (
    AfterActionReview,
    Assessment,
    CeasefireThreshold,
    Indicator,
    Lesson,
    LessonApplication,
    Measurement,
    Output,
    Theme,
)

DATE = forms.DateInput(attrs={"type": "date"})
EVIDENCE_TYPES = (".pdf", ".png", ".jpg", ".jpeg", ".csv", ".xlsx", ".docx", ".txt")
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


class IndicatorForm(forms.ModelForm):
    formula = forms.ChoiceField(label=_("Formula"), required=False, choices=[("", "—")])

    class Meta:
        model = Indicator
        fields = [
            "output",
            "code",
            "name",
            "description",
            "unit",
            "direction",
            "frequency",
            "start",
            "end",
            "baseline",
            "baseline_note",
            "target",
            "target_date",
            "method",
            "formula",
            "sharing",
        ]
        widgets = {"start": DATE, "end": DATE, "target_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["output"].queryset = Output.objects.filter(outcome__objective__mission=mission).select_related(
            "outcome__objective"
        )
        self.fields["formula"].choices = [("", "—"), *formula_choices()]

    def clean(self):
        data = super().clean()
        if data.get("method") == Indicator.Method.FORMULA and not data.get("formula"):
            self.add_error("formula", _("Choose the formula that computes this indicator."))
        if data.get("formula") and data["formula"] not in REGISTRY:
            self.add_error("formula", _("Unknown formula."))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The last period comes before the first."))
        if data.get("start") and data.get("frequency"):
            data["start"] = maths.period_start(data["start"], data["frequency"])
        return data


class MeasurementForm(forms.ModelForm):
    """A hand-entered value with its evidence; a value, or a reason for none, is required."""

    class Meta:
        model = Measurement
        fields = ["period", "value", "no_data_reason", "evidence", "evidence_note"]
        widgets = {"period": DATE}

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean_period(self):
        return maths.period_start(self.cleaned_data["period"], self.indicator.frequency)

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if evidence and hasattr(evidence, "size"):
            if not evidence.name.lower().endswith(EVIDENCE_TYPES):
                raise forms.ValidationError(_("Attach a PDF, image, spreadsheet, document or text file."))
            if evidence.size > MAX_EVIDENCE_BYTES:
                raise forms.ValidationError(_("The evidence file is larger than 20 MB."))
        return evidence

    def clean(self):
        data = super().clean()
        if data.get("value") is None and not data.get("no_data_reason"):
            self.add_error("value", _("Enter a value, or say why there is none."))
        if data.get("value") is not None and not data.get("evidence") and not data.get("evidence_note"):
            self.add_error("evidence", _("Attach the evidence for this value, or describe where it is kept."))
        return data


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["period", "text"]
        widgets = {"period": DATE, "text": forms.Textarea(attrs={"rows": 4})}


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = [
            "title",
            "review",
            "theme",
            "date",
            "observation",
            "lesson",
            "recommendation",
            "sources",
            "exercise",
            "sharing",
        ]
        widgets = {
            "date": DATE,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in ("observation", "lesson", "recommendation", "sources")
            },
        }

    def __init__(self, *args, mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = AfterActionReview.objects.filter(mission=mission)


class LessonSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    mission = forms.ModelChoiceField(
        label=_("Mission"), required=False, queryset=None, to_field_name="acronym", empty_label=_("All my missions")
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=[("", _("All themes")), *Theme.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)
    applied = forms.BooleanField(label=_("Applied elsewhere"), required=False)
    exercise = forms.ChoiceField(
        label=_("Records"),
        required=False,
        choices=[("", _("Real and exercise")), ("real", _("Real only")), ("exercise", _("Exercise only"))],
    )

    def __init__(self, *args, missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = missions


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = LessonApplication
        fields = ["mission", "where", "date", "note"]
        widgets = {"date": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = missions

    def clean(self):
        data = super().clean()
        if not data.get("mission") and not data.get("where"):
            self.add_error("where", _("Say in which mission, or where and how, the lesson was applied."))
        return data


class LessonLinkForm(forms.Form):
    """Link a lesson to an indicator of its mission, or to a conflict event (incident) by id."""

    KINDS = [("indicator", _("Indicator")), ("event", _("Incident or conflict event (id)"))]
    kind = forms.ChoiceField(label=_("Link to"), choices=KINDS)
    indicator = forms.ModelChoiceField(label=_("Indicator"), required=False, queryset=None)
    object_id = forms.IntegerField(label=_("Record id"), required=False, min_value=1)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, indicators, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.events = events

    def clean(self):
        data = super().clean()
        if data.get("kind") == "indicator":
            if not data.get("indicator"):
                self.add_error("indicator", _("Choose an indicator."))
            else:
                data["target"] = data["indicator"]
        elif data.get("kind") == "event":
            record = self.events.filter(pk=data.get("object_id")).first() if data.get("object_id") else None
            if record is None:
                self.add_error("object_id", _("No incident or event with this id in the mission's countries."))
            else:
                data["target"] = record
        return data

    def link_fields(self) -> dict:
        target = self.cleaned_data["target"]
        return {"content_type": ContentType.objects.get_for_model(target), "object_id": target.pk}


class CeasefireThresholdForm(forms.ModelForm):
    min_killed = forms.IntegerField(
        label=_("people killed that break a ceasefire"),
        min_value=1,
        max_value=100000,
        help_text=_("a verified violation with at least this many people killed ends the ceasefire spell"),
    )

    class Meta:
        model = CeasefireThreshold
        fields = ["min_killed"]
