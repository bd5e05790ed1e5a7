"""The civil affairs part of the inbox (civilaffairs/inbox.py): grievances assigned to me and
still in hand, under their label."""

import datetime

from bluehelmet.civilaffairs import cases
from bluehelmet.civilaffairs.models import Grievance
from bluehelmet.core import inbox


def grievances_for(user):
    source = next(s for s in inbox.sources() if s.name == "civilaffairs.grievances")
    accesses = inbox.accesses(user)
    return source.items(user, accesses, 10), source.count(user, accesses)


def test_grievances_assigned_to_me_in_hand_and_within_my_labels(ca):
    officer = ca.users["civil_affairs"]
    day = datetime.date(2001, 4, 3)
    grievance = Grievance.objects.create(
        mission=ca.mission, received_on=day, against=Grievance.Against.MISSION, place=ca.kenema, summary="Fence."
    )
    cases.move_grievance(officer, grievance, Grievance.Status.ASSIGNED, day, "assigned", assigned_to=officer)
    items, count = grievances_for(officer)
    assert count == 1 and items[0].url.endswith(f"/grievances/{grievance.pk}/") and items[0].sensitivity == "amber"
    # RED is above a civil affairs officer's labels: not shown, not counted.
    Grievance.objects.filter(pk=grievance.pk).update(sensitivity="red")
    assert grievances_for(officer) == ([], 0)
    Grievance.objects.filter(pk=grievance.pk).update(sensitivity="amber")
    cases.move_grievance(officer, grievance, Grievance.Status.RESOLVED, day, "repaired")
    assert grievances_for(officer) == ([], 0)
    assert grievances_for(ca.users["partner"]) == ([], 0)
