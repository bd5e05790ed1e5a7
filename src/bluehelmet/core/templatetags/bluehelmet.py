from django import template

from bluehelmet.core import access

register = template.Library()


@register.filter
def can_import(user) -> bool:
    """{% if user|can_import %}: whether to offer the imports page."""
    return access.can_import(user)
