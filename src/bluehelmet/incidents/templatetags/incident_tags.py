from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(value) -> str:
    """A timedelta as "2 d 3 h", "3 h 05 min" or "4 min"."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    return _("%(m)d min") % {"m": minutes}
