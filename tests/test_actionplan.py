"""Handleplan: validation with every problem by line and field, overdue actions, target
verdicts with known answers on hand-made data, rendering and contrast, before/after, the
demo plan and the `omg handleplan` command."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from omglib import demodata, read_data, read_volumes
from omglib.cli import main
from omglib.dataset import Dataset, Provenance, Volumes
from omglib.errors import DataError
from omglib.learning import handleplan, plantargets
from omglib.learning.handleplan import (
    Direction,
    Target,
    is_overdue,
    parse_threshold,
    read_action_plan,
)
from omglib.learning.plantargets import MeasureContext, Measurement, assess, register_figure
from omglib.learning.planview import before_after, plan_table, targets_table
from omglib.present.contrast import TEXT_MINIMUM, contrast_ratio
from omglib.reports.render import stylesheet
from tests.helpers.data import counts_dataset

NORDDJURS = 707
BH = "boernehandicap"

VALID = """\
kommune: Norddjurs
omraade: boernehandicap
vedtaget: 2024-03-12
handlinger:
  - emne: Oplysningsgrundlag
    maal: Færre hjemvisninger
    hvad:
      - Tjekliste for lægeerklæringer
      - Lønsedler før afgørelsen
    fra: 2024-04-01
    til: 2024-12-31
    ansvarlig: Afdelingsleder
    status: i gang
    maalepunkt:
      tal: omgoerelsesprocent
      aar: 2024
      under: 40 %
  - emne: Partshøring
    maal: Partshøring i alle sager
    hvad: Fast punkt i sagsgangen
    fra: 01-04-2024
    til: 31.03.2025
    ansvarlig: Koordinator
    status: gennemført
