"""Elections demo: the Sierra Leone general election of 14 May 2002 (a real election, held
with UNAMSIL's support) in the real districts, with EXERCISE DATA for everything below it:
polling centres and stations, registered voters, pre-election incidents, training,
voter education, observer checklists and station results are made up, and say so. The
station risk is computed and a security plan made with the units Geo-PKO shows in May 2002.
"""

import csv
import datetime
import random
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point, shape

from bluehelmet.core.models import Mission, Organization, Place, Sharing
from bluehelmet.incidents.demo import date_records_as_of_their_incidents
from bluehelmet.incidents.models import IncidentType, Source

from . import observers, results, risk, security
from .incidents import report_election_incident
from .models import (
    ChecklistQuestion,
    Election,
    ObserverDeployment,
    ObserverReport,
    OfficialTraining,
    Phase,
    PollingCentre,
    PollingStation,
    Round,
    VoterEducationEvent,
)

EXERCISE = "EXERCISE DATA (made up for the demo): "
POLLING_DAY = datetime.date(2002, 5, 14)
CENTRES_PER_DISTRICT = 3
CANDIDATES = ["Candidate A (exercise)", "Candidate B (exercise)", "Candidate C (exercise)", "Candidate D (exercise)"]
ACCESS = [
    (PollingCentre.Access.ROAD, 0.5),
    (PollingCentre.Access.SEASONAL, 0.25),
    (PollingCentre.Access.DIFFICULT, 0.15),
    (PollingCentre.Access.FOOT, 0.1),
]
# Exercise pre-election incidents: (district, days before polling day, type, narrative).
INCIDENTS = [
    ("Kono", 40, "election-violence", "Youths attacked a party rally; stones thrown, two injured."),
    ("Kono", 12, "election-violence", "Campaign posters burnt and a party office attacked."),
    ("Kailahun", 30, "armed-clash", "Exchange of fire between ex-combatants near the border."),
    ("Kailahun", 9, "election-violence", "Voter cards seized from villagers by armed men."),
    ("Kenema", 21, "demonstration-riot", "Demonstration outside the electoral office turned violent."),
    ("Bombali", 15, "election-violence", "Clash between supporters of two parties after a rally."),
    ("Western Area Urban", 5, "demonstration-riot", "Peaceful march, then scuffles with police."),
]


def _random_point(rng, geometry) -> tuple[float, float]:
    polygon = shape(geometry)
    min_x, min_y, max_x, max_y = polygon.bounds
    for _attempt in range(200):
        x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
        if polygon.contains(Point(x, y)):
            return y, x
    point = polygon.representative_point()
    return point.y, point.x


def _planner():
    """An unsaved superuser: the demo plans with the whole mission in view, and the plan
    records no author."""
    return get_user_model()(username="demo-planner", is_superuser=True)


def _stations(rng, mission, districts) -> list[PollingStation]:
    stations = []
    for d, district in enumerate(sorted(districts, key=lambda p: p.name)):
        for c in range(CENTRES_PER_DISTRICT):
            lat, lon = _random_point(rng, district.geometry)
            access = rng.choices([a for a, _w in ACCESS], weights=[w for _a, w in ACCESS])[0]
            centre = PollingCentre.objects.create(
                mission=mission,
                code=f"EX-{d + 1:02d}{c + 1:02d}",
                name=f"{district.name} exercise centre {c + 1}",
                place=district,
                latitude=round(lat, 5),
                longitude=round(lon, 5),
                access=access,
                exercise=True,
            )
            for s in range(rng.randrange(2, 4)):
                stations.append(
                    PollingStation(
                        centre=centre,
                        code=f"{centre.code}-{s + 1}",
                        registered_voters=rng.randrange(300, 800),
                        accessible=rng.random() < 0.4,
                    )
                )
    PollingStation.objects.bulk_create(stations)
    return list(PollingStation.objects.filter(centre__mission=mission).select_related("centre"))


def _incidents(rng, round_, stations) -> int:
    types = set(IncidentType.objects.filter(mission=round_.election.mission).values_list("code", flat=True))
    made = 0
    for district, days, kind, narrative in INCIDENTS:
        candidates = [s for s in stations if s.centre.place.name == district]
        if not candidates or kind not in types:
            continue
        station = rng.choice(candidates)
        when = timezone.make_aware(
            datetime.datetime.combine(POLLING_DAY - datetime.timedelta(days=days), datetime.time(11, 0))
        )
        outcome = report_election_incident(
            AnonymousUser(),
            round_,
            station,
            {
                "type": kind,
                "occurred_at": when.isoformat(),
                "date_precision": "time",
                "narrative": EXERCISE + narrative,
                "sharing": Sharing.MISSION,
                "source-kind": Source.Kind.UN_PERSONNEL,
                "source-description": "exercise patrol report",
                "source-identity": "Fictitious patrol, exercise only",
                "source-reliability": "B",
                "source-credibility": 2,
            },
        )
        if not outcome.ok:
            raise ValueError(f"demo election incident refused: {outcome.errors}")
        date_records_as_of_their_incidents([outcome.incident])
        made += 1
    return made


