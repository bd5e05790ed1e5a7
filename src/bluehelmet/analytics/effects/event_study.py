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
- controls for ATT(g, t), "not yet treated" (the default): never-treated units and units
  opening after max(t, g - 1), EXCEPT cohort g itself. Before its own opening a cohort is
  not yet treated too, but it is the treated group of the comparison, so it cannot be its
  own control (R `did`, `att_gt`: `G > max(t, g - 1) & G != g`). "never": never-treated
  units only;
- never treated: no opening (empty or 0) or an opening after the panel's last period;
- units already treated in the first period of the panel have no pre-period and are left out;
- ATT(g, t) is the outcome-regression estimator without covariates: the treated cohort's
  mean change from g - 1 to t minus the controls' mean change;
- event-time aggregates weight the cohorts observed at that event time by cohort size
  (R `aggte(type = "dynamic")`); the overall ATT is the "simple" aggregation: every
  post-opening cell (t >= g) of the panel weighted by cohort size, whatever the window.
  The same average limited to the window's event times 0..lags is reported beside it,
  labelled so (it was the overall figure before and leaves out the later cells);
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


CONTROL_GROUPS = ("notyet", "never")


@dataclass
class GroupTimeEffect:
    """ATT(g, t): cohort g (opening period) at period t, against its controls."""

    cohort: int
    period: int
    event_time: int
    estimate: float
    std_error: float
    n_treated: int
    n_control: int


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
    overall_att: float  # "simple": every post-opening cell of the panel
    overall_se: float
    overall_ci: tuple[float, float]
    pre_trend_p_value: float | None
    bootstrap_draws: int
    control_group: str = "not yet treated and never treated"
    base_period: int = -1
    window_att: float | None = None  # the same over the window's post-opening event times 0..lags only
    window_se: float | None = None
    window_ci: tuple[float, float] | None = None
    pre_trend_statistic: float | None = None
    pre_trend_df: int | None = None
    group_time: list[GroupTimeEffect] = field(default_factory=list)
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


def _opening_periods(values: pd.Series) -> pd.Series:
    """Opening periods as floats, NaN for never treated (empty or 0); refuses fractions."""
    numeric = pd.to_numeric(values, errors="coerce")
    unreadable = numeric.isna() & values.notna() & (values.astype(str).str.strip() != "")
    if unreadable.any():
        raise CannotEstimate(f"first-treated value {values[unreadable].iloc[0]!r} is not a period number")
    numeric = numeric.where(numeric != 0)
    if (numeric.dropna() % 1 != 0).any():
        raise CannotEstimate("first-treated periods must be whole numbers")
    return numeric.astype(float)


def _whole_periods(values: pd.Series, column: str) -> pd.Series:
    numeric = pd.to_numeric(values, errors="coerce")
    if numeric.isna().any():
        raise CannotEstimate(f"column {column}: every period must be a number (e.g. 1 or 1.0)")
    if (numeric % 1 != 0).any():
        raise CannotEstimate(f"column {column}: periods must be whole numbers")
    return numeric.astype(np.int64)


