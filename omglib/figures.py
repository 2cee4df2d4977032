"""Key figures for one kommune, area and year: the numbers a report's headline, the
`omg rates` command and a briefing are built from.

Numbers and verdicts only: the Danish sentences made from them are
`omglib.present.sentences`.

The national comparison is only made on a sound basis: a "Hele landet" row in the data,
or the sum of all 98 kommuner. A file holding only some kommuner gets no "landsniveau";
the figures say why instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from omglib import registry, stats
from omglib.dataset import Dataset, Volumes, select_area
from omglib.errors import OmgError
from omglib.memo import derived
from omglib.outcomes import add_rates

BASIS_NATIONAL_ROW = "rækken 'Hele landet' i datafilen"
BASIS_ALL_KOMMUNER = "summen af alle 98 kommuner i datafilen"


@derived
def national_by_year(dataset: Dataset, area: str) -> pd.DataFrame:
    """National counts and rates per year for an area, with `grundlag` saying what they
    rest on. Years with neither a "Hele landet" row nor all 98 kommuner in the file are
    left out. A kommune the file holds for the year but without rows for this area had no
    cases in it (tables leave out empty rows), so the sum is still the national total."""
    from_rows = select_area(dataset.national, area, None, by=("aar",))
    from_rows = from_rows.assign(grundlag=BASIS_NATIONAL_ROW)
    kommune_counts = dataset.select(area)
    covered = dataset.counts.groupby("aar")["kommunekode"].nunique()
    complete_years = covered.index[covered == len(registry.all_kommune_codes())]
    summed = kommune_counts[kommune_counts["aar"].isin(complete_years)]
    summed = summed.drop(columns="kommunekode").groupby("aar", as_index=False).sum()
    summed = summed[~summed["aar"].isin(from_rows["aar"])].assign(grundlag=BASIS_ALL_KOMMUNER)
    combined = pd.concat([from_rows, summed], ignore_index=True).sort_values("aar")
    return add_rates(combined.reset_index(drop=True))


def missing_national_reason(dataset: Dataset, area: str, year: int) -> str:
    """Why there is no national figure for an area and year (Danish, for the report)."""
    counts = dataset.counts
    present = counts.loc[counts["aar"] == year, "kommunekode"].nunique()
    return (
        f"Intet landstal: datafilen har hverken en række for 'Hele landet' eller alle 98 "
        f"kommuner for {registry.area_text(area)} {year} (den har {present}), så "
        "summen af dens kommuner ville ikke være landsniveau."
    )


@dataclass(frozen=True)
class KeyFigures:
    """One kommune's figures for one area and year, with national comparison and trend."""

    kommunekode: int
    area: str
    year: int
    current: pd.Series
    national: pd.Series | None
    national_note: str
    comparison: stats.SignificanceResult
    trend: pd.DataFrame
    trend_test: stats.SignificanceResult
    change: stats.SignificanceResult | None
    volumes: pd.Series | None
    synthetic: bool
    source: str
    #: The date of the extract the data file holds, when the file states it.
    extract_date: dt.date | None
    #: Where a provision's or group's figures follow a provision into another law
    #: (`registry.area_series_note`); "" for an area.
    series_note: str = ""
    #: A group's provisions without a single case in the data file, in any year: most
    #: likely misspelt in the groups file, as any provision of a law is accepted.
    provisions_without_cases: tuple[str, ...] = ()

    @property
    def kommune(self) -> str:
        return registry.kommune_name(self.kommunekode)

    @property
    def few_cases(self) -> bool:
        return bool(stats.few_cases(np.array([self.current["realitetsbehandlede"]]))[0])


def key_figures(
    data: Dataset,
    kommune: int | str,
    area: str,
    year: int,
    volumes: Volumes | None = None,
) -> KeyFigures:
    """The key figures for one kommune, area (or single provision) and year; the trend
    runs up to and including `year` (a report on 2023 says nothing about 2024)."""
    code = registry.kommune_code(kommune)
    area = registry.resolve_area(area)
    check_available(data, area, year)
    history = _kommune_history(data, code, area)
    history = history[history["aar"] <= year].reset_index(drop=True)
    national = national_by_year(data, area)
    trend = history.merge(
        national[["aar", "omgoerelsesprocent"]].rename(
            columns={"omgoerelsesprocent": "landsniveau"}
        ),
        on="aar",
        how="left",
    )
    current = trend.astype(object).loc[trend["aar"] == year].iloc[0]  # counts stay whole
    national_row = _row_for(national, year)
    note = (
        f"Landstal: {national_row['grundlag']}."
        if national_row is not None
        else missing_national_reason(data, area, year)
    )
    return KeyFigures(
        kommunekode=code,
        area=area,
        year=year,
        current=current,
        national=national_row,
        national_note=note,
        comparison=_compare(current, national_row),
        trend=trend,
        trend_test=stats.trend(trend["aar"], trend["omgjort"], trend["realitetsbehandlede"]),
        change=_change(trend, year),
        volumes=None if volumes is None else _volume_shares(volumes, current, code, area, year),
        synthetic=data.provenance.synthetic,
        source=f"{data.provenance.file} (sha256 {data.provenance.sha256[:12]})",
        extract_date=data.provenance.extract_date,
        series_note=registry.area_series_note(area, trend["aar"].astype(int).tolist()),
        provisions_without_cases=_provisions_without_cases(data, area),
    )


def _provisions_without_cases(data: Dataset, area: str) -> tuple[str, ...]:
    """The provisions of a group in use that hold no row of `data` in any year they
    count in (following their series); () for anything but a group."""
    group = registry.area_group(area)
    if group is None or "paragraf" not in data.counts.columns:
        return ()
    present = set(data.counts["paragraf"])
    return tuple(
        member.provision
        for member in group.members
        if not any(
            provision in present
            for year in data.years()
            if member.counts_in(year)
            for provision in registry.provisions_in_year(member.provision, year)
        )
    )


