"""Forms of the election pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.models import Organization, Place

from .models import ChecklistQuestion, OfficialTraining, Phase, PollingStation, Round, VoterEducationEvent


class DateInput(forms.DateInput):
    input_type = "date"


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["number", "date", "label"]
        widgets = {"date": DateInput}

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.election = election

    def clean_number(self):
        number = self.cleaned_data["number"]
        if Round.objects.filter(election=self.election, number=number).exists():
            raise forms.ValidationError(_("This election already has a round %(n)d.") % {"n": number})
        return number


class PlanForm(forms.Form):
    patrol_radius_km = forms.FloatField(label=_("Patrol radius (km)"), initial=40, min_value=1, max_value=500)
    troops_per_station = forms.IntegerField(
        label=_("Troops per station covered"), initial=25, min_value=1, max_value=5000
    )
    max_move_km = forms.FloatField(label=_("Maximum move of a unit (km)"), initial=150, min_value=0, max_value=2000)
    max_units_per_site = forms.IntegerField(
        label=_("At most units per base"), required=False, min_value=1, max_value=50, help_text=_("empty: no limit")
    )
    must_cover_high = forms.BooleanField(label=_("Every high-risk station must be covered"), required=False)
    time_limit = forms.FloatField(label=_("Time limit (s)"), initial=15, min_value=1, max_value=120)


class ResultsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Results file (CSV)"),
        help_text=_(
            "one row per station: station_code, registered_voters, ballots_cast, invalid_votes, then one column per candidate"
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Upload a .csv file."))
        return upload


def station_choices(mission):
    return PollingStation.objects.filter(centre__mission=mission).select_related("centre").order_by("code")


class StationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.centre.name}"


class ObserverReportForm(forms.Form):
    """The checklist of one phase: fixed fields, then one field per active question."""

    station = StationChoiceField(label=_("Polling station"), queryset=PollingStation.objects.none())
    team = forms.CharField(label=_("Observer team"), max_length=100)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, election, mission, phase, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = station_choices(mission)
        self.questions = list(election.questions.filter(phase=phase, active=True))
        for q in self.questions:
            if q.answer == ChecklistQuestion.Answer.YES_NO:
                field = forms.ChoiceField(
                    label=q.text, choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect
                )
            elif q.answer == ChecklistQuestion.Answer.NUMBER:
                field = forms.IntegerField(label=q.text, min_value=0, max_value=100000, required=False)
            else:
                field = forms.CharField(label=q.text, max_length=300, required=False)
            self.fields[f"q_{q.pk}"] = field

    def answers(self) -> dict:
        return {q: self.cleaned_data.get(f"q_{q.pk}") for q in self.questions}

    def question_fields(self):
        return [self[f"q_{q.pk}"] for q in self.questions]


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)


class QuestionForm(forms.ModelForm):
    class Meta:
        model = ChecklistQuestion
        fields = ["phase", "order", "text", "answer", "expected"]
        widgets = {"expected": forms.Select(choices=[("", "—"), (True, _("Yes")), (False, _("No"))])}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") != ChecklistQuestion.Answer.YES_NO:
            cleaned["expected"] = None
        return cleaned


class ElectionIncidentForm(forms.Form):
    station = StationChoiceField(label=_("Polling station"), queryset=PollingStation.objects.none())

    def __init__(self, *args, mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = station_choices(mission)


def _places(mission, user):
    from bluehelmet.core.access import places_for

    return (
        places_for(user)
        .filter(country__in=mission.host_countries.all(), kind__in=Place.AREA_KINDS)
        .order_by("kind", "name")
    )


class TrainingForm(forms.ModelForm):
    class Meta:
        model = OfficialTraining
        fields = ["course", "place", "date", "trainer", "participants", "women"]
        widgets = {"date": DateInput}

    def __init__(self, *args, mission, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = _places(mission, user)

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("women") or 0) > (cleaned.get("participants") or 0):
            self.add_error("women", _("More women than participants."))
        return cleaned


class EducationForm(forms.ModelForm):
    class Meta:
        model = VoterEducationEvent
        fields = ["kind", "place", "date", "organiser", "audience", "notes"]
        widgets = {"date": DateInput}

    def __init__(self, *args, mission, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = _places(mission, user)
        self.fields["organiser"].queryset = Organization.objects.exclude(kind=Organization.Kind.ARMED_GROUP).order_by(
            "name"
        )
