"""Demo records for situational awareness: the incident taxonomy of the demo missions, the
Lomé Peace Agreement with an exercise buffer zone, one alert rule of each kind, and a
handful of exercise incidents. Everything made up here says so in its text."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from bluehelmet.core.demo import DEMO_MISSIONS, demo_actor, exercise_moment
from bluehelmet.core.models import Mission, Organization, Sharing
from bluehelmet.core.sensitivity import Sensitivity

from . import checks
from .ceasefires import zone_geometry
from .models import Agreement, AlertRule, Incident, IncidentType, MonitoredZone, Source
from .reports import submit_report
from .taxonomy import seed_types

EXERCISE = "EXERCISE DATA (made up for the demo, not a real event): "
# A square around Makeni drawn for the exercise; the Lomé agreement had no such zone.
EXERCISE_ZONE = {
    "type": "Polygon",
    "coordinates": [[[-12.3, 8.65], [-11.8, 8.65], [-11.8, 9.1], [-12.3, 9.1], [-12.3, 8.65]]],
}
LOME_PROVISIONS = (
    "Peace Agreement between the Government of Sierra Leone and the Revolutionary United Front of Sierra Leone, "
    "signed at Lomé on 7 July 1999. Among its provisions: a permanent cessation of hostilities, the disarmament, "
    "demobilization and reintegration of combatants, the transformation of the RUF into a political party, and an amnesty."
)


REPORTING_DELAY = datetime.timedelta(hours=2)


def date_records_as_of_their_incidents(incidents) -> None:
    """Demo reports are filed now about days in a mission's past: date each as reported
    REPORTING_DELAY after it occurred, with its sources and history entries, and the alerts it
    raised (and their notices) when their latest incident was reported, so no demo record of a
    mission that ended long ago is dated today."""
    from django.db.models import Max, Q

    from .models import Alert, IncidentHistory, Notification

    for incident in incidents:
        reported = incident.occurred_at + REPORTING_DELAY
        Incident.objects.filter(pk=incident.pk).update(reported_at=reported, updated_at=reported)
        Source.objects.filter(incident=incident).update(added_at=reported)
        IncidentHistory.objects.filter(incident=incident, alert__isnull=True).update(at=reported)
    alerts = Alert.objects.filter(Q(incident__in=incidents) | Q(incidents__in=incidents)).distinct()
    for alert in alerts.annotate(latest=Max("incidents__occurred_at")):
        raised = max(filter(None, [alert.latest, alert.incident.occurred_at if alert.incident else None]))
        raised += REPORTING_DELAY
        Alert.objects.filter(pk=alert.pk).update(created_at=raised)
        Notification.objects.filter(alert=alert).update(created_at=raised)
        IncidentHistory.objects.filter(alert=alert).update(at=raised)


def _exercise_reports(now: datetime.datetime, ruf: Organization, government: Organization) -> list[dict]:
    source = {
        "kind": Source.Kind.UN_PERSONNEL,
        "description": "exercise patrol",
        "identity": "Exercise patrol leader (fictitious)",
        "reliability": "B",
        "credibility": 2,
    }
    witness = {
        "kind": Source.Kind.WITNESS,
        "description": "exercise witness",
        "identity": "Fictitious witness, exercise only",
        "reliability": "C",
        "credibility": 3,
    }
    return [
        {
            "type": "ceasefire-violation",
            "hours_ago": 30,
            "latitude": 8.88,
            "longitude": -12.05,
            "place": "Makeni (exercise)",
            "narrative": "Shots exchanged across the exercise buffer zone.",
            "perpetrators": [ruf.pk],
            "casualties": [("injured", "combatant", 2)],
            "sources": [source],
        },
        {
            "type": "attack-on-civilians",
            "hours_ago": 52,
            "latitude": 7.88,
            "longitude": -11.19,
            "place": "Kenema (exercise)",
            "narrative": "Armed men looted a market.",
            "perpetrators": [ruf.pk],
            "casualties": [("killed", "civilian", 1), ("injured", "civilian", 4)],
            "sources": [witness],
        },
        {
            "type": "attack-on-civilians",
            "hours_ago": 49,
            "latitude": 7.90,
            "longitude": -11.17,
            "place": "Kenema (exercise)",
            "narrative": "Second account of the market looting.",
            "perpetrators": [ruf.pk],
            "casualties": [("killed", "civilian", 1)],
            "sources": [source],
            "sharing": Sharing.PUBLIC,
        },
        {
            "type": "demonstration-riot",
            "hours_ago": 8,
            "latitude": 8.48,
            "longitude": -13.23,
            "place": "Freetown (exercise)",
            "narrative": "Peaceful demonstration about fuel prices.",
            "perpetrators": [],
            "casualties": [],
            "sources": [witness],
            "sharing": Sharing.PUBLIC,
            "sensitivity": Sensitivity.CLEAR,
        },
        {
            "type": "explosive-hazard",
            "hours_ago": 75,
            "latitude": 7.96,
            "longitude": -11.74,
            "place": "Bo (exercise)",
            "narrative": "Unexploded ordnance found near a school.",
            "perpetrators": [],
            "casualties": [],
            "sources": [source],
        },
        {
            "type": "armed-clash",
            "hours_ago": 100,
            "latitude": 8.28,
            "longitude": -10.57,
            "place": "Kailahun (exercise)",
            "narrative": "Clash between government forces and RUF fighters.",
            "perpetrators": [government.pk, ruf.pk],
            "casualties": [("killed", "combatant", 6)],
            "sources": [source],
        },
    ]


@transaction.atomic
def load(progress=print) -> None:
    missions = list(Mission.objects.filter(acronym__in=DEMO_MISSIONS))
    for mission in missions:
        seed_types(mission)
    unamsil = next((m for m in missions if m.acronym == "UNAMSIL"), None)
    if unamsil is None:
        return
    sierra_leone = unamsil.host_countries.first()
    government = demo_actor(
        "actor:Government of Sierra Leone", "Government of Sierra Leone", "", Organization.Kind.GOVERNMENT, sierra_leone
    )
    ruf = demo_actor(
        "actor:RUF", "Revolutionary United Front (RUF)", "RUF", Organization.Kind.ARMED_GROUP, sierra_leone
    )
    lome = Agreement.objects.create(
        mission=unamsil,
        name="Lomé Peace Agreement",
        signed_on=datetime.date(1999, 7, 7),
        effective_from=datetime.date(1999, 7, 7),
        provisions=LOME_PROVISIONS,
        sharing=Sharing.PUBLIC,
    )
    lome.parties.set([government, ruf])
    MonitoredZone.objects.create(
        agreement=lome,
        name="Exercise buffer zone around Makeni (exercise, not a real zone)",
        kind=MonitoredZone.Kind.BUFFER,
        notes="Drawn for the demo exercise.",
        **zone_geometry(EXERCISE_ZONE),
    )
    types = {t.code: t for t in IncidentType.objects.filter(mission=unamsil)}
    rules = [
        AlertRule(
            mission=unamsil,
            name="Exercise: violence cluster (3 within 20 km in 48 h)",
            kind=AlertRule.Kind.CLUSTER,
            severity="high",
            min_count=3,
            radius_km=20,
            window_hours=48,
        ),
        AlertRule(
            mission=unamsil,
            name="Exercise: any incident in a monitored zone",
            kind=AlertRule.Kind.ZONE,
            severity="high",
        ),
        AlertRule(
            mission=unamsil,
            name="Exercise: 5 or more casualties",
            kind=AlertRule.Kind.CASUALTIES,
            severity="critical",
            casualty_threshold=5,
        ),
        AlertRule(
            mission=unamsil,
            name="Exercise: forecast risk of 50% or more",
            kind=AlertRule.Kind.RISK,
            severity="medium",
            risk_threshold=0.5,
        ),
    ]
    AlertRule.objects.bulk_create(rules)
    rules[0].incident_types.set([types["armed-clash"], types["attack-on-civilians"], types["ceasefire-violation"]])
    # The exercise happens in the mission's own period (core.demo.exercise_moment), not today.
    now = exercise_moment(unamsil)
    filed = []
    for report in _exercise_reports(now, ruf, government):
        data = {
            "type": report["type"],
            "occurred_at": (now - datetime.timedelta(hours=report["hours_ago"])).isoformat(),
            "date_precision": "time",
            "latitude": report["latitude"],
            "longitude": report["longitude"],
            "location_description": report["place"],
            "narrative": EXERCISE + report["narrative"],
            "perpetrators": report["perpetrators"],
            "sharing": report.get("sharing", Sharing.MISSION),
            "sensitivity": report.get("sensitivity", ""),  # unset: AMBER, or GREEN when shared
        }
        casualties = [
            {"kind": k, "group": g, "sex": "unknown", "age": "unknown", "count": n} for k, g, n in report["casualties"]
        ]
        outcome = submit_report(AnonymousUser(), unamsil, data, sources=report["sources"], casualties=casualties)
        if not outcome.ok:
            raise ValueError(f"demo report refused: {outcome.errors}")
        filed.append(outcome.incident)
    # The exercise shows its alerts and duplicate proposals at once: the checks that a job
    # runs after each report (incidents.checks) run here, unless that job already did.
    for incident in filed:
        checks.run(incident.pk)
    date_records_as_of_their_incidents(filed)
    progress(
        f"incidents: {len(types)} types per mission, the Lomé agreement with an exercise zone, {len(rules)} rules, exercise incidents"
    )
