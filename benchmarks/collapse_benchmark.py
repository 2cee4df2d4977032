"""Benchmark omglib's vectorised outcome collapse against a plain groupby-apply.

Builds a seeded synthetic set of partial decisions (delafgørelser) for the 98 kommuner
over 2015-2024, then times

* omglib's vectorised path: `collapse(frame)` followed by
  `count_outcomes(cases, ["aar", "kommunekode", "paragraf"])` (best of 3 runs), plus
  mapping provisions to areas and counting by kommune × area × year;
* the straightforward pandas version: `frame.groupby("sag_id").apply(pick_decisive_row)`
  followed by a groupby count. When the full apply would take longer than
  `--apply-budget` seconds (estimated from a small pilot), it is timed on a random
  sample of `--sample-cases` cases and extrapolated linearly.

Both must give identical counts (on the sample when sampled); the script exits with
status 1 if they do not. Run it as `python benchmarks/collapse_benchmark.py`.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd
from common import best_of, timed, verdict

from omglib import registry
from omglib.outcomes import OUTCOMES, collapse, count_outcomes

DEFAULT_ROWS = 1_000_000
DEFAULT_SEED = 20250601
YEARS = tuple(range(2015, 2025))
KEYS = ["aar", "kommunekode", "paragraf"]
AREA_KEYS = ["aar", "kommunekode", "omraade"]
STRING_COLUMNS = ("sag_id", "paragraf", "udfald")
SOCIAL_AREA = registry.SOCIAL_AREA

#: Partial decisions per case and their shares: mean 1.65, so 1,000,000 rows make about
#: 606,000 cases.
PARTS_PER_CASE = np.array([1, 2, 3, 4])
PART_SHARES = np.array([0.55, 0.30, 0.10, 0.05])
#: Share of each outcome among partial decisions (roughly the national mix).
OUTCOME_SHARES = {
    "aendret": 0.07,
    "ophaevet": 0.03,
    "hjemvist": 0.22,
    "stadfaestet": 0.58,
    "afvist": 0.10,
}
OUTCOME_RANK = {outcome: rank for rank, outcome in enumerate(OUTCOMES)}

TARGET_SPEEDUP = 20.0
TARGET_SECONDS = 2.0
VECTORISED_RUNS = 3
PILOT_CASES = 2_000


@dataclass(frozen=True)
class VectorisedTiming:
    """Seconds spent in one run of the vectorised path, in total and by step."""

    total: float
    collapse: float
    count: float


@dataclass(frozen=True)
class ApplyTiming:
    """Seconds for the groupby-apply path: measured on `cases_timed` cases and, when
    those are a sample, extrapolated linearly to all cases."""

    measured: float
    cases_timed: int
    cases_total: int

    @property
    def sampled(self) -> bool:
        return self.cases_timed < self.cases_total

    @property
    def full(self) -> float:
        return self.measured * self.cases_total / self.cases_timed


# --- synthetic data -----------------------------------------------------------------------


def case_sizes(rng: np.random.Generator, rows: int) -> np.ndarray:
    """Partial decisions per case, summing to exactly `rows` (the last case is trimmed)."""
    sizes = rng.choice(PARTS_PER_CASE, size=rows, p=PART_SHARES)
    ends = np.cumsum(sizes)
    count = int(np.searchsorted(ends, rows)) + 1
    sizes = sizes[:count].copy()
    sizes[-1] -= ends[count - 1] - rows
    return sizes


def case_ids(years: np.ndarray, kommuner: np.ndarray, numbers: np.ndarray) -> pd.Series:
    """Case ids like "S2019-101-000123"."""
    width = max(6, len(str(int(numbers.max(initial=0)))))
    return (
        "S"
        + pd.Series(years).astype(str)
        + "-"
        + pd.Series(kommuner).astype(str).str.zfill(3)
        + "-"
        + pd.Series(numbers).astype(str).str.zfill(width)
    )


def draw_provisions(rng: np.random.Generator, years: np.ndarray) -> np.ndarray:
    """One canonical provision per row, drawn among those in force in the row's year,
    with a fixed (seeded) popularity per provision."""
    table = registry.provisions()
    names = table["paragraf"].to_numpy(dtype=object)
    popularity = rng.dirichlet(np.full(len(table), 2.0))
    provisions = np.empty(len(years), dtype=object)
    for year in YEARS:
        rows = years == year
        in_force = ((table["fra_aar"] <= year) & (table["til_aar"] >= year)).to_numpy()
        weights = popularity[in_force] / popularity[in_force].sum()
        provisions[rows] = rng.choice(names[in_force], size=int(rows.sum()), p=weights)
    return provisions


def kommune_weights() -> tuple[np.ndarray, np.ndarray]:
    """The kommunekoder and each kommune's share of the population."""
    table = registry.kommuner().set_index("kommunekode")
    codes = np.array(registry.all_kommune_codes())
    population = table.loc[codes, "indbyggere_ca"].to_numpy(dtype=float)
    return codes, population / population.sum()