def staggered_event_study(
    panel: pd.DataFrame,
    *,
    unit: str,
    time: str,
    outcome: str,
    first_treated: str,
    leads: int | None = 12,
    lags: int | None = 24,
    bootstrap: int = 499,
    seed: int = 0,
    control: str = "notyet",
) -> EventStudyResult:
    """`panel` has one row per unit and period (whole-number periods, consecutive,
    balanced); `first_treated` holds the unit's opening period, empty (NaN) or 0 for a
    never-treated unit. Estimates ATT(g, t) for every cohort and period, and the
    event-time aggregates for -leads .. lags (None: every event time of the panel) except
    the base, -1. `control`: "notyet" (not-yet-treated and never-treated units) or "never"."""
    if control not in CONTROL_GROUPS:
        raise CannotEstimate(f"control group must be one of {', '.join(CONTROL_GROUPS)}")
    for column in (unit, time, outcome, first_treated):
        if column not in panel.columns:
            raise CannotEstimate(f"column {column} not in the panel")
    if bootstrap < 0:
        raise CannotEstimate("the number of bootstrap draws cannot be negative")
    if (leads is not None and leads < 0) or (lags is not None and lags < 0):
        raise CannotEstimate("leads and lags are numbers of periods: zero or more")
    panel = panel.assign(
        **{time: _whole_periods(panel[time], time), first_treated: _opening_periods(panel[first_treated])}
    )
    if not pd.api.types.is_numeric_dtype(panel[outcome]):
        raise CannotEstimate(f"column {outcome} is not numeric")
    wide = panel.pivot_table(index=unit, columns=time, values=outcome, aggfunc="sum")
    periods = np.array(wide.columns, dtype=int)
    if len(periods) < 3 or np.any(np.diff(periods) != 1):
        raise CannotEstimate("the periods must be consecutive integers (at least three)")
    if wide.isna().to_numpy().any() or len(panel) != wide.size or panel[outcome].isna().any():
        raise CannotEstimate("the panel must be balanced: one row per unit and period, no missing outcome")
    openings = panel.groupby(unit)[first_treated]
    if (openings.nunique() > 1).any():
        raise CannotEstimate(f"column {first_treated} must hold one opening period per unit")
    opening = openings.first().reindex(wide.index)
    first_period, last_period = periods[0], periods[-1]
    # Opening after the panel ends: never treated within it.
    opening = opening.where(opening <= last_period)
    already = opening.notna() & (opening <= first_period)
    keep = ~already
    Y = wide[keep].to_numpy(dtype=float)
    G = opening[keep].to_numpy(dtype=float)  # NaN = never treated
    n_units = Y.shape[0]
    cohorts = sorted(int(g) for g in np.unique(G[~np.isnan(G)]))
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
    z = stats.norm.ppf(0.975)

    # Every ATT(g, t) of the panel, with its draws.
    cells: list[tuple[int, int, npt.NDArray[np.float64], npt.NDArray[np.float64], int, int]] = []
    for g in cohorts:
        base = g - 1
        is_treated = G == g
        treated = is_treated.astype(float)
        for t in (int(p) for p in periods):
            if t == base:
                continue
            if control == "never":
                is_control = never
            else:
                is_control = never | ((G > max(t, base)) & ~is_treated)
            if is_control.sum() < MIN_CONTROL_UNITS:
                continue
            control_weights = is_control.astype(float)
            change = Y[:, column_of[t]] - Y[:, column_of[base]]
            n_treated, n_control = weights @ treated, weights @ control_weights
            with np.errstate(invalid="ignore", divide="ignore"):
                att = (weights @ (change * treated)) / n_treated - (weights @ (change * control_weights)) / n_control
            att[(n_treated == 0) | (n_control == 0)] = np.nan
            cells.append((g, t, n_treated, att, int(is_treated.sum()), int(is_control.sum())))

    def aggregate(chosen: _Cells) -> npt.NDArray[np.float64]:
        if not chosen:
            return np.full(weights.shape[0], np.nan)
        w = np.array([c[0] for c in chosen])
        a = np.array([c[1] for c in chosen])
        w = np.where(np.isnan(a), 0.0, w)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean: npt.NDArray[np.float64] = np.nansum(w * np.nan_to_num(a), axis=0) / w.sum(axis=0)
            return mean

    def spread(draws: npt.NDArray[np.float64]) -> float:
        return float(np.nanstd(draws[1:], ddof=1)) if bootstrap > 1 else float("nan")

    all_event_times = sorted({t - g for g, t, *_ in cells})
    low_e = -leads if leads is not None else (all_event_times[0] if all_event_times else 0)
    high_e = lags if lags is not None else (all_event_times[-1] if all_event_times else 0)
    by_event: dict[int, _Cells] = {}
    for g, t, n_treated, att, *_ in cells:
        if low_e <= t - g <= high_e:
            by_event.setdefault(t - g, []).append((n_treated, att))
    kept_times = sorted(by_event)
    if not kept_times:
        raise CannotEstimate("no opening has both a period before it and untreated comparison units in the panel")
    draws = np.array([aggregate(by_event[e]) for e in kept_times])  # event times x (1 + bootstrap)
    estimates = draws[:, 0]
    errors = np.array([spread(row) for row in draws])
    overall = aggregate([(n, a) for g, t, n, a, *_ in cells if t >= g])
    overall_se = spread(overall)
    window_cells = [(n, a) for g, t, n, a, *_ in cells if 0 <= t - g <= high_e]
    window = aggregate(window_cells) if window_cells else None
    window_se = spread(window) if window is not None else None

    pre = [i for i, e in enumerate(kept_times) if e < -1]
    pre_p = pre_statistic = None
    if pre and bootstrap > 1:
        # Wald test that every pre-opening estimate is zero, with the bootstrap covariance.
        sample = draws[pre, 1:]
        sample = sample[:, ~np.isnan(sample).any(axis=0)]
        if sample.shape[1] > len(pre):
            covariance = np.atleast_2d(np.cov(sample))
            pre_statistic = float(estimates[pre] @ np.linalg.pinv(covariance) @ estimates[pre])
            pre_p = float(stats.chi2.sf(pre_statistic, df=len(pre)))

    group_time = [
        GroupTimeEffect(
            cohort=g,
            period=t,
            event_time=t - g,
            estimate=float(att[0]),
            std_error=spread(att),
            n_treated=n_t,
            n_control=n_c,
        )
        for g, t, _w, att, n_t, n_c in cells
    ]
    for g in cohorts:  # the base cell, zero by construction
        if g - 1 in column_of:
            group_time.append(GroupTimeEffect(g, g - 1, -1, 0.0, 0.0, cohort_units[g], 0))
    group_time.sort(key=lambda cell: (cell.cohort, cell.period))

    notes = []
    if already.sum():
        notes.append(f"{int(already.sum())} unit(s) already treated in the first period of the panel were left out")
    with_base = -1 >= low_e
    return EventStudyResult(
        outcome=outcome,
        event_times=[int(e) for e in [*kept_times, *([-1] if with_base else [])]],
        estimates=[float(v) for v in [*estimates, *([0.0] if with_base else [])]],
        std_errors=[float(v) for v in [*errors, *([0.0] if with_base else [])]],
        ci_low=[float(v) for v in [*(estimates - z * errors), *([0.0] if with_base else [])]],
        ci_high=[float(v) for v in [*(estimates + z * errors), *([0.0] if with_base else [])]],
        cohort_units=cohort_units,
        n_units=n_units,
        n_never_treated=int(never.sum()),
        n_dropped_already_treated=int(already.sum()),
        overall_att=float(overall[0]),
        overall_se=overall_se,
        overall_ci=(float(overall[0] - z * overall_se), float(overall[0] + z * overall_se)),
        pre_trend_p_value=pre_p,
        bootstrap_draws=bootstrap,
        control_group="not yet treated and never treated" if control == "notyet" else "never treated",
        window_att=float(window[0]) if window is not None else None,
        window_se=window_se,
        window_ci=(
            (float(window[0] - z * window_se), float(window[0] + z * window_se))
            if window is not None and window_se is not None
            else None
        ),
        pre_trend_statistic=pre_statistic,
        pre_trend_df=len(pre) if pre_statistic is not None else None,
        group_time=group_time,
        notes=notes,
    ).sorted_by_event_time()
