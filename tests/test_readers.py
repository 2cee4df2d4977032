"""Tests for omglib's readers: the files users really have in, a Dataset (or one
DataError listing every problem, each with file, row, column and value) out.

Every input file is built inside the test with `tmp_path`. Text files get a title line
above the header unless a test says otherwise, so a row number in an error message is
the line number a text editor shows (title line 1, header line 2, first data line 3).
"""

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import omglib
import omglib.demodata
from omglib import Dataset, registry
from tests.helpers.files import Reader, Row, data_error, only_problem, write_csv, write_xlsx

NEXT_YEAR = dt.date.today().year + 1

COUNTS_HEADER = ["År", "Kommune", "Område", "Stadfæstelse", "Hjemvisning", "Ændring/ophævelse"]
PROVISION_HEADER = [
    "År",
    "Kommune",
    "Område",
    "Paragraf",
    "Stadfæstelse",
    "Hjemvisning",
    "Ændring/ophævelse",
]
TOTAL_HEADER = [*COUNTS_HEADER, "Antal sager i alt"]
DETAIL_HEADER = [*COUNTS_HEADER[:5], "Ændring", "Ophævelse", "Ændring/ophævelse"]
CODE_HEADER = ["År", "Kommunekode", "Område", "Stadfæstelse", "Hjemvisning", "Ændring/ophævelse"]
CASES_HEADER = ["Sags-id", "Kommunekode", "Afgørelsesdato", "Paragraf", "Udfald"]
VOLUMES_HEADER = ["År", "Kommunekode", "Område", "Afgørelser i alt", "Klager modtaget"]


# --- helpers ---------------------------------------------------------------------------


def count_row(counts: pd.DataFrame, **key: object) -> dict[str, Any]:
    """The one row of `counts` matching `key`, as {column: value} (each of its column's type)."""
    mask = pd.Series(True, index=counts.index)
    for column, value in key.items():
        mask &= counts[column] == value
    matching = counts[mask]
    assert len(matching) == 1, f"{len(matching)} rows for {key}:\n{counts}"
    return {column: matching[column].iat[0] for column in counts.columns}


def outcome_counts(counts: pd.DataFrame, **key: object) -> tuple[int, int, int]:
    """(stadfaestet, hjemvist, aendret_ophaevet) of one row."""
    row = count_row(counts, **key)
    return (int(row["stadfaestet"]), int(row["hjemvist"]), int(row["aendret_ophaevet"]))


def case_dataset(tmp_path: Path, rows: Sequence[Row], header: Row = CASES_HEADER) -> Dataset:
    return omglib.cases_to_dataset(omglib.read_cases(write_csv(tmp_path, header, rows)))


# --- 1. readers take what users really have -------------------------------------------


@pytest.mark.parametrize(
    ("sep", "encoding"),
    [
        (";", "utf-8"),
        (";", "utf-8-sig"),  # UTF-8 with BOM, as Excel writes "CSV UTF-8"
        (",", "utf-8"),
        (",", "utf-8-sig"),
        (";", "cp1252"),  # Excel's "CSV (semikolonsepareret)" on a Danish Windows
        (",", "cp1252"),
        ("\t", "utf-8"),
    ],
)
def test_csv_delimiters_and_encodings(tmp_path: Path, sep: str, encoding: str) -> None:
    path = write_csv(
        tmp_path,
        COUNTS_HEADER,
        [
            [2023, "Århus", "Børnehandicapområdet", "1.234", "12,0", 3],
            [2023, "Brønderslev-Dronninglund", "Socialområdet", 7, 0, "1"],
            [2023, "Københavns Kommune", "Voksenhandicap", "0", 2, "2.005"],
        ],
        sep=sep,
        encoding=encoding,
    )
    counts = omglib.read_counts(path).counts
    assert len(counts) == 3
    assert outcome_counts(counts, kommunekode=751, omraade="boernehandicap") == (1234, 12, 3)
    assert outcome_counts(counts, kommunekode=810, omraade="socialomraadet") == (7, 0, 1)
    assert outcome_counts(counts, kommunekode=101, omraade="voksenhandicap") == (0, 2, 2005)
    assert counts["aar"].tolist() == [2023, 2023, 2023]


def test_title_line_is_provenance_and_footnote_is_a_note_not_data(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        COUNTS_HEADER,
        [[2023, "Aarhus", "Socialområdet", 5, 4, 3]],
        title="Syntetiske testdata",
        footer="Kilde: Ankestyrelsen, egne beregninger",
    )
    dataset = omglib.read_counts(path)
    assert len(dataset.counts) == 1
    assert dataset.provenance.file == "data.csv"
    assert dataset.provenance.synthetic is True
    assert len(dataset.provenance.sha256) == 64
    assert any("Kilde: Ankestyrelsen" in note for note in dataset.notes)


