"""Recognising a table's header: which row it is, and whether it is a wide table's two.

A header row is the first with two known column titles (any spelling in
`data/aliaser.yaml`). A wide table has two header rows, measures ("Hjemviste sager")
over periods ("2023", "2023K1") or periods over measures, beside label columns
(Sagsemne, Instans); `orientation` tells the two apart from a long table's header and
its first data row, which look alike to a reader that only counts known titles. Only
text is read here; the files and the unpivoting are elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from omglib.errors import DataError, Problem
from omglib.names import fold
from omglib.registry import aliases

HEADER_SEARCH_ROWS = 30

#: Canonical columns that say which row it is rather than count or rate something; in a
#: wide table they stand beside the periods, and every other known column is a measure.
LABEL_COLUMNS = frozenset(
    {"aar", "kvartal", "kommunekode", "kommune", "omraade", "paragraf", "lov"}
)
_YEAR = re.compile(r"\d{4}")
_QUARTERS = (
    re.compile(r"(?P<year>\d{4})\s*[-/]?\s*K\s*(?P<quarter>[1-4])", re.IGNORECASE),
    re.compile(r"K\s*(?P<quarter>[1-4])\s*[-/]?\s*(?P<year>\d{4})", re.IGNORECASE),
)


@cache
def column_aliases() -> Mapping[str, str]:
    """Folded column title → canonical column name (read-only: shared by every caller)."""
    return MappingProxyType(
        {
            fold(variant): canonical
            for canonical, variants in aliases()["columns"].items()
            for variant in [canonical, *variants]
        }
    )


def _find_header(rows: Iterable[list[str]], path: Path) -> int:
    """The first row with at least two known column titles."""
    for index, cells in enumerate(rows):
        if sum(fold(cell) in column_aliases() for cell in cells) >= 2:
            return index
    message = (
        f"fandt ingen overskriftsrække i de første {HEADER_SEARCH_ROWS} rækker – forventede "
        "kolonner som År, Kommune, Område, Stadfæstelse, Hjemvisning, Ændring/ophævelse"
    )
    raise DataError([Problem(path.name, None, None, None, message)])


def header_start(rows: list[list[str]], path: Path) -> int:
    """The (first) header row: the first row with two known column titles, or the row
    above it when that row and it are a wide table's two header rows (a wide table may
    have only one known title in its first header row, the rest in the second)."""
    index = _find_header(rows[:HEADER_SEARCH_ROWS], path)
    if index > 0 and not _is_wide_pair(rows, index) and _is_wide_pair(rows, index - 1):
        return index - 1
    return index


def _is_wide_pair(rows: list[list[str]], index: int) -> bool:
    if index + 1 >= len(rows):
        return False
    width = max(len(rows[index]), len(rows[index + 1]))
    upper, lower = ([*texts(row), *[""] * (width - len(row))] for row in rows[index : index + 2])
    return _transposed(upper, lower) is not None


def orientation(rows: pd.DataFrame) -> bool | None:
    """Whether `rows` start with a wide header with periods above the measures (True),
    with measures above the periods (False), or are a long table (None)."""
    if len(rows) < 2:
        return None
    return _transposed(texts(rows.iloc[0]), texts(rows.iloc[1]))


def _transposed(upper: list[str], lower: list[str]) -> bool | None:
    """Two header rows as `orientation` reads them. Wide needs a label title (Sagsemne,
    Instans) with nothing but blanks, or the same title merged, under or over it, which a
    long table's first data row never has; and a known measure right above a period or
    written once over several filled cells (even if none is a period, so that periods
    omglib cannot read are reported as such), or right below a period."""
    pairs = list(zip(upper, lower, strict=True))
    labelled = any(label_column(top, bottom) for top, bottom in pairs)
    if not labelled or not all(_label_fits(top, bottom) for top, bottom in pairs):
        return None
    spans = {
        position
        for position in range(len(pairs) - 1)
        if not upper[position + 1] and lower[position] and lower[position + 1]
    }
    if any(
        _is_measure(top) and (parse_period(bottom) or position in spans)
        for position, (top, bottom) in enumerate(pairs)
    ):
        return False
    if any(parse_period(top) and _is_measure(bottom) for top, bottom in pairs):
        return True
    return None


def _label_fits(top: str, bottom: str) -> bool:
    return all(
        column_aliases().get(fold(title)) not in LABEL_COLUMNS or other in ("", title)
        for title, other in ((top, bottom), (bottom, top))
    )


def label_column(top: str, bottom: str) -> str | None:
    """The label column (Sagsemne, Instans, ...) a wide header column names, written in
    either header row with the other blank, or merged over both."""
    canonical = column_aliases().get(fold(top or bottom))
    if canonical in LABEL_COLUMNS and (not top or not bottom or top == bottom):
        return canonical
    return None


def _is_measure(title: str) -> bool:
    canonical = column_aliases().get(fold(title))
    return canonical is not None and canonical not in LABEL_COLUMNS


def parse_period(text: str) -> tuple[str, str] | None:
    """(year, quarter) for "2023" (quarter "") and "2023K1", "2023 K1", "2023-K1",
    "K1 2023" (quarter "1"); None for anything else."""
    if _YEAR.fullmatch(text):
        return text, ""
    for pattern in _QUARTERS:
        if match := pattern.fullmatch(text):
            return match["year"], match["quarter"]
    return None


def texts(row: Iterable[object]) -> list[str]:
    """A row's cells as stripped text."""
    return [str(cell).strip() for cell in row]
