"""Classes and colours for the Danmarkskort, shared by the static and interactive maps.

Fixed classes like the official map by default (under 20 %, 20-30 %, ..., 50 % and
over); quantiles or natural breaks (mapclassify) as options; a diverging scheme for the
change between two years. Kommuner without cases, or below the small-number threshold,
get classes of their own so the map never colours a rate it should not show.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

import numpy as np
import pandas as pd

from omglib.present import danish
from omglib.present.palette import (
    DIVERGING,
    FEW_CASES_COLOUR,
    NO_CASES_COLOUR,
    NO_CASES_LABEL,
    SEQUENTIAL,
)

Scheme = Literal["fixed", "quantiles", "natural_breaks"]

FIXED_BREAKS = (0.2, 0.3, 0.4, 0.5)
CHANGE_BREAKS = (-0.10, -0.05, 0.05, 0.10)


@dataclass(frozen=True)
class Classes:
    """Each kommune's class label and colour, and the legend in drawing order."""

    labels: pd.Series
    colours: pd.Series
    legend: tuple[tuple[str, str], ...]


def classify_level(
    rates: pd.Series,
    few: pd.Series,
    no_cases: pd.Series,
    scheme: Scheme = "fixed",
    few_label: str = "",
) -> Classes:
    """Classes for a map of rates (proportions)."""
    valid = ~(few | no_cases)
    breaks = _breaks(rates[valid], scheme)
    labels = _level_labels(breaks)
    return _assign(rates, breaks, labels, SEQUENTIAL, few, no_cases, few_label)


def classify_change(
    changes: pd.Series, few: pd.Series, no_cases: pd.Series, few_label: str = ""
) -> Classes:
    """Classes for a map of the change in rate between two years (proportions)."""
    pp = [danish.format_number(b * 100, decimals=0, plus=True) for b in CHANGE_BREAKS]
    labels = (
        f"Fald på over {pp[0].lstrip('-')} procentpoint",
        f"Fald på {pp[1].lstrip('-')}-{pp[0].lstrip('-')} procentpoint",
        f"Ændring under {pp[2].lstrip('+')} procentpoint",
        f"Stigning på {pp[2].lstrip('+')}-{pp[3].lstrip('+')} procentpoint",
        f"Stigning på over {pp[3].lstrip('+')} procentpoint",
    )
    return _assign(changes, CHANGE_BREAKS, labels, DIVERGING, few, no_cases, few_label)


def _breaks(values: pd.Series, scheme: Scheme) -> tuple[float, ...]:
    if scheme == "fixed" or values.nunique() < 5:
        return FIXED_BREAKS
    # imported when used: it imports scikit-learn (0,4 s in every report kernel), which
    # the fixed classes of the reports do not need
    import mapclassify

    if scheme == "quantiles":
        bins = mapclassify.Quantiles(values.to_numpy(), k=5).bins
    else:
        bins = mapclassify.NaturalBreaks(values.to_numpy(), k=5).bins
    return tuple(float(b) for b in bins[:-1])


def _level_labels(breaks: tuple[float, ...]) -> tuple[str, ...]:
    pct = [danish.format_pct(b, decimals=0) for b in breaks]
    inner = [f"{low.removesuffix(' %')}-{high}" for low, high in pairwise(pct)]
    return (f"Under {pct[0]}", *inner, f"{pct[-1]} og derover")


def _assign(
    values: pd.Series,
    breaks: tuple[float, ...],
    labels: tuple[str, ...],
    palette: tuple[str, ...],
    few: pd.Series,
    no_cases: pd.Series,
    few_label: str,
) -> Classes:
    index = np.searchsorted(np.asarray(breaks), values.fillna(0).to_numpy(), side="right")
    label = pd.Series(np.asarray(labels, dtype=object)[index], index=values.index)
    colour = pd.Series(np.asarray(palette, dtype=object)[index], index=values.index)
    label = label.mask(few, few_label).mask(no_cases, NO_CASES_LABEL)
    colour = colour.mask(few, FEW_CASES_COLOUR).mask(no_cases, NO_CASES_COLOUR)
    legend = list(zip(labels, palette, strict=True))
    if few.any():
        legend.append((few_label, FEW_CASES_COLOUR))
    if no_cases.any():
        legend.append((NO_CASES_LABEL, NO_CASES_COLOUR))
    return Classes(label, colour, tuple(legend))
