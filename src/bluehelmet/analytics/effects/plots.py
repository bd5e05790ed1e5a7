"""Figures of effect estimates (matplotlib, no display needed)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .event_study import EventStudyResult  # noqa: E402

UN_BLUE = "#1f5fa8"


def event_study_figure(result: EventStudyResult, *, title: str = "", y_label: str = "", x_label: str = "") -> Figure:
    """Effects by month from opening with 95% intervals; the month before opening is the
    reference (zero)."""
    figure, axes = plt.subplots(figsize=(7.5, 3.6), dpi=150)
    times = result.event_times
    axes.axhline(0, color="#666666", linewidth=0.8)
    axes.axvline(-0.5, color="#999999", linewidth=0.8, linestyle="--")
    axes.fill_between(times, result.ci_low, result.ci_high, color=UN_BLUE, alpha=0.18, linewidth=0)
    axes.plot(times, result.estimates, color=UN_BLUE, marker="o", markersize=3, linewidth=1.4)
    axes.set_xlabel(x_label)
    axes.set_ylabel(y_label)
    if title:
        axes.set_title(title, fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return figure


def figure_bytes(figure: Figure, fmt: str = "svg") -> bytes:
    """The figure as SVG or PNG bytes; closes it."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()
