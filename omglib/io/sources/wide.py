"""Ankestyrelsen's wide table, unpivoted into the long table everything else reads.

The statistics portal's table has two header rows, measures ("Hjemviste sager") over
periods ("2023", "2023K1") or periods over measures, and one row per Sagsemne and
Instans. Each body row becomes one long row per period, with the body row's number and,
per value, the title of the cell it came from ("Hjemviste sager 2023"), so errors point
at the cell the user sees. A title written once over several columns (a merged cell, or
blanks after it in a text file) holds for them, and so does a Sagsemne merged (Excel)
or written once (CSV) over its Instans rows.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from omglib.errors import DataError, Problem
from omglib.io.sources.files import CellRange
from omglib.io.sources.headers import column_aliases, label_column, parse_period, texts
from omglib.io.sources.table import (
    SourceTable,
    has_values,
    line_texts,
    split_notes,
    stripped,
)
from omglib.io.sources.vintage import TextLine, read_vintage
from omglib.names import fold
from omglib.output import file_sha256

_PERIOD_EXPECTED = "forventede et år som 2023 eller et kvartal som 2023K1"


@dataclass(frozen=True)
class _Measure:
    """One value column of a wide table: a measure in one period, as the user wrote both."""

    position: int
    canonical: str
    title: str
    period: str
    year: str
    quarter: str

    @property
    def cell_title(self) -> str:
        return f"{self.title} {self.period}"


@dataclass
class _WideHeader:
    """What a wide table's two header rows say: the label columns (canonical name →
    position), one value column per measure and period, the user's titles and the
    columns omglib does not use; with the problems found, placed at `file`'s header row
    and period row (1-based)."""

    file: str
    header_line: int
    period_line: int
    labels: dict[str, int] = field(default_factory=dict)
    measures: list[_Measure] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add_label(self, canonical: str, title: str, position: int) -> None:
        if canonical in self.labels:
            message = f"betyder det samme som kolonnen '{self.headers[canonical]}'"
            self.problems.append(Problem(self.file, self.header_line, title, None, message))
        else:
            self.labels[canonical] = position
            self.headers[canonical] = title

    def add_value(self, position: int, measure: str, period: str, written: bool) -> None:
        """A column under `measure` and `period`. `written`: the column has a title cell
        of its own or values, so it is not just a blank under a title merged over it."""
        canonical = column_aliases().get(fold(measure)) if measure else None
        parsed = parse_period(period)
        if canonical is None:
            self._ignore(measure or period or f"(kolonne {position + 1} uden overskrift)", written)
        elif parsed is not None:
            self.measures.append(_Measure(position, canonical, measure, period, *parsed))
            self.headers.setdefault(canonical, measure)
        elif period:
            message = f"er hverken et år eller et kvartal – {_PERIOD_EXPECTED}"
            self.problems.append(Problem(self.file, self.period_line, measure, period, message))
        elif written:
            message = f"står uden år eller kvartal – {_PERIOD_EXPECTED}"
            self.problems.append(Problem(self.file, self.period_line, measure, None, message))

    def _ignore(self, title: str, written: bool) -> None:
        if written and title not in self.ignored:
            self.ignored.append(title)

    def check_periods(self) -> None:
        """Two columns for the same measure and period, or years mixed with quarters."""
        first: dict[tuple[str, str, str], _Measure] = {}
        for measure in self.measures:
            key = (measure.canonical, measure.year, measure.quarter)
            if key in first:
                message = f"betyder det samme som kolonnen '{first[key].cell_title}'"
                problem = Problem(self.file, self.period_line, measure.cell_title, None, message)
                self.problems.append(problem)
            first.setdefault(key, measure)
        if len({bool(measure.quarter) for measure in self.measures}) > 1:
            message = (
                "tabellen blander år og kvartaler – "
                "forventede enten år som 2023 eller kvartaler som 2023K1"
            )
            self.problems.append(Problem(self.file, self.period_line, None, None, message))


def _wide_header(path: Path, rows: pd.DataFrame, transposed: bool) -> _WideHeader:
    """The two header rows read column by column. A title written once over the columns
    to its right (a merged cell, or blanks after it in a text file) holds for them until
    the next title or label column. Every problem in the header is reported at once."""
    upper, lower = texts(rows.iloc[0]), texts(rows.iloc[1])
    header = _WideHeader(
        path.name, int(rows.index[0]) + 1, int(rows.index[0 if transposed else 1]) + 1
    )
    outer = ""
    for position, (top, bottom) in enumerate(zip(upper, lower, strict=True)):
        label = label_column(top, bottom)
        if label is not None:
            header.add_label(label, top or bottom, position)
            outer = ""
            continue
        outer = top or outer
        measure, period = (bottom, outer) if transposed else (outer, bottom)
        written = bool(bottom if transposed else top) or has_values(rows.iloc[2:, position])
        header.add_value(position, measure, period, written)
    header.check_periods()
    if header.problems:
        raise DataError(header.problems)
    header.headers["aar"] = "År"
    if any(measure.quarter for measure in header.measures):
        header.headers["kvartal"] = "Kvartal"
    return header


def wide_table(
    path: Path,
    rows: pd.DataFrame,
    title: list[TextLine],
    merged: list[CellRange] | None,
    transposed: bool,
) -> SourceTable:
    """A wide table unpivoted: one long row per body row and period, each with its body
    row's number. `merged` is None for a text file, which cannot merge cells."""
    if merged is not None:
        rows = pd.concat([_fill_merged(rows.iloc[:2], merged), rows.iloc[2:]])
    header = _wide_header(path, rows, transposed)
    body = rows.iloc[2:]
    if merged is not None:
        body = _fill_merged(body, merged, header.labels.values())
    cells = stripped(body[[*header.labels.values(), *(m.position for m in header.measures)]])
    data_rows, notes = split_notes(cells)
    if merged is None and "paragraf" in header.labels:
        column = header.labels["paragraf"]
        cells[column] = _fill_down(cells[column], data_rows)
    frame, cell_headers = _unpivot(cells.loc[data_rows], header)
    lines = frame.index.to_numpy() + 1
    return SourceTable(
        path=path,
        sha256=file_sha256(path),
        frame=frame.reset_index(drop=True),
        lines=lines,
        headers=header.headers,
        title=line_texts(title),
        ignored_columns=header.ignored,
        notes=line_texts(notes),
        vintage=read_vintage(path.name, [*title, *notes]),
        cell_headers=cell_headers,
    )


