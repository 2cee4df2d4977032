"""Tests for reading the wide table of Ankestyrelsen's statistics portal: two header rows
(measures over periods, or periods over measures), one row per Sagsemne and Instans, read
into the same long SourceTable as a long file, one row per body row and period.

Every file is built inside the test. The Excel files have real merged cells (the title,
each measure over its periods, Sagsemne and Instans over both header rows, a Sagsemne
over its Instans rows, the footnote) and percent-formatted cells, as the portal's export.
"""

from collections.abc import Sequence
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pandas as pd
import pytest

import omglib
from omglib import DataError, Problem
from omglib.io.sources import SourceTable, read_source
from tests.helpers.files import Row
from tests.helpers.portal import BODY, FOOTER, MEASURES, TITLE, YEARS, portal_xlsx

EXPECTED = "forventede et år som 2023 eller et kvartal som 2023K1"

COLUMNS = [
    "paragraf",
    "kommune",
    "aar",
    "stadfaestet",
    "hjemvist",
    "aendret_ophaevet",
    "procent_omgjort",
]
# The long rows of BODY from Excel, and the rows they stand on (title row 1, blank row
# 2, header rows 3-4, body rows 5-8).
XLSX_ROWS = [
    ["SEL § 41", "Norddjurs", "2022", "3", "1", "0", "25"],
    ["SEL § 41", "Norddjurs", "2023", "5", "2", "1", "37.5"],
    ["SEL § 41", "Aarhus", "2022", ".", ".", ".", "."],
    ["SEL § 41", "Aarhus", "2023", "4", "0", "1", "20"],
    ["SEL § 41", "I alt", "2022", "3", "1", "0", "25"],
    ["SEL § 41", "I alt", "2023", "9", "2", "2", "30.76923077"],
    ["SEL § 42", "Region Midtjylland", "2022", "1", "0", "0", "0"],
    ["SEL § 42", "Region Midtjylland", "2023", "0", ".", ".", "."],
]
XLSX_LINES = [5, 5, 6, 6, 7, 7, 8, 8]


# --- helpers ---------------------------------------------------------------------------


