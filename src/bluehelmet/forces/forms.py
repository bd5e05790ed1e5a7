from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Award, AwardDecision, Person
from .planning import PlanParameters

DEFAULTS = PlanParameters()


class PlanForm(forms.Form):
    """The rules a plan must keep. Defaults are planning assumptions, shown as such."""

    patrol_radius_km = forms.FloatField(label=_("Patrol radius (km)"), min_value=1, max_value=1000, initial=DEFAULTS.patrol_radius_km,
                                        help_text=_("for units without their own radius"))
    troops_per_place = forms.IntegerField(label=_("Troops per place patrolled"), min_value=10, max_value=5000, initial=DEFAULTS.troops_per_place,
                                          help_text=_("a unit of 650 patrols 4 places at 150"))
    max_move_km = forms.FloatField(label=_("Maximum move per unit (km)"), min_value=0, max_value=5000, required=False, initial=DEFAULTS.max_move_km,
                                   help_text=_("empty: anywhere; units may have their own"))
    max_units_per_site = forms.IntegerField(label=_("At most units per base (k)"), min_value=1, max_value=100, required=False,
                                            initial=DEFAULTS.max_units_per_site, help_text=_("not applied to the mission headquarters"))
    hq_min_troops = forms.IntegerField(label=_("Minimum troops at headquarters"), min_value=0, max_value=200000, initial=DEFAULTS.hq_min_troops)
    must_cover = forms.TypedMultipleChoiceField(label=_("Places that must be covered"), coerce=int, required=False,
                                                widget=forms.SelectMultiple(attrs={"size": 6}))
    time_limit = forms.FloatField(label=_("Time limit (s)"), min_value=1, max_value=60, initial=DEFAULTS.time_limit)

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        names = [p.name for p in places]
        # Two places of one name (sites of two missions) are told apart by their coordinates.
        self.fields["must_cover"].choices = [
            (p.pk, p.name if names.count(p.name) == 1 or p.latitude is None else f"{p.name} ({p.latitude:.2f}, {p.longitude:.2f})")
            for p in places
        ]

    def parameters(self) -> PlanParameters:
        return PlanParameters(**self.cleaned_data)


class RiskForm(forms.Form):
    """Risk per place entered by hand: one number field per place, empty for none."""

    def __init__(self, *args, places=(), initial_risk=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_risk = initial_risk or {}
        self.places = list(places)
        for place in self.places:
            self.fields[f"place_{place.pk}"] = forms.FloatField(
                label=place.name, required=False, min_value=0, max_value=1, initial=initial_risk.get(place.pk),
                widget=forms.NumberInput(attrs={"step": "0.01"}),
            )

    def risks(self) -> dict[int, float | None]:
        return {place.pk: self.cleaned_data[f"place_{place.pk}"] for place in self.places}


class AwardProposalForm(forms.ModelForm):
    class Meta:
        model = Award
        fields = ["person", "kind", "citation", "parade"]

    def __init__(self, *args, mission=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(mission=mission).order_by("name")
        self.fields["parade"].queryset = mission.parades.all()


class AwardDecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])

    class Meta:
        model = AwardDecision
        fields = ["comment"]
