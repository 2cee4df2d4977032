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

`read_source` is the entry point. Its steps are one module each: `files` opens a CSV or
Excel file as rows of text, `headers` finds the header row and tells a wide header from
a long one, `table` holds `SourceTable` and reads a long table, `wide` unpivots a wide
one, and `vintage` reads the extract date the file states in a line outside its table.
"""

from __future__ import annotations

from pathlib import Path

from omglib.errors import DataError, Problem
from omglib.io.sources.files import CellRange, csv_rows, excel_rows
from omglib.io.sources.headers import HEADER_SEARCH_ROWS, orientation
from omglib.io.sources.table import SourceTable, long_table
from omglib.io.sources.wide import wide_table


def read_source(path: str | Path) -> SourceTable:
    """Read a CSV or Excel file, long or wide, into a SourceTable."""
    path = Path(path)
    if not path.is_file():
        raise DataError([Problem(str(path), None, None, None, "filen findes ikke")])
    suffix = path.suffix.lower()
    merged: list[CellRange] | None = None
    if suffix in {".xlsx", ".xlsm"}:
        rows, title, merged = excel_rows(path)
    elif suffix in {".csv", ".txt", ".tsv"}:
        rows, title = csv_rows(path)
    else:
        message = f"ukendt filtype '{suffix}' – forventede .csv eller .xlsx"
        raise DataError([Problem(path.name, None, None, None, message)])
    transposed = orientation(rows)
    if transposed is None:
        return long_table(path, rows, title)
    return wide_table(path, rows, title, merged, transposed)


__all__ = ["HEADER_SEARCH_ROWS", "CellRange", "SourceTable", "read_source"]
