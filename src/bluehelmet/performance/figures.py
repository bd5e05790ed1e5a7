"""The report's figures (matplotlib): the deployment map and the troops-vs-killings timeline.
Each function takes plain data (no queries) and returns a matplotlib figure."""

from __future__ import annotations

import datetime

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import PathPatch  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402
from shapely.geometry import shape  # noqa: E402

UN_BLUE = "#1f5fa8"
KILLINGS_RED = "#b3261e"


def _polygon_patch(polygon, **style) -> PathPatch:
    rings = [polygon.exterior, *polygon.interiors]
    vertices, codes = [], []
    for ring in rings:
        coords = list(ring.coords)
        vertices += coords
        codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(coords) - 2) + [MplPath.CLOSEPOLY]
    return PathPatch(MplPath(vertices, codes), **style)


def deployment_map(
    areas: list[dict],
    sites: list[dict],
    *,
    title: str,
    size_label: str,
    unknown_label: str,
    labelled: int = 10,
    label_gap: float = 0.2,
):
    """Admin areas (name, GeoJSON geometry) as outlines with their names; sites (name,
    latitude, longitude, troops or None) as circles sized by troops, the largest named."""
    figure, axes = plt.subplots(figsize=(7.5, 6.4), dpi=150)
    for area in areas:
        geometry = shape(area["geometry"])
        polygons = getattr(geometry, "geoms", [geometry])
        for polygon in polygons:
            axes.add_patch(_polygon_patch(polygon, facecolor="#f1f3f5", edgecolor="#8a939c", linewidth=0.6))
        point = geometry.representative_point()
        axes.annotate(
            area["name"], (point.x, point.y), fontsize=6, color="#8a939c", ha="center", va="center", style="italic"
        )
    known = [s for s in sites if s["troops"]]
    biggest = max((s["troops"] for s in known), default=1)
    for site in sites:
        if site["troops"]:
            axes.scatter(
                site["longitude"],
                site["latitude"],
                s=20 + 380 * site["troops"] / biggest,
                color=UN_BLUE,
                alpha=0.55,
                edgecolor="white",
                linewidth=0.6,
                zorder=3,
            )
        else:
            axes.scatter(
                site["longitude"], site["latitude"], s=22, facecolor="white", edgecolor=UN_BLUE, linewidth=1.0, zorder=3
            )
    # Name the largest sites, skipping any too close to one already named (labels would overlap).
    named: list[dict] = []
    for site in sorted(known, key=lambda s: -s["troops"]):
        if len(named) == labelled:
            break
        if any(
            abs(site["latitude"] - n["latitude"]) < label_gap
            and abs(site["longitude"] - n["longitude"]) < label_gap * 2
            for n in named
        ):
            continue
        named.append(site)
        axes.annotate(
            site["name"],
            (site["longitude"], site["latitude"]),
            xytext=(5, 4),
            textcoords="offset points",
            fontsize=7,
            color="#1b2b3a",
            zorder=4,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
        )
    axes.scatter([], [], s=120, color=UN_BLUE, alpha=0.55, label=size_label)
    axes.scatter([], [], s=22, facecolor="white", edgecolor=UN_BLUE, label=unknown_label)
    axes.legend(loc="lower left", fontsize=7, frameon=False)
    axes.set_aspect("equal")
    axes.autoscale_view()
    axes.set_xlabel("°E", fontsize=7)
    axes.set_ylabel("°N", fontsize=7)
    axes.tick_params(labelsize=7)
    axes.set_title(title, fontsize=10)
    figure.tight_layout()
    return figure


