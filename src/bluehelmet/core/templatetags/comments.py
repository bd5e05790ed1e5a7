"""`{% load comments %}{% comment_thread record %}`: a record's discussion (core.comments) on
its page, as the page's reader may see it; nothing at all for a reader who may not."""

from django import template

from bluehelmet.core import comments
from bluehelmet.core.forms import CommentForm

register = template.Library()


@register.inclusion_tag("core/_comments.html", takes_context=True)
def comment_thread(context, record, form=None, reply_to=""):
    request, access = context["request"], context["access"]
    thread = comments.thread(request.user, access, record)
    if thread is not None and thread.may_post:
        for comment in thread.comments:
            # Each thread's reply box, with ids of its own (several forms on one page).
            comment.reply_form = CommentForm(auto_id=f"id_reply{comment.pk}_%s", initial={"parent": comment.pk})
    return {
        "thread": thread,
        "form": form or CommentForm(initial={"parent": reply_to or None}),
        "access": access,
        "mission": access.mission,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "reply_to": str(reply_to or ""),
    }


@register.filter
def mention_links(body):
    """The comment's text, escaped, with each @name set apart (a <strong class="mention">)."""
    from django.utils.html import conditional_escape, format_html
    from django.utils.safestring import mark_safe

    text = str(conditional_escape(body))
    parts, last = [], 0
    for match in comments.MENTION.finditer(text):
        name = match.group(1).rstrip(".,")
        start, end = match.start(), match.start() + 1 + len(name)
        parts.append(text[last:start])
        parts.append(str(format_html('<strong class="mention">@{}</strong>', mark_safe(name))))  # noqa: S308 (escaped above)
        last = end
    parts.append(text[last:])
    return mark_safe("".join(parts))  # noqa: S308 (every part escaped above)