@pytest.mark.parametrize(
    "header",
    [
        # Ankestyrelsen's own table, in its own column order
        [
            "År",
            "Instans",
            "Område",
            "Sagsemne",
            "Afvisning/henvisning",
            "Hjemvisning",
            "Stadfæstelse",
            "Ændring/ophævelse",
            "Antal sager i alt",
        ],
        # without æøå, lower case
        [
            "aar",
            "kommune",
            "omraade",
            "paragraf",
            "afvisning/henvisning",
            "hjemvisning",
            "stadfaestelse",
            "aendring/ophaevelse",
            "antal sager i alt",
        ],
        # upper case with æøå
        [
            "ÅR",
            "INSTANS",
            "OMRÅDE",
            "SAGSEMNE",
            "AFVISNING/HENVISNING",
            "HJEMVISNING",
            "STADFÆSTELSE",
            "ÆNDRING/OPHÆVELSE",
            "ANTAL SAGER I ALT",
        ],
        # mixed variants
        [
            "Aar",
            "Kommune",
            "Omrade",
            "Paragraf",
            "Afvisning / henvisning",
            "Hjemvist",
            "Stadfæstet",
            "Ændret/ophævet",
            "Antal Sager i Alt",
        ],
    ],
    ids=["ankestyrelsen", "ascii-lower", "upper", "mixed"],
)
def test_danish_header_variants(tmp_path: Path, header: list[str]) -> None:
    path = write_csv(
        tmp_path, header, [[2023, "Aarhus", "Børnehandicap", "SEL § 41", 1, 4, 10, 2, 17]]
    )
    row = count_row(omglib.read_counts(path).counts, kommunekode=751)
    assert row["aar"] == 2023
    assert row["omraade"] == "boernehandicap"
    assert row["paragraf"] == "SEL § 41"
    assert (row["stadfaestet"], row["hjemvist"], row["aendret_ophaevet"], row["afvist"]) == (
        10,
        4,
        2,
        1,
    )


def test_aendret_and_ophaevet_given_separately(tmp_path: Path) -> None:
    header = [*COUNTS_HEADER[:5], "Ændring", "Ophævelse"]
    path = write_csv(tmp_path, header, [[2023, 751, "Socialområdet", 20, 5, 3, 2]])
    row = count_row(omglib.read_counts(path).counts, kommunekode=751)
    assert (row["aendret"], row["ophaevet"], row["aendret_ophaevet"]) == (3, 2, 5)
    assert (row["stadfaestet"], row["hjemvist"]) == (20, 5)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("101", 101),
        ("0101", 101),
        ("Frederikssund Kommune", 250),
        ("Århus", 751),
        ("Aarhus", 751),
        ("AARHUS KOMMUNE", 751),
        ("Brønderslev-Dronninglund", 810),
        ("Brønderslev", 810),
        ("Københavns Kommune", 101),
        ("København", 101),
        ("Bornholms Regionskommune", 400),
    ],
)
def test_kommune_by_code_or_name_variant(tmp_path: Path, written: str, code: int) -> None:
    path = write_csv(tmp_path, COUNTS_HEADER, [[2023, written, "Socialområdet", 1, 2, 3]])
    assert omglib.read_counts(path).counts["kommunekode"].tolist() == [code]


def test_xlsx_with_title_row_and_footnote(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path,
        [*TOTAL_HEADER, "Kommentar"],
        [
            [2023, "Frederikssund Kommune", "Børnehandicap", 1234, 5, 6, 1245, "fint"],
            [2023, "0101", "Socialområdet", "1.234", "2,0", 3, 1239, None],
            [2024, 751, "Voksenhandicap", 0, 1, 1, 2, None],
        ],
        footer="Note: Tallene for 2024 er foreløbige",
    )
    dataset = omglib.read_counts(path)
    counts = dataset.counts
    assert len(counts) == 3
    assert outcome_counts(counts, kommunekode=250) == (1234, 5, 6)
    assert outcome_counts(counts, kommunekode=101) == (1234, 2, 3)
    assert outcome_counts(counts, kommunekode=751) == (0, 1, 1)
    assert count_row(counts, kommunekode=751)["aar"] == 2024
    assert "i_alt" not in counts.columns
    assert any("Tallene for 2024 er foreløbige" in note for note in dataset.notes)
    assert any("Kommentar" in note for note in dataset.notes)


