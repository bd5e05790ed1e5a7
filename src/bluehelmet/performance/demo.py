"""Demo records of the performance area.

Results frameworks for UNAMSIL and MINUSCA whose objectives come from their Security
Council mandates and whose indicators are computed from the shipped data; baselines are
computed from that data too. Targets are exercise values, and say so. Lessons: two drawn
from public facts about UNAMSIL's May 2000 crisis and the Brahimi Report (August 2000),
with their sources; every other record is labelled exercise data.
"""

import datetime
import statistics

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from bluehelmet.core.models import Mission, Sharing
from bluehelmet.core.months import month_range

from .effects import compute_mission_effects
from .formulas import compute_formula
from .models import AfterActionReview, Assessment, Indicator, Lesson, LessonApplication, LessonLink, Objective, Theme
from .results import compute_mission_indicators

d = datetime.date
EXERCISE_TARGET = "Exercise target set for the demo, not an official UN target."


def _baseline(mission, formula: str, first: datetime.date, last: datetime.date) -> float | None:
    """Mean of the formula's monthly values over first..last, from the data; None if any month has none."""
    values = [compute_formula(formula, mission, month, _month_end(month)).value for month in month_range(first, last)]
    return None if any(v is None for v in values) else round(statistics.fmean(values), 1)


def _value(mission, formula: str, first: datetime.date, last: datetime.date) -> float | None:
    value = compute_formula(formula, mission, first, last).value
    return None if value is None else round(value, 1)


def _month_end(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)


def _chain(mission, objective, outcome, output):
    """Objective > outcome > output from (code, title) pairs."""
    o, _ = Objective.objects.get_or_create(mission=mission, code=objective[0], defaults={"title": objective[1]})
    oc, _ = o.outcomes.get_or_create(code=outcome[0], defaults={"title": outcome[1]})
    op, _ = oc.outputs.get_or_create(code=output[0], defaults={"title": output[1]})
    return op


def _indicator(output, code, **fields) -> Indicator:
    indicator, _ = Indicator.objects.update_or_create(output=output, code=code, defaults=fields)
    return indicator


