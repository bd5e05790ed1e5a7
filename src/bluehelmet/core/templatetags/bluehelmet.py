from django import template

from bluehelmet.core import access

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
def sees_ddr(user, mission) -> bool:
    """Whether the DDR tab leads anywhere for this user (aggregates at least)."""
    from bluehelmet.ddr.permissions import can_see_aggregates

    return can_see_aggregates(user, mission)


@register.filter
def records_access_constraints(user, mission) -> bool:
    """Whether to offer "record an access constraint" on an incident of denied access."""
    from bluehelmet.humanitarian.permissions import can_edit

    return can_edit(user, mission)
