"""Selects with a box above them that narrows their options as one types
(static/js/selectfilter.js): long lists of names, such as a mission's actors."""

from django import forms


class FilteredSelectMixin:
    """The select as Django draws it, after a search box that filters its options by name.
    Without script the select works as usual; the box is hidden until the script runs."""

    template_name = "core/widgets/filtered_select.html"


class FilteredSelect(FilteredSelectMixin, forms.Select):
    pass


class FilteredSelectMultiple(FilteredSelectMixin, forms.SelectMultiple):
    pass
