"""The forces part of the inbox (forces/inbox.py): awards awaiting a decision, only for those
who decide them, without the person's name (personal data stays on the recognition page)."""

from bluehelmet.core import inbox
from bluehelmet.core.models import Role
from bluehelmet.forces.models import Award
from bluehelmet.forces.recognition import decide_award


def awards_for(user):
    source = next(s for s in inbox.sources() if s.name == "forces.awards")
    accesses = inbox.accesses(user)
    return source.items(user, accesses, 10), source.count(user, accesses)


def test_awards_awaiting_a_decision_reach_only_those_who_decide(people, users):
    award = Award.objects.create(person=people["commander"], kind=Award.Kind.COMMENDATION)
    items, count = awards_for(users[Role.ADMINISTRATOR])
    assert count == 1 and items[0].title == f"Commendation #{award.pk}"
    assert items[0].url == "/missions/UNAMSIL/forces/recognition/#awards"
    assert "Nigeria contingent, Freetown" in items[0].what and people["commander"].name not in items[0].what
    for role in (Role.ANALYST, Role.REPORTER, Role.PARTNER):
        assert awards_for(users[role]) == ([], 0)
    decide_award(award, users[Role.ADMINISTRATOR], True, "")  # endorsed: still awaits approval
    assert awards_for(users[Role.ADMINISTRATOR])[1] == 1
    decide_award(award, users[Role.ADMINISTRATOR], True, "")  # approved: decided
    assert awards_for(users[Role.ADMINISTRATOR]) == ([], 0)
