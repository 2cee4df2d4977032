"""Opening a user's CSV or Excel file as rows of text, from its header row down.

CSV: `,`, `;` or tab, UTF-8 (with or without BOM) or Windows-1252. Excel: the first
sheet of an `.xlsx`, each cell as the text the user reads in Excel (dates as ISO dates,
percent cells as percentages, numbers without float noise), with the sheet's merged
ranges. Rows above the header are returned as the file's title lines, each with its
1-based line (CSV) or sheet row (Excel); every row of the table keeps its index as 0-based
line or sheet row, so errors can point at it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import numpy as np
import openpyxl  # type: ignore[import-untyped]
import pandas as pd

from omglib.errors import DataError, Problem
from omglib.io.sources.headers import HEADER_SEARCH_ROWS, header_start
from omglib.io.sources.vintage import TextLine

_DELIMITERS = (";", ",", "\t")
#: Quoted text and backslash-escaped characters in an Excel number format: literal text,
#: so a "%" there is shown as is and does not scale the value.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.')

#: A merged range of an Excel sheet: first row, first column, last row, last column,
#: all 0-based and inclusive.
CellRange = tuple[int, int, int, int]


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def csv_rows(path: Path) -> tuple[pd.DataFrame, list[TextLine]]:
    """A text file's rows from the header row down, and its title lines above it."""
    lines = _decode(path).splitlines()
    header_index = header_start(
        [_split_line(line) for line in lines[: HEADER_SEARCH_ROWS + 1]], path
    )
    delimiter = _delimiter(lines[header_index])
    try:
        table = pd.read_csv(
            io.StringIO("\n".join(lines[header_index:])),
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
        )
    except pd.errors.ParserError as error:
        message = f"filen kan ikke læses som tabel adskilt med '{delimiter}' ({error})"
        raise DataError([Problem(path.name, None, None, None, message)]) from error
    table.index = np.arange(len(table)) + header_index
    title = [" ".join(_split_line(line)).strip() for line in lines[:header_index]]
    return table.fillna(""), _filled(title)


def _filled(title: list[str]) -> list[TextLine]:
    """The title lines that are not blank, each with its 1-based line or row."""
    return [TextLine(number, text) for number, text in enumerate(title, 1) if text]


def _delimiter(line: str) -> str:
    return max(_DELIMITERS, key=line.count)


def _split_line(line: str) -> list[str]:
    return next(csv.reader([line], delimiter=_delimiter(line)), [])


def excel_rows(path: Path) -> tuple[pd.DataFrame, list[TextLine], list[CellRange]]:
    """An Excel file's rows from the header row down, its title lines above it and the
    sheet's merged ranges."""
    grid, merged = _excel_grid(path)
    first_rows = [list(grid.iloc[i]) for i in range(min(len(grid), HEADER_SEARCH_ROWS + 1))]
    header_index = header_start(first_rows, path)
    title = [" ".join(filter(None, grid.iloc[i])) for i in range(header_index)]
    return grid.iloc[header_index:], _filled(title), merged


def _excel_grid(path: Path) -> tuple[pd.DataFrame, list[CellRange]]:
    """The first sheet's cells as text, indexed by 0-based sheet row, and its merged ranges.

    A normal load, not read-only: only a normal load knows which cells are merged."""
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as error:
        message = f"filen kan ikke læses som Excel-fil ({error})"
        raise DataError([Problem(path.name, None, None, None, message)]) from error
    sheet = workbook.worksheets[0]
    cells = [
        [_excel_cell_text(cell.value, cell.number_format) for cell in row]
        for row in sheet.iter_rows()
    ]
    merged = [
        (area.min_row - 1, area.min_col - 1, area.max_row - 1, area.max_col - 1)
        for area in sheet.merged_cells.ranges
    ]
    return pd.DataFrame(cells, dtype=object), merged


def _excel_cell_text(value: object, number_format: str) -> str:
    """A cell as the text the user reads in Excel: dates as ISO dates, a percent cell as
    its percentage (0.428 shown as 42,8 % gives "42.8"), numbers without float noise."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number_text(value * 100 if _is_percent(number_format) else value)
    return str(value).strip()


def _is_percent(number_format: str) -> bool:
    """Whether Excel shows the value times 100: a "%" outside the format's literal text."""
    return "%" in _FORMAT_LITERALS.sub("", number_format)


def _number_text(number: float) -> str:
    """Plain notation to 10 significant digits, so 42.800000000000004 (0.428 * 100) is
    "42.8", and whole numbers without a decimal point ("12")."""
    if float(number).is_integer():
        return str(int(number))
    return np.format_float_positional(number, precision=10, fractional=False, trim="-")
