"""Count-panel regressions of violence on peacekeeping presence (negative binomial, Poisson).

The design follows Hultman, Kathman & Shannon (2013): a monthly count of civilians killed
regressed on the previous month's troops, police and observers (in thousands), with
controls, optional unit fixed effects and cluster-robust standard errors.

Every fit goes through statsmodels' discrete models with the options in FIT_OPTIONS, so the
same call on the same data in statsmodels gives the same numbers.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.tools.sm_exceptions import ConvergenceWarning, HessianInversionWarning, PerfectSeparationWarning

MODELS = ("negbin", "poisson")
COVARIANCES = ("nonrobust", "robust", "cluster", "hac")
# Newton with many iterations: statsmodels' default for the negative binomial (BFGS, 35
# iterations) often stops short on sparse violence counts. The negative binomial starts
# from the Poisson estimates and alpha = NEGBIN_START_ALPHA: from statsmodels' own start
# values Newton overflows on very overdispersed counts (civilian deaths per cell-month).
FIT_OPTIONS = {"method": "newton", "maxiter": 300, "disp": 0}
NEGBIN_START_ALPHA = 1.0
HAC_LAGS = 6
# Fewer observations than this per estimated parameter (beyond the first few) is too thin.
MIN_RESIDUAL_DF = 10
MIN_CLUSTERS = 5
SEPARATION_MEAN = 1e-8
CONSTANT = "const"


class CannotEstimate(ValueError):
    """The data do not allow the regression; `reason` says why in plain words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Coefficient:
    term: str
    estimate: float
    std_error: float
    z: float
    p_value: float
    ci_low: float
    ci_high: float


@dataclass
class CountModelResult:
    model: str
    outcome: str
    terms: list[str]
    covariance: str
    n_obs: int
    n_dropped_missing: int
    n_clusters: int | None
    converged: bool
    log_likelihood: float
    aic: float
    bic: float
    pseudo_r2: float
    coefficients: list[Coefficient]
    alpha: Coefficient | None = None  # negative binomial dispersion (NB2)
    unit_effects: str | None = None
    n_unit_effects: int = 0
    n_dropped_all_zero_units: int = 0
    warnings: list[str] = field(default_factory=list)

    def coefficient(self, term: str) -> Coefficient:
        for coefficient in self.coefficients:
            if coefficient.term == term:
                return coefficient
        raise KeyError(term)

    @property
    def reliable(self) -> bool:
        """Converged, with finite standard errors for every reported term."""
        return self.converged and all(math.isfinite(c.std_error) for c in self.coefficients)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["reliable"] = self.reliable
        return data


@dataclass(frozen=True)
class RateChange:
    """exp(beta * scale) - 1 as a percentage, with its 95% interval."""

    percent: float
    ci_low: float
    ci_high: float
    significant: bool


def rate_change(coefficient: Coefficient, scale: float = 1.0, level: float = 0.95) -> RateChange:
    """The change in the expected count for `scale` more units of the term (e.g. scale 1 on
    a term in thousands = 1,000 more), in percent."""
    z = stats.norm.ppf(0.5 + level / 2)
    low, high = sorted(
        (coefficient.estimate - z * coefficient.std_error, coefficient.estimate + z * coefficient.std_error)
    )

    def as_percent(b: float) -> float:
        return 100.0 * math.expm1(b * scale)

    bounds = sorted((as_percent(low), as_percent(high)))
    return RateChange(as_percent(coefficient.estimate), bounds[0], bounds[1], significant=not (low <= 0 <= high))


