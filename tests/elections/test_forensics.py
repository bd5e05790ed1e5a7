import numpy as np
import pytest

from bluehelmet.analytics import forensics


def test_station_flags():
    flags = forensics.station_flags(
        [100, 100, 0, 100], [90, 120, 5, 50], [85, 101, 5, 40], [5, 19, 0, 5], [[45, 40], [60, 41], [5, 0], [40, 0]]
    )
    assert flags == [[], ["turnout_over_100", "votes_over_registered"], ["no_registered"], ["ballots_mismatch"]]


def test_last_digits_uniform_and_made_up():
    rng = np.random.default_rng(1)
    honest = forensics.last_digit_test(rng.integers(50, 5000, size=2000))
    assert honest.test == "last_digit" and honest.n == 2000 and not honest.flagged and honest.p_value > 0.01
    made_up = forensics.last_digit_test(rng.choice([100, 150, 200, 250], size=500) + rng.choice([0, 5], size=500))
    assert made_up.flagged and made_up.p_value < 1e-6 and made_up.detail["observed"][0] > 200
    assert forensics.last_digit_test([3, 4, 5]).p_value is None  # counts below 10 say nothing


def test_round_numbers():
    rng = np.random.default_rng(2)
    honest = forensics.round_number_test(rng.uniform(40, 95, size=1000))
    assert not honest.flagged and abs(honest.statistic - 0.02) < 0.015
    written = forensics.round_number_test(
        np.concatenate([rng.uniform(40, 95, size=500), np.full(100, 90.0), np.full(50, 85.0)])
    )
    assert written.flagged and written.detail["round"] >= 150


def test_fingerprint_detects_stuffing_pattern():
    rng = np.random.default_rng(3)
    turnout = np.clip(rng.normal(0.6, 0.08, 800), 0, 1)
    share = np.clip(rng.normal(0.5, 0.08, 800), 0, 1)
    fair = forensics.fingerprint(turnout, share)
    assert not fair.flagged and sum(map(sum, fair.detail["histogram"])) == 800
    stuffed_turnout = np.concatenate([turnout, np.clip(rng.normal(0.97, 0.02, 200), 0, 1)])
    stuffed_share = np.concatenate([share, np.clip(rng.normal(0.96, 0.02, 200), 0, 1)])
    stuffed = forensics.fingerprint(stuffed_turnout, stuffed_share)
    assert stuffed.flagged and stuffed.statistic > 0.2 and stuffed.detail["corner_share"] > 0.05


def test_run_all_names_the_winner_and_every_test():
    result = forensics.run_all([100] * 30, [80] * 30, [78] * 30, [2] * 30, [[50, 28]] * 30)
    assert result["winner"] == 0 and result["winner_share"][0] == pytest.approx(50 / 78)
    assert [t.test for t in result["tests"]] == ["turnout_over_100", "last_digit", "round_numbers", "fingerprint"]
    assert result["tests"][0].flagged is False
