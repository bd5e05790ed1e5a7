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


@register.filter
def grade_form(source):
    """{% for field in source|grade_form %}: the re-grading form of one source, its fields
    prefixed with the source's number so each row's form has its own ids."""
    from bluehelmet.incidents.forms import SourceGradeForm

    return SourceGradeForm(
        prefix=f"grade{source.pk}", initial={"reliability": source.reliability, "credibility": source.credibility}
    )
