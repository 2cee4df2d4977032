"""A kommune's own groups of provisions (fagområder), read from YAML with the action
plan's error quality, and usable wherever an area is; and one provision as one series
across the 2024 move of the children's provisions to barnets lov."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from omglib import DataError, registry
from omglib.cli import main
from omglib.figures import key_figures
from omglib.inputs import data_or_demo, use_areas
from omglib.io.areagroups import read_area_groups
from omglib.learning.running import running_figures
from omglib.reports.parameters import build_request
from tests.helpers.files import write_csv
from tests.test_running import LAST_YEAR, THIS_YEAR, register

HEADER = ("År", "Kommune", "Paragraf", "Stadfæstelse", "Hjemvisning", "Ændring/ophævelse")
#: The seed's focus group: 4 of 5, 2 of 4 and 3 of 4 overturned over 2019-2021, spread
#: over its provisions, beside a provision outside the group.
FOCUS_ROWS = [
    (2019, 707, "SEL § 107", 1, 2, 1),
    (2019, 707, "SEL § 96", 0, 1, 0),
    (2020, 707, "SEL § 108", 1, 1, 0),
    (2020, 707, "Serviceloven § 95", 1, 0, 1),
    (2020, 707, "SEL § 41", 3, 3, 3),
    (2021, 707, "SEL § 107", 0, 2, 0),
    (2021, 707, "SEL § 96", 1, 0, 1),
]
GROUPS = """\
botilbud_bpa:
  navn: Botilbud, BPA og kontanttilskud
  paragraffer: [SEL § 107, SEL § 108, § 95 i serviceloven, SEL § 96]
boernehandicap_egen:
  navn: Børnehandicap (egen)
  paragraffer:
    - SEL § 41
    - paragraf: SEL § 42
      fra: 2019
      til: 2023
