"""The walk's world: two missions, a user for every role, and canaries.

A canary is a unique string (`cnry` and five digits, or a five-digit casualty count) planted
in one sensitive field of one record of one mission, with the rule that says who may read
it: its label (TLP), or the personal data it is (sources' identities, DDR participants,
partners' contacts, alert senders), or its owner (an import job's rejected cells). Records
that the platform derives from sensitive ones (alerts and their notices, response tasks,
merged reports, an incident made of a community alert) are made by the platform's own
functions, so the walk sees whatever they copy.

Every canary's text starts with a stored cross-site-scripting payload or a spreadsheet
formula, so the same responses prove the escaping and the CSV neutralisation.

`World.allowed(visitor, canary)` is the oracle: it knows the roles, never the views.
"""

import datetime
import itertools
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from bluehelmet.core.models import Membership, Mission, Organization, Place, Role, Sharing
from bluehelmet.core.sensitivity import Sensitivity
from bluehelmet.datasets.models import (
    ConflictEvent,
    ConflictMonth,
    Deployment,
    DeploymentContribution,
    MissionStrength,
    SiteYear,
)
from bluehelmet.importers.models import ImportJob

from .routes import A, B

XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>"]
FORMULAS = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(1+1)"]

STAFF = (Role.ADMINISTRATOR, Role.ANALYST, Role.REPORTER, Role.DDR_OFFICER, Role.CIVIL_AFFAIRS, Role.HUMANITARIAN)
# Who reads what, by the rule a canary carries (core.sensitivity and each area's permissions
# say the same in prose).
READERS = {
    Sensitivity.CLEAR: (*STAFF, Role.PARTNER),
    Sensitivity.GREEN: (*STAFF, Role.PARTNER),
    Sensitivity.AMBER: STAFF,
    Sensitivity.RED: (Role.ADMINISTRATOR, Role.ANALYST),
    "staff": STAFF,
    "source identity": (Role.ADMINISTRATOR, Role.ANALYST),
    "ddr personal": (Role.ADMINISTRATOR, Role.DDR_OFFICER),
    "civil affairs personal": (Role.ADMINISTRATOR, Role.CIVIL_AFFAIRS),
    "red personal": (Role.ADMINISTRATOR,),  # the sender of a RED community alert
    "job owner": (Role.ADMINISTRATOR,),  # and the user who started the job
}
A_ROLES = (
    Role.ADMINISTRATOR,
    Role.ANALYST,
    Role.REPORTER,
    Role.PARTNER,
    Role.DDR_OFFICER,
    Role.CIVIL_AFFAIRS,
    Role.HUMANITARIAN,
)


@dataclass(frozen=True)
class Canary:
    token: str
    side: str  # "A" or "B"
    rule: str  # a key of READERS
    where: str  # model.field, for failure messages
    owner: int | None = None  # user pk who may read it whatever the rule (author, job owner)


@dataclass
class Visitor:
    name: str
    user: object | None  # None: anonymous
    roles: dict = field(default_factory=dict)  # side -> role


@dataclass
class World:
    canaries: list[Canary] = field(default_factory=list)
    visitors: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)
    _numbers: itertools.count = field(default_factory=lambda: itertools.count(10001))

    @property
    def superuser(self):
        return self.visitors["superuser"].user

    @property
    def member_of_a(self):
        """Mission A's analyst: the walks that need one member with the widest view."""
        return self.visitors[f"A {Role.ANALYST}"].user

    def plant(self, side: str, rule: str, where: str, *, owner=None, prefix: str | None = None) -> str:
        """A fresh canary, returned with its payload prefix (the text to store)."""
        number = next(self._numbers)
        token = f"cnry{number}"
        self.canaries.append(Canary(token, side, str(rule), where, owner.pk if owner else None))
        payloads = XSS + FORMULAS
        return f"{payloads[number % len(payloads)] if prefix is None else prefix}{token}"

    def plant_number(self, side: str, rule: str, where: str, number: int) -> int:
        self.canaries.append(Canary(str(number), side, str(rule), where))
        return number

    def allowed(self, visitor: Visitor, canary: Canary) -> bool:
        if visitor.user is not None and visitor.user.is_superuser:
            return True
        if visitor.user is not None and canary.owner == visitor.user.pk:
            return True
        return visitor.roles.get(canary.side) in READERS[canary.rule]

    def leaks(self, visitor: Visitor, body: str) -> list[Canary]:
        return [canary for canary in self.canaries if canary.token in body and not self.allowed(visitor, canary)]


