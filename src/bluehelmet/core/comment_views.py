"""The discussion of a record: its own page (also where a refused comment comes back with its
errors), posting a comment or a reply, withdrawing one, marking one's mentions read. Every
record page shows the same discussion with `{% comment_thread record %}` (core.templatetags
.comments). Who may read and post is core.comments' answer (the record's app decides who sees
the record); the writes are core.comments' services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import comments
from .forms import CommentForm
from .gate import mission_view


def add_service_errors(form, error: ValidationError) -> None:
    """The service's errors by field on the form (an unknown field's on the form itself)."""
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


@require_http_methods(["GET", "POST"])
@mission_view()
def record_comments(request, access, model, pk):
    entry, record = comments.record_or_404(request.user, access, model, pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comment = comments.post_comment(
                request.user, access, record, form.cleaned_data["body"], form.cleaned_data["parent"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Comment added."))
            return redirect(f"{entry.url(access.mission.acronym, record)}#comment-{comment.pk}")
    context = {
        "mission": access.mission,
        "access": access,
        "record": record,
        "record_url": entry.url(access.mission.acronym, record),
        "record_title": entry.title(record),
        "record_label": entry.label(record),
        "comment_form": form if form.errors else CommentForm(),
        "reply_to": form.data.get("parent", "") if form.errors else "",
    }
    return render(request, "core/comments.html", context, status=400 if form.errors else 200)


@require_POST
@mission_view()
def withdraw_comment(request, access, model, pk, comment):
    entry, record = comments.record_or_404(request.user, access, model, pk)
    comments.withdraw_comment(request.user, access, record, comment)
    messages.success(request, _("Comment withdrawn."))
    return redirect(f"{entry.url(access.mission.acronym, record)}#comment-{comment}")


@require_POST
@mission_view()
def mark_mentions_read(request, access, model, pk):
    entry, record = comments.record_or_404(request.user, access, model, pk)
    comments.mark_mentions_read(request.user, access, record)
    return redirect(f"{entry.url(access.mission.acronym, record)}#comments")