"""


@pytest.fixture(autouse=True)
def no_groups_after() -> Iterator[None]:
    """Each test leaves no groups in use for the next."""
    yield
    registry.use_area_groups({})


def groups_file(tmp_path: Path, text: str = GROUPS) -> Path:
    path = tmp_path / "fagomraader.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def focus_data(tmp_path: Path) -> Path:
    return write_csv(tmp_path, HEADER, FOCUS_ROWS)


def rates(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["rates", *arguments])
    return result.exit_code, result.output


# --- reading the groups file --------------------------------------------------------------


def test_groups_are_read_with_provisions_in_any_spelling_and_their_years(tmp_path: Path) -> None:
    groups = read_area_groups(groups_file(tmp_path))
    assert list(groups) == ["botilbud_bpa", "boernehandicap_egen"]
    assert groups["botilbud_bpa"].name == "Botilbud, BPA og kontanttilskud"
    assert [m.provision for m in groups["botilbud_bpa"].members] == [
        "SEL § 107", "SEL § 108", "SEL § 95", "SEL § 96",
    ]  # fmt: skip
    assert groups["boernehandicap_egen"].members == (
        registry.GroupMember("SEL § 41"),
        registry.GroupMember("SEL § 42", 2019, 2023),
    )


def test_every_problem_in_the_groups_file_is_named_by_line_and_field(tmp_path: Path) -> None:
    text = (
        "botilbud bpa:\n  navn: Botilbud\n  paragraffer: [SEL § 107]\n"  # line 1: key
        "voksen:\n  navnn: Voksne\n  paragraffer: [SEL § 107]\n"  # line 5: field
        "boern:\n  navn: Børnehandicapområdet\n"  # line 8: an area's name; no provisions
        "x:\n  navn: X\n  paragraffer:\n    - SEL 41\n"  # line 12: provision without §
        "y:\n  navn: Y\n  paragraffer:\n    - paragraf: SEL § 42\n      fra: 2023\n      til: 2019\n"
        "z:\n  navn: Y\n  paragraffer: [SEL § 107, SEL § 107]\n"  # lines 19-21
        "w:\n  navn: y\n  paragraffer: [SEL § 96]\n"  # line 23: z's name
    )
    with pytest.raises(DataError) as caught:
        read_area_groups(groups_file(tmp_path, text))
    message = str(caught.value)
    assert "linje 1: 'botilbud bpa' kan ikke være et fagområdes nøgle" in message
    assert "linje 5: ukendt felt 'navnn' – mente du 'navn'?" in message
    assert "linje 8, 'navn': 'Børnehandicapområdet' er allerede navnet på ministeriets" in message
    assert "fagområdet boern mangler feltet 'paragraffer'" in message
    assert "linje 12, 'paragraffer': Ukendt paragraf 'SEL 41'" in message
    assert "linje 18, 'til': 'til' (2019) ligger før 'fra' (2023)" in message
    assert "linje 21, 'paragraffer': SEL § 107 står to gange (også på linje 21)" in message
    assert "linje 23, 'navn': fagområdet z hedder også 'y'" in message


def test_a_missing_or_empty_groups_file_is_a_danish_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="filen findes ikke"):
        read_area_groups(tmp_path / "findes-ikke.yaml")
    with pytest.raises(DataError, match=r"forventede et fagområde pr\. nøgle"):
        read_area_groups(groups_file(tmp_path, ""))


# --- a group wherever an area is ------------------------------------------------------------


def test_the_seed_focus_group_trend_end_to_end(tmp_path: Path) -> None:
    """4/5, 2/4, 3/4 on 'botilbud, BPA og kontanttilskud': rates and trend verdict."""
    code, out = rates(
        "--data", str(focus_data(tmp_path)), "--areas", str(groups_file(tmp_path)),
        "--kommune", "Norddjurs", "--area", "Botilbud, BPA og kontanttilskud", "--year", "2021",
    )  # fmt: skip
    assert code == 0, out
    assert out.startswith("Norddjurs (707) – Botilbud, BPA og kontanttilskud 2021\n")
    assert "\n2019        5        4    80,0 %" in out
    assert "\n2020        4        2    50,0 %" in out
    assert "\n2021        4        3    75,0 %" in out
    assert "Vurdering af udviklingen: ingen signifikant udvikling" in out


def test_a_group_is_the_sum_of_its_provisions_in_the_years_they_count(tmp_path: Path) -> None:
    rows = [
        (2019, 707, "SEL § 41", 1, 1, 0),
        (2019, 707, "SEL § 42", 2, 0, 1),
        (2024, 707, "BL § 86", 1, 2, 0),  # SEL § 41 from 2024
        (2024, 707, "BL § 87", 5, 5, 5),  # SEL § 42's successor, outside its years
    ]
    use_areas(groups_file(tmp_path))
    data = data_or_demo(write_csv(tmp_path, HEADER, rows))
    figures = key_figures(data, 707, "boernehandicap_egen", 2024)
    trend = figures.trend.set_index("aar")
    assert (trend.loc[2019, "realitetsbehandlede"], trend.loc[2019, "omgjort"]) == (5, 2)
    assert (trend.loc[2024, "realitetsbehandlede"], trend.loc[2024, "omgjort"]) == (3, 2)
    assert figures.series_note == "SEL § 41 fra 2024: BL § 86"


def test_redefining_a_group_in_the_same_process_changes_its_figures(tmp_path: Path) -> None:
    data = data_or_demo(focus_data(tmp_path))
    use_areas(groups_file(tmp_path))
    before = key_figures(data, 707, "botilbud_bpa", 2019).current["realitetsbehandlede"]
    narrower = GROUPS.replace("[SEL § 107, SEL § 108, § 95 i serviceloven, SEL § 96]", "[SEL § 96]")
    use_areas(groups_file(tmp_path, narrower))
    after = key_figures(data, 707, "botilbud_bpa", 2019).current["realitetsbehandlede"]
    assert (before, after) == (5, 1)


def test_without_the_file_a_group_is_unknown_and_the_message_says_where_groups_come_from(
    tmp_path: Path,
) -> None:
    code, out = rates(
        "--data", str(focus_data(tmp_path)), "--kommune", "707", "--area", "botilbud_bpa",
        "--year", "2021",
    )  # fmt: skip
    assert code != 0
    assert "Ukendt område 'botilbud_bpa'" in out and "egne fagområder" in out


def test_a_batch_takes_groups_as_areas_and_all_includes_them(tmp_path: Path) -> None:
    options = {"kommune": "707", "area": "all", "year": 2021,
               "data": str(focus_data(tmp_path)), "areas": str(groups_file(tmp_path))}  # fmt: skip
    request = build_request(options, "kommandolinjen", data_or_demo)
    assert {"botilbud_bpa", "boernehandicap_egen"} <= set(request.areas)
    assert "areas" in request.inputs.hashes  # the file is part of every fingerprint
    named = build_request({**options, "area": "botilbud_bpa"}, "x", data_or_demo)
    [job] = named.jobs()
    assert job.stem.as_posix() == "2021/botilbud-bpa/707-norddjurs"
    assert job.title == "Omgørelser 2021: Botilbud, BPA og kontanttilskud – Norddjurs Kommune"
    broken = groups_file(tmp_path, "x:\n  navn: X\n")
    with pytest.raises(DataError, match="fagområdet x mangler feltet 'paragraffer'"):
        build_request({**options, "areas": str(broken)}, "kommandolinjen", data_or_demo)


def test_an_action_plan_and_an_alert_rule_may_name_a_group(tmp_path: Path) -> None:
    from omglib.learning.alerts import read_alert_rules
    from omglib.learning.handleplan import read_action_plan
    from omglib.learning.planview import plan_text

    use_areas(groups_file(tmp_path))
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "kommune: Norddjurs\nomraade: Botilbud, BPA og kontanttilskud\nhandlinger:\n"
        "  - emne: Sagsgennemgang\n    maal: Færre hjemvisninger\n    hvad: Gennemgå sagerne\n"
        "    hvornaar: løbende\n    ansvarlig: Afdelingsleder\n    status: i gang\n"
        "    maalepunkt:\n      tal: omgoerelsesprocent\n      aar: 2021\n      under: 40 %\n",
        encoding="utf-8",
    )
    read = read_action_plan(plan)
    assert read.area == "botilbud_bpa"
    shown = plan_text(read, data_or_demo(focus_data(tmp_path)), None, dt.date(2022, 1, 1))
    assert "Målt: 75,0 % (3 af 4 sager" in shown
    rules = tmp_path / "varsling.yaml"
    rules.write_text("botilbud_bpa:\n  over: 40 %\n", encoding="utf-8")
    assert list(read_alert_rules(rules)) == ["botilbud_bpa"]


def test_the_running_figure_of_a_group_follows_its_provisions(tmp_path: Path) -> None:
    """A group naming SEL § 41 counts the register's BL § 86 decisions of 2024-2025."""
    use_areas(groups_file(tmp_path))
    from omglib import read_cases

    cases = read_cases(register(tmp_path, LAST_YEAR + THIS_YEAR))
    figures = running_figures(cases, 707, "Børnehandicap (egen)", 2025)
    assert (figures.so_far["omgjort"], figures.so_far["realitetsbehandlede"]) == (3, 4)
    assert figures.last_year is not None and figures.last_year["realitetsbehandlede"] == 4


