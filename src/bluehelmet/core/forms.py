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


class CommentForm(forms.Form):
    """A comment or a reply on a record's discussion (core.comments checks the mentions)."""

    body = forms.CharField(
        label=_("Comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mention a member of the mission who can see this record with @username to notify them."),
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
