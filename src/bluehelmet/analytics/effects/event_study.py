"""Event study of base openings with staggered timing: Callaway & Sant'Anna (2021).

Why this estimator: bases open at different months, and a two-way fixed-effects event
study then compares late openers with early openers that are already treated, which
biases the estimates when effects change over time (Goodman-Bacon 2021; Sun & Abraham
2021). Callaway & Sant'Anna avoid that by estimating one effect per opening cohort g and
calendar month t, ATT(g, t), each against units not treated by then (never treated or
not yet treated), and only then averaging by months since opening. We chose it over Sun &
Abraham's interaction-weighted estimator because it uses the not-yet-treated as controls
as well as the never-treated: in a mission most sites open sooner or later, so the
never-treated alone are few.

Choices, stated once:
- base period: universal, the month before opening (g - 1), so pre-opening estimates read
  as in a classic event study and month -1 is zero by construction (Roth 2024);
- controls for ATT(g, t): units with no opening up to max(t, g - 1), never-treated included;
- units already treated in the first month of the panel have no pre-period and are left out;
- aggregation over cohorts weighted by cohort size;
- uncertainty: bootstrap over units (clusters), the same draws for every estimate, so the
  standard errors respect correlation within a unit over time.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from .count_models import CannotEstimate

MIN_TREATED_UNITS = 2
MIN_CONTROL_UNITS = 2
# (cohort weight per draw, ATT per draw) of each cohort observed at an event time
_Cells = list[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]]


@dataclass
class EventStudyResult:
    outcome: str
    event_times: list[int]
    estimates: list[float]
    std_errors: list[float]
    ci_low: list[float]
    ci_high: list[float]
    cohort_units: dict[int, int]  # opening period -> units opening then
    n_units: int
    n_never_treated: int
    n_dropped_already_treated: int
    overall_att: float
    overall_se: float
    overall_ci: tuple[float, float]
    pre_trend_p_value: float | None
    bootstrap_draws: int
    control_group: str = "not yet treated and never treated"
    base_period: int = -1
    notes: list[str] = field(default_factory=list)

    def sorted_by_event_time(self) -> EventStudyResult:
        order = np.argsort(self.event_times)
        for name in ("event_times", "estimates", "std_errors", "ci_low", "ci_high"):
            values = getattr(self, name)
            setattr(self, name, [values[i] for i in order])
        return self

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["cohort_units"] = {str(k): v for k, v in self.cohort_units.items()}
        return data


def staggered_event_study(
    panel: pd.DataFrame,
    *,
    unit: str,
    time: str,
    outcome: str,
    first_treated: str,
    leads: int = 12,
    lags: int = 24,
    bootstrap: int = 499,
    seed: int = 0,
) -> EventStudyResult:
    """`panel` has one row per unit and period (integer periods, consecutive, balanced);
    `first_treated` holds the unit's opening period, NaN for never-treated units.
    Estimates effects for event times -leads .. lags (except the base, -1)."""
    for column in (unit, time, outcome, first_treated):
        if column not in panel.columns:
            raise CannotEstimate(f"column {column} not in the panel")
    wide = panel.pivot_table(index=unit, columns=time, values=outcome, aggfunc="sum")
    periods = np.array(wide.columns, dtype=int)
    if len(periods) < 3 or np.any(np.diff(periods) != 1):
        raise CannotEstimate("the periods must be consecutive integers (at least three)")
    if wide.isna().to_numpy().any() or len(panel) != wide.size:
        raise CannotEstimate("the panel must be balanced: one row per unit and period, no missing outcome")
    opening = panel.groupby(unit)[first_treated].first().reindex(wide.index)
    first_period = periods[0]
    already = opening.notna() & (opening <= first_period)
    keep = ~already
    Y = wide[keep].to_numpy(dtype=float)
    G = opening[keep].to_numpy(dtype=float)  # NaN = never treated
    n_units = Y.shape[0]
    cohorts = sorted(int(g) for g in np.unique(G[~np.isnan(G)]) if g <= periods[-1])
    cohort_units = {g: int(np.sum(G == g)) for g in cohorts}
    if sum(cohort_units.values()) < MIN_TREATED_UNITS:
        raise CannotEstimate(
            f"only {sum(cohort_units.values())} unit(s) open during the panel: too few to estimate effects"
        )

    rng = np.random.default_rng(seed)
    # Row 0 weighs every unit once (the estimate); the others are bootstrap resamples of units.
    weights = np.vstack([np.ones(n_units), rng.multinomial(n_units, np.full(n_units, 1 / n_units), size=bootstrap)])
    column_of = {int(p): i for i, p in enumerate(periods)}
    never = np.isnan(G)
    event_times = [e for e in range(-leads, lags + 1) if e != -1]

    # att[e] is a list of (cohort weight per draw, ATT per draw) over the cohorts observed at e.
    by_event: dict[int, _Cells] = {e: [] for e in event_times}
    post_cells: _Cells = []
    for g in cohorts:
        base = g - 1
        treated = (G == g).astype(float)
        for e in event_times:
            t = g + e
            if t not in column_of or base not in column_of:
                continue
            control = (never | (G > max(t, base))).astype(float)
            if control.sum() < MIN_CONTROL_UNITS:
                continue
            change = Y[:, column_of[t]] - Y[:, column_of[base]]
            n_treated, n_control = weights @ treated, weights @ control
            with np.errstate(invalid="ignore", divide="ignore"):
                att = (weights @ (change * treated)) / n_treated - (weights @ (change * control)) / n_control
            att[(n_treated == 0) | (n_control == 0)] = np.nan
            by_event[e].append((n_treated, att))
            if e >= 0:
                post_cells.append((n_treated, att))

    def aggregate(cells: _Cells) -> npt.NDArray[np.float64]:
        if not cells:
            return np.full(weights.shape[0], np.nan)
        w = np.array([c[0] for c in cells])
        a = np.array([c[1] for c in cells])
        w = np.where(np.isnan(a), 0.0, w)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean: npt.NDArray[np.float64] = np.nansum(w * np.nan_to_num(a), axis=0) / w.sum(axis=0)
            return mean

    kept_times: list[int] = []
    draw_rows: list[npt.NDArray[np.float64]] = []
    for e in event_times:
        if by_event[e]:
            kept_times.append(e)
            draw_rows.append(aggregate(by_event[e]))
    if not kept_times:
        raise CannotEstimate("no opening has both a month before it and untreated comparison units in the panel")
    draws = np.array(draw_rows)  # event times x (1 + bootstrap)
    estimates = draws[:, 0]
    errors = np.nanstd(draws[:, 1:], axis=1, ddof=1)
    z = stats.norm.ppf(0.975)
    overall = aggregate(post_cells)
    overall_se = float(np.nanstd(overall[1:], ddof=1)) if post_cells else float("nan")

    pre = [i for i, e in enumerate(kept_times) if e < -1]
    pre_p = None
    if pre:
        # Wald test that every pre-opening estimate is zero, with the bootstrap covariance.
        sample = draws[pre, 1:]
        sample = sample[:, ~np.isnan(sample).any(axis=0)]
        if sample.shape[1] > len(pre):
            covariance = np.atleast_2d(np.cov(sample))
            statistic = float(estimates[pre] @ np.linalg.pinv(covariance) @ estimates[pre])
            pre_p = float(stats.chi2.sf(statistic, df=len(pre)))

    notes = []
    if already.sum():
        notes.append(
            f"{int(already.sum())} unit(s) already had a base in the first month of the panel and were left out"
        )
    return EventStudyResult(
        outcome=outcome,
        event_times=[int(e) for e in [*kept_times, -1]],
        estimates=[float(v) for v in [*estimates, 0.0]],
        std_errors=[float(v) for v in [*errors, 0.0]],
        ci_low=[float(v) for v in [*(estimates - z * errors), 0.0]],
        ci_high=[float(v) for v in [*(estimates + z * errors), 0.0]],
        cohort_units=cohort_units,
        n_units=n_units,
        n_never_treated=int(never.sum()),
        n_dropped_already_treated=int(already.sum()),
        overall_att=float(overall[0]),
        overall_se=overall_se,
        overall_ci=(float(overall[0] - z * overall_se), float(overall[0] + z * overall_se)),
        pre_trend_p_value=pre_p,
        bootstrap_draws=bootstrap,
        notes=notes,
    ).sorted_by_event_time()