# --- one series across the 2024 renumbering -------------------------------------------------


def test_a_provision_follows_its_successor_and_predecessors() -> None:
    assert registry.provisions_in_year("SEL § 41", 2024) == ("BL § 86",)
    assert registry.provisions_in_year("BL § 86", 2020) == ("SEL § 41",)
    assert registry.provisions_in_year("BL § 82", 2020) == ("SEL § 32", "SEL § 36")
    assert registry.provisions_in_year("SEL § 32", 2024) == ("BL § 82",)
    assert registry.provisions_in_year("SEL § 107", 2024) == ("SEL § 107",)
    assert registry.provisions_in_year("SEL § 39", 2024) == ()  # no successor
    assert registry.series_note("SEL § 41", range(2017, 2025)) == "fra 2024: BL § 86"
    assert registry.series_note("BL § 86", range(2017, 2025)) == "2017-2023: SEL § 41"
    assert registry.series_note("SEL § 107", range(2017, 2025)) == ""


@pytest.mark.parametrize(("asked", "note"), [("SEL § 41", "fra 2024: BL § 86"),
                                             ("BL § 86", "2017-2023: SEL § 41")])  # fmt: skip
def test_one_series_across_the_move_to_barnets_lov(asked: str, note: str) -> None:
    code, out = rates("--kommune", "Aarhus", "--area", asked, "--year", "2024")
    assert code == 0, out
    assert f"Tallene følger paragraffen over lovskiftet ({note})." in out
    trend = out[out.index("Udvikling:") :]
    assert "        0        0         –" not in trend  # no year without cases
    data = data_or_demo(None)
    old, new = key_figures(data, 751, "SEL § 41", 2024), key_figures(data, 751, "BL § 86", 2024)
    assert old.trend["realitetsbehandlede"].tolist() == new.trend["realitetsbehandlede"].tolist()
    record = json.loads(rates("--kommune", "751", "--area", asked, "--year", "2024",
                              "--format", "json")[1])  # fmt: skip
    assert record["paragrafskift"] == note


