"""The kommune's running figure from its own register: the year so far, per quarter,
against the same months of last year, and the full-year forecast at last year's pace."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from pathlib import Path

import pytest

from omglib import OmgError, read_cases
from omglib.learning.running import running_figures
from tests.helpers.files import write_csv

HEADER = ("Sags-id", "Kommunekode", "Afgørelsesdato", "Paragraf", "Udfald")


def register(tmp_path: Path, decisions: list[tuple[str, str]], kommune: int = 707) -> Path:
    """One case per (date, outcome), all under BL § 86 (børnehandicap)."""
    rows = [
        (f"S{number:04d}", kommune, day, "BL § 86", outcome)
        for number, (day, outcome) in enumerate(decisions)
    ]
    return write_csv(tmp_path, HEADER, rows, name="sager.csv", title=None)


LAST_YEAR = [
    ("2024-02-10", "Hjemvisning"),
    ("2024-03-05", "Stadfæstelse"),
    ("2024-05-20", "Stadfæstelse"),
    ("2024-06-30", "Stadfæstelse"),
    ("2024-08-15", "Ændring"),
    ("2024-10-01", "Stadfæstelse"),
    ("2024-11-11", "Stadfæstelse"),
    ("2024-12-20", "Hjemvisning"),
]
THIS_YEAR = [
    ("2025-01-15", "Hjemvisning"),
    ("2025-02-03", "Ændring"),
    ("2025-04-22", "Stadfæstelse"),
    ("2025-05-02", "Hjemvisning"),
    ("2025-06-30", "Afvisning"),
]


def test_a_register_ending_30_june_gives_the_year_so_far_and_its_quarters(tmp_path: Path) -> None:
    cases = read_cases(register(tmp_path, LAST_YEAR + THIS_YEAR))
    figures = running_figures(cases, "Norddjurs", "boernehandicap", 2025)
    assert figures.until == dt.date(2025, 6, 30)
    assert (figures.so_far["omgjort"], figures.so_far["realitetsbehandlede"]) == (3, 4)
    assert figures.quarters["kvartal"].tolist() == [1, 2]
    assert figures.quarters["omgjort"].tolist() == [2, 1]
    assert figures.quarters["realitetsbehandlede"].tolist() == [2, 2]
    assert figures.last_year is not None
    assert (figures.last_year["omgjort"], figures.last_year["realitetsbehandlede"]) == (1, 4)
    assert figures.change is not None and figures.change.direction == "none"  # 3/4 vs 1/4
    assert figures.forecast is not None
    assert figures.forecast.expected_remaining == 4  # last year after 30 June
    assert figures.forecast.lower <= 3 / 4 <= figures.forecast.upper


def test_the_same_period_last_year_ends_on_the_same_day(tmp_path: Path) -> None:
    cases = read_cases(register(tmp_path, LAST_YEAR + THIS_YEAR))
    figures = running_figures(cases, 707, "boernehandicap", 2025, until=dt.date(2025, 3, 31))
    assert figures.last_year is not None
    assert figures.last_year["realitetsbehandlede"] == 2  # 10 February and 5 March 2024
    assert figures.quarters["kvartal"].tolist() == [1]


def test_a_year_with_no_cases_yet_has_no_rate_but_a_forecast(tmp_path: Path) -> None:
    others = [("2025-03-01", "Stadfæstelse")]
    path = register(tmp_path, LAST_YEAR)
    text = path.read_text(encoding="utf-8") + "".join(
        f"X{n};751;{day};BL § 86;{outcome}\n" for n, (day, outcome) in enumerate(others)
    )
    path.write_text(text, encoding="utf-8")
    figures = running_figures(read_cases(path), 707, "boernehandicap", 2025)
    assert figures.so_far["realitetsbehandlede"] == 0
    assert math.isnan(figures.so_far["omgoerelsesprocent"])
    assert figures.until == dt.date(2025, 3, 1)  # the register ends with another kommune's case
    assert figures.forecast is not None and figures.forecast.expected_remaining == 7
    assert figures.forecast.lower == 0.0 and figures.forecast.upper == 1.0


def test_without_last_year_there_is_no_comparison_or_forecast(tmp_path: Path) -> None:
    figures = running_figures(
        read_cases(register(tmp_path, THIS_YEAR)), 707, "boernehandicap", 2025
    )
    assert figures.last_year is None and figures.change is None and figures.forecast is None


def test_a_register_without_decision_dates_is_a_danish_error(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        ("Sags-id", "Kommunekode", "År", "Paragraf", "Udfald"),
        [("S1", 707, 2025, "BL § 86", "Hjemvisning")],
        title=None,
    )
    with pytest.raises(OmgError, match="ingen kolonne med afgørelsesdato"):
        running_figures(read_cases(path), 707, "boernehandicap", 2025)


def rates(*arguments: str) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from omglib.cli import main

    result = CliRunner().invoke(main, ["rates", *arguments])
    return result.exit_code, result.stdout, result.stderr


def test_omg_rates_on_a_register_ending_mid_year_says_so_and_forecasts(tmp_path: Path) -> None:
    path = register(tmp_path, LAST_YEAR + THIS_YEAR)
    alerts = tmp_path / "varsling.yaml"
    alerts.write_text("boernehandicap:\n  over: 20 %\n", encoding="utf-8")
    code, out, _ = rates(
        "--data", str(path), "--kommune", "Norddjurs", "--area", "boernehandicap",
        "--year", "2025", "--alerts", str(alerts),
    )  # fmt: skip
    assert code == 0
    assert "Løbende tal for 2025 til og med 30. juni 2025" in out
    assert "Omgørelsesprocent hidtil 75,0 % (3 af 4 sager;" in out
    assert "2. kvartal: 50,0 % (1 af 2 sager;" in out
    assert "Prognose for hele 2025: 75,0 %" in out and "ikke et resultat" in out
    assert "Varsel" not in out  # 3 of 4 is not significantly above 20 %


def test_omg_rates_on_a_whole_year_shows_no_running_figures(tmp_path: Path) -> None:
    code, out, _ = rates(
        "--data", str(register(tmp_path, LAST_YEAR)), "--kommune", "707",
        "--area", "boernehandicap", "--year", "2024",
    )  # fmt: skip
    assert code == 0 and "Løbende tal" not in out


def test_alert_rules_without_a_dated_register_are_refused() -> None:
    code, _, err = rates("--kommune", "707", "--area", "boernehandicap", "--year", "2024",
                         "--alerts", "varsling.yaml")  # fmt: skip
    assert code != 0 and "--alerts kræver et sagsregister med afgørelsesdatoer" in err


def test_omg_rates_key_figures_say_a_part_year_is_the_year_so_far(tmp_path: Path) -> None:
    """2025 to 30 June is not 2025: the heading, the trend and the change say so, in every
    output format, and a part year is never compared with a whole one."""
    path = str(register(tmp_path, LAST_YEAR + THIS_YEAR))
    where = ("--data", path, "--kommune", "707", "--area", "boernehandicap", "--year", "2025")
    code, out, _ = rates(*where)
    assert code == 0
    assert out.startswith("Norddjurs (707) – Børnehandicapområdet 2025 til og med 30. juni 2025\n")
    assert "\n2025*" in out and "* 2025 til og med 30. juni 2025: året er ikke slut." in out
    assert "Fra 2024 til 2025: sammenlign med samme periode af 2024 under Løbende tal" in out
    assert "ingen signifikant ændring" not in out
    code, out, _ = rates(*where, "--format", "json")
    record = json.loads(out)
    assert record["til_og_med"] == "2025-06-30"
    assert record["aendring_fra_aaret_foer"]["p_vaerdi"] is None
    code, out, _ = rates(*where, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["til_og_med"] for row in rows] == ["", "2025-06-30"]


def test_omg_rates_key_figures_of_a_whole_year_are_not_marked(tmp_path: Path) -> None:
    path = str(register(tmp_path, LAST_YEAR + THIS_YEAR))
    where = ("--data", path, "--kommune", "707", "--area", "boernehandicap", "--year", "2024")
    code, out, _ = rates(*where)
    assert code == 0 and "til og med" not in out and "*" not in out
    assert "til_og_med" not in json.loads(rates(*where, "--format", "json")[1])
    assert "til_og_med" not in rates(*where, "--format", "csv")[1]
