"""Intervals and significance tests for rates resting on few cases.

A kommune's omgørelsesprocent on an area is often computed from a handful of cases
(4 cases give 75 %), so every rate needs an interval and every comparison a test.
All tests here are exact where the numbers are small; a test's verdict is a value
(:class:`Verdict`), worded in Danish by :func:`omglib.present.danish.verdict_text`.

Why ``DEFAULT_MIN_CASES = 10``: at n = 10 and an observed rate of 50 %, the 95 % Wilson
interval runs from 23.7 % to 76.3 % (half-width 26.3 percentage points, against 20.1 at
n = 20), and one case more or less moves the rate by 10 percentage points.
Against a reference rate of 40 % (published national rates lie between 32 % and 52 %),
only 0 of 10 or 8 or more of 10 differ significantly at the 5 % level (exact test). Below
ten cases the percentage adds little to the counts themselves, so reports flag it.

Edge cases, for all functions: zero trials give NaN (intervals, funnel limits) or a
"kan ikke vurderes" verdict with NaN p-value (tests); 0 of n and n of n are ordinary data;
a reference rate of exactly 0 or 1 is allowed: a count that is impossible under it is
significant with p = 0, a count equal to it gives p = 1.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Final, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.proportion import proportion_confint

DEFAULT_MIN_CASES: int = 10
"""Rates on fewer cases than this are flagged as resting on few cases (see module doc)."""

EXACT_TREND_MAX_RARER: Final = 100
"""`trend` is exact while the rarer outcome (omgjort or not) has at most this many cases."""

Direction = Literal["higher", "lower", "none"]


class Verdict(Enum):
    """What a significance test concluded, or why it could not conclude."""

    ABOVE_REFERENCE = "above_reference"
    BELOW_REFERENCE = "below_reference"
    SAME_AS_REFERENCE = "same_as_reference"
    NO_CASES = "no_cases"
    NO_REFERENCE = "no_reference"
    INCREASE = "increase"
    DECREASE = "decrease"
    NO_CHANGE = "no_change"
    NO_CASES_IN_PERIOD = "no_cases_in_period"
    RISING_TREND = "rising_trend"
    FALLING_TREND = "falling_trend"
    NO_TREND = "no_trend"
    TOO_FEW_YEARS = "too_few_years"


@dataclass(frozen=True)
class SignificanceResult:
    """Outcome of a significance test, as values.

    ``direction`` is "higher"/"lower" only when the difference is significant, else "none";
    ``p_value`` is NaN when the data do not allow a test, and ``verdict`` then says why.
    ``reference`` names what a rate was compared with when the caller named it (e.g.
    "regionen"); None means the national level.
    """

    p_value: float
    direction: Direction
    verdict: Verdict
    reference: str | None = None


def _counts(values: ArrayLike, name: str) -> NDArray[np.int64]:
    """Validate case counts (whole, non-negative numbers) and return them as int64."""
    array = np.asarray(values, dtype=float)
    if not (np.all(np.isfinite(array)) and np.all(array >= 0) and np.all(array % 1 == 0)):
        raise ValueError(f"{name} must be whole, non-negative numbers of cases")
    return array.astype(np.int64)


def _successes_and_trials(
    successes: ArrayLike, trials: ArrayLike
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Validate a pair of count arrays with 0 <= successes <= trials."""
    k, n = _counts(successes, "successes"), _counts(trials, "trials")
    if np.any(k > n):
        raise ValueError("successes cannot exceed trials")
    return k, n


def _check_probability(value: float, name: str) -> None:
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must lie in [0, 1], got {value}")


def _check_open_unit(value: float, name: str) -> None:
    if not 0 < value < 1:
        raise ValueError(f"{name} must lie in (0, 1), got {value}")


def _decide(
    p_value: float,
    excess: float,
    alpha: float,
    verdicts: tuple[Verdict, Verdict, Verdict],
    reference: str | None = None,
) -> SignificanceResult:
    """Turn a p-value and the sign of observed minus expected into a result;
    ``verdicts`` are those for higher, lower and no significant difference."""
    higher, lower, none = verdicts
    if p_value >= alpha:
        return SignificanceResult(p_value, "none", none, reference)
    if excess > 0:
        return SignificanceResult(p_value, "higher", higher, reference)
    return SignificanceResult(p_value, "lower", lower, reference)


