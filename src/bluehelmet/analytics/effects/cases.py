"""Why missions succeed: countries side by side, from conflict-month data in the Hultman,
Kathman & Shannon (2013) format (26 African civil conflicts, country-months 1991-2008).

Rules, stated once:
- a country-month sums civilians killed over the country's conflicts in that month; UN
  troops, police and observers are the country's (the same on every conflict row), so the
  largest value is taken;
- the source gives last month's UN strength (`*_lag`); the strength IN month m is therefore
  the lag value of month m + 1, and the deployment month is the first month with troops
  in it (the month before the first non-zero `troops_lag`);
- time to the first violence-free quarter: months from the deployment month to the start
  of the first three consecutive months, at or after deployment, with no civilian killed
  (None when the data end first);
- troops per 1,000 people at the peak: the largest monthly troop strength over the
  country's population in that month, the population read from the file's `lntpop`
  (natural log of the population in thousands, the article's control); where the peak
  month has none, the nearest earlier month's value of the country, else the nearest later;
- ceasefire and mandates: the file's monthly `ceasefire`, `robustmandate` and `pocmandate`
  dummies, as the share of the deployed months in which they held (None when unrecorded);
  the file has no DDR or election variables, so those stay unknown here.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

# Months before and after deployment shown in aligned series.
ALIGN_BEFORE, ALIGN_AFTER = 12, 36
FREE_RUN = 3  # a quarter
CASE_COLUMNS = (
    "country",
    "period",  # month index: year * 12 + month - 1
    "missions",  # the mission acronyms of the row ("" when none)
    "osv_all",
    "troops_lag",
    "police_lag",
    "observers_lag",
    "ceasefire",
    "robust_mandate",
    "poc_mandate",
    "lntpop",
)


@dataclass
class CaseSummary:
    country: str
    missions: list[str]
    first_period: int
    last_period: int
    deployment_period: int | None
    peak_troops: float | None  # people
    peak_period: int | None
    population_at_peak: float | None  # people
    troops_per_1000_at_peak: float | None
    months_to_violence_free_quarter: int | None
    killings_year_before: float | None  # civilians killed per month, 12 months before deployment
    killings_second_year: float | None  # per month, months 12..23 after deployment
    ceasefire_share: float | None  # of the deployed months
    robust_mandate_share: float | None
    poc_mandate_share: float | None
    # months since deployment -> (civilians killed, UN troops in people); None = no data
    aligned: dict[int, tuple[float | None, float | None]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["aligned"] = {str(k): list(v) for k, v in self.aligned.items()}
        return data


def _share(values: pd.Series) -> float | None:
    known = values.dropna()
    return float(known.mean()) if len(known) else None


def _value(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def country_months(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per country and month (see the module's rules), with `troops`, `police` and
    `observers` in people IN that month."""
    missing = [c for c in CASE_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"conflict-month frame lacks {', '.join(missing)}")
    grouped = frame.groupby(["country", "period"], sort=True)
    months = grouped.agg(
        osv_all=("osv_all", lambda s: s.sum(min_count=1)),
        troops_lag=("troops_lag", "max"),
        police_lag=("police_lag", "max"),
        observers_lag=("observers_lag", "max"),
        ceasefire=("ceasefire", "max"),
        robust_mandate=("robust_mandate", "max"),
        poc_mandate=("poc_mandate", "max"),
        lntpop=("lntpop", "max"),
        missions=("missions", lambda s: " ".join(sorted({m for v in s for m in str(v).split() if m}))),
    ).reset_index()
    pieces = []
    for _country, rows in months.groupby("country", sort=True):
        rows = rows.set_index("period").reindex(range(int(rows["period"].min()), int(rows["period"].max()) + 1))
        rows["country"] = _country
        rows["lntpop_filled"] = rows["lntpop"].ffill().bfill()
        for name in ("troops", "police", "observers"):
            # The next month's lag is this month's strength (thousands -> people).
            rows[name] = rows[f"{name}_lag"].shift(-1) * 1000.0
        pieces.append(rows.reset_index(names="period"))
    return pd.concat(pieces, ignore_index=True)