def timeline(
    months: list[datetime.date],
    troops: list,
    killings: list,
    *,
    title: str,
    troops_label: str,
    killings_label: str,
    mission_span: tuple | None = None,
):
    """UN troops (line, left axis) against civilians killed per month (bars, right axis).
    None values are gaps, not zeros."""
    figure, left = plt.subplots(figsize=(7.5, 3.4), dpi=150)
    right = left.twinx()
    bars = [(m, k) for m, k in zip(months, killings) if k is not None]
    if bars:
        right.bar(
            [m for m, _ in bars], [k for _, k in bars], width=25, color=KILLINGS_RED, alpha=0.7, label=killings_label
        )
    left.plot(
        months, [t if t is not None else float("nan") for t in troops], color=UN_BLUE, linewidth=1.8, label=troops_label
    )
    if mission_span:
        left.axvspan(*mission_span, color="#dfe8f3", alpha=0.5, zorder=0)
    left.set_ylabel(troops_label, color=UN_BLUE, fontsize=8)
    right.set_ylabel(killings_label, color=KILLINGS_RED, fontsize=8)
    left.set_zorder(right.get_zorder() + 1)
    left.patch.set_visible(False)
    left.xaxis.set_major_locator(mdates.YearLocator())
    left.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    for axis in (left, right):
        axis.tick_params(labelsize=7)
        axis.spines["top"].set_visible(False)
    left.set_ylim(bottom=0)
    right.set_ylim(bottom=0)
    left.set_title(title, fontsize=10)
    figure.tight_layout()
    return figure


def _finish_chart(figure, axes, *, title: str, x_label: str, y_label: str):
    """The house style of a line chart: small labels, no top or right frame, a plain legend."""
    axes.set_xlabel(x_label, fontsize=8)
    axes.set_ylabel(y_label, fontsize=8)
    axes.tick_params(labelsize=7)
    axes.spines["top"].set_visible(False)
    axes.spines["right"].set_visible(False)
    axes.legend(fontsize=7, frameon=False)
    axes.set_title(title, fontsize=10)
    figure.tight_layout()
    return figure


def aligned_cases(
    offsets: list[int],
    highlighted: dict[str, list],
    others: list[list],
    median: list,
    *,
    title: str,
    x_label: str,
    y_label: str,
    median_label: str,
    others_label: str,
    log_scale: bool = False,
):
    """One series per country on months since deployment: the highlighted ones (name ->
    values) in colour, the others in grey, their median dashed. None values are gaps."""
    figure, axes = plt.subplots(figsize=(7.5, 3.2), dpi=150)

    def values(series):
        return [v if v is not None else float("nan") for v in series]

    for i, series in enumerate(others):
        axes.plot(offsets, values(series), color="#b8c0c8", linewidth=0.7, label=others_label if i == 0 else None)
    axes.plot(offsets, values(median), color="#5f6b76", linewidth=1.4, linestyle="--", label=median_label)
    for name, series in highlighted.items():
        axes.plot(offsets, values(series), color=UN_BLUE, linewidth=2.0, label=name)
    axes.axvline(0, color="#8a939c", linewidth=0.8)
    if log_scale:
        axes.set_yscale("symlog", linthresh=1)
    axes.set_ylim(bottom=0)  # counts of people: nothing below zero
    return _finish_chart(figure, axes, title=title, x_label=x_label, y_label=y_label)


def survival_curves(
    curves: dict[str, tuple[list[float], list[float]]],
    marks: list[tuple[str, float]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    max_months: float | None = None,
):
    """Kaplan-Meier step curves (label -> event times, survival) and the mission's spells as
    vertical marks (label, months so far)."""
    figure, axes = plt.subplots(figsize=(7.5, 3.2), dpi=150)
    colours = [UN_BLUE, "#8a939c", KILLINGS_RED]
    for colour, (label, (times, survival)) in zip(colours, curves.items()):
        axes.step([0.0, *times], [1.0, *survival], where="post", color=colour, linewidth=1.6, label=label)
    for label, months in marks:
        axes.axvline(months, color="#1b2b3a", linewidth=0.9, linestyle=":")
        axes.annotate(label, (months, 0.95), fontsize=7, rotation=90, ha="right", va="top", color="#1b2b3a")
    axes.set_ylim(0, 1.02)
    if max_months is not None:
        axes.set_xlim(0, max_months)
    return _finish_chart(figure, axes, title=title, x_label=x_label, y_label=y_label)