"""


def write(tmp_path: Path, text: str, name: str = "handleplan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(DataError) as caught:
        read_action_plan(write(tmp_path, text))
    return str(caught.value).splitlines()


def volumes(rows: list[tuple[int, int, str, int, int]]) -> Volumes:
    columns = ["aar", "kommunekode", "omraade", "afgoerelser_i_alt", "klager_modtaget"]
    return Volumes(pd.DataFrame(rows, columns=columns), Provenance("vol.csv", "cd" * 32))


def target(figure: str, year: int, direction: Direction, threshold: float) -> Target:
    return Target(figure, BH, year, direction, threshold, line=1)


def measure(target: Target, data: Dataset, vols: Volumes | None = None) -> Measurement:
    return plantargets.measure(target, MeasureContext(data, vols, None, NORDDJURS))


# --- reading --------------------------------------------------------------------------


def test_valid_plan_is_read_with_lines_dates_and_target(tmp_path: Path) -> None:
    plan = read_action_plan(write(tmp_path, VALID))
    assert (plan.kommune, plan.area, plan.adopted) == (NORDDJURS, BH, dt.date(2024, 3, 12))
    first, second = plan.actions
    assert first.activities == ("Tjekliste for lægeerklæringer", "Lønsedler før afgørelsen")
    assert (first.number, first.line, first.status) == (1, 5, "i gang")
    assert first.target == Target("omgoerelsesprocent", BH, 2024, "under", 0.4, line=14)
    assert (second.start, second.end) == (dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    assert second.activities == ("Fast punkt i sagsgangen",) and second.target is None
    assert plan.provenance.file == "handleplan.yaml" and len(plan.provenance.sha256) == 64
    assert not plan.provenance.synthetic


def test_danish_keys_and_loose_status_spelling_are_accepted(tmp_path: Path) -> None:
    text = (
        VALID.replace("omraade:", "område:")
        .replace("maal:", "mål:")
        .replace("status: gennemført", "status: Gennemfoert")
        .replace("status: i gang", "status: I GANG")
        .replace("tal: omgoerelsesprocent", "tal: Omgørelsesprocent")
    )
    plan = read_action_plan(write(tmp_path, text))
    assert [a.status for a in plan.actions] == ["i gang", "gennemført"]
    assert plan.actions[0].goal == "Færre hjemvisninger"


def test_missing_field_names_the_action_by_number_and_topic(tmp_path: Path) -> None:
    text = VALID.replace("    ansvarlig: Koordinator\n", "").replace(
        "    maal: Partshøring i alle sager\n", ""
    )
    assert problems(tmp_path, text) == [
        "handleplan.yaml, linje 18: handling 2 ('Partshøring') mangler felterne 'maal' og 'ansvarlig'"
    ]


def test_an_action_may_say_when_in_words_and_is_then_never_overdue(tmp_path: Path) -> None:
    """As Norddjurs' table does ("løbende", "efteråret 2024"): `hvornaar` instead of
    dates, or beside them (the words are shown, the dates decide what is overdue)."""
    text = VALID.replace(
        "    fra: 01-04-2024\n    til: 31.03.2025\n", "    hvornaar: løbende\n"
    ).replace("til: 2024-12-31\n", "til: 2024-12-31\n    hvornaar: efteråret 2024\n")
    plan = read_action_plan(write(tmp_path, text))
    first, second = plan.actions
    assert (second.start, second.end, second.when) == (None, None, "løbende")
    assert first.when == "efteråret 2024" and first.end == dt.date(2024, 12, 31)
    far_future = dt.date(2099, 1, 1)
    undone = replace(second, status="i gang")
    assert not is_overdue(undone, far_future) and is_overdue(first, far_future)
    table = plan_table(plan, far_future)
    assert "<td>løbende</td>" in table and "<td>efteråret 2024</td>" in table


def test_an_action_needs_both_dates_or_words(tmp_path: Path) -> None:
    without = VALID.replace("    fra: 01-04-2024\n    til: 31.03.2025\n", "")
    assert problems(tmp_path, without) == [
        "handleplan.yaml, linje 18: handling 2 ('Partshøring') mangler 'fra' og 'til' eller "
        "'hvornaar' – forventede datoer eller en tekst som 'løbende'"
    ]
    half = VALID.replace("    til: 31.03.2025\n", "")
    assert problems(tmp_path, half) == [
        "handleplan.yaml, linje 18: handling 2 ('Partshøring') mangler 'til' – angiv både "
        "'fra' og 'til'"
    ]


def test_a_plan_without_any_date_has_no_before_and_after(tmp_path: Path) -> None:
    text = (
        VALID.replace("vedtaget: 2024-03-12\n", "")
        .replace("    fra: 01-04-2024\n    til: 31.03.2025\n", "    hvornaar: løbende\n")
        .replace("    fra: 2024-04-01\n    til: 2024-12-31\n", "    hvornaar: 2024\n")
    )
    plan = read_action_plan(write(tmp_path, text))
    assert plan.start_year is None
    data = counts_dataset([(2024, NORDDJURS, BH, 5, 5, 0, 0)])
    assert "intet år at sammenligne omkring" in before_after(plan, data)


def test_plan_dates_are_written_as_in_the_data_files(tmp_path: Path) -> None:
    """The same four ways as a data file's dates (`io.schema.DATE_FORMATS`)."""
    for written in ("2025-03-31", "31-03-2025", "31.03.2025", "31/03/2025"):
        plan = read_action_plan(
            write(tmp_path, VALID.replace("til: 31.03.2025", f"til: {written}"))
        )
        assert plan.actions[1].end == dt.date(2025, 3, 31), written


def test_bad_date_says_which_format_is_expected(tmp_path: Path) -> None:
    text = VALID.replace("til: 2024-12-31", "til: 2024-02-30")
    assert problems(tmp_path, text) == [
        "handleplan.yaml, linje 11, 'til': '2024-02-30' er ikke en gyldig dato – forventede en "
        "dato som 2024-04-01 (år-måned-dag) eller 01-04-2024"
    ]


def test_end_before_start_is_an_error(tmp_path: Path) -> None:
    text = VALID.replace("til: 2024-12-31", "til: 2024-01-31")
    assert problems(tmp_path, text) == [
        "handleplan.yaml, linje 11, 'til': slutdatoen 31. januar 2024 ligger før startdatoen "
        "1. april 2024 – 'til' skal være efter 'fra'"
    ]