def _preparation(rng, election, districts) -> None:
    nec = Organization.objects.get_or_create(
        key="demo:nec-exercise",
        defaults={"name": "National Electoral Commission (exercise record)", "kind": Organization.Kind.GOVERNMENT},
    )[0]
    for district in districts:
        for course in (OfficialTraining.Course.PRESIDING, OfficialTraining.Course.POLLING):
            people = rng.randrange(20, 80)
            OfficialTraining.objects.create(
                election=election,
                course=course,
                place=district,
                date=POLLING_DAY - datetime.timedelta(days=rng.randrange(20, 45)),
                trainer="Exercise trainers (NEC with UNAMSIL electoral unit)",
                participants=people,
                women=rng.randrange(0, people // 2),
            )
        VoterEducationEvent.objects.create(
            election=election,
            kind=rng.choice(VoterEducationEvent.Kind.values),
            place=district,
            date=POLLING_DAY - datetime.timedelta(days=rng.randrange(10, 60)),
            organiser=nec,
            audience=rng.randrange(100, 2000),
            notes=EXERCISE + "voter education session",
        )


CHECKLIST_TIMES = {
    Phase.OPENING: datetime.datetime(2000, 1, 1, 7, 30),
    Phase.VOTING: datetime.datetime(2000, 1, 1, 12, 0),
}


def _observer_reports(rng, round_, stations) -> int:
    questions = {
        phase: list(ChecklistQuestion.objects.filter(election=round_.election, phase=phase, active=True))
        for phase in Phase.values
    }
    chosen = rng.sample(stations, min(12, len(stations)))
    for k, station in enumerate(chosen):
        team = f"Exercise observer team {k % 4 + 1}"
        ObserverDeployment.objects.create(round=round_, station=station, team=team)
        for phase in (Phase.OPENING, Phase.VOTING):
            answers = {}
            for q in questions[phase]:
                if q.answer == ChecklistQuestion.Answer.NUMBER:
                    answers[q] = rng.randrange(0, 120)
                else:
                    proper = rng.random() > 0.12
                    answers[q] = "yes" if proper == bool(q.expected) else "no"
            report = observers.submit(
                AnonymousUser(), round_, station, phase, team, EXERCISE + "checklist of the demo", answers
            )
            # Sent on polling day (not the day the demo ran): opening at 07:30, voting at noon.
            sent = CHECKLIST_TIMES[phase] + datetime.timedelta(minutes=rng.randrange(0, 60))
            ObserverReport.objects.filter(pk=report.pk).update(
                submitted_at=timezone.make_aware(datetime.datetime.combine(round_.date, sent.time()))
            )
    return len(chosen)


def _results_file(rng, stations, folder: Path) -> Path:
    path = folder / "exercise_results_2002_round1.csv"
    odd = set(rng.sample(range(len(stations)), 3))
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["station_code", "registered_voters", "ballots_cast", "invalid_votes", *CANDIDATES])
        for k, s in enumerate(stations):
            turnout = min(rng.gauss(0.8, 0.07), 0.98)
            ballots = int(s.registered_voters * turnout)
            if k in odd:  # exercise anomalies: more ballots than registered voters
                ballots = s.registered_voters + rng.randrange(5, 60)
            invalid = int(ballots * rng.uniform(0.02, 0.06))
            valid = ballots - invalid
            shares = [rng.gammavariate(a, 1) for a in (7, 2.5, 1, 0.6)]
            votes = [int(valid * x / sum(shares)) for x in shares]
            votes[0] += valid - sum(votes)
            writer.writerow([s.code, s.registered_voters, ballots, invalid, *votes])
    return path


@transaction.atomic
def load(progress=print) -> None:
    mission = Mission.objects.filter(acronym="UNAMSIL").first()
    districts = list(Place.objects.filter(kind=Place.Kind.ADM2, country__name="Sierra Leone", geometry__isnull=False))
    if mission is None or not districts:
        return
    rng = random.Random(20020514)
    election = Election.objects.create(
        mission=mission,
        name="Sierra Leone general election 2002",
        kind=Election.Kind.GENERAL,
        sharing=Sharing.PUBLIC,
        description="Presidential and parliamentary elections held on 14 May 2002 with UNAMSIL's support (a real election). "
        "Polling centres, stations, registered voters, incidents, observer reports, training and results recorded here are "
        "EXERCISE DATA made up for the demo, not the real figures.",
    )
    round_ = Round.objects.create(election=election, number=1, date=POLLING_DAY, label="Polling day")
    stations = _stations(rng, mission, districts)
    incidents = _incidents(rng, round_, stations)
    _preparation(rng, election, districts)
    observers.seed_questions(election)
    observed = _observer_reports(rng, round_, stations)
    risk.compute_station_risk(round_)
    plan = security.run_security_plan(_planner(), round_, security.PlanParameters())
    with tempfile.TemporaryDirectory() as folder:
        summary = results.import_results(round_, _results_file(rng, stations, Path(folder)))
    progress(
        f"{'elections':<20} 2002 election: {len(stations)} exercise stations, {incidents} exercise incidents, {observed} observed stations, "
        f"plan {plan.status if plan else 'not made (no units posted)'}, {summary.rows} exercise results"
    )
