"""Outcome rules: precedence, rates over realitetsbehandlede, no-rate on zero cases,
totals as sums of counts; with property-based checks of the invariants."""

from __future__ import annotations

from random import Random

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omglib.outcomes import OUTCOMES, add_rates, collapse, count_outcomes, sum_counts


def partial_decisions(rows: list[tuple[str, str]], paragraf: str = "SEL § 41") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sag_id": [case for case, _ in rows],
            "kommunekode": 707,
            "aar": 2023,
            "paragraf": paragraf,
            "udfald": [outcome for _, outcome in rows],
        }
    )


def outcome_of(rows: list[tuple[str, str]]) -> dict[str, str]:
    cases = collapse(partial_decisions(rows))
    return dict(zip(cases["sag_id"], cases["udfald"].astype(str), strict=True))


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["hjemvist", "stadfaestet", "stadfaestet"], "hjemvist"),
        (["stadfaestet", "aendret", "hjemvist"], "aendret"),
        (["ophaevet", "hjemvist"], "ophaevet"),
        (["aendret", "ophaevet"], "aendret"),
        (["afvist", "stadfaestet"], "stadfaestet"),
        (["afvist", "hjemvist", "afvist"], "hjemvist"),
        (["afvist", "afvist"], "afvist"),
        (["stadfaestet"], "stadfaestet"),
    ],
)
def test_case_takes_most_far_reaching_outcome(parts: list[str], expected: str) -> None:
    assert outcome_of([("A", part) for part in parts]) == {"A": expected}


def test_cases_are_collapsed_independently() -> None:
    rows = [("A", "stadfaestet"), ("B", "afvist"), ("A", "hjemvist"), ("B", "stadfaestet")]
    assert outcome_of(rows) == {"A": "hjemvist", "B": "stadfaestet"}


def test_case_takes_provision_of_decisive_part() -> None:
    frame = pd.DataFrame(
        {
            "sag_id": ["A", "A"],
            "kommunekode": 707,
            "aar": 2023,
            "paragraf": ["SEL § 42", "SEL § 41"],
            "udfald": ["hjemvist", "stadfaestet"],
        }
    )
    assert collapse(frame)["paragraf"].tolist() == ["SEL § 42"]


def test_unknown_outcome_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown outcomes"):
        collapse(partial_decisions([("A", "omgjort")]))


def test_count_outcomes_counts_cases_per_group() -> None:
    rows = [
        ("A", "hjemvist"),
        ("A", "stadfaestet"),
        ("B", "aendret"),
        ("C", "ophaevet"),
        ("D", "afvist"),
    ]
    counts = count_outcomes(collapse(partial_decisions(rows)), ["kommunekode"])
    row = counts.iloc[0]
    assert (row["hjemvist"], row["aendret"], row["ophaevet"], row["aendret_ophaevet"]) == (
        1,
        1,
        1,
        2,
    )
    assert (row["stadfaestet"], row["afvist"]) == (0, 1)


def test_rates_exclude_afviste_from_denominator() -> None:
    counts = pd.DataFrame(
        {"stadfaestet": [4], "hjemvist": [5], "aendret_ophaevet": [4], "afvist": [7]}
    )
    row = add_rates(counts).iloc[0]
    assert row["realitetsbehandlede"] == 13
    assert row["omgoerelsesprocent"] == pytest.approx(9 / 13)  # example: 9 of 13 -> 69,2 %
    assert row["hjemvisningsprocent"] == pytest.approx(5 / 13)
    assert row["aendrings_ophaevelsesprocent"] == pytest.approx(4 / 13)
    assert row["stadfaestelsesprocent"] == pytest.approx(4 / 13)
    assert row["omgoerelse_nedre"] < 9 / 13 < row["omgoerelse_oevre"]


def test_zero_denominator_gives_no_rate() -> None:
    counts = pd.DataFrame(
        {"stadfaestet": [0], "hjemvist": [0], "aendret_ophaevet": [0], "afvist": [3]}
    )
    row = add_rates(counts).iloc[0]
    for column in (
        "omgoerelsesprocent",
        "hjemvisningsprocent",
        "omgoerelse_nedre",
        "omgoerelse_oevre",
    ):
        assert np.isnan(row[column])


