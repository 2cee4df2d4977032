"""Danish number and date formats and the grammar of counts: one definition for every
layer, from a reader's error message to a report's table.

Typographic conventions (Retskrivningsordbogen / common practice in Danish reports):

* decimal comma and thousands dot: ``1.234,5``;
* a space before the percent sign: ``47,1 %``;
* negative numbers use the ASCII hyphen-minus ``-`` (see :data:`MINUS`), never U+2212, so
  that numbers copied from a report into Excel or a CSV file still parse as numbers;
* an en dash ``–`` (see :data:`NO_VALUE`) stands for "no value", e.g. a rate with no
  cases behind it; it is never shown as ``0 %``;
* a count takes the singular only after 1 ("1 sag", "0 sager", "2 sager").
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Sequence
from typing import Final, SupportsIndex

import pandas as pd

MINUS: Final = "-"
"""Sign of negative numbers in all report text (ASCII hyphen-minus, Excel-safe)."""

NO_VALUE: Final = "–"
"""Shown instead of a number that does not exist (en dash, U+2013)."""

MONTHS: Final[tuple[str, ...]] = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def plural(count: int | float, singular: str, plural_form: str) -> str:
    """The noun for a count: ``plural(1, "sag", "sager")`` is "sag", any other count
    (0, 2, 34) gives "sager"."""
    return singular if count == 1 else plural_form


def listed(items: Sequence[str], last: str = "") -> str:
    """Items joined the Danish way: "a, b og c" with a conjunction `last`, else "a, b, c"."""
    if not last or len(items) < 2:
        return ", ".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def _present(value: float | None) -> float | None:
    """Return ``value`` as a float, or None for None, NaN and pandas' missing markers."""
    if value is None or pd.isna(value):
        return None
    return float(value)


def _with_sign(body: str, negative: bool, plus: bool = False) -> str:
    """Prefix a formatted magnitude with its sign; a value that rounds to zero gets none.

    Checking the digits of the rounded text (not the raw value) avoids "-0,0".
    """
    if not any(digit in body for digit in "123456789"):
        return body
    if negative:
        return MINUS + body
    return "+" + body if plus else body


_SWAP_SEPARATORS: Final = str.maketrans(",.", ".,")


def _danish_separators(text: str) -> str:
    """Turn Python's ``1,234.5`` into Danish ``1.234,5``."""
    return text.translate(_SWAP_SEPARATORS)


def format_number(x: float | None, decimals: int = 1, plus: bool = False) -> str:
    """Format a number the Danish way: 1234.5 -> "1.234,5"; missing -> "–".

    With ``plus=True`` positive numbers get a "+", for differences and changes.
    """
    value = _present(x)
    if value is None:
        return NO_VALUE
    body = _danish_separators(f"{abs(value):,.{decimals}f}")
    return _with_sign(body, value < 0, plus)


def format_int(n: SupportsIndex | float) -> str:
    """Format a whole number with thousands dots: 1234567 -> "1.234.567", -1234 -> "-1.234".

    A float is accepted when it is whole (a count read from a row that also holds rates);
    a fractional one is an error, never silently rounded."""
    if isinstance(n, float):
        if not n.is_integer():
            raise TypeError(f"format_int needs a whole number, got {n}")
        n = int(n)
    value = operator.index(n)
    return _with_sign(_danish_separators(f"{abs(value):,}"), value < 0)


def format_pct(rate: float | None, decimals: int = 1) -> str:
    """Format a proportion as a Danish percentage: 0.4706 -> "47,1 %".

    A missing rate (None/NaN, e.g. no realitetsbehandlede sager) gives "–", never "0 %",
    because a kommune without cases has no rate at all, not a rate of zero.
    """
    value = _present(rate)
    if value is None:
        return NO_VALUE
    return f"{format_number(100 * value, decimals)} %"


def format_pp(diff: float | None, decimals: int = 1) -> str:
    """Format a difference of two rates in signed percentage points.

    +0.052 -> "+5,2 procentpoint", -0.1 -> "-10,0 procentpoint", missing -> "–".
    """
    value = _present(diff)
    if value is None:
        return NO_VALUE
    return f"{format_number(100 * value, decimals, plus=True)} procentpoint"


def format_change_pct(old: int, new: int, decimals: int = 0) -> str:
    """Format the relative change from ``old`` to ``new`` counts: 15 -> 8 gives "-47 %".

    A change from zero has no relative size and gives "–".
    """
    if old == 0:
        return NO_VALUE
    return f"{format_number(100 * (new - old) / old, decimals, plus=True)} %"


def format_date(d: datetime.date) -> str:
    """Format a date in Danish long form: 2024-01-01 -> "1. januar 2024"."""
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def format_counts(omgjort: int, total: int) -> str:
    """Show the counts behind a rate: "16 af 34 sager"; singular "1 af 1 sag"."""
    return f"{format_int(omgjort)} af {format_count(total, 'sag', 'sager')}"


def format_count(count: int, singular: str, plural_form: str) -> str:
    """A count with its noun: "1 kommune", "95 kommuner", "1.234 sager"."""
    return f"{format_int(count)} {plural(count, singular, plural_form)}"


def format_count_or_none(count: int, singular: str, plural_form: str) -> str:
    """A count in running text, where none reads "ingen": "ingen klager", "1 klage",
    "3 klager" (a bare "0" reads like a missing figure in a sentence)."""
    if count == 0:
        return f"ingen {plural_form}"
    return format_count(count, singular, plural_form)


def format_p(p_value: float | None) -> str:
    """A p-value for report text: "0,03", "< 0,001"; "–" when no test was possible."""
    value = _present(p_value)
    if value is None:
        return NO_VALUE
    if value < 0.001:
        return "< 0,001"
    return format_number(value, decimals=3 if value < 0.01 else 2)


def format_interval(lower: float | None, upper: float | None) -> str:
    """A 95 % interval of rates: "31,4 %–63,3 %"; "–" when there is no rate."""
    if _present(lower) is None or _present(upper) is None:
        return NO_VALUE
    return f"{format_pct(lower)}–{format_pct(upper)}"
