"""The running figures in the reports: the follow-up report's section "Løbende tal for
<år>" from a register that ends inside a year, against last year and the latest national
figure, and the kommune's alerts at the top of the follow-up report and briefing pack."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from omglib import DataError
from omglib.cli import main
from omglib.figures import national_by_year
from omglib.inputs import data_or_demo
from omglib.learning import followup
from omglib.present import danish
from omglib.present.display import Html, Markdown
from omglib.reports.parameters import build_request
from tests.helpers.files import write_csv
from tests.test_alerts import HIGH_THIS_YEAR, rules_file
from tests.test_running import LAST_YEAR, THIS_YEAR, register

FIRING = "boernehandicap:\n  over: 40 %\nvoksenhandicap:\n  over: 10 %\n"


def follow_up(tmp_path: Path, decisions: list[tuple[str, str]]) -> followup.FollowUpInputs:
    """Norddjurs' follow-up inputs with `decisions` as its register (no action plan)."""
    return followup.load("Norddjurs", "", register(tmp_path, decisions), "")


def test_a_register_ending_mid_2025_gives_the_2024_report_a_running_section(
    tmp_path: Path,
) -> None:
    data = data_or_demo(None)
    section = followup.running(
        follow_up(tmp_path, LAST_YEAR + THIS_YEAR), data, "boernehandicap", 2024
    )
    assert isinstance(section, Markdown)
    text = section._repr_markdown_()
    assert text.startswith("## Løbende tal for 2025\n")
    assert "(sager.csv) til og med 30. juni 2025" in text
    assert "- Omgørelsesprocent hidtil 75,0 % (3 af 4 sager;" in text
    assert "- Samme periode 2024: 25,0 % (1 af 4 sager)" in text
    assert "- 2. kvartal: 50,0 % (1 af 2 sager;" in text
    national = national_by_year(data, "boernehandicap").iloc[-1]
    counts = danish.format_counts(int(national["omgjort"]), int(national["realitetsbehandlede"]))
    assert f"- Mod seneste landstal ({int(national['aar'])}, {counts}): " in text
    assert "ikke et resultat" in text


def test_the_national_figure_is_judged_by_the_test_not_the_difference(tmp_path: Path) -> None:
    data = data_or_demo(None)
    section = followup.running(
        follow_up(tmp_path, LAST_YEAR + HIGH_THIS_YEAR), data, "boernehandicap", 2025
    )
    assert section is not None
    assert re.search(
        r"Mod seneste landstal \(\d{4}, [^)]*\): Signifikant over landsniveauet",
        section._repr_markdown_(),
    )
    few = followup.running(follow_up(tmp_path, LAST_YEAR + THIS_YEAR), data, "boernehandicap", 2025)
    assert (
        few is not None and "Ikke signifikant forskellig fra landsniveauet" in few._repr_markdown_()
    )


def test_no_running_section_for_a_register_of_whole_years_or_without_dates(tmp_path: Path) -> None:
    data = data_or_demo(None)
    assert followup.running(follow_up(tmp_path, LAST_YEAR), data, "boernehandicap", 2024) is None
    demo = followup.load("Norddjurs")  # the demo register ends 30 December 2024
    assert followup.running(demo, data, "boernehandicap", 2024) is None
    undated = write_csv(
        tmp_path,
        ("Sags-id", "Kommunekode", "År", "Paragraf", "Udfald"),
        [("S1", 707, 2025, "BL § 86", "Hjemvisning")],
        name="udateret.csv",
        title=None,
    )
    inputs = followup.load("Norddjurs", "", undated, "")
    assert followup.running(inputs, data, "boernehandicap", 2025) is None


def test_an_alert_that_fires_is_a_notice_naming_area_rate_and_threshold(tmp_path: Path) -> None:
    inputs = follow_up(tmp_path, LAST_YEAR + HIGH_THIS_YEAR)
    rules = rules_file(tmp_path, FIRING)
    notice = followup.alerts(inputs, ["socialomraadet", "boernehandicap"], 2024, rules)
    assert isinstance(notice, Html)
    html = notice._repr_html_()
    assert html.startswith('<div class="omg-notice" role="alert"><p>Varsel: børnehandicapområdet')
    assert "100,0 % (18 af 18 sager), signifikant over kommunens grænse på 40 %." in html
    assert "voksenhandicap" not in html  # a rule for an area the report does not cover
    assert followup.alerts(inputs, ["boernehandicap"], 2024, "") is None


