from django import template

from bluehelmet.core.navigation import tabs_for

register = template.Library()


@register.simple_tag(takes_context=True)
def mission_tabs(context, mission):
    """{% mission_tabs mission as tabs %}: the registered tabs (core.navigation) this user sees."""
    request = context["request"]
    return tabs_for(request.user, mission, request.path)