def wilson_interval(
    successes: ArrayLike, trials: ArrayLike, level: float = 0.95
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Wilson score interval for rates, vectorised; NaN where trials == 0.

    Wilson keeps good coverage for small n and, unlike the normal approximation, never
    leaves [0, 1] or collapses to a point at 0 of n or n of n. Scalar input gives 0-d arrays.
    """
    k, n = _successes_and_trials(successes, trials)
    _check_open_unit(level, "level")
    has_cases = n > 0
    lower, upper = proportion_confint(
        k, np.where(has_cases, n, 1), alpha=1 - level, method="wilson"
    )
    # 0 of n and n of n have exact limits 0 and 1; remove floating-point noise around them
    lower = np.where(has_cases, np.where(k == 0, 0.0, np.clip(lower, 0.0, 1.0)), np.nan)
    upper = np.where(has_cases, np.where(k == n, 1.0, np.clip(upper, 0.0, 1.0)), np.nan)
    return lower.astype(np.float64), upper.astype(np.float64)


def few_cases(trials: ArrayLike, threshold: int = DEFAULT_MIN_CASES) -> NDArray[np.bool_]:
    """True where a rate rests on fewer than ``threshold`` cases (zero cases included)."""
    return _counts(trials, "trials") < threshold


def compare_to_reference(
    successes: int,
    trials: int,
    reference_rate: float,
    reference_label: str | None = None,
    alpha: float = 0.05,
) -> SignificanceResult:
    """Exact binomial test of a kommune's rate against a reference rate (e.g. national).

    The two-sided p-value is twice the smaller exact tail, P(X <= k) or P(X >= k), capped
    at 1 (the "central" test, computed with scipy's ``binomtest``). It is chosen over
    scipy's default two-sided p-value because it agrees exactly with
    :func:`funnel_limits`: a kommune lies outside the funnel at level 1 - alpha if and only
    if this test is significant at alpha, so a figure and its text never disagree.
    ``reference_label`` names the reference in the result (e.g. "regionen"); None means
    the national level.
    """
    k, n = _successes_and_trials(successes, trials)
    _check_probability(reference_rate, "reference_rate")
    _check_open_unit(alpha, "alpha")
    if n == 0:
        return SignificanceResult(float("nan"), "none", Verdict.NO_CASES, reference_label)
    below = stats.binomtest(int(k), int(n), reference_rate, alternative="less").pvalue
    above = stats.binomtest(int(k), int(n), reference_rate, alternative="greater").pvalue
    p_value = min(1.0, 2 * float(min(below, above)))
    return _decide(
        p_value,
        float(k - n * reference_rate),
        alpha,
        (Verdict.ABOVE_REFERENCE, Verdict.BELOW_REFERENCE, Verdict.SAME_AS_REFERENCE),
        reference_label,
    )


def compare_periods(
    successes_before: int,
    trials_before: int,
    successes_after: int,
    trials_after: int,
    alpha: float = 0.05,
) -> SignificanceResult:
    """Fisher's exact test for a change in rate between two periods (e.g. two years).

    Exact, so valid for the tiny counts typical of a single kommune and area; the
    direction is that of the later rate relative to the earlier one.
    """
    k, n = _successes_and_trials([successes_before, successes_after], [trials_before, trials_after])
    _check_open_unit(alpha, "alpha")
    if np.any(n == 0):
        return SignificanceResult(float("nan"), "none", Verdict.NO_CASES_IN_PERIOD)
    table = np.column_stack([k, n - k])
    p_value = float(stats.fisher_exact(table).pvalue)
    return _decide(
        p_value,
        k[1] / n[1] - k[0] / n[0],
        alpha,
        (Verdict.INCREASE, Verdict.DECREASE, Verdict.NO_CHANGE),
    )


def _exact_trend_p_value(
    scores: NDArray[np.int64], successes: NDArray[np.int64], trials: NDArray[np.int64]
) -> float:
    """Exact two-sided p-value of the Cochran–Armitage statistic T = sum(score * successes).

    Conditional on the total number of successes S, T has a known null distribution
    (the years' counts are multivariate hypergeometric); it is built by a dynamic
    programme over years on a (successes so far, score sum so far) grid, weighting each
    year by binomial probabilities at the pooled rate, which cancel in the conditioning.
    The p-value is P(|T - E T| >= |t_obs - E T|), compared in exact integer arithmetic.
    """
    total, events = int(trials.sum()), int(successes.sum())
    if 2 * events > total:  # the rarer outcome gives the same p-value on a smaller grid
        successes, events = trials - successes, total - events
    max_sum = int(np.sort(np.repeat(scores, trials))[::-1][:events].sum())
    grid = np.zeros((events + 1, max_sum + 1))
    grid[0, 0] = 1.0
    for score, n in zip(scores, trials, strict=True):
        weights = stats.binom.pmf(np.arange(min(n, events) + 1), n, events / total)
        step = np.zeros_like(grid)
        for x, weight in enumerate(weights):
            shift = int(score) * x
            step[x:, shift:] += weight * grid[: events + 1 - x, : max_sum + 1 - shift]
        grid = step
    null = grid[events] / grid[events].sum()
    centre = events * int(scores @ trials)
    deviation = np.abs(total * np.arange(max_sum + 1) - centre)
    observed = abs(total * int(scores @ successes) - centre)
    return min(1.0, float(null[deviation >= observed].sum()))


def trend(
    years: ArrayLike, successes: ArrayLike, trials: ArrayLike, alpha: float = 0.05
) -> SignificanceResult:
    """Test for a linear trend in the rate over years (Cochran–Armitage).

    The statistic is the linear-by-linear association T = sum(year * successes), with
    years as scores so that gaps between years count. While the rarer outcome (omgjort or
    not) has at most :data:`EXACT_TREND_MAX_RARER` cases, the p-value is exact, conditional
    on the total as in Fisher's test. The asymptotic version can be anti-conservative on
    the tiny counts kommuner report: 0/3, 1/3, 3/3 gives p = 0.020 asymptotically but
    0.048 exactly, and at a constant true rate of 40 % over 4 years of 4 cases the
    asymptotic test rejects 5.8 % of the time at alpha = 5 %, the exact one 2.9 %
    (computed by enumerating all outcomes). With more cases the same statistic is referred
    to its normal approximation (statsmodels' ``Table.test_ordinal_association``), which
    is then accurate and much cheaper.

    Years with zero cases are left out; fewer than three years with cases cannot show
    a trend. If no case (or every case) was omgjort, the p-value is 1.
    """
    year_array = np.asarray(years)
    k, n = _successes_and_trials(successes, trials)
    if not year_array.shape == k.shape == n.shape or year_array.ndim != 1:
        raise ValueError("years, successes and trials must be 1-d and of equal length")
    if len(np.unique(year_array)) != len(year_array):
        raise ValueError("each year may occur only once")
    _check_open_unit(alpha, "alpha")
    has_cases = n > 0
    if has_cases.sum() < 3:
        return SignificanceResult(float("nan"), "none", Verdict.TOO_FEW_YEARS)
    scores = _counts(year_array[has_cases] - year_array[has_cases].min(), "years")
    k, n = k[has_cases], n[has_cases]
    if min(k.sum(), (n - k).sum()) <= EXACT_TREND_MAX_RARER:
        p_value = _exact_trend_p_value(scores, k, n)
    else:
        table = Table(np.column_stack([k, n - k]), shift_zeros=False)
        result = table.test_ordinal_association(row_scores=scores, col_scores=np.array([1, 0]))
        p_value = float(result.pvalue)
    excess = float(n.sum() * (scores @ k) - k.sum() * (scores @ n))
    return _decide(
        p_value,
        excess,
        alpha,
        (Verdict.RISING_TREND, Verdict.FALLING_TREND, Verdict.NO_TREND),
    )


def _lower_limit(rate: float, n: NDArray[np.float64], tail: float) -> NDArray[np.float64]:
    """Spiegelhalter's interpolated exact lower binomial limit, as a proportion.

    r is the smallest count with P(X <= r) >= tail; the limit is (r - a) / n with
    a = (P(X <= r) - tail) / P(X = r), clipped to [0, 1].
    """
    r = stats.binom.ppf(tail, n, rate)
    at_r, below_r = stats.binom.cdf(r, n, rate), stats.binom.cdf(r - 1, n, rate)
    a = (at_r - tail) / (at_r - below_r)
    return np.asarray(np.clip((r - a) / n, 0.0, 1.0), dtype=np.float64)


def _level_tag(level: float) -> str:
    """Column suffix for a level: 0.95 -> "95", 0.998 -> "998"."""
    return f"{round(100 * level, 6):g}".replace(".", "")


def funnel_limits(
    reference_rate: float, trials: ArrayLike, levels: Sequence[float] = (0.95, 0.998)
) -> pd.DataFrame:
    """Exact binomial funnel-plot control limits around a reference rate, vectorised over n.

    Returns columns ``n``, then ``nedre_<level>`` and ``oevre_<level>`` per level (e.g.
    ``nedre_95``, ``oevre_998``), as proportions; NaN where n == 0.

    Method: Spiegelhalter (2005, "Funnel plots for comparing institutional performance",
    appendix) interpolation of the exact binomial quantiles, applied to the omgjorte cases
    for the lower limit and, mirrored, to the cases not omgjort for the upper limit
    (upper limit = 1 - lower limit of 1 - rate). Applied directly to the upper tail, the
    published formula puts the limit below r/n whenever r is the upper quantile, so it
    (a) marks counts as outside that an exact test does not, (b) is not monotone in n
    and (c) can even fall below the reference rate at small n. The mirrored version
    widens monotonically as n falls, always contains the reference rate, treats the
    omgørelsesprocent and its complement (stadfæstelsesprocent) symmetrically, and puts
    a count outside the level-L funnel exactly when :func:`compare_to_reference` is
    significant at 1 - L. At reference rate 0 the limits are 0 and (1 - tail) / n, so any
    omgjort case lies above; at 1 symmetrically.
    """
    _check_probability(reference_rate, "reference_rate")
    for level in levels:
        _check_open_unit(level, "level")
    tags = [_level_tag(level) for level in levels]
    if len(set(tags)) != len(tags):
        raise ValueError("levels must be distinct")
    n = _counts(trials, "trials")
    has_cases = n > 0
    n_safe = np.where(has_cases, n, 1).astype(np.float64)
    columns: dict[str, NDArray[np.float64] | NDArray[np.int64]] = {"n": n}
    for level, tag in zip(levels, tags, strict=True):
        tail = (1 - level) / 2
        lower = _lower_limit(reference_rate, n_safe, tail)
        upper = 1 - _lower_limit(1 - reference_rate, n_safe, tail)
        columns[f"nedre_{tag}"] = np.where(has_cases, lower, np.nan)
        columns[f"oevre_{tag}"] = np.where(has_cases, upper, np.nan)
    return pd.DataFrame(columns)
