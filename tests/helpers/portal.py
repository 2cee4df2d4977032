"""The wide table of Ankestyrelsen's statistics portal as its Excel export writes it: two
header rows (measures over periods), one row per Sagsemne and Instans, real merged cells
and percent-formatted cells."""

import itertools
from collections.abc import Sequence
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from tests.helpers.files import Row

TITLE = "Klager over kommunernes afgørelser på social- og beskæftigelsesområdet"
FOOTER = "Kilde: Ankestyrelsen (ANKEAST3, udtrukket 1. marts 2024)"
MEASURES = ["Stadfæstede sager", "Hjemviste sager", "Ændrede/ophævede sager", "Omgørelsesprocent"]
YEARS = ["2022", "2023"]

# One row per Sagsemne and Instans; values measure by measure, each over 2022 and 2023.
# Percentages as the fractions an Excel cell holds; "." is the portal's "no cases".
BODY: list[list[object]] = [
    ["SEL § 41", "Norddjurs", 3, 5, 1, 2, 0, 1, 0.25, 0.375],
    ["SEL § 41", "Aarhus", ".", 4, ".", 0, ".", 1, ".", 0.2],
    ["SEL § 41", "I alt", 3, 9, 1, 2, 0, 2, 0.25, 4 / 13],
    ["SEL § 42", "Region Midtjylland", 1, 0, 0, ".", 0, ".", 0, "."],
]


def portal_xlsx(
    tmp_path: Path,
    body: Sequence[Row] = BODY,
    *,
    measures: Sequence[str] = MEASURES,
    periods: Sequence[object] = YEARS,
    name: str = "ANKEAST3.xlsx",
) -> Path:
    """The portal's Excel export: title merged over the table, a blank row, Sagsemne and
    Instans merged over both header rows, each measure merged over its periods, each
    Sagsemne written once and merged over its rows, percentages as percent cells, a blank
    row and the source merged across the table."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    width = 2 + len(measures) * len(periods)
    sheet.append([TITLE])
    sheet.append([])
    sheet.append(
        [
            "Sagsemne",
            "Instans",
            *[m if i == 0 else None for m in measures for i in range(len(periods))],
        ]
    )
    sheet.append([None, None, *(list(periods) * len(measures))])
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("B3:B4")
    for index in range(len(measures)):
        first = 3 + index * len(periods)
        sheet.merge_cells(
            start_row=3, start_column=first, end_row=3, end_column=first + len(periods) - 1
        )
    for row in body:
        sheet.append(list(row))
    _merge_runs(sheet, first_row=5, last_row=4 + len(body))
    _percent_format(sheet, measures, len(periods))
    sheet.append([])
    sheet.append([FOOTER])
    last = sheet.max_row
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.merge_cells(start_row=last, start_column=1, end_row=last, end_column=width)
    path = tmp_path / name
    workbook.save(path)
    return path


def _merge_runs(sheet: Worksheet, first_row: int, last_row: int) -> None:
    """Each run of equal Sagsemne cells (column A) merged down from its first row."""
    rows = range(first_row, last_row + 1)
    for _, run in itertools.groupby(rows, key=lambda row: sheet.cell(row, 1).value):
        run_rows = list(run)
        if len(run_rows) > 1:
            sheet.merge_cells(
                start_row=run_rows[0], start_column=1, end_row=run_rows[-1], end_column=1
            )


def _percent_format(sheet: Worksheet, measures: Sequence[str], periods: int) -> None:
    for index, measure in enumerate(measures):
        if "procent" not in measure:
            continue
        for column in range(3 + index * periods, 3 + (index + 1) * periods):
            for row in range(5, sheet.max_row + 1):
                sheet.cell(row, column).number_format = "0.0%"
