"""The anomaly report names every station behind a flag, with why: not only the stations with
turnout above 100 %, but those the round-number and last-digit tests point to (issue 15)."""

import numpy as np

from bluehelmet.analytics import forensics


def _written_results(rng, honest: int, written: int):
    """`honest` stations with counted figures, then `written` ones whose turnout is exactly 90 %
    and whose counts all end in 0."""
    registered = np.full(honest + written, 1000)
    turnout = np.concatenate([rng.uniform(0.40, 0.89, size=honest), np.full(written, 0.90)])
    ballots = np.rint(registered * turnout).astype(int)
    ballots[honest:] = 900
    a = np.rint(ballots * 0.55).astype(int)
    a[honest:] = 500
    b = ballots - a
    return registered, ballots, ballots, np.zeros_like(ballots), np.column_stack([a, b])


def test_stations_behind_the_round_number_and_last_digit_flags_are_named():
    rng = np.random.default_rng(3)
    honest, written = 300, 60
    registered, ballots, valid, invalid, votes = _written_results(rng, honest, written)
    checks = forensics.run_all(registered, ballots, valid, invalid, votes)
    tests = {t.test: t for t in checks["tests"]}
    assert tests["round_numbers"].flagged and tests["last_digit"].flagged
    behind = checks["test_flags"]
    assert len(behind) == honest + written
    assert all({"round_numbers", "last_digit"} <= set(found) for found in behind[honest:])
    # Few honest stations are named, and never for a test that did not flag.
    assert sum(1 for found in behind[:honest] if "round_numbers" in found) < honest * 0.1
    assert not any("turnout_over_100" in found for found in behind)


def test_no_station_is_named_when_no_test_flags():
    rng = np.random.default_rng(4)
    registered, ballots, valid, invalid, votes = _written_results(rng, 300, 0)
    checks = forensics.run_all(registered, ballots, valid, invalid, votes)
    assert not any(checks["test_flags"])


def test_fingerprint_has_axis_titles():
    from pathlib import Path

    import bluehelmet

    template = (Path(bluehelmet.__file__).parent / "elections/templates/elections/results.html").read_text()
    figure = template[template.index('class="fingerprint-axes"') :].split("</figure>")[0]
    assert 'class="axis-title axis-y"' in figure and 'class="axis-title axis-x"' in figure
    assert "Turnout, 0 to 100 %" in figure and "Winner's share" in figure
