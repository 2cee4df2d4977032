"""`omg reports --scheduler`: the batch on a Dask cluster (in-process, two single-thread
worker processes) gives the local executor's reports, survives a worker that dies
mid-report without losing or doubling a report, and fails in one Danish line when the
scheduler does not answer."""

from __future__ import annotations

import collections
import json
import logging
import os
import re
import shutil
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from omglib import demodata, read_data
from omglib.cli import main
from omglib.dataset import Dataset
from omglib.reports.batch import LocalExecutor, Outcome, Work, notebook_dir, run_batch
from omglib.reports.manifest import Manifest, fingerprints
from omglib.reports.parameters import Job, Request, build_request
from tests.helpers.batch import KOMMUNER, report

distributed = pytest.importorskip(
    "distributed", reason="Dask distributed is not installed (pip install -e '.[dask]')"
)
cloudpickle = pytest.importorskip("cloudpickle", reason="cloudpickle comes with Dask")

from omglib.reports import distributed as omg_dask  # noqa: E402 (after the skip)

# The sabotaged work below is defined here, a module the workers cannot import.
cloudpickle.register_pickle_by_value(sys.modules[__name__])

STEMS = ("707-norddjurs", "751-aarhus", "173-lyngby-taarbaek")

pytestmark = pytest.mark.usefixtures("reproducible_date")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A local cluster of two single-thread worker processes, started without
    SOURCE_DATE_EPOCH: the client's value must travel with the tasks."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH")
        cluster = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    with cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Copies of the demo files, so the batch has input files to send to the workers."""
    folder = tmp_path_factory.mktemp("inddata")
    return {
        kind: Path(shutil.copy(demodata.packaged_file(name), folder / f"{name}.csv"))
        for kind, name in (("data", "afgoerelser"), ("volumes", "volumener"))
    }


def demo_request(inputs: dict[str, Path], **options: object) -> Request:
    chosen = {
        "kommune": list(KOMMUNER),
        "area": "boernehandicap",
        "year": 2024,
        "data": str(inputs["data"]),
        "volumes": str(inputs["volumes"]),
        **options,
    }
    return build_request(chosen, "test", read_named_file)


def read_named_file(path: Path | None) -> Dataset:
    """The reader for requests that name their data file."""
    assert path is not None, "the request names no data file"
    return read_data(path)


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory, inputs: dict[str, Path]) -> Path:
    """The reference: the same batch with the local executor."""
    out = tmp_path_factory.mktemp("lokalt")
    summary = run_batch(demo_request(inputs), out, LocalExecutor(2), progress=False)
    assert not summary.failed, summary.lines()
    return out


def comparable(out: Path, stem: str) -> dict[str, Any]:
    """An executed notebook without what differs between any two runs: papermill's and
    the kernel's timings, the random id papermill gives the injected cell, the random
    element ids in Altair's HTML output, the execution counts (a warm kernel counts on
    from the reports it made before) and the output directory."""
    notebook = report(out, stem, "ipynb")
    content = json.loads(re.sub(r"altair-viz-[0-9a-f]{32}", "altair-viz-ID", notebook.read_text()))
    papermill = content["metadata"]["papermill"]
    papermill["output_path"] = str(Path(papermill["output_path"]).relative_to(out))
    for part in [content, *content["cells"]]:
        part["metadata"].pop("execution", None)
        for timing in ("start_time", "end_time", "duration"):
            part["metadata"].get("papermill", {}).pop(timing, None)
        if "injected-parameters" in part["metadata"].get("tags", []):
            del part["id"]
        for counted in [part, *part.get("outputs", [])]:
            counted.pop("execution_count", None)
    return dict(content)


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_reports_on_the_cluster_equal_the_local_executors(
    scheduler: str, inputs: dict[str, Path], local: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dask"
    arguments = [
        "reports",
        "--scheduler",
        scheduler,
        "--data",
        str(inputs["data"]),
        "--volumes",
        str(inputs["volumes"]),
        "--kommune",
        ",".join(KOMMUNER),
        "--area",
        "boernehandicap",
        "--year",
        "2024",
        "--out",
        str(out),
    ]
    code, stdout, stderr = cli(*arguments)
    assert code == 0, stderr
    assert stdout.startswith("3 rapporter lavet, 0 uændrede sprunget over, 0 fejlede")
    for stem in STEMS:
        assert report(out, stem, "html").read_bytes() == report(local, stem, "html").read_bytes()
        notebook = comparable(out, stem)
        assert notebook == comparable(local, stem)
        parameters = notebook["metadata"]["papermill"]["parameters"]
        assert parameters["data_file"] == str(inputs["data"].resolve())  # not a worker's copy
    entries = [Manifest(folder).entries for folder in (out, local)]
    assert entries[0].keys() == entries[1].keys() and len(entries[0]) == 3
    for key, entry in entries[0].items():
        assert entry["fingerprint"] == entries[1][key]["fingerprint"]
        assert entry["filer"]["html"] == entries[1][key]["filer"]["html"]
    assert not list(out.rglob(".*"))  # no temporary files left behind
    code, stdout, _ = cli(*arguments)
    assert code == 0 and stdout.startswith("0 rapporter lavet, 3 uændrede sprunget over")


@dataclass(frozen=True)
class DiesOnce(Work):
    """Work whose worker process dies the first time it starts the `victim` report; every
    report made is noted in `marks/lavet.log`."""

    victim: str = ""
    marks: Path = Path()

    def __call__(self, job: Job) -> Outcome:
        if str(job.stem) == self.victim:
            try:
                (self.marks / "død").open("x").close()
            except FileExistsError:
                pass
            else:
                os._exit(1)
        outcome = super().__call__(job)
        with (self.marks / "lavet.log").open("a") as log:
            log.write(f"{job.stem}\n")
        return outcome


class Sabotaged(omg_dask.DaskExecutor):
    """The Dask executor with work that kills one worker mid-report."""

    def __init__(self, address: str, victim: str, marks: Path) -> None:
        super().__init__(address)
        self.victim, self.marks = victim, marks

    def run(self, work: Work, jobs: list[Job]) -> Iterator[Outcome]:
        sabotaged = DiesOnce(
            work.inputs,
            work.notebooks,
            work.out_dir,
            work.engine,
            victim=self.victim,
            marks=self.marks,
        )
        return super().run(sabotaged, jobs)


def test_a_worker_that_dies_mid_report_loses_no_report_and_makes_none_twice(
    scheduler: str, inputs: dict[str, Path], tmp_path: Path
) -> None:
    victim = "2024/boernehandicap/751-aarhus"
    marks = tmp_path / "spor"
    marks.mkdir()
    request = demo_request(inputs)
    out = tmp_path / "ud"
    summary = run_batch(request, out, Sabotaged(scheduler, victim, marks), progress=False)
    assert (marks / "død").is_file()  # the worker did die
    assert summary.failed == [], summary.lines()
    made = collections.Counter((marks / "lavet.log").read_text().splitlines())
    assert made == {f"2024/boernehandicap/{stem}": 1 for stem in STEMS}
    assert sorted(str(o.job.stem) for o in summary.made) == sorted(made)
    assert [(str(o.job.stem), o.attempts) for o in summary.retried] == [(victim, 2)]
    lines = summary.lines()
    assert lines[1] == "1 rapport blev kørt igen efter at en worker stoppede:"
    assert lines[2] == f"  IGEN {victim} (forsøg 2)"
    manifest = Manifest(out.resolve())
    assert len(manifest.entries) == 3
    prints = fingerprints(request.jobs(), request.inputs, notebook_dir())
    assert all(manifest.is_current(job, print_) for job, print_ in prints.items())


def test_shared_inputs_are_read_in_place_and_checked_against_their_hash(
    scheduler: str, inputs: dict[str, Path], local: Path, tmp_path: Path
) -> None:
    shared = omg_dask.DaskExecutor(scheduler, shared_inputs=True)
    one = demo_request(inputs, kommune="Norddjurs")
    summary = run_batch(one, tmp_path / "delt", shared, progress=False)
    assert summary.failed == [] and len(summary.made) == 1
    made = report(tmp_path / "delt", "707-norddjurs", "html").read_bytes()
    assert made == report(local, "707-norddjurs", "html").read_bytes()
    changed = tmp_path / "afgoerelser.csv"
    shutil.copy(inputs["data"], changed)
    request = demo_request({**inputs, "data": changed}, kommune="Norddjurs")
    with changed.open("a", encoding="utf-8") as stream:
        stream.write("\n")  # changed after the batch took its hash
    summary = run_batch(request, tmp_path / "ændret", shared, progress=False)
    assert summary.made == [] and len(summary.failed) == 1
    assert "er ikke den samme fil som klientens (SHA-256 afviger)" in str(summary.failed[0].error)


def test_a_failing_report_on_the_cluster_keeps_its_notebook_here_and_stops_no_other(
    scheduler: str, tmp_path: Path
) -> None:
    """Voksenhandicap is not in this data file: that report fails in its notebook."""
    data = tmp_path / "afgoerelser.csv"
    lines = demodata.packaged_file("afgoerelser").read_text(encoding="utf-8").splitlines()
    data.write_text(
        "\n".join(line for line in lines if "oksenhandicap" not in line) + "\n", encoding="utf-8"
    )
    valid = build_request(
        {"kommune": "Norddjurs", "area": "boernehandicap", "year": 2024, "data": str(data)},
        "test",
        read_named_file,
    )
    impossible = replace(valid, areas=("boernehandicap", "voksenhandicap"))
    out = tmp_path / "ud"
    summary = run_batch(impossible, out, omg_dask.DaskExecutor(scheduler), progress=False)
    assert [str(o.job.stem) for o in summary.made] == ["2024/boernehandicap/707-norddjurs"]
    [failure] = summary.failed
    assert failure.error is not None and "voksenhandicap" in failure.error.lower()
    assert failure.failed_notebook == out.resolve() / "2024/voksenhandicap/707-norddjurs.fejl.ipynb"
    assert failure.failed_notebook.is_file()


def test_a_scheduler_that_does_not_answer_is_one_danish_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setattr(omg_dask, "CONNECT_TIMEOUT_S", 0.5)
    common = ["reports", "--kommune", "Norddjurs", "--area", "boernehandicap", "--year", "2024"]
    code, _, stderr = cli(*common, "--scheduler", address, "--out", str(tmp_path))
    assert code == 2
    assert stderr.splitlines() == [
        f"Fejl: Kan ikke nå Dask-scheduleren {address}: intet svar inden for 0.5 s "
        f"(Timed out trying to connect to {address} after 0.5 s)"
    ]
    code, _, stderr = cli(*common, "--scheduler", address, "--jobs", "2")
    assert code == 2 and stderr.startswith("Fejl: --jobs gælder kun på denne maskine")
    code, _, stderr = cli(*common, "--shared-inputs")
    assert code == 2 and stderr.startswith("Fejl: --shared-inputs gælder kun sammen med")
