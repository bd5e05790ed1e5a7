"""Station-level results: the CSV import and the forensics report.

The file has one row per station: `station_code`, `registered_voters`, `ballots_cast`,
`invalid_votes`, and one column per candidate or list (any other heading), holding votes.
Valid votes are the candidates' sum.

What is an error and what is a flag:
- errors reject the whole file (nothing written): an unknown station, a station twice, a
  value that is not a whole number, and a NEGATIVE count: no count of ballots can be below
  zero, so such a file is corrupt or mis-typed, not evidence about the election;
- flags are stored with the result for review (analytics.forensics.station_flags): ballots
  above registered voters (turnout above 100 %), valid votes above registered, valid plus
  invalid differing from ballots cast; and the statistical tests of the report page.
Importing the same file again changes nothing; a corrected file replaces a station's figures.
"""

import numpy as np
from django.utils.translation import gettext as _

from bluehelmet.analytics import forensics
from bluehelmet.importers.base import CsvImporter, Row, upsert

from .models import Candidate, CandidateVotes, PollingStation, Round, StationResult

FIXED_COLUMNS = ("station_code", "registered_voters", "ballots_cast", "invalid_votes")
MAX_VOTES = 10_000_000


class ResultsImporter(CsvImporter):
    kind = "election-results"
    label = "Election results by polling station (CSV)"
    required_columns = FIXED_COLUMNS
    option_names = ("round",)

    def __init__(self, path, **kwargs):
        super().__init__(path, **kwargs)
        self.round: Round = self.options["round"]
        mission = self.round.election.mission
        self.stations: dict[str, list[int]] = {}
        for pk, code in PollingStation.objects.filter(centre__mission=mission).values_list("pk", "code"):
            self.stations.setdefault(code.strip().casefold(), []).append(pk)
        self.seen: dict[int, int] = {}

    def _check_header(self, header):
        index = super()._check_header(header)
        self.candidates = [name.strip() for name in header if name.strip() and name.strip() not in FIXED_COLUMNS]
        if not self.candidates:
            raise self.file_error(_("no candidate columns: add one column of votes per candidate or list"))
        twice = sorted({name for name in self.candidates if self.candidates.count(name) > 1})
        if twice:
            raise self.file_error(_("a candidate column appears twice: %(names)s") % {"names": ", ".join(twice)})
        return index

    def _count(self, row: Row, column: str) -> int | None:
        value = row.raw(column).strip()
        if value.lstrip().startswith("-") and value.lstrip("-").replace(".", "", 1).isdigit():
            row.error(column, value, _("a negative count is impossible: the file is rejected, correct the value"))
            return None
        return row.int(column, required=True, minimum=0, maximum=MAX_VOTES)

    def parse(self, row: Row):
        code = row.text("station_code", 40, required=True)
        matches = self.stations.get(code.casefold(), []) if code else []
        station = None
        if code and not matches:
            row.error("station_code", code, _("no polling station with this code in the mission"))
        elif len(matches) > 1:
            row.error("station_code", code, _("several stations of the mission have this code"))
        elif matches:
            station = matches[0]
            if station in self.seen:
                row.error(
                    "station_code", code, _("this station is already in row %(row)d") % {"row": self.seen[station]}
                )
            self.seen.setdefault(station, row.number)
        record = {name: self._count(row, name) for name in FIXED_COLUMNS[1:]}
        votes = {name: self._count(row, name) for name in self.candidates}
        if row.failed:
            return None
        return {"station": station, **record, "votes": votes}

    def write(self, records):
        records = list(records)
        candidates = {c.name: c for c in Candidate.objects.filter(election=self.round.election)}
        new = [Candidate(election=self.round.election, name=name) for name in self.candidates if name not in candidates]
        Candidate.objects.bulk_create(new)
        self.summary.count("candidates created", len(new))
        candidates.update({c.name: c for c in new})
        votes = np.array([[r["votes"][name] for name in self.candidates] for r in records], dtype=float)
        valid = votes.sum(axis=1)
        flags = forensics.station_flags(
            [r["registered_voters"] for r in records],
            [r["ballots_cast"] for r in records],
            valid,
            [r["invalid_votes"] for r in records],
            votes,
        )
        rows = [
            {
                "round_id": self.round.pk,
                "station_id": r["station"],
                "registered_voters": r["registered_voters"],
                "ballots_cast": r["ballots_cast"],
                "valid_votes": int(valid[k]),
                "invalid_votes": r["invalid_votes"],
                "flags": flags[k],
                "imported_from": self.path.name[:255],
            }
            for k, r in enumerate(records)
        ]
        done = upsert(
            StationResult,
            ("round_id", "station_id"),
            rows,
            ["registered_voters", "ballots_cast", "valid_votes", "invalid_votes", "flags"],
            existing=StationResult.objects.filter(round=self.round),
            summary=self.summary,
        )
        vote_rows = [
            {
                "result_id": done.pks[(self.round.pk, r["station"])],
                "candidate_id": candidates[name].pk,
                "votes": r["votes"][name],
            }
            for r in records
            for name in self.candidates
        ]
        upsert(
            CandidateVotes,
            ("result_id", "candidate_id"),
            vote_rows,
            ["votes"],
            existing=CandidateVotes.objects.filter(result__round=self.round),
            summary=self.summary,
            label="candidate votes",
            need_pks=False,
        )
        flagged = sum(1 for f in flags if f)
        self.summary.count("stations flagged", flagged)
        if flagged:
            self.warn(_("%(n)d station(s) flagged for review (see the anomaly report)") % {"n": flagged})


