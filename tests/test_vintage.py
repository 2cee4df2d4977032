"""The extract date a file states: read into its tables' provenance (the spellings read,
where in the file, what is left alone and what is an error) and shown by `omg rates`
and `omg validate`. The reports' footer and the map: `test_render`, `test_map`; the
manifest and fingerprint: `test_fingerprint`.

Every file is built in the test (`tests.helpers.files`): a title line above the header,
as users' exports have it, and sometimes a source line below the table, as
Ankestyrelsen's statistics portal writes it (`tests.helpers.portal`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from click.testing import CliRunner

import omglib
from omglib import demodata
from omglib.cli import main
from tests.helpers.files import data_error, only_problem, write_csv, write_xlsx
from tests.helpers.portal import portal_xlsx

HEADER = ["År", "Kommune", "Område", "Stadfæstelse", "Hjemvisning", "Ændring/ophævelse"]
ROWS = [[2023, "Aarhus", "Socialområdet", 5, 4, 3]]
CASES_HEADER = ["Sags-id", "Kommunekode", "Afgørelsesdato", "Paragraf", "Udfald"]
CASES_ROWS = [["S1", 751, "2023-03-01", "SEL § 41", "Hjemvisning"]]
VOLUMES_HEADER = ["År", "Kommunekode", "Område", "Afgørelser i alt"]
VOLUMES_ROWS = [[2023, 751, "Socialområdet", 1000]]
SEVENTH_FEBRUARY = dt.date(2023, 2, 7)


def extract_date(tmp_path: Path, title: str | None, footer: str | None = None) -> dt.date | None:
    path = write_csv(tmp_path, HEADER, ROWS, title=title, footer=footer)
    return omglib.read_counts(path).provenance.extract_date


@pytest.mark.parametrize(
    "title",
    [
        "Kilde: Ankestyrelsen, udtræk pr. 7. februar 2023",
        "Opgjort pr. 7. februar 2023",
        "Data trukket 2023-02-07",
        "07.02.2023",
        "7/2-2023",
        "7.2.2023",
        "07-02-2023",
        "Omgørelser pr. kommune, udtrukket 7 feb. 2023",
        "Udtræksdato: 7/2 2023",
        "OPGJORT PR. 7. FEBRUAR 2023 for perioden 1.1.2022-31.12.2022",
        "Statistik for 1. januar-31. december 2022, udtrukket den 7. februar 2023.",
    ],
)
def test_extract_date_in_the_title_line(tmp_path: Path, title: str) -> None:
    assert extract_date(tmp_path, title) == SEVENTH_FEBRUARY


@pytest.mark.parametrize(
    "title",
    [
        None,
        "Omgørelser i Ankestyrelsen pr. kommune",
        "Syntetiske demodata fra omglib (seed 20250601) – ikke virkelige tal fra Ankestyrelsen",
        "Omgørelser 2023",
    ],
)
def test_no_date_no_extract_date_and_no_note(tmp_path: Path, title: str | None) -> None:
    path = write_csv(tmp_path, HEADER, ROWS, title=title)
    dataset = omglib.read_counts(path)
    assert dataset.provenance.extract_date is None
    assert not [note for note in dataset.notes if "udtræksdato" in note]


def test_packaged_demo_files_state_no_extract_date() -> None:
    for name in ("afgoerelser", "volumener", "sager"):
        title = demodata.packaged_file(name).read_text(encoding="utf-8").splitlines()[0]
        assert title.startswith("Syntetiske demodata fra omglib")
    assert omglib.read_data(demodata.packaged_file("afgoerelser")).provenance.extract_date is None


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("Omgørelser 1.1.2023–31.12.2023", "'1.1.2023' står ikke som udtrækkets dato"),
        ("Tal for 31. februar 2023", "'31. februar 2023' står ikke som udtrækkets dato"),
        ("Udtrukket februar 2023", "'Udtrukket' står uden en dato efter sig"),
        ("Data trukket 2023-02-07T10:15", "'trukket' står uden en dato efter sig"),
    ],
)
def test_a_date_out_of_place_is_no_extract_date_but_a_note(
    tmp_path: Path, title: str, shown: str
) -> None:
    path = write_csv(tmp_path, HEADER, ROWS, title=title)
    dataset = omglib.read_counts(path)
    assert dataset.provenance.extract_date is None
    assert f"Ingen udtræksdato læst i række 1: {shown}" in "\n".join(dataset.notes)


def test_the_note_quotes_the_date_or_word_never_the_line(tmp_path: Path) -> None:
    path = write_csv(tmp_path, HEADER, ROWS, title="Udtrukket af 010190-1234")
    notes = "\n".join(omglib.read_counts(path).notes)
    assert "'Udtrukket' står uden en dato" in notes
    assert "010190" not in notes


@pytest.mark.parametrize(
    ("title", "value", "reason"),
    [
        ("Opgjort pr. 31. februar 2023", "31. februar 2023", "findes ikke i kalenderen"),
        ("Data trukket 2023-02-30", "2023-02-30", "findes ikke i kalenderen"),
        ("Udtrukket 7.13.2023", "7.13.2023", "findes ikke i kalenderen"),
        ("31.02.2023", "31.02.2023", "findes ikke i kalenderen"),
        ("Udtrukket 7/2/2023", "7/2/2023", "både som dag/måned/år og måned/dag/år"),
        ("Udtrukket 7.2.23", "7.2.23", "kun to cifre i årstallet"),
        ("Udtrukket 7.2-2023", "7.2-2023", "blander skilletegn"),
    ],
)
def test_an_extract_date_that_cannot_be_read_is_an_error(
    tmp_path: Path, title: str, value: str, reason: str
) -> None:
    path = write_csv(tmp_path, HEADER, ROWS, title=title)
    problem = only_problem(data_error(omglib.read_counts, path))
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "data.csv",
        1,
        None,
        value,
    )
    assert reason in problem.message
    assert "forventede en dato som 7. februar 2023" in problem.message
    assert str(problem).startswith(f"data.csv, række 1: '{value}': udtrækkets dato")


def test_a_source_line_below_the_table_states_it_too(tmp_path: Path) -> None:
    footer = "Kilde: Ankestyrelsen (ANKEAST3, udtrukket 1. marts 2024)"
    assert extract_date(tmp_path, "Omgørelser pr. kommune", footer) == dt.date(2024, 3, 1)


def test_two_different_extract_dates_are_an_error_at_the_second(tmp_path: Path) -> None:
    footer = "Kilde: Ankestyrelsen, udtrukket 1. marts 2024"
    path = write_csv(tmp_path, HEADER, ROWS, title="Opgjort pr. 7.2.2023", footer=footer)
    problem = only_problem(data_error(omglib.read_counts, path))
    assert (problem.row, problem.value) == (4, "1. marts 2024")
    assert "to forskellige udtræksdatoer" in problem.message and "'7.2.2023' i række 1" in str(
        problem
    )
    assert extract_date(tmp_path, "Opgjort pr. 1.3.2024", footer) == dt.date(2024, 3, 1)


def test_excel_title_row(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, HEADER, ROWS, title="Kilde: Ankestyrelsen, udtræk pr. 7/2-2023")
    assert omglib.read_counts(path).provenance.extract_date == SEVENTH_FEBRUARY


def test_excel_date_cell_beside_its_words_and_alone(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Data trukket", dt.datetime(2023, 2, 7, 9, 30)])
    sheet.append([dt.date(2023, 2, 7)])
    sheet.append(HEADER)
    sheet.append(ROWS[0])
    path = tmp_path / "data.xlsx"
    workbook.save(path)
    assert omglib.read_counts(path).provenance.extract_date == SEVENTH_FEBRUARY


def test_excel_impossible_date_names_the_sheet_row(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, HEADER, ROWS, title="Opgjort pr. 31. februar 2023", footer=None)
    problem = only_problem(data_error(omglib.read_counts, path))
    assert (problem.file, problem.row, problem.value) == ("data.xlsx", 1, "31. februar 2023")


def test_portal_export_states_it_below_the_wide_table(tmp_path: Path) -> None:
    dataset = omglib.read_counts(portal_xlsx(tmp_path))
    assert dataset.provenance.extract_date == dt.date(2024, 3, 1)


def test_case_files_and_volumes_record_it(tmp_path: Path) -> None:
    title = "Opgjort pr. 7. februar 2023"
    cases = write_csv(tmp_path, CASES_HEADER, CASES_ROWS, name="sager.csv", title=title)
    volumes = write_csv(tmp_path, VOLUMES_HEADER, VOLUMES_ROWS, name="vol.csv", title=title)
    assert omglib.read_cases(cases).provenance.extract_date == SEVENTH_FEBRUARY
    assert omglib.read_data(cases).provenance.extract_date == SEVENTH_FEBRUARY
    assert omglib.read_volumes(volumes).provenance.extract_date == SEVENTH_FEBRUARY
    undated = write_csv(tmp_path, VOLUMES_HEADER, VOLUMES_ROWS, name="u.csv", title="Tal")
    assert omglib.read_volumes(undated).provenance.extract_date is None


# --- omg rates and omg validate --------------------------------------------------------


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def rates(*options: str, kommune: str = "Aarhus") -> str:
    return cli("rates", *options, "--kommune", kommune, "--area", "socialomraadet")


def test_rates_source_line_names_the_extract_date(tmp_path: Path) -> None:
    title = "Kilde: Ankestyrelsen, udtræk pr. 7. februar 2023"
    options = ("--data", str(write_csv(tmp_path, HEADER, ROWS, title=title)), "--year", "2023")
    text = rates(*options)
    assert "\nKilde: data.csv (sha256 " in text and "), udtrukket 7. februar 2023\n" in text
    assert json.loads(rates(*options, "--format", "json"))["udtraeksdato"] == "2023-02-07"
    assert "udtrukket" not in rates(*options, kommune="all")  # no source line in this table
    every = json.loads(rates(*options, "--format", "json", kommune="all"))
    assert every["udtraeksdato"] == "2023-02-07"


def test_rates_source_line_says_when_the_file_states_none() -> None:
    text = rates("--year", "2024")
    assert "Kilde: afgoerelser.csv (sha256 " in text
    assert "), udtrækkets dato er ikke angivet i filen\n" in text
    assert json.loads(rates("--year", "2024", "--format", "json"))["udtraeksdato"] is None


def test_validate_summary_names_the_extract_date(tmp_path: Path) -> None:
    dated = write_csv(tmp_path, HEADER, ROWS, title="Opgjort pr. 7/2-2023", name="a.csv")
    undated = write_csv(tmp_path, HEADER, ROWS, title="Omgørelser", name="b.csv")
    out = cli("validate", str(dated), str(undated))
    assert "\n  udtrukket 7. februar 2023\n" in out.split("b.csv: OK")[0]
    assert "\n  udtrækkets dato er ikke angivet i filen\n" in out.split("b.csv: OK")[1]


def test_validate_names_file_line_and_value_of_an_impossible_extract_date(
    tmp_path: Path,
) -> None:
    path = write_csv(tmp_path, HEADER, ROWS, title="Opgjort pr. 31. februar 2023")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "data.csv, række 1: '31. februar 2023': udtrækkets dato findes ikke i kalenderen"
    )
