"""Forms of the civil affairs pages. Place choices are limited to the mission's host
countries (and the user's places), partner and user choices to the mission."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.models import Sharing
from bluehelmet.core.sensitivity import Sensitivity, at_least
from bluehelmet.incidents.forms import DateTimeInput
from bluehelmet.incidents.models import Incident, IncidentType, Source

from . import queries
from .models import (
    Commitment,
    CommunityAlert,
    Engagement,
    Grievance,
    Implementation,
    MediationProcess,
    MediationSession,
    Partner,
    PartnerContact,
    PeaceAgreement,
    Provision,
)
from .permissions import WORK

DATE = {"type": "date"}


def _date_widgets(*names):
    return {name: forms.DateInput(attrs=DATE) for name in names}


class MissionForm(forms.ModelForm):
    """A form whose place, partner and user choices belong to `mission` as `user` sees it."""

    def __init__(self, *args, mission, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.mission = mission
        if "place" in self.fields:
            self.fields["place"].queryset = queries.mission_places(user, mission)
        for name in ("partner", "partners"):
            if name in self.fields:
                self.fields[name].queryset = queries.partners(user, mission)
        for name in ("focal_point", "assigned_to"):
            if name in self.fields:
                self.fields[name].queryset = (
                    get_user_model()
                    .objects.filter(memberships__mission=mission, memberships__role__in=WORK.roles)
                    .order_by("username")
                )


class PartnerForm(MissionForm):
    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "place",
            "organization",
            "relationship",
            "trust",
            "focal_point",
            "last_contact",
            "sharing",
            "notes",
            "exercise",
        ]
        widgets = {**_date_widgets("last_contact"), "notes": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        name, place = cleaned.get("name"), cleaned.get("place")
        if name and place:
            same = Partner.objects.filter(mission=self.mission, name__iexact=name.strip(), place=place).exclude(
                pk=self.instance.pk
            )
            if same.exists():
                self.add_error("name", _("This partner is already registered at this place."))
        return cleaned


class ContactForm(forms.ModelForm):
    class Meta:
        model = PartnerContact
        fields = ["full_name", "position", "phone", "email"]
        widgets = {
            "full_name": forms.TextInput(),
            "position": forms.TextInput(),
            "phone": forms.TextInput(),
            "email": forms.EmailInput(),
        }

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(c.isdigit() or c in "+ -()." for c in phone):
            raise forms.ValidationError(_("A phone number has digits, spaces and + - ( ) only."))
        return phone


class EngagementForm(MissionForm):
    class Meta:
        model = Engagement
        fields = [
            "kind",
            "held_on",
            "place",
            "title",
            "partners",
            "topics",
            "summary",
            "women",
            "men",
            "young_women",
            "young_men",
            "girls",
            "boys",
            "sharing",
            "exercise",
        ]
        widgets = {
            **_date_widgets("held_on"),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "partners": forms.SelectMultiple(attrs={"size": 5}),
        }

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future: log engagements once held."))
        if self.mission.start and day < self.mission.start:
            raise forms.ValidationError(
                _("This date is before the mission started (%(start)s).") % {"start": self.mission.start.isoformat()}
            )
        return day


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["text", "made_by", "due", "status", "follow_up"]
        widgets = {**_date_widgets("due"), "follow_up": forms.Textarea(attrs={"rows": 2})}


class AlertForm(MissionForm):
    """The community alert form: short, for partners and staff alike."""

    class Meta:
        model = CommunityAlert
        fields = ["category", "place", "location", "text", "partner", "channel", "sender", "sensitivity", "exercise"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "sender": forms.TextInput()}

    def __init__(self, *args, partner_user: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].required = False
        if partner_user:
            # A partner reports by the web form, at the default label; it sees its own alerts.
            for name in ("partner", "channel", "sensitivity", "exercise"):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("location", "").strip():
            self.add_error("location", _("Say where: choose a place or describe the location."))
        return cleaned


class TriageNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class DismissForm(forms.Form):
    note = forms.CharField(label=_("Why dismiss it"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


# The incident type (a code of the default taxonomy, incidents.taxonomy) an alert's category
# proposes when the alert is turned into an incident; the officer can pick another.
INCIDENT_TYPE_OF_CATEGORY = {
    CommunityAlert.Category.THREAT: "attack-on-civilians",
    CommunityAlert.Category.ARMED_MOVEMENT: "armed-group-movement",
    CommunityAlert.Category.ATTACK: "attack-on-civilians",
    CommunityAlert.Category.ABDUCTION: "abduction",
    CommunityAlert.Category.SEXUAL_VIOLENCE: "crsv",
    CommunityAlert.Category.TENSION: "demonstration-riot",
}


class AlertIncidentForm(forms.Form):
    """Turning an alert into an incident: what the incident report needs beyond the alert."""

    type = forms.ModelChoiceField(queryset=IncidentType.objects.none(), label=_("Incident type"))
    occurred_at = forms.DateTimeField(
        label=_("When it happened"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    date_precision = forms.ChoiceField(
        choices=Incident.DatePrecision.choices, initial=Incident.DatePrecision.DAY, label=_("Date precision")
    )
    place = forms.ModelChoiceField(queryset=None, label=_("Place"))
    narrative = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label=_("Narrative"), max_length=10000)
    reliability = forms.ChoiceField(
        choices=Source.Reliability.choices, initial=Source.Reliability.F, label=_("Source reliability")
    )
    credibility = forms.TypedChoiceField(
        choices=Source.Credibility.choices, coerce=int, initial=Source.Credibility.CANNOT_JUDGE, label=_("Credibility")
    )
    sharing = forms.ChoiceField(choices=Sharing.choices, initial=Sharing.MISSION, label=_("Sharing"))
    sensitivity = forms.ChoiceField(
        choices=Sensitivity.choices,
        required=False,
        label=_("Sensitivity"),
        help_text=_("never less restricted than the alert's label: the report tells what the alert said"),
    )

    def __init__(self, *args, alert: CommunityAlert, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.alert = alert
        self.fields["type"].queryset = IncidentType.objects.filter(mission=alert.mission, active=True)
        self.fields["place"].queryset = queries.mission_places(user, alert.mission)
        # The incident carries the alert's label or a stricter one, never a lower one.
        allowed = at_least(alert.sensitivity)
        self.fields["sensitivity"].choices = [
            (value, label) for value, label in Sensitivity.choices if value in allowed
        ]
        self.fields["sensitivity"].initial = alert.sensitivity
        if not self.is_bound:
            matching_type = self.fields["type"].queryset.filter(code=INCIDENT_TYPE_OF_CATEGORY.get(alert.category))
            self.initial.update(
                {
                    "type": matching_type.values_list("pk", flat=True).first(),
                    "occurred_at": timezone.localtime(alert.received_at).strftime("%Y-%m-%dT%H:%M"),
                    "place": alert.place_id,
                    "narrative": f"{alert.get_category_display()}: {alert.text}",
                }
            )

    def clean(self):
        """No label given: the alert's. Partners see a report only when shared and labelled
        CLEAR or GREEN: sharing an AMBER or RED one is refused (IncidentReportForm's rule)."""
        cleaned = super().clean()
        if "sensitivity" not in self.errors and not cleaned.get("sensitivity"):
            cleaned["sensitivity"] = self.alert.sensitivity  # not given: the alert's own
        label = cleaned.get("sensitivity")
        if cleaned.get("sharing") == Sharing.PUBLIC and label not in (None, Sensitivity.CLEAR, Sensitivity.GREEN):
            self.add_error("sharing", _("A report labelled TLP:AMBER or TLP:RED cannot be shared with partners."))
        return cleaned


class GrievanceForm(MissionForm):
    class Meta:
        model = Grievance
        fields = [
            "received_on",
            "against",
            "against_detail",
            "place",
            "summary",
            "complainant",
            "sensitivity",
            "exercise",
        ]
        widgets = {
            **_date_widgets("received_on"),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "complainant": forms.TextInput(),
        }

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        return day


class GrievanceStepForm(forms.Form):
    status = forms.ChoiceField(choices=Grievance.Status.choices, label=_("New status"))
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE))
    assigned_to = forms.ModelChoiceField(queryset=None, required=False, label=_("Assigned to"))
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label=_("What was done or decided"), max_length=5000
    )

    def __init__(self, *args, grievance: Grievance, **kwargs):
        super().__init__(*args, **kwargs)
        from .cases import GRIEVANCE_NEXT

        self.fields["status"].choices = [(s.value, s.label) for s in GRIEVANCE_NEXT[Grievance.Status(grievance.status)]]
        self.fields["assigned_to"].queryset = (
            get_user_model()
            .objects.filter(memberships__mission=grievance.mission, memberships__role__in=WORK.roles)
            .order_by("username")
        )
        self.initial.setdefault("on", timezone.localdate())

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        return day


