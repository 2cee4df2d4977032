"""A kommune's alert rule for its running figure: read with every problem placed by line
and field, and firing only when the running rate is significantly above what it names."""

from __future__ import annotations

from pathlib import Path

import pytest

from omglib import DataError, read_cases
from omglib.learning.alerts import AreaRule, fired, read_alert_rules
from omglib.learning.running import running_figures
from tests.test_running import LAST_YEAR, register


def rules_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "varsling.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_rules_are_read_per_area_in_any_spelling(tmp_path: Path) -> None:
    rules = read_alert_rules(
        rules_file(
            tmp_path,
            "Børnehandicapområdet:\n  over: 40 %\n  over_sidste_aar: ja\nsocialomraadet:\n  over: 0,35\n",
        )
    )
    assert rules == {
        "boernehandicap": AreaRule("boernehandicap", 0.40, True),
        "socialomraadet": AreaRule("socialomraadet", 0.35, False),
    }


def test_every_problem_is_named_by_line_and_field(tmp_path: Path) -> None:
    text = (
        "boernehandicp:\n  over: 40 %\n"  # line 1: misspelt area
        "voksenhandicap:\n  ovr: 40 %\n"  # line 4: misspelt field
        "socialomraadet:\n  over: 140 %\n  over_sidste_aar: måske\n"  # lines 6 and 7
    )
    with pytest.raises(DataError) as caught:
        read_alert_rules(rules_file(tmp_path, text))
    message = str(caught.value)
    assert "linje 1" in message and "mente du 'boernehandicap'?" in message
    assert "linje 4" in message and "ukendt felt 'ovr'" in message and "mente du 'over'?" in message
    assert "linje 6" in message and "'140 %' skal ligge mellem 0 % og 100 %" in message
    assert "linje 7" in message and "ukendt svar 'måske'" in message


def test_a_rule_without_thresholds_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(
        DataError, match="reglen for boernehandicap mangler over eller over_sidste_aar"
    ):
        read_alert_rules(rules_file(tmp_path, "boernehandicap: {}\n"))


HIGH_THIS_YEAR = [(f"2025-0{m}-1{d}", "Ændring") for m in range(1, 7) for d in range(3)]


def test_the_rule_fires_when_the_running_rate_is_significantly_above(tmp_path: Path) -> None:
    cases = read_cases(register(tmp_path, LAST_YEAR + HIGH_THIS_YEAR))
    figures = running_figures(cases, 707, "boernehandicap", 2025)
    alerts = fired(figures, AreaRule("boernehandicap", over=0.40, over_last_year=True))
    assert [alert.text for alert in alerts] == [
        "Varsel: børnehandicapområdet har en løbende omgørelsesprocent på 100,0 % (18 af 18 "
        "sager), signifikant over kommunens grænse på 40 %.",
        "Varsel: børnehandicapområdet har en løbende omgørelsesprocent på 100,0 % (18 af 18 "
        "sager), signifikant over samme periode sidste år (1 af 3 sager).",
    ]


def test_the_rule_does_not_fire_on_a_few_cases_that_may_be_chance(tmp_path: Path) -> None:
    few = [("2025-02-01", "Ændring"), ("2025-03-01", "Hjemvisning"), ("2025-04-01", "Stadfæstelse")]
    cases = read_cases(register(tmp_path, LAST_YEAR + few))
    figures = running_figures(cases, 707, "boernehandicap", 2025)
    assert figures.so_far["omgoerelsesprocent"] > 0.40  # 2 of 3: above, but not significantly
    assert fired(figures, AreaRule("boernehandicap", over=0.40, over_last_year=True)) == []
