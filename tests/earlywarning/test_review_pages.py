"""The run page's calibration figures and the risk page's look back at the previous run:
shown from what the run stored, in a fixed number of queries, and only to who may see both runs."""

import datetime

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bluehelmet.analytics.calibration import calibration_figures
from bluehelmet.core.models import Role, Sharing
from bluehelmet.earlywarning.models import ForecastRun

from ..factories import make_user
from .test_calibration import backtest_from, poisson_forecasts

pytestmark = pytest.mark.django_db


def stored_runs(mission, n_rows):
    """An earlier run and a later one whose stored review covers `n_rows` places per level."""
    y, samples = poisson_forecasts(1.0, n_rows=300, n_samples=50)
    figures = calibration_figures(backtest_from(np.repeat([10, 13, 16], 100), np.ones(300), y, samples))
    distribution = {"raw": figures, "recalibrated": figures, "applied": True}
    common = {
        "mission": mission,
        "model_name": "lightgbm_hurdle",
        "status": ForecastRun.Status.SUCCEEDED,
        "horizons": [1],
    }
    earlier = ForecastRun.objects.create(
        data_cutoff=datetime.date(2021, 6, 1),
        sharing=Sharing.MISSION,
        finished=datetime.datetime(2021, 7, 1, tzinfo=datetime.UTC),
        **common,
    )
    rows = [
        {
            "key": f"k{i}",
            "label": f"Place {i}",
            "p_ge1": 0.7,
            "observed": float(i % 2),
            "verdict": "hit" if i % 2 else "false_alarm",
        }
        for i in range(n_rows)
    ]
    changes = [
        {
            "key": f"k{i}",
            "label": f"Place {i}",
            "before": 0.2,
            "after": 0.5,
            "change": 0.3,
            "drivers": [["ged_best_t-0", 0.8]],
        }
        for i in range(n_rows)
    ]
    level = {
        "outcome": {
            "rows": rows,
            "counts": {"hit": n_rows // 2, "miss": 0, "false_alarm": n_rows - n_rows // 2, "calm": 0},
            "elsewhere": {"places": 2, "fatalities": 7.0},
        },
        "changes": changes,
    }
    later = ForecastRun.objects.create(
        data_cutoff=datetime.date(2021, 7, 1),
        sharing=Sharing.PUBLIC,
        finished=datetime.datetime(2021, 8, 1, tzinfo=datetime.UTC),
        metrics={
            lvl: {"origins": ["2020-01"], "scores": [], "calibration": [], "distribution": distribution}
            for lvl in ("admin", "pgm")
        },
        review={
            "previous_run": earlier.pk,
            "previous_cutoff": "2021-06",
            "month": "2021-07",
            "threshold": 0.5,
            "threshold_source": "default",
            "levels": {"admin": level, "pgm": level},
        },
        **common,
    )
    return earlier, later


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_run_and_risk_pages_show_stored_calibration_and_review_in_few_queries(client_for, other_mission):
    analyst = client_for(make_user("review-analyst", other_mission, Role.ANALYST))
    seen = {}
    # A first round warms the per-process caches (translations, templates) that are not measured.
    for n_rows in (5, 1, 40):
        ForecastRun.objects.filter(mission=other_mission).delete()
        _earlier, later = stored_runs(other_mission, n_rows)
        detail, detail_body = count(analyst, reverse("earlywarning:run-detail", args=[other_mission.acronym, later.pk]))
        index, index_body = count(analyst, reverse("earlywarning:index", args=[other_mission.acronym]))
        seen[n_rows] = (detail, index)
        assert 'id="calibration-config"' in detail_body and 'class="pit-chart"' in detail_body
        assert "Recalibrated" in detail_body and "PASS" in detail_body
        assert 'id="forecast-review"' in index_body and f"Place {n_rows - 1}" in index_body
        assert "false alarm" in index_body and "fatalities last month" in index_body
        assert "default threshold applies" in index_body
    assert seen[1] == seen[40], seen
    assert max(seen[40]) <= 12, seen
    # And in French.
    french = analyst.get(reverse("earlywarning:index", args=[other_mission.acronym]), HTTP_ACCEPT_LANGUAGE="fr")
    assert "fausse alerte" in french.content.decode() and "Ce qui s'est passé en 2021-07" in french.content.decode()
    french = analyst.get(
        reverse("earlywarning:run-detail", args=[other_mission.acronym, later.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert "Les fourchettes prévues sont-elles honnêtes" in french.content.decode()


def test_partners_see_no_review_of_a_run_not_shared_with_them(client_for, other_mission):
    _earlier, later = stored_runs(other_mission, 3)
    partner = client_for(make_user("review-partner", other_mission, Role.PARTNER))
    _queries, body = count(partner, reverse("earlywarning:index", args=[other_mission.acronym]))
    assert "Place 1" not in body and 'id="forecast-review"' not in body