def summarise_cases(frame: pd.DataFrame) -> list[CaseSummary]:
    """One summary per country, countries with a deployment first (earliest first), then
    the others by name."""
    months = country_months(frame)
    summaries = []
    for country, rows in months.groupby("country", sort=True):
        rows = rows.set_index("period")
        missions: list[str] = []
        for value in rows["missions"].fillna(""):
            for acronym in str(value).split():
                if acronym not in missions:
                    missions.append(acronym)
        deployed = rows.index[rows["troops"].fillna(0) > 0]
        deployment = int(deployed[0]) if len(deployed) else None
        peak_troops = peak_period = population = per_1000 = None
        to_quiet = before = second_year = None
        ceasefire = robust = poc = None
        aligned: dict[int, tuple[float | None, float | None]] = {}
        if deployment is not None:
            peak_period = int(rows["troops"].idxmax())
            peak_troops = float(rows.loc[peak_period, "troops"])
            log_population = _value(rows.loc[peak_period, "lntpop_filled"])
            if log_population is not None:
                population = math.exp(log_population) * 1000.0
                per_1000 = peak_troops / population * 1000.0
            osv = rows["osv_all"]
            for start in range(deployment, int(rows.index.max()) - FREE_RUN + 2):
                window = osv.reindex(range(start, start + FREE_RUN))
                if window.notna().all() and (window == 0).all():
                    to_quiet = start - deployment
                    break
            year_before = osv.reindex(range(deployment - 12, deployment)).dropna()
            before = float(year_before.mean()) if len(year_before) else None
            later = osv.reindex(range(deployment + 12, deployment + 24)).dropna()
            second_year = float(later.mean()) if len(later) else None
            on = rows[rows["troops"].fillna(0) > 0]
            ceasefire = _share(on["ceasefire"])
            robust = _share(on["robust_mandate"])
            poc = _share(on["poc_mandate"])
            for offset in range(-ALIGN_BEFORE, ALIGN_AFTER + 1):
                period = deployment + offset
                if period in rows.index:
                    aligned[offset] = (_value(rows.loc[period, "osv_all"]), _value(rows.loc[period, "troops"]))
        summaries.append(
            CaseSummary(
                country=str(country),
                missions=missions,
                first_period=int(rows.index.min()),
                last_period=int(rows.index.max()),
                deployment_period=deployment,
                peak_troops=peak_troops,
                peak_period=peak_period,
                population_at_peak=population,
                troops_per_1000_at_peak=per_1000,
                months_to_violence_free_quarter=to_quiet,
                killings_year_before=before,
                killings_second_year=second_year,
                ceasefire_share=ceasefire,
                robust_mandate_share=robust,
                poc_mandate_share=poc,
                aligned=aligned,
            )
        )
    return sorted(summaries, key=lambda s: (s.deployment_period is None, s.deployment_period or 0, s.country))


def median_aligned(summaries: list[CaseSummary], exclude: str = "") -> dict[int, tuple[float | None, float | None]]:
    """Per month since deployment, the median over the deployed countries (but `exclude`)
    of civilians killed and of UN troops."""
    result: dict[int, tuple[float | None, float | None]] = {}
    for offset in range(-ALIGN_BEFORE, ALIGN_AFTER + 1):
        killed = [s.aligned[offset][0] for s in summaries if s.country != exclude and offset in s.aligned]
        troops = [s.aligned[offset][1] for s in summaries if s.country != exclude and offset in s.aligned]
        k = [v for v in killed if v is not None]
        t = [v for v in troops if v is not None]
        result[offset] = (float(np.median(k)) if k else None, float(np.median(t)) if t else None)
    return result


def peace_spells(frame: pd.DataFrame, threshold: float = 1.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Spells without killings of civilians, from the conflict months: a DERIVED stand-in for
    ceasefire spells (the file records no ceasefire start and end dates).

    A spell starts in a country's first month in the data and in the month after each month
    with at least `threshold` civilians killed; it ends (event) with the next such month, or
    is censored at the last month before a gap in the data or at the series' end. Time is
    in months since the spell began: month k of a spell is the row (k - 1, k].

    Returns (spells, rows): one row per spell (country, start period, months, ended, UN
    troops in its first month), and one counting-process row per spell-month with
    `un_troops` (1 when UN troops are in the country that month) for a Cox model with a
    time-varying term.
    """
    months = country_months(frame)
    spell_rows: list[dict[str, object]] = []
    month_rows: list[dict[str, object]] = []
    for country, rows in months.groupby("country", sort=True):
        rows = rows.sort_values("period")
        spell: list[tuple[int, float]] = []  # (period, troops) of the open spell

        for period, killed, troops in zip(rows["period"], rows["osv_all"], rows["troops"]):
            if pd.isna(killed):
                _close_spell(str(country), spell, False, spell_rows, month_rows)  # a gap: censored
                continue
            spell.append((int(period), 0.0 if pd.isna(troops) else float(troops)))
            if killed >= threshold:
                _close_spell(str(country), spell, True, spell_rows, month_rows)
        _close_spell(str(country), spell, False, spell_rows, month_rows)
    return pd.DataFrame(spell_rows), pd.DataFrame(month_rows)


def _close_spell(
    country: str,
    spell: list[tuple[int, float]],
    ended: bool,
    spell_rows: list[dict[str, object]],
    month_rows: list[dict[str, object]],
) -> None:
    """Write the open spell (its months' periods and troops) as one spell row and its
    counting-process rows, then empty it."""
    if not spell:
        return
    number = len(spell_rows)
    for k, (period, troops) in enumerate(spell, start=1):
        month_rows.append(
            {
                "spell": number,
                "country": country,
                "period": period,
                "start": k - 1,
                "stop": k,
                "ended": int(ended and k == len(spell)),
                "un_troops": int(troops > 0),
            }
        )
    spell_rows.append(
        {
            "spell": number,
            "country": country,
            "start_period": spell[0][0],
            "months": len(spell),
            "ended": int(ended),
            "un_troops_at_start": int(spell[0][1] > 0),
        }
    )
    spell.clear()
