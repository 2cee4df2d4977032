"""The kommune's own running figure: the omgørelsesprocent of the year so far, from its
register of Ankestyrelsen's decisions, months before the year's official figures.

From a case-level register with decision dates (`afgoerelsesdato`): the cases decided
so far in the year, per quarter, against the same months of last year (Fisher's exact
test), and a forecast of the full year (`omglib.forecast`), whose cases still to come
are expected at last year's pace: as many as last year decided after the same day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from omglib import registry, stats
from omglib.dataset import rows_of_provisions
from omglib.errors import OmgError
from omglib.forecast import YearForecast, forecast_year
from omglib.io.readers import CaseTable, cases_per_area
from omglib.memo import derived
from omglib.outcomes import COUNT_COLUMNS, DETAIL_COLUMNS, add_rates, collapse, count_outcomes

QUARTERS = (1, 2, 3, 4)
#: The counts `outcomes.count_outcomes` makes of cases.
CASE_COUNTS = (*COUNT_COLUMNS, *DETAIL_COLUMNS)


@dataclass(frozen=True)
class RunningFigures:
    """A kommune's figures for an area in `year` up to and including `until`.

    `so_far` and `last_year` (the same period of the year before; None when the register
    does not cover that year) are rows of counts and rates as `outcomes.add_rates` makes
    them; `change` compares the two (None without last year); `quarters` has a row per
    quarter begun by `until`; `forecast` is None when the register does not cover last
    year, whose pace it needs."""

    kommunekode: int
    area: str
    year: int
    until: dt.date
    so_far: pd.Series
    last_year: pd.Series | None
    change: stats.SignificanceResult | None
    quarters: pd.DataFrame
    forecast: YearForecast | None


def running_figures(
    cases: CaseTable,
    kommune: int | str,
    area: str,
    year: int,
    until: dt.date | None = None,
) -> RunningFigures:
    """The running figures (see the module docstring). `until` defaults to the last
    decision date in the register (the day the extract ends), at most 31 December."""
    decisions, per_area = _register(cases)
    code = registry.kommune_code(kommune)
    area = registry.resolve_area(area)
    end = min(until or decisions["afgoerelsesdato"].max(), dt.date(year, 12, 31))
    mine = _cases_in(decisions, per_area, code, area)
    this_year = _within(mine, year, end)
    covered = bool((decisions["aar"] == year - 1).any())
    last_year_end = same_day(end, year - 1)
    last_year = _counted(_within(mine, year - 1, last_year_end)) if covered else None
    so_far = _counted(this_year)
    change = (
        None
        if last_year is None
        else stats.compare_periods(
            int(last_year["omgjort"]),
            int(last_year["realitetsbehandlede"]),
            int(so_far["omgjort"]),
            int(so_far["realitetsbehandlede"]),
        )
    )
    forecast = None
    if covered:
        later = mine[(mine["aar"] == year - 1) & (mine["afgoerelsesdato"] > last_year_end)]
        expected = float(_counted(later)["realitetsbehandlede"])
        forecast = forecast_year(
            int(so_far["omgjort"]), int(so_far["realitetsbehandlede"]), expected
        )
    return RunningFigures(
        code, area, year, end, so_far, last_year, change, _quarters(this_year, end), forecast
    )


def part_year_end(cases: CaseTable, year: int) -> dt.date | None:
    """The day the register ends when that is inside `year`, whose figures are then not
    final: its last decision date, when it has no decision of a later year and the last
    is not in December (a register with December's decisions covers the year). None
    when the register covers the whole year or ends before it."""
    decisions, _ = _register(cases)
    if decisions.empty or bool((decisions["aar"] > year).any()):
        return None
    last: dt.date = decisions["afgoerelsesdato"].max()
    return last if last.year == year and last.month < 12 else None


def last_decision(cases: CaseTable) -> dt.date:
    """The register's last decision date (where its extract ends)."""
    decisions, _ = _register(cases)
    last: dt.date = decisions["afgoerelsesdato"].max()
    return last


def running_year(cases: CaseTable, year: int) -> int | None:
    """The year, `year` or later, that the register covers only in part (it ends inside
    it: `part_year_end`), whose running figures a report on `year` can show; None when
    there is none, or the register has no decision dates."""
    if "afgoerelsesdato" not in cases.partial_decisions.columns:
        return None
    decisions, _ = _register(cases)
    if decisions.empty:
        return None
    last = int(decisions["aar"].max())
    return last if last >= year and part_year_end(cases, last) is not None else None


@derived
def _register(cases: CaseTable) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The register's dated partial decisions, and its cases per area; made once per
    register (every kommune, area and year of a report or a backtest reads them)."""
    decisions = _dated(cases)
    return decisions, cases_per_area(decisions)


def _cases_in(
    decisions: pd.DataFrame, per_area: pd.DataFrame, code: int, area: str
) -> pd.DataFrame:
    """The kommune's cases in an area (from `per_area`), or in a provision's series or a
    kommune's group of provisions: its partial decisions under the provisions that make
    it up each year, collapsed per case by the same precedence as an area's."""
    if area in registry.areas():
        return per_area[(per_area["kommunekode"] == code) & (per_area["omraade"] == area)]
    mine = rows_of_provisions(decisions[decisions["kommunekode"] == code], area)
    return collapse(mine.assign(omraade=area), by=("sag_id", "omraade"))


def _dated(cases: CaseTable) -> pd.DataFrame:
    """The register's partial decisions with their decision dates as dates."""
    frame = cases.partial_decisions
    if "afgoerelsesdato" not in frame.columns:
        raise OmgError(
            f"{cases.provenance.file}: registeret har ingen kolonne med afgørelsesdato, så "
            "årets løbende tal kan ikke opgøres – tilføj kolonnen 'Afgørelsesdato'"
        )
    return frame.assign(afgoerelsesdato=pd.to_datetime(frame["afgoerelsesdato"]).dt.date)


def _within(rows: pd.DataFrame, year: int, until: dt.date) -> pd.DataFrame:
    return rows[(rows["aar"] == year) & (rows["afgoerelsesdato"] <= until)]


def same_day(day: dt.date, year: int) -> dt.date:
    """The same day of another year (28 February for 29 February): where last year's
    comparison period ends and its pace for the rest of the year begins."""
    return (
        day.replace(year=year, day=min(day.day, 28)) if day.month == 2 else day.replace(year=year)
    )


def _counted(rows: pd.DataFrame) -> pd.Series:
    """The cases' counts and rates as one row (zeros and no rate without cases)."""
    if rows.empty:
        counts = pd.DataFrame([dict.fromkeys(CASE_COUNTS, 0)])
    else:
        counts = count_outcomes(rows.assign(_alle=0), ["_alle"]).drop(columns="_alle")
    return add_rates(counts).iloc[0]


def _quarters(rows: pd.DataFrame, until: dt.date) -> pd.DataFrame:
    """A row per quarter begun by `until`: `kvartal`, counts and rates."""
    quarter = pd.Series(
        [(day.month - 1) // 3 + 1 for day in rows["afgoerelsesdato"]], index=rows.index
    )
    begun = [q for q in QUARTERS if q <= (until.month - 1) // 3 + 1]
    return pd.DataFrame([{"kvartal": q, **_counted(rows[quarter == q]).to_dict()} for q in begun])
