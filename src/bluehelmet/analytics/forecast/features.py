"""Features of a unit in a month, from that month and earlier only.

Everything is computed on the panel's unit x month matrices, vectorised over units, and
returned as one float32 array laid out (month, unit, feature): the training rows of
every horizon are then a prefix of the same array (a row of month t needs the target of
t + h, so horizon h uses the months up to last - h).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..panel import Panel

NEVER = 240.0  # months since the last event when there has been none in the panel
LAGS = (0, 1, 2, 5, 11)  # months before the origin month (0 = the origin month itself)
WINDOWS = (3, 6, 12, 36)
DECAY_HALF_LIFE = 6.0


def _shift(matrix: npt.NDArray[np.float32], months: int) -> npt.NDArray[np.float32]:
    if months == 0:
        return matrix
    shifted = np.zeros_like(matrix)
    shifted[:, months:] = matrix[:, :-months]
    return shifted


def _rolling_mean(matrix: npt.NDArray[np.float32], window: int) -> npt.NDArray[np.float32]:
    """Mean over the last `window` months up to and including each month (fewer at the start)."""
    cumulative = np.zeros((matrix.shape[0], matrix.shape[1] + 1), dtype=np.float64)
    np.cumsum(matrix, axis=1, out=cumulative[:, 1:])
    ends = np.arange(1, matrix.shape[1] + 1)
    starts = np.maximum(ends - window, 0)
    mean: npt.NDArray[np.float32] = ((cumulative[:, ends] - cumulative[:, starts]) / (ends - starts)).astype(np.float32)
    return mean


def _months_since_event(matrix: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    since = np.empty(matrix.shape, dtype=np.float32)
    current = np.full(matrix.shape[0], NEVER, dtype=np.float32)
    for t in range(matrix.shape[1]):
        current = np.where(matrix[:, t] > 0, 0.0, np.minimum(current + 1, NEVER))
        since[:, t] = current
    return since


def _neighbour_sum(matrix: npt.NDArray[np.float32], neighbours: list[npt.NDArray[np.int64]]) -> npt.NDArray[np.float32]:
    """Sum over each unit's neighbours, as one sparse matrix product."""
    rows = np.repeat(np.arange(len(neighbours)), [len(n) for n in neighbours])
    cols = np.concatenate(neighbours) if neighbours else np.array([], dtype=np.int64)
    total = np.zeros_like(matrix)
    # add.reduceat would need sorted, non-empty groups; np.add.at handles any list.
    if len(rows):
        np.add.at(total, rows, matrix[cols])
    return total


def feature_names(panel: Panel) -> list[str]:
    names = [f"{panel.target}_t-{lag}" for lag in LAGS]
    names += [f"{panel.target}_mean_{w}m" for w in WINDOWS]
    names += [f"{panel.target}_mean_all", "months_since_event", f"decay_{DECAY_HALF_LIFE:g}m"]
    if panel.neighbours is not None:
        names += ["neighbours_t-0", "neighbours_mean_12m", "neighbours_months_since_event"]
    for name in panel.covariates:
        names += [f"{name}_t-0", f"{name}_mean_12m"]
    return names


def build_features(panel: Panel) -> tuple[npt.NDArray[np.float32], list[str]]:
    """(months, units, features) float32 array and the feature names. Counts enter on the
    log1p scale: the same scale as the MSLE the models are judged on."""
    names = feature_names(panel)
    n_units, n_months = panel.y.shape
    features = np.empty((n_months, n_units, len(names)), dtype=np.float32)
    column = 0

    def put(matrix: npt.NDArray[np.float32]) -> None:
        nonlocal column
        features[:, :, column] = matrix.T
        column += 1

    logged = np.log1p(panel.y)
    for lag in LAGS:
        put(_shift(logged, lag))
    for window in WINDOWS:
        put(_rolling_mean(logged, window))
    put(_rolling_mean(logged, n_months))
    since = _months_since_event(panel.y)
    put(since)
    put(np.exp2(-since / DECAY_HALF_LIFE))
    del since
    if panel.neighbours is not None:
        around = _neighbour_sum(logged, panel.neighbours)
        put(around)
        put(_rolling_mean(around, 12))
        put(_months_since_event(around))
        del around
    for values in panel.covariates.values():
        logged_covariate = np.log1p(np.maximum(values, 0))
        put(logged_covariate)
        put(_rolling_mean(logged_covariate, 12))
    assert column == len(names)
    return features, names
