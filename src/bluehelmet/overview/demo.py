"""`bluehelmet demo` runs every registered demo step (core.demo.DEMO_STEPS), in order."""

import time

from bluehelmet.core.demo import DemoStep, demo_steps


def load_demo_data(progress=print) -> None:
    """Run every step the apps registered; a step's own lines come first, then its time."""
    for step in demo_steps():
        run_step(step, progress)


def run_step(step: DemoStep, progress) -> None:
    started = time.perf_counter()
    step.function()(progress)
    progress(f"{step.name:<20} done in {time.perf_counter() - started:5.1f} s")
