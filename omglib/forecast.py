"""A forecast of a year's omgørelsesprocent from the cases decided so far.

Part of the way into a year a kommune knows `omgjort` of `cases` decided on their merits;
more cases will come before the year ends. The full-year rate is uncertain twice over:
the rate itself (a handful of cases says little) and the cases still to come (how many,
and how they end). The forecast carries both:

- the rate: a Beta(omgjort + ½, cases − omgjort + ½) distribution (Jeffreys' prior, which
  adds half a case to each side, so 0 of 3 does not claim a rate of exactly 0);
- the cases to come: Poisson with the mean the caller expects (from last year's pace);
- each of them overturned with the rate, so the number overturned among them is
  beta-binomial.

The full-year rate (omgjort + X) / (cases + M) is then a discrete distribution over the
cases to come (M) and those overturned among them (X); its median and the interval
holding the middle 95 % of it are the forecast. It is a forecast, not a measurement: it
assumes the cases to come arrive at last year's pace and are decided like this year's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from scipy import stats as scipy_stats

PRIOR: Final = 0.5
"""Jeffreys' prior: half a case added to the overturned and to the upheld."""
TAIL_MASS: Final = 1e-9
"""Cases to come beyond the Poisson quantile leaving this much probability are ignored."""


@dataclass(frozen=True)
class YearForecast:
    """The forecast full-year rate (`rate`, the median) with its interval (`lower`,
    `upper`, holding `level` of the forecast's probability), from `omgjort` of `cases`
    so far and `expected_remaining` cases still to come. NaN when no case is expected in
    the whole year."""

    omgjort: int
    cases: int
    expected_remaining: float
    rate: float
    lower: float
    upper: float
    level: float = 0.95


def forecast_year(
    omgjort: int, cases: int, expected_remaining: float, level: float = 0.95
) -> YearForecast:
    """The full-year omgørelsesprocent forecast from the cases so far (see the module
    docstring). Outcomes where the year ends without any case are left out: the rate
    has no value then."""
    if not 0 <= omgjort <= cases:
        raise ValueError(f"omgjort must lie in [0, cases], got {omgjort} of {cases}")
    if expected_remaining < 0 or not 0 < level < 1:
        raise ValueError("expected_remaining must be >= 0 and level in (0, 1)")
    rates, weights = _full_year_distribution(omgjort, cases, expected_remaining)
    if weights.sum() == 0:
        nan = float("nan")
        return YearForecast(omgjort, cases, expected_remaining, nan, nan, nan, level)
    order = np.argsort(rates, kind="stable")
    rates, cumulative = rates[order], np.cumsum(weights[order]) / weights.sum()
    tail = (1 - level) / 2

    def quantile(share: float) -> float:
        index = int(np.searchsorted(cumulative, share - 1e-12))
        return float(rates[min(index, len(rates) - 1)])

    return YearForecast(
        omgjort,
        cases,
        expected_remaining,
        rate=quantile(0.5),
        lower=quantile(tail),
        upper=quantile(1 - tail),
        level=level,
    )


def _full_year_distribution(
    omgjort: int, cases: int, expected_remaining: float
) -> tuple[np.ndarray, np.ndarray]:
    """Every possible full-year rate and its probability."""
    most = (
        int(scipy_stats.poisson.ppf(1 - TAIL_MASS, expected_remaining)) if expected_remaining else 0
    )
    alpha, beta = omgjort + PRIOR, cases - omgjort + PRIOR
    rates, weights = [], []
    for remaining in range(most + 1):
        total = cases + remaining
        if total == 0:
            continue
        overturned = np.arange(remaining + 1)
        chance = (
            scipy_stats.poisson.pmf(remaining, expected_remaining) if expected_remaining else 1.0
        )
        rates.append((omgjort + overturned) / total)
        weights.append(chance * scipy_stats.betabinom.pmf(overturned, remaining, alpha, beta))
    if not rates:
        return np.array([]), np.array([])
    return np.concatenate(rates), np.concatenate(weights)
