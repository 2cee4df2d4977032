"""Tests for omglib.present.danish: Danish labels and number formatting."""

import datetime

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omglib.outcomes import COUNT_COLUMNS, OUTCOME_LABELS
from omglib.present.danish import (
    MINUS,
    MONTHS,
    NO_VALUE,
    SYNTHETIC_NOTICE,
    VERDICTS,
    extract_date_text,
    format_change_pct,
    format_counts,
    format_date,
    format_int,
    format_number,
    format_pct,
    format_pp,
    verdict_phrase,
)
from omglib.stats import Verdict


@pytest.mark.parametrize(
    ("rate", "decimals", "expected"),
    [
        (0.4706, 1, "47,1 %"),
        (9 / 13, 1, "69,2 %"),  # illustrative example: 9 of 13 cases
        (1.0, 1, "100,0 %"),
        (0.0, 1, "0,0 %"),
        (0.5, 0, "50 %"),
        (0.35853, 2, "35,85 %"),
    ],
)
def test_format_pct(rate: float, decimals: int, expected: str) -> None:
    assert format_pct(rate, decimals) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan])
def test_format_pct_missing_rate_is_a_dash_not_zero(missing: float | None) -> None:
    assert format_pct(missing) == "–"
    assert NO_VALUE == "\u2013"


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "0"), (999, "999"), (1234, "1.234"), (1234567, "1.234.567"), (-1234, "-1.234")],
)
def test_format_int(n: int, expected: str) -> None:
    assert format_int(n) == expected


def test_format_int_accepts_whole_numbers_but_not_fractions() -> None:
    assert format_int(np.int64(98765)) == "98.765"
    with pytest.raises(TypeError):
        format_int(12.5)


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (1234.5, 1, "1.234,5"),
        (1234567.891, 2, "1.234.567,89"),
        (-1234.5, 1, "-1.234,5"),
        (0.25, 0, "0"),
        (-0.04, 1, "0,0"),  # rounds to zero: no "-0,0"
        (float("nan"), 1, "–"),
    ],
)
def test_format_number(x: float, decimals: int, expected: str) -> None:
    assert format_number(x, decimals) == expected


@pytest.mark.parametrize(
    ("diff", "expected"),
    [
        (0.052, "+5,2 procentpoint"),
        (-0.1, "-10,0 procentpoint"),
        (0.0, "0,0 procentpoint"),
        (-0.0001, "0,0 procentpoint"),
        (None, "–"),
    ],
)
def test_format_pp(diff: float | None, expected: str) -> None:
    assert format_pp(diff) == expected


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [(15, 8, "-47 %"), (10, 12, "+20 %"), (5, 5, "0 %"), (4, 0, "-100 %"), (0, 3, "–")],
)
def test_format_change_pct(old: int, new: int, expected: str) -> None:
    assert format_change_pct(old, new) == expected


def test_negative_numbers_use_one_consistent_minus_sign() -> None:
    assert MINUS == "-"
    outputs = [format_int(-5), format_number(-5.0), format_pp(-0.05), format_change_pct(10, 5)]
    assert all(text.startswith(MINUS) for text in outputs)
    assert not any("\u2212" in text for text in outputs)


def test_extract_date_text_names_the_extract_or_says_the_file_does_not() -> None:
    assert extract_date_text(datetime.date(2023, 2, 7)) == "udtrukket 7. februar 2023"
    assert extract_date_text(None) == "udtrækkets dato er ikke angivet i filen"


def test_format_date_and_months() -> None:
    assert format_date(datetime.date(2024, 1, 1)) == "1. januar 2024"
    assert format_date(datetime.date(2023, 12, 31)) == "31. december 2023"
    assert format_date(datetime.date(2022, 5, 17)) == "17. maj 2022"
    assert len(MONTHS) == 12
    assert MONTHS[2] == "marts"


@pytest.mark.parametrize(
    ("omgjort", "total", "expected"),
    [
        (16, 34, "16 af 34 sager"),
        (1, 1, "1 af 1 sag"),
        (0, 1, "0 af 1 sag"),
        (0, 0, "0 af 0 sager"),
        (1234, 2000, "1.234 af 2.000 sager"),
    ],
)
def test_format_counts(omgjort: int, total: int, expected: str) -> None:
    assert format_counts(omgjort, total) == expected


def test_outcome_labels_cover_every_count_column() -> None:
    assert list(OUTCOME_LABELS) == list(COUNT_COLUMNS)
    assert OUTCOME_LABELS["aendret_ophaevet"] == "Ændret/ophævet"


def test_verdicts_fill_in_the_reference() -> None:
    assert verdict_phrase(Verdict.ABOVE_REFERENCE, "regionen") == "signifikant over regionen"
    assert verdict_phrase(Verdict.BELOW_REFERENCE) == "signifikant under landsniveau"
    assert set(VERDICTS) == set(Verdict)
    for verdict in Verdict:
        assert verdict_phrase(verdict).strip(), verdict


def test_synthetic_notice_is_danish_and_explicit() -> None:
    assert SYNTHETIC_NOTICE.startswith("Bemærk:")
    assert "syntetiske" in SYNTHETIC_NOTICE


def _parse_danish(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_format_int_round_trips(n: int) -> None:
    text = format_int(n)
    assert int(text.replace(".", "")) == n
    groups = text.lstrip(MINUS).split(".")
    assert all(len(group) == 3 for group in groups[1:])


@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.integers(min_value=0, max_value=3),
)
def test_format_number_round_trips_within_rounding(x: float, decimals: int) -> None:
    text = format_number(x, decimals)
    assert abs(_parse_danish(text) - x) <= 0.5 * 10**-decimals + 1e-6
    if decimals:
        assert text.count(",") == 1
        assert len(text.split(",")[1]) == decimals
