"""DDR forms: registration (with the child rule), and one form per stage."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.models import Mission, Organization, Place
from bluehelmet.core.widgets import FilteredSelect
from bluehelmet.datasets.actors import mission_actors

from .cases import age_on, refuse_child_as_adult
from .models import Demobilisation, FollowUpVisit, Participant, Reintegration, Weapon


class DateInput(forms.DateInput):
    input_type = "date"


def _not_future(day: datetime.date | None, field_label: str):
    if day is not None and day > datetime.date.today():
        raise forms.ValidationError(_("%(field)s is in the future.") % {"field": field_label})
    return day


class RegistrationForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Participant.Category.choices)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput)
    sex = forms.ChoiceField(label=_("Sex"), choices=Participant.Sex.choices, initial=Participant.Sex.UNKNOWN)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    # The mission's armed groups (datasets.actors), filtered as one types (static/js/selectfilter.js).
    faction = forms.ModelChoiceField(label=_("Faction"), queryset=Organization.objects.none(), widget=FilteredSelect)
    place = forms.ModelChoiceField(label=_("Place of registration"), queryset=Place.objects.none())
    registered_on = forms.DateField(label=_("Registered on"), widget=DateInput, initial=datetime.date.today)
    referred_to = forms.CharField(
        label=_("Child protection partner (children)"),
        max_length=200,
        required=False,
        help_text=_("e.g. UNICEF, a child protection NGO; the default referral when empty"),
    )

    def __init__(self, *args, mission: Mission, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.mission = mission
        self.fields["place"].queryset = places
        self.fields["faction"].queryset = mission_actors(mission, kinds=(Organization.Kind.ARMED_GROUP,))

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("A name is required."))
        return name

    def clean_registered_on(self):
        return _not_future(self.cleaned_data["registered_on"], _("The registration date"))

    def clean(self):
        cleaned = super().clean()
        born, registered, category = cleaned.get("birth_date"), cleaned.get("registered_on"), cleaned.get("category")
        if born and registered:
            if born >= registered:
                self.add_error("birth_date", _("The date of birth must be before the registration date."))
            elif category and (reason := refuse_child_as_adult(category, age_on(born, registered))):
                self.add_error("category", reason)
                self.child_refused = category != Participant.Category.ASSOCIATED_CHILD
        return cleaned


class StageForm(forms.ModelForm):
    def __init__(self, *args, participant: Participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.participant = participant

    def check_after(self, day, earlier, field: str, message):
        if day is not None and earlier is not None and day < earlier:
            self.add_error(field, message)


class WeaponForm(StageForm):
    class Meta:
        model = Weapon
        fields = ["kind", "model", "serial", "quantity", "handed_in_on", "site"]
        widgets = {"handed_in_on": DateInput}

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("handed_in_on")
        _not_future_error(self, "handed_in_on", day)
        self.check_after(
            day, self.participant.registered_on, "handed_in_on", _("Handed in before the registration date.")
        )
        if cleaned.get("kind") not in (Weapon.Kind.AMMUNITION, Weapon.Kind.GRENADE, None) and not cleaned.get("serial"):
            self.add_error("serial", _('Give the serial number (write "none visible" when it is filed off).'))
        return cleaned


def _not_future_error(form, field, day):
    if day is not None and day > datetime.date.today():
        form.add_error(field, _("This date is in the future."))


class DemobilisationForm(StageForm):
    class Meta:
        model = Demobilisation
        fields = ["site", "entered_on", "discharged_on", "allowance", "currency"]
        widgets = {"entered_on": DateInput, "discharged_on": DateInput}

    def clean(self):
        cleaned = super().clean()
        p = self.participant
        if p.category == Participant.Category.COMBATANT and p.disarmed_on is None:
            raise forms.ValidationError(
                _("An ex-combatant is demobilised after disarmament: record the weapons handed in first.")
            )
        entered, discharged = cleaned.get("entered_on"), cleaned.get("discharged_on")
        _not_future_error(self, "entered_on", entered)
        self.check_after(
            entered, p.disarmed_on or p.registered_on, "entered_on", _("Before disarmament or registration.")
        )
        self.check_after(discharged, entered, "discharged_on", _("Discharged before entering the site."))
        return cleaned


class ReintegrationForm(StageForm):
    class Meta:
        model = Reintegration
        fields = [
            "reinsertion_package",
            "reinsertion_on",
            "programme",
            "implementing_partner",
            "status",
            "started_on",
            "completed_on",
        ]
        widgets = {"reinsertion_on": DateInput, "started_on": DateInput, "completed_on": DateInput}

    def clean(self):
        cleaned = super().clean()
        p = self.participant
        if p.demobilised_on is None:
            raise forms.ValidationError(
                _("Reinsertion and reintegration follow demobilisation: record the demobilisation first.")
            )
        for name in ("reinsertion_on", "started_on", "completed_on"):
            _not_future_error(self, name, cleaned.get(name))
            self.check_after(cleaned.get(name), p.demobilised_on, name, _("Before demobilisation."))
        status, completed = cleaned.get("status"), cleaned.get("completed_on")
        if status and not cleaned.get("programme"):
            self.add_error("programme", _("Choose the programme."))
        if status == Reintegration.Status.COMPLETED and not completed:
            self.add_error("completed_on", _("Give the date the programme was completed."))
        if completed and status != Reintegration.Status.COMPLETED:
            self.add_error("status", _('A completion date needs the status "completed".'))
        self.check_after(completed, cleaned.get("started_on"), "completed_on", _("Completed before it started."))
        return cleaned


class VisitForm(StageForm):
    class Meta:
        model = FollowUpVisit
        fields = ["visited_on", "outcome", "notes"]
        widgets = {"visited_on": DateInput, "notes": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        cleaned = super().clean()
        _not_future_error(self, "visited_on", cleaned.get("visited_on"))
        self.check_after(
            cleaned.get("visited_on"), self.participant.registered_on, "visited_on", _("Before the registration date.")
        )
        return cleaned


STAGE_FORMS = {
    "disarmament": WeaponForm,
    "demobilisation": DemobilisationForm,
    "reintegration": ReintegrationForm,
    "visits": VisitForm,
}