def test_national_row_goes_to_national_not_counts(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        ["År", "Instans", "Område", "Stadfæstelse", "Hjemvisning", "Ændring/ophævelse"],
        [
            [2023, "Aarhus", "Socialområdet", 10, 4, 1],
            [2023, "Hele landet", "Socialområdet", 1000, 300, 100],
            [2023, "Odense", "Socialområdet", 8, 2, 2],
        ],
    )
    dataset = omglib.read_counts(path)
    assert sorted(dataset.counts["kommunekode"]) == [461, 751]
    assert int(dataset.counts["stadfaestet"].sum()) == 18
    assert len(dataset.national) == 1
    assert "kommunekode" not in dataset.national.columns
    assert outcome_counts(dataset.national, aar=2023, omraade="socialomraadet") == (
        1000,
        300,
        100,
    )


def test_national_row_with_empty_code_beside_a_kommune_column(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        ["År", "Kommunekode", "Kommune", *COUNTS_HEADER[2:]],
        [
            [2023, 751, "Aarhus", "Socialområdet", 10, 4, 1],
            [2023, "", "Hele landet", "Socialområdet", 1000, 300, 100],
        ],
    )
    dataset = omglib.read_counts(path)
    assert dataset.counts["kommunekode"].tolist() == [751]
    assert outcome_counts(dataset.national, aar=2023) == (1000, 300, 100)


def test_quarterly_file_sums_to_years(tmp_path: Path) -> None:
    header = ["År", "Kvartal", "Instans", *COUNTS_HEADER[2:]]
    path = write_csv(
        tmp_path,
        header,
        [
            [2023, 1, "Aarhus", "Socialområdet", 1, 2, 3],
            [2023, 2, "Aarhus", "Socialområdet", 10, 20, 30],
            [2023, 3, "Aarhus", "Socialområdet", 100, 200, 300],
            [2023, 4, "Aarhus", "Socialområdet", 1000, 2000, 3000],
            [2024, 1, "Aarhus", "Socialområdet", 5, 0, 1],
            [2023, 1, "Hele landet", "Socialområdet", 7, 7, 7],
            [2023, 2, "Hele landet", "Socialområdet", 3, 3, 3],
        ],
    )
    dataset = omglib.read_counts(path)
    counts = dataset.counts
    assert "kvartal" not in counts.columns
    assert len(counts) == 2
    assert outcome_counts(counts, aar=2023) == (1111, 2222, 3333)
    assert outcome_counts(counts, aar=2024) == (5, 0, 1)
    assert outcome_counts(dataset.national, aar=2023) == (10, 10, 10)


PROVISION_ONLY_HEADER = [h for h in PROVISION_HEADER if h != "Område"]


def test_provision_without_area_outside_handicap_counts_in_socialomraadet(
    tmp_path: Path,
) -> None:
    path = write_csv(tmp_path, PROVISION_ONLY_HEADER, [[2023, 751, "SEL § 83", 5, 1, 1]])
    counts = omglib.read_counts(path).counts
    assert counts["omraade"].tolist() == ["socialomraadet"]
    assert outcome_counts(counts, omraade="socialomraadet") == (5, 1, 1)


def test_provision_without_area_counts_in_socialomraadet_and_handicap_area(
    tmp_path: Path,
) -> None:
    path = write_csv(
        tmp_path,
        PROVISION_ONLY_HEADER,
        [
            [2023, 751, "SEL § 41", 10, 3, 1],
            [2024, 751, "BL § 86", 8, 2, 2],
            [2024, 751, "SEL § 96", 4, 1, 0],
            [2023, 751, "SEL § 83", 5, 0, 0],
        ],
    )
    counts = omglib.read_counts(path).counts
    sel41 = {"aar": 2023, "paragraf": "SEL § 41"}
    bl86 = {"aar": 2024, "paragraf": "BL § 86"}
    assert outcome_counts(counts, omraade="socialomraadet", **sel41) == (10, 3, 1)
    assert outcome_counts(counts, omraade="boernehandicap", **sel41) == (10, 3, 1)
    assert outcome_counts(counts, omraade="socialomraadet", **bl86) == (8, 2, 2)
    assert outcome_counts(counts, omraade="boernehandicap", **bl86) == (8, 2, 2)
    assert outcome_counts(counts, omraade="voksenhandicap", paragraf="SEL § 96") == (4, 1, 0)
    assert counts.loc[counts["paragraf"] == "SEL § 83", "omraade"].tolist() == ["socialomraadet"]
    assert len(counts) == 7


# --- 2. every kind of bad input names file, row, column and value ----------------------

GOOD_COUNTS = [2023, "København", "Socialområdet", 10, 3, 2]
GOOD_PROVISION = [2023, "København", "Socialområdet", "SEL § 83", 10, 3, 2]
GOOD_CASE = ["S1", 751, "01-03-2023", "SEL § 41", "Stadfæstelse"]


