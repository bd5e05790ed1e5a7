import pytest

from bluehelmet.elections.models import Candidate, CandidateVotes, StationResult
from bluehelmet.elections.results import anomaly_report, import_results
from bluehelmet.importers.base import ImportFailed

HEADER = "station_code,registered_voters,ballots_cast,invalid_votes,Candidate A (exercise),Candidate B (exercise)\n"
GOOD = HEADER + "C1-1,400,300,10,200,90\nC1-2,410,305,5,150,150\nC1-3,420,450,0,400,50\nC2-1,400,200,10,100,80\n"


def write(tmp_path, text, name="results.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_flags_impossible_results_and_is_idempotent(round_, tmp_path):
    summary = import_results(round_, write(tmp_path, GOOD))
    assert (summary.rows, summary.created) == (4, 4) and summary.details["stations flagged"] == 2
    flags = dict(StationResult.objects.values_list("station__code", "flags"))
    assert (
        flags["C1-3"] == ["turnout_over_100", "votes_over_registered"]
        and flags["C2-1"] == ["ballots_mismatch"]
        and flags["C1-1"] == []
    )
    assert StationResult.objects.get(station__code="C1-1").valid_votes == 290
    again = import_results(round_, write(tmp_path, GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert CandidateVotes.objects.count() == 8 and Candidate.objects.count() == 2
    corrected = import_results(
        round_, write(tmp_path, GOOD.replace("C2-1,400,200,10,100,80", "C2-1,400,200,10,110,80"))
    )
    assert corrected.updated == 1 and StationResult.objects.get(station__code="C2-1").flags == []


@pytest.mark.parametrize(
    "bad_row, column, message",
    [
        ("C1-1,400,-3,10,200,90", "ballots_cast", "negative"),
        ("C1-1,400,300,10,-5,90", "Candidate A (exercise)", "negative"),
        ("XX-9,400,300,10,200,90", "station_code", "no polling station"),
        ("C1-1,400,3.5,10,200,90", "ballots_cast", "whole number"),
    ],
)
def test_bad_rows_reject_the_whole_file(round_, tmp_path, bad_row, column, message):
    with pytest.raises(ImportFailed) as failed:
        import_results(round_, write(tmp_path, HEADER + "C1-2,410,305,5,150,150\n" + bad_row + "\n"))
    error = failed.value.errors[0]
    assert (error.row, error.column) == (3, column) and message in error.message
    assert not StationResult.objects.exists() and not Candidate.objects.exists()


def test_a_station_twice_is_an_error(round_, tmp_path):
    with pytest.raises(ImportFailed) as failed:
        import_results(round_, write(tmp_path, HEADER + "C1-1,400,300,10,200,90\nc1-1,400,300,10,200,90\n"))
    assert "already in row 2" in failed.value.errors[0].message


def test_anomaly_report(round_, tmp_path):
    assert anomaly_report(round_) is None
    import_results(round_, write(tmp_path, GOOD))
    report = anomaly_report(round_)
    assert report["winner"] == "Candidate A (exercise)" and [s["code"] for s in report["flagged"]] == ["C1-3", "C2-1"]
    over = next(t for t in report["tests"] if t["test"] == "turnout_over_100")
    assert over["flagged"] and over["statistic"] == 1
    assert next(t for t in report["tests"] if t["test"] == "last_digit")["p_value"] is None  # too few counts: not run
