"""Outcome rules: the one place that says what an outcome is, which partial decision
decides a case, and how the rates are computed.

Ankestyrelsen registers a case on the outcome most far-reaching for the citizen, in the
order ændring, ophævelse, hjemvisning, stadfæstelse; afvisning/henvisning only when no
part of the case was decided on its merits. Rates are over realitetsbehandlede sager
(afviste excluded), and totals over kommuner, regions or groups are sums of counts, never
averages of rates. Everything here is vectorised over DataFrames.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from omglib import stats

#: Outcomes of a partial decision, most far-reaching for the citizen first.
OUTCOMES: tuple[str, ...] = ("aendret", "ophaevet", "hjemvist", "stadfaestet", "afvist")
#: Outcomes that count as omgjort (changed, annulled or remanded).
OVERTURNED: tuple[str, ...] = ("aendret", "ophaevet", "hjemvist")

#: Count columns of the aggregated table. `aendret` and `ophaevet` are optional detail of
#: `aendret_ophaevet`; `afvist` is optional.
COUNT_COLUMNS: tuple[str, ...] = ("stadfaestet", "hjemvist", "aendret_ophaevet", "afvist")
DETAIL_COLUMNS: tuple[str, ...] = ("aendret", "ophaevet")
#: Count columns of the cases decided on their merits (the denominator of every rate),
#: and of those omgjort (the omgørelsesprocent's numerator).
ON_MERITS_COUNTS: tuple[str, ...] = ("stadfaestet", "hjemvist", "aendret_ophaevet")
OVERTURNED_COUNTS: tuple[str, ...] = ("hjemvist", "aendret_ophaevet")

#: Count columns as reports name them, in display order. (Files use Ankestyrelsen's own
#: headers, "Stadfæstelse", "Hjemvisning", ...: the first spelling of each column in
#: `data/aliaser.yaml`.)
OUTCOME_LABELS: dict[str, str] = {
    "stadfaestet": "Stadfæstet",
    "hjemvist": "Hjemvist",
    "aendret_ophaevet": "Ændret/ophævet",
    "afvist": "Afvist (indgår ikke)",
}

_OUTCOME_TYPE = pd.CategoricalDtype(list(OUTCOMES), ordered=True)


def most_far_reaching(outcomes: Iterable[str]) -> str:
    """The outcome that decides a case made of these partial decisions' outcomes."""
    return min(outcomes, key=OUTCOMES.index)


def less_far_reaching(outcome: str) -> tuple[str, ...]:
    """The outcomes a case decided by `outcome` may also hold among its partial decisions."""
    return OUTCOMES[OUTCOMES.index(outcome) + 1 :]


def collapse(partial_decisions: pd.DataFrame, by: Sequence[str] = ("sag_id",)) -> pd.DataFrame:
    """One row per case (`sag_id`, or per case and area with `by=("sag_id", "omraade")`)
    from one row per partial decision.

    The case takes the outcome of its most far-reaching partial decision, and the
    provision (`paragraf`) of that decision; ties between provisions go to the first in
    sort order, so the result does not depend on the order of the rows. The other columns
    (`kommunekode`, `aar`, optional `omraade`) come from the same row."""
    known = partial_decisions["udfald"].astype(str).isin(OUTCOMES)
    if not known.all():
        unknown = sorted(set(partial_decisions.loc[~known, "udfald"].astype(str)))
        raise ValueError(f"unknown outcomes {unknown}; expected one of {OUTCOMES}")
    outcome = partial_decisions["udfald"].astype(_OUTCOME_TYPE)
    case_codes = _group_codes(partial_decisions, by)
    provision_codes = pd.factorize(partial_decisions["paragraf"], sort=True)[0]
    decisive = outcome.cat.codes.to_numpy(np.int64) * (provision_codes.max(initial=0) + 1)
    decisive = decisive + provision_codes
    best = np.full(case_codes.max(initial=-1) + 1, np.iinfo(np.int64).max)
    np.minimum.at(best, case_codes, decisive)
    candidates = np.flatnonzero(decisive == best[case_codes])
    first_per_case = np.unique(case_codes[candidates], return_index=True)[1]
    winners = np.sort(candidates[first_per_case])
    cases: pd.DataFrame = partial_decisions.iloc[winners].reset_index(drop=True)
    cases["udfald"] = cases["udfald"].astype(_OUTCOME_TYPE)
    return cases


def _group_codes(frame: pd.DataFrame, by: Sequence[str]) -> np.ndarray:
    """A code per row for its group (case, or case and area), in order of appearance."""
    if len(by) == 1:
        return pd.factorize(frame[by[0]].to_numpy(dtype=object), sort=False)[0]
    return frame.groupby(list(by), sort=False).ngroup().to_numpy()


def count_outcomes(cases: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Aggregated counts (`stadfaestet`, `hjemvist`, `aendret`, `ophaevet`,
    `aendret_ophaevet`, `afvist`) per group of collapsed cases."""
    outcome = cases["udfald"].astype(_OUTCOME_TYPE)
    counts = (
        cases.assign(udfald=outcome)
        .groupby([*by, "udfald"], observed=False, sort=True)
        .size()
        .unstack("udfald", fill_value=0)
    )
    counts = counts.loc[counts.sum(axis=1) > 0].astype("int64")
    counts["aendret_ophaevet"] = counts["aendret"] + counts["ophaevet"]
    columns = ["stadfaestet", "hjemvist", "aendret_ophaevet", "afvist", *DETAIL_COLUMNS]
    counts = counts[columns].reset_index()
    counts.columns.name = None
    return counts


def sum_counts(counts: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Totals per group as sums of counts (never averages of rates)."""
    present = [c for c in (*COUNT_COLUMNS, *DETAIL_COLUMNS) if c in counts.columns]
    if not by:
        return counts[present].sum().to_frame().T.astype("int64")
    return counts.groupby(list(by), sort=True, observed=True)[present].sum().reset_index()


def rate_with_interval(
    successes: int, trials: int, level: float = 0.95
) -> tuple[float, tuple[float, float]]:
    """One rate (successes / trials) and its Wilson interval, as `add_rates` computes
    them for whole tables; the caller handles trials == 0 (there is no rate)."""
    lower, upper = stats.wilson_interval(successes, trials, level=level)
    return successes / trials, (float(lower), float(upper))


def column_sum(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """The columns added up row by row (a missing value stays missing)."""
    first, *rest = columns
    return sum((frame[column] for column in rest), frame[first])


def add_rates(counts: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """The counts with `realitetsbehandlede`, `omgjort`, the four rates (as proportions)
    and the Wilson interval of the omgørelsesprocent (`omgoerelse_nedre`,
    `omgoerelse_oevre`) added. A rate with no realitetsbehandlede sager is NaN: "no rate",
    never 0 %."""
    result = counts.copy()
    on_merits = column_sum(result, ON_MERITS_COUNTS)
    overturned = column_sum(result, OVERTURNED_COUNTS)
    result["realitetsbehandlede"] = on_merits
    result["omgjort"] = overturned
    denominator = on_merits.where(on_merits > 0).astype("float64")
    result["omgoerelsesprocent"] = overturned / denominator
    result["hjemvisningsprocent"] = result["hjemvist"] / denominator
    result["aendrings_ophaevelsesprocent"] = result["aendret_ophaevet"] / denominator
    result["stadfaestelsesprocent"] = result["stadfaestet"] / denominator
    lower, upper = stats.wilson_interval(overturned, on_merits, level=level)
    result["omgoerelse_nedre"] = lower
    result["omgoerelse_oevre"] = upper
    return result