def make_partial_decisions(rows: int, seed: int) -> pd.DataFrame:
    """`rows` partial decisions with columns sag_id, kommunekode, aar, paragraf, udfald,
    in random row order."""
    if set(OUTCOME_SHARES) != set(OUTCOMES):
        raise RuntimeError(f"OUTCOME_SHARES does not match omglib's OUTCOMES {OUTCOMES}")
    rng = np.random.default_rng(seed)
    sizes = case_sizes(rng, rows)
    cases = len(sizes)
    codes, shares = kommune_weights()
    case_kommune = rng.choice(codes, size=cases, p=shares)
    case_year = rng.choice(np.array(YEARS), size=cases)
    ids = case_ids(case_year, case_kommune, rng.permutation(cases) + 1)
    years = np.repeat(case_year, sizes)
    outcomes = np.array(list(OUTCOME_SHARES), dtype=object)
    frame = pd.DataFrame(
        {
            "sag_id": np.repeat(ids.to_numpy(dtype=object), sizes),
            "kommunekode": np.repeat(case_kommune, sizes),
            "aar": years,
            "paragraf": draw_provisions(rng, years),
            "udfald": rng.choice(outcomes, size=rows, p=list(OUTCOME_SHARES.values())),
        }
    )
    order = rng.permutation(rows)
    return frame.iloc[order].reset_index(drop=True).astype({c: "str" for c in STRING_COLUMNS})


def sample_cases(frame: pd.DataFrame, cases: int, seed: int) -> pd.DataFrame:
    """All partial decisions of `cases` randomly chosen cases."""
    ids = frame["sag_id"].unique()
    chosen = np.random.default_rng(seed).choice(ids, size=min(cases, len(ids)), replace=False)
    return frame[frame["sag_id"].isin(chosen)].reset_index(drop=True)


# --- the two implementations -----------------------------------------------------------


def vectorised_counts(frame: pd.DataFrame) -> tuple[pd.DataFrame, VectorisedTiming]:
    """omglib's path: collapse, then count by year × kommune × provision."""
    start = time.perf_counter()
    cases = collapse(frame)
    collapsed = time.perf_counter()
    counts = count_outcomes(cases, KEYS)
    end = time.perf_counter()
    return counts, VectorisedTiming(end - start, collapsed - start, end - collapsed)


def area_table() -> pd.DataFrame:
    """(aar, paragraf) → omraade for every provision in force in YEARS: the handicap area
    of the provision and, for every provision, socialområdet."""
    table = registry.provisions()
    years = pd.DataFrame({"aar": YEARS})
    pairs = table[["paragraf", "fra_aar", "til_aar", "omraade"]].merge(years, how="cross")
    pairs = pairs[(pairs["fra_aar"] <= pairs["aar"]) & (pairs["aar"] <= pairs["til_aar"])]
    handicap = pairs.loc[pairs["omraade"] != "", ["aar", "paragraf", "omraade"]]
    social = pairs[["aar", "paragraf"]].assign(omraade=SOCIAL_AREA)
    return pd.concat([handicap, social], ignore_index=True)


