"""Reading the files users really have into a table of strings with canonical column names.

CSV (`,`, `;` or tab; UTF-8 or Windows-1252) and Excel (`.xlsx`). Title rows above the
header and footnotes below the table are recognised; every remaining row keeps the row
number the user sees in Excel or a text editor, so errors can point at it. Nothing is
converted here: values stay text until the schema parses them.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from omglib.errors import DataError, Problem
from omglib.names import fold
from omglib.registry import aliases

HEADER_SEARCH_ROWS = 30
_DELIMITERS = (";", ",", "\t")


@dataclass
class SourceTable:
    """A file's table: text cells under canonical column names, and where each came from.

    `lines` holds, for each row of `frame`, its row number in Excel or line number in a
    text editor; `headers` maps canonical names to the user's own column titles."""

    path: Path
    sha256: str
    frame: pd.DataFrame
    lines: np.ndarray
    headers: dict[str, str]
    title: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    def problem(
        self, position: int | None, column: str | None, value: object, message: str
    ) -> Problem:
        """A Problem at the frame's row `position` (None: the whole file or column)."""
        row = int(self.lines[position]) if position is not None else None
        shown_column = self.headers.get(column, column) if column else None
        shown_value = None if value is None else str(value)
        return Problem(self.name, row, shown_column, shown_value, message)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, for provenance and caching."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_source(path: str | Path) -> SourceTable:
    """Read a CSV or Excel file into a SourceTable."""
    path = Path(path)
    if not path.is_file():
        raise DataError([Problem(str(path), None, None, None, "filen findes ikke")])
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        rows, title = _excel_rows(path)
    elif suffix in {".csv", ".txt", ".tsv"}:
        rows, title = _csv_rows(path)
    else:
        message = f"ukendt filtype '{suffix}' – forventede .csv eller .xlsx"
        raise DataError([Problem(path.name, None, None, None, message)])
    return _table_from_rows(path, rows, title)


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _csv_rows(path: Path) -> tuple[pd.DataFrame, list[str]]:
    lines = _decode(path).splitlines()
    header_index = _find_header((_split_line(line) for line in lines[:HEADER_SEARCH_ROWS]), path)
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
    return table.fillna(""), [text for text in title if text]


def _delimiter(line: str) -> str:
    return max(_DELIMITERS, key=line.count)


def _split_line(line: str) -> list[str]:
    return next(csv.reader([line], delimiter=_delimiter(line)), [])


def _excel_rows(path: Path) -> tuple[pd.DataFrame, list[str]]:
    try:
        table = pd.read_excel(path, header=None, dtype=object, engine="openpyxl")
    except Exception as error:
        message = f"filen kan ikke læses som Excel-fil ({error})"
        raise DataError([Problem(path.name, None, None, None, message)]) from error
    table = table.map(_excel_cell_text)
    header_index = _find_header(
        (list(table.iloc[i]) for i in range(min(len(table), HEADER_SEARCH_ROWS))), path
    )
    title = [" ".join(filter(None, table.iloc[i])) for i in range(header_index)]
    return table.iloc[header_index:], [text for text in title if text]


def _excel_cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


@cache
def _column_aliases() -> dict[str, str]:
    return {
        fold(variant): canonical
        for canonical, variants in aliases()["columns"].items()
        for variant in [canonical, *variants]
    }


def _find_header(rows: Iterable[list[str]], path: Path) -> int:
    """The first row with at least two known column titles."""
    for index, cells in enumerate(rows):
        if sum(fold(cell) in _column_aliases() for cell in cells) >= 2:
            return index
    message = (
        f"fandt ingen overskriftsrække i de første {HEADER_SEARCH_ROWS} rækker – forventede "
        "kolonner som År, Kommune, Område, Stadfæstelse, Hjemvisning, Ændring/ophævelse"
    )
    raise DataError([Problem(path.name, None, None, None, message)])


def _table_from_rows(path: Path, rows: pd.DataFrame, title: list[str]) -> SourceTable:
    """`rows` is indexed by 0-based line (CSV) or sheet row (Excel), header row first."""
    header_row = int(rows.index[0]) + 1
    header = [str(cell).strip() for cell in rows.iloc[0]]
    body = rows.iloc[1:]
    problems: list[Problem] = []
    keep: list[int] = []
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for position, column_title in enumerate(header):
        canonical = _column_aliases().get(fold(column_title))
        if canonical is None:
            if column_title or (body.iloc[:, position] != "").any():
                ignored.append(column_title or f"(kolonne {position + 1} uden overskrift)")
        elif canonical in headers:
            message = f"betyder det samme som kolonnen '{headers[canonical]}'"
            problems.append(Problem(path.name, header_row, column_title, None, message))
        else:
            headers[canonical] = column_title
            keep.append(position)
    if problems:
        raise DataError(problems)
    frame = body.iloc[:, keep].apply(lambda column: column.astype(str).str.strip())
    frame.columns = pd.Index(list(headers))
    filled = (frame != "").sum(axis=1).to_numpy()
    data_positions = np.flatnonzero(filled >= 2)
    last_data = int(data_positions[-1]) if len(data_positions) else -1
    notes = [_first_text(frame.iloc[p]) for p in range(last_data + 1, len(frame)) if filled[p]]
    data_rows = (filled >= 1) & (np.arange(len(frame)) <= last_data)
    return SourceTable(
        path=path,
        sha256=file_sha256(path),
        frame=frame.loc[data_rows].reset_index(drop=True),
        lines=body.index.to_numpy()[data_rows] + 1,
        headers=headers,
        title=title,
        ignored_columns=ignored,
        notes=notes,
    )


def _first_text(row: pd.Series) -> str:
    return str(next(cell for cell in row if cell))