def design_matrices(
    data: pd.DataFrame, outcome: str, terms: list[str], *, unit_effects: str | None = None, cluster: str | None = None
) -> tuple[pd.Series, pd.DataFrame, pd.Series | None, dict[str, int]]:
    """The outcome, the regressors (constant first, then `terms`, then unit dummies) and the
    cluster codes, after the checks every fit needs. Rows with a missing value in any used
    column are dropped; with unit effects, units whose outcome is zero throughout are
    dropped too (their dummy would go to minus infinity)."""
    used = list(dict.fromkeys([outcome, *terms, *(c for c in (unit_effects, cluster) if c)]))
    missing = [column for column in used if column not in data.columns]
    if missing:
        raise CannotEstimate(f"column(s) not in the data: {', '.join(missing)}")
    if not terms:
        raise CannotEstimate("no explanatory terms given")
    numeric = [outcome, *terms]
    for column in numeric:
        if not pd.api.types.is_numeric_dtype(data[column]) and not pd.api.types.is_bool_dtype(data[column]):
            converted = pd.to_numeric(data[column], errors="coerce")
            if converted.isna().sum() > data[column].isna().sum():
                raise CannotEstimate(f"column {column} is not numeric")
    frame = data[used].copy()
    for column in numeric:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    complete = frame.dropna()
    info = {"n_dropped_missing": len(frame) - len(complete), "n_dropped_all_zero_units": 0, "n_unit_effects": 0}
    if (complete[outcome] < 0).any() or not np.allclose(complete[outcome], np.round(complete[outcome])):
        raise CannotEstimate(f"the outcome {outcome} must be a count (whole numbers, not negative)")
    if unit_effects:
        totals = complete.groupby(unit_effects)[outcome].transform("sum")
        kept = complete[totals > 0]
        info["n_dropped_all_zero_units"] = complete.loc[totals == 0, unit_effects].nunique()
        complete = kept
    if complete.empty or complete[outcome].sum() == 0:
        raise CannotEstimate(f"the outcome {outcome} is zero (or missing) in every row: nothing to explain")
    for term in terms:
        if complete[term].nunique() < 2:
            raise CannotEstimate(f"the term {term} does not vary in the data used")
    X = sm.add_constant(complete[terms], has_constant="add")
    if unit_effects:
        dummies = pd.get_dummies(complete[unit_effects].astype(str), prefix="unit", drop_first=True, dtype=float)
        info["n_unit_effects"] = dummies.shape[1]
        X = pd.concat([X, dummies], axis=1)
    n_params = X.shape[1]
    if len(complete) - n_params < MIN_RESIDUAL_DF:
        raise CannotEstimate(f"too few observations: {len(complete)} rows for {n_params} parameters")
    if np.linalg.matrix_rank(X.to_numpy()) < n_params:
        raise CannotEstimate("the terms are perfectly collinear (one is a combination of the others)")
    groups = None
    if cluster:
        groups = pd.Series(pd.factorize(complete[cluster])[0], index=complete.index)
        if groups.nunique() < MIN_CLUSTERS:
            raise CannotEstimate(
                f"only {groups.nunique()} cluster(s) in {cluster}: cluster-robust errors need at least {MIN_CLUSTERS}"
            )
    return complete[outcome], X, groups, info


def covariance_options(covariance: str, groups: pd.Series | None) -> dict[str, object]:
    """statsmodels' cov_type and cov_kwds for our covariance names."""
    if covariance == "cluster":
        if groups is None:
            raise CannotEstimate("cluster-robust errors need a cluster column")
        return {"cov_type": "cluster", "cov_kwds": {"groups": groups.to_numpy()}}
    if covariance == "robust":
        return {"cov_type": "HC0"}
    if covariance == "hac":
        return {"cov_type": "HAC", "cov_kwds": {"maxlags": HAC_LAGS}}
    return {"cov_type": "nonrobust"}


def negbin_start_params(y: pd.Series, X: pd.DataFrame) -> npt.NDArray[np.float64]:
    """Start values for the negative binomial: the Poisson estimates, then alpha."""
    poisson = sm.Poisson(y, X).fit(**FIT_OPTIONS)
    return np.append(poisson.params.to_numpy(), NEGBIN_START_ALPHA)


