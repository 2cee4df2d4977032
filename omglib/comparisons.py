"""Comparisons a per-kommune report needs beyond `figures.key_figures`: rank among the
kommuner, distribution of outcomes, region and peer group, provisions, case count and
the spread of rates across kommuner.

Every function is pure on a `Dataset` and returns ordinary DataFrames with canonical
columns, or a small frozen dataclass of numbers; `omglib.present.sentences` words them.
Counts are summed and rates computed by `outcomes.add_rates` (totals over groups are
sums of counts, never averages of rates); national figures come from
`figures.national_by_year`, so they exist only on a sound basis.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from omglib import figures, registry, stats
from omglib.dataset import Dataset, select_area
from omglib.outcomes import COUNT_COLUMNS, DETAIL_COLUMNS, OUTCOME_LABELS, add_rates, sum_counts

NATIONAL_NAME: Final = "Hele landet"

PEER_GROUP_SIZE: Final = 10
"""Number of kommuner in the peer group ("sammenlignelige kommuner") by default."""

MIN_KOMMUNER_FOR_QUARTILES: Final = 4
"""`rate_spread` gives quartiles only over at least this many kommuner: with
fewer, the quartiles say nothing the kommuner's own rates do not."""


# --- rank -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rank:
    """A kommune's place among the kommuner with cases (1 = lowest omgørelsesprocent).

    `position` is None when the kommune has no realitetsbehandlede sager; `of` is the
    number of kommuner ranked; `unranked` the number of kommuner in the file for the year
    without cases (the kommune itself included, when it has none)."""

    position: int | None
    of: int
    tied: bool
    unranked: int


def rank(data: Dataset, kommune: int | str, area: str, year: int) -> Rank:
    """The kommune's rank by omgørelsesprocent among the kommuner in the file with cases
    in the area and year. Ties share the lowest position ("min" method), so two kommuner
    at 30 % behind one at 20 % are both nr. 2 and the next is nr. 4.

    Ranks on few cases move a lot: one case more or less can move a small kommune many
    places, so a report shows the rank beside the counts and interval."""
    code = registry.kommune_code(kommune)
    table = figures.kommune_table(data, area, year)
    ranked = _ranked(table)
    own = ranked.loc[ranked["kommunekode"] == code, "rang"]
    position = None if own.empty else int(own.iloc[0])
    tied = position is not None and int((ranked["rang"] == position).sum()) > 1
    return Rank(position=position, of=len(ranked), tied=tied, unranked=len(table) - len(ranked))


def rate_distribution(data: Dataset, area: str, year: int) -> pd.DataFrame:
    """`figures.kommune_table` restricted to the kommuner with realitetsbehandlede sager,
    with their rank `rang` (1 = lowest omgørelsesprocent, ties share the lowest), sorted
    by `rang` then `kommunekode`."""
    return _ranked(figures.kommune_table(data, area, year))


@dataclass(frozen=True)
class RateSpread:
    """The spread of the kommuner's omgørelsesprocenter over the `kommuner` with at least
    `min_cases` cases: quartiles and median, None when fewer than
    `MIN_KOMMUNER_FOR_QUARTILES` kommuner have that many."""

    kommuner: int
    min_cases: int
    lower_quartile: float | None
    median: float | None
    upper_quartile: float | None


def rate_spread(data: Dataset, area: str, year: int) -> RateSpread:
    """Lower quartile, median and upper quartile of the kommuner's omgørelsesprocenter,
    over the kommuner with at least `stats.DEFAULT_MIN_CASES` cases (rates on fewer would
    dominate the spread by chance). Quartiles interpolate linearly between kommuner
    (pandas' default)."""
    table = rate_distribution(data, area, year)
    rates = table.loc[~table["faa_sager"], "omgoerelsesprocent"]
    if len(rates) < MIN_KOMMUNER_FOR_QUARTILES:
        return RateSpread(len(rates), stats.DEFAULT_MIN_CASES, None, None, None)
    lower, median, upper = (float(q) for q in rates.quantile([0.25, 0.5, 0.75]))
    return RateSpread(len(rates), stats.DEFAULT_MIN_CASES, lower, median, upper)


def _ranked(table: pd.DataFrame) -> pd.DataFrame:
    """A kommune_table's kommuner with cases, ranked ("min" method) and sorted by rank."""
    with_cases = table[table["realitetsbehandlede"] > 0]
    positions = with_cases["omgoerelsesprocent"].rank(method="min").astype("int64")
    ranked = with_cases.assign(rang=positions).sort_values(["rang", "kommunekode"])
    return ranked.reset_index(drop=True)


