"""What makes a report again: its fingerprint (omglib's code and data, the input files,
demo files included, the environment a report reads, the notebook) and the manifest's
journal, from which a killed batch's rerun makes exactly the missing reports.

Most tests run `run_batch` with `StandIn`, an executor that makes a small HTML file
per report instead of running its notebook, so the skip decision is tested end to end
without a kernel; one test makes a real report."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import omglib
from omglib import demodata
from omglib.errors import OmgError
from omglib.learning import handleplan
from omglib.output import file_sha256
from omglib.reports import manifest as manifest_module
from omglib.reports.batch import LocalExecutor, Outcome, Work, notebook_dir, run_batch
from omglib.reports.inputfiles import Inputs
from omglib.reports.manifest import (
    JOURNAL_NAME,
    MANIFEST_NAME,
    Manifest,
    code_sha256,
    fingerprints,
)
from omglib.reports.parameters import Job, Request, build_request
from tests.helpers.batch import report
from tests.helpers.data import demo_reader

pytestmark = pytest.mark.usefixtures("reproducible_date")

KOMMUNER = ("Norddjurs", "Aarhus", "Lyngby-Taarbæk", "Odense", "Frederikssund")
#: A row of the demo counts and the same row with one more stadfæstet case (and total).
ROW = "2017;101;København;Børnehandicap;SEL § 32;4;6;0;2;12"
CHANGED_ROW = "2017;101;København;Børnehandicap;SEL § 32;5;6;0;2;13"


class Killed(BaseException):
    """The batch's process stopping mid-batch: nothing after it runs."""


class StandIn:
    """An executor that makes each report as a small HTML file naming it, without a
    notebook, and notes which reports it was asked for; with `stop_after` the batch is
    killed when it asks for one report more."""

    def __init__(self, stop_after: int | None = None) -> None:
        self.made: list[str] = []
        self.stop_after = stop_after

    def run(self, work: Work, jobs: list[Job]) -> Iterator[Outcome]:
        for job in jobs:
            self._alive()
            self.made.append(str(job.stem))
            yield Outcome(job, contents={"html": f"<p>{job.stem}</p>".encode()})
        self._alive()

    def _alive(self) -> None:
        if len(self.made) == self.stop_after:
            raise Killed


def stems(request: Request) -> list[str]:
    return [str(job.stem) for job in request.jobs()]


def made_by(request: Request, out: Path) -> list[str]:
    """The reports a rerun of `request` in `out` makes."""
    stand_in = StandIn()
    summary = run_batch(request, out, stand_in, progress=False)
    assert sorted(str(o.job.stem) for o in summary.made) == sorted(stand_in.made)
    assert len(summary.made) + len(summary.skipped) == len(request.jobs())
    return stand_in.made


@pytest.fixture(scope="module")
def demo() -> Request:
    """Five kommune reports on the demo data (no files given)."""
    options = {"kommune": list(KOMMUNER), "area": "boernehandicap", "year": 2024}
    return build_request(options, "test", demo_reader)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """The demo counts as a file of the user's."""
    path = tmp_path / "afgoerelser.csv"
    shutil.copyfile(demodata.packaged_file("afgoerelser"), path)
    assert ROW in path.read_text(encoding="utf-8")
    return path


def change_row(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(ROW, CHANGED_ROW, 1), encoding="utf-8")