def test_an_area_has_no_series_note() -> None:
    assert key_figures(data_or_demo(None), 751, "boernehandicap", 2024).series_note == ""


@pytest.mark.slow
def test_a_kommune_report_for_the_seed_focus_group(tmp_path: Path) -> None:
    out = tmp_path / "ud"
    areas = groups_file(tmp_path)
    result = CliRunner().invoke(
        main,
        ["reports", "--data", str(focus_data(tmp_path)), "--areas", str(areas), "--kommune",
         "Norddjurs", "--area", "botilbud_bpa", "--year", "2021", "--out", str(out), "--jobs", "1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = (out / "2021/botilbud-bpa/707-norddjurs.html").read_text(encoding="utf-8")
    assert "<h1>Omgørelser 2021: Botilbud, BPA og kontanttilskud – Norddjurs Kommune</h1>" in page
    assert "Omgørelsesprocent 75,0 %</strong> (3 af 4 sager omgjort" in page
    assert "80,0 % (4 af 5) i 2019" in page and "ingen signifikant udvikling" in page
    assert "eget fagområde: SEL § 107, SEL § 108, SEL § 95 og SEL § 96" in page
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert areas.name in json.dumps(manifest, ensure_ascii=False)


def test_the_map_draws_a_group_from_its_provisions(tmp_path: Path) -> None:
    from omglib.figures import kommune_table
    from omglib.geo.draw import danmarkskort

    use_areas(groups_file(tmp_path))
    data = data_or_demo(None)
    kort = danmarkskort(data, "botilbud_bpa", 2024, tiles=True)
    assert "Botilbud, BPA og kontanttilskud" in kort.title
    table = kommune_table(data, "botilbud_bpa", 2024)
    [overturned, cases] = (
        table.loc[table["kommunekode"] == 751, ["omgjort", "realitetsbehandlede"]]
        .iloc[0]
        .astype(int)
    )
    counts = f"{overturned} af {cases} sager"
    assert cases > 0
    assert kort.frame.set_index("kommunekode").loc[751, "Sager"] == counts


def test_a_provision_of_a_group_without_any_case_is_pointed_out(tmp_path: Path) -> None:
    """Any provision of a law is accepted, so a typo (§ 1077 for § 107) reads; the figures
    then say that it has no cases at all."""
    typo = GROUPS.replace("SEL § 107,", "SEL § 1077,")
    where = ("--data", str(focus_data(tmp_path)), "--areas", str(groups_file(tmp_path, typo)),
             "--kommune", "707", "--area", "botilbud_bpa", "--year", "2021")  # fmt: skip
    code, out = rates(*where)
    assert code == 0, out
    assert "Bemærk: SEL § 1077 har ingen sager i datafilen i noget år" in out
    assert json.loads(rates(*where, "--format", "json")[1])["paragraffer_uden_sager"] == [
        "SEL § 1077"
    ]
    correct = (*where[:2], "--areas", str(groups_file(tmp_path)), *where[4:])
    assert "ingen sager i datafilen" not in rates(*correct)[1]