SIDES = {
    "A": dict(
        values=A,
        country="Sierra Leone",
        gwno="451",
        site="Kenema site",
        lat=7.87666667,
        lon=-11.1875,
        box=[[-13.3, 6.9], [-10.3, 6.9], [-10.3, 10.0], [-13.3, 10.0], [-13.3, 6.9]],
        sides=("Government of Sierra Leone", "RUF"),
    ),
    "B": dict(
        values=B,
        country="Central African Republic",
        gwno="482",
        site="Mbaiki site",
        lat=3.866552,
        lon=17.983117,
        box=[[14.4, 2.2], [27.5, 2.2], [27.5, 11.0], [14.4, 11.0], [14.4, 2.2]],
        sides=("CPJP", "Seleka"),
    ),
}


def build_world() -> World:
    world = World()
    users = get_user_model().objects
    made = {side: _reference_data(side, spec) for side, spec in SIDES.items()}
    a, b = made["A"]["mission"], made["B"]["mission"]

    for role in A_ROLES:
        user = users.create_user(username=f"walk-{role}", password=None)
        Membership.objects.create(user=user, mission=a, role=role)
        world.visitors[f"A {role}"] = Visitor(f"A {role}", user, {"A": role})
    b_analyst = users.create_user(pk=B.pk, username=f"analyst-{B.pk}", password=None)
    Membership.objects.create(user=b_analyst, mission=b, role=Role.ANALYST)
    world.visitors["B analyst"] = Visitor("B analyst", b_analyst, {"B": Role.ANALYST})
    mixed = users.create_user(username="walk-partner-a-analyst-b", password=None)
    Membership.objects.create(user=mixed, mission=a, role=Role.PARTNER)
    Membership.objects.create(user=mixed, mission=b, role=Role.ANALYST)
    world.visitors["A partner, B analyst"] = Visitor(
        "A partner, B analyst", mixed, {"A": Role.PARTNER, "B": Role.ANALYST}
    )
    world.visitors["no mission"] = Visitor("no mission", users.create_user(username="walk-no-mission", password=None))
    world.visitors["superuser"] = Visitor("superuser", users.create_superuser(username="walk-root", password=None))

    a_analyst = world.visitors[f"A {Role.ANALYST}"].user
    _incidents(world, "A", made["A"], analyst=a_analyst, partner=world.visitors[f"A {Role.PARTNER}"].user)
    _incidents(world, "B", made["B"], analyst=b_analyst, partner=None)
    _import_job(world, "A", a_analyst)
    _import_job(world, "B", b_analyst)
    return world


def _reference_data(side: str, spec: dict) -> dict:
    """What the old walk had: a country, a site, deployments, strength, GED events."""
    values = spec["values"]
    pk = values.pk
    geometry = {"type": "Polygon", "coordinates": [spec["box"]]}
    country = Place.objects.create(
        pk=pk,
        key=f"country:{spec['country']}",
        kind=Place.Kind.COUNTRY,
        name=spec["country"],
        code=spec["gwno"],
        geometry=geometry,
    )
    country.country = country
    country.save()
    site = Place.objects.create(
        pk=pk + 1,
        key=f"site:{spec['site']}",
        kind=Place.Kind.SITE,
        name=spec["site"],
        parent=country,
        country=country,
        latitude=spec["lat"],
        longitude=spec["lon"],
    )
    mission = Mission.objects.create(
        pk=pk, acronym=values.acronym, name=values.name, start=datetime.date(int(values.year) - 1, 1, 1)
    )
    mission.host_countries.add(country)
    contributor = Organization.objects.create(
        pk=pk, key=f"state:{spec['gwno']}", name=f"Member state {spec['gwno']}", kind=Organization.Kind.MEMBER_STATE
    )
    month = datetime.datetime.strptime(values.month, "%Y-%m").date()
    deployment = Deployment.objects.create(
        pk=pk, mission=mission, site=site, month=month, source="Map no. 4522", troops=650, sharing=Sharing.PUBLIC
    )
    DeploymentContribution.objects.create(pk=pk, deployment=deployment, country=contributor, troops=650)
    SiteYear.objects.create(pk=pk, mission=mission, site=site, year=int(values.year), troops=650)
    MissionStrength.objects.create(pk=pk, mission=mission, month=month, authorised_troops=9760, troops=560)
    side_a, side_b = spec["sides"]
    ConflictEvent.objects.create(
        pk=pk,
        ged_id=pk,
        year=month.year,
        type_of_violence=2,
        conflict_name=f"{side_a} - {side_b}",
        dyad_name=f"{side_a} - {side_b}",
        side_a_name=side_a,
        side_b_name=side_b,
        where_description="town",
        latitude=spec["lat"],
        longitude=spec["lon"],
        country_name=spec["country"],
        country=country,
        date_start=month,
        date_end=month,
        best=12,
        high=12,
        low=12,
        sharing=Sharing.PUBLIC,
    )
    ConflictMonth.objects.create(
        pk=pk, conflict_id=pk, country=country, month=month, side_a=side_a, side_b=side_b, osv_all=3.0
    )
    return {"mission": mission, "country": country, "site": site, "month": month}