def area_counts(frame: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Collapse, map each case's provision to its areas (a join), count by kommune × area
    × year."""
    cases = collapse(frame).merge(areas, on=["aar", "paragraf"], how="inner")
    return count_outcomes(cases, AREA_KEYS)


def pick_decisive_row(group: pd.DataFrame) -> pd.Series:
    """The partial decision most far-reaching for the citizen; ties go to the provision
    first in sort order (the rule omglib documents)."""
    ranked = group.assign(rang=group["udfald"].map(OUTCOME_RANK))
    return ranked.sort_values(["rang", "paragraf"]).iloc[0]


def groupby_apply_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """What a pandas user would write: pick a row per case with apply, then count."""
    decisive = cast(pd.DataFrame, frame.groupby("sag_id").apply(pick_decisive_row))
    decisive = decisive.astype({"aar": "int64", "kommunekode": "int64"})
    counts = decisive.groupby([*KEYS, "udfald"]).size().unstack("udfald", fill_value=0)
    return counts.reindex(columns=list(OUTCOMES), fill_value=0)


def same_counts(vectorised: pd.DataFrame, reference: pd.DataFrame) -> bool:
    """Whether both give the same count of every outcome in every group."""
    left = vectorised.set_index(KEYS)[list(OUTCOMES)].sort_index().astype("int64")
    right = reference.sort_index().astype("int64")
    right.columns.name = None
    try:
        pd.testing.assert_frame_equal(left, right, check_names=False)
    except AssertionError as error:
        print(f"counts differ:\n{error}")
        return False
    return True


# --- measuring -------------------------------------------------------------------------------


def best_vectorised(frame: pd.DataFrame) -> tuple[pd.DataFrame, VectorisedTiming]:
    """The result and the fastest of VECTORISED_RUNS runs of the vectorised path."""
    runs = [vectorised_counts(frame) for _ in range(VECTORISED_RUNS)]
    return runs[0][0], min((timing for _, timing in runs), key=lambda t: t.total)


def traced_peak(function: Callable[[], object]) -> int:
    """Peak bytes allocated (as tracemalloc sees them) while running `function()`."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def choose_apply_frame(frame: pd.DataFrame, args: argparse.Namespace) -> pd.DataFrame:
    """The full frame when the full apply fits the budget (judged from a pilot on
    PILOT_CASES cases), otherwise a sample of `--sample-cases` cases."""
    total = frame["sag_id"].nunique()
    pilot = sample_cases(frame, PILOT_CASES, args.seed + 1)
    seconds, _ = timed(lambda: groupby_apply_counts(pilot))
    estimate = seconds * total / pilot["sag_id"].nunique()
    print(f"groupby-apply pilot: {PILOT_CASES:,} cases in {seconds:.2f} s → about {estimate:.0f} s")
    if estimate <= args.apply_budget:
        return frame
    return sample_cases(frame, args.sample_cases, args.seed + 2)


# --- reporting ---------------------------------------------------------------------------------


def mebibytes(count: float) -> str:
    return f"{count / 2**20:,.0f} MiB"


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="partial decisions")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument(
        "--sample-cases", type=int, default=60_000, help="cases to time apply on if sampled"
    )
    parser.add_argument(
        "--apply-budget", type=float, default=120.0, help="max seconds for the full apply"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    print(f"omglib collapse benchmark: pandas {pd.__version__}, numpy {np.__version__}")
    seconds, frame = timed(lambda: make_partial_decisions(args.rows, args.seed))
    total_cases = frame["sag_id"].nunique()
    print(f"partial decisions:  {len(frame):,}")
    print(f"cases:              {total_cases:,}")
    print(
        f"kommuner × years:   {frame['kommunekode'].nunique()} × {frame['aar'].nunique()}"
        f" ({min(YEARS)}-{max(YEARS)}), {frame['paragraf'].nunique()} provisions"
        f" (seed {args.seed}, built in {seconds:.1f} s)"
    )

    vectorised, timing = best_vectorised(frame)
    print(
        f"vectorised collapse + count_outcomes (best of {VECTORISED_RUNS}): {timing.total:.3f} s"
        f"  [collapse {timing.collapse:.3f} s, count_outcomes {timing.count:.3f} s]"
    )
    areas = area_table()
    area_seconds = best_of(VECTORISED_RUNS, lambda: area_counts(frame, areas))
    print(
        f"vectorised collapse + area join + count by area (best of {VECTORISED_RUNS}):"
        f" {area_seconds:.3f} s"
    )

    apply_frame = choose_apply_frame(frame, args)
    seconds, reference = timed(lambda: groupby_apply_counts(apply_frame))
    apply = ApplyTiming(seconds, apply_frame["sag_id"].nunique(), total_cases)
    if apply.sampled:
        print(
            f"groupby-apply: SAMPLED {apply.cases_timed:,} of {total_cases:,} cases,"
            f" measured {apply.measured:.1f} s, extrapolated linearly to {apply.full:.1f} s"
        )
        expected = vectorised_counts(apply_frame)[0]
    else:
        print(f"groupby-apply: all {total_cases:,} cases, measured {apply.full:.1f} s")
        expected = vectorised
    identical = same_counts(expected, reference)
    scope = f"the {apply.cases_timed:,}-case sample" if apply.sampled else "all cases"
    print(f"counts identical:   {'yes' if identical else 'NO'} (on {scope})")

    speedup = apply.full / timing.total
    print(f"speed-up:           {speedup:,.0f}× (groupby-apply / vectorised)")
    peak = traced_peak(lambda: vectorised_counts(frame))
    print(f"peak traced memory, vectorised step (tracemalloc): {mebibytes(peak)}")
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"peak RSS, whole process (ru_maxrss): {mebibytes(max_rss)}")
    print(
        f"target ≥ {TARGET_SPEEDUP:.0f}× faster than groupby-apply: {verdict(speedup >= TARGET_SPEEDUP)}"
    )
    print(f"target vectorised < {TARGET_SECONDS:.0f} s: {verdict(timing.total < TARGET_SECONDS)}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