def test_unknown_status_suggests_the_nearest(tmp_path: Path) -> None:
    text = VALID.replace("status: gennemført", "status: gennemførrt")
    assert problems(tmp_path, text) == [
        "handleplan.yaml, linje 24, 'status': ukendt status 'gennemførrt' – mente du "
        "'gennemført'? Forventede ikke startet, i gang, gennemført eller forsinket"
    ]


def test_target_naming_an_unknown_figure_lists_the_known_ones(tmp_path: Path) -> None:
    [message] = problems(tmp_path, VALID.replace("tal: omgoerelsesprocent", "tal: omgørelser"))
    assert message.startswith("handleplan.yaml, linje 15, 'tal': ukendt tal 'omgørelser'")
    for name in (
        "omgoerelsesprocent",
        "hjemvisningsprocent",
        "aendringsprocent",
        "klager_modtaget",
    ):
        assert name in message


@pytest.mark.parametrize(
    ("replacement", "expected"),
    [
        ("under: 40 %\n      over: 20 %", "har både 'under' og 'over'"),
        ("", "har hverken 'under' eller 'over'"),
    ],
)
def test_target_needs_exactly_one_of_under_and_over(
    tmp_path: Path, replacement: str, expected: str
) -> None:
    [message] = problems(tmp_path, VALID.replace("under: 40 %", replacement))
    assert message.startswith(f"handleplan.yaml, linje 14: målepunktet {expected}")


def test_threshold_that_is_not_a_number(tmp_path: Path) -> None:
    assert problems(tmp_path, VALID.replace("under: 40 %", "under: fyrre")) == [
        "handleplan.yaml, linje 17, 'under': 'fyrre' er ikke et tal – forventede en procent, "
        "fx 40 % (eller 40 eller 0,4)"
    ]


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("40 %", "rate", 0.4),
        ("40", "rate", 0.4),
        ("0.4", "rate", 0.4),
        ("12,5 %", "rate", 0.125),
        ("0,5 %", "rate", 0.005),
        ("40 pct.", "rate", 0.4),
        ("30", "count", 30.0),
    ],
)
def test_thresholds_accepted(text: str, kind: plantargets.Kind, expected: float) -> None:
    assert parse_threshold(text, kind) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "kind"), [("120 %", "rate"), ("0 %", "rate"), ("30 %", "count"), ("2,5", "count")]
)
def test_thresholds_rejected(text: str, kind: plantargets.Kind) -> None:
    with pytest.raises(ValueError):
        parse_threshold(text, kind)


def test_misspelt_key_gets_a_suggestion_and_is_not_also_reported_missing(tmp_path: Path) -> None:
    text = VALID.replace("ansvarlig: Koordinator", "ansvarilg: Koordinator")
    [message] = problems(tmp_path, text)
    assert message.startswith(
        "handleplan.yaml, linje 23: ukendt felt 'ansvarilg' – mente du 'ansvarlig'?"
    )


def test_unknown_kommune_and_area_get_suggestions(tmp_path: Path) -> None:
    text = VALID.replace("kommune: Norddjurs", "kommune: Arhus").replace(
        "omraade: boernehandicap", "omraade: boernehandicapp"
    )
    assert problems(tmp_path, text) == [
        "handleplan.yaml, linje 1, 'kommune': ukendt kommune 'Arhus' – mente du Aarhus (751)?",
        "handleplan.yaml, linje 2, 'omraade': ukendt område 'boernehandicapp' – mente du "
        "'boernehandicap'? Forventede socialomraadet, boernehandicap eller voksenhandicap",
    ]


def test_every_problem_is_collected_in_one_error_in_line_order(tmp_path: Path) -> None:
    text = (
        VALID.replace("status: i gang", "status: igangg")
        .replace("fra: 01-04-2024", "fra: 1. april")
        .replace("tal: omgoerelsesprocent", "tal: sagstal")
        .replace("  - emne: Partshøring\n", "  - emne: Partshøring\n    farve: rød\n")
    )
    found = problems(tmp_path, text)
    numbers = [re.match(r"handleplan\.yaml, linje (\d+)", line) for line in found]
    assert [number and number[1] for number in numbers] == [
        "13",
        "15",
        "19",
        "22",
    ]
    assert "'status': ukendt status 'igangg'" in found[0]
    assert "'tal': ukendt tal 'sagstal'" in found[1]
    assert "ukendt felt 'farve'" in found[2]
    assert "'fra': '1. april' er ikke en gyldig dato" in found[3]


