"""Tests for omglib.stats.

Known answers are recomputed here from first principles (closed formulas and sums of
binomial/hypergeometric probabilities with math.comb), independently of scipy and
statsmodels, which the module itself uses.
"""

import itertools
import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omglib import stats
from omglib.present.danish import verdict_text
from omglib.stats import (
    DEFAULT_MIN_CASES,
    EXACT_TREND_MAX_RARER,
    SignificanceResult,
    Verdict,
    compare_periods,
    compare_to_reference,
    few_cases,
    funnel_limits,
    trend,
    wilson_interval,
)

FAST = settings(max_examples=60, deadline=None)

# ---------------------------------------------------------------- reference computations


def binom_pmf(k: int, n: int, p: float) -> float:
    return math.comb(n, k) * p**k * (1 - p) ** (n - k)


def binom_cdf(k: int, n: int, p: float) -> float:
    return sum(binom_pmf(i, n, p) for i in range(k + 1))


def central_binomial_p(k: int, n: int, p: float) -> float:
    """Twice the smaller exact tail, capped at 1, by summing the pmf."""
    below = binom_cdf(k, n, p)
    above = sum(binom_pmf(i, n, p) for i in range(k, n + 1))
    return min(1.0, 2 * min(below, above))


def fisher_p(a: int, n1: int, c: int, n2: int) -> float:
    """Two-sided Fisher p: all tables with the same margins no more likely than observed."""
    events, total = a + c, n1 + n2

    def prob(x: int) -> float:
        return math.comb(n1, x) * math.comb(n2, events - x) / math.comb(total, events)

    support = range(max(0, events - n2), min(n1, events) + 1)
    observed = prob(a)
    return sum(prob(x) for x in support if prob(x) <= observed * (1 + 1e-7))


def brute_force_trend_p(years: list[int], k: list[int], n: list[int]) -> float:
    """Exact conditional Cochran–Armitage p-value by enumerating every table."""
    events, total = sum(k), sum(n)
    centre = events * sum(y * m for y, m in zip(years, n, strict=True))

    def deviation(xs: tuple[int, ...]) -> int:
        return abs(total * sum(y * x for y, x in zip(years, xs, strict=True)) - centre)

    observed = deviation(tuple(k))
    weights = {
        xs: math.prod(math.comb(m, x) for m, x in zip(n, xs, strict=True))
        for xs in itertools.product(*(range(m + 1) for m in n))
        if sum(xs) == events
    }
    extreme = sum(w for xs, w in weights.items() if deviation(xs) >= observed)
    return extreme / sum(weights.values())


def asymptotic_trend_p(years: list[int], k: list[int], n: list[int]) -> float:
    """Cochran–Armitage z-test by its closed formula (permutation variance)."""
    s, x, m = (np.asarray(v, dtype=float) for v in (years, k, n))
    total, events = m.sum(), x.sum()
    expected = events * (s @ m) / total
    variance = (
        events * (total - events) / (total**2 * (total - 1)) * (total * (s**2 @ m) - (s @ m) ** 2)
    )
    z = (s @ x - expected) / math.sqrt(variance)
    return 2 * NormalDist().cdf(-abs(z))


def spiegelhalter_lower(rate: float, n: int, tail: float) -> float:
    """Spiegelhalter's interpolated lower limit, from explicit pmf sums."""
    cdf = list(itertools.accumulate(binom_pmf(r, n, rate) for r in range(n + 1)))
    r = next(r for r, value in enumerate(cdf) if value >= tail)
    below = cdf[r - 1] if r > 0 else 0.0
    a = (cdf[r] - tail) / (cdf[r] - below)
    return min(1.0, max(0.0, (r - a) / n))


# ---------------------------------------------------------------- Wilson and few cases


def test_wilson_9_of_13_matches_closed_formula() -> None:
    k, n = 9, 13
    z = NormalDist().inv_cdf(0.975)
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    lower, upper = wilson_interval(k, n)
    assert lower == pytest.approx(centre - half, abs=1e-12)
    assert upper == pytest.approx(centre + half, abs=1e-12)
    assert (round(float(lower), 3), round(float(upper), 3)) == (0.424, 0.873)