@pytest.fixture
def package_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the omglib package whose hash goes into the fingerprints instead."""
    copy = tmp_path / "kopi" / "omglib"
    shutil.copytree(
        manifest_module.PACKAGE_ROOT, copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    monkeypatch.setattr(manifest_module, "PACKAGE_ROOT", copy)
    return copy


# --- omglib's own code and data ----------------------------------------------------------


def test_the_code_hash_is_of_the_imported_package() -> None:
    root = manifest_module.PACKAGE_ROOT
    assert root == Path(omglib.__file__).resolve().parent
    assert (root / "data" / "kommuner.csv").is_file() and (root / "demo").is_dir()


def test_the_code_hash_covers_every_file_by_name_and_content_but_no_caches(
    package_copy: Path,
) -> None:
    before = code_sha256(package_copy)
    (package_copy / "__pycache__").mkdir(exist_ok=True)
    (package_copy / "__pycache__" / "stats.cpython-311.pyc").write_bytes(b"\0")
    (package_copy / "data" / ".kommuner.csv.abc.tmp").write_text("halvt skrevet")
    assert code_sha256(package_copy) == before

    stats = package_copy / "stats.py"
    original = stats.read_text(encoding="utf-8")
    stats.write_text(original.replace("\n", "\n# én linje mere\n", 1), encoding="utf-8")
    assert code_sha256(package_copy) != before
    stats.write_text(original, encoding="utf-8")
    assert code_sha256(package_copy) == before

    kommuner = package_copy / "data" / "kommuner.csv"
    lines = kommuner.read_text(encoding="utf-8").splitlines(keepends=True)
    kommuner.write_text("".join([*lines[:-1], lines[-1].replace("1", "2", 1)]), "utf-8")
    changed_data = code_sha256(package_copy)
    assert changed_data != before
    kommuner.rename(package_copy / "data" / "kommuner-gammel.csv")
    assert code_sha256(package_copy) not in (before, changed_data)


def test_nothing_changed_skips_every_report(demo: Request, tmp_path: Path) -> None:
    assert made_by(demo, tmp_path) == stems(demo)
    assert made_by(demo, tmp_path) == []


def test_one_changed_line_of_omglib_makes_every_report_again(
    demo: Request, package_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ud"
    assert made_by(demo, out) == stems(demo)
    figures = package_copy / "figures.py"
    figures.write_text(figures.read_text(encoding="utf-8") + "# ændret\n", encoding="utf-8")
    assert made_by(demo, out) == stems(demo)
    assert made_by(demo, out) == []


def test_one_changed_row_of_a_demo_file_makes_the_demo_reports_again(
    demo: Request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the demo data the demo files' own hashes decide (here a demo file outside the
    package, so the code hash cannot see it)."""
    volumes = tmp_path / "volumener.csv"
    packaged = demodata.packaged_file
    shutil.copyfile(packaged("volumener"), volumes)
    monkeypatch.setattr(
        demodata, "packaged_file", lambda name: volumes if name == "volumener" else packaged(name)
    )
    out = tmp_path / "ud"
    assert made_by(demo, out) == stems(demo)
    volumes.write_text(volumes.read_text(encoding="utf-8").replace(";1", ";2", 1), "utf-8")
    assert made_by(demo, out) == stems(demo)


# --- the input files ---------------------------------------------------------------------