def bad(
    reader: Reader,
    header: Row,
    good: Row,
    wrong: Row,
    column: str,
    value: str,
    *fragments: str,
    row: int = 4,
    id: str,
) -> Any:
    """A file with a title line, a header, one good row (line 3) and one bad row (line 4)."""
    return pytest.param(reader, header, [good, wrong], row, column, value, fragments, id=id)


BAD_INPUTS = [
    bad(
        omglib.read_counts,
        COUNTS_HEADER,
        GOOD_COUNTS,
        [2023, "Arhus", "Socialområdet", 1, 1, 1],
        "Kommune",
        "Arhus",
        "ukendt kommune",
        "mente du Aarhus (751)?",
        id="unknown-kommune",
    ),
    bad(
        omglib.read_counts,
        COUNTS_HEADER,
        GOOD_COUNTS,
        [2023, "Aarhus", "Ældreområdet", 1, 1, 1],
        "Område",
        "Ældreområdet",
        "ukendt område",
        "Børnehandicapområdet",
        id="unknown-area",
    ),
    bad(
        omglib.read_counts,
        PROVISION_HEADER,
        GOOD_PROVISION,
        [2023, "Aarhus", "Socialområdet", "Merudgifter til børn", 1, 1, 1],
        "Paragraf",
        "Merudgifter til børn",
        "ukendt paragraf",
        "forventede en paragraf med lov og §",
        id="provision-without-section",
    ),
    bad(
        omglib.read_counts,
        PROVISION_HEADER,
        GOOD_PROVISION,
        [2023, "Aarhus", "Socialområdet", "Sundhedsloven § 41", 1, 1, 1],
        "Paragraf",
        "Sundhedsloven § 41",
        "ukendt lov 'Sundhedsloven'",
        "SEL (serviceloven)",
        id="unknown-law",
    ),
    bad(
        omglib.read_counts,
        PROVISION_HEADER,
        GOOD_PROVISION,
        [2022, "Aarhus", "Socialområdet", "Barnets lov § 46", 1, 1, 1],
        "Paragraf",
        "Barnets lov § 46",
        "gælder ikke i 2022",
        "fra 2024",
        id="law-not-in-force",
    ),
    bad(
        omglib.read_counts,
        PROVISION_HEADER,
        GOOD_PROVISION,
        [2024, "Aarhus", "Børnehandicap", "SEL § 41", 1, 1, 1],
        "Paragraf",
        "SEL § 41",
        "gælder ikke i 2024",
        "BL § 86",
        id="provision-not-in-force",
    ),
    bad(
        omglib.read_cases,
        CASES_HEADER,
        GOOD_CASE,
        ["S2", 751, "02-03-2023", "SEL § 41", "Delvis medhold"],
        "Udfald",
        "Delvis medhold",
        "ukendt udfald",
        "Stadfæstelse",
        id="unknown-outcome",
    ),
    bad(
        omglib.read_counts,
        COUNTS_HEADER,
        GOOD_COUNTS,
        [2023, "Aarhus", "Socialområdet", 1, "-3", 1],
        "Hjemvisning",
        "-3",
        "negativ",
        id="negative-count",
    ),
    bad(
        omglib.read_counts,
        COUNTS_HEADER,
        GOOD_COUNTS,
        [2023, "Aarhus", "Socialområdet", "2,5", 1, 1],
        "Stadfæstelse",
        "2,5",
        "ikke et helt tal",
        id="non-integer-count",
    ),
    bad(
        omglib.read_counts,
        COUNTS_HEADER,
        GOOD_COUNTS,
        [2023, "Aarhus", "Socialområdet", 1, 1, "mange"],
        "Ændring/ophævelse",
        "mange",
        "ikke et tal",
        id="non-numeric-count",
    ),
    bad(
        omglib.read_counts,
        COUNTS_HEADER,
        GOOD_COUNTS,
        [2023, "Aarhus", "Socialområdet", 1, "", 1],
        "Hjemvisning",
        "",
        "mangler et antal",
        id="empty-count",
    ),
    bad(
        omglib.read_counts,
        CODE_HEADER,
        [2023, 751, "Socialområdet", 1, 1, 1],
        [2023, "0751", "socialomraadet", 2, 2, 2],
        "Område",
        "socialomraadet",
        "samme",
        "række 3",
        id="duplicate-key",
    ),
    bad(
        omglib.read_counts,
        TOTAL_HEADER,
        [*GOOD_COUNTS, 15],
        [2023, "Aarhus", "Socialområdet", 4, 3, 2, 10],
        "Antal sager i alt",
        "10",
        "passer ikke",
        "Stadfæstelse + Hjemvisning + Ændring/ophævelse, som giver 9",
        id="total-mismatch",
    ),
    bad(
        omglib.read_counts,
        DETAIL_HEADER,
        [*GOOD_COUNTS[:5], 1, 1, 2],
        [2023, "Aarhus", "Socialområdet", 4, 3, 2, 1, 4],
        "Ændring/ophævelse",
        "4",
        "passer ikke",
        "Ændring + Ophævelse, som giver 3",
        id="aendret-ophaevet-mismatch",
    ),
    bad(
        omglib.read_counts,
        COUNTS_HEADER,
        GOOD_COUNTS,
        [2006, "Aarhus", "Socialområdet", 1, 1, 1],
        "År",
        "2006",
        "uden for perioden",
        "2007",
        id="year-2006",
    ),
    bad(
        omglib.read_counts,
        COUNTS_HEADER,
        GOOD_COUNTS,
        [NEXT_YEAR, "Aarhus", "Socialområdet", 1, 1, 1],
        "År",
        str(NEXT_YEAR),
        "uden for perioden",
        str(NEXT_YEAR - 1),
        id="year-next-year",
    ),
    bad(
        omglib.read_cases,
        CASES_HEADER,
        GOOD_CASE,
        ["S1", 461, "01-03-2023", "SEL § 41", "Hjemvisning"],
        "Kommunekode",
        "461",
        "første delafgørelse har en anden kommune",
        id="case-split-over-kommuner",
    ),
]


