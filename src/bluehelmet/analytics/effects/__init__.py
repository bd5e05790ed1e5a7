"""Effect estimation: how peacekeeping presence changed violence.

count_models  negative binomial / Poisson panel regressions (statsmodels)
event_study   staggered difference-in-differences around base openings (Callaway & Sant'Anna)
panels        PRIO-GRID cell x month panels from event rows and deployment maps
plots         figures of the estimates
"""

from .count_models import CannotEstimate, CountModelResult, fit_count_model, rate_change
from .event_study import EventStudyResult, staggered_event_study

__all__ = [
    "CannotEstimate",
    "CountModelResult",
    "EventStudyResult",
    "fit_count_model",
    "rate_change",
    "staggered_event_study",
]
