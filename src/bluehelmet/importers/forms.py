from pathlib import Path

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.models import Place

from .registry import REGISTRY
from .uploads import kinds_for, max_upload_bytes, upload_too_large


# Kinds that need the importing user (the incidents imports) run from their mission's page,
# which names the mission and the user; this page offers the others.
def generic_kinds() -> list[tuple[str, str]]:
    """The registered kinds this page offers (read when a form is made: apps register theirs
    at start-up)."""
    return [(kind, importer.label) for kind, importer in REGISTRY.items() if "imported_by" not in importer.option_names]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=generic_kinds)
    file = forms.FileField(label=_("File"))
    mission = forms.CharField(
        label=_("Only this mission (acronym)"),
        max_length=30,
        required=False,
        help_text=_(
            "Geo-PKO location-month files only: import only this mission's rows, e.g. UNAMSIL. "
            "A mission's incidents are imported from its Incidents > Import page."
        ),
    )
    country = forms.CharField(
        label=_("Country"),
        max_length=200,
        required=False,
        help_text=_("Boundary files only: the country the areas belong to."),
    )

    def __init__(self, *args, user=None, **kwargs):
        """With a `user`, only the kinds that user may import somewhere are offered."""
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["kind"].choices = kinds_for(user, generic_kinds())
        self.fields["file"].help_text = _("Up to %(limit)s.") % {"limit": filesizeformat(max_upload_bytes())}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if refusal := upload_too_large(upload.size):
            raise forms.ValidationError(refusal)
        return upload

    def clean(self):
        cleaned = super().clean()
        importer = REGISTRY.get(cleaned.get("kind"))
        if importer is None:
            return cleaned
        upload = cleaned.get("file")
        if upload is not None and Path(upload.name).suffix.lower() not in importer.extensions:
            self.add_error(
                "file", _("This kind of import needs a %(types)s file.") % {"types": " / ".join(importer.extensions)}
            )
        for option in ("mission", "country"):
            if cleaned.get(option) and option not in importer.option_names:
                self.add_error(option, _("This kind of import does not use this field: leave it empty."))
        return cleaned

    def options(self) -> dict:
        importer = REGISTRY[self.cleaned_data["kind"]]
        return {
            name: self.cleaned_data[name].strip()
            for name in importer.option_names
            if self.cleaned_data.get(name, "").strip()
        }


class PlaceMatchForm(forms.Form):
    """Which known place an unknown name means; the likeliest candidates come first."""

    place = forms.ModelChoiceField(label=_("Means"), queryset=None, empty_label=_("Choose the place"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["place"]
        field.queryset = Place.objects.filter(pk__in=[p.pk for p in candidates])
        # Keep the likeliest-first order of the candidates, and say which area each lies in.
        field.choices = [("", field.empty_label)] + [
            (p.pk, f"{p.name} ({p.parent.name})" if p.parent else p.name) for p in candidates
        ]
