"""The `omg` command: outputs, the synthetic-data notice, and one clear line with exit
code 2 on any user error."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from omglib.cli import main

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_rates_on_demo_data_shows_counts_interval_verdict_and_notice() -> None:
    code, out, _ = run(
        "rates", "--kommune", "Norddjurs", "--area", "boernehandicap", "--year", "2023"
    )
    assert code == 0
    assert "Norddjurs (707) – Børnehandicapområdet 2023" in out
    assert "syntetiske demodata" in out
    assert "95 %-interval" in out and "Landsniveau" in out and "Vurdering af udviklingen" in out
    assert "som Ankestyrelsen realitetsbehandlede" in out and "blev afvist" in out


def test_rates_json_is_machine_readable_and_flags_synthetic_data() -> None:
    code, out, _ = run(
        "rates", "--kommune", "751", "--area", "socialområdet", "--year", "2022", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["kommune"] == "Aarhus" and data["syntetiske_data"] is True
    assert 0 < data["tal"]["omgoerelsesprocent"] < 1
    assert [row["aar"] for row in data["udvikling"]] == list(range(2017, 2023))  # up to 2022
    assert all(isinstance(row["omgjort"], int) for row in data["udvikling"])


def test_rates_for_all_kommuner_to_csv_file(tmp_path: Path) -> None:
    out_file = tmp_path / "ud" / "rates.csv"
    code, out, err = run(
        "rates",
        "--kommune",
        "all",
        "--area",
        "voksenhandicap",
        "--year",
        "2024",
        "--format",
        "csv",
        "--out",
        str(out_file),
    )
    assert code == 0 and "Skrev" in out and "syntetiske demodata" in err
    lines = out_file.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("bemaerkning,kommunekode,kommune,")
    assert all(line.startswith("Bemærk: Tallene er syntetiske demodata") for line in lines[1:])
    assert len(lines) == 1 + 98


def test_validate_prints_summary_for_good_files(tmp_path: Path) -> None:
    run("demo-data", str(tmp_path))
    code, out, _ = run("validate", *(str(p) for p in sorted(tmp_path.glob("*.csv"))))
    assert code == 0
    assert "afgoerelser.csv: OK" in out and "kommuner: 98" in out and "år: 2017–2024" in out
    assert "sager.csv: OK – delafgørelser" in out


def test_validate_lists_every_problem_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "tal.csv"
    bad.write_text(
        "År;Kommune;Område;Stadfæstelse;Hjemvisning;Ændring/ophævelse\n"
        "2023;Arhus;Børnehandicap;3;2;1\n"
        "2023;Norddjurs;Børnehandicap;-1;2;1\n",
        encoding="utf-8",
    )
    code, _, err = run("validate", str(bad))
    assert code == 2
    assert (
        "tal.csv, række 2, kolonne 'Kommune': 'Arhus': ukendt kommune – mente du Aarhus (751)?"
        in err
    )
    assert "tal.csv, række 3, kolonne 'Stadfæstelse': '-1': er negativ" in err


def test_user_errors_are_one_danish_line_with_exit_2() -> None:
    code, out, err = run(
        "rates", "--kommune", "Arhus", "--area", "boernehandicap", "--year", "2023"
    )
    assert code == 2
    assert err.strip() == "Fejl: Ukendt kommune 'Arhus' – mente du Aarhus (751)?"
    assert "Traceback" not in err + out


def test_missing_data_file_is_one_line(tmp_path: Path) -> None:
    code, _, err = run(
        "rates",
        "--data",
        str(tmp_path / "findes-ikke.csv"),
        "--kommune",
        "101",
        "--area",
        "boernehandicap",
        "--year",
        "2023",
    )
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "filen findes ikke" in err


def test_debug_shows_traceback() -> None:
    code, _, err = run(
        "--debug", "rates", "--kommune", "Arhus", "--area", "boernehandicap", "--year", "2023"
    )
    assert code == 2 and "Traceback" in err


def test_wrong_usage_is_one_danish_line_with_exit_2() -> None:
    code, _, err = run("rates", "--kommune", "707", "--area", "boernehandicap")
    assert code == 2
    assert err.strip() == "Fejl: mangler tilvalget '--year' – se 'omg --help'"
    code, _, err = run("rates", "--kommune", "707", "--area", "boernehandicap", "--year", "abc")
    assert code == 2 and "'abc' er ikke et helt tal (--year)" in err


def test_help_exits_0() -> None:
    code, out, _ = run("--help")
    assert code == 0 and "omgørelsesprocenter" in out
