"""The month range a map's time control asks for (`?from=2001-03&to=2002-06`), read in one
place for every endpoint that takes it (the overview's events and incidents, the incident
map): each bound a month written YYYY-MM, either may be left out, and `from` not after `to`.
A bad month is a field error the endpoint answers with 400, never a 500 or a silently
dropped filter (a map that ignored a bad bound would show more than the control says)."""

import datetime

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .months import add_months, month_range, parse_month

# The earliest month a range may name: nothing in the data is older, and a year such as
# 0001 would overflow date arithmetic in some databases.
FIRST_MONTH = datetime.date(1900, 1, 1)
LAST_MONTH = datetime.date(2100, 12, 1)


class MonthField(forms.Field):
    """A month written YYYY-MM, cleaned to the first day of that month."""

    default_error_messages = {
        "invalid": _("Enter a month as YYYY-MM, e.g. 2002-03."),
        "out_of_range": _("Enter a month between 1900-01 and 2100-12."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        text = value.strip() if isinstance(value, str) else value
        if text in self.empty_values:
            return None
        try:
            month = parse_month(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if not FIRST_MONTH <= month <= LAST_MONTH:
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range")
        return month


class MonthRangeForm(forms.Form):
    """`from` and `to`, each optional; `to` not before `from`."""

    # `from` is a Python keyword: the fields are added by name, not declared as attributes.
    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["from"] = MonthField(label=_("From month"))
        self.fields["to"] = MonthField(label=_("To month"))

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("from"), cleaned.get("to")
        if first and last and first > last:
            self.add_error("to", _("The last month comes before the first."))
        return cleaned

    def date_bounds(self) -> tuple[datetime.date | None, datetime.date | None]:
        """(first day of `from`, last day of `to`), None for a bound left out. Call after
        is_valid()."""
        first, last = self.cleaned_data.get("from"), self.cleaned_data.get("to")
        return first, (add_months(last, 1) - datetime.timedelta(days=1)) if last else None


def month_axis(*months: datetime.date | None) -> list[datetime.date]:
    """Every month from the earliest to the latest of `months` (None ignored): one
    continuous axis for a time control and the chart it drives."""
    known = [month.replace(day=1) for month in months if month is not None]
    return month_range(min(known), max(known)) if known else []


def range_errors(form: MonthRangeForm) -> dict:
    """The body of a 400 answer: each refused field with its messages."""
    return {"errors": {name: list(messages) for name, messages in form.errors.items()}}


def axis_months(months: list[datetime.date]) -> list[dict]:
    """The axis as the time control's script takes it: each month's value (YYYY-MM) and its
    name in the page's language."""
    return [{"value": month.strftime("%Y-%m"), "label": date_format(month, "YEAR_MONTH_FORMAT")} for month in months]
