"""Missions compared: the whole Hultman, Kathman & Shannon (2013) file imported with the
`conflict-months` kind, summarised by country, HKS Table 1 (model 1) reproduced from it,
and the page."""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from bluehelmet.core.demo import DATA_DIR
from bluehelmet.core.models import Role
from bluehelmet.datasets.demo import CASE_FILE
from bluehelmet.datasets.models import ConflictMonth
from bluehelmet.importers.registry import run_import
from bluehelmet.performance.comparison import HKS_TERMS, conflict_month_rows, mission_comparison, pooled_hks_model

FILE = DATA_DIR / CASE_FILE


@pytest.fixture
def hks(db, mission):
    summary = run_import("conflict-months", FILE)
    assert summary.rows == 3972
    return summary


def hks_model_1_from_the_file():
    """Model 1 of HKS Table 1 straight from the CSV with statsmodels: NB2, clustered by conflict."""
    data = pd.read_csv(FILE)[["osvAll", *HKS_TERMS, "conflict_id"]].dropna()
    X = sm.add_constant(data[HKS_TERMS])
    model = sm.NegativeBinomial(data["osvAll"], X, loglike_method="nb2")
    poisson = sm.Poisson(data["osvAll"], X).fit(disp=0, method="newton", maxiter=300)
    start = np.append(poisson.params.to_numpy(), 1.0)
    return model.fit(
        start_params=start,
        method="newton",
        maxiter=300,
        disp=0,
        cov_type="cluster",
        cov_kwds={"groups": data["conflict_id"].astype(int).to_numpy()},
    )


def test_the_whole_file_imported_and_hks_table_1_model_1_reproduced_from_it(hks):
    assert ConflictMonth.objects.count() == 3972
    assert ConflictMonth.objects.values("country").distinct().count() == 26
    ours = pooled_hks_model(conflict_month_rows(ConflictMonth.objects.all()))
    theirs = hks_model_1_from_the_file()
    assert ours["countries"] == 26 and ours["conflicts"] == 36
    model = ours["model"]
    assert model["n_obs"] == int(theirs.nobs)
    by_term = {c["term"]: c for c in model["coefficients"]}
    for term in HKS_TERMS:
        assert by_term[term]["estimate"] == pytest.approx(theirs.params[term], abs=1e-4)
        assert by_term[term]["std_error"] == pytest.approx(theirs.bse[term], abs=1e-4)
    # The article's finding: more UN troops and police, fewer civilians killed.
    assert by_term["troopLag"]["estimate"] < 0 and by_term["troopLag"]["p_value"] < 0.01
    assert by_term["policeLag"]["estimate"] < 0 and by_term["policeLag"]["p_value"] < 0.01


def _sierra_leone_beside_the_others(mission, users):
    result = mission_comparison(users[Role.REPORTER], mission)
    assert result["countries"] == 26 and result["highlighted"] == ["Sierra Leone"]
    cases = {case["summary"].country: case for case in result["cases"]}
    sierra_leone = cases["Sierra Leone"]["summary"]
    assert sierra_leone.missions == ["UNOMSIL", "UNAMSIL"]
    data = pd.read_csv(FILE)
    rows = data[data["location"] == "Sierra Leone"].reset_index(drop=True)
    # Strength in a month is the next month's lag: the peak is the largest troopLag, a month earlier.
    peak_row = rows["troopLag"].idxmax()
    assert sierra_leone.peak_troops == pytest.approx(rows.loc[peak_row, "troopLag"] * 1000)
    population = math.exp(rows.loc[peak_row - 1, "lntpop"]) * 1000
    assert sierra_leone.troops_per_1000_at_peak == pytest.approx(sierra_leone.peak_troops / population * 1000)
    first = rows.index[rows["troopLag"] > 0][0] - 1
    assert cases["Sierra Leone"]["deployment_month"] == f"{rows.loc[first, 'year']}-{int(rows.loc[first, 'mon']):02d}"
    assert len(result["figures"]) == 2 and result["figures"][0].svg.startswith(b"<?xml")
    assert cases["Ethiopia"]["summary"].deployment_period is None


def test_the_page_in_english_and_french(hks, client_for, users, mission):
    _sierra_leone_beside_the_others(mission, users)
    client = client_for(users[Role.REPORTER])
    body = client.get("/missions/UNAMSIL/performance/missions-compared/").content.decode()
    assert "Sierra Leone" in body and "UNAMSIL" in body and "Troops per 1,000 people at the peak" in body
    assert 'class="highlighted"' in body and "doi:10.7910/DVN/6EBCGA" in body
    french = client.get("/missions/UNAMSIL/performance/missions-compared/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Soldats pour 1 000 habitants au pic" in french


def test_without_data_the_page_says_what_to_import_and_outsiders_get_404(db, client_for, users):
    url = "/missions/UNAMSIL/performance/missions-compared/"
    assert "No conflict months are loaded" in client_for(users[Role.PARTNER]).get(url).content.decode()
    assert client_for(users["outsider"]).get(url).status_code == 404


def test_the_results_tab_explains_the_single_country_estimate_beside_the_26_countries(hks, client_for, users, mission):
    from bluehelmet.performance.effects import compute_mission_effects

    compute_mission_effects(mission)
    body = client_for(users[Role.REPORTER]).get("/missions/UNAMSIL/performance/").content.decode()
    assert "Each additional 1,000 troops is associated with" in body
    assert "Why one country gives a weak estimate" in body
    assert "Across 26 countries and 36 conflicts (Hultman, Kathman &amp; Shannon 2013" in body
    # The report carries the same comparison, in HTML and in the PDF.
    from bluehelmet.performance.report import render_html, render_pdf, report_context

    context = report_context(mission, users[Role.REPORTER])
    html = render_html(context)
    assert "Missions compared" in html and '<tr class="highlighted">' in html and "doi:10.7910/DVN/6EBCGA" in html
    assert render_pdf(context).startswith(b"%PDF")