def unamsil_framework(mission: Mission) -> dict[str, Indicator]:
    poc = _chain(
        mission,
        ("O1", "Protect civilians under imminent threat of physical violence (resolution 1270, 1999)"),
        ("OC1.1", "Fewer civilians are killed in Sierra Leone"),
        ("OP1.1.1", "Peacekeepers deployed across the country"),
    )
    baseline = _baseline(mission, "conflict_month_civilians_killed", d(1999, 1, 1), d(1999, 12, 1))
    indicators = {
        "POC-1": _indicator(
            poc,
            "POC-1",
            name="Civilians killed per month",
            unit="deaths",
            formula="conflict_month_civilians_killed",
            direction=Indicator.Direction.DECREASE,
            frequency=Indicator.Frequency.MONTH,
            start=d(1998, 7, 1),
            end=d(2002, 12, 1),
            baseline=baseline,
            baseline_note="monthly mean of 1999, computed from the conflict-month data",
            target=0,
            target_date=d(2002, 12, 1),
            description=EXERCISE_TARGET,
            sharing=Sharing.PUBLIC,
        ),
        "FOR-1": _indicator(
            poc,
            "FOR-1",
            name="Deployed troops as a share of the authorised strength",
            unit="%",
            formula="troop_strength_share",
            direction=Indicator.Direction.INCREASE,
            frequency=Indicator.Frequency.MONTH,
            start=d(2001, 1, 1),
            end=d(2005, 11, 1),
            baseline=_value(mission, "troop_strength_share", d(2001, 1, 1), d(2001, 1, 31)),
            baseline_note="January 2001, the first strength report in the data",
            target=95,
            description=EXERCISE_TARGET,
        ),
        "FOR-2": _indicator(
            poc,
            "FOR-2",
            name="Deployment sites",
            unit="sites",
            formula="deployment_sites",
            direction=Indicator.Direction.INCREASE,
            frequency=Indicator.Frequency.QUARTER,
            start=d(1999, 10, 1),
            end=d(2005, 12, 1),
            baseline=_value(mission, "deployment_sites", d(1999, 10, 1), d(1999, 12, 31)),
            baseline_note="first deployment map, December 1999",
            target=30,
            description=EXERCISE_TARGET,
        ),
        "FOR-3": _indicator(
            poc,
            "FOR-3",
            name="Training compliance",
            unit="%",
            formula="training_compliance",
            direction=Indicator.Direction.INCREASE,
            frequency=Indicator.Frequency.QUARTER,
            start=d(2001, 1, 1),
            end=d(2005, 12, 1),
            target=90,
            description=EXERCISE_TARGET,
        ),
    }
    ew = _chain(
        mission,
        ("O1", ""),
        ("OC1.2", "Threats to civilians are answered quickly"),
        ("OP1.2.1", "Alerts raised and answered"),
    )
    indicators["EW-1"] = _indicator(
        ew,
        "EW-1",
        name="Alerts answered within 24 hours",
        unit="%",
        formula="alert_response_share",
        formula_options={"within_hours": 24},
        direction=Indicator.Direction.INCREASE,
        frequency=Indicator.Frequency.QUARTER,
        start=d(2001, 1, 1),
        end=d(2005, 12, 1),
        target=90,
        description=EXERCISE_TARGET,
    )
    ddr = _chain(
        mission,
        ("O2", "Assist the disarmament, demobilization and reintegration plan (resolution 1270, 1999)"),
        ("OC2.1", "Former combatants return to civilian life"),
        ("OP2.1.1", "Reintegration support delivered"),
    )
    indicators["DDR-1"] = _indicator(
        ddr,
        "DDR-1",
        name="DDR reintegration rate",
        unit="%",
        formula="ddr_reintegration_rate",
        direction=Indicator.Direction.INCREASE,
        frequency=Indicator.Frequency.YEAR,
        start=d(2000, 1, 1),
        end=d(2005, 12, 1),
        target=80,
        description=EXERCISE_TARGET,
    )
    indicators["CA-1"] = _indicator(
        ddr,
        "CA-1",
        name="Engagement coverage of high-risk places",
        unit="%",
        formula="engagement_coverage",
        direction=Indicator.Direction.INCREASE,
        frequency=Indicator.Frequency.YEAR,
        start=d(2000, 1, 1),
        end=d(2005, 12, 1),
        target=75,
        description=EXERCISE_TARGET,
    )
    return indicators


def minusca_framework(mission: Mission) -> dict[str, Indicator]:
    poc = _chain(
        mission,
        ("O1", "Protect civilians, the utmost priority (resolution 2149, 2014)"),
        ("OC1.1", "Fewer civilians are killed in the Central African Republic"),
        ("OP1.1.1", "Presence across the country"),
    )
    baseline = _baseline(mission, "ged_civilian_deaths", d(2014, 1, 1), d(2014, 12, 1))
    return {
        "POC-1": _indicator(
            poc,
            "POC-1",
            name="Civilian deaths per month (UCDP GED)",
            unit="deaths",
            formula="ged_civilian_deaths",
            direction=Indicator.Direction.DECREASE,
            frequency=Indicator.Frequency.QUARTER,
            start=d(2014, 4, 1),
            end=d(2022, 12, 1),
            baseline=baseline * 3 if baseline is not None else None,
            baseline_note="three times the monthly mean of 2014, computed from GED",
            target=round(baseline * 3 / 2) if baseline is not None else None,
            description=EXERCISE_TARGET,
            sharing=Sharing.PUBLIC,
        ),
        "FOR-1": _indicator(
            poc,
            "FOR-1",
            name="Deployment sites",
            unit="sites",
            formula="deployment_sites",
            direction=Indicator.Direction.INCREASE,
            frequency=Indicator.Frequency.QUARTER,
            start=d(2014, 10, 1),
            end=d(2018, 12, 1),
            baseline=_value(mission, "deployment_sites", d(2014, 10, 1), d(2014, 12, 31)),
            baseline_note="first deployment map, October 2014",
            target=18,
            description=EXERCISE_TARGET,
        ),
        "FOR-2": _indicator(
            poc,
            "FOR-2",
            name="Deployed troops as a share of the authorised strength",
            unit="%",
            formula="troop_strength_share",
            direction=Indicator.Direction.INCREASE,
            frequency=Indicator.Frequency.MONTH,
            start=d(2014, 5, 1),
            end=d(2015, 5, 1),
            baseline=_value(mission, "troop_strength_share", d(2014, 5, 1), d(2014, 5, 31)),
            baseline_note="May 2014, the first strength report in the data",
            target=95,
            description=EXERCISE_TARGET,
        ),
    }