def test_wilson_is_vectorised_over_series_with_nan_for_no_cases() -> None:
    lower, upper = wilson_interval(pd.Series([0, 0, 5, 7]), pd.Series([0, 3, 10, 7]))
    assert np.isnan(lower[0]) and np.isnan(upper[0])
    assert lower[1] == 0.0 and upper[1] < 1  # 0 of 3 is where rounding once gave 5.6e-17
    assert upper[3] == 1.0 and lower[3] > 0
    assert lower[2] + upper[2] == pytest.approx(1.0)


def test_wilson_level_widens_interval() -> None:
    lower95, upper95 = wilson_interval(3, 4)
    lower99, upper99 = wilson_interval(3, 4, level=0.99)
    assert lower99 < lower95 and upper99 > upper95


@pytest.mark.parametrize(("k", "n"), [(5, 4), (-1, 4), (1.5, 4), (float("nan"), 4)])
def test_wilson_rejects_impossible_counts(k: float, n: int) -> None:
    with pytest.raises(ValueError):
        wilson_interval(k, n)
    with pytest.raises(ValueError):
        wilson_interval(1, 4, level=95)


@given(st.integers(min_value=1, max_value=2000), st.data())
@FAST
def test_wilson_contains_estimate_and_stays_in_unit_interval(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(min_value=0, max_value=n))
    lower, upper = wilson_interval([k], [n])
    assert 0.0 <= lower[0] <= k / n <= upper[0] <= 1.0
    assert lower[0] < upper[0]


def test_few_cases() -> None:
    assert few_cases([0, 9, 10, 11]).tolist() == [True, True, False, False]
    assert few_cases(pd.Series([4, 5]), threshold=5).tolist() == [True, False]


def test_default_min_cases_justification_figures() -> None:
    """The figures quoted in the module docstring must be true."""
    assert DEFAULT_MIN_CASES == 10
    lower, upper = wilson_interval([5, 10], [10, 20])
    assert (round(float(lower[0]), 3), round(float(upper[0]), 3)) == (0.237, 0.763)
    assert round(float(upper[0] - lower[0]) / 2 * 100, 1) == 26.3
    assert round(float(upper[1] - lower[1]) / 2 * 100, 1) == 20.1
    significant = [k for k in range(11) if compare_to_reference(k, 10, 0.4).direction != "none"]
    assert significant == [0, 8, 9, 10]
    for figure in ("23.7", "76.3", "26.3", "20.1", "0 of 10", "8 or more of 10"):
        assert figure in (stats.__doc__ or "")


# ---------------------------------------------------------------- compare_to_reference


@pytest.mark.parametrize(
    ("k", "n", "rate"), [(9, 13, 0.359), (4, 5, 0.5), (0, 12, 0.3), (30, 40, 0.375), (2, 50, 0.3)]
)
def test_compare_to_reference_p_value_matches_pmf_sum(k: int, n: int, rate: float) -> None:
    result = compare_to_reference(k, n, rate)
    assert result.p_value == pytest.approx(central_binomial_p(k, n, rate), rel=1e-9)


def test_compare_to_reference_verdicts() -> None:
    assert verdict_text(compare_to_reference(30, 40, 0.375)) == "signifikant over landsniveau"
    assert verdict_text(compare_to_reference(2, 50, 0.3)) == "signifikant under landsniveau"
    high = compare_to_reference(30, 40, 0.375, reference_label="regionen")
    assert high == SignificanceResult(high.p_value, "higher", Verdict.ABOVE_REFERENCE, "regionen")
    assert verdict_text(high) == "signifikant over regionen"
    # illustrative example: 9 of 13 against børnehandicap 2021's 35.9 %: significant?
    result = compare_to_reference(9, 13, 0.359)
    assert (result.direction, verdict_text(result)) == ("higher", "signifikant over landsniveau")
    assert verdict_text(compare_to_reference(9, 13, 0.506)) == (
        "ikke signifikant forskellig fra landsniveau"
    )


def test_compare_to_reference_alpha_matters() -> None:
    assert compare_to_reference(9, 13, 0.359, alpha=0.01).direction == "none"


