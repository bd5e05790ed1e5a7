"""Looking back at a forecast: what happened against what was forecast, and why a newer
forecast differs from an older one.

- Verdicts: a place is "alarmed" when its probability of at least one fatality is at or
  above a threshold; then a hit (alarmed, and violence happened), a false alarm (alarmed,
  nothing happened), a miss (not alarmed, violence happened) or calm (neither).
- Drivers of a change: the main model's classifier (P(at least 1 fatality)) explains each
  forecast as a sum of per-feature contributions (LightGBM's TreeSHAP, `pred_contrib`), in
  log-odds. Scoring the same fitted model on the inputs of two cut-offs, the change in each
  feature's contribution says how much that input's change moved the forecast; the changes
  add up to the change of the model's log-odds between the two cut-offs. One model for both
  cut-offs, so a refit of the model is not mistaken for a change on the ground.
"""

from __future__ import annotations

from collections.abc import Sequence

import lightgbm as lgb
import numpy as np
import numpy.typing as npt

from .forecast.features import build_features
from .forecast.lgbm import LightGBMForecaster
from .panel import Panel, PanelError

HIT, MISS, FALSE_ALARM, CALM = "hit", "miss", "false_alarm", "calm"


def verdicts(probability: npt.ArrayLike, observed: npt.ArrayLike, threshold: float) -> list[str]:
    """One verdict per place: hit, miss, false alarm or calm (event: at least 1 fatality)."""
    alarmed = np.asarray(probability, dtype=np.float64) >= threshold
    happened = np.asarray(observed, dtype=np.float64) >= 1
    return [
        (HIT if a else MISS) if h else (FALSE_ALARM if a else CALM) for a, h in zip(alarmed.tolist(), happened.tolist())
    ]


def contributions_at(
    model: LightGBMForecaster, panel: Panel, months: Sequence[int], horizon: int
) -> npt.NDArray[np.float64]:
    """(len(months), units, features + 1) SHAP contributions of the fitted model's classifier
    for `horizon`, on the inputs of each month of `months` (the last column is the bias)."""
    if horizon not in model.models_:
        raise PanelError(f"no model fitted for horizon {horizon}")
    features, _names = build_features(panel)
    classifier: lgb.Booster = model.models_[horizon][0]
    rows = []
    for month in months:
        index = month - panel.first_month
        if not 0 <= index < features.shape[0]:
            raise PanelError(f"month {month} is outside the panel")
        result = classifier.predict(features[index], pred_contrib=True, num_threads=model.n_threads)
        assert isinstance(result, np.ndarray)
        rows.append(result)
    return np.stack(rows).astype(np.float64)


def change_drivers(
    model: LightGBMForecaster, panel: Panel, before: int, after: int, horizon: int = 1
) -> npt.NDArray[np.float64]:
    """(units, features) change of each feature's contribution (log-odds of P(at least 1)),
    from the inputs of month `before` to those of month `after`, under one fitted model."""
    then, now = contributions_at(model, panel, [before, after], horizon)
    change: npt.NDArray[np.float64] = (now - then)[:, :-1]
    return change
