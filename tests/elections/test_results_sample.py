"""A sample results file ships with every round (issue 15: a new user had to build one to try
the import): this round's stations, made-up figures marked SAMPLE, in the import's format."""

from bluehelmet.elections.models import StationResult
from bluehelmet.elections.results import import_results


def test_the_sample_downloads_labelled_and_imports_cleanly(client_for, users, round_, tmp_path):
    client = client_for(users["administrator"])
    page = client.get(f"/missions/UNAMSIL/elections/rounds/{round_.pk}/results/").content.decode()
    url = f"/missions/UNAMSIL/elections/rounds/{round_.pk}/results/sample.csv"
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200 and "SAMPLE-results-UNAMSIL-round1.csv" in response["Content-Disposition"]
    text = response.content.decode()
    header, *rows = text.splitlines()
    assert header.startswith("station_code,registered_voters,ballots_cast,invalid_votes,Candidate A (SAMPLE)")
    assert [row.split(",")[0] for row in rows] == ["C1-1", "C1-2", "C1-3", "C2-1", "C2-2"]
    path = tmp_path / "sample.csv"
    path.write_text(text, encoding="utf-8")
    summary = import_results(round_, path)
    assert summary.rows == 5 and summary.created == 5
    flags = dict(StationResult.objects.values_list("station__code", "flags"))
    assert flags["C2-2"] and not any(flags[code] for code in ("C1-1", "C1-2", "C1-3", "C2-1"))


def test_only_who_may_import_gets_the_sample(client_for, users, round_):
    url = f"/missions/UNAMSIL/elections/rounds/{round_.pk}/results/sample.csv"
    assert client_for(users["reporter"]).get(url).status_code == 403
