from django import template

from bluehelmet.core import access, gate

register = template.Library()


@register.filter
def can_read_audit(user) -> bool:
    """{% if user|can_read_audit %}: whether to offer the audit pages."""
    from bluehelmet.core.audit_trail import can_read_audit as allowed

    return allowed(user)


@register.filter
def can_import(user) -> bool:
    """{% if user|can_import %}: whether to offer the imports page."""
    return access.can_import(user)


@register.filter
def access_in(user, mission):
    """{{ user|access_in:mission }}: what the user may do in the mission (core.gate.Access)."""
    return gate.access(user, mission)


@register.filter
def can(access, capability: str) -> bool:
    """{% if access|can:"ddr.aggregates" %} or {% if user|access_in:mission|can:"..." %}:
    whether the gate gives the user this capability in the mission."""
    return access.can(capability)