@pytest.mark.parametrize(
    ("reader", "header", "rows", "row", "column", "value", "fragments"), BAD_INPUTS
)
def test_bad_input_names_file_row_column_and_value(
    tmp_path: Path,
    reader: Reader,
    header: Row,
    rows: Sequence[Row],
    row: int,
    column: str,
    value: str,
    fragments: tuple[str, ...],
) -> None:
    path = write_csv(tmp_path, header, rows, name="klager 2023.csv")
    error = data_error(reader, path)
    problem = only_problem(error)
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "klager 2023.csv",
        row,
        column,
        value,
    )
    message = str(error)
    assert message.startswith(f"klager 2023.csv, række {row}, kolonne '{column}': '{value}': ")
    for fragment in fragments:
        assert fragment in message


def test_bad_value_in_xlsx_names_the_excel_row(tmp_path: Path) -> None:
    # title in row 1, blank row 2, header row 3, data rows 4-6, footnote row 8
    path = write_xlsx(
        tmp_path,
        [*TOTAL_HEADER[:-1], "Antal Sager i Alt"],
        [
            [2023, "Aarhus", "Socialområdet", 1, 1, 1, 3],
            [2023, "Odense", "Socialområdet", 1, 1, 1, 3],
            [2023, "Vejle", "Socialområdet", 2.5, 1, 1, 4],
        ],
        name="Danmarkskort.xlsx",
        footer="Kilde: Ankestyrelsen",
    )
    problem = only_problem(data_error(omglib.read_counts, path))
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "Danmarkskort.xlsx",
        6,
        "Stadfæstelse",
        "2.5",
    )
    assert "ikke et helt tal" in problem.message


def test_missing_required_column(tmp_path: Path) -> None:
    header = ["År", "Kommune", "Område", "Stadfæstelse", "Ændring/ophævelse"]
    path = write_csv(tmp_path, header, [[2023, "Aarhus", "Socialområdet", 1, 1]])
    error = data_error(omglib.read_counts, path)
    problem = only_problem(error)
    assert (problem.file, problem.row) == ("data.csv", None)
    assert str(error) == "data.csv: mangler kolonnen 'Hjemvisning'"


def test_unsupported_file_type(tmp_path: Path) -> None:
    path = tmp_path / "omgørelser.ods"
    path.write_bytes(b"PK\x03\x04")
    error = data_error(omglib.read_counts, path)
    assert only_problem(error).file == "omgørelser.ods"
    assert "ukendt filtype '.ods'" in str(error)
    assert ".csv" in str(error) and ".xlsx" in str(error)


def test_missing_file(tmp_path: Path) -> None:
    error = data_error(omglib.read_data, tmp_path / "findes-ikke.csv")
    assert only_problem(error).row is None
    assert "findes-ikke.csv" in str(error)
    assert "findes ikke" in str(error)


def test_file_without_recognisable_header(tmp_path: Path) -> None:
    path = write_csv(tmp_path, ["a", "b", "c"], [[1, 2, 3], [4, 5, 6]], name="udtræk.csv")
    error = data_error(omglib.read_counts, path)
    problem = only_problem(error)
    assert (problem.file, problem.row, problem.column) == ("udtræk.csv", None, None)
    assert "ingen overskriftsrække" in problem.message


