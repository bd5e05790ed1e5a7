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
