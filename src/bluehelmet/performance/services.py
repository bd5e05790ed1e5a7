"""What people change in the performance area: indicators and their values and assessments,
report requests, lessons learned, their links and where they were applied.

One function per action, each in one transaction, taking what the form validated and the
person acting. The views write nothing themselves (tests/architecture keeps it); starting the
background job an action calls for (computing an indicator, writing a report) is left to the
caller, once the transaction is committed."""

from django.db import transaction

from bluehelmet.core.job_records import job_actor
from bluehelmet.core.models import Mission

from .models import Assessment, Indicator, Lesson, LessonApplication, LessonLink, Measurement, Report


@transaction.atomic
def save_indicator(form) -> Indicator:
    """A new or edited indicator from its validated form (the form knows its mission)."""
    return form.save()


@transaction.atomic
def record_measurement(user, indicator: Indicator, cleaned: dict) -> Measurement:
    """The indicator's value for a period, entered by hand: it replaces the period's value if
    there is one. Evidence already attached stays unless a new file is given."""
    measurement, _created = Measurement.objects.update_or_create(
        indicator=indicator,
        period=cleaned["period"],
        defaults={
            **{name: cleaned[name] for name in ("value", "no_data_reason", "evidence_note")},
            **({"evidence": cleaned["evidence"]} if cleaned.get("evidence") else {}),
            "source": Measurement.Source.MANUAL,
            "entered_by": user,
        },
    )
    return measurement


@transaction.atomic
def add_assessment(user, indicator: Indicator, form) -> Assessment:
    """The user's assessment of the indicator, from its validated form."""
    form.instance.indicator, form.instance.author = indicator, user
    return form.save()


@transaction.atomic
def request_report(user, mission: Mission, language: str) -> Report:
    """A report of the mission, waiting to be written (performance.tasks.generate_report)."""
    return Report.objects.create(mission=mission, language=language, **job_actor(user))


@transaction.atomic
def record_lesson(user, mission: Mission, form) -> Lesson:
    """A lesson learned in the mission, from its validated form."""
    form.instance.mission, form.instance.created_by = mission, user
    return form.save()


@transaction.atomic
def mark_lesson_applied(user, lesson: Lesson, form) -> LessonApplication:
    """Where and how the lesson was applied, from its validated form."""
    form.instance.lesson, form.instance.marked_by = lesson, user
    return form.save()


@transaction.atomic
def link_lesson(lesson: Lesson, form) -> LessonLink:
    """Link the lesson to an indicator or an event (LessonLinkForm); linking the same record
    again replaces the note."""
    link, _created = LessonLink.objects.update_or_create(
        lesson=lesson, **form.link_fields(), defaults={"note": form.cleaned_data["note"]}
    )
    return link


@transaction.atomic
def save_ceasefire_threshold(form):
    """The mission's ceasefire-breaking threshold from its valid CeasefireThresholdForm."""
    return form.save()