@pytest.mark.parametrize("reader", [omglib.read_counts, omglib.read_volumes])
def test_duplicate_key_message_uses_the_users_column_titles(tmp_path: Path, reader: Reader) -> None:
    header = ["År", "Instans", "Område", "Stadfæstelse", "Hjemvisning", "Ændring/ophævelse"]
    if reader is omglib.read_volumes:
        header = ["År", "Instans", "Område", "Afgørelser i alt"]
    rows = [[2023, "Aarhus", "Socialområdet", 1, 1, 1], [2023, "Århus", "Socialområdet", 1, 1, 1]]
    path = write_csv(tmp_path, header, [row[: len(header)] for row in rows])
    problem = only_problem(data_error(reader, path))
    assert problem.row == 4
    assert "samme År, Instans, Område som række 3" in problem.message


@pytest.mark.parametrize(
    ("header", "second", "column", "value"),
    [
        (
            ["Sag", "Kommune", "År", "Paragraf", "Udfald"],
            ["S1", "Odense", 2023, "SEL § 41", "Hjemvisning"],
            "Kommune",
            "Odense",
        ),
        (
            CASES_HEADER,
            ["S1", 751, "02-01-2024", "SEL § 83", "Hjemvisning"],
            "Afgørelsesdato",
            "02-01-2024",
        ),
    ],
    ids=["kommune-by-name", "year-from-date"],
)
def test_split_case_names_the_users_column_and_value(
    tmp_path: Path, header: list[str], second: list[object], column: str, value: str
) -> None:
    first = ["S1", "Aarhus", 2023, "SEL § 41", "Stadfæstelse"]
    if header == CASES_HEADER:
        first = ["S1", 751, "31-12-2023", "SEL § 83", "Stadfæstelse"]
    path = write_csv(tmp_path, header, [first, second])
    problem = only_problem(data_error(omglib.read_cases, path))
    assert (problem.row, problem.column, problem.value) == (4, column, value)
    assert "et andet kommune" not in problem.message


def test_two_unknown_kommuner_are_not_a_duplicate_key(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        COUNTS_HEADER,
        [[2023, "Arhus", "Socialområdet", 1, 1, 1], [2023, "Odensee", "Socialområdet", 1, 1, 1]],
    )
    error = data_error(omglib.read_counts, path)
    assert [(p.row, p.value) for p in error.problems] == [(3, "Arhus"), (4, "Odensee")]


def test_bad_year_is_one_problem_not_also_a_provision_problem(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path, PROVISION_HEADER, [["20x3", "Aarhus", "Børnehandicap", "SEL § 41", 1, 1, 1]]
    )
    problem = only_problem(data_error(omglib.read_counts, path))
    assert (problem.column, problem.value) == ("År", "20x3")


def test_bad_count_is_one_problem_not_also_a_total_problem(tmp_path: Path) -> None:
    path = write_csv(tmp_path, TOTAL_HEADER, [[2023, "Aarhus", "Socialområdet", "x", 3, 2, 10]])
    problem = only_problem(data_error(omglib.read_counts, path))
    assert (problem.column, problem.value) == ("Stadfæstelse", "x")


# --- 3. every problem in one go, capped -----------------------------------------------


def test_three_problems_on_three_rows_are_reported_together(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        COUNTS_HEADER,
        [
            GOOD_COUNTS,
            [2023, "Arhus", "Socialområdet", 1, 1, 1],
            [2023, "Odense", "Ældreområdet", 1, 1, 1],
            [2023, "Vejle", "Socialområdet", 1, "-1", 1],
        ],
    )
    error = data_error(omglib.read_counts, path)
    assert [(p.row, p.column, p.value) for p in error.problems] == [
        (4, "Kommune", "Arhus"),
        (5, "Område", "Ældreområdet"),
        (6, "Hjemvisning", "-1"),
    ]
    lines = str(error).splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("data.csv, række 4, kolonne 'Kommune': 'Arhus'")
    assert lines[2].startswith("data.csv, række 6, kolonne 'Hjemvisning': '-1'")
    assert error.one_line().endswith("(og 2 problemer mere)")


def test_many_bad_rows_are_capped_with_a_count_of_the_rest(tmp_path: Path) -> None:
    keys = [(year, code) for year in range(2019, 2025) for code in registry.all_kommune_codes()]
    rows = [[year, code, "Socialområdet", "?", 1, 1] for year, code in keys[:500]]
    error = data_error(omglib.read_counts, write_csv(tmp_path, CODE_HEADER, rows))
    assert 1 < len(error.problems) < 100
    with_row = [p for p in error.problems if p.row is not None]
    assert all((p.column, p.value) == ("Stadfæstelse", "?") for p in with_row)
    assert with_row[0].row == 3
    rest = 500 - len(with_row)
    summary = [p for p in error.problems if p.row is None]
    assert len(summary) == 1
    assert summary[0].message.startswith(f"{rest} rækker mere")
    message = str(error)
    assert "... og 475 problemer mere (i alt 500)" in message
    assert len(message.splitlines()) < 30