def test_one_changed_row_of_the_data_file_makes_its_reports_again(
    demo: Request, data_copy: Path, tmp_path: Path
) -> None:
    cases = tmp_path / "sager.csv"
    shutil.copyfile(demodata.packaged_file("sager"), cases)
    given = replace(demo, inputs=Inputs.of(data_copy, cases=cases))
    out = tmp_path / "ud"
    assert made_by(given, out) == stems(given)
    cases.write_text(cases.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    given = replace(demo, inputs=Inputs.of(data_copy, cases=cases))
    assert made_by(given, out) == []  # the kommune report does not read the case file
    change_row(data_copy)
    changed = replace(demo, inputs=Inputs.of(data_copy, cases=cases))
    assert made_by(changed, out) == stems(given)


def test_a_renamed_data_file_makes_its_reports_again_and_a_moved_one_does_not(
    demo: Request, data_copy: Path, tmp_path: Path
) -> None:
    """A report names its data file in its source line, so the name is an input."""
    given = replace(demo, inputs=Inputs.of(data_copy))
    out = tmp_path / "ud"
    assert made_by(given, out) == stems(given)
    (tmp_path / "flyttet").mkdir()
    moved = data_copy.rename(tmp_path / "flyttet" / data_copy.name)
    assert made_by(replace(demo, inputs=Inputs.of(moved)), out) == []
    renamed = moved.rename(moved.with_name("omgoerelser-2024.csv"))
    assert made_by(replace(demo, inputs=Inputs.of(renamed)), out) == stems(given)


def test_demo_reports_record_the_packaged_files_they_read(demo: Request) -> None:
    folder = notebook_dir()
    (kommune_report,) = fingerprints(demo.jobs()[:1], demo.inputs, folder).values()
    assert kommune_report["inddata_sha256"] == {
        "data": file_sha256(demodata.packaged_file("afgoerelser")),
        "volumes": file_sha256(demodata.packaged_file("volumener")),
    }
    follow_up = replace(demo.jobs()[0], notebook="opfoelgning")
    (learning,) = fingerprints([follow_up], demo.inputs, folder).values()
    assert learning["inddata_sha256"] == kommune_report["inddata_sha256"] | {
        "cases": file_sha256(demodata.packaged_file("sager")),
        "action_plan": file_sha256(handleplan.demo_file()),
    }


def test_a_users_data_file_without_volumes_reads_no_demo_file(
    demo: Request, data_copy: Path
) -> None:
    inputs = Inputs.of(data_copy)
    (print_,) = fingerprints(demo.jobs()[:1], inputs, notebook_dir()).values()
    assert print_["inddata_sha256"] == {"data": file_sha256(data_copy)}


def dated(path: Path, extract_date: str) -> Path:
    """`path` (a copy of the demo counts) with its title line stating `extract_date`."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    title = f"Syntetiske demodata, udtrukket {extract_date}\n"
    path.write_text("".join([title, *lines[1:]]), encoding="utf-8")
    return path


def test_demo_reports_record_that_no_file_states_an_extract_date(demo: Request) -> None:
    follow_up = replace(demo.jobs()[0], notebook="opfoelgning")
    prints = fingerprints([demo.jobs()[0], follow_up], demo.inputs, notebook_dir())
    assert prints[demo.jobs()[0]]["inddata_udtraeksdato"] == {"data": None, "volumes": None}
    assert prints[follow_up]["inddata_udtraeksdato"] == dict.fromkeys(
        ["action_plan", "cases", "data", "volumes"]
    )


def test_the_extract_date_stands_beside_the_hash_and_makes_the_reports_again(
    demo: Request, data_copy: Path, tmp_path: Path
) -> None:
    given = replace(demo, inputs=Inputs.of(dated(data_copy, "7. februar 2023")))
    (print_,) = fingerprints(given.jobs()[:1], given.inputs, notebook_dir()).values()
    assert print_["inddata_udtraeksdato"] == {"data": "2023-02-07"}
    assert print_["inddata_sha256"] == {"data": file_sha256(data_copy)}
    out = tmp_path / "ud"
    assert made_by(given, out) == stems(given)
    assert made_by(given, out) == []
    revised = replace(demo, inputs=Inputs.of(dated(data_copy, "8. februar 2023")))
    assert made_by(revised, out) == stems(given)
    entry = Manifest(out).entries[stems(given)[0]]
    assert entry["fingerprint"]["inddata_udtraeksdato"] == {"data": "2023-02-08"}


def test_the_extract_date_counts_in_its_own_right_not_only_through_the_hash(
    demo: Request, data_copy: Path, tmp_path: Path
) -> None:
    """Two files of one name whose hashes the fingerprint is told are equal: only the
    extract date tells their fingerprints apart."""
    first = Inputs.of(dated(data_copy, "7. februar 2023"))
    other = tmp_path / "andet" / data_copy.name
    other.parent.mkdir()
    shutil.copyfile(data_copy, other)
    second = Inputs(data=dated(other, "8. februar 2023"), hashes=first.hashes)
    job = demo.jobs()[0]
    before = fingerprints([job], first, notebook_dir())[job]
    after = fingerprints([job], second, notebook_dir())[job]
    assert before["inddata_sha256"] == after["inddata_sha256"]
    assert {k: v for k, v in before.items() if before[k] != after[k]} == {
        "inddata_udtraeksdato": {"data": "2023-02-07"}
    }


# --- the environment ---------------------------------------------------------------------


def test_omg_boundaries_and_its_file_are_in_the_fingerprint_of_reports_with_a_map(
    demo: Request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = demo.jobs()[0]
    follow_up = replace(job, notebook="opfoelgning")

    def prints(inputs: Inputs = demo.inputs) -> tuple[dict[str, Any], dict[str, Any]]:
        found = fingerprints([job, follow_up], inputs, notebook_dir())
        return found[job], found[follow_up]

    monkeypatch.delenv("OMG_BOUNDARIES", raising=False)
    tiles, follow_up_print = prints()
    assert tiles["miljoe"] == {"SOURCE_DATE_EPOCH": "1767225600", "OMG_BOUNDARIES": None}
    boundaries = tmp_path / "kommuner.geojson"
    boundaries.write_text('{"type": "FeatureCollection", "features": []}')
    monkeypatch.setenv("OMG_BOUNDARIES", str(boundaries))
    from_environment, unchanged = prints()
    assert unchanged == follow_up_print  # the follow-up report draws no map
    assert from_environment["miljoe"]["OMG_BOUNDARIES"] == str(boundaries)
    assert from_environment["inddata_sha256"]["boundaries"] == file_sha256(boundaries)
    boundaries.write_text('{"type": "FeatureCollection", "features": [] }')
    assert prints()[0] != from_environment
    given = Inputs.of(None, boundaries=boundaries)
    assert "OMG_BOUNDARIES" not in prints(given)[0]["miljoe"]

    monkeypatch.setenv("OMG_BOUNDARIES", str(tmp_path / "mangler.geojson"))
    with pytest.raises(OmgError, match=r"mangler\.geojson: grænsefilen, som OMG_BOUNDARIES"):
        prints()


def test_a_new_source_date_epoch_makes_the_reports_again(
    demo: Request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert made_by(demo, tmp_path) == stems(demo)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")  # the day after
    assert made_by(demo, tmp_path) == stems(demo)


# --- the journal -------------------------------------------------------------------------


def test_recording_a_report_appends_one_line_and_leaves_manifest_json_alone(
    demo: Request, tmp_path: Path
) -> None:
    first, second = demo.jobs()[:2]
    made_by(replace(demo, kommuner=demo.kommuner[:1]), tmp_path)
    before = (tmp_path / MANIFEST_NAME).stat()
    manifest = Manifest(tmp_path)
    assert set(manifest.entries) == {str(first.stem)}
    path = tmp_path / "x.html"
    path.write_text("<p>x</p>")
    print_ = fingerprints([second], demo.inputs, notebook_dir())[second]
    manifest.record(second, print_, {"html": path})
    manifest.record(second, print_, {"html": path})
    after = (tmp_path / MANIFEST_NAME).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    lines = (tmp_path / JOURNAL_NAME).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    entry = json.loads(lines[0])
    assert entry["rapport"] == str(second.stem) and entry["fingerprint"] == print_
    assert entry["filer"] == {"html": {"fil": "x.html", "sha256": file_sha256(path)}}

    manifest.fold()
    assert not (tmp_path / JOURNAL_NAME).exists()
    folded = json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert folded["format"] == 2
    assert list(folded["rapporter"]) == sorted([str(first.stem), str(second.stem)])
    assert folded["rapporter"][str(second.stem)]["fingerprint"] == print_


@pytest.mark.parametrize("recorded", [0, 1, 3, 5])
def test_a_batch_killed_mid_record_is_resumed_with_exactly_the_missing_reports(
    demo: Request, tmp_path: Path, recorded: int
) -> None:
    """Killed after `recorded` reports, the last of them with its journal line cut
    short (the kill came mid-write): the rerun makes that one and the ones never made."""
    order = StandIn(stop_after=recorded)
    with pytest.raises(Killed):
        run_batch(demo, tmp_path, order, progress=False)
    assert order.made == stems(demo)[:recorded]
    assert not (tmp_path / MANIFEST_NAME).exists()  # the batch never reached its end
    journal = tmp_path / JOURNAL_NAME
    whole = recorded
    if recorded:
        text = journal.read_text(encoding="utf-8")
        journal.write_text(text[: len(text) - len(text.splitlines()[-1]) // 2 - 1], "utf-8")
        whole -= 1
    assert made_by(demo, tmp_path) == stems(demo)[whole:]
    assert not journal.exists()
    folded = json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert sorted(folded["rapporter"]) == sorted(stems(demo))
    assert made_by(demo, tmp_path) == []


# --- real reports ------------------------------------------------------------------------


@pytest.mark.slow
def test_real_reports_unchanged_are_skipped_and_remade_after_a_data_row_changed(
    data_copy: Path, tmp_path: Path
) -> None:
    options = {"kommune": "Norddjurs", "area": "boernehandicap", "year": 2024}
    one = build_request({**options, "data": str(data_copy)}, "test", demo_reader)
    out = tmp_path / "ud"
    first = run_batch(one, out, LocalExecutor(1), progress=False)
    assert len(first.made) == 1 and first.failed == [], first.lines()
    page = report(out, "707-norddjurs", "html").read_bytes()
    again = run_batch(one, out, LocalExecutor(1), progress=False)
    assert again.made == [] and len(again.skipped) == 1
    change_row(data_copy)  # København's counts: the Norddjurs report reads the file anew
    changed = build_request({**options, "data": str(data_copy)}, "test", demo_reader)
    third = run_batch(changed, out, LocalExecutor(1), progress=False)
    assert [str(o.job.stem) for o in third.made] == ["2024/boernehandicap/707-norddjurs"]
    assert report(out, "707-norddjurs", "html").read_bytes() != page  # new data SHA-256
    entry = Manifest(out).entries["2024/boernehandicap/707-norddjurs"]
    assert entry["fingerprint"]["inddata_sha256"] == {"data": file_sha256(data_copy)}
    assert not (out / JOURNAL_NAME).exists()
