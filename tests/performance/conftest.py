"""A small results framework on the shared Sierra Leone fixture."""

import datetime

import pytest
from django.utils import translation

from bluehelmet.core.models import Sharing
from bluehelmet.performance.models import Indicator, Lesson, Objective, Theme

d = datetime.date


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English; a page asked for in French must not leave the
    thread in French for the next test."""
    with translation.override("en"):
        yield


@pytest.fixture
def framework(sierra_leone, mission):
    objective = Objective.objects.create(mission=mission, code="O1", title="Protect civilians")
    outcome = objective.outcomes.create(code="OC1", title="Fewer civilians killed")
    output = outcome.outputs.create(code="OP1", title="Troops deployed")
    killed = Indicator.objects.create(
        output=output,
        code="POC-1",
        name="Civilians killed per month",
        formula="conflict_month_civilians_killed",
        frequency="month",
        start=d(1998, 10, 1),
        end=d(1999, 3, 1),
        baseline=48,
        target=0,
        sharing=Sharing.PUBLIC,
    )
    sites = Indicator.objects.create(
        output=output,
        code="FOR-2",
        name="Deployment sites",
        formula="deployment_sites",
        direction="increase",
        frequency="quarter",
        start=d(1999, 10, 1),
        end=d(2001, 3, 1),
        baseline=1,
        target=3,
    )
    ddr = Indicator.objects.create(
        output=output,
        code="DDR-1",
        name="DDR reintegration rate",
        formula="ddr_reintegration_rate",
        direction="increase",
        frequency="year",
        start=d(2001, 1, 1),
        end=d(2001, 12, 1),
        target=80,
    )
    manual = Indicator.objects.create(
        output=output,
        code="MAN-1",
        name="Patrols per week",
        method="manual",
        direction="increase",
        frequency="month",
        start=d(2001, 1, 1),
        end=d(2001, 6, 1),
        baseline=10,
        target=20,
    )
    return {"killed": killed, "sites": sites, "ddr": ddr, "manual": manual, "output": output}


@pytest.fixture
def lessons(mission, other_mission):
    made = {
        "robust": Lesson.objects.create(
            mission=mission,
            title="Peacekeepers must be able to defend the mandate",
            theme=Theme.FORCE,
            date=d(2000, 8, 21),
            observation="Peacekeepers were detained at isolated positions.",
            lesson="Robust rules of engagement protect the mandate.",
            recommendation="Deploy units able to defend themselves.",
            sharing=Sharing.PUBLIC,
        ),
        "planning": Lesson.objects.create(
            mission=mission,
            title="Deploy fast after an agreement",
            theme=Theme.PLANNING,
            date=d(2000, 8, 21),
            observation="The build-up was slow.",
            lesson="The first weeks decide credibility.",
            recommendation="Commit troops before the resolution.",
        ),
        "other": Lesson.objects.create(
            mission=other_mission,
            title="Bria convoy escorts",
            theme=Theme.PROTECTION,
            date=d(2016, 1, 1),
            observation="Escorts deterred attacks on deployments.",
            lesson="Escort convoys.",
            exercise=True,
        ),
    }
    return made