def test_compare_to_reference_edge_cases() -> None:
    none = compare_to_reference(0, 0, 0.4)
    assert math.isnan(none.p_value)
    assert verdict_text(none) == "kan ikke vurderes (ingen realitetsbehandlede sager)"
    # all or nothing on 4 cases is not enough to differ from 50 %
    assert compare_to_reference(4, 4, 0.5).p_value == pytest.approx(0.125)
    assert compare_to_reference(0, 4, 0.5).direction == "none"
    # reference rates 0 and 1: impossible counts have p = 0, possible ones p = 1
    assert compare_to_reference(0, 5, 0.0).p_value == 1.0
    assert compare_to_reference(1, 5, 0.0) == SignificanceResult(
        0.0, "higher", Verdict.ABOVE_REFERENCE
    )
    assert compare_to_reference(5, 5, 1.0).p_value == 1.0
    assert compare_to_reference(4, 5, 1.0).direction == "lower"


@pytest.mark.parametrize(
    "args", [(5, 4, 0.5), (1, 4, 1.5), (1, 4, -0.1), (1, 4, float("nan")), (1.5, 4, 0.5)]
)
def test_compare_to_reference_rejects_invalid_input(args: tuple[float, int, float]) -> None:
    with pytest.raises(ValueError):
        compare_to_reference(*args)  # type: ignore[arg-type]


def test_compare_to_reference_rejects_invalid_alpha() -> None:
    with pytest.raises(ValueError):
        compare_to_reference(1, 4, 0.5, alpha=0)


# ---------------------------------------------------------------- compare_periods


@pytest.mark.parametrize(
    ("before", "after"), [((4, 5), (2, 4)), ((30, 40), (10, 40)), ((3, 20), (12, 22))]
)
def test_compare_periods_p_value_matches_hypergeometric_sum(
    before: tuple[int, int], after: tuple[int, int]
) -> None:
    result = compare_periods(*before, *after)
    assert result.p_value == pytest.approx(fisher_p(*before, *after), rel=1e-9)


def test_compare_periods_verdicts() -> None:
    assert verdict_text(compare_periods(30, 40, 10, 40)) == "signifikant fald"
    assert verdict_text(compare_periods(10, 40, 30, 40)) == "signifikant stigning"
    assert compare_periods(10, 40, 30, 40).direction == "higher"
    # illustrative example: 80 % -> 50 % on 5 and 4 cases is no evidence of change
    assert verdict_text(compare_periods(4, 5, 2, 4)) == "ingen signifikant ændring"


def test_compare_periods_edge_cases() -> None:
    for args in [(0, 0, 3, 4), (3, 4, 0, 0), (0, 0, 0, 0)]:
        result = compare_periods(*args)
        assert math.isnan(result.p_value)
        assert (
            verdict_text(result)
            == "kan ikke vurderes (ingen realitetsbehandlede sager i et af årene)"
        )
    assert compare_periods(0, 5, 0, 7).p_value == 1.0
    assert compare_periods(5, 5, 7, 7).p_value == 1.0
    with pytest.raises(ValueError):
        compare_periods(6, 5, 1, 5)


# ---------------------------------------------------------------- trend


def test_trend_brief_example_is_not_significant() -> None:
    """Illustrative example (this project's): 4/5, 2/4, 3/4 (80 % -> 50 % -> 75 %), 2019-2021."""
    result = trend([2019, 2020, 2021], [4, 2, 3], [5, 4, 4])
    assert verdict_text(result) == "ingen signifikant udvikling"
    assert result.direction == "none"
    assert result.p_value == pytest.approx(brute_force_trend_p([0, 1, 2], [4, 2, 3], [5, 4, 4]))
    assert result.p_value > 0.5


def test_trend_clear_rise_and_fall() -> None:
    years = [2019, 2020, 2021, 2022]
    rising = trend(years, [5, 15, 30, 45], [50] * 4)
    assert (rising.direction, verdict_text(rising)) == ("higher", "signifikant stigende tendens")
    assert rising.p_value < 1e-10
    falling = trend(years, [45, 30, 15, 5], [50] * 4)
    assert (falling.direction, verdict_text(falling)) == ("lower", "signifikant faldende tendens")