def check_available(data: Dataset, area: str, year: int) -> None:
    """Raise a Danish error when the year or the area is not in the data."""
    years = data.years()
    if year not in years:
        raise OmgError(f"Året {year} findes ikke i datafilen (den har {years[0]}–{years[-1]})")
    if area in registry.areas() and area not in data.areas():
        names = ", ".join(data.areas())
        raise OmgError(f"Området '{area}' findes ikke i datafilen (den har {names})")


def _kommune_history(data: Dataset, code: int, area: str) -> pd.DataFrame:
    """Every year of the data for the kommune, with zero counts where it had no cases."""
    counts = data.select(area)
    counts = counts[counts["kommunekode"] == code].drop(columns="kommunekode")
    years = pd.DataFrame({"aar": data.years()})
    history = years.merge(counts, on="aar", how="left")
    count_columns = [c for c in history.columns if c != "aar"]
    history[count_columns] = history[count_columns].fillna(0).astype("int64")
    return add_rates(history)


def _row_for(table: pd.DataFrame, year: int) -> pd.Series | None:
    rows = table[table["aar"] == year]
    return None if rows.empty else rows.iloc[0]


def _compare(current: pd.Series, national: pd.Series | None) -> stats.SignificanceResult:
    reference = None if national is None else float(national["omgoerelsesprocent"])
    return compare_to_national(
        int(current["omgjort"]), int(current["realitetsbehandlede"]), reference
    )


def compare_to_national(
    omgjort: int, realitetsbehandlede: int, national_rate: float | None
) -> stats.SignificanceResult:
    """The exact test against the national rate, or "kan ikke sammenlignes" without one."""
    if national_rate is None or np.isnan(national_rate):
        return stats.SignificanceResult(float("nan"), "none", stats.Verdict.NO_REFERENCE)
    return stats.compare_to_reference(omgjort, realitetsbehandlede, national_rate)


def _change(trend: pd.DataFrame, year: int) -> stats.SignificanceResult | None:
    before = _row_for(trend, year - 1)
    if before is None:
        return None
    now = _row_for(trend, year)
    assert now is not None
    return stats.compare_periods(
        int(before["omgjort"]),
        int(before["realitetsbehandlede"]),
        int(now["omgjort"]),
        int(now["realitetsbehandlede"]),
    )


def _volume_shares(
    volumes: Volumes, current: pd.Series, code: int, area: str, year: int
) -> pd.Series | None:
    """The kommune's decisions set against Ankestyrelsen's cases: the share of all its
    decisions that Ankestyrelsen treated on their merits (realitetsbehandlede; the
    rejected appeals, `afviste`, stand apart and are None when the data has no
    `afvist`), the share of all its decisions that ended overturned, and the complaints
    received this year and the year before (None where the volumes have no figure)."""
    frame = volumes.frame
    mine = frame[(frame["kommunekode"] == code) & (frame["omraade"] == area)]
    rows = mine[mine["aar"] == year]
    if rows.empty:
        return None
    decisions = int(rows["afgoerelser_i_alt"].iloc[0])
    on_merits, overturned = int(current["realitetsbehandlede"]), int(current["omgjort"])
    share = pd.Series(
        {
            "afgoerelser_i_alt": decisions,
            "realitetsbehandlede": on_merits,
            "afviste": int(current["afvist"]) if "afvist" in current.index else None,
            "andel_realitetsbehandlet": on_merits / decisions if decisions else float("nan"),
            "omgjort": overturned,
            "andel_omgjort_af_alle": overturned / decisions if decisions else float("nan"),
        },
        dtype=object,  # counts stay whole numbers beside the shares
    )
    if "klager_modtaget" in rows.columns:
        before = mine.loc[mine["aar"] == year - 1, "klager_modtaget"].dropna()
        share["klager_modtaget"] = int(rows["klager_modtaget"].iloc[0])
        share["klager_modtaget_aaret_foer"] = int(before.iloc[0]) if len(before) else None
    return share


@derived
def kommune_table(data: Dataset, area: str, year: int) -> pd.DataFrame:
    """Every kommune in the data for the year, for one area: counts (zero where the file
    has no rows for the kommune in this area), rates with interval, the national rate and
    each kommune's verdict against it (`stats.Verdict`), and the few-cases flag."""
    area = registry.resolve_area(area)
    check_available(data, area, year)
    in_file = data.counts.loc[data.counts["aar"] == year, ["kommunekode"]].drop_duplicates()
    selected = data.select(area, year).drop(columns="aar")
    table = in_file.sort_values("kommunekode").merge(selected, on="kommunekode", how="left")
    count_columns = [c for c in selected.columns if c != "kommunekode"]
    table[count_columns] = table[count_columns].fillna(0).astype("int64")
    table = add_rates(table)
    names = registry.kommuner().set_index("kommunekode")["kommunenavn"]
    table.insert(1, "kommune", table["kommunekode"].map(names))
    national_row = _row_for(national_by_year(data, area), year)
    reference = float("nan") if national_row is None else float(national_row["omgoerelsesprocent"])
    table["landsniveau"] = reference
    results = [
        compare_to_national(int(k), int(n), reference)
        for k, n in zip(table["omgjort"], table["realitetsbehandlede"], strict=True)
    ]
    table["p_vaerdi"] = [r.p_value for r in results]
    table["vurdering"] = pd.Series([r.verdict for r in results], index=table.index, dtype=object)
    table["faa_sager"] = stats.few_cases(table["realitetsbehandlede"].to_numpy())
    table.insert(2, "omraade", area)
    table.insert(3, "aar", year)
    return table