class MediationForm(MissionForm):
    class Meta:
        model = MediationProcess
        fields = [
            "title",
            "place",
            "parties",
            "mediators",
            "topics",
            "started_on",
            "ended_on",
            "status",
            "outcome",
            "sharing",
            "exercise",
        ]
        widgets = {
            **_date_widgets("started_on", "ended_on"),
            "parties": forms.Textarea(attrs={"rows": 3}),
            "mediators": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("started_on"), cleaned.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("The end is before the start."))
        return cleaned


class SessionForm(forms.ModelForm):
    class Meta:
        model = MediationSession
        fields = ["held_on", "venue", "topics", "outcome"]
        widgets = {**_date_widgets("held_on"), "outcome": forms.Textarea(attrs={"rows": 2})}


class AgreementForm(MissionForm):
    class Meta:
        model = PeaceAgreement
        fields = [
            "kind",
            "title",
            "signed_on",
            "place",
            "parties",
            "mediation",
            "summary",
            "source",
            "sharing",
            "exercise",
        ]
        widgets = {
            **_date_widgets("signed_on"),
            "parties": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].required = False
        self.fields["mediation"].queryset = MediationProcess.objects.filter(mission=self.mission)


class ProvisionForm(forms.ModelForm):
    class Meta:
        model = Provision
        fields = ["reference", "title", "text", "responsible", "deadline", "order"]
        widgets = {**_date_widgets("deadline"), "text": forms.Textarea(attrs={"rows": 3})}


