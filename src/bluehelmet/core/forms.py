"""Forms of core's own pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class BasemapForm(forms.Form):
    """A mission's basemap file; what it must be is checked by core.basemaps when it is taken."""

    file = forms.FileField(
        label=_("PMTiles file"),
        help_text=_("Vector tiles (MVT) in a PMTiles v3 file, e.g. a Protomaps extract of the host country."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pmtiles"}),
    )


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
