"""What the performance area makes searchable (core.search): lessons learned and after-action
reviews, read through the same scoped querysets as the lessons pages (partners: shared only)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.access import mission_scope
from bluehelmet.core.search import SearchKind, register

from .lessons import visible_lessons
from .models import AfterActionReview, Lesson


def _lesson_text(lesson: Lesson) -> str:
    return "\n".join(part for part in (lesson.observation, lesson.lesson, lesson.recommendation) if part)


def _review_text(review: AfterActionReview) -> str:
    return "\n".join(part for part in (review.operation, review.summary) if part)


register(
    SearchKind(
        name="performance.lesson",
        label=_("Lessons learned"),
        model="performance.Lesson",
        title=lambda lesson: lesson.title,
        body=_lesson_text,
        url=lambda pk, acronym, title: reverse("performance:lesson", args=[acronym, pk]),
        visible=lambda user, access: visible_lessons(user).filter(mission=access.mission),
        order=50,
    )
)
register(
    SearchKind(
        name="performance.review",
        label=_("After-action reviews"),
        model="performance.AfterActionReview",
        title=lambda review: review.title,
        body=_review_text,
        url=lambda pk, acronym, title: f"{reverse('performance:lessons', args=[acronym])}#review-{pk}",
        visible=lambda user, access: AfterActionReview.objects.filter(mission_scope(user), mission=access.mission),
        order=70,
    )
)
