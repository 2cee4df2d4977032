"""Reading the files users really have into a table of strings with canonical column names.

CSV (`,`, `;` or tab; UTF-8 or Windows-1252) and Excel (`.xlsx`). Title rows above the
header and footnotes below the table are recognised; every remaining row keeps the row
number the user sees in Excel or a text editor, so errors can point at it. Nothing is
converted here: values stay text until the schema parses them.

Two layouts are read. A long table has one header row and one row per key. The wide
table of Ankestyrelsen's statistics portal has two header rows, measures ("Hjemviste
sager") over periods ("2023", "2023K1") or periods over measures, and one row per
Sagsemne and Instans; it is unpivoted here into the same long table, one row per body
row and period, so nothing downstream needs to know which layout a file had.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import openpyxl  # type: ignore[import-untyped]
import pandas as pd

from omglib.errors import DataError, Problem
from omglib.names import fold
from omglib.registry import aliases

HEADER_SEARCH_ROWS = 30
_DELIMITERS = (";", ",", "\t")

#: Canonical columns that say which row it is rather than count or rate something; in a
#: wide table they stand beside the periods, and every other known column is a measure.
_LABEL_COLUMNS = frozenset(
    {"aar", "kvartal", "kommunekode", "kommune", "omraade", "paragraf", "lov"}
)
_PERIOD_EXPECTED = "forventede et år som 2023 eller et kvartal som 2023K1"
_YEAR = re.compile(r"\d{4}")
_QUARTERS = (
    re.compile(r"(?P<year>\d{4})\s*[-/]?\s*K\s*(?P<quarter>[1-4])", re.IGNORECASE),
    re.compile(r"K\s*(?P<quarter>[1-4])\s*[-/]?\s*(?P<year>\d{4})", re.IGNORECASE),
)
#: Quoted text and backslash-escaped characters in an Excel number format: literal text,
#: so a "%" there is shown as is and does not scale the value.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.')

#: A merged range of an Excel sheet: first row, first column, last row, last column,
#: all 0-based and inclusive.
CellRange = tuple[int, int, int, int]


@dataclass
class SourceTable:
    """A file's table: text cells under canonical column names, and where each came from.

    `lines` holds, for each row of `frame`, its row number in Excel or line number in a
    text editor; `headers` maps canonical names to the user's own column titles. A wide
    table's values come from cells with titles of their own, so `cell_headers` holds, per
    canonical column, the title of the cell each value came from ("Hjemviste sager
    2023"), aligned with `frame`'s rows ("" where the row has no such cell)."""

    path: Path
    sha256: str
    frame: pd.DataFrame
    lines: np.ndarray
    headers: dict[str, str]
    title: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cell_headers: dict[str, np.ndarray] = field(default_factory=dict)

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


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, for provenance and caching."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_source(path: str | Path) -> SourceTable:
    """Read a CSV or Excel file, long or wide, into a SourceTable."""
    path = Path(path)
    if not path.is_file():
        raise DataError([Problem(str(path), None, None, None, "filen findes ikke")])
    suffix = path.suffix.lower()
    merged: list[CellRange] | None = None
    if suffix in {".xlsx", ".xlsm"}:
        rows, title, merged = _excel_rows(path)
    elif suffix in {".csv", ".txt", ".tsv"}:
        rows, title = _csv_rows(path)
    else:
        message = f"ukendt filtype '{suffix}' – forventede .csv eller .xlsx"
        raise DataError([Problem(path.name, None, None, None, message)])
    transposed = _orientation(rows)
    if transposed is None:
        return _table_from_rows(path, rows, title)
    return _wide_table(path, rows, title, merged, transposed)


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _csv_rows(path: Path) -> tuple[pd.DataFrame, list[str]]:
    lines = _decode(path).splitlines()
    header_index = _header_start(
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
    return table.fillna(""), [text for text in title if text]


def _delimiter(line: str) -> str:
    return max(_DELIMITERS, key=line.count)


def _split_line(line: str) -> list[str]:
    return next(csv.reader([line], delimiter=_delimiter(line)), [])


def _excel_rows(path: Path) -> tuple[pd.DataFrame, list[str], list[CellRange]]:
    grid, merged = _excel_grid(path)
    first_rows = [list(grid.iloc[i]) for i in range(min(len(grid), HEADER_SEARCH_ROWS + 1))]
    header_index = _header_start(first_rows, path)
    title = [" ".join(filter(None, grid.iloc[i])) for i in range(header_index)]
    return grid.iloc[header_index:], [text for text in title if text], merged


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


def _header_start(rows: list[list[str]], path: Path) -> int:
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
    upper, lower = ([*_texts(row), *[""] * (width - len(row))] for row in rows[index : index + 2])
    return _transposed(upper, lower) is not None


def _orientation(rows: pd.DataFrame) -> bool | None:
    """Whether `rows` start with a wide header with periods above the measures (True),
    with measures above the periods (False), or are a long table (None)."""
    if len(rows) < 2:
        return None
    return _transposed(_texts(rows.iloc[0]), _texts(rows.iloc[1]))


def _transposed(upper: list[str], lower: list[str]) -> bool | None:
    """Two header rows as `_orientation` reads them. Wide needs a label title (Sagsemne,
    Instans) with nothing but blanks, or the same title merged, under or over it, which a
    long table's first data row never has; and a known measure right above a period or
    written once over several filled cells (even if none is a period, so that periods
    omglib cannot read are reported as such), or right below a period."""
    pairs = list(zip(upper, lower, strict=True))
    labelled = any(_label(top, bottom) for top, bottom in pairs)
    if not labelled or not all(_label_fits(top, bottom) for top, bottom in pairs):
        return None
    spans = {
        position
        for position in range(len(pairs) - 1)
        if not upper[position + 1] and lower[position] and lower[position + 1]
    }
    if any(
        _is_measure(top) and (_period(bottom) or position in spans)
        for position, (top, bottom) in enumerate(pairs)
    ):
        return False
    if any(_period(top) and _is_measure(bottom) for top, bottom in pairs):
        return True
    return None


def _label_fits(top: str, bottom: str) -> bool:
    return all(
        _column_aliases().get(fold(title)) not in _LABEL_COLUMNS or other in ("", title)
        for title, other in ((top, bottom), (bottom, top))
    )


def _label(top: str, bottom: str) -> str | None:
    """The label column (Sagsemne, Instans, ...) a wide header column names, written in
    either header row with the other blank, or merged over both."""
    canonical = _column_aliases().get(fold(top or bottom))
    if canonical in _LABEL_COLUMNS and (not top or not bottom or top == bottom):
        return canonical
    return None


def _is_measure(title: str) -> bool:
    canonical = _column_aliases().get(fold(title))
    return canonical is not None and canonical not in _LABEL_COLUMNS


def _period(text: str) -> tuple[str, str] | None:
    """(year, quarter) for "2023" (quarter "") and "2023K1", "2023 K1", "2023-K1",
    "K1 2023" (quarter "1"); None for anything else."""
    if _YEAR.fullmatch(text):
        return text, ""
    for pattern in _QUARTERS:
        if match := pattern.fullmatch(text):
            return match["year"], match["quarter"]
    return None


def _texts(row: Iterable[object]) -> list[str]:
    return [str(cell).strip() for cell in row]


def _table_from_rows(path: Path, rows: pd.DataFrame, title: list[str]) -> SourceTable:
    """`rows` is indexed by 0-based line (CSV) or sheet row (Excel), header row first."""
    header_row = int(rows.index[0]) + 1
    header = _texts(rows.iloc[0])
    body = rows.iloc[1:]
    problems: list[Problem] = []
    keep: list[int] = []
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for position, column_title in enumerate(header):
        canonical = _column_aliases().get(fold(column_title))
        if canonical is None:
            if column_title or _has_values(body.iloc[:, position]):
                ignored.append(column_title or f"(kolonne {position + 1} uden overskrift)")
        elif canonical in headers:
            message = f"betyder det samme som kolonnen '{headers[canonical]}'"
            problems.append(Problem(path.name, header_row, column_title, None, message))
        else:
            headers[canonical] = column_title
            keep.append(position)
    if problems:
        raise DataError(problems)
    frame = _stripped(body.iloc[:, keep])
    frame.columns = pd.Index(list(headers))
    data_rows, notes = _split_notes(frame)
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


def _stripped(cells: pd.DataFrame) -> pd.DataFrame:
    stripped: pd.DataFrame = cells.apply(lambda column: column.astype(str).str.strip())
    return stripped


def _has_values(column: pd.Series) -> bool:
    return bool((column.astype(str).str.strip() != "").any())


def _split_notes(cells: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Which rows are table rows, and the notes below the table ("Kilde: ..."): the table
    ends at the last row with two filled cells, filled rows after it are notes, and
    blank rows are neither."""
    filled = (cells != "").sum(axis=1).to_numpy()
    data_positions = np.flatnonzero(filled >= 2)
    last_data = int(data_positions[-1]) if len(data_positions) else -1
    notes = [_first_text(cells.iloc[p]) for p in range(last_data + 1, len(cells)) if filled[p]]
    return (filled >= 1) & (np.arange(len(cells)) <= last_data), notes


def _first_text(row: pd.Series) -> str:
    return str(next(cell for cell in row if cell))


# --- wide tables --------------------------------------------------------------------------


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
        canonical = _column_aliases().get(fold(measure)) if measure else None
        parsed = _period(period)
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
    upper, lower = _texts(rows.iloc[0]), _texts(rows.iloc[1])
    header = _WideHeader(
        path.name, int(rows.index[0]) + 1, int(rows.index[0 if transposed else 1]) + 1
    )
    outer = ""
    for position, (top, bottom) in enumerate(zip(upper, lower, strict=True)):
        label = _label(top, bottom)
        if label is not None:
            header.add_label(label, top or bottom, position)
            outer = ""
            continue
        outer = top or outer
        measure, period = (bottom, outer) if transposed else (outer, bottom)
        written = bool(bottom if transposed else top) or _has_values(rows.iloc[2:, position])
        header.add_value(position, measure, period, written)
    header.check_periods()
    if header.problems:
        raise DataError(header.problems)
    header.headers["aar"] = "År"
    if any(measure.quarter for measure in header.measures):
        header.headers["kvartal"] = "Kvartal"
    return header


def _wide_table(
    path: Path,
    rows: pd.DataFrame,
    title: list[str],
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
    cells = _stripped(body[[*header.labels.values(), *(m.position for m in header.measures)]])
    data_rows, notes = _split_notes(cells)
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
        title=title,
        ignored_columns=header.ignored,
        notes=notes,
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