def _incidents(world: World, side: str, made: dict, *, analyst, partner) -> None:
    """Labelled incidents and everything derived from them, through the platform's functions."""
    from bluehelmet.incidents import alerts, response, verification
    from bluehelmet.incidents.models import AlertRule, Attachment, Incident, IncidentType, Source, Subscription

    mission, site = made["mission"], made["site"]
    pk = mission.pk
    kind = IncidentType.objects.create(pk=pk, mission=mission, code="armed-clash", name="Armed clash")
    occurred = timezone.make_aware(datetime.datetime.combine(made["month"], datetime.time(10)))

    def incident(label, *, pk=None, sharing=Sharing.MISSION, killed=0):
        narrative = world.plant(side, label, f"Incident({label}).narrative", owner=analyst)
        return Incident.objects.create(
            pk=pk,
            client_id=uuid.uuid4(),
            mission=mission,
            type=kind,
            occurred_at=occurred,
            place=site,
            latitude=made["site"].latitude,
            longitude=made["site"].longitude,
            narrative=narrative,
            location_description=world.plant(side, label, "Incident.location_description", owner=analyst),
            sensitivity=label,
            sharing=sharing,
            killed=killed,
            reported_by=analyst,
        )

    red = incident(
        Sensitivity.RED, pk=pk, killed=world.plant_number(side, Sensitivity.RED, "Incident(red).killed", 90000 + pk)
    )
    Source.objects.create(
        pk=pk,
        incident=red,
        kind=Source.Kind.WITNESS,
        reliability="C",
        credibility=3,
        identity=world.plant(side, "source identity", "Source.identity"),
        added_by=analyst,
    )
    amber = incident(Sensitivity.AMBER)
    Source.objects.create(
        incident=amber,
        kind=Source.Kind.WITNESS,
        reliability="B",
        credibility=2,
        identity=world.plant(side, "source identity", "Source.identity"),
        added_by=analyst,
    )
    incident(Sensitivity.GREEN, sharing=Sharing.PUBLIC)

    # Derived: an alert on the RED incident (its message carries the casualty count), its
    # notices to every subscriber, and a response task on the alert.
    rule = AlertRule.objects.create(
        pk=pk, mission=mission, name="Casualties", kind=AlertRule.Kind.CASUALTIES, casualty_threshold=1
    )
    for membership in mission.memberships.select_related("user"):
        Subscription.objects.create(rule=rule, user=membership.user, by_email=False)
    alert = alerts.evaluate_incident(red)[0]
    response.create_task(
        analyst,
        mission,
        title=world.plant(side, Sensitivity.RED, "ResponseTask.title (RED alert)"),
        assignee=analyst,
        due_at=occurred,
        alert=alert,
    )

    # A discussion of the RED incident (core.comments), under its label; the payload is set
    # (a formula's "@SUM" would be read as a mention of nobody and refused).
    from bluehelmet.core import comments, gate

    comments.post_comment(
        analyst,
        gate.access(analyst, mission),
        red,
        world.plant(side, Sensitivity.RED, "Comment.body (RED incident)", owner=analyst, prefix=XSS[1]),
    )

    # Derived: a RED report merged into an AMBER one, with its attachment.
    kept, duplicate = incident(Sensitivity.AMBER), incident(Sensitivity.RED)
    attachment = Attachment(
        incident=duplicate,
        name=world.plant(side, Sensitivity.RED, "Attachment.name (merged)", prefix=""),
        content_type="text/plain",
        uploaded_by=analyst,
    )
    attachment.file.save(
        "evidence.txt",
        ContentFile(world.plant(side, Sensitivity.RED, "Attachment file (merged)", prefix="").encode()),
        save=False,
    )
    attachment.size = attachment.file.size
    attachment.save()
    verification.merge(kept, duplicate, analyst, "same clash")
    world.records[f"{side} merged"] = kept.pk

    _civil_affairs(world, side, mission, site, analyst=analyst, partner=partner, occurred=occurred)
    _ddr(world, side, mission, site)