def test_trend_exact_p_value_quoted_in_docstring() -> None:
    result = trend([1, 2, 3], [0, 1, 3], [3, 3, 3])
    assert result.p_value == pytest.approx(1 / 21)
    assert round(result.p_value, 3) == 0.048
    assert round(asymptotic_trend_p([1, 2, 3], [0, 1, 3], [3, 3, 3]), 3) == 0.020


def test_trend_exact_test_keeps_its_size() -> None:
    """At a constant rate of 40 % over 4 years of 4 cases it rejects 2.9 % (<= 5 %)."""
    n, rate = [4, 4, 4, 4], 0.4
    rejection = sum(
        math.prod(binom_pmf(x, m, rate) for x, m in zip(xs, n, strict=True))
        for xs in itertools.product(range(5), repeat=4)
        if trend([2020, 2021, 2022, 2023], list(xs), n).direction != "none"
    )
    assert round(rejection, 3) == 0.029


def test_trend_leaves_out_years_without_cases() -> None:
    too_few = trend([2019, 2020, 2021, 2022], [4, 0, 2, 0], [5, 0, 4, 0])
    assert math.isnan(too_few.p_value)
    assert verdict_text(too_few) == "for få år med sager til at vurdere en udvikling"
    with_gap = trend([2018, 2019, 2020, 2021], [0, 0, 1, 3], [2, 0, 3, 3])
    expected = brute_force_trend_p([2018, 2020, 2021], [0, 1, 3], [2, 3, 3])
    assert with_gap.p_value == pytest.approx(expected)


def test_trend_edge_cases() -> None:
    assert verdict_text(trend([2020, 2021], [1, 2], [3, 3])) == (
        "for få år med sager til at vurdere en udvikling"
    )
    assert trend([2020, 2021, 2022], [0, 0, 0], [3, 4, 5]).p_value == 1.0
    assert (
        verdict_text(trend([2020, 2021, 2022], [3, 4, 5], [3, 4, 5]))
        == "ingen signifikant udvikling"
    )
    shuffled = trend([2021, 2019, 2022, 2020], [3, 4, 4, 2], [4, 5, 4, 4])
    ordered = trend([2019, 2020, 2021, 2022], [4, 2, 3, 4], [5, 4, 4, 4])
    assert shuffled.p_value == pytest.approx(ordered.p_value)
    assert shuffled.verdict == ordered.verdict


@pytest.mark.parametrize(
    "args",
    [
        ([2020, 2020, 2021], [1, 1, 1], [2, 2, 2]),  # duplicate year
        ([2020, 2021], [1, 1, 1], [2, 2, 2]),  # lengths differ
        ([2020, 2021, 2022], [3, 1, 1], [2, 2, 2]),  # successes > trials
    ],
)
def test_trend_rejects_invalid_input(args: tuple[list[int], list[int], list[int]]) -> None:
    with pytest.raises(ValueError):
        trend(*args)


def test_trend_large_counts_use_normal_approximation() -> None:
    years, k, n = [2018, 2019, 2020, 2021, 2022], [30, 35, 38, 42, 45], [100] * 5
    assert min(sum(k), 500 - sum(k)) > EXACT_TREND_MAX_RARER
    assert trend(years, k, n).p_value == pytest.approx(asymptotic_trend_p(years, k, n), rel=1e-9)


def test_trend_exact_agrees_with_normal_approximation_at_the_switch() -> None:
    years, k, n = [2018, 2019, 2020, 2021, 2022], [14, 17, 20, 23, 26], [100] * 5
    assert sum(k) == EXACT_TREND_MAX_RARER  # still exact
    assert trend(years, k, n).p_value == pytest.approx(asymptotic_trend_p(years, k, n), rel=0.15)


@st.composite
def small_year_tables(draw: st.DrawFn) -> tuple[list[int], list[int], list[int]]:
    years = sorted(draw(st.sets(st.integers(2010, 2024), min_size=3, max_size=4)))
    n = [draw(st.integers(1, 5)) for _ in years]
    k = [draw(st.integers(0, m)) for m in n]
    return years, k, n