def test_counts_of_one_take_the_singular(tmp_path: Path) -> None:
    codes = registry.all_kommune_codes()
    bad = [[2023, code, "Socialområdet", "?", 1, 1] for code in codes]

    def error_for(rows: int) -> omglib.DataError:
        return data_error(omglib.read_counts, write_csv(tmp_path, CODE_HEADER, bad[:rows]))

    assert error_for(2).one_line().endswith("(og 1 problem mere)")
    assert str(error_for(26)).endswith("... og 1 problem mere (i alt 26)")
    summary = [p for p in error_for(51).problems if p.row is None]
    assert summary[0].message.startswith("1 række mere med: ")
    region = [2023, "Region Hovedstaden", "Socialområdet", 1, 1, 1]
    path = write_csv(tmp_path, COUNTS_HEADER, [GOOD_COUNTS, region])
    assert "ikke talt med): 1 række for en region" in omglib.read_counts(path).notes[0]


# --- 4. case level ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "outcome"),
    [
        (["Hjemvisning", "Stadfæstelse", "Stadfæstelse"], "hjemvist"),
        (["Stadfæstelse", "Stadfæstelse", "Hjemvisning"], "hjemvist"),
        (["Afvisning", "Stadfæstelse"], "stadfaestet"),
        (["Afvisning", "Afvisning"], "afvist"),
        (["Stadfæstelse", "Ophævelse", "Hjemvisning"], "ophaevet"),
        (["Ophævelse", "Ændring", "Afvisning"], "aendret"),
        (["Afvisning", "Hjemvisning"], "hjemvist"),
    ],
)
def test_partial_decisions_collapse_by_precedence(
    tmp_path: Path, parts: list[str], outcome: str
) -> None:
    rows = [["S1", 751, "01-03-2023", "SEL § 83", part] for part in parts]
    row = count_row(case_dataset(tmp_path, rows).counts, kommunekode=751)
    counted = {c: int(row[c]) for c in ("stadfaestet", "hjemvist", "aendret", "ophaevet")}
    counted["afvist"] = int(row["afvist"])
    assert counted == {c: int(c == outcome) for c in counted}
    assert row["aendret_ophaevet"] == counted["aendret"] + counted["ophaevet"]
    assert row["aar"] == 2023


def test_cases_are_counted_per_case_in_socialomraadet_and_handicap_area(tmp_path: Path) -> None:
    rows = [
        ["A", 751, "01-03-2023", "SEL § 41", "Hjemvisning"],
        ["A", 751, "01-03-2023", "SEL § 41", "Stadfæstelse"],
        ["A", 751, "01-03-2023", "SEL § 41", "Stadfæstelse"],
        ["B", 751, "2023-06-30", "SEL § 41", "Afvisning"],
        ["B", 751, "2023-06-30", "SEL § 41", "Stadfæstelse"],
        ["C", 751, "15.11.2023", "SEL § 41", "Afvisning"],
        ["C", 751, "15.11.2023", "SEL § 41", "Afvisning"],
        ["D", 751, "02/01/2024", "BL § 86", "Ændring"],
        ["D", 751, "02/01/2024", "BL § 86", "Hjemvisning"],
        ["E", 751, "01-03-2023", "SEL § 83", "Ophævelse"],
    ]
    counts = case_dataset(tmp_path, rows).counts
    sel41 = {"aar": 2023, "paragraf": "SEL § 41"}
    for area in ("socialomraadet", "boernehandicap"):
        row = count_row(counts, omraade=area, **sel41)
        assert (row["stadfaestet"], row["hjemvist"], row["aendret_ophaevet"], row["afvist"]) == (
            1,
            1,
            0,
            1,
        )
        assert count_row(counts, omraade=area, aar=2024)["aendret"] == 1
    assert count_row(counts, paragraf="SEL § 83")["omraade"] == "socialomraadet"
    assert count_row(counts, paragraf="SEL § 83")["ophaevet"] == 1
    assert len(counts) == 5


def test_decision_date_gives_the_year(tmp_path: Path) -> None:
    rows = [["S1", 751, "01-03-2023", "SEL § 41", "Hjemvisning"]]
    cases = omglib.read_cases(write_csv(tmp_path, CASES_HEADER, rows))
    assert cases.partial_decisions["aar"].tolist() == [2023]
    assert cases.partial_decisions["paragraf"].tolist() == ["SEL § 41"]
    assert cases.partial_decisions["udfald"].tolist() == ["hjemvist"]


