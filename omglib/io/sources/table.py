"""What reading a file gives: a `SourceTable`, and how a long table's rows become one.

A long table has one header row and one row per key. Its known column titles are
renamed to canonical names, the others kept aside as ignored; the table ends at the last
row with two filled cells, and filled rows below it are notes ("Kilde: ..."). The title
lines above the header and the notes below are where a file states its extract date
(`vintage`). Cells are stripped text, nothing is converted: values stay text until the
schema parses them. The wide layout (`wide`) is unpivoted into the same kind of table
with the helpers here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from omglib.errors import DataError, Problem
from omglib.io.sources.headers import column_aliases, texts
from omglib.io.sources.vintage import TextLine, Vintage, read_vintage
from omglib.names import fold
from omglib.output import file_sha256


@dataclass
class SourceTable:
    """A file's table: text cells under canonical column names, and where each came from.

    `lines` holds, for each row of `frame`, its row number in Excel or line number in a
    text editor; `headers` maps canonical names to the user's own column titles. A wide
    table's values come from cells with titles of their own, so `cell_headers` holds, per
    canonical column, the title of the cell each value came from ("Hjemviste sager
    2023"), aligned with `frame`'s rows ("" where the row has no such cell). `vintage`
    is the extract date the title lines or notes state (`vintage.read_vintage`)."""

    path: Path
    sha256: str
    frame: pd.DataFrame
    lines: np.ndarray
    headers: dict[str, str]
    title: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cell_headers: dict[str, np.ndarray] = field(default_factory=dict)
    vintage: Vintage = field(default_factory=Vintage)

    @property
    def name(self) -> str:
        return self.path.name

    def problem(
        self, position: int | None, column: str | None, value: object, message: str
    ) -> Problem:
        """A Problem at the frame's row `position` (None: the whole file or column)."""
        row = int(self.lines[position]) if position is not None else None
        shown_value = None if value is None else str(value)
        return Problem(self.name, row, self._shown_column(position, column), shown_value, message)

    def _shown_column(self, position: int | None, column: str | None) -> str | None:
        """The user's title for `column`: its cell's own title on a wide table's row, else
        the column's title."""
        if column is None:
            return None
        titles = self.cell_headers.get(column)
        if titles is not None and position is not None and titles[position]:
            return str(titles[position])
        return self.headers.get(column, column)


def long_table(path: Path, rows: pd.DataFrame, title: list[TextLine]) -> SourceTable:
    """`rows` is indexed by 0-based line (CSV) or sheet row (Excel), header row first."""
    header_row = int(rows.index[0]) + 1
    header = texts(rows.iloc[0])
    body = rows.iloc[1:]
    problems: list[Problem] = []
    keep: list[int] = []
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for position, column_title in enumerate(header):
        canonical = column_aliases().get(fold(column_title))
        if canonical is None:
            if column_title or has_values(body.iloc[:, position]):
                ignored.append(column_title or f"(kolonne {position + 1} uden overskrift)")
        elif canonical in headers:
            message = f"betyder det samme som kolonnen '{headers[canonical]}'"
            problems.append(Problem(path.name, header_row, column_title, None, message))
        else:
            headers[canonical] = column_title
            keep.append(position)
    if problems:
        raise DataError(problems)
    frame = stripped(body.iloc[:, keep])
    frame.columns = pd.Index(list(headers))
    data_rows, notes = split_notes(frame)
    return SourceTable(
        path=path,
        sha256=file_sha256(path),
        frame=frame.loc[data_rows].reset_index(drop=True),
        lines=body.index.to_numpy()[data_rows] + 1,
        headers=headers,
        title=line_texts(title),
        ignored_columns=ignored,
        notes=line_texts(notes),
        vintage=read_vintage(path.name, [*title, *notes]),
    )


def stripped(cells: pd.DataFrame) -> pd.DataFrame:
    """Every cell as stripped text."""
    result: pd.DataFrame = cells.apply(lambda column: column.astype(str).str.strip())
    return result


def has_values(column: pd.Series) -> bool:
    """Whether a column has a cell that is not blank."""
    return bool((column.astype(str).str.strip() != "").any())


def split_notes(cells: pd.DataFrame) -> tuple[np.ndarray, list[TextLine]]:
    """Which rows are table rows, and the notes below the table ("Kilde: ..."), each with
    its 1-based line (`cells` is indexed by 0-based line): the table ends at the last row
    with two filled cells, filled rows after it are notes, and blank rows are neither."""
    filled = (cells != "").sum(axis=1).to_numpy()
    data_positions = np.flatnonzero(filled >= 2)
    last_data = int(data_positions[-1]) if len(data_positions) else -1
    notes = [
        TextLine(int(cells.index[p]) + 1, _first_text(cells.iloc[p]))
        for p in range(last_data + 1, len(cells))
        if filled[p]
    ]
    return (filled >= 1) & (np.arange(len(cells)) <= last_data), notes


def line_texts(lines: list[TextLine]) -> list[str]:
    """The texts of lines outside the table, without their line numbers."""
    return [line.text for line in lines]


def _first_text(row: pd.Series) -> str:
    return str(next(cell for cell in row if cell))