class AssessmentForm(forms.Form):
    status = forms.TypedChoiceField(choices=Implementation.choices, coerce=int, label=_("Implementation"))
    on = forms.DateField(label=_("Assessed on"), widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Evidence / note"), max_length=5000)
    exercise = forms.BooleanField(required=False, label=_("Exercise assessment"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        return day


class CoverageForm(forms.Form):
    weeks = forms.IntegerField(min_value=1, max_value=104, initial=8, label=_("No engagement in the last (weeks)"))
    on = forms.DateField(required=False, label=_("As of"), widget=forms.DateInput(attrs=DATE))


class GatewayForm(forms.Form):
    name = forms.CharField(max_length=100, label=_("Gateway name"), help_text=_("e.g. SMSSync phone, Freetown office"))


class SurveyImportForm(forms.Form):
    survey = forms.CharField(
        max_length=200, label=_("Survey name"), help_text=_("importing again under the same name updates it")
    )
    file = forms.FileField(label=_("KoBoToolbox or ODK Central CSV export"))
    place_column = forms.CharField(max_length=200, initial="place", label=_("Place column"))
    date_column = forms.CharField(max_length=200, initial="today", label=_("Date column"))
    trust_column = forms.CharField(max_length=200, initial="trust_mission", label=_("Trust question column"))
    security_column = forms.CharField(max_length=200, initial="feel_safe", label=_("Security question column"))
    help_columns = _("A column may be given without its group: 'feel_safe' finds 'grp_security/feel_safe'.")
