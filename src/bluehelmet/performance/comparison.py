"""Why missions succeed: the mission's country beside the other conflicts of the Hultman,
Kathman & Shannon (2013) replication file (26 African countries, 1991-2008), read from the
conflict months Blue Helmet holds (import kind `conflict-months`).

Conflict months are published research data without a sharing flag or any sensitive field;
the comparison is across countries by design, so every member of a mission sees every
country's rows here (the per-country pages keep their country scope).

analytics.effects.cases does the arithmetic; this module reads the rows, draws the figures
and fits the 26-country model of HKS Table 1 (model 1), which the Results tab shows next to
the single-country estimate.
"""

from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext as _

from bluehelmet.analytics.effects import CannotEstimate, fit_count_model
from bluehelmet.analytics.effects.cases import ALIGN_AFTER, ALIGN_BEFORE, median_aligned, summarise_cases
from bluehelmet.analytics.effects.panels import index_month, month_index
from bluehelmet.analytics.effects.plots import figure_bytes
from bluehelmet.core.models import Membership, Mission
from bluehelmet.datasets.models import ConflictMonth

from . import figures

SOURCE = "Hultman, Kathman & Shannon (2013), AJPS 57(4), replication data, Harvard Dataverse doi:10.7910/DVN/6EBCGA"
# HKS Table 1, model 1: civilians killed on last month's UN personnel and controls.
HKS_TERMS = [
    "troopLag",
    "policeLag",
    "militaryobserversLag",
    "brv_AllLag",
    "osvAllLagDum",
    "incomp",
    "epduration",
    "lntpop",
]
MIN_COUNTRIES = 5


@dataclass
class CaseFigure:
    caption: str
    svg: bytes
    png: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")


def reference_conflict_months(user):
    """Every conflict month, for a signed-in member of any mission (see the module's note)."""
    if not user.is_authenticated:
        return ConflictMonth.objects.none()
    if not user.is_superuser and not Membership.objects.filter(user=user).exists():
        return ConflictMonth.objects.none()
    return ConflictMonth.objects.all()


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _flag(value) -> float | None:
    return None if value is None else float(value)


def conflict_month_rows(rows) -> pd.DataFrame:
    """The rows as the frame analytics reads: the case columns and HKS's model columns."""
    records = []
    for row in rows.select_related("country", "mission").order_by("conflict_id", "month"):
        extra = row.extra or {}
        records.append(
            {
                "country": row.country.name,
                "conflict_id": row.conflict_id,
                "period": month_index(row.month),
                "missions": row.mission.acronym if row.mission else "",
                "osv_all": row.osv_all,
                "troops_lag": row.troops_lag,
                "police_lag": row.police_lag,
                "observers_lag": row.observers_lag,
                "ceasefire": _flag(row.ceasefire),
                "robust_mandate": _flag(row.robust_mandate),
                "poc_mandate": _flag(row.poc_mandate),
                "lntpop": _number(extra.get("lntpop")),
                # HKS's names, for their model
                "osvAll": row.osv_all,
                "troopLag": row.troops_lag,
                "policeLag": row.police_lag,
                "militaryobserversLag": row.observers_lag,
                "brv_AllLag": row.battle_deaths_lag,
                "osvAllLagDum": _number(extra.get("osvAllLagDum")),
                "incomp": _number(extra.get("incomp")),
                "epduration": _number(extra.get("epduration")),
            }
        )
    return pd.DataFrame.from_records(records)


def pooled_hks_model(frame: pd.DataFrame) -> dict:
    """HKS Table 1 model 1 on every conflict month held: negative binomial, errors clustered
    by conflict. Raises CannotEstimate when fewer than MIN_COUNTRIES countries are held."""
    if frame.empty or frame["country"].nunique() < MIN_COUNTRIES:
        raise CannotEstimate(
            _("the conflict months of at least %(n)s countries are needed (import the HKS file)") % {"n": MIN_COUNTRIES}
        )
    model = fit_count_model(frame, "osvAll", HKS_TERMS, model="negbin", cluster="conflict_id")
    return {
        "model": model.as_dict(),
        "countries": int(frame["country"].nunique()),
        "conflicts": int(frame["conflict_id"].nunique()),
        "source": SOURCE,
    }


def _month_label(period: int | None) -> str:
    return index_month(period).strftime("%Y-%m") if period is not None else ""


def case_figure(matplotlib_figure, caption: str) -> CaseFigure:
    png = io.BytesIO()
    matplotlib_figure.savefig(png, format="png", bbox_inches="tight", dpi=150)
    return CaseFigure(caption=caption, svg=figure_bytes(matplotlib_figure, "svg"), png=png.getvalue())


def mission_comparison(user, mission: Mission) -> dict:
    """The countries side by side, the mission's host countries highlighted, and the two
    aligned figures. Empty when no conflict months are held."""
    frame = conflict_month_rows(reference_conflict_months(user))
    if frame.empty:
        return {"cases": [], "deployed": 0, "highlighted": [], "figures": [], "source": SOURCE}
    summaries = summarise_cases(frame)
    hosts = {c.name for c in mission.host_countries.all()}
    highlighted = [s for s in summaries if s.country in hosts]
    deployed = [s for s in summaries if s.deployment_period is not None]
    cases = []
    for summary in summaries:
        cases.append(
            {
                "summary": summary,
                "highlighted": summary.country in hosts,
                "first_month": _month_label(summary.first_period),
                "last_month": _month_label(summary.last_period),
                "deployment_month": _month_label(summary.deployment_period),
                "peak_month": _month_label(summary.peak_period),
                "population_millions": (
                    summary.population_at_peak / 1e6 if summary.population_at_peak is not None else None
                ),
            }
        )
    result = {
        "cases": cases,
        "deployed": len(deployed),
        "countries": len(summaries),
        "highlighted": [s.country for s in highlighted],
        "figures": [],
        "source": SOURCE,
        "align_before": ALIGN_BEFORE,
        "align_after": ALIGN_AFTER,
    }
    if deployed:
        result["figures"] = _aligned_figures(deployed, highlighted, mission)
    return result


def _aligned_figures(deployed, highlighted, mission: Mission) -> list[CaseFigure]:
    offsets = list(range(-ALIGN_BEFORE, ALIGN_AFTER + 1))
    names = {s.country for s in highlighted}
    others = [s for s in deployed if s.country not in names]
    median = median_aligned(others)
    shown = []
    for index, (title, y_label, log_scale) in enumerate(
        (
            (_("Civilians killed per month, by months since UN troops arrived"), _("Civilians killed"), True),
            (_("UN troops, by months since they arrived"), _("UN troops"), False),
        )
    ):
        figure = figures.aligned_cases(
            offsets,
            {
                f"{s.country} ({', '.join(s.missions)})": [s.aligned.get(o, (None, None))[index] for o in offsets]
                for s in highlighted
                if s.deployment_period is not None
            },
            [[s.aligned.get(o, (None, None))[index] for o in offsets] for s in others],
            [median[o][index] for o in offsets],
            title=title,
            x_label=_("Months since the first month with UN troops (0)"),
            y_label=y_label,
            median_label=_("median of the other countries"),
            others_label=_("each other country with UN troops"),
            log_scale=log_scale,
        )
        shown.append(
            case_figure(
                figure,
                _("%(n)s countries with UN troops; source: %(source)s.") % {"n": len(deployed), "source": SOURCE},
            )
        )
    return shown
