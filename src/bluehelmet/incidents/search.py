"""What incidents makes searchable (core.search): incident reports, their attached documents,
ceasefire agreements, and, as the way to the incidents found there or by them, the places of
the gazetteer and the mission's actors. Each kind is read through the queryset its own pages
read (core.search checks every result against it)."""

from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.access import places_for
from bluehelmet.core.models import Place
from bluehelmet.core.search import SearchKind, register
from bluehelmet.datasets.actors import mission_actors

from .ceasefires import visible_agreements
from .feed import mission_incidents
from .labels import _from_visible_reports
from .models import Attachment, Incident


def _incident_title(incident: Incident) -> str:
    return f"#{incident.pk} {incident.type.name}, {incident.occurred_at:%Y-%m-%d}"


def _incident_text(incident: Incident) -> str:
    return "\n".join(part for part in (incident.location_description, incident.narrative) if part)


def _visible_attachments(user, access) -> QuerySet[Attachment]:
    """Files of the reports the user sees, never those that came with a report they may not
    see (a RED report merged into one they see); only for roles that see attachments."""
    if not access.can("incidents.sources"):
        return Attachment.objects.none()
    return _from_visible_reports(
        user, Attachment.objects.filter(incident__in=mission_incidents(user, access.mission).values("pk"))
    )


def _incident_list(acronym: str, **params) -> str:
    return f"{reverse('incidents:list', args=[acronym])}?{urlencode(params)}"


def _place_areas(place: Place) -> str:
    """The admin areas above a place, innermost first: "Lobaye, Central African Republic"."""
    names, node, depth = [], place.parent, 0
    while node is not None and depth < 4:
        names.append(node.name)
        node, depth = node.parent, depth + 1
    return ", ".join(names)


register(
    SearchKind(
        name="incidents.incident",
        label=_("Incidents"),
        model="incidents.Incident",
        title=_incident_title,
        body=_incident_text,
        url=lambda pk, acronym, title: reverse("incidents:detail", args=[acronym, pk]),
        visible=lambda user, access: mission_incidents(user, access.mission),
        records=lambda: Incident.objects.select_related("type"),
        order=10,
    )
)
register(
    SearchKind(
        name="core.place",
        label=_("Places"),
        model="core.Place",
        title=lambda place: place.name,
        body=_place_areas,
        keywords=lambda place: place.search_names.replace("|", " "),
        url=lambda pk, acronym, title: _incident_list(acronym, place=pk),
        visible=lambda user, access: places_for(user).filter(
            country__in=access.mission.host_countries.all(), kind__in=Place.SEARCHABLE_KINDS
        ),
        mission_field=None,
        records=lambda: (
            Place.objects.filter(kind__in=Place.SEARCHABLE_KINDS)
            .select_related("parent__parent__parent__parent")
            .only(
                "name",
                "search_names",
                *(f"{'parent__' * depth}name" for depth in range(1, 5)),
                "parent__parent__parent__parent__parent_id",
            )
        ),
        wanted=lambda place: place.kind in Place.SEARCHABLE_KINDS,
        order=20,
    )
)
register(
    SearchKind(
        name="core.organization",
        label=_("Actors"),
        model="core.Organization",
        title=lambda organization: organization.name,
        body=lambda organization: organization.acronym,
        url=lambda pk, acronym, title: _incident_list(acronym, actor=title),
        visible=lambda user, access: mission_actors(access.mission, international=True),
        mission_field=None,
        order=30,
    )
)
register(
    SearchKind(
        name="incidents.attachment",
        label=_("Documents attached to incidents"),
        model="incidents.Attachment",
        title=lambda attachment: attachment.name,
        body=lambda attachment: "",
        url=lambda incident_pk, acronym, title: reverse("incidents:detail", args=[acronym, incident_pk]),
        visible=_visible_attachments,
        mission_field="incident__mission",
        link_field="incident",
        records=lambda: Attachment.objects.select_related("incident"),
        order=80,
    )
)
register(
    SearchKind(
        name="incidents.agreement",
        label=_("Ceasefire agreements"),
        model="incidents.Agreement",
        title=lambda agreement: agreement.name,
        body=lambda agreement: agreement.provisions,
        url=lambda pk, acronym, title: reverse("incidents:ceasefire", args=[acronym, pk]),
        visible=lambda user, access: visible_agreements(user, access.mission),
        order=60,
    )
)