SAMPLE_STATIONS = 12
SAMPLE_CANDIDATES = ("Candidate A (SAMPLE)", "Candidate B (SAMPLE)", "Candidate C (SAMPLE)")


def sample_results_csv(round_: Round) -> str:
    """A small results file in the import's format for this round's first stations (their
    codes and registered voters as recorded), with made-up figures and candidates marked
    SAMPLE: something to try the import with, never results. Every row imports cleanly; the
    last has more ballots than registered voters, to show a flagged station."""
    import csv
    import io

    stations = list(
        PollingStation.objects.filter(centre__mission=round_.election.mission).order_by("code")[:SAMPLE_STATIONS]
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["station_code", "registered_voters", "ballots_cast", "invalid_votes", *SAMPLE_CANDIDATES])
    for k, station in enumerate(stations):
        registered = station.registered_voters or 500
        ballots = registered * (60 + 4 * (k % 8)) // 100
        if k == len(stations) - 1:
            ballots = registered + 12
        invalid = ballots * 3 // 100
        valid = ballots - invalid
        first, second = valid * 52 // 100, valid * 31 // 100
        writer.writerow([station.code, registered, ballots, invalid, first, second, valid - first - second])
    return out.getvalue()


def import_results(round_: Round, path, **kwargs):
    return ResultsImporter(path, round=round_, **kwargs).run()


def anomaly_report(round_: Round) -> dict | None:
    """Every forensic check on the round's results, and each station with its flags."""
    results = list(
        StationResult.objects.filter(round=round_)
        .select_related("station__centre")
        .prefetch_related("votes__candidate")
    )
    if not results:
        return None
    names = sorted({v.candidate.name for r in results for v in r.votes.all()})
    votes = np.array(
        [[next((v.votes for v in r.votes.all() if v.candidate.name == n), 0) for n in names] for r in results],
        dtype=float,
    )
    checks = forensics.run_all(
        [r.registered_voters for r in results],
        [r.ballots_cast for r in results],
        [r.valid_votes for r in results],
        [r.invalid_votes for r in results],
        votes,
    )
    stations = []
    for k, r in enumerate(results):
        turnout = checks["turnout"][k]
        share = checks["winner_share"][k]
        stations.append(
            {
                "code": r.station.code,
                "centre": r.station.centre.name,
                "lat": r.station.centre.latitude,
                "lon": r.station.centre.longitude,
                "registered": r.registered_voters,
                "ballots": r.ballots_cast,
                "valid": r.valid_votes,
                "invalid": r.invalid_votes,
                "turnout": None if turnout != turnout else turnout,
                "winner_share": None if share != share else share,
                # Impossibilities first, then the flagged tests the station gives evidence to.
                "flags": checks["flags"][k] + checks["test_flags"][k],
            }
        )
    totals = votes.sum(axis=0)
    return {
        "candidates": [{"name": n, "votes": int(t)} for n, t in zip(names, totals)],
        "winner": names[checks["winner"]] if checks["winner"] is not None else None,
        "tests": [t.as_dict() for t in checks["tests"]],
        "stations": stations,
        "flagged": [s for s in stations if s["flags"]],
    }