def test_an_alert_that_does_not_fire_shows_nothing(tmp_path: Path) -> None:
    inputs = follow_up(tmp_path, LAST_YEAR + THIS_YEAR)  # 3 of 4: not significantly over 40 %
    assert followup.alerts(inputs, ["boernehandicap"], 2024, rules_file(tmp_path, FIRING)) is None


def test_alert_rules_that_cannot_be_used_say_why(tmp_path: Path) -> None:
    rules = rules_file(tmp_path, FIRING)
    note = followup.alerts(follow_up(tmp_path, LAST_YEAR), ["boernehandicap"], 2024, rules)
    assert isinstance(note, Markdown)
    assert note._repr_markdown_() == (
        "*Varslingsreglerne i varsling.yaml er ikke brugt: sagsfilens sidste afgørelse er fra "
        "20. december 2024, så der er ingen løbende tal for 2024 eller et senere år, der ikke "
        "er slut, at varsle om.*"
    )
    no_cases = followup.FollowUpInputs(707, None, None)
    note = followup.alerts(no_cases, ["boernehandicap"], 2024, rules)
    assert (
        isinstance(note, Markdown)
        and "kræver en sagsfil med afgørelsesdatoer" in note._repr_markdown_()
    )


def test_a_request_checks_the_alert_rules_before_any_report_runs(tmp_path: Path) -> None:
    broken = rules_file(tmp_path, "boernehandicp:\n  over: 40 %\n")
    options = {"notebook": "opfoelgning", "kommune": "Norddjurs", "area": "boernehandicap",
               "year": 2024, "alerts": str(broken)}  # fmt: skip
    with pytest.raises(DataError, match="mente du 'boernehandicap'"):
        build_request(options, "kommandolinjen", data_or_demo)
    options |= {"notebook": "kommunerapport", "alerts": str(rules_file(tmp_path, FIRING))}
    with pytest.raises(DataError, match="gælder kun opfoelgning og udvalgsbriefing"):
        build_request(options, "kommandolinjen", data_or_demo)


@pytest.mark.slow
def test_the_alert_tops_the_follow_up_report_and_the_briefing_pack(tmp_path: Path) -> None:
    cases = register(tmp_path, LAST_YEAR + HIGH_THIS_YEAR)
    rules = rules_file(tmp_path, FIRING)
    out = tmp_path / "ud"
    for notebook in ("opfoelgning", "udvalgsbriefing"):
        result = CliRunner().invoke(
            main,
            ["reports", "--notebook", notebook, "--kommune", "Norddjurs", "--area",
             "boernehandicap", "--year", "2024", "--cases", str(cases), "--alerts",
             str(rules), "--out", str(out), "--jobs", "1"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    follow = (out / "2024/boernehandicap/707-norddjurs-opfoelgning.html").read_text("utf-8")
    pack = (out / "2024/udvalgsbriefing/707-norddjurs.html").read_text("utf-8")
    for page in (follow, pack):
        alert = page.index('<div class="omg-notice" role="alert"><p>Varsel: børnehandicapområdet')
        assert alert < page.index("<h2")  # above every section
    assert "<h2>Løbende tal for 2025</h2>" in follow
    assert "Omgørelsesprocent hidtil 100,0 % (18 af 18 sager;" in follow


def test_the_footer_names_the_case_register_with_its_extract_date(tmp_path: Path) -> None:
    from omglib import read_cases
    from omglib.present import narrative

    rows = [(f"S{n}", 707, day, "BL § 86", outcome) for n, (day, outcome) in enumerate(THIS_YEAR)]
    header = ("Sags-id", "Kommunekode", "Afgørelsesdato", "Paragraf", "Udfald")
    title = "Norddjurs Kommunes sagsregister, udtrukket 1. juli 2025"
    path = write_csv(tmp_path, header, rows, name="register.csv", title=title)
    data = data_or_demo(None)
    footer = narrative.footer(data, {"year": 2025}, None, read_cases(path))._repr_html_()
    assert "register.csv, udtrukket 1. juli 2025 (SHA-256" in footer
    assert footer.index("afgoerelser.csv") < footer.index("register.csv")
    same = narrative.footer(data, {"year": 2025}, None, None)._repr_html_()
    assert "register.csv" not in same