# --- outcomes, region and peers ---------------------------------------------------------


def outcome_distribution(data: Dataset, kommune: int | str, area: str, year: int) -> pd.DataFrame:
    """The kommune's and the nation's decisions by outcome, one row per (`hvem`, `udfald`).

    Columns: `hvem` (the kommune's name, then "Hele landet"), `udfald` (Danish label, see
    `OUTCOME_LABELS`; "Afvist" only when the data has an `afvist` column), `antal`
    and `andel`. `andel` is the share of all the group's decisions shown, so each group's
    shares sum to 1 and can be drawn as one bar; with afviste shown, the shares of
    "Hjemvist" and "Ændret/ophævet" therefore add up to less than the omgørelsesprocent,
    whose denominator excludes them. A group without decisions has `andel` NaN. The national
    rows are left out when `figures.national_by_year` has no figure for the year."""
    code = registry.kommune_code(kommune)
    table = figures.kommune_table(data, area, year)
    own = _group_counts(table, [code])
    national = _national_counts(data, area, year)[own.columns]
    parts = [_outcome_shares(registry.kommune_name(code), own.iloc[0])]
    parts += [_outcome_shares(NATIONAL_NAME, row) for _, row in national.iterrows()]
    return pd.concat(parts, ignore_index=True)


def _outcome_shares(who: str, counts: pd.Series) -> pd.DataFrame:
    shown = [column for column in OUTCOME_LABELS if column in counts.index]
    antal = counts[shown].to_numpy(dtype=np.int64)
    total = antal.sum()
    return pd.DataFrame(
        {
            "hvem": who,
            "udfald": [OUTCOME_LABELS[column] for column in shown],
            "antal": antal,
            "andel": antal / total if total else np.nan,
        }
    )


def region_comparison(data: Dataset, kommune: int | str, area: str, year: int) -> pd.DataFrame:
    """The kommune beside its region, its peer group and the whole country.

    One row per `niveau`: "kommune", "region" (the sum of the region's kommuner in the
    file, the kommune included), "sammenlignelige" (the sum of `peer_group`, the kommune
    excluded) and "landet" (`figures.national_by_year`; left out when there is no national
    figure for the year). Columns: `niveau`, `navn` ("Region Midtjylland", "Hele landet"
    ...), `kommuner` (how many of the group's kommuner the file holds for the year; <NA>
    for the country), the count columns, then `realitetsbehandlede`, `omgjort`, the rates
    and `omgoerelse_nedre`/`omgoerelse_oevre` from `outcomes.add_rates`."""
    code = registry.kommune_code(kommune)
    table = figures.kommune_table(data, area, year)
    info = registry.kommuner().set_index("kommunekode")
    region = str(info.loc[code, "region"])
    groups: list[tuple[str, str, Collection[int]]] = [
        ("kommune", registry.kommune_name(code), [code]),
        ("region", region, info.index[info["region"] == region].tolist()),
        ("sammenlignelige", "Sammenlignelige kommuner", peer_group(code)),
    ]
    rows = [
        _group_counts(table, codes).assign(
            niveau=level, navn=name, kommuner=int(table["kommunekode"].isin(codes).sum())
        )
        for level, name, codes in groups
    ]
    count_columns = [c for c in (*COUNT_COLUMNS, *DETAIL_COLUMNS) if c in table.columns]
    national = _national_counts(data, area, year)[count_columns]
    rows.append(national.assign(niveau="landet", navn=NATIONAL_NAME, kommuner=None))
    combined = pd.concat(rows, ignore_index=True)
    combined[count_columns] = combined[count_columns].astype("int64")
    combined["kommuner"] = combined["kommuner"].astype("Int64")
    combined = combined[["niveau", "navn", "kommuner", *count_columns]]
    return add_rates(combined)


