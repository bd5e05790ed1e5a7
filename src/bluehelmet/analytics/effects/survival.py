"""How long peace lasts: survival analysis of spells (ceasefires, violence-free periods).

The classic evidence that peacekeeping keeps peace (Fortna, *Does Peacekeeping Work?*, 2008)
compares how long ceasefires last with and without peacekeepers: Kaplan-Meier curves of the
share of spells still running, and a Cox proportional-hazards model of what ends them.

Data are counting-process rows (start, stop, event): one spell may be split into several
rows so a term can change during it (time-varying rows), and a row may start after time 0
(delayed entry, left truncation). Rules, stated once:
- a row is at risk at time t when start < t <= stop (R `survival`, lifelines). statsmodels'
  PHReg counts a row also at t == start; both agree whenever no row starts exactly at an
  event time of another row, which the tests use to compare;
- an event at `stop` ends the row (event = 1), else the row is censored there (event = 0);
- ties: Breslow or Efron (Efron by default, as in R);
- standard errors: the inverse information, or with a cluster column the Huber-White
  sandwich over clusters (Lin & Wei 1989): the inverse information around the outer product
  of the score residuals summed within each cluster, the score residuals in the Breslow
  form, with no small-sample factor (as statsmodels PHReg with `groups`);
- hazard ratio = exp(coefficient), its interval exp(coefficient +- 1.96 SE);
- rows with a missing term, start, stop, event or cluster are dropped and counted, as
  statsmodels' formulas do.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from .count_models import CannotEstimate

TIES = ("efron", "breslow")
MAX_ITERATIONS = 100
TOLERANCE = 1e-10
MIN_EVENTS = 2

_Array = npt.NDArray[np.float64]


@dataclass
class SurvivalCurve:
    """Kaplan-Meier estimate at each event time: the share of spells still running."""

    label: str
    times: list[float]
    at_risk: list[int]
    events: list[int]
    survival: list[float]
    std_errors: list[float]  # Greenwood
    ci_low: list[float]  # log(-log) interval
    ci_high: list[float]
    n_spells: int
    n_events: int
    median: float | None  # first time survival falls to 0.5 or below; None if it never does

    @property
    def survival_at_6(self) -> float:
        """S(6): the share still running after six time units (months on the pages)."""
        return self.survival_at(6)

    def survival_at(self, time: float) -> float:
        """S(time): the product over event times up to `time`."""
        value = 1.0
        for t, s in zip(self.times, self.survival):
            if t <= time:
                value = s
        return value


@dataclass
class HazardTerm:
    term: str
    coefficient: float
    std_error: float
    z: float
    p_value: float
    hazard_ratio: float
    ci_low: float  # of the hazard ratio
    ci_high: float


@dataclass
class CoxResult:
    terms: list[HazardTerm]
    ties: str
    n_rows: int
    n_events: int
    n_dropped_missing: int
    n_clusters: int | None
    log_likelihood: float
    iterations: int
    covariance: str  # "cluster-robust (COLUMN)" or "model-based"
    notes: list[str] = field(default_factory=list)

    def term(self, name: str) -> HazardTerm:
        return next(t for t in self.terms if t.term == name)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _intervals(start: _Array, stop: _Array, event: _Array) -> None:
    if np.any(stop <= start):
        raise CannotEstimate("every row must stop after it starts (stop > start)")
    if not np.all(np.isin(event, (0.0, 1.0))):
        raise CannotEstimate("the event column must hold 0 (still running or censored) or 1 (ended)")


def kaplan_meier(
    start: npt.ArrayLike, stop: npt.ArrayLike, event: npt.ArrayLike, *, label: str = "", n_spells: int | None = None
) -> SurvivalCurve:
    """Kaplan-Meier with delayed entry: at each event time t, S falls by the share of the
    rows at risk (start < t <= stop) that end at t."""
    start_a = np.asarray(start, dtype=float)
    stop_a = np.asarray(stop, dtype=float)
    event_a = np.asarray(event, dtype=float)
    _intervals(start_a, stop_a, event_a)
    times = np.unique(stop_a[event_a == 1])
    survival, variance_sum = 1.0, 0.0
    rows: list[tuple[float, int, int, float, float, float, float]] = []
    z = float(stats.norm.ppf(0.975))
    for t in times:
        n = int(np.sum((start_a < t) & (stop_a >= t)))
        d = int(np.sum((stop_a == t) & (event_a == 1)))
        survival *= 1 - d / n
        variance_sum += d / (n * (n - d)) if n > d else math.inf
        se = survival * math.sqrt(variance_sum) if math.isfinite(variance_sum) else math.nan
        if 0 < survival < 1 and math.isfinite(variance_sum):
            # log(-log S) interval: stays within 0..1.
            spread = z * math.sqrt(variance_sum) / abs(math.log(survival))
            low, high = survival ** math.exp(spread), survival ** math.exp(-spread)
        else:
            low = high = survival
        rows.append((float(t), n, d, survival, se, low, high))
    median = next((r[0] for r in rows if r[3] <= 0.5), None)
    return SurvivalCurve(
        label=label,
        times=[r[0] for r in rows],
        at_risk=[r[1] for r in rows],
        events=[r[2] for r in rows],
        survival=[r[3] for r in rows],
        std_errors=[r[4] for r in rows],
        ci_low=[r[5] for r in rows],
        ci_high=[r[6] for r in rows],
        n_spells=n_spells if n_spells is not None else len(start_a),
        n_events=int(event_a.sum()),
        median=median,
    )


def _partial_likelihood(
    beta: _Array, X: _Array, at_risk: list[npt.NDArray[np.bool_]], dies: list[npt.NDArray[np.bool_]], ties: str
) -> tuple[float, _Array, _Array]:
    """Log partial likelihood, its gradient and Hessian at beta."""
    eta = X @ beta
    shift = float(eta.max())
    r = np.exp(eta - shift)
    p = X.shape[1]
    loglik, gradient, hessian = 0.0, np.zeros(p), np.zeros((p, p))
    for risk, died in zip(at_risk, dies):
        d = int(died.sum())
        Xr, rr = X[risk], r[risk]
        s0, s1, s2 = rr.sum(), rr @ Xr, (Xr * rr[:, None]).T @ Xr
        loglik += float(eta[died].sum())
        gradient += X[died].sum(axis=0)
        if ties == "breslow" or d == 1:
            loglik -= d * (math.log(s0) + shift)
            mean = s1 / s0
            gradient -= d * mean
            hessian -= d * (s2 / s0 - np.outer(mean, mean))
            continue
        Xd, rd = X[died], r[died]
        d0, d1, d2 = rd.sum(), rd @ Xd, (Xd * rd[:, None]).T @ Xd
        for step in range(d):
            fraction = step / d
            t0, t1, t2 = s0 - fraction * d0, s1 - fraction * d1, s2 - fraction * d2
            loglik -= math.log(t0) + shift
            mean = t1 / t0
            gradient -= mean
            hessian -= t2 / t0 - np.outer(mean, mean)
    return loglik, gradient, hessian


def _score_residuals(
    beta: _Array, X: _Array, at_risk: list[npt.NDArray[np.bool_]], dies: list[npt.NDArray[np.bool_]]
) -> _Array:
    """Each row's score residual, Breslow form: sum over event times at which the row is at
    risk of (x - risk-weighted mean of x) * (its event - its share of the hazard increment)."""
    eta = X @ beta
    r = np.exp(eta - eta.max())
    residuals = np.zeros_like(X)
    for risk, died in zip(at_risk, dies):
        rr = r[risk]
        s0 = rr.sum()
        mean = (rr @ X[risk]) / s0
        increment = died[risk].sum() / s0
        martingale = died[risk].astype(float) - rr * increment
        residuals[risk] += (X[risk] - mean) * martingale[:, None]
    return residuals


def cox_ph(
    data: pd.DataFrame,
    *,
    start: str,
    stop: str,
    event: str,
    terms: list[str],
    cluster: str | None = None,
    ties: str = "efron",
) -> CoxResult:
    """Cox proportional-hazards regression on counting-process rows (see the module's rules)."""
    if ties not in TIES:
        raise CannotEstimate(f"ties must be one of {', '.join(TIES)}")
    if not terms:
        raise CannotEstimate("name at least one term")
    columns = [start, stop, event, *terms, *([cluster] if cluster else [])]
    unknown = [c for c in dict.fromkeys(columns) if c not in data.columns]
    if unknown:
        raise CannotEstimate(f"column(s) not in the file: {', '.join(unknown)}")
    frame = data[list(dict.fromkeys(columns))].copy()
    for column in (start, stop, event, *terms):
        converted = pd.to_numeric(frame[column], errors="coerce")
        bad = converted.isna() & frame[column].notna()
        if bad.any():
            raise CannotEstimate(f"column {column}: {frame[column][bad].iloc[0]!r} is not a number")
        frame[column] = converted.astype(float)
    complete = frame.notna().all(axis=1)
    dropped = int((~complete).sum())
    frame = frame[complete]
    start_a = frame[start].to_numpy(dtype=float)
    stop_a = frame[stop].to_numpy(dtype=float)
    event_a = frame[event].to_numpy(dtype=float)
    _intervals(start_a, stop_a, event_a)
    if event_a.sum() < MIN_EVENTS:
        raise CannotEstimate(f"only {int(event_a.sum())} event(s): too few to estimate hazards")
    X = frame[terms].to_numpy(dtype=float)
    constant = [t for t, column in zip(terms, X.T) if np.all(column == column[0])]
    if constant:
        raise CannotEstimate(f"term(s) without variation: {', '.join(constant)}")
    if np.linalg.matrix_rank(X - X.mean(axis=0)) < len(terms):
        raise CannotEstimate("the terms are collinear: one is a combination of the others")

    event_times = np.unique(stop_a[event_a == 1])
    at_risk = [(start_a < t) & (stop_a >= t) for t in event_times]
    dies = [(stop_a == t) & (event_a == 1) for t in event_times]

    beta = np.zeros(len(terms))
    loglik, gradient, hessian = _partial_likelihood(beta, X, at_risk, dies, ties)
    iterations = 0
    for iterations in range(1, MAX_ITERATIONS + 1):  # noqa: B007 (the count is reported)
        try:
            step = np.linalg.solve(-hessian, gradient)
        except np.linalg.LinAlgError as failure:
            raise CannotEstimate("the information matrix is singular: the terms cannot be told apart") from failure
        # Newton with step-halving: never accept a step that lowers the likelihood.
        for _halving in range(30):
            candidate = beta + step
            new_loglik, new_gradient, new_hessian = _partial_likelihood(candidate, X, at_risk, dies, ties)
            if new_loglik >= loglik - 1e-12:
                break
            step /= 2
        converged = abs(new_loglik - loglik) < TOLERANCE and np.max(np.abs(step)) < 1e-8
        beta, loglik, gradient, hessian = candidate, new_loglik, new_gradient, new_hessian
        if converged:
            break
    else:
        raise CannotEstimate(
            "the model did not converge (a term may predict the ending perfectly: every spell with it ends, or none)"
        )
    notes = []
    if np.any(np.abs(beta) > 15):
        notes.append("a coefficient is very large: a term may predict the ending almost perfectly")

    information_inverse = np.linalg.inv(-hessian)
    n_clusters = None
    if cluster:
        groups = frame[cluster].to_numpy()
        residuals = _score_residuals(beta, X, at_risk, dies)
        _labels, index = np.unique(groups.astype(str), return_inverse=True)
        n_clusters = int(index.max()) + 1
        sums = np.zeros((n_clusters, len(terms)))
        np.add.at(sums, index, residuals)
        covariance = information_inverse @ (sums.T @ sums) @ information_inverse
        covariance_label = f"cluster-robust ({cluster})"
    else:
        covariance = information_inverse
        covariance_label = "model-based"
    errors = np.sqrt(np.diag(covariance))
    z = float(stats.norm.ppf(0.975))
    hazard_terms = [
        HazardTerm(
            term=name,
            coefficient=float(b),
            std_error=float(se),
            z=float(b / se),
            p_value=float(2 * stats.norm.sf(abs(b / se))),
            hazard_ratio=float(math.exp(b)),
            ci_low=float(math.exp(b - z * se)),
            ci_high=float(math.exp(b + z * se)),
        )
        for name, b, se in zip(terms, beta, errors)
    ]
    return CoxResult(
        terms=hazard_terms,
        ties=ties,
        n_rows=len(frame),
        n_events=int(event_a.sum()),
        n_dropped_missing=dropped,
        n_clusters=n_clusters,
        log_likelihood=float(loglik),
        iterations=iterations,
        covariance=covariance_label,
        notes=notes,
    )


def format_cox_table(result: CoxResult) -> str:
    lines = [
        f"Cox proportional hazards ({result.ties} ties), {result.n_rows} rows, {result.n_events} events"
        + (f", {result.n_dropped_missing} row(s) with a missing value dropped" if result.n_dropped_missing else ""),
        f"standard errors: {result.covariance}"
        + (f", {result.n_clusters} clusters" if result.n_clusters is not None else ""),
        f"{'term':<24}{'coef':>10}{'SE':>10}{'p':>8}{'HR':>10}{'95% interval of HR':>24}",
    ]
    for t in result.terms:
        lines.append(
            f"{t.term:<24}{t.coefficient:>10.4f}{t.std_error:>10.4f}{t.p_value:>8.3f}{t.hazard_ratio:>10.3f}"
            f"{f'{t.ci_low:.3f} to {t.ci_high:.3f}':>24}"
        )
    lines.append(f"log partial likelihood {result.log_likelihood:.4f}")
    lines.extend(result.notes)
    return "\n".join(lines)
