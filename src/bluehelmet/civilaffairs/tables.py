"""The lists of civil affairs, each defined once: the page shows its columns and the CSV
export writes the same columns (machine names as the header), from the same scoped rows."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.exports import csv_lines

from . import queries
from .models import Commitment, CommunityAlert, Engagement, Grievance, MediationProcess, Partner


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    rows: Callable  # (user, mission) -> queryset
    columns: tuple[Column, ...]
    detail: str = ""  # url name of a row's page
    new: str = ""  # url name of the create page
    statuses: tuple = ()  # (value, label) for the status filter


def _display(field):
    return lambda obj: getattr(obj, f"get_{field}_display")()


def _attr(path):
    def get(obj):
        for part in path.split("."):
            obj = getattr(obj, part, None) if obj is not None else None
        return "" if obj is None else obj

    return get


def _yes(value) -> str:
    return "yes" if value else ""


def _partner_rows(user, mission):
    return (
        queries.partners(user, mission)
        .annotate(n_engagements=Count("engagements", distinct=True))
        .order_by("name", "pk")
    )


def _engagement_rows(user, mission):
    return (
        queries.engagements(user, mission)
        .annotate(n_open=Count("commitments", filter=Q(commitments__status__in=("open", "in_progress")), distinct=True))
        .order_by("-held_on", "-pk")
    )


def _commitment_rows(user, mission):
    return (
        Commitment.objects.filter(engagement__in=queries.engagements(user, mission))
        .select_related("engagement")
        .order_by("due", "pk")
    )


def _mediation_rows(user, mission):
    return queries.mediations(user, mission).annotate(n_sessions=Count("sessions")).order_by("-started_on", "pk")


def _agreement_rows(user, mission):
    return (
        queries.agreements(user, mission)
        .annotate(n_provisions=Count("provisions"), n_full=Count("provisions", filter=Q(provisions__status=3)))
        .order_by("-signed_on", "pk")
    )


def _overdue(provision):
    return _yes(provision.overdue_on(timezone.localdate()))


TABLES = {
    "partners": Table(
        "partners",
        _("Local partners"),
        _partner_rows,
        (
            Column("name", _("Name"), _attr("name")),
            Column("kind", _("Kind"), _display("kind")),
            Column("place", _("Place"), _attr("place.name")),
            Column("organization", _("Organization"), _attr("organization.name")),
            Column("relationship", _("Relationship"), _display("relationship")),
            Column("trust", _("Trust"), _display("trust")),
            Column("focal_point", _("Focal point"), _attr("focal_point.username")),
            Column("last_contact", _("Last contact"), _attr("last_contact")),
            Column("engagements", _("Engagements"), _attr("n_engagements")),
            Column("exercise", _("Exercise"), lambda o: _yes(o.exercise)),
        ),
        detail="civilaffairs:partner",
        new="civilaffairs:partner-new",
        statuses=tuple(Partner.Relationship.choices),
    ),
    "engagements": Table(
        "engagements",
        _("Community engagements"),
        _engagement_rows,
        (
            Column("date", _("Date"), _attr("held_on")),
            Column("kind", _("Kind"), _display("kind")),
            Column("title", _("Title"), _attr("title")),
            Column("place", _("Place"), _attr("place.name")),
            Column("participants", _("Participants"), _attr("participants")),
            Column("female", _("Women and girls"), _attr("female_participants")),
            *(
                Column(name, Engagement._meta.get_field(name).verbose_name, _attr(name))
                for name in Engagement.PARTICIPANT_FIELDS
            ),
            Column("topics", _("Topics"), _attr("topics")),
            Column("open_commitments", _("Open commitments"), _attr("n_open")),
            Column("exercise", _("Exercise"), lambda o: _yes(o.exercise)),
        ),
        detail="civilaffairs:engagement",
        new="civilaffairs:engagement-new",
        statuses=tuple(Engagement.Kind.choices),
    ),
    "commitments": Table(
        "commitments",
        _("Commitments"),
        _commitment_rows,
        (
            Column("engagement_date", _("Engagement date"), _attr("engagement.held_on")),
            Column("engagement", _("Engagement"), _attr("engagement.title")),
            Column("commitment", _("Commitment"), _attr("text")),
            Column("made_by", _("Made by"), _attr("made_by")),
            Column("due", _("Due"), _attr("due")),
            Column("status", _("Status"), _display("status")),
            Column("follow_up", _("Follow-up"), _attr("follow_up")),
        ),
    ),
    "alerts": Table(
        "alerts",
        _("Community alerts"),
        queries.alerts,
        (
            Column(
                "received_at", _("Received"), lambda o: timezone.localtime(o.received_at).strftime("%Y-%m-%d %H:%M")
            ),
            Column("category", _("Category"), _display("category")),
            Column("place", _("Place"), _attr("place.name")),
            Column("location", _("Where"), _attr("location")),
            Column("channel", _("Channel"), _display("channel")),
            Column("status", _("Status"), _display("status")),
            Column("sensitivity", _("Sensitivity"), _display("sensitivity")),
            Column("incident", _("Incident"), _attr("incident_id")),
            Column("text", _("Alert"), _attr("text")),
            Column("exercise", _("Exercise"), lambda o: _yes(o.exercise)),
        ),
        detail="civilaffairs:alert",
        new="civilaffairs:alert-new",
        statuses=tuple(CommunityAlert.Status.choices),
    ),
    "grievances": Table(
        "grievances",
        _("Grievances"),
        queries.grievances,
        (
            Column("received_on", _("Received"), _attr("received_on")),
            Column("against", _("Against"), _display("against")),
            Column("party", _("Party concerned"), _attr("against_detail")),
            Column("place", _("Place"), _attr("place.name")),
            Column("status", _("Status"), _display("status")),
            Column("assigned_to", _("Assigned to"), _attr("assigned_to.username")),
            Column("closed_on", _("Closed"), _attr("closed_on")),
            Column("summary", _("Grievance"), _attr("summary")),
            Column("exercise", _("Exercise"), lambda o: _yes(o.exercise)),
        ),
        detail="civilaffairs:grievance",
        new="civilaffairs:grievance-new",
        statuses=tuple(Grievance.Status.choices),
    ),
    "mediations": Table(
        "mediations",
        _("Mediation processes"),
        _mediation_rows,
        (
            Column("title", _("Title"), _attr("title")),
            Column("place", _("Place"), _attr("place.name")),
            Column("started_on", _("Started"), _attr("started_on")),
            Column("ended_on", _("Ended"), _attr("ended_on")),
            Column("status", _("Status"), _display("status")),
            Column(
                "parties",
                _("Parties"),
                lambda o: "; ".join(line.strip() for line in o.parties.splitlines() if line.strip()),
            ),
            Column("sessions", _("Sessions"), _attr("n_sessions")),
            Column("topics", _("Topics"), _attr("topics")),
            Column("exercise", _("Exercise"), lambda o: _yes(o.exercise)),
        ),
        detail="civilaffairs:mediation",
        new="civilaffairs:mediation-new",
        statuses=tuple(MediationProcess.Status.choices),
    ),
    "agreements": Table(
        "agreements",
        _("Agreements"),
        _agreement_rows,
        (
            Column("title", _("Title"), _attr("title")),
            Column("kind", _("Kind"), _display("kind")),
            Column("signed_on", _("Signed"), _attr("signed_on")),
            Column("provisions", _("Provisions"), _attr("n_provisions")),
            Column("fully_implemented", _("Fully implemented"), _attr("n_full")),
            Column("exercise", _("Exercise"), lambda o: _yes(o.exercise)),
        ),
        detail="civilaffairs:agreement",
        new="civilaffairs:agreement-new",
    ),
    "provisions": Table(
        "provisions",
        _("Agreement provisions"),
        queries.provisions,
        (
            Column("agreement", _("Agreement"), _attr("agreement.title")),
            Column("reference", _("Reference"), _attr("reference")),
            Column("title", _("Provision"), _attr("title")),
            Column("responsible", _("Responsible"), _attr("responsible")),
            Column("deadline", _("Deadline"), _attr("deadline")),
            Column("implementation", _("Implementation"), _display("status")),
            Column("assessed_on", _("Assessed on"), _attr("status_on")),
            Column("overdue", _("Overdue"), _overdue),
        ),
    ),
}


def filtered(table: Table, user, mission, params) -> object:
    rows = table.rows(user, mission)
    status = params.get("status", "")
    if status and status in dict(table.statuses):
        field = "kind" if table.name == "engagements" else "relationship" if table.name == "partners" else "status"
        rows = rows.filter(**{field: status})
    return rows


def rows_as_cells(table: Table, rows) -> Iterator[list]:
    for obj in rows:
        yield obj, [column.value(obj) for column in table.columns]


def table_csv(table: Table, rows) -> Iterator[str]:
    return csv_lines(
        [c.key for c in table.columns], ([c.value(obj) for c in table.columns] for obj in rows.iterator(chunk_size=500))
    )
