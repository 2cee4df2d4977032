"""The follow-up report and the learning part of the briefing pack, on the demo data:
the sections are there with their numbers, and real data are never mixed with demo
files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from omglib import demodata, read_data
from omglib.errors import OmgError
from omglib.learning import analyses, followup, handleplan, plantargets
from omglib.present.display import Markdown
from omglib.reports.inputfiles import Inputs
from omglib.reports.parameters import Job


def test_briefing_pack_has_plan_targets_reasons_and_knowledge_bank(
    reports: dict[str, Path],
) -> None:
    page = reports["udvalgsbriefing"].read_text(encoding="utf-8")
    assert "Handleplan for Norddjurs Kommune" in page
    assert ">Frist overskredet<" in page  # an action past its end date, not done
    assert "Handleplanens mål" in page and "95 %-interval" in page
    assert "Ikke nået" in page or "Nået" in page
    assert "Den hyppigste årsag til omgørelse var" in page  # the reasons chart's description
    assert "Vidensbank: omgjorte afgørelser" in page and '<select name="aarsag">' in page
    assert "D2024-707" not in page  # no case ids for the committee


def test_follow_up_report_has_every_section(reports: dict[str, Path]) -> None:
    page = reports["opfoelgning"].read_text(encoding="utf-8")
    for heading in (
        "Klager",
        "Hvorfor blev sagerne omgjort?",
        "Hvad skete der efter",
        "Vidensbank",
    ):
        assert heading in page
    assert "Kommunen modtog" in page and "hjemviste sager endte" in page


def test_demo_inputs_only_with_demo_data(tmp_path: Path) -> None:
    demo = followup.load("Norddjurs")
    assert demo.table is not None and demo.plan is not None
    assert followup.load("Aarhus").plan is None  # the demo plan is Norddjurs'
    real = followup.load("Norddjurs", data_file=demodata.packaged_file("afgoerelser"))
    assert real.table is None and real.plan is None
    note = followup.reasons(real, "boernehandicap", 2024)
    assert isinstance(note, Markdown) and "uden en sagsfil" in note
    assert "ingen handleplan for Norddjurs" in followup.plan(real, dt.date(2025, 1, 1))


def test_an_action_plan_for_another_kommune_is_an_error() -> None:
    with pytest.raises(
        OmgError, match=r"Handleplanen .* er for Norddjurs Kommune, men rapporten er for Aarhus"
    ):
        followup.load("Aarhus", action_plan_file=handleplan.demo_file())


def test_follow_up_job_has_its_own_file_title_and_parameters() -> None:
    job = Job("opfoelgning", 2024, ("boernehandicap",), ("html",), 707, mask_cpr=True)
    assert job.stem.as_posix() == "2024/boernehandicap/707-norddjurs-opfoelgning"
    assert job.title == "Opfølgning på omgørelser 2024: børnehandicapområdet – Norddjurs Kommune"
    assert job.parameters(Inputs()) == {
        "year": 2024,
        "kommune": 707,
        "area": "boernehandicap",
        "data_file": "",
        "volumes_file": "",
        "cases_file": "",
        "action_plan_file": "",
        "alerts_file": "",
        "areas_file": "",
        "mask_cpr": True,
    }


def test_a_target_can_name_overturned_cases_with_a_reason(tmp_path: Path) -> None:
    """ "Fewer remands for insufficient information": a figure counted from the case file."""
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(
        "kommune: Norddjurs\nhandlinger:\n"
        "  - emne: Oplysningsgrundlag\n    maal: Færre omgørelser for manglende oplysninger\n"
        "    hvad: Tjekliste\n    fra: 2024-01-01\n    til: 2024-12-31\n"
        "    ansvarlig: Afdelingsleder\n    status: gennemført\n    maalepunkt:\n"
        "      tal: omgjorte_utilstraekkeligt_oplysningsgrundlag\n"
        "      omraade: boernehandicap\n      aar: 2024\n      under: 3\n",
        encoding="utf-8",
    )
    inputs = followup.load("Norddjurs", cases_file=demodata.packaged_file("sager"))
    plan = handleplan.read_action_plan(plan_file)
    data = read_data(demodata.packaged_file("afgoerelser"))
    (result,) = plantargets.evaluate_targets(plan, data, None, inputs.table)
    assert inputs.table is not None
    cases = analyses.learning_cases(inputs.table)
    ranking = analyses.reasons_ranked(cases, "Norddjurs", "boernehandicap", 2024).table
    expected = int(ranking.set_index("aarsag")["sager"].loc["Utilstrækkeligt oplysningsgrundlag"])
    assert result.measurement.value == expected == 5
    assert result.verdict.outcome == "not_reached"
    no_cases = plantargets.evaluate_targets(plan, data, None, None)[0]
    assert no_cases.verdict.outcome == "unmeasured" and "sagsfil" in no_cases.measurement.note
