"""The one interface every forecaster has, and what a forecast holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ..panel import Panel, PanelError

MAX_HORIZON = 12
QUANTILE_LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)


def point_from_samples(samples: npt.NDArray[np.floating], axis: int = -1) -> npt.NDArray[np.float64]:
    """The point forecast a sample set implies under squared log error (MSLE):
    expm1 of the mean of log1p, the value whose log1p is the expected log1p."""
    point: npt.NDArray[np.float64] = np.expm1(np.log1p(np.maximum(samples, 0)).mean(axis=axis))
    return point


def parse_horizons(text: str | Sequence[int]) -> list[int]:
    """ "1-12", "1,3,6,12" or a list -> sorted distinct horizons in 1..12."""
    if isinstance(text, str):
        values: list[int] = []
        for part in text.split(","):
            part = part.strip()
            if not part:
                continue
            try:
                if "-" in part:
                    first, last = (int(p) for p in part.split("-", 1))
                    values.extend(range(first, last + 1))
                else:
                    values.append(int(part))
            except ValueError:
                raise PanelError(f"horizons: {part!r} is not a number or a range like 1-12") from None
    else:
        values = [int(v) for v in text]
    if not values or any(not 1 <= v <= MAX_HORIZON for v in values):
        raise PanelError(f"horizons must be months ahead between 1 and {MAX_HORIZON}, got {text!r}")
    return sorted(set(values))


@dataclass
class Forecast:
    """Forecasts made at `origin` (the last month of data) for `origin + h`, h in `horizons`.

    Arrays are (units, horizons) for the point forecast and the probabilities of at least
    1 and at least 25 fatalities, and (units, horizons, samples) for predictive samples.
    """

    units: npt.NDArray[np.generic]
    origin: int
    horizons: npt.NDArray[np.int32]
    point: npt.NDArray[np.float32]
    samples: npt.NDArray[np.float32]
    p_ge1: npt.NDArray[np.float32]
    p_ge25: npt.NDArray[np.float32]
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def months(self) -> npt.NDArray[np.int32]:
        return self.origin + self.horizons

    def quantiles(self, levels: Sequence[float] = QUANTILE_LEVELS) -> npt.NDArray[np.float32]:
        """(len(levels), units, horizons) quantiles of the predictive samples."""
        return np.quantile(self.samples, levels, axis=2).astype(np.float32)

    @property
    def mean(self) -> npt.NDArray[np.float32]:
        mean: npt.NDArray[np.float32] = self.samples.mean(axis=2)
        return mean


class Forecaster:
    """scikit-learn style: `fit(panel)` learns from everything in the panel (the caller
    cuts it at the forecast origin), `predict(horizons)` forecasts the months after the
    panel's last month."""

    name = "forecaster"
    n_samples = 100

    def fit(self, panel: Panel) -> Forecaster:
        self.panel_ = panel
        return self

    def predict(self, horizons: Sequence[int]) -> Forecast:
        raise NotImplementedError

    def _forecast(
        self,
        horizons: Sequence[int],
        point: npt.NDArray[np.floating],
        samples: npt.NDArray[np.floating],
        **extra: object,
    ) -> Forecast:
        """Assemble a Forecast; probabilities are the share of samples at or above 1 and 25."""
        return Forecast(
            units=self.panel_.units,
            origin=self.panel_.last_month,
            horizons=np.asarray(horizons, dtype=np.int32),
            point=point.astype(np.float32),
            samples=samples.astype(np.float32),
            p_ge1=(samples >= 1).mean(axis=2).astype(np.float32),
            p_ge25=(samples >= 25).mean(axis=2).astype(np.float32),
            extra=extra,
        )