def fit_count_model(
    data: pd.DataFrame,
    outcome: str,
    terms: list[str],
    *,
    model: str = "negbin",
    cluster: str | None = None,
    covariance: str | None = None,
    unit_effects: str | None = None,
) -> CountModelResult:
    """Fit `outcome ~ terms` (+ unit dummies). `covariance` defaults to "cluster" when a
    cluster column is given, else "robust" (HC0 sandwich). Raises CannotEstimate when the
    data cannot support the model; a fit that does not converge is returned with
    converged=False and its warnings."""
    if model not in MODELS:
        raise CannotEstimate(f"unknown model {model!r}: choose {' or '.join(MODELS)}")
    covariance = covariance or ("cluster" if cluster else "robust")
    if covariance not in COVARIANCES:
        raise CannotEstimate(f"unknown covariance {covariance!r}")
    if covariance == "cluster" and not cluster:
        raise CannotEstimate("cluster-robust errors need a cluster column")
    y, X, groups, info = design_matrices(
        data, outcome, terms, unit_effects=unit_effects, cluster=cluster if covariance == "cluster" else None
    )

    caught: list[str] = []
    with warnings.catch_warnings(record=True) as raised:
        warnings.simplefilter("always")
        try:
            if model == "negbin":
                start = negbin_start_params(y, X)
                fitted = sm.NegativeBinomial(y, X).fit(
                    start_params=start, **FIT_OPTIONS, **covariance_options(covariance, groups)
                )
            else:
                fitted = sm.Poisson(y, X).fit(**FIT_OPTIONS, **covariance_options(covariance, groups))
        except (np.linalg.LinAlgError, ValueError) as failure:
            raise CannotEstimate(f"the estimation failed: {failure}") from failure
    for warning in raised:
        if issubclass(
            warning.category, (ConvergenceWarning, HessianInversionWarning, PerfectSeparationWarning, RuntimeWarning)
        ):
            caught.append(str(warning.message).splitlines()[0])
    converged = (
        bool(fitted.mle_retvals.get("converged", False))
        and bool(np.all(np.isfinite(fitted.params)))
        and math.isfinite(fitted.llf)
    )
    if not converged:
        caught.append("the likelihood maximisation did not converge")
    elif float(np.min(fitted.predict())) < SEPARATION_MEAN:
        # Count models have no separation check of their own: an expected count of ~0 means
        # some terms split zero from non-zero outcomes and their estimates run to infinity.
        converged = False
        caught.append(
            "some expected counts are numerically zero: the terms separate zero from non-zero outcomes, so the estimates diverge"
        )

    params, errors = fitted.params, fitted.bse
    z_values, p_values = fitted.tvalues, fitted.pvalues
    interval = fitted.conf_int()
    reported = [CONSTANT, *terms]

    def coefficient(name: str) -> Coefficient:
        return Coefficient(
            term=name,
            estimate=float(params[name]),
            std_error=float(errors[name]),
            z=float(z_values[name]),
            p_value=float(p_values[name]),
            ci_low=float(interval.loc[name, 0]),
            ci_high=float(interval.loc[name, 1]),
        )

    return CountModelResult(
        model=model,
        outcome=outcome,
        terms=list(terms),
        covariance=covariance,
        n_obs=int(fitted.nobs),
        n_dropped_missing=info["n_dropped_missing"],
        n_clusters=int(groups.nunique()) if groups is not None else None,
        converged=converged,
        log_likelihood=float(fitted.llf),
        aic=float(fitted.aic),
        bic=float(fitted.bic),
        pseudo_r2=float(fitted.prsquared),
        coefficients=[coefficient(name) for name in reported],
        alpha=coefficient("alpha") if model == "negbin" else None,
        unit_effects=unit_effects,
        n_unit_effects=info["n_unit_effects"],
        n_dropped_all_zero_units=info["n_dropped_all_zero_units"],
        warnings=list(dict.fromkeys(caught)),
    )


def format_table(result: CountModelResult) -> str:
    """A plain-text table of the estimates and fit statistics, for the console."""
    lines = [
        f"{'Negative binomial (NB2)' if result.model == 'negbin' else 'Poisson'} regression of {result.outcome}",
        f"observations: {result.n_obs}  (dropped for missing values: {result.n_dropped_missing})",
        f"standard errors: {result.covariance}" + (f", {result.n_clusters} clusters" if result.n_clusters else ""),
    ]
    if result.unit_effects:
        lines.append(
            f"unit fixed effects: {result.unit_effects} ({result.n_unit_effects} dummies; "
            f"{result.n_dropped_all_zero_units} units with an all-zero outcome dropped)"
        )
    lines.append("")
    lines.append(f"{'term':<24}{'coef':>12}{'std err':>12}{'z':>9}{'P>|z|':>9}{'[0.025':>12}{'0.975]':>12}")
    rows = result.coefficients + ([result.alpha] if result.alpha else [])
    for c in rows:
        lines.append(
            f"{c.term:<24}{c.estimate:>12.6f}{c.std_error:>12.6f}{c.z:>9.3f}{c.p_value:>9.4f}{c.ci_low:>12.6f}{c.ci_high:>12.6f}"
        )
    lines.append("")
    lines.append(
        f"log-likelihood: {result.log_likelihood:.4f}  AIC: {result.aic:.4f}  BIC: {result.bic:.4f}  pseudo R2: {result.pseudo_r2:.4f}"
    )
    lines.append(f"converged: {'yes' if result.converged else 'NO'}")
    for warning in result.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines)