def unamsil_lessons(mission: Mission, minusca: Mission | None, indicators: dict[str, Indicator]) -> None:
    review, _ = AfterActionReview.objects.update_or_create(
        mission=mission,
        title="RUF detention of UNAMSIL peacekeepers, May 2000",
        defaults={
            "date": d(2000, 5, 1),
            "operation": "Disarmament under the Lomé Peace Agreement",
            "sharing": Sharing.PUBLIC,
            "summary": "In early May 2000 the Revolutionary United Front (RUF) attacked UNAMSIL positions and detained several "
            "hundred peacekeepers (about 500 by widely reported counts). The United Kingdom sent a national force to Freetown "
            "the same month, and the Security Council raised UNAMSIL's authorised strength (resolution 1299, May 2000). "
            "The detained peacekeepers were released or freed in the following weeks and months.",
            "sources": "Security Council resolution 1299 (2000); Report of the Panel on United Nations Peace Operations "
            "(Brahimi Report), A/55/305-S/2000/809, 21 August 2000.",
        },
    )
    robust, _ = Lesson.objects.update_or_create(
        mission=mission,
        title="Peacekeepers must be able to defend themselves and the mandate",
        defaults={
            "review": review,
            "theme": Theme.FORCE,
            "date": d(2000, 8, 21),
            "sharing": Sharing.PUBLIC,
            "observation": "When the RUF turned on the mission in May 2000, peacekeepers at isolated positions were detained "
            "in large numbers: the force deployed to support a peace agreement was not postured to resist a party that broke it.",
            "lesson": "Impartiality is adherence to the mandate, not neutrality between the parties. Once deployed, "
            "peacekeepers must be able to carry out their mandate professionally and defend themselves, other mission "
            "components and the mandate, with robust rules of engagement against those who renege on their commitments.",
            "recommendation": "Deploy units equipped, trained and authorised to defend themselves and the mandate; plan for "
            "the worst case, not only for a party's good faith.",
            "sources": "Report of the Panel on United Nations Peace Operations (Brahimi Report), A/55/305-S/2000/809, 21 August 2000.",
        },
    )
    planning, _ = Lesson.objects.update_or_create(
        mission=mission,
        title="Authorise missions only with the troops to deploy them, and deploy fast",
        defaults={
            "review": review,
            "theme": Theme.PLANNING,
            "date": d(2000, 8, 21),
            "sharing": Sharing.PUBLIC,
            "observation": "UNAMSIL was still building up when the crisis broke: the first months after a peace agreement are "
            "when spoilers test a mission.",
            "lesson": "A mandate without the forces to carry it out invites failure; the first weeks after a ceasefire or peace "
            "agreement decide a mission's credibility.",
            "recommendation": "The Brahimi Report recommended that the Security Council leave a resolution authorising a "
            "mission in draft until troop contributors have committed the troops needed, and that traditional operations "
            "deploy within 30 days of the resolution and complex ones within 90 days.",
            "sources": "Report of the Panel on United Nations Peace Operations (Brahimi Report), A/55/305-S/2000/809, 21 August 2000.",
        },
    )
    strength, _ = Lesson.objects.update_or_create(
        mission=mission,
        title="Exercise: watch deployed against authorised strength month by month",
        defaults={
            "theme": Theme.LOGISTICS,
            "date": d(2002, 1, 31),
            "exercise": True,
            "observation": "Exercise data (demo): indicator FOR-1 shows how far deployed troops stayed below the authorised "
            "ceiling during the build-up.",
            "lesson": "Exercise data (demo): a gap between authorised and deployed strength is a warning to act on, not a "
            "statistic to report after the fact.",
            "recommendation": "Exercise data (demo): review FOR-1 monthly with troop contributors and name the missing units.",
        },
    )
    LessonLink.objects.get_or_create(
        lesson=strength, content_type_id=_content_type_id(Indicator), object_id=indicators["FOR-1"].pk
    )
    LessonLink.objects.get_or_create(
        lesson=robust,
        content_type_id=_content_type_id(Indicator),
        object_id=indicators["POC-1"].pk,
        defaults={"note": "civilian killings before and after the crisis"},
    )
    if minusca is not None:
        LessonApplication.objects.get_or_create(
            lesson=strength,
            mission=minusca,
            defaults={
                "date": d(2015, 1, 15),
                "where": "Exercise data (demo): strength reviews during the MINUSCA build-up",
                "note": "Exercise data (demo), not a record of what MINUSCA did.",
            },
        )


