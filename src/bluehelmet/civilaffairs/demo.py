"""Civil affairs demo for UNAMSIL.

Real: the Lomé Peace Agreement between the Government of Sierra Leone and the RUF, signed
at Lomé on 7 July 1999, broken into its main articles (titles as in the text), and the
districts of Sierra Leone. Made up, and labelled exercise data everywhere: partners and
their contacts, engagements, alerts, grievances, a local mediation, a perception survey,
and every implementation assessment of the Lomé provisions (exercise assessments loosely
following the known course of events, not an evaluation).
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from bluehelmet.core.models import Mission, Place, Sharing
from bluehelmet.core.sensitivity import Sensitivity
from bluehelmet.incidents.models import Incident, IncidentType

from . import cases
from .models import (
    Commitment,
    CommunityAlert,
    Engagement,
    Grievance,
    GrievanceEvent,
    Implementation,
    MediationProcess,
    MediationSession,
    Partner,
    PartnerContact,
    PeaceAgreement,
    Provision,
    Survey,
    SurveyResponse,
)

EX = " (exercise)"
d = datetime.date
N, MIN, INT, FULL = (
    Implementation.NOT_IMPLEMENTED,
    Implementation.MINIMAL,
    Implementation.INTERMEDIATE,
    Implementation.FULL,
)

# (article, title, responsible actor, deadline or None, [(day, level, note)]): the articles
# and their titles are the agreement's; deadlines marked so in the text are the agreement's
# own, the others None; every assessment is an exercise assessment.
LOME = [
    (
        "Art. I-II",
        "Cessation of hostilities and ceasefire",
        "Government of Sierra Leone; RUF/SL; Ceasefire Monitoring Committee",
        d(1999, 7, 7),
        [
            (d(1999, 9, 30), MIN, "Ceasefire broadly holding, violations reported in the north and east."),
            (d(2000, 5, 31), N, "Fighting resumed in May 2000; UNAMSIL peacekeepers held by the RUF."),
            (d(2001, 5, 31), INT, "Abuja ceasefire review; violations falling."),
            (d(2002, 1, 31), FULL, "War declared over on 18 January 2002."),
        ],
    ),
    (
        "Art. III",
        "Transformation of the RUF/SL into a political party",
        "RUF/SL; Government of Sierra Leone",
        None,
        [
            (d(2000, 6, 30), N, "No registration while fighting continued."),
            (d(2001, 12, 31), MIN, "Registration under way."),
            (d(2002, 5, 14), FULL, "RUF Party took part in the May 2002 elections."),
        ],
    ),
    (
        "Art. VI",
        "Commission for the Consolidation of Peace",
        "Government of Sierra Leone; RUF/SL; civil society",
        None,
        [
            (d(1999, 12, 31), MIN, "Commission set up, limited activity."),
            (d(2001, 6, 30), INT, "Commission meeting regularly."),
        ],
    ),
    (
        "Art. VIII",
        "Council of Elders and Religious Leaders",
        "Inter-Religious Council; traditional leaders",
        None,
        [(d(2000, 3, 31), INT, "Council mediating between the parties.")],
    ),
    (
        "Art. IX",
        "Pardon and amnesty",
        "Government of Sierra Leone",
        d(1999, 7, 7),
        [(d(1999, 7, 31), FULL, "Amnesty granted; the UN's reservation on international crimes noted.")],
    ),
    (
        "Art. XII",
        "National Electoral Commission",
        "Government of Sierra Leone; parliament",
        None,
        [
            (d(2000, 12, 31), MIN, "Commission reconstituted."),
            (d(2002, 5, 14), FULL, "Presidential and parliamentary elections held."),
        ],
    ),
    (
        "Art. XIII-XIV",
        "New mandate of ECOMOG and UNOMSIL (UN peacekeeping)",
        "ECOWAS; United Nations",
        None,
        [
            (d(1999, 10, 31), INT, "UNAMSIL established by resolution 1270 (22 October 1999)."),
            (d(2001, 3, 31), FULL, "UNAMSIL at authorised strength, deployed to the provinces."),
        ],
    ),
    (
        "Art. XVI",
        "Encampment, disarmament, demobilization and reintegration",
        "National Committee for DDR; UNAMSIL; RUF/SL; CDF",
        None,
        [
            (d(1999, 12, 31), MIN, "Reception centres open, few combatants disarmed."),
            (d(2000, 5, 31), N, "Programme halted by the May 2000 crisis."),
            (d(2001, 6, 30), INT, "Disarmament resumed district by district."),
            (d(2002, 1, 31), FULL, "Disarmament declared complete; reintegration continuing."),
        ],
    ),
    (
        "Art. XVII",
        "Restructuring and training of the Sierra Leone Armed Forces",
        "Government of Sierra Leone; international partners",
        None,
        [
            (d(2000, 12, 31), MIN, "Training programme started."),
            (d(2003, 12, 31), INT, "Restructured army deploying to the borders."),
        ],
    ),
    (
        "Art. XXI",
        "Release of prisoners and abductees",
        "RUF/SL; Government of Sierra Leone",
        None,
        [
            (d(1999, 12, 31), MIN, "Some abductees released."),
            (d(2002, 1, 31), INT, "Most children released through child protection agencies."),
        ],
    ),
    (
        "Art. XXV",
        "Human Rights Commission",
        "Government of Sierra Leone; parliament",
        None,
        [(d(2004, 12, 31), MIN, "Human Rights Commission Act passed.")],
    ),
    (
        "Art. XXVI",
        "Truth and Reconciliation Commission",
        "Government of Sierra Leone; parliament",
        d(1999, 10, 5),
        [
            (d(2000, 2, 29), MIN, "Truth and Reconciliation Commission Act passed."),
            (d(2002, 7, 31), INT, "Commission inaugurated; statement taking under way."),
            (d(2004, 10, 31), FULL, "Final report presented."),
        ],
    ),
    ("Art. XXIX", "Special Fund for War Victims", "Government of Sierra Leone", None, []),
    (
        "Art. XXX",
        "Child combatants",
        "Government of Sierra Leone; UNICEF; child protection agencies",
        None,
        [(d(2001, 12, 31), INT, "Children demobilised through the child protection track.")],
    ),
]
DEADLINE_NOTES = {"Art. XXVI": "Deadline: within 90 days of the signing (Art. XXVI)."}

PARTNERS = [  # name, kind, district, relationship, trust
    (
        "Paramount Chief, Nongowa chiefdom",
        Partner.Kind.LOCAL_LEADER,
        "Kenema",
        Partner.Relationship.ACTIVE,
        Partner.Trust.HIGH,
    ),
    (
        "Kenema District Women's Forum",
        Partner.Kind.WOMENS_GROUP,
        "Kenema",
        Partner.Relationship.ACTIVE,
        Partner.Trust.HIGH,
    ),
    (
        "Kailahun Youth Council",
        Partner.Kind.YOUTH_GROUP,
        "Kailahun",
        Partner.Relationship.OCCASIONAL,
        Partner.Trust.MEDIUM,
    ),
    (
        "Kono District Council of Imams and Pastors",
        Partner.Kind.RELIGIOUS_LEADER,
        "Kono",
        Partner.Relationship.ACTIVE,
        Partner.Trust.MEDIUM,
    ),
    (
        "Kono diamond miners' association",
        Partner.Kind.CIVIL_SOCIETY,
        "Kono",
        Partner.Relationship.STRAINED,
        Partner.Trust.LOW,
    ),
    (
        "Bombali district officer",
        Partner.Kind.LOCAL_AUTHORITY,
        "Bombali",
        Partner.Relationship.ACTIVE,
        Partner.Trust.MEDIUM,
    ),
    (
        "Port Loko civil society network",
        Partner.Kind.CIVIL_SOCIETY,
        "Port Loko",
        Partner.Relationship.OCCASIONAL,
        Partner.Trust.MEDIUM,
    ),
    ("Bo community radio", Partner.Kind.MEDIA, "Bo", Partner.Relationship.ACTIVE, Partner.Trust.HIGH),
]
ENGAGEMENTS = [  # day, kind, district, title, topics, partner indexes, commitments
    (
        d(2000, 11, 14),
        Engagement.Kind.TOWN_HALL,
        "Kenema",
        "Town hall on the return of displaced families",
        "returns, security, land",
        [0, 1],
        [("Patrols on the Kenema-Daru road twice a week", "UNAMSIL", d(2000, 12, 31), Commitment.Status.DONE)],
    ),
    (
        d(2001, 2, 8),
        Engagement.Kind.DIALOGUE,
        "Kailahun",
        "Dialogue with youth on disarmament",
        "DDR, jobs",
        [2],
        [
            (
                "Youth council to list members ready to disarm",
                "Kailahun Youth Council",
                d(2001, 3, 15),
                Commitment.Status.IN_PROGRESS,
            )
        ],
    ),
    (
        d(2001, 5, 22),
        Engagement.Kind.JOINT_PROTECTION_TEAM,
        "Kono",
        "Joint protection team in Koidu",
        "mining, protection, returns",
        [3, 4],
        [
            (
                "Meeting between miners and chiefdom authorities",
                "UNAMSIL Civil Affairs",
                d(2001, 6, 30),
                Commitment.Status.OPEN,
            )
        ],
    ),
    (
        d(2001, 7, 3),
        Engagement.Kind.MEETING,
        "Bombali",
        "Meeting with the district officer in Makeni",
        "administration, returns",
        [5],
        [],
    ),
    (
        d(2001, 9, 18),
        Engagement.Kind.TOWN_HALL,
        "Bo",
        "Radio town hall on the elections",
        "elections, reconciliation",
        [7],
        [("Monthly programme on the peace process", "Bo community radio", d(2001, 10, 31), Commitment.Status.DONE)],
    ),
    (
        d(2002, 2, 12),
        Engagement.Kind.DIALOGUE,
        "Kono",
        "Follow-up dialogue on the Koidu mining dispute",
        "mining, land",
        [4],
        [],
    ),
]
ALERTS = [  # received, category, district, text, status
    (
        datetime.datetime(2000, 10, 2, 9, 30),
        CommunityAlert.Category.ARMED_MOVEMENT,
        "Kailahun",
        "Armed men seen moving towards Pendembu at dawn.",
        CommunityAlert.Status.ACKNOWLEDGED,
    ),
    (
        datetime.datetime(2001, 1, 15, 18, 5),
        CommunityAlert.Category.THREAT,
        "Kono",
        "Threats against returning families near Koidu.",
        CommunityAlert.Status.ACKNOWLEDGED,
    ),
    (
        datetime.datetime(2001, 3, 9, 7, 45),
        CommunityAlert.Category.ATTACK,
        "Tonkolili",
        "Village near Magburaka attacked overnight, houses burnt.",
        CommunityAlert.Status.INCIDENT,
    ),
    (
        datetime.datetime(2001, 4, 21, 14, 10),
        CommunityAlert.Category.ABDUCTION,
        "Port Loko",
        "Two girls taken from a farm by armed men.",
        CommunityAlert.Status.NEW,
    ),
    (
        datetime.datetime(2001, 6, 2, 11, 0),
        CommunityAlert.Category.TENSION,
        "Bo",
        "Dispute over market fees getting heated.",
        CommunityAlert.Status.DISMISSED,
    ),
    (
        datetime.datetime(2001, 8, 28, 20, 30),
        CommunityAlert.Category.THREAT,
        "Kenema",
        "Rumours of reprisals after a theft.",
        CommunityAlert.Status.NEW,
    ),
]


def _users():
    User = get_user_model()
    return User.objects.filter(username="civilaffairs").first(), User.objects.filter(username="admin").first()


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment, datetime.UTC)


@transaction.atomic
def load(progress=print) -> None:
    mission = Mission.objects.filter(acronym="UNAMSIL").first()
    districts = {p.name: p for p in Place.objects.filter(kind=Place.Kind.ADM2, country__name="Sierra Leone")}
    if mission is None or not districts:
        return
    officer, admin = _users()
    rng = random.Random(1999)

    partners = []
    for k, (name, kind, district, relationship, trust) in enumerate(PARTNERS):
        if district not in districts:
            continue
        partner = Partner.objects.create(
            mission=mission,
            name=name + EX,
            kind=kind,
            place=districts[district],
            relationship=relationship,
            trust=trust,
            focal_point=officer,
            last_contact=d(2001, 9, 1) + datetime.timedelta(days=7 * k),
            sharing=Sharing.PUBLIC if k % 2 else Sharing.MISSION,
            exercise=True,
            created_by=officer,
            notes="Exercise data: a made-up partner for the demo.",
        )
        PartnerContact.objects.create(
            partner=partner,
            full_name=f"Exercise contact {k + 1}",
            position="Focal point (exercise)",
            phone=f"+232 76 000 {k + 1:03d}",
            email=f"contact{k + 1}@example.org",
        )
        partners.append(partner)

    for day, kind, district, title, topics, partner_ix, commitments in ENGAGEMENTS:
        if district not in districts:
            continue
        engagement = Engagement.objects.create(
            mission=mission,
            kind=kind,
            held_on=day,
            place=districts[district],
            title=title + EX,
            topics=topics,
            summary="Exercise data: made up for the demo.",
            women=rng.randint(5, 40),
            men=rng.randint(5, 40),
            young_women=rng.randint(0, 15),
            young_men=rng.randint(0, 20),
            girls=rng.randint(0, 5),
            boys=rng.randint(0, 5),
            exercise=True,
            created_by=officer,
        )
        engagement.partners.set([partners[i] for i in partner_ix if i < len(partners)])
        for text, made_by, due, status in commitments:
            Commitment.objects.create(engagement=engagement, text=text + EX, made_by=made_by, due=due, status=status)

    attack_type = IncidentType.objects.filter(mission=mission, code="attack-on-civilians").first()
    for k, (received, category, district, text, status) in enumerate(ALERTS):
        if district not in districts:
            continue
        alert = CommunityAlert.objects.create(
            mission=mission,
            received_at=_aware(received),
            channel=CommunityAlert.Channel.SMS if k % 2 else CommunityAlert.Channel.PHONE,
            category=category,
            place=districts[district],
            text="Exercise data: " + text,
            sender=f"+232 77 100 {k + 1:03d}",
            sensitivity=Sensitivity.AMBER if k % 3 else Sensitivity.GREEN,
            exercise=True,
            created_by=officer,
            partner=next((p for p in partners if p.place_id == districts[district].pk), None),
        )
        if status == CommunityAlert.Status.ACKNOWLEDGED:
            cases.acknowledge_alert(officer, alert, "Exercise: passed to the team site.")
        elif status == CommunityAlert.Status.DISMISSED:
            cases.dismiss_alert(officer, alert, "Exercise: settled by the chiefdom authorities.")
        elif status == CommunityAlert.Status.INCIDENT and attack_type is not None and officer is not None:
            submission = cases.alert_to_incident(
                officer,
                alert,
                {
                    "type": attack_type,
                    "occurred_at": _aware(received) - datetime.timedelta(hours=6),
                    "date_precision": Incident.DatePrecision.DAY,
                    "place": districts[district],
                    "narrative": "EXERCISE DATA (made up for the demo, not a real event): " + text,
                    "reliability": "C",
                    "credibility": 3,
                    "sharing": Sharing.MISSION,
                },
            )
            if not submission.ok:
                progress(
                    f"{'civilaffairs':<20} exercise alert {alert.pk} not turned into an incident: {submission.errors}"
                )

    grievances = [
        (
            d(2001, 4, 3),
            Grievance.Against.MISSION,
            "UNAMSIL contingent vehicle",
            "Kenema",
            "A farm fence was damaged by a patrol vehicle.",
            [
                (d(2001, 4, 5), Grievance.Status.ASSIGNED, "Assigned to the civil affairs officer."),
                (d(2001, 4, 20), Grievance.Status.RESOLVED, "Fence repaired by the contingent; farmer satisfied."),
            ],
        ),
        (
            d(2001, 6, 11),
            Grievance.Against.ARMED_GROUP,
            "Former fighters",
            "Kono",
            "Former fighters occupy a family's mining plot.",
            [(d(2001, 6, 14), Grievance.Status.INVESTIGATING, "Visit planned with the chiefdom authorities.")],
        ),
        (
            d(2001, 8, 1),
            Grievance.Against.LOCAL_AUTHORITY,
            "Chiefdom tax collectors",
            "Bo",
            "Market women charged twice for the same fee.",
            [],
        ),
    ]
    for received, against, detail, district, summary, steps in grievances:
        if district not in districts:
            continue
        grievance = Grievance.objects.create(
            mission=mission,
            received_on=received,
            against=against,
            against_detail=detail + EX,
            place=districts[district],
            summary="Exercise data: " + summary,
            complainant="Exercise complainant",
            exercise=True,
            created_by=officer,
        )
        GrievanceEvent.objects.create(
            grievance=grievance, on=received, status=Grievance.Status.RECEIVED, by=officer, note="Grievance received."
        )
        for day, status, note in steps:
            cases.move_grievance(
                officer,
                grievance,
                status,
                day,
                "Exercise: " + note,
                assigned_to=officer if status == Grievance.Status.ASSIGNED else None,
            )

    if "Kono" in districts:
        process = MediationProcess.objects.create(
            mission=mission,
            title="Koidu mining land dispute" + EX,
            place=districts["Kono"],
            parties="Kono diamond miners' association (exercise)\nLandowning families of Koidu (exercise)",
            mediators="UNAMSIL Civil Affairs\nKono District Council of Imams and Pastors (exercise)",
            topics="mining plots, land tenure, youth employment",
            started_on=d(2001, 5, 22),
            ended_on=d(2001, 9, 30),
            status=MediationProcess.Status.AGREEMENT,
            outcome="Exercise data: a local agreement on plot allocation.",
            exercise=True,
            created_by=officer,
        )
        for day, venue, topics in (
            (d(2001, 6, 12), "Koidu town hall", "plot boundaries"),
            (d(2001, 7, 24), "Koidu mosque", "compensation"),
            (d(2001, 9, 30), "Koidu town hall", "signing"),
        ):
            MediationSession.objects.create(
                process=process, held_on=day, venue=venue + EX, topics=topics, outcome="Exercise data."
            )
        local = PeaceAgreement.objects.create(
            mission=mission,
            kind=PeaceAgreement.Kind.LOCAL,
            title="Koidu mining plots agreement" + EX,
            signed_on=d(2001, 9, 30),
            place=districts["Kono"],
            parties=process.parties,
            mediation=process,
            summary="Exercise data: made up for the demo.",
            exercise=True,
        )
        for order, (ref, title, who, deadline, level) in enumerate(
            (
                ("1", "Plot register kept by the chiefdom", "Chiefdom authorities", d(2001, 12, 31), FULL),
                ("2", "Youth employed on the reopened plots", "Miners' association", d(2002, 3, 31), MIN),
            )
        ):
            provision = Provision.objects.create(
                agreement=local, reference=ref, title=title, responsible=who, deadline=deadline, order=order
            )
            cases.assess_provision(officer, provision, level, d(2002, 4, 30), "Exercise assessment.", exercise=True)

    lome = PeaceAgreement.objects.create(
        mission=mission,
        kind=PeaceAgreement.Kind.PEACE,
        signed_on=d(1999, 7, 7),
        title="Peace Agreement between the Government of Sierra Leone and the Revolutionary United Front of Sierra Leone (Lomé Peace Agreement)",
        parties="Government of Sierra Leone\nRevolutionary United Front of Sierra Leone (RUF/SL)",
        summary="Signed at Lomé, Togo, on 7 July 1999. The provisions below are its main articles; every implementation status on them is an "
        "exercise assessment made up for the demo, not an evaluation.",
        source="UN Peacemaker, Peace Agreement Database (S/1999/777)",
        sharing=Sharing.PUBLIC,
    )
    for order, (ref, title, who, deadline, assessments) in enumerate(LOME):
        provision = Provision.objects.create(
            agreement=lome,
            reference=ref,
            title=title,
            responsible=who,
            deadline=deadline,
            order=order,
            text=DEADLINE_NOTES.get(ref, ""),
        )
        for day, level, note in assessments:
            cases.assess_provision(officer, provision, level, day, "Exercise assessment: " + note, exercise=True)

    survey = Survey.objects.create(
        mission=mission,
        name="Exercise perception survey 2001",
        trust_question="grp_trust/trust_mission",
        security_question="grp_security/feel_safe",
    )
    responses = []
    for k in range(240):
        district = rng.choice([n for n in ("Kenema", "Kono", "Bo", "Bombali") if n in districts])
        quarter = rng.choice((d(2001, 2, 15), d(2001, 5, 15), d(2001, 8, 15), d(2001, 11, 15)))
        improving = (quarter.month - 1) / 12
        trust = None if rng.random() < 0.08 else rng.random() < 0.45 + improving * 0.4
        security = None if rng.random() < 0.05 else rng.random() < 0.35 + improving * 0.5
        responses.append(
            SurveyResponse(
                survey=survey,
                uuid=f"exercise-{k:04d}",
                place=districts[district],
                answered_on=quarter,
                trust=trust,
                security=security,
                trust_answer="" if trust is None else ("yes" if trust else "no"),
                security_answer="" if security is None else ("yes" if security else "no"),
            )
        )
    SurveyResponse.objects.bulk_create(responses)
    progress(
        f"{'civilaffairs':<20} UNAMSIL: {len(partners)} partners, {Engagement.objects.filter(mission=mission).count()} engagements, "
        f"{CommunityAlert.objects.filter(mission=mission).count()} alerts, the Lomé agreement ({len(LOME)} provisions); exercise data"
    )
