"""The full-year forecast: exact when no case is to come, wider the more are to come, and
an interval that holds the actual year's rate as often as it says."""

from __future__ import annotations

import math

import numpy as np
import pytest

from omglib.forecast import forecast_year


def test_with_no_case_to_come_the_year_is_what_it_is() -> None:
    forecast = forecast_year(3, 8, expected_remaining=0)
    assert forecast.rate == forecast.lower == forecast.upper == 3 / 8


def test_the_interval_widens_with_the_cases_to_come() -> None:
    few, many = forecast_year(4, 10, 2), forecast_year(4, 10, 20)
    assert few.lower <= 0.4 <= few.upper
    assert many.upper - many.lower > few.upper - few.lower


def test_the_rate_so_far_pulls_the_forecast() -> None:
    assert forecast_year(8, 10, 10).rate > forecast_year(2, 10, 10).rate


def test_no_case_so_far_and_none_expected_gives_no_forecast() -> None:
    forecast = forecast_year(0, 0, 0)
    assert math.isnan(forecast.rate) and math.isnan(forecast.lower)


def test_no_case_so_far_gives_a_wide_forecast_from_the_cases_to_come() -> None:
    forecast = forecast_year(0, 0, 6)
    assert forecast.lower == 0.0 and forecast.upper == 1.0


@pytest.mark.parametrize(("omgjort", "cases", "remaining"), [(5, 4, 1), (-1, 4, 1), (1, 4, -1)])
def test_impossible_counts_are_refused(omgjort: int, cases: int, remaining: float) -> None:
    with pytest.raises(ValueError):
        forecast_year(omgjort, cases, remaining)


@pytest.mark.parametrize("true_rate", [0.15, 0.35, 0.6])
def test_the_interval_holds_the_actual_year_about_as_often_as_it_says(true_rate: float) -> None:
    """Simulated years: half a year's cases at the true rate, the rest to come at the
    same pace; the 95 % interval made at mid-year must hold the year's actual rate in
    about 95 % of the years (discrete counts make it hold a little more often)."""
    generator = np.random.default_rng(20261206)
    held = tried = 0
    for _ in range(400):
        pace = 12.0
        so_far, to_come = generator.poisson(pace), generator.poisson(pace)
        if so_far + to_come == 0:
            continue
        overturned = generator.binomial(so_far, true_rate)
        overturned_later = generator.binomial(to_come, true_rate)
        forecast = forecast_year(int(overturned), int(so_far), pace)
        actual = (overturned + overturned_later) / (so_far + to_come)
        tried += 1
        held += forecast.lower <= actual <= forecast.upper
    assert 0.92 <= held / tried <= 0.995, f"{held} of {tried}"
