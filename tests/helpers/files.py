"""Input files in long form as users export them (title line, header, rows, footnote),
built inside a test with `tmp_path`, and the one DataError a reader raises on them."""

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest

import omglib
from omglib import DataError, demodata

TITLE = "Omgørelser i Ankestyrelsen pr. kommune"

Row = Sequence[object]
Reader = Callable[[Path], Any]


def write_csv(
    tmp_path: Path,
    header: Row,
    rows: Sequence[Row],
    *,
    name: str = "data.csv",
    sep: str = ";",
    encoding: str = "utf-8",
    title: str | None = TITLE,
    footer: str | None = None,
) -> Path:
    """A delimited text file as a kommune exports it: optional title line, header, rows,
    optional footnote line. Cells containing the delimiter are quoted."""
    buffer = io.StringIO()
    if title is not None:
        buffer.write(title + "\n")
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[str(cell) for cell in row] for row in rows])
    if footer is not None:
        buffer.write(footer + "\n")
    path = tmp_path / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(
    tmp_path: Path,
    header: Row,
    rows: Sequence[Row],
    *,
    name: str = "data.xlsx",
    title: str | None = TITLE,
    footer: str | None = None,
) -> Path:
    """An Excel sheet: title row (merged over the table) and a blank row above the
    header, the rows, a blank row and a footnote below."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title is not None:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet.append([])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    if footer is not None:
        sheet.append([])
        sheet.append([footer])
    path = tmp_path / name
    workbook.save(path)
    return path


def data_error(reader: Reader, path: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        reader(path)
    return caught.value


def only_problem(error: DataError) -> omglib.Problem:
    assert len(error.problems) == 1, str(error)
    return error.problems[0]


def case_file_with_cpr(tmp_path: Path, cpr: str, name: str = "sager.csv") -> tuple[Path, int]:
    """The demo case file with the CPR number `cpr` in one of Norddjurs' 2024 learning
    points, and the row it is on (as a text editor counts)."""
    lines = demodata.packaged_file("sager").read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if ";707;2024-" in line and line.endswith("."))
    lines[row] = lines[row][:-1] + f" (ring til mor, CPR {cpr})."
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, row + 1
