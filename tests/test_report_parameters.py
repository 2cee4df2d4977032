"""Report parameters: validated before any notebook runs, every problem at once, with the
library's messages; the jobs a request expands into and where their files go."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from omglib import demodata
from omglib.cli import main
from omglib.errors import DataError
from omglib.reports.inputfiles import Inputs
from omglib.reports.parameters import Job, Request, build_request, read_parameter_file
from tests.helpers.data import demo_reader


def request(**options: object) -> Request:
    return build_request(dict(options), "test.yaml", demo_reader)


def test_all_kommuner_one_area_and_year_is_98_jobs() -> None:
    chosen = request(kommune="all", area="boernehandicap", year=2024)
    jobs = chosen.jobs()
    assert len(jobs) == 98 and chosen.formats == ("html",)
    assert jobs[0] == Job("kommunerapport", 2024, ("boernehandicap",), ("html",), 101)


def test_names_lists_and_commas_are_accepted_and_deduplicated() -> None:
    chosen = request(
        kommune=["Århus", "707", "Aarhus Kommune"],
        area="Børnehandicapområdet,voksenhandicap",
        year=["2023", 2024],
        format="html,PDF",
    )
    assert chosen.kommuner == (751, 707)
    assert chosen.areas == ("boernehandicap", "voksenhandicap")
    assert chosen.years == (2023, 2024) and chosen.formats == ("html", "pdf")
    assert len(chosen.jobs()) == 2 * 2 * 2


def test_every_problem_is_reported_at_once_with_hints() -> None:
    with pytest.raises(DataError) as caught:
        request(
            kommune=["Arhus", "Norddjurs"],
            area="boernehandicapp",
            year=[2030],
            format="docx",
            colour="blå",
        )
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 5
    assert any(
        "nøgle 'kommune' = 'Arhus': Ukendt kommune 'Arhus' – mente du Aarhus (751)?" in m
        for m in messages
    )
    assert any("nøgle 'area'" in m and "Ukendt område 'boernehandicapp'" in m for m in messages)
    assert any(
        "'year'" in m and "findes ikke i datafilen (den har 2017–2024)" in m for m in messages
    )
    assert any("'format'" in m and "ukendt format" in m for m in messages)
    assert any("'colour'" in m and "ukendt nøgle" in m for m in messages)
    assert all(m.startswith("test.yaml") for m in messages)


def test_missing_choices_and_missing_files_are_problems(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        request(data=str(tmp_path / "findes-ikke.csv"))
    assert "nøgle 'data' = '" in str(caught.value) and "filen findes ikke" in str(caught.value)
    with pytest.raises(DataError) as caught:
        request(area="boernehandicap")
    assert "nøgle 'kommune': mangler" in str(caught.value)
    assert "nøgle 'year': mangler" in str(caught.value)


def test_danmarkskort_is_one_report_per_area_and_year_without_kommune() -> None:
    chosen = request(notebook="danmarkskort", area="all", year=2024)
    assert [job.stem.as_posix() for job in chosen.jobs()] == [
        "2024/boernehandicap/danmarkskort",
        "2024/socialomraadet/danmarkskort",
        "2024/voksenhandicap/danmarkskort",
    ]
    with pytest.raises(DataError, match="danmarkskortet dækker hele landet"):
        request(notebook="danmarkskort", kommune="Aarhus", area="all", year=2024)


def test_briefing_is_one_report_per_kommune_with_all_areas() -> None:
    chosen = request(notebook="udvalgsbriefing", kommune="Norddjurs", area="all", year=2024)
    (job,) = chosen.jobs()
    assert job.parameters(Inputs())["areas"] == [
        "boernehandicap",
        "socialomraadet",
        "voksenhandicap",
    ]
    assert job.stem.as_posix() == "2024/udvalgsbriefing/707-norddjurs"
    assert job.title == "Udvalgsbriefing om omgørelser 2024 – Norddjurs Kommune"


def test_stem_and_title_of_a_kommune_report() -> None:
    job = Job("kommunerapport", 2023, ("boernehandicap",), ("html",), 173)
    assert job.stem.as_posix() == "2023/boernehandicap/173-lyngby-taarbaek"
    assert job.title == "Omgørelser 2023: børnehandicapområdet – Lyngby-Taarbæk Kommune"
    assert job.parameters(Inputs()) == {
        "year": 2023,
        "kommune": 173,
        "area": "boernehandicap",
        "data_file": "",
        "volumes_file": "",
        "boundaries_file": "",
        "areas_file": "",
    }


def test_parameter_file_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    data = demodata.write(tmp_path / "data")[0]
    params = tmp_path / "sæt" / "batch.yaml"
    params.parent.mkdir()
    params.write_text(
        f"kommune: all\narea: boernehandicap\nyear: 2024\ndata: ../data/{data.name}\n",
        encoding="utf-8",
    )
    loaded = read_parameter_file(params)
    chosen = build_request(loaded, str(params), demo_reader)
    assert chosen.inputs.data == data.resolve()
    assert len(chosen.inputs.hashes["data"]) == 64


@pytest.mark.parametrize(
    ("content", "message"),
    [("kommune: [unclosed", "ikke gyldig YAML"), ("- bare en liste", "forventede nøgler")],
)
def test_broken_parameter_file_is_one_line_exit_2(
    tmp_path: Path, content: str, message: str
) -> None:
    params = tmp_path / "batch.yaml"
    params.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["reports", "--params", str(params), "--out", str(tmp_path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "batch.yaml" in lines[0] and message in lines[0]


def test_omg_reports_with_an_unknown_kommune_stops_before_any_notebook(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "reports",
            "--kommune",
            "Arhus",
            "--area",
            "boernehandicap",
            "--year",
            "2024",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Fejl: kommandolinjen: nøgle 'kommune' = 'Arhus': Ukendt kommune 'Arhus' – "
        "mente du Aarhus (751)?"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("path", sorted((Path(__file__).parents[1] / "params").glob("*.yaml")))
def test_shipped_parameter_sets_are_valid(path: Path) -> None:
    chosen = build_request(read_parameter_file(path), str(path), demo_reader)
    assert chosen.jobs()


def test_tiles_reach_the_map_reports_only() -> None:
    inputs = Inputs.of(None)
    tiled = request(kommune="Norddjurs", area="boernehandicap", year=2024, tiles=True)
    assert tiled.jobs()[0].parameters(inputs)["tiles"] is True
    plain = request(kommune="Norddjurs", area="boernehandicap", year=2024)
    assert "tiles" not in plain.jobs()[0].parameters(inputs)  # other reports' bytes unchanged
    national = request(notebook="danmarkskort", area="boernehandicap", year=2024, tiles=True)
    assert national.jobs()[0].parameters(inputs)["tiles"] is True
    with pytest.raises(DataError) as caught:
        request(notebook="opfoelgning", kommune="Norddjurs", area="all", year=2024, tiles=True)
    assert "gælder kun rapporter med kort (kommunerapport, danmarkskort)" in str(caught.value)
    boundaries = demodata.packaged_file("afgoerelser")  # any existing file will do here
    with pytest.raises(DataError) as caught:
        request(kommune="Norddjurs", area="all", year=2024, tiles=True, boundaries=boundaries)
    assert "vælg enten en grænsefil (boundaries) eller flisekortet" in str(caught.value)


def test_the_briefing_takes_the_administrations_own_answer() -> None:
    chosen = request(
        notebook="udvalgsbriefing",
        kommune="Norddjurs",
        area="all",
        year=2024,
        recommendation={"Voksenhandicap": "Handleplan", "boernehandicap": "ingen"},
    )
    parameters = chosen.jobs()[0].parameters(Inputs.of(None))
    assert parameters["recommendations"] == {
        "voksenhandicap": "handleplan",
        "boernehandicap": "ingen",
    }
    with pytest.raises(DataError) as caught:
        request(
            notebook="udvalgsbriefing", kommune="707", area="all", year=2024, recommendation="x"
        )
    assert "forventede område=svar, fx voksenhandicap=handleplan" in str(caught.value)
