"""Observer checklists (configurable per election and phase), reports, and what the
election-day dashboard shows of them."""

from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext_noop

from .models import ChecklistQuestion, Election, ObserverAnswer, ObserverReport, Phase

# (phase, question, answer kind, expected yes/no): the starting checklist, edited per election.
DEFAULT_QUESTIONS = [
    (Phase.OPENING, gettext_noop("Did the station open on time?"), "yes_no", True),
    (Phase.OPENING, gettext_noop("Was the ballot box shown empty and sealed before voting?"), "yes_no", True),
    (
        Phase.OPENING,
        gettext_noop("Were all essential materials present (register, ballots, ink, screens)?"),
        "yes_no",
        True,
    ),
    (Phase.OPENING, gettext_noop("Were security personnel present outside the station?"), "yes_no", True),
    (Phase.VOTING, gettext_noop("Were voters checked against the register and inked?"), "yes_no", True),
    (Phase.VOTING, gettext_noop("Was the secrecy of the vote respected?"), "yes_no", True),
    (Phase.VOTING, gettext_noop("Was there intimidation of voters in or near the station?"), "yes_no", False),
    (Phase.VOTING, gettext_noop("Voters in the queue at the time of the visit"), "number", None),
    (Phase.COUNTING, gettext_noop("Was the count held in the station, in public?"), "yes_no", True),
    (Phase.COUNTING, gettext_noop("Could party agents and observers follow the count?"), "yes_no", True),
    (Phase.COUNTING, gettext_noop("Was the results form signed and posted at the station?"), "yes_no", True),
    (Phase.COUNTING, gettext_noop("Ballots found in the box"), "number", None),
]


def seed_questions(election: Election) -> int:
    if election.questions.exists():
        return 0
    ChecklistQuestion.objects.bulk_create(
        [
            ChecklistQuestion(election=election, phase=phase, order=k, text=text, answer=answer, expected=expected)
            for k, (phase, text, answer, expected) in enumerate(DEFAULT_QUESTIONS)
        ]
    )
    return len(DEFAULT_QUESTIONS)


def is_flagged(question: ChecklistQuestion, value: str) -> bool:
    if question.answer != ChecklistQuestion.Answer.YES_NO or question.expected is None:
        return False
    return (value == "yes") != question.expected


@transaction.atomic
def submit(
    user, round_, station, phase: str, team: str, notes: str, answers: dict[ChecklistQuestion, str]
) -> ObserverReport:
    flagged = {q: is_flagged(q, v) for q, v in answers.items()}
    report = ObserverReport.objects.create(
        round=round_,
        station=station,
        phase=phase,
        team=team,
        notes=notes,
        submitted_by=user if user.is_authenticated else None,
        problems=sum(flagged.values()),
    )
    ObserverAnswer.objects.bulk_create(
        [
            ObserverAnswer(report=report, question=q, value=str(v), flagged=flagged[q])
            for q, v in answers.items()
            if v not in (None, "")
        ]
    )
    return report


def dashboard(round_) -> dict:
    """Counts per phase and the latest reports, for the election-day dashboard."""
    reports = ObserverReport.objects.filter(round=round_)
    per_phase = {
        row["phase"]: row
        for row in reports.values("phase").annotate(
            reports=Count("pk"), stations=Count("station", distinct=True), problems=Sum("problems")
        )
    }
    phases = [
        {"phase": value, "label": label, **per_phase.get(value, {"reports": 0, "stations": 0, "problems": 0})}
        for value, label in Phase.choices
    ]
    latest = list(reports.select_related("station__centre").prefetch_related("answers__question")[:20])
    flagged = (
        ObserverAnswer.objects.filter(report__round=round_, flagged=True)
        .values("question__text")
        .annotate(n=Count("pk"))
        .order_by("-n")[:10]
    )
    return {"phases": phases, "latest": latest, "flagged": list(flagged)}
