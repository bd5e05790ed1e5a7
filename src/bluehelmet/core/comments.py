"""Comments and @mentions on records of any app, read and written only through the record's gate.

Each app declares which of its records can be discussed in a module `<app>/comments.py` (found
at first use, like permissions.py and retention.py) by calling `register`:

    from bluehelmet.core.comments import Commentable, register

    register(Commentable(
        model="incidents.incident",
        read="incidents.report",             # the capability to read the discussion
        write="incidents.report",            # the capability to take part in it
        visible=feed.visible_incidents,      # (user, mission) -> the records the user may see
        url=lambda acronym, incident: reverse("incidents:detail", args=[acronym, incident.pk]),
        label=lambda incident: incident.sensitivity,   # the record's TLP label, shown as a badge
        history=record_comment,              # optional: (user, record, comment, action) writes the
    ))                                       # record's own history ("comment added by ...")

Rules kept here, whatever the app:
- a user reads or posts a record's comments only when they hold the capability in the record's
  mission and the app's `visible` queryset holds the record; otherwise the record does not
  exist for them (404), so comments never reveal a record;
- a comment has no label of its own: it is always read through its record, so it is under the
  record's current label (relabelled RED, its comments are hidden from reporters at once);
- `@username` in a comment notifies that user (a Mention, listed in their inbox) when they are
  a member of the mission who may see the record; naming anyone else is refused with a field
  error naming them, so a comment never tells someone of a record they may not see;
- comments are append-only: never edited; the author or a mission administrator may withdraw
  one (the text is hidden, who wrote it and when stay), and both are written to the record's
  history (and, as every model, to the audit trail).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import gate
from .discovery import discover
from .gate import Access
from .inbox import InboxItem, InboxSource
from .inbox import register as register_inbox_source
from .models import Comment, Mention, Mission, Role

# "@name" not inside a word or an e-mail address; Django user names hold letters, digits and @.+-_
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]+)")
EXCERPT_CHARS = 120


@dataclass(frozen=True)
class Commentable:
    model: str  # the model's label in lower case, "incidents.incident"
    read: str  # capability to read the record's comments
    write: str  # capability to post them
    visible: Callable[[object, Mission], QuerySet]  # (user, mission) -> the records the user may see
    url: Callable[[str, Model], str]  # (mission acronym, record) -> the record's page
    label: Callable[[Model], str]  # the record's TLP label (core.sensitivity)
    title: Callable[[Model], str] = str  # how the record is named in the inbox and history
    history: Callable[[object, Model, Comment, str], None] | None = None  # (user, record, comment, action)


_entries: dict[str, Commentable] = {}


def register(entry: Commentable) -> Commentable:
    """Declare a model whose records can be discussed (refused when another entry holds the name)."""
    known = _entries.get(entry.model)
    if known is not None and known != entry:
        raise ValueError(f"Comments on {entry.model!r} are registered twice.")
    _entries[entry.model] = entry
    return entry


def entries() -> dict[str, Commentable]:
    """Every commentable model by label (each app's comments.py imported first)."""
    discover("comments")
    return dict(_entries)


def entry_for(model_label: str) -> Commentable:
    try:
        return entries()[model_label]
    except KeyError:
        raise Http404("No such kind of record.") from None


def entry_of(record: Model) -> Commentable:
    return entry_for(record._meta.label_lower)


def model_of(entry: Commentable) -> type[Model]:
    return apps.get_model(entry.model)


def content_type_of(entry: Commentable) -> ContentType:
    return ContentType.objects.get_for_model(model_of(entry))  # cached by Django after the first read


# --- who may read and post ----------------------------------------------------------------------


def record_or_404(user, access: Access, model_label: str, pk) -> tuple[Commentable, Model]:
    """The record whose discussion the user asks for: 404 when the kind is not commentable, the
    user may not read discussions of that kind in the mission, or may not see the record."""
    entry = entry_for(model_label)
    if not access.can(entry.read):
        raise Http404("No such record.")
    record = entry.visible(user, access.mission).filter(pk=pk).first()
    if record is None:
        raise Http404("No such record.")
    return entry, record


def may_read(user, access: Access, entry: Commentable, record: Model) -> bool:
    return access.can(entry.read) and entry.visible(user, access.mission).filter(pk=record.pk).exists()


def may_withdraw(user, access: Access, comment: Comment) -> bool:
    return comment.withdrawn_at is None and (comment.author_id == user.pk or access.role == Role.ADMINISTRATOR)


# --- reading ------------------------------------------------------------------------------------


@dataclass
class Thread:
    """A record's discussion as its reader sees it."""

    entry: Commentable
    record: Model
    comments: list[Comment]  # first comments of each thread, oldest first, each with `.reply_list`
    count: int
    may_post: bool
    unread_mentions: int  # the reader's notices on this record not marked read
    label: str
    model_label: str = field(init=False)

    def __post_init__(self):
        self.model_label = self.entry.model


def thread(user, access: Access, record: Model) -> Thread | None:
    """The discussion of `record` for `user` (None when they may not read it): two queries (may
    the user see the record; its comments with whether each mentions the user, unread),
    whatever the number of comments."""
    entry = entries().get(record._meta.label_lower)
    if entry is None or not may_read(user, access, entry, record):
        return None
    rows = list(
        Comment.objects.filter(content_type=content_type_of(entry), object_id=record.pk)
        .select_related("withdrawn_by")
        .annotate(mentions_me=Exists(Mention.objects.filter(comment=OuterRef("pk"), user=user, read_at__isnull=True)))
    )
    firsts = []
    by_id = {}
    for comment in rows:
        comment.reply_list = []
        comment.may_withdraw = may_withdraw(user, access, comment)
        by_id[comment.pk] = comment
        if comment.parent_id is None or comment.parent_id not in by_id:
            firsts.append(comment)
        else:
            by_id[comment.parent_id].reply_list.append(comment)
    return Thread(
        entry=entry,
        record=record,
        comments=firsts,
        count=len(rows),
        may_post=access.can(entry.write),
        unread_mentions=sum(1 for comment in rows if comment.mentions_me),
        label=entry.label(record),
    )


# --- writing ------------------------------------------------------------------------------------


def mentioned_names(body: str) -> list[str]:
    """The user names written as @name in the text, in order, once each (a trailing full stop
    or comma ends the name, as at the end of a sentence)."""
    names: list[str] = []
    for match in MENTION.finditer(body):
        name = match.group(1).rstrip(".,")
        if name and name not in names:
            names.append(name)
    return names


def _mentioned_users(user, access: Access, entry: Commentable, record: Model, body: str) -> list:
    """The users named in the body, each a member of the mission who may read the record; any
    other name is refused with an error naming it (and saying nothing of the record)."""
    names = [name for name in mentioned_names(body) if name != user.get_username()]
    if not names:
        return []
    found = {u.get_username(): u for u in get_user_model().objects.filter(username__in=names, is_active=True)}
    errors, mentioned = [], []
    for name in names:
        other = found.get(name)
        other_access = gate.access(other, access.mission) if other is not None else None
        if other_access is None or other_access.role is None:
            errors.append(_("@%(name)s is not a member of this mission.") % {"name": name})
        elif not may_read(other, other_access, entry, record):
            errors.append(
                _("@%(name)s may not see this record, so cannot be mentioned here (they are not told of it).")
                % {"name": name}
            )
        else:
            mentioned.append(other)
    if errors:
        raise ValidationError({"body": errors})
    return mentioned


def post_comment(user, access: Access, record: Model, body: str, parent_id: int | None = None) -> Comment:
    """Add a comment (or a reply) to the record's discussion, notify whom it mentions and write
    it to the record's history, in one transaction. ValidationError (by field) when the text is
    empty, the comment replied to is not in this discussion, or a mention is refused;
    PermissionDenied when the user may read but not take part."""
    entry = entry_of(record)
    if not may_read(user, access, entry, record):
        raise Http404("No such record.")
    if not access.can(entry.write):
        access.require(entry.write)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write a comment.")]})
    content_type = content_type_of(entry)
    parent = None
    if parent_id:
        parent = Comment.objects.filter(content_type=content_type, object_id=record.pk, pk=parent_id).first()
        if parent is None:
            raise ValidationError({"parent": [_("The comment replied to is not in this discussion.")]})
        if parent.parent_id is not None:  # one level of replies: answer within the same thread
            parent = Comment.objects.get(pk=parent.parent_id)
    mentioned = _mentioned_users(user, access, entry, record, body)
    with transaction.atomic():
        comment = Comment.objects.create(
            mission=access.mission,
            content_type=content_type,
            object_id=record.pk,
            parent=parent,
            author=user,
            author_name=user.get_username(),
            body=body,
        )
        Mention.objects.bulk_create([Mention(comment=comment, user=other) for other in mentioned])
        if entry.history is not None:
            entry.history(user, record, comment, "comment added")
    return comment


def withdraw_comment(user, access: Access, record: Model, comment_id: int) -> Comment:
    """Hide a comment's text (its author, or a mission administrator); who wrote it and when
    stay, and the withdrawal goes to the record's history."""
    entry = entry_of(record)
    if not may_read(user, access, entry, record):
        raise Http404("No such record.")
    comment = Comment.objects.filter(content_type=content_type_of(entry), object_id=record.pk, pk=comment_id).first()
    if comment is None:
        raise Http404("No such comment.")
    if not may_withdraw(user, access, comment):
        raise PermissionDenied(_("Only its author or a mission administrator may withdraw a comment."))
    with transaction.atomic():
        comment.withdrawn_at = timezone.now()
        comment.withdrawn_by = user
        comment.save(update_fields=["withdrawn_at", "withdrawn_by"])
        comment.mentions.filter(read_at__isnull=True).update(read_at=comment.withdrawn_at)
        if entry.history is not None:
            entry.history(user, record, comment, "comment withdrawn")
    return comment


def mark_mentions_read(user, access: Access, record: Model) -> int:
    """The user's notices of mentions in this record's discussion are read; returns how many."""
    entry = entry_of(record)
    if not may_read(user, access, entry, record):
        raise Http404("No such record.")
    return Mention.objects.filter(
        user=user, read_at__isnull=True, comment__content_type=content_type_of(entry), comment__object_id=record.pk
    ).update(read_at=timezone.now())


def excerpt(comment: Comment) -> str:
    return Truncator(" ".join(comment.body.split())).chars(EXCERPT_CHARS)


# --- the inbox: mentions waiting to be read -------------------------------------------------


def _readable_mentions(user, accesses: Sequence[Access]) -> QuerySet[Mention]:
    """The user's unread mentions on records they may (still) see: a record relabelled RED or
    unshared since hides its mentions, and their count."""
    allowed = Q(pk__in=[])
    for access in accesses:
        for entry in entries().values():
            if access.can(entry.read):
                allowed |= Q(
                    comment__mission=access.mission,
                    comment__content_type=content_type_of(entry),
                    comment__object_id__in=entry.visible(user, access.mission).values("pk"),
                )
    return Mention.objects.filter(allowed, user=user, read_at__isnull=True, comment__withdrawn_at__isnull=True)


def count_mentions(user, accesses: Sequence[Access]) -> int:
    return _readable_mentions(user, accesses).count()


def mention_items(user, accesses: Sequence[Access], limit: int) -> list[InboxItem]:
    mentions = list(
        _readable_mentions(user, accesses)
        .select_related("comment", "comment__mission", "comment__content_type")
        .order_by("-comment__created_at", "-pk")[:limit]
    )
    by_mission = {access.mission.pk: access for access in accesses}
    wanted: dict[tuple[int, str], set[int]] = {}
    for mention in mentions:
        content_type = mention.comment.content_type
        wanted.setdefault((mention.comment.mission_id, f"{content_type.app_label}.{content_type.model}"), set()).add(
            mention.comment.object_id
        )
    records = {}
    for (mission_id, model_label), ids in wanted.items():
        entry = entries()[model_label]
        for record in entry.visible(user, by_mission[mission_id].mission).filter(pk__in=ids):
            records[(model_label, record.pk)] = (entry, record)
    items = []
    for mention in mentions:
        comment = mention.comment
        content_type = comment.content_type
        found = records.get((f"{content_type.app_label}.{content_type.model}", comment.object_id))
        if found is None:
            continue
        entry, record = found
        items.append(
            InboxItem(
                mission_acronym=comment.mission.acronym,
                title=_("%(author)s mentioned you on %(record)s")
                % {"author": comment.author_name, "record": entry.title(record)},
                url=f"{entry.url(comment.mission.acronym, record)}#comment-{comment.pk}",
                when=comment.created_at,
                what=excerpt(comment),
                sensitivity=entry.label(record),
            )
        )
    return items


register_inbox_source(
    InboxSource(name="core.mentions", label=gettext_lazy("Mentions of me"), items=mention_items, count=count_mentions)
)