def test_national_shares_give_national_rate() -> None:
    """Socialområdet 2021 (sm.dk Danmarkskort): 7,7 % ændret/ophævet + 24,1 % hjemvist = 31,8 %."""
    counts = pd.DataFrame({"stadfaestet": [682], "hjemvist": [241], "aendret_ophaevet": [77]})
    assert add_rates(counts).iloc[0]["omgoerelsesprocent"] == pytest.approx(0.318)


def test_totals_are_sums_of_counts_not_averages_of_rates() -> None:
    counts = pd.DataFrame(
        {
            "region": ["Nord", "Nord"],
            "stadfaestet": [1, 90],
            "hjemvist": [3, 5],
            "aendret_ophaevet": [0, 5],
        }
    )
    total = add_rates(sum_counts(counts, ["region"])).iloc[0]
    assert total["omgoerelsesprocent"] == pytest.approx(13 / 104)
    assert total["omgoerelsesprocent"] != pytest.approx((0.75 + 0.1) / 2)


# --- properties ---------------------------------------------------------------------------

outcome_rows = st.lists(
    st.tuples(
        st.integers(0, 30), st.sampled_from(OUTCOMES), st.sampled_from(["SEL § 41", "SEL § 42"])
    ),
    min_size=1,
    max_size=120,
)


def frame_of(rows: list[tuple[int, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sag_id": [f"S{case}" for case, _, _ in rows],
            "kommunekode": [101 + case % 3 for case, _, _ in rows],
            "aar": 2023,
            "paragraf": [paragraf for _, _, paragraf in rows],
            "udfald": [outcome for _, outcome, _ in rows],
        }
    )


def canonical(cases: pd.DataFrame) -> list[tuple[str, str, str]]:
    return sorted(zip(cases["sag_id"], cases["udfald"].astype(str), cases["paragraf"], strict=True))


@settings(max_examples=60, deadline=None)
@given(outcome_rows, st.randoms(use_true_random=False))
def test_collapse_does_not_depend_on_row_order(
    rows: list[tuple[int, str, str]], random: Random
) -> None:
    shuffled = rows.copy()
    random.shuffle(shuffled)
    assert canonical(collapse(frame_of(rows))) == canonical(collapse(frame_of(shuffled)))


@settings(max_examples=60, deadline=None)
@given(outcome_rows)
def test_collapsed_outcome_is_the_highest_precedence_part(rows: list[tuple[int, str, str]]) -> None:
    cases = collapse(frame_of(rows))
    for case_id, outcome in zip(cases["sag_id"], cases["udfald"].astype(str), strict=True):
        parts = [o for c, o, _ in rows if f"S{c}" == case_id]
        assert outcome == min(parts, key=OUTCOMES.index)


count = st.integers(0, 500)
count_frames = st.lists(st.tuples(count, count, count, count), min_size=1, max_size=30)


def counts_of(rows: list[tuple[int, int, int, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["stadfaestet", "hjemvist", "aendret_ophaevet", "afvist"])
    frame["gruppe"] = np.arange(len(rows)) % 4
    return frame


@settings(max_examples=80, deadline=None)
@given(count_frames)
def test_rates_lie_in_unit_interval(rows: list[tuple[int, int, int, int]]) -> None:
    rates = add_rates(counts_of(rows))
    for column in (
        "omgoerelsesprocent",
        "hjemvisningsprocent",
        "stadfaestelsesprocent",
        "omgoerelse_nedre",
    ):
        values = rates[column].dropna()
        assert ((values >= 0) & (values <= 1)).all()
    has_cases = rates["realitetsbehandlede"] > 0
    assert rates.loc[has_cases, "omgoerelsesprocent"].notna().all()
    assert rates.loc[~has_cases, "omgoerelsesprocent"].isna().all()


@settings(max_examples=40, deadline=None)
@given(outcome_rows)
def test_aggregate_then_sum_equals_sum_then_aggregate(rows: list[tuple[int, str, str]]) -> None:
    cases = collapse(frame_of(rows))
    by_kommune = count_outcomes(cases, ["kommunekode", "aar"])
    summed = sum_counts(by_kommune, ["aar"]).set_index("aar")
    direct = count_outcomes(cases, ["aar"]).set_index("aar")
    pd.testing.assert_frame_equal(summed, direct[summed.columns], check_dtype=False)
