"""`bluehelmet demo` runs every registered demo step (core.demo.DEMO_STEPS), in order."""

import time

from bluehelmet.core.demo import DEMO_MISSIONS, DemoStep, demo_steps
from bluehelmet.core.models import Mission


def load_demo_data(progress=print) -> None:
    """Run every step the apps registered; a step's own lines come first, then its time."""
    for step in demo_steps():
        run_step(step, progress)


def run_step(step: DemoStep, progress) -> None:
    started = time.perf_counter()
    step.function()(progress)
    progress(f"{step.name:<20} done in {time.perf_counter() - started:5.1f} s")


def describe_missions() -> str:
    """The demo missions with how many deployments and strength records they have."""
    lines = ["\nMissions in the demo:"]
    for mission in Mission.objects.filter(acronym__in=DEMO_MISSIONS).prefetch_related("host_countries"):
        countries = ", ".join(c.name for c in mission.host_countries.all())
        lines.append(
            f"  {mission.acronym:<8} {countries:<26} deployments: {mission.deployments.count():>4}  "
            f"monthly strength records: {mission.strengths.count():>4}"
        )
    return "\n".join(lines)
