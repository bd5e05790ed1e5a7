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


@register.filter
def second_factor_pending(user) -> bool:
    """{% if user|second_factor_pending %}: the password is in but the second factor is not
    (core.twofactor): every page but the two-factor ones leads back to the code prompt, so the
    menu offers none of them."""
    from bluehelmet.core import twofactor

    if not user.is_authenticated or getattr(user, "is_verified", lambda: True)():
        return False
    return twofactor.must_enrol(user) or twofactor.must_verify(user)