@given(small_year_tables())
@FAST
def test_trend_exact_p_value_equals_enumeration(
    table: tuple[list[int], list[int], list[int]],
) -> None:
    years, k, n = table
    assert trend(years, k, n).p_value == pytest.approx(brute_force_trend_p(years, k, n), abs=1e-9)


# ---------------------------------------------------------------- funnel limits


def test_funnel_columns_and_zero_cases() -> None:
    limits = funnel_limits(0.4, pd.Series([0, 1, 10, 100]))
    assert list(limits.columns) == ["n", "nedre_95", "oevre_95", "nedre_998", "oevre_998"]
    assert limits["n"].tolist() == [0, 1, 10, 100]
    assert limits.iloc[0, 1:].isna().all()
    assert not limits.iloc[1:].isna().any().any()
    assert list(funnel_limits(0.4, [5], levels=(0.9,)).columns) == ["n", "nedre_90", "oevre_90"]


@pytest.mark.parametrize(("rate", "n"), [(0.4, 20), (0.359, 13), (0.1, 7), (0.9, 50), (0.5, 1)])
def test_funnel_limits_match_spiegelhalter_by_hand(rate: float, n: int) -> None:
    row = funnel_limits(rate, [n]).iloc[0]
    for level, tag in [(0.95, "95"), (0.998, "998")]:
        tail = (1 - level) / 2
        assert row[f"nedre_{tag}"] == pytest.approx(spiegelhalter_lower(rate, n, tail), abs=1e-9)
        assert row[f"oevre_{tag}"] == pytest.approx(
            1 - spiegelhalter_lower(1 - rate, n, tail), abs=1e-9
        )


def test_funnel_limits_at_reference_rates_zero_and_one() -> None:
    zero = funnel_limits(0.0, [1, 5])
    assert zero["nedre_95"].tolist() == [0.0, 0.0]
    assert zero["oevre_95"].tolist() == pytest.approx([0.975, 0.195])
    one = funnel_limits(1.0, [1, 5])
    assert one["oevre_95"].tolist() == [1.0, 1.0]
    assert one["nedre_95"].tolist() == pytest.approx([0.025, 0.805])


@pytest.mark.parametrize("levels", [(0.95, 0.95), (1.0,), (0.0,)])
def test_funnel_rejects_invalid_levels(levels: tuple[float, ...]) -> None:
    with pytest.raises(ValueError):
        funnel_limits(0.4, [10], levels=levels)


N_RANGE = np.arange(1, 401)


@given(st.floats(min_value=0.0, max_value=1.0))
@FAST
def test_funnel_widens_as_n_falls_and_contains_reference(rate: float) -> None:
    limits = funnel_limits(rate, N_RANGE)
    for tag in ("95", "998"):
        lower, upper = limits[f"nedre_{tag}"].to_numpy(), limits[f"oevre_{tag}"].to_numpy()
        assert np.all(np.diff(lower) >= -1e-12)
        assert np.all(np.diff(upper) <= 1e-12)
        assert np.all((lower <= rate + 1e-12) & (rate - 1e-12 <= upper))
        assert np.all((lower >= 0) & (upper <= 1))
    assert np.all(limits["nedre_998"] <= limits["nedre_95"] + 1e-12)
    assert np.all(limits["oevre_998"] >= limits["oevre_95"] - 1e-12)


@given(st.floats(min_value=0.0, max_value=1.0), st.integers(1, 300), st.data())
@FAST
def test_outside_funnel_exactly_when_test_is_significant(
    rate: float, n: int, data: st.DataObject
) -> None:
    k = data.draw(st.integers(0, n))
    row = funnel_limits(rate, [n]).iloc[0]
    for level, tag in [(0.95, "95"), (0.998, "998")]:
        outside = k / n < row[f"nedre_{tag}"] or k / n > row[f"oevre_{tag}"]
        significant = compare_to_reference(k, n, rate, alpha=1 - level).direction != "none"
        assert outside == significant