def _civil_affairs(world, side, mission, site, *, analyst, partner, occurred) -> None:
    from bluehelmet.civilaffairs.models import CommunityAlert, Engagement, Partner, PartnerContact

    pk = mission.pk
    local = Partner.objects.create(
        pk=pk,
        mission=mission,
        name="Chiefdom council",
        kind=Partner.Kind.LOCAL_LEADER,
        place=site,
        sharing=Sharing.PUBLIC,
    )
    PartnerContact.objects.create(
        pk=pk,
        partner=local,
        full_name=world.plant(side, "civil affairs personal", "PartnerContact.full_name", prefix=""),
        phone=world.plant(side, "civil affairs personal", "PartnerContact.phone", prefix=""),
    )
    engagement = Engagement.objects.create(
        pk=pk,
        mission=mission,
        kind=Engagement.Kind.MEETING,
        held_on=occurred.date(),
        place=site,
        title=world.plant(side, "staff", "Engagement.title (not shared)"),
        summary=world.plant(side, "staff", "Engagement.summary (not shared)"),
        sharing=Sharing.MISSION,
    )
    engagement.partners.add(local)
    CommunityAlert.objects.create(
        pk=pk,
        mission=mission,
        received_at=occurred,
        text=world.plant(side, Sensitivity.RED, "CommunityAlert.text (RED)"),
        sender=world.plant(side, "red personal", "CommunityAlert.sender (RED)", prefix=""),
        sensitivity=Sensitivity.RED,
    )
    # A partner's own alert, triaged by staff: the partner reads the alert, not the staff's note.
    CommunityAlert.objects.create(
        mission=mission,
        received_at=occurred,
        text="Cattle raid feared",
        sensitivity=Sensitivity.GREEN,
        status=CommunityAlert.Status.ACKNOWLEDGED,
        created_by=partner,
        triaged_by=analyst,
        triaged_at=occurred,
        sender=world.plant(side, "civil affairs personal", "CommunityAlert.sender (GREEN)", prefix=""),
        triage_note=world.plant(side, "staff", "CommunityAlert.triage_note"),
    )


def _ddr(world, side, mission, site) -> None:
    from bluehelmet.ddr.models import Participant

    faction = Organization.objects.create(
        key=f"armed:{side}", name=f"Faction {side}", kind=Organization.Kind.ARMED_GROUP
    )
    Participant.objects.create(
        pk=mission.pk,
        mission=mission,
        reference=f"DDR-{mission.pk}",
        category=Participant.Category.COMBATANT,
        full_name=world.plant(side, "ddr personal", "Participant.full_name", prefix=""),
        birth_date=datetime.date(1980, 1, 1),
        phone=world.plant(side, "ddr personal", "Participant.phone", prefix=""),
        age_at_registration=20,
        faction=faction,
        place=site,
        registered_on=datetime.date(2001, 1, 1),
        duplicate_key=f"walk-{side}",
    )


def _import_job(world, side, owner) -> None:
    """A failed import: its rejected cells are the owner's (and the mission's administrators')."""
    values = SIDES[side]["values"]
    cell = world.plant(side, "job owner", "ImportJob.errors", owner=owner)
    ImportJob.objects.create(
        pk=values.pk,
        kind="ged",
        file_name=world.plant(side, "job owner", "ImportJob.file_name", owner=owner, prefix=""),
        status=ImportJob.Status.FAILED,
        actor=owner,
        summary={"options": {"mission": values.acronym}},
        errors=[{"row": 2, "column": "best", "value": cell, "message": "not a number"}],
    )
