from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value, digits=1):
    """0.253 -> "25.3%" in the reader's number format; "?" when unknown."""
    if value is None or value == "":
        return "?"
    return f"{number_format(float(value) * 100, decimal_pos=int(digits))}%"
