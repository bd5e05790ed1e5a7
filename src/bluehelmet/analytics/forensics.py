"""Election result forensics: standard statistical checks on station-level results.

Every check returns its test statistic and p-value (or the stations it concerns) and
whether it crossed the threshold: evidence for a reviewer, never a verdict. Honest
elections fail some of these tests by chance (at alpha = 0.01, one test in a hundred), and
real fraud can pass them all.

    station_flags(registered, ballots, valid, invalid, candidate_votes)   per-station impossibilities
    last_digit_test(counts)             last digits of vote counts uniform? (chi-square, Beber & Scacco 2012)
    round_number_test(turnout_percent)  too many turnouts on a multiple of 5 %? (binomial)
    fingerprint(turnout, winner_share)  turnout x winner-share 2-D histogram (Klimek et al. 2012)
    run_all(...)                        every check on one set of results

No Django: arrays in, plain dataclasses out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import numpy.typing as npt
from scipy import stats

ALPHA = 0.01
MIN_DIGIT_COUNT = 10  # one-digit counts say nothing about last digits
MIN_TESTED = 20  # fewer values than this: the test is not run

# One value per station: a list or an array (its length is the number of stations).
StationValues = Sequence[float] | npt.NDArray[np.number]


@dataclass
class TestResult:
    test: str
    statistic_name: str
    statistic: float | None
    p_value: float | None
    n: int
    flagged: bool
    detail: dict[str, object] = field(default_factory=dict)
    note: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _not_run(test: str, statistic_name: str, n: int, note: str) -> TestResult:
    return TestResult(test, statistic_name, None, None, n, False, note=note)


def station_flags(
    registered: npt.ArrayLike,
    ballots: npt.ArrayLike,
    valid: npt.ArrayLike,
    invalid: npt.ArrayLike,
    candidate_votes: npt.ArrayLike,
) -> list[list[str]]:
    """Per station, the codes of what cannot be right:
    turnout_over_100      ballots cast above registered voters (turnout above 100 %)
    votes_over_registered valid votes above registered voters
    ballots_mismatch      valid + invalid differs from ballots cast
    candidates_mismatch   the candidates' votes do not add up to the valid votes
    no_registered         votes where no voter is registered
    `candidate_votes` is stations x candidates."""
    registered, ballots = np.asarray(registered, float), np.asarray(ballots, float)
    valid, invalid = np.asarray(valid, float), np.asarray(invalid, float)
    votes = np.asarray(candidate_votes, float).reshape(len(registered), -1)
    flags: list[list[str]] = []
    for k in range(len(registered)):
        found = []
        if registered[k] <= 0 and ballots[k] > 0:
            found.append("no_registered")
        elif ballots[k] > registered[k]:
            found.append("turnout_over_100")
        if registered[k] > 0 and valid[k] > registered[k]:
            found.append("votes_over_registered")
        if valid[k] + invalid[k] != ballots[k]:
            found.append("ballots_mismatch")
        if votes.shape[1] and votes[k].sum() != valid[k]:
            found.append("candidates_mismatch")
        flags.append(found)
    return flags


def turnout(registered: npt.ArrayLike, ballots: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Ballots over registered voters; NaN where no one is registered."""
    registered, ballots = np.asarray(registered, float), np.asarray(ballots, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share: npt.NDArray[np.float64] = np.where(registered > 0, ballots / registered, np.nan)
        return share


def last_digit_test(counts: npt.ArrayLike, min_count: int = MIN_DIGIT_COUNT, alpha: float = ALPHA) -> TestResult:
    """Chi-square test that the last digits of the vote counts (each at least `min_count`)
    are uniform over 0-9, as they are in honest counts of that size; made-up figures tend
    to favour some digits."""
    values = np.asarray(counts, float).ravel()
    values = values[np.isfinite(values) & (values >= min_count)].astype(int)
    observed = np.bincount(values % 10, minlength=10)
    n = int(values.size)
    detail = {"observed": observed.tolist(), "expected": [n / 10] * 10}
    if n < MIN_TESTED:
        result = _not_run("last_digit", "chi2", n, f"too few counts of {min_count} or more")
        result.detail = detail
        return result
    statistic, p_value = stats.chisquare(observed)
    return TestResult(
        "last_digit", "chi2", float(statistic), float(p_value), n, bool(p_value < alpha), {**detail, "df": 9}
    )


def round_number_test(percentages: npt.ArrayLike, step: float = 5.0, alpha: float = ALPHA) -> TestResult:
    """Binomial test for too many values (turnouts in percent) that are exact multiples of
    `step` when rounded to one decimal: by chance about 1 in 10 * step rounded values is.
    Kobak et al. (2016) found such peaks where figures were written, not counted."""
    values = np.asarray(percentages, float).ravel()
    values = values[np.isfinite(values) & (values > 0)]
    n = int(values.size)
    tenths = np.rint(values * 10).astype(int)
    hits = int(np.count_nonzero(tenths % int(round(step * 10)) == 0))
    expected = 1.0 / (step * 10)
    detail: dict[str, object] = {
        "round": hits,
        "share": hits / n if n else None,
        "expected_share": expected,
        "step": step,
    }
    if n < MIN_TESTED:
        result = _not_run("round_numbers", "share", n, "too few stations")
        result.detail = detail
        return result
    test = stats.binomtest(hits, n, expected, alternative="greater")
    return TestResult("round_numbers", "share", hits / n, float(test.pvalue), n, bool(test.pvalue < alpha), detail)


def fingerprint(
    turnout_share: npt.ArrayLike,
    winner_share: npt.ArrayLike,
    bins: int = 20,
    alpha: float = ALPHA,
    corner: float = 0.95,
) -> TestResult:
    """The election fingerprint (Klimek et al. 2012): the 2-D histogram of stations by
    turnout (x) and the winner's vote share (y), both 0-1. Fair elections make one
    roughly round cluster; ballot stuffing smears it toward the top-right corner (high
    turnout and high winner share together). The statistic is Spearman's correlation of
    turnout with the winner's share (flagged when significantly positive); `corner` is the
    share of stations with both above 95 %."""
    x, y = np.asarray(turnout_share, float).ravel(), np.asarray(winner_share, float).ravel()
    keep = np.isfinite(x) & np.isfinite(y)
    x, y = np.clip(x[keep], 0, 1), np.clip(y[keep], 0, 1)
    n = int(x.size)
    histogram, x_edges, y_edges = np.histogram2d(x, y, bins=bins, range=[[0, 1], [0, 1]])
    corner_share = float(np.mean((x >= corner) & (y >= corner))) if n else None
    detail = {
        "histogram": histogram.astype(int).tolist(),
        "x_edges": x_edges.tolist(),
        "y_edges": y_edges.tolist(),
        "corner_share": corner_share,
    }
    if n < MIN_TESTED or np.ptp(x) == 0 or np.ptp(y) == 0:
        result = _not_run("fingerprint", "spearman_rho", n, "too few stations or no spread")
        result.detail = detail
        return result
    rho, p_two_sided = stats.spearmanr(x, y)
    p_value = float(p_two_sided / 2 if rho > 0 else 1 - p_two_sided / 2)
    return TestResult("fingerprint", "spearman_rho", float(rho), p_value, n, bool(p_value < alpha), detail)


def over_registered_test(flags: list[list[str]]) -> TestResult:
    """Stations where more ballots were cast than voters registered: impossible, so any
    such station is flagged (no p-value: there is no chance model for an impossibility)."""
    bad = [k for k, found in enumerate(flags) if "turnout_over_100" in found or "no_registered" in found]
    return TestResult("turnout_over_100", "stations", float(len(bad)), None, len(flags), bool(bad), {"stations": bad})


def stations_behind_tests(
    tests: Sequence[TestResult],
    turnout_percent: npt.ArrayLike,
    candidate_votes: npt.ArrayLike,
    min_count: int = MIN_DIGIT_COUNT,
) -> list[list[str]]:
    """Per station, the flagged aggregate tests it gives evidence to, so a report can name
    every station behind a flag: "round_numbers" when the round-number test flagged and the
    station's turnout is on a multiple of the step; "last_digit" when the last-digit test
    flagged and one of the station's counts (of `min_count` or more) ends in an over-frequent
    digit (standardised residual above 2, else the most over-frequent one)."""
    percent = np.asarray(turnout_percent, float).ravel()
    votes = np.asarray(candidate_votes, float).reshape(len(percent), -1)
    found: list[list[str]] = [[] for _ in range(len(percent))]
    flagged = {test.test: test for test in tests if test.flagged}
    if "round_numbers" in flagged:
        step = int(round(float(flagged["round_numbers"].detail.get("step", 5.0)) * 10))  # type: ignore[arg-type]
        tenths = np.rint(np.where(np.isfinite(percent), percent, -1) * 10).astype(int)
        for k in np.flatnonzero((percent > 0) & (tenths % step == 0)):
            found[int(k)].append("round_numbers")
    if "last_digit" in flagged:
        detail = flagged["last_digit"].detail
        observed = np.asarray(detail["observed"], float)
        expected = np.asarray(detail["expected"], float)
        residual = (observed - expected) / np.sqrt(np.where(expected > 0, expected, 1))
        digits = set(np.flatnonzero(residual > 2).tolist()) or {int(np.argmax(residual))}
        for station, row in enumerate(votes):
            counted = row[np.isfinite(row) & (row >= min_count)].astype(int)
            if any(int(value) % 10 in digits for value in counted):
                found[station].append("last_digit")
    return found


def run_all(
    registered: StationValues,
    ballots: npt.ArrayLike,
    valid: npt.ArrayLike,
    invalid: npt.ArrayLike,
    candidate_votes: npt.ArrayLike,
    alpha: float = ALPHA,
) -> dict[str, object]:
    """Every check on one set of results (stations in rows, candidates in columns)."""
    votes = np.asarray(candidate_votes, float).reshape(len(registered), -1)
    flags = station_flags(registered, ballots, valid, invalid, votes)
    share_turnout = turnout(registered, ballots)
    winner = int(np.argmax(votes.sum(axis=0))) if votes.shape[1] else None
    with np.errstate(divide="ignore", invalid="ignore"):
        winner_share = votes[:, winner] / votes.sum(axis=1) if winner is not None else np.full(len(flags), np.nan)
    tests = [
        over_registered_test(flags),
        last_digit_test(votes, alpha=alpha),
        round_number_test(share_turnout * 100, alpha=alpha),
        fingerprint(share_turnout, winner_share, alpha=alpha),
    ]
    return {
        "flags": flags,
        "test_flags": stations_behind_tests(tests, share_turnout * 100, votes),
        "turnout": share_turnout.tolist(),
        "winner": winner,
        "winner_share": winner_share.tolist(),
        "tests": tests,
    }