def peer_group(kommune: int | str, size: int = PEER_GROUP_SIZE) -> list[int]:
    """The `size` kommuner closest to the kommune in population, closest first; the
    kommune itself is not in it.

    Why population: kommuner of similar size have a similar case volume (so their rates
    rest on similar numbers of cases) and a similar organisation of case work, which is
    what a kommune compares itself against; geography is covered by the region, shown
    separately. Distance is on log population, so a ratio counts, not a difference
    (20.000 vs 40.000 is as far as 50.000 vs 100.000). The populations are the approximate
    `indbyggere_ca` of `registry.kommuner()`, rounded to thousands, so ties are common;
    they go to the lower kommunekode, which keeps the group deterministic."""
    code = registry.kommune_code(kommune)
    table = registry.kommuner()
    if not 1 <= size < len(table):
        raise ValueError(f"size must lie in [1, {len(table) - 1}], got {size}")
    log_population = np.log(table["indbyggere_ca"].to_numpy(dtype=np.float64))
    own = log_population[(table["kommunekode"] == code).to_numpy()][0]
    # rounding makes equal population ratios tie exactly despite floating-point noise
    distance = np.round(np.abs(log_population - own), 12)
    others = table.assign(afstand=distance)[table["kommunekode"] != code]
    closest = others.sort_values(["afstand", "kommunekode"]).head(size)
    return [int(c) for c in closest["kommunekode"]]


def peer_group_names(kommune: int | str, size: int = PEER_GROUP_SIZE) -> list[str]:
    """The names of `peer_group(kommune, size)`, in the same order."""
    return [registry.kommune_name(code) for code in peer_group(kommune, size)]


def _group_counts(table: pd.DataFrame, codes: Collection[int]) -> pd.DataFrame:
    """One row: the summed count columns of the given kommuner's rows of a kommune_table
    (zeros for kommuner the file lacks)."""
    return sum_counts(table[table["kommunekode"].isin(codes)], by=())


def _national_counts(data: Dataset, area: str, year: int) -> pd.DataFrame:
    """The national row for the year (counts and rates), or no rows without a sound basis."""
    national = figures.national_by_year(data, area)
    return national[national["aar"] == year]


# --- provisions -------------------------------------------------------------------------


def provision_breakdown(data: Dataset, kommune: int | str, area: str, year: int) -> pd.DataFrame:
    """The kommune's cases in the area and year per provision (`paragraf`).

    Columns: `paragraf`, the count columns, `realitetsbehandlede`, `omgjort`, the rates and
    interval from `outcomes.add_rates`, `landsniveau` (the national omgørelsesprocent for
    the provision from `figures.national_by_year`; NaN without a sound national basis) and
    `faa_sager` (`stats.few_cases`). Only provisions the file has rows for are listed,
    sorted by `realitetsbehandlede` descending, then `paragraf`.

    A file without a `paragraf` column gives an empty frame with the same columns (no
    error), so the report can say that the file has no breakdown by provision."""
    code = registry.kommune_code(kommune)
    area = registry.resolve_area(area)
    figures.check_available(data, area, year)
    counts = data.counts
    if "paragraf" in counts.columns:
        rows = counts[counts["kommunekode"] == code]
    else:
        rows = counts.iloc[0:0].assign(paragraf="")
    table = add_rates(select_area(rows, area, year, by=("paragraf",)))
    national = [_national_rate(data, str(p), year) for p in table["paragraf"]]
    table["landsniveau"] = np.array(national, dtype=np.float64)
    table["faa_sager"] = stats.few_cases(table["realitetsbehandlede"].to_numpy())
    ordered = table.sort_values(["realitetsbehandlede", "paragraf"], ascending=[False, True])
    return ordered.reset_index(drop=True)


def _national_rate(data: Dataset, provision: str, year: int) -> float:
    national = _national_counts(data, provision, year)
    return float("nan") if national.empty else float(national["omgoerelsesprocent"].iloc[0])


# --- case count -------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseCountChange:
    """The kommune's number of realitetsbehandlede sager in `year` and the year before.

    `previous_year` is None when the year before is not in the file."""

    year: int
    this_year: int
    previous_year: int | None

    @property
    def change(self) -> float | None:
        """Relative change from the year before (0.21 = 21 % more); None without a previous
        year or when it had no cases (a change from zero has no relative size)."""
        if not self.previous_year:
            return None
        return (self.this_year - self.previous_year) / self.previous_year


def case_count_change(data: Dataset, kommune: int | str, area: str, year: int) -> CaseCountChange:
    """The kommune's realitetsbehandlede sager in the area in `year` against the year
    before. A year the file holds but without rows for the kommune counts as zero cases,
    as in `figures.key_figures`."""
    code = registry.kommune_code(kommune)
    previous = year - 1 in data.years()
    return CaseCountChange(
        year=year,
        this_year=_case_count(data, code, area, year),
        previous_year=_case_count(data, code, area, year - 1) if previous else None,
    )


def _case_count(data: Dataset, code: int, area: str, year: int) -> int:
    counts = add_rates(_group_counts(figures.kommune_table(data, area, year), [code]))
    return int(counts["realitetsbehandlede"].iloc[0])
