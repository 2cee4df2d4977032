"""Every output made from the synthetic demo data says so — the text of `omg handleplan`,
the knowledge bank's CSV and XLSX, `omg rates` in each format — while machine-readable
output stays machine-readable: a CSV is a plain table (the notice in a column, and on
stderr), JSON counts are whole numbers."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from omglib import demodata, read_cases
from omglib.cli import main
from omglib.learning import analyses, handleplan
from omglib.learning.knowledgebank import COLUMNS, knowledge_bank
from omglib.present.danish import SYNTHETIC_NOTICE

ONE_KOMMUNE = ("--kommune", "Norddjurs", "--area", "boernehandicap", "--year", "2024")
ALL_KOMMUNER = ("--kommune", "all", "--area", "boernehandicap", "--year", "2024")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def real_counts(tmp_path: Path) -> Path:
    """A kommune's own counts file (no synthetic mark)."""
    path = tmp_path / "tal.csv"
    path.write_text(
        "År;Kommune;Område;Stadfæstelse;Hjemvisning;Ændring/ophævelse\n"
        "2023;Norddjurs;Børnehandicap;6;2;1\n"
        "2024;Norddjurs;Børnehandicap;5;3;2\n",
        encoding="utf-8",
    )
    return path


# --- omg handleplan -------------------------------------------------------------------------


def real_plan(tmp_path: Path) -> Path:
    """The demo plan without its opening comments, i.e. without the synthetic mark."""
    lines = handleplan.demo_file().read_text(encoding="utf-8").splitlines()
    path = tmp_path / "plan.yaml"
    path.write_text("\n".join(line for line in lines if not line.startswith("#")), "utf-8")
    return path


def test_handleplan_says_so_under_its_heading_when_plan_or_data_are_synthetic(
    tmp_path: Path,
) -> None:
    code, out, _ = run("handleplan", str(handleplan.demo_file()))
    assert code == 0 and out.splitlines()[1] == SYNTHETIC_NOTICE
    plan = real_plan(tmp_path)
    code, out, _ = run("handleplan", str(plan))  # measured on the demo data
    assert code == 0 and out.splitlines()[1] == SYNTHETIC_NOTICE
    code, out, _ = run("handleplan", str(plan), "--data", str(real_counts(tmp_path)))
    assert code == 0 and SYNTHETIC_NOTICE not in out


# --- the knowledge bank ---------------------------------------------------------------------


def demo_bank() -> analyses.LearningCases:
    return analyses.learning_cases(read_cases(demodata.packaged_file("sager")))


def test_knowledge_bank_csv_from_demo_cases_carries_the_notice_in_a_column() -> None:
    bank = knowledge_bank(demo_bank(), "Norddjurs")
    table = pd.read_csv(io.BytesIO(bank.csv_bytes()), sep=";", encoding="utf-8-sig")
    assert list(table.columns) == ["Bemærkning", *COLUMNS.values()]
    assert table["Bemærkning"].eq(SYNTHETIC_NOTICE).all() and len(table) == len(bank.table)


def test_knowledge_bank_xlsx_from_demo_cases_opens_with_the_notice(tmp_path: Path) -> None:
    bank = knowledge_bank(demo_bank(), "Norddjurs")
    saved = bank.save(tmp_path / "vidensbank.xlsx")
    assert pd.read_excel(saved, header=None).iat[0, 0] == SYNTHETIC_NOTICE  # the title row
    table = pd.read_excel(saved, header=1)
    assert list(table.columns) == ["Bemærkning", *COLUMNS.values()]
    assert len(table) == len(bank.table)


def test_knowledge_bank_from_real_cases_has_no_notice(tmp_path: Path) -> None:
    path = tmp_path / "sager.csv"
    path.write_text(
        "Sags-id;Kommunekode;Afgørelsesdato;Paragraf;Udfald;Læringspunkt\n"
        "S1;707;2024-02-01;BL § 86;Hjemvisning;Lægeerklæringen var for gammel.\n",
        encoding="utf-8",
    )
    bank = knowledge_bank(analyses.learning_cases(read_cases(path)), "Norddjurs")
    assert bank.csv_bytes().decode("utf-8-sig").startswith("År;")
    assert list(pd.read_excel(bank.save(tmp_path / "vidensbank.xlsx")).columns) == list(
        COLUMNS.values()
    )
    assert SYNTHETIC_NOTICE not in bank.csv_bytes().decode("utf-8-sig")


# --- omg rates ------------------------------------------------------------------------------


def test_rates_csv_on_stdout_is_a_plain_table_and_the_notice_goes_to_stderr() -> None:
    for selection in (ONE_KOMMUNE, ALL_KOMMUNER):
        code, out, err = run("rates", *selection, "--format", "csv")
        assert code == 0 and err == SYNTHETIC_NOTICE + "\n"
        table = pd.read_csv(io.StringIO(out))
        assert table.columns[0] == "bemaerkning" and table["bemaerkning"].eq(SYNTHETIC_NOTICE).all()
        assert "kommunekode" in table.columns and table["omgjort"].dtype == "int64"


def test_rates_csv_file_from_demo_data_says_so_and_real_data_do_not(tmp_path: Path) -> None:
    out_file = tmp_path / "rates.csv"
    code, _, err = run("rates", *ALL_KOMMUNER, "--format", "csv", "--out", str(out_file))
    assert code == 0 and SYNTHETIC_NOTICE in err
    assert len(pd.read_csv(out_file)) == 98
    data = real_counts(tmp_path)
    code, out, err = run("rates", "--data", str(data), *ONE_KOMMUNE, "--format", "csv")
    assert code == 0 and err == "" and out.startswith("aar,")


def test_rates_json_writes_counts_as_whole_numbers_and_the_notice() -> None:
    code, out, _ = run("rates", *ONE_KOMMUNE, "--format", "json")
    assert code == 0
    record = json.loads(out)
    assert record["syntetiske_data"] is True and record["bemaerkning"] == SYNTHETIC_NOTICE
    for counts in (record["tal"], record["landstal"], *record["udvikling"]):
        for key in ("aar", "stadfaestet", "hjemvist", "aendret_ophaevet", "omgjort"):
            assert type(counts[key]) is int, (key, counts[key])
    for key in ("afgoerelser_i_alt", "realitetsbehandlede", "afviste", "klager_modtaget"):
        assert type(record["volumen"][key]) is int
    assert type(record["tal"]["omgoerelsesprocent"]) is float

    code, out, _ = run("rates", *ALL_KOMMUNER, "--format", "json")
    document = json.loads(out)
    assert document["bemaerkning"] == SYNTHETIC_NOTICE
    first = document["kommuner"][0]
    assert type(first["omgjort"]) is int and type(first["realitetsbehandlede"]) is int
    assert first["vurdering"].endswith("landsniveau")  # worded, not an enum's repr