def test_missing_file_and_broken_yaml_are_one_line_each(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="filen findes ikke"):
        read_action_plan(tmp_path / "findes-ikke.yaml")
    broken = problems(tmp_path, "kommune: Norddjurs\nhandlinger: [\n  - emne: x\n")
    assert len(broken) == 1
    assert broken[0].startswith("handleplan.yaml, linje 3: er ikke gyldig YAML")
    assert problems(tmp_path, "") == [
        "handleplan.yaml: filen er tom – forventede felter som 'kommune:' og 'handlinger:'"
    ]


def test_plan_without_actions_or_kommune(tmp_path: Path) -> None:
    assert problems(tmp_path, "omraade: boernehandicap\n") == [
        "handleplan.yaml, linje 1: handleplanen mangler felterne 'kommune' og 'handlinger'"
    ]


# --- overdue ----------------------------------------------------------------------------


def test_overdue_is_past_the_end_date_and_not_done(tmp_path: Path) -> None:
    first, second = read_action_plan(write(tmp_path, VALID)).actions
    assert not is_overdue(first, dt.date(2024, 12, 31))  # the last day is still on time
    assert is_overdue(first, dt.date(2025, 1, 1))
    assert not is_overdue(second, dt.date(2026, 1, 1))  # gennemført is never overdue


def test_demo_plan_validates_and_flags_its_overdue_action() -> None:
    plan = read_action_plan(handleplan.demo_file())
    assert (plan.kommune, plan.area, plan.start_year) == (NORDDJURS, BH, 2024)
    assert plan.provenance.synthetic and "Syntetisk demo" in plan.source
    assert 4 <= len(plan.actions) <= 6
    for today in (dt.date(2025, 6, 1), dt.date(2026, 11, 23)):
        assert [a.topic for a in handleplan.overdue_actions(plan, today)] == ["Oplysningsgrundlag"]
    assert handleplan.overdue_actions(plan, dt.date(2024, 6, 1)) == []


# --- verdicts ---------------------------------------------------------------------------


def test_rate_whose_whole_interval_is_under_the_threshold_is_reached() -> None:
    data = counts_dataset([(2024, NORDDJURS, BH, 30, 0, 0, 2)])  # 0 of 30: interval 0 %–11,4 %
    goal = target("omgoerelsesprocent", 2024, "under", 0.4)
    measurement = measure(goal, data)
    assert measurement.counts == "0 af 30 sager" and measurement.interval is not None
    verdict = assess(goal, measurement)
    assert verdict.outcome == "reached" and verdict.label == "nået"
    assert verdict.headline == "Nået (0,0 % mod målet under 40 %)"
    assert verdict.reason == "Forskellen er statistisk sikker (95 %-interval 0,0 %–11,4 %)."


def test_rate_whose_whole_interval_is_on_the_wrong_side_is_not_reached() -> None:
    data = counts_dataset([(2024, NORDDJURS, BH, 5, 20, 5, 0)])  # 25 of 30: 66,4 %–92,7 %
    verdict = assess(goal := target("omgoerelsesprocent", 2024, "under", 0.4), measure(goal, data))
    assert verdict.outcome == "not_reached" and verdict.label == "ikke nået"
    assert str(verdict) == (
        "Ikke nået (83,3 % mod målet under 40 %). "
        "Forskellen er statistisk sikker (95 %-interval 66,4 %–92,7 %)."
    )
    over = target("omgoerelsesprocent", 2024, "over", 0.4)
    assert assess(over, measure(over, data)).outcome == "reached"