def minusca_lessons(mission: Mission, indicators: dict[str, Indicator]) -> None:
    lesson, _ = Lesson.objects.update_or_create(
        mission=mission,
        title="Exercise: check the trend before crediting a new base",
        defaults={
            "theme": Theme.PROTECTION,
            "date": d(2018, 12, 31),
            "exercise": True,
            "observation": "Exercise data (demo): in the event study of base openings, violence in cells that later got a "
            "base was already moving before the opening.",
            "lesson": "Exercise data (demo): bases are opened where violence is expected, so a fall after opening can be a "
            "return to normal; compare with places that had no base yet.",
            "recommendation": "Exercise data (demo): read base openings with the event study on the Effect page, never with a "
            "simple before-and-after.",
        },
    )
    LessonLink.objects.get_or_create(
        lesson=lesson, content_type_id=_content_type_id(Indicator), object_id=indicators["POC-1"].pk
    )


def _content_type_id(model) -> int:
    return ContentType.objects.get_for_model(model).pk


def _assess_unamsil(indicator: Indicator) -> None:
    values = {m.period: m.value for m in indicator.measurements.all() if m.value is not None}
    before = [v for p, v in values.items() if p.year == 1999]
    after = [v for p, v in values.items() if p.year >= 2001]
    if not before or not after:
        return
    text = (
        f"Exercise assessment (demo data): civilian killings averaged {statistics.fmean(before):.1f} a month in 1999 and "
        f"{statistics.fmean(after):.1f} a month from 2001 on, as UN troops grew. The fall came with the ceasefire and the "
        "build-up after May 2000; the Effect page tests how much of it goes with troop numbers."
    )
    Assessment.objects.update_or_create(
        indicator=indicator, author=None, defaults={"text": text, "period": max(values)}
    )


@transaction.atomic
def load(progress) -> None:
    missions = {m.acronym: m for m in Mission.objects.filter(acronym__in=("UNAMSIL", "MINUSCA"))}
    unamsil, minusca = missions.get("UNAMSIL"), missions.get("MINUSCA")
    if unamsil is not None:
        indicators = unamsil_framework(unamsil)
        unamsil_lessons(unamsil, minusca, indicators)
        compute_mission_indicators(unamsil)
        _assess_unamsil(indicators["POC-1"])
        compute_mission_effects(unamsil)
    if minusca is not None:
        indicators = minusca_framework(minusca)
        minusca_lessons(minusca, indicators)
        compute_mission_indicators(minusca)
        compute_mission_effects(minusca)
    progress("performance: results frameworks, effect estimates and lessons for " + ", ".join(sorted(missions)))
