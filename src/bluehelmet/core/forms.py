"""Forms of core's own pages."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import Team
from .widgets import FilteredSelectMultiple


class BasemapForm(forms.Form):
    """A mission's basemap file; what it must be is checked by core.basemaps when it is taken."""

    file = forms.FileField(
        label=_("PMTiles file"),
        help_text=_("Vector tiles (MVT) in a PMTiles v3 file, e.g. a Protomaps extract of the host country."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pmtiles"}),
    )


class CommentForm(forms.Form):
    """A comment or a reply on a record's discussion (core.comments checks the mentions)."""

    body = forms.CharField(
        label=_("Comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mention a member of the mission who can see this record with @username to notify them."),
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class MemberChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        full = obj.get_full_name()
        return f"{full} ({obj.get_username()})" if full else obj.get_username()


class TeamForm(forms.ModelForm):
    """A team or unit of the mission and its members, chosen among the mission's members only
    (anyone else is refused with a field error)."""

    class Meta:
        model = Team
        fields = ["name", "code", "members"]
        field_classes = {"members": MemberChoices}
        widgets = {"members": FilteredSelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.mission = mission
        self.instance.mission = mission
        self.fields["members"].queryset = (
            get_user_model().objects.filter(memberships__mission=mission).order_by("username")
        )
        self.fields["members"].required = False

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if Team.objects.filter(mission=self.mission, name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The mission already has a team of this name."))
        return name


class SearchForm(forms.Form):
    """The search box and its filters: the user's missions and the searchable kinds only."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    mission = forms.ChoiceField(label=_("Mission"), required=False)
    kind = forms.ChoiceField(label=_("Kind of record"), required=False)

    def __init__(self, data=None, *, acronyms=(), kinds=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["mission"].choices = [("", _("All my missions")), *((a, a) for a in acronyms)]
        self.fields["kind"].choices = [("", _("Everything")), *((kind.name, kind.label) for kind in kinds)]