def test_a_year_with_figures_is_judged_on_them_and_says_when_it_may_be_chance() -> None:
    """Final figures decide the target; a wide interval only says the difference may be
    chance ("Kan ikke afgøres endnu" is for years without figures)."""
    data = counts_dataset([(2024, NORDDJURS, BH, 5, 9, 0, 0)])  # 9 of 14: 38,8 %–83,7 %
    verdict = assess(goal := target("omgoerelsesprocent", 2024, "under", 0.35), measure(goal, data))
    assert str(verdict) == (
        "Ikke nået (64,3 % mod målet under 35 %). "
        "Forskellen er statistisk sikker (95 %-interval 38,8 %–83,7 %)."
    )
    data = counts_dataset([(2024, NORDDJURS, BH, 3, 2, 0, 0)])  # 2 of 5: 11,8 %–76,9 %
    verdict = assess(goal := target("omgoerelsesprocent", 2024, "under", 0.45), measure(goal, data))
    assert verdict.outcome == "reached"
    assert str(verdict) == (
        "Nået (40,0 % mod målet under 45 %). "
        "Forskellen kan skyldes tilfældigheder (95 %-interval 11,8 %–76,9 %)."
    )
    at_target = assess(
        goal := target("omgoerelsesprocent", 2024, "under", 0.4), measure(goal, data)
    )
    assert at_target.outcome == "not_reached"  # 40 % is not under 40 %


def test_target_year_without_data_cannot_be_decided_yet() -> None:
    data = counts_dataset([(2024, NORDDJURS, BH, 30, 0, 0, 0)])
    goal = target("omgoerelsesprocent", 2025, "under", 0.4)
    measurement = measure(goal, data)
    assert measurement.value is None and plantargets.measured_text(measurement) == "–"
    verdict = assess(goal, measurement)
    assert verdict.outcome == "undecided" and measurement.pending
    assert str(verdict) == (
        "Kan ikke afgøres endnu. Datafilen går kun til og med 2024, så der er ingen tal for 2025."
    )
    earlier = target("omgoerelsesprocent", 2020, "under", 0.4)
    assert assess(earlier, measure(earlier, data)).outcome == "unmeasured"  # not "endnu"


def test_year_without_cases_for_the_kommune_has_no_rate() -> None:
    data = counts_dataset([(2024, 751, BH, 5, 5, 0, 0)])
    verdict = assess(goal := target("hjemvisningsprocent", 2024, "under", 0.4), measure(goal, data))
    assert verdict.outcome == "unmeasured" and verdict.label == "kan ikke opgøres"
    assert "Ingen realitetsbehandlede sager" in verdict.reason


def test_the_three_rates_count_the_right_outcomes() -> None:
    data = counts_dataset([(2024, NORDDJURS, BH, 6, 3, 1, 4)])  # afviste are not in the denominator
    counts = {
        name: measure(target(name, 2024, "under", 0.5), data).counts
        for name in ("omgoerelsesprocent", "hjemvisningsprocent", "aendringsprocent")
    }
    assert counts == {
        "omgoerelsesprocent": "4 af 10 sager",
        "hjemvisningsprocent": "3 af 10 sager",
        "aendringsprocent": "1 af 10 sager",
    }


def test_counts_are_compared_exactly_and_need_the_year() -> None:
    data = counts_dataset([(2024, NORDDJURS, BH, 1, 1, 0, 0)])
    vols = volumes([(2024, NORDDJURS, BH, 500, 29), (2024, NORDDJURS, "voksenhandicap", 900, 40)])
    under_30 = target("klager_modtaget", 2024, "under", 30)
    measurement = measure(under_30, data, vols)
    assert (measurement.value, measurement.interval) == (29.0, None)
    assert measurement.counts == "29 klager modtaget"
    assert str(assess(under_30, measurement)) == "Nået (29 mod målet under 30 klager)."
    assert under_30.describe() == "under 30 klager i 2024"
    under_29 = target("klager_modtaget", 2024, "under", 29)
    assert assess(under_29, measurement).outcome == "not_reached"
    later = target("klager_modtaget", 2025, "under", 30)
    assert assess(later, measure(later, data, vols)).outcome == "undecided"
    no_volumes = assess(under_30, measure(under_30, data))
    assert no_volumes.outcome == "unmeasured" and "volumenfilen" in no_volumes.reason