def write_xlsx(
    tmp_path: Path, rows: Sequence[Row], merges: Sequence[str] = (), name: str = "wide.xlsx"
) -> Path:
    """A sheet written cell by cell, with the given merged ranges ("A3:A4")."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    for area in merges:
        sheet.merge_cells(area)
    path = tmp_path / name
    workbook.save(path)
    return path


def write_text(
    tmp_path: Path, lines: Sequence[str], encoding: str = "utf-8", name: str = "wide.csv"
) -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def portal_csv_lines(sep: str = ";") -> list[str]:
    """BODY as the wide CSV: title, the measure written once over its periods, periods,
    each Sagsemne written once, percentages as Danish text, the source below."""
    measure_row = [
        "Sagsemne",
        "Instans",
        *[m if i == 0 else "" for m in MEASURES for i in range(2)],
    ]
    period_row = ["", "", *YEARS * len(MEASURES)]
    body = []
    for index, row in enumerate(BODY):
        subject = row[0] if index == 0 or BODY[index - 1][0] != row[0] else ""
        values = [_danish_percent(v) if i >= 8 else str(v) for i, v in enumerate(row[2:], start=2)]
        body.append(sep.join([str(subject), str(row[1]), *values]))
    return [TITLE, sep.join(measure_row), sep.join(period_row), *body, FOOTER]


def _danish_percent(value: object) -> str:
    return "." if value == "." else f"{100 * float(str(value)):.1f}".replace(".", ",")


def rows_of(source: SourceTable) -> list[list[str]]:
    return source.frame.astype(str).values.tolist()


def data_error(path: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        read_source(path)
    return caught.value


# --- the portal's Excel export -----------------------------------------------------------


def test_wide_xlsx_becomes_one_long_row_per_body_row_and_period(tmp_path: Path) -> None:
    source = read_source(portal_xlsx(tmp_path))
    assert list(source.frame.columns) == COLUMNS
    assert rows_of(source) == XLSX_ROWS
    assert source.lines.tolist() == XLSX_LINES
    assert source.headers == {
        "paragraf": "Sagsemne",
        "kommune": "Instans",
        "stadfaestet": "Stadfæstede sager",
        "hjemvist": "Hjemviste sager",
        "aendret_ophaevet": "Ændrede/ophævede sager",
        "procent_omgjort": "Omgørelsesprocent",
        "aar": "År",
    }
    assert source.title == [TITLE]
    assert source.notes == [FOOTER]
    assert source.ignored_columns == []


def test_wide_xlsx_cell_headers_name_measure_and_period(tmp_path: Path) -> None:
    source = read_source(portal_xlsx(tmp_path))
    assert (
        source.cell_headers["hjemvist"].tolist()
        == ["Hjemviste sager 2022", "Hjemviste sager 2023"] * 4
    )
    assert source.cell_headers["procent_omgjort"][1] == "Omgørelsesprocent 2023"
    assert source.cell_headers["aar"].tolist() == YEARS * 4
    assert all(len(titles) == len(source.frame) for titles in source.cell_headers.values())


def test_problem_names_the_cell_title_and_the_body_row(tmp_path: Path) -> None:
    path = portal_xlsx(tmp_path)
    source = read_source(path)
    problem = source.problem(3, "hjemvist", "0", "ikke et tal")
    assert problem == Problem(path.name, 6, "Hjemviste sager 2023", "0", "ikke et tal")
    # A label column has one title for all its cells; a whole column has no cell.
    assert source.problem(3, "kommune", "Aarhus", "x").column == "Instans"
    assert source.problem(None, "hjemvist", None, "x").column == "Hjemviste sager"


def test_wide_xlsx_percent_and_number_cells_read_as_shown(tmp_path: Path) -> None:
    cells = [
        (0.428, "0.0%"),
        (0.1 + 0.2, "General"),
        (12.0, "General"),
        (42.8, '0.0" %"'),
        (0.5, "0%"),
    ]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Sagsemne", "Instans", "Omgørelsesprocent"])
    sheet.append([None, None, 2023])
    for row, (value, number_format) in enumerate(cells, start=3):
        sheet.append(["SEL § 41", f"Kommune {row}", value])
        sheet.cell(row, 3).number_format = number_format
    path = tmp_path / "procent.xlsx"
    workbook.save(path)
    texts = read_source(path).frame["procent_omgjort"].tolist()
    # 0.428 * 100 is 42.800000000000004; a "%" in quotes is literal text, not a percent format
    assert texts == ["42.8", "0.3", "12", "42.8", "50"]


def test_blank_sagsemne_in_xlsx_is_filled_only_where_merged(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path,
        [
            ["Sagsemne", "Instans", "Hjemviste sager", None],
            [None, None, 2022, 2023],
            ["SEL § 41", "Norddjurs", 1, 2],
            [None, "Aarhus", 3, 4],
            [None, "Odense", 5, 6],
        ],
        merges=["A1:A2", "B1:B2", "C1:D1", "A3:A4"],
    )
    source = read_source(path)
    assert source.frame["paragraf"].tolist() == ["SEL § 41"] * 4 + ["", ""]
    assert source.lines.tolist() == [3, 3, 4, 4, 5, 5]


def test_merged_title_and_footnote_stay_out_of_the_table(tmp_path: Path) -> None:
    source = read_source(portal_xlsx(tmp_path))
    assert TITLE not in source.frame.to_numpy()
    assert FOOTER not in source.frame.to_numpy()
    assert len(source.frame) == 2 * len(BODY)


def test_all_portal_measures_map_to_canonical_columns(tmp_path: Path) -> None:
    measures = [
        "Realitetsbehandlede sager i alt",
        "Stadfæstede sager",
        "Hjemviste sager",
        "Ændrede/ophævede sager",
        "Afviste sager",
        "Antal sager i alt",
        "Omgørelsesprocent",
    ]
    body = [["SEL § 41", "Norddjurs", 8, 3, 2, 1, 1, 9, 0.625]]
    source = read_source(portal_xlsx(tmp_path, body, measures=measures, periods=[2023]))
    assert list(source.frame.columns)[3:] == [
        "realitetsbehandlede",
        "stadfaestet",
        "hjemvist",
        "aendret_ophaevet",
        "afvist",
        "i_alt",
        "procent_omgjort",
    ]
    assert rows_of(source) == [
        ["SEL § 41", "Norddjurs", "2023", "8", "3", "2", "1", "1", "9", "62.5"]
    ]


# --- the same table as text --------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8", "utf-8-sig"])
def test_wide_csv_fills_sagsemne_down_and_keeps_dots(tmp_path: Path, encoding: str) -> None:
    source = read_source(write_text(tmp_path, portal_csv_lines(), encoding))
    assert list(source.frame.columns) == COLUMNS
    expected = [
        [*row[:6], _danish_percent(p)] for row, p in zip(XLSX_ROWS, _percents(), strict=True)
    ]
    assert rows_of(source) == expected
    # title line 1, header lines 2-3, body lines 4-7, footnote line 8
    assert source.lines.tolist() == [4, 4, 5, 5, 6, 6, 7, 7]
    assert source.title == [TITLE]
    assert source.notes == [FOOTER]
    assert source.cell_headers["stadfaestet"][2] == "Stadfæstede sager 2022"


def _percents() -> list[object]:
    return [value for row in BODY for value in row[8:]]


def test_transposed_csv_years_over_measures(tmp_path: Path) -> None:
    path = write_text(
        tmp_path,
        [
            TITLE,
            "Sagsemne,Instans,2022,,2023,",
            ",,Hjemviste sager,Stadfæstede sager,Hjemviste sager,Stadfæstede sager",
            "SEL § 41,Norddjurs,1,3,2,5",
            ",Aarhus,.,.,0,4",
            f'"{FOOTER}"',  # quoted: it holds the delimiter
        ],
    )
    source = read_source(path)
    assert list(source.frame.columns) == ["paragraf", "kommune", "aar", "hjemvist", "stadfaestet"]
    assert rows_of(source) == [
        ["SEL § 41", "Norddjurs", "2022", "1", "3"],
        ["SEL § 41", "Norddjurs", "2023", "2", "5"],
        ["SEL § 41", "Aarhus", "2022", ".", "."],
        ["SEL § 41", "Aarhus", "2023", "0", "4"],
    ]
    assert source.lines.tolist() == [4, 4, 5, 5]
    assert source.cell_headers["stadfaestet"][3] == "Stadfæstede sager 2023"
    assert source.notes == [FOOTER]


def test_transposed_xlsx_with_labels_in_the_second_header_row(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path,
        [
            [TITLE],
            [None, None, 2022, None, 2023, None],
            [
                "Sagsemne",
                "Instans",
                "Hjemviste sager",
                "Stadfæstede sager",
                "Hjemviste sager",
                "Stadfæstede sager",
            ],
            ["SEL § 41", "Norddjurs", 1, 3, 2, 5],
        ],
        merges=["A1:F1", "C2:D2", "E2:F2"],
    )
    source = read_source(path)
    assert source.title == [TITLE]
    assert rows_of(source) == [
        ["SEL § 41", "Norddjurs", "2022", "1", "3"],
        ["SEL § 41", "Norddjurs", "2023", "2", "5"],
    ]
    assert source.lines.tolist() == [4, 4]
    assert source.problem(1, "stadfaestet", "5", "x").column == "Stadfæstede sager 2023"


def test_quarters_in_every_spelling(tmp_path: Path) -> None:
    path = write_text(
        tmp_path,
        [
            "Sagsemne;Instans;Hjemviste sager;;;",
            ";;2023K1;2023 K2;2023-K3;K4 2023",
            "SEL § 41;Norddjurs;1;.;3;4",
        ],
    )
    source = read_source(path)
    assert list(source.frame.columns) == ["paragraf", "kommune", "aar", "kvartal", "hjemvist"]
    assert source.frame["aar"].tolist() == ["2023"] * 4
    assert source.frame["kvartal"].tolist() == ["1", "2", "3", "4"]
    assert source.frame["hjemvist"].tolist() == ["1", ".", "3", "4"]
    assert source.headers["kvartal"] == "Kvartal"
    assert source.problem(1, "hjemvist", ".", "x").column == "Hjemviste sager 2023 K2"
    assert source.problem(3, "kvartal", "4", "x").column == "K4 2023"


def test_labels_in_second_header_row_instans_first_and_one_measure(tmp_path: Path) -> None:
    # The first header row holds a single known title, so the header search finds the
    # second header row first.
    path = write_text(
        tmp_path,
        [TITLE, ";;Hjemviste sager;", "Instans;Sagsemne;2022;2023", "Norddjurs;SEL § 41;1;2"],
    )
    source = read_source(path)
    assert source.title == [TITLE]
    assert list(source.frame.columns) == ["kommune", "paragraf", "aar", "hjemvist"]
    assert rows_of(source) == [
        ["Norddjurs", "SEL § 41", "2022", "1"],
        ["Norddjurs", "SEL § 41", "2023", "2"],
    ]
    assert source.lines.tolist() == [4, 4]


def test_measure_given_for_some_periods_only(tmp_path: Path) -> None:
    path = write_text(
        tmp_path,
        [
            "Sagsemne;Instans;Stadfæstede sager;;Omgørelsesprocent",
            ";;2022;2023;2023",
            "SEL § 41;Norddjurs;3;5;28,6",
        ],
    )
    source = read_source(path)
    assert source.frame["procent_omgjort"].tolist() == ["", "28,6"]
    assert source.cell_headers["procent_omgjort"].tolist() == ["", "Omgørelsesprocent 2023"]
    # a row without such a cell falls back to the column's title
    assert source.problem(0, "procent_omgjort", "", "x").column == "Omgørelsesprocent"


def test_unknown_measure_is_an_ignored_column(tmp_path: Path) -> None:
    path = write_text(
        tmp_path,
        [
            "Sagsemne;Instans;Hjemviste sager;;Sagsbehandlingstid i dage;",
            ";;2022;2023;2022;2023",
            "SEL § 41;Aarhus;1;2;90;80",
        ],
    )
    source = read_source(path)
    assert source.ignored_columns == ["Sagsbehandlingstid i dage"]
    assert list(source.frame.columns) == ["paragraf", "kommune", "aar", "hjemvist"]


def test_long_file_whose_first_row_has_a_year_like_count_stays_long(tmp_path: Path) -> None:
    path = write_text(
        tmp_path,
        [
            "År;Kommune;Paragraf;Stadfæstelse;Hjemvisning;Ændring/ophævelse",
            "2023;Hele landet;SEL § 41;2015;300;120",
        ],
    )
    source = read_source(path)
    assert source.frame.columns.tolist()[:3] == ["aar", "kommune", "paragraf"]
    assert source.cell_headers == {}
    assert source.lines.tolist() == [2]


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            [TITLE, "Sagsemne;Instans;Hjemviste sager;;", ";;2022;2023X;", "SEL § 41;Aarhus;1;2;"],
            [(3, "Hjemviste sager", "2023X", f"er hverken et år eller et kvartal – {EXPECTED}")],
        ),
        (
            # no period readable at all: still a wide table, every period reported
            [
                "Sagsemne;Instans;Hjemviste sager;",
                ";;1. halvår 2023;2. halvår 2023",
                "SEL § 41;Aarhus;1;2",
            ],
            [
                (
                    2,
                    "Hjemviste sager",
                    "1. halvår 2023",
                    f"er hverken et år eller et kvartal – {EXPECTED}",
                ),
                (
                    2,
                    "Hjemviste sager",
                    "2. halvår 2023",
                    f"er hverken et år eller et kvartal – {EXPECTED}",
                ),
            ],
        ),
        (
            [
                "Sagsemne;Instans;Hjemviste sager;;Afviste sager",
                ";;2022;2023;",
                "SEL § 41;Aarhus;1;2;",
            ],
            [(2, "Afviste sager", None, f"står uden år eller kvartal – {EXPECTED}")],
        ),
        (
            ["Sagsemne;Instans;Hjemviste sager;", ";;2023;2023", "SEL § 41;Aarhus;1;2"],
            [
                (
                    2,
                    "Hjemviste sager 2023",
                    None,
                    "betyder det samme som kolonnen 'Hjemviste sager 2023'",
                )
            ],
        ),
        (
            ["Sagsemne;Instans;Hjemviste sager;", ";;2023;2023K1", "SEL § 41;Aarhus;1;2"],
            [
                (
                    2,
                    None,
                    None,
                    "tabellen blander år og kvartaler – forventede enten år som 2023 eller kvartaler som 2023K1",
                )
            ],
        ),
    ],
)
def test_bad_wide_header_names_file_row_title_and_value(
    tmp_path: Path, lines: list[str], expected: list[tuple[object, ...]]
) -> None:
    error = data_error(write_text(tmp_path, lines, name="ANKEAST3.csv"))
    assert [(p.row, p.column, p.value, p.message) for p in error.problems] == expected
    assert {p.file for p in error.problems} == {"ANKEAST3.csv"}


def test_bad_period_in_xlsx_names_the_excel_row(tmp_path: Path) -> None:
    path = portal_xlsx(
        tmp_path,
        [["SEL § 41", "Norddjurs", 1, 2]],
        measures=["Hjemviste sager"],
        periods=[2022, "2023 K"],
    )
    (problem,) = data_error(path).problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        path.name,
        4,
        "Hjemviste sager",
        "2023 K",
    )
    assert EXPECTED in str(problem)


# --- the same data, wide or long -------------------------------------------------------------


def test_wide_xlsx_and_long_csv_give_the_same_counts(tmp_path: Path) -> None:
    # BODY: "." cells, an "I alt" row (the sum of its instances) and a region's row
    wide = portal_xlsx(tmp_path)
    header = ["Sagsemne", "Instans", "År", *MEASURES]
    long_rows = [
        ";".join(
            [
                str(row[0]),
                str(row[1]),
                year,
                *(str(row[2 + 2 * m + i]) for m in range(3)),
                _danish_percent(row[8 + i]),
            ]
        )
        for row in BODY
        for i, year in enumerate(YEARS)
    ]
    long = write_text(tmp_path, [TITLE, ";".join(header), *long_rows, FOOTER], name="long.csv")
    from_wide, from_long = omglib.read_counts(wide), omglib.read_counts(long)
    assert set(from_wide.counts["kommunekode"]) == {707, 751}  # Norddjurs, Aarhus
    pd.testing.assert_frame_equal(from_wide.counts, from_long.counts)
    pd.testing.assert_frame_equal(from_wide.national, from_long.national)


def test_bad_count_in_wide_xlsx_names_the_cell_title_and_row(tmp_path: Path) -> None:
    body = [list(row) for row in BODY]
    body[1][5] = 2.5  # Aarhus, Hjemviste sager 2023
    path = portal_xlsx(tmp_path, body)
    with pytest.raises(DataError) as caught:
        omglib.read_counts(path)
    located = [(p.file, p.row, p.column, p.value) for p in caught.value.problems]
    assert (path.name, 6, "Hjemviste sager 2023", "2.5") in located