def _fill_merged(
    rows: pd.DataFrame, merged: list[CellRange], columns: Collection[int] | None = None
) -> pd.DataFrame:
    """`rows` with each merged range that starts among them filled with its top-left value:
    in every cell of the range (within `rows`), or, given `columns`, only in ranges down
    one of those columns (a Sagsemne over its Instans rows; a note merged across the
    table stays one cell). A range starting above `rows`, such as a title merged over
    the table, is left alone."""
    filled = rows.copy()
    if rows.empty:
        return filled
    first, last = int(rows.index[0]), int(rows.index[-1])
    for top, left, bottom, right in merged:
        wanted = columns is None or (left == right and left in columns)
        if wanted and first <= top <= last:
            value = str(rows.at[top, left])
            filled.iloc[top - first : min(bottom, last) - first + 1, left : right + 1] = value
    return filled


def _fill_down(column: pd.Series, data_rows: np.ndarray) -> pd.Series:
    """A text file's blank Sagsemne cells on table rows taken from the table row above.
    A text file cannot merge cells: the portal's export saved as CSV writes a Sagsemne
    merged over its Instans rows once, with blanks below it, so in a wide text table a
    blank Sagsemne means the same as above. One before the first Sagsemne stays blank
    (and the schema reports it)."""
    filled = column.copy()
    table = column[data_rows]
    filled[data_rows] = table.where(table != "").ffill().fillna("")
    return filled


def _unpivot(
    cells: pd.DataFrame, header: _WideHeader
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """One row per body row and period, a body row's periods together in the header's
    order, indexed by the body row's 0-based line; and per column the title of the cell
    each value came from."""
    periods = list(dict.fromkeys((m.year, m.quarter) for m in header.measures))
    names = list(dict.fromkeys(m.canonical for m in header.measures))
    blocks = [_period_block(cells, header, period, names) for period in periods]
    frame = pd.concat([values for values, _ in blocks]).sort_index(kind="stable")
    titles = pd.concat([titles for _, titles in blocks]).sort_index(kind="stable")
    return frame, {name: titles[name].to_numpy(dtype=object) for name in titles.columns}


def _period_block(
    cells: pd.DataFrame, header: _WideHeader, period: tuple[str, str], names: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The long rows of one period (labels, year, quarter, a column per measure, blank
    where the period lacks it) and the titles of the cells their values came from."""
    here = {m.canonical: m for m in header.measures if (m.year, m.quarter) == period}
    written = next(iter(here.values())).period
    values = pd.DataFrame({name: cells[p] for name, p in header.labels.items()}, index=cells.index)
    titles = pd.DataFrame(index=cells.index)
    values["aar"], titles["aar"] = period[0], written
    if "kvartal" in header.headers:
        values["kvartal"], titles["kvartal"] = period[1], written
    for name in names:
        values[name] = cells[here[name].position] if name in here else ""
        titles[name] = here[name].cell_title if name in here else ""
    return values, titles