def test_a_registered_figure_can_be_named_in_a_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plantargets, "FIGURES", dict(plantargets.FIGURES))

    def remands(context: MeasureContext, area: str, year: int) -> Measurement:
        assert (context.kommune, area, year) == (NORDDJURS, BH, 2024)
        return Measurement(year, 3.0, None, "3 hjemvisninger")

    register_figure("hjemvisninger_test", "Hjemvisninger (test)", "count", remands)
    with pytest.raises(ValueError, match="already registered"):
        register_figure("hjemvisninger_test", "igen", "count", remands)
    text = VALID.replace("tal: omgoerelsesprocent", "tal: hjemvisninger_test").replace(
        "under: 40 %", "under: 5"
    )
    plan = read_action_plan(write(tmp_path, text))
    [result] = plantargets.evaluate_targets(
        plan, counts_dataset([(2024, NORDDJURS, BH, 1, 1, 0, 0)])
    )
    assert result.verdict.outcome == "reached" and result.measurement.counts == "3 hjemvisninger"


# --- rendering ------------------------------------------------------------------------------


def test_plan_table_writes_status_and_overdue_in_words(tmp_path: Path) -> None:
    plan = read_action_plan(write(tmp_path, VALID))
    table = plan_table(plan, dt.date(2025, 6, 1))
    assert table == plan_table(plan, dt.date(2025, 6, 1))  # deterministic
    assert '<table class="omg-table omg-plan"><caption>Handleplan for Norddjurs' in table
    heads = re.findall(r'<th scope="col">([^<]+)</th>', table)
    assert heads == ["Emne", "Mål", "Hvad", "Hvornår", "Ansvarlig", "Status"]
    assert "<td>1. april–31. december 2024</td>" in table
    assert "<td>1. april 2024–31. marts 2025</td>" in table
    assert '<span class="omg-status omg-status-in-progress">I gang</span>' in table
    assert '<span class="omg-status omg-status-done">Gennemført</span>' in table
    assert table.count('<strong class="omg-overdue">Frist overskredet</strong>') == 1
    assert "overskredet" not in plan_table(plan, dt.date(2024, 12, 31))


def _css_colours(css: str, selector: str) -> list[tuple[str, str]]:
    """(text colour, background) of every rule for `selector`, print rules included."""
    rules = re.findall(rf"\.{selector}\s*\{{([^}}]*)\}}", css)
    pairs = []
    for body in rules:
        colour = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", body)
        background = re.search(r"background:\s*(#[0-9a-fA-F]{3,6})", body)
        if colour and background:
            pairs.append((colour[1], background[1]))
    return pairs


def test_status_verdict_and_overdue_colours_reach_text_contrast() -> None:
    css = stylesheet()
    classes = [c.removeprefix(".") for c in handleplan.STATUS_CLASSES.values()]
    classes += [f"omg-verdict-{o.replace('_', '-')}" for o in plantargets.VERDICT_LABELS]
    for css_class in [*classes, "omg-overdue"]:
        pairs = _css_colours(css, css_class)
        assert pairs, f"no colours for .{css_class} in omg.css"
        for text, background in pairs:
            assert contrast_ratio(text, background) >= TEXT_MINIMUM, css_class


def test_demo_targets_on_demo_data_have_each_verdict() -> None:
    plan = read_action_plan(handleplan.demo_file())
    data = read_data(demodata.packaged_file("afgoerelser"))
    vols = read_volumes(demodata.packaged_file("volumener"))
    verdicts = {
        r.action.topic: r.verdict.label for r in plantargets.evaluate_targets(plan, data, vols)
    }
    assert verdicts == {
        "Oplysningsgrundlag": "ikke nået",
        "Begrundelse": "kan ikke afgøres endnu",
        "Partshøring": "ikke nået",
        "Dialog før afgørelse": "nået",
    }
    table = targets_table(plan, data, vols)
    heads = re.findall(r'<th scope="col">([^<]+)</th>', table)
    assert heads == ["Mål", "Tal", "Målt", "Vurdering"]
    assert "64,3 % (9 af 14 sager; 95 %-interval 38,8 %–83,7 %)" in table
    assert '<span class="omg-verdict omg-verdict-not-reached">Ikke nået</span>' in table
    assert "Oplysningsgrundlag: under 35 % i 2024" in table


