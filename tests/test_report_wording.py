"""Danish that reads as a kommune writes it, kept fixed: provision names keep their case,
the national level is named once, rejected appeals say they are not counted, one
decimal on percentages, the share of decisions Ankestyrelsen treated on their merits
(the rejected appeals apart), the change in complaints, and error messages that end a
sentence before the list of what was expected."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from omglib import registry
from omglib.cli import main
from omglib.comparisons import outcome_distribution
from omglib.dataset import Dataset, Provenance, Volumes
from omglib.errors import DataError
from omglib.figures import key_figures
from omglib.geo.classify import classify_change
from omglib.learning import analyses
from omglib.learning.handleplan import read_action_plan
from omglib.learning.knowledgebank import knowledge_bank
from omglib.names import did_you_mean
from omglib.present import briefing, charts, danish, narrative, sentences
from omglib.recommendation import recommend_all
from omglib.stats import SignificanceResult, Verdict
from tests.helpers.data import counts_dataset

NORDDJURS = 707
FREDERIKSSUND = 250


def test_a_provision_keeps_its_case_in_running_text(demo: Dataset) -> None:
    assert registry.area_text("SEL § 159") == "SEL § 159"
    assert registry.area_text("boernehandicap") == "børnehandicapområdet"
    key = key_figures(demo, "Norddjurs", "SEL § 159", 2023)
    texts = [
        str(sentences.headline(key)),
        narrative.kommune_report_heading("Norddjurs", "SEL § 159", 2023),
        charts.trend(key).description,
    ]
    for text in texts:
        assert "SEL § 159" in text and "sel §" not in text, text


def test_the_national_level_is_named_once() -> None:
    above = SignificanceResult(0.01, "higher", Verdict.ABOVE_REFERENCE)
    same = SignificanceResult(0.4, "none", Verdict.SAME_AS_REFERENCE)
    none = SignificanceResult(float("nan"), "none", Verdict.NO_CASES)
    assert danish.national_comparison(above, 0.41) == "Signifikant over landsniveauet på 41,0 %."
    assert danish.national_comparison(same, 0.41) == (
        "Ikke signifikant forskellig fra landsniveauet på 41,0 %."
    )
    assert danish.national_comparison(none, 0.41) == (
        "Landsniveau 41,0 %: kan ikke vurderes (ingen realitetsbehandlede sager)."
    )


def test_rejected_appeals_say_they_are_not_counted(demo: Dataset) -> None:
    shares = outcome_distribution(demo, "Norddjurs", "boernehandicap", 2024)
    assert "Afvist (indgår ikke)" in set(shares["udfald"])
    description = charts.outcomes(shares).description
    assert "afvist (indgår ikke)" in description


def test_the_change_map_legend_says_procentpoint() -> None:
    changes = pd.Series([-0.2, -0.07, 0.0, 0.07, 0.2])
    flags = pd.Series([False] * 5)
    legend = [label for label, _ in classify_change(changes, flags, flags).legend]
    assert all(label.endswith("procentpoint") for label in legend[:5]), legend


def test_the_other_social_area_is_named_as_a_kommune_writes_it() -> None:
    from omglib.inputs import cases_or_demo

    table = cases_or_demo("", "")
    assert table is not None
    bank = knowledge_bank(analyses.learning_cases(table), "Norddjurs")
    assert "Det øvrige socialområde" in set(bank.table["omraade"])


# --- the kommune's own volumes --------------------------------------------------------


def frederikssund() -> tuple[Dataset, Volumes]:
    """A kommune's breakdown as Frederikssund writes it: 337 decisions, 34 treated by
    Ankestyrelsen on their merits, 16 of them overturned, 3 appeals rejected; 15
    complaints the year before, 8 this year."""
    data = counts_dataset(
        [(2023, FREDERIKSSUND, "boernehandicap", 18, 10, 6, 3)],
        columns=(
            "aar",
            "kommunekode",
            "omraade",
            "stadfaestet",
            "hjemvist",
            "aendret_ophaevet",
            "afvist",
        ),
    )
    volumes = Volumes(
        pd.DataFrame(
            {
                "aar": [2022, 2023],
                "kommunekode": [FREDERIKSSUND] * 2,
                "omraade": ["boernehandicap"] * 2,
                "afgoerelser_i_alt": [300, 337],
                "klager_modtaget": [15, 8],
            }
        ),
        Provenance("volumen.csv", "cd" * 32),
    )
    return data, volumes


def test_appeal_share_is_the_share_treated_on_its_merits_with_rejections_apart() -> None:
    data, volumes = frederikssund()
    lines = sentences.volume_lines(
        key_figures(data, FREDERIKSSUND, "boernehandicap", 2023, volumes)
    )
    assert lines == [
        "Kommunens afgørelser i alt: 337",
        "Andel af kommunens afgørelser, som Ankestyrelsen realitetsbehandlede: 10,1 % "
        "(34 af 337 afgørelser); 3 klager blev afvist og indgår ikke i omgørelsesprocenten",
        "Andel af kommunens afgørelser, der blev omgjort: 4,7 % (16 af 337 afgørelser)",
        "Klager modtaget i kommunen: 8 klager i 2023 mod 15 i 2022 (-47 %)",
    ]


def test_rates_shows_the_change_in_complaints(tmp_path: Path) -> None:
    counts = tmp_path / "tal.csv"
    counts.write_text(
        "År;Kommune;Område;Stadfæstelse;Hjemvisning;Ændring/ophævelse;Afvisning/henvisning\n"
        "2021;Ishøj;Børnehandicap;6;3;1;0\n"
        "2022;Ishøj;Børnehandicap;5;2;1;1\n",
        encoding="utf-8",
    )
    own = tmp_path / "volumen.csv"
    own.write_text(
        "År;Kommune;Område;Afgørelser i alt;Klager modtaget\n"
        "2021;Ishøj;Børnehandicap;120;15\n"
        "2022;Ishøj;Børnehandicap;110;8\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main,
        [
            *("rates", "--data", str(counts), "--volumes", str(own), "--kommune", "Ishøj"),
            *("--area", "boernehandicap", "--year", "2022"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Klager modtaget i kommunen: 8 klager i 2022 mod 15 i 2021 (-47 %)" in result.stdout
    assert "1 klage blev afvist og indgår ikke" in result.stdout


WHOLE_PERCENT = re.compile(r"(?<![\d,])\d+ %")
"""A percentage without its decimal ("64 %"), which report text never shows for a rate."""


def test_percentages_have_one_decimal_in_report_text(demo: Dataset) -> None:
    key = key_figures(demo, "Norddjurs", "boernehandicap", 2024)
    texts = [
        str(briefing.case_summary([key])),
        str(briefing.assessment([key], recommend_all([key]))),
        str(sentences.headline(key)),
        *sentences.volume_lines(key),
    ]
    for text in texts:
        assert not WHOLE_PERCENT.search(text.replace("95 %-interval", "")), text


# --- error messages -------------------------------------------------------------------


def test_a_list_of_what_was_expected_starts_its_own_sentence(tmp_path: Path) -> None:
    assert did_you_mean(None) == "."
    assert did_you_mean("status") == " – mente du 'status'?"
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        textwrap.dedent(
            """\
            kommune: Norddjurs
            zzzz: 1
            handlinger:
              - emne: A
                maal: B
                hvad: C
                fra: 2024-01-01
                til: 2024-12-31
                ansvarlig: D
                status: qqqq
            """
        ),
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        read_action_plan(plan)
    message = str(caught.value)
    assert "ukendt felt 'zzzz'. Kendte felter:" in message
    assert "ukendt status 'qqqq'. Forventede" in message