def test_read_data_recognises_a_case_level_file(tmp_path: Path) -> None:
    rows = [
        ["S1", 461, "01-03-2023", "SEL § 83", "Stadfæstelse"],
        ["S1", 461, "01-03-2023", "SEL § 83", "Hjemvisning"],
        ["S2", 461, "01-03-2023", "SEL § 83", "Stadfæstelse"],
    ]
    counts = omglib.read_data(write_csv(tmp_path, CASES_HEADER, rows)).counts
    assert outcome_counts(counts, kommunekode=461, omraade="socialomraadet") == (1, 1, 0)


def test_xlsx_case_file_with_real_date_cells(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path,
        CASES_HEADER,
        [
            ["S1", 751, dt.datetime(2023, 3, 1), "SEL § 41", "Hjemvisning"],
            ["S1", 751, dt.datetime(2023, 3, 1), "SEL § 41", "Stadfæstelse"],
        ],
    )
    cases = omglib.read_cases(path)
    assert cases.partial_decisions["aar"].tolist() == [2023, 2023]


# --- 5. volumes -------------------------------------------------------------------------


def test_read_volumes(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        ["År", "Kommune", "Område", "Antal afgørelser", "Klager modtaget"],
        [
            [2023, "Aarhus", "Socialområdet", "12.345", 250],
            [2023, "Aarhus", "Børnehandicap", "1.000", 40],
            [2024, "0101", "Voksenhandicapområdet", 900, "12"],
        ],
    )
    volumes = omglib.read_volumes(path)
    frame = volumes.frame
    assert frame.columns.tolist() == [
        "aar",
        "kommunekode",
        "omraade",
        "afgoerelser_i_alt",
        "klager_modtaget",
    ]
    assert frame.values.tolist() == [
        [2023, 751, "socialomraadet", 12345, 250],
        [2023, 751, "boernehandicap", 1000, 40],
        [2024, 101, "voksenhandicap", 900, 12],
    ]
    assert volumes.provenance.file == "data.csv"


def test_read_volumes_duplicate_key(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        VOLUMES_HEADER,
        [
            [2023, 751, "Socialområdet", 100, 10],
            [2023, 101, "Socialområdet", 100, 10],
            [2023, 751, "socialområdet", 200, 20],
        ],
        name="volumen.csv",
    )
    problem = only_problem(data_error(omglib.read_volumes, path))
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "volumen.csv",
        5,
        "Område",
        "socialområdet",
    )
    assert "række 3" in problem.message


# --- 6. the packaged demo data ------------------------------------------------------------

OUTCOME_COLUMNS = ["stadfaestet", "hjemvist", "aendret_ophaevet", "afvist"]
KEY = ["aar", "kommunekode", "omraade", "paragraf"]


@pytest.fixture(scope="module")
def demo_cases() -> Dataset:
    return omglib.cases_to_dataset(omglib.read_cases(omglib.demodata.packaged_file("sager")))


def test_demo_data_covers_every_kommune_year_and_area(demo: Dataset) -> None:
    assert sorted(demo.counts["kommunekode"].unique()) == registry.all_kommune_codes()
    assert demo.counts["kommunekode"].nunique() == 98
    assert demo.years() == list(range(2017, 2025))
    assert demo.areas() == ["boernehandicap", "socialomraadet", "voksenhandicap"]
    assert demo.provenance.synthetic is True
    assert demo.provenance.file == "afgoerelser.csv"
    assert demo.national.empty


def test_demo_cases_collapse_to_the_aggregated_demo_counts(
    demo: Dataset, demo_cases: Dataset
) -> None:
    assert demo_cases.provenance.synthetic is True
    kommuner = sorted(demo_cases.counts["kommunekode"].unique())
    years = sorted(demo_cases.counts["aar"].unique())
    assert kommuner == sorted(omglib.demodata.CASE_KOMMUNER)
    assert years == list(omglib.demodata.CASE_YEARS)
    aggregated = demo.counts[
        demo.counts["kommunekode"].isin(kommuner) & demo.counts["aar"].isin(years)
    ]
    expected = aggregated[KEY + OUTCOME_COLUMNS].sort_values(KEY, ignore_index=True)
    actual = demo_cases.counts[KEY + OUTCOME_COLUMNS].sort_values(KEY, ignore_index=True)
    assert set(actual["omraade"]) == {"socialomraadet", "boernehandicap", "voksenhandicap"}
    assert {"SEL § 41", "BL § 86", "SEL § 96"} <= set(actual["paragraf"])
    assert len(actual) > 100
    pd.testing.assert_frame_equal(actual, expected, check_dtype=False)