# --- before and after ---------------------------------------------------------------------


def test_before_after_compares_the_year_before_with_the_latest_year(tmp_path: Path) -> None:
    plan = read_action_plan(write(tmp_path, VALID))  # adopted 2024
    data = counts_dataset(
        [
            (2023, NORDDJURS, BH, 1, 4, 0, 0),
            (2024, NORDDJURS, BH, 9, 1, 0, 0),
            (2025, 751, BH, 1, 1, 0, 0),
        ]
    )
    assert before_after(plan, data) == (
        "Før og efter handleplanen (vedtaget 12. marts 2024): omgørelsesprocenten på "
        "børnehandicapområdet var 80,0 % (4 af 5 sager) i 2023 og – (ingen "
        "realitetsbehandlede sager) i 2025 – kan ikke vurderes (ingen realitetsbehandlede "
        "sager i et af årene)."
    )
    data = counts_dataset([(2023, NORDDJURS, BH, 1, 4, 0, 0), (2024, NORDDJURS, BH, 9, 1, 0, 0)])
    sentence = before_after(plan, data)
    assert "80,0 % (4 af 5 sager) i 2023 og 10,0 % (1 af 10 sager) i 2024" in sentence
    assert "signifikant fald (Fishers eksakte test, p = 0,02)" in sentence
    assert sentence.endswith(
        "Planen har kun været i kraft i en del af 2024, og senere tal findes endnu ikke."
    )


def test_before_after_says_when_the_year_before_is_missing(tmp_path: Path) -> None:
    plan = read_action_plan(write(tmp_path, VALID))
    data = counts_dataset([(2024, NORDDJURS, BH, 9, 1, 0, 0)])
    assert before_after(plan, data) == (
        "Før og efter handleplanen: Datafilen har ingen tal for 2023 (den har 2024–2024)."
    )


def test_plan_without_adoption_date_starts_with_its_first_action(tmp_path: Path) -> None:
    plan = read_action_plan(write(tmp_path, VALID.replace("vedtaget: 2024-03-12\n", "")))
    assert plan.adopted is None and plan.start_year == 2024
    data = counts_dataset([(2023, NORDDJURS, BH, 1, 4, 0, 0), (2024, NORDDJURS, BH, 9, 1, 0, 0)])
    assert before_after(plan, data).startswith("Før og efter handleplanen (startet 2024):")


# --- the command ------------------------------------------------------------------------------


def test_omg_handleplan_prints_the_plan_with_overdue_flags_and_verdicts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748736000")  # 2025-06-01
    result = CliRunner().invoke(main, ["handleplan", str(handleplan.demo_file())])
    assert result.exit_code == 0, result.stderr
    assert (
        "1. Oplysningsgrundlag – i gang – FRIST OVERSKREDET – 1. april–31. december 2024"
        in result.stdout
    )
    assert (
        "Vurdering: Ikke nået (64,3 % mod målet under 35 %). "
        "Forskellen er statistisk sikker (95 %-interval 38,8 %–83,7 %)." in result.stdout
    )
    assert "Overskredne handlinger pr. 1. juni 2025: 1" in result.stdout
    assert "Før og efter handleplanen (vedtaget 12. marts 2024)" in result.stdout


def test_omg_handleplan_lists_every_problem_and_exits_2(tmp_path: Path) -> None:
    text = VALID.replace("status: i gang", "status: igangg").replace("til: 2024-12-31", "til: 2024")
    result = CliRunner().invoke(main, ["handleplan", str(write(tmp_path, text))])
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith("Fejl: handleplan.yaml, linje 11, 'til'")
    assert "linje 13, 'status': ukendt status 'igangg'" in lines[1]
