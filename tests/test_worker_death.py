"""The local batch when a worker process dies (SIGKILL, as the OOM killer sends): only the
report it was making is lost, and started again on a fresh process at most three times,
while the other reports go on; a cell that runs out of time or a kernel that dies is one
report's failure with its notebook kept. Every line of the summary is Danish."""

from __future__ import annotations

import collections
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from omglib.errors import OmgError
from omglib.reports import batch, engines
from omglib.reports.batch import MAX_ATTEMPTS, LocalExecutor, Outcome, Work, run_batch
from omglib.reports.manifest import Manifest
from omglib.reports.parameters import Job, Request, build_request
from tests.helpers.batch import KOMMUNER, report
from tests.helpers.data import demo_reader

pytestmark = pytest.mark.usefixtures("reproducible_date")

NORDDJURS, AARHUS, LYNGBY = (
    f"2024/boernehandicap/{stem}" for stem in ("707-norddjurs", "751-aarhus", "173-lyngby-taarbaek")
)
#: An exception class's name (CamelCase) or Python's English for a broken pool.
ENGLISH = re.compile(r"\b[A-Z][a-z]+[A-Z]\w*|terminated abruptly")


def demo_request(**options: object) -> Request:
    chosen = {"kommune": list(KOMMUNER), "area": "boernehandicap", "year": 2024, **options}
    return build_request(chosen, "test", demo_reader)


def noted(marks: Path, name: str) -> collections.Counter[str]:
    """The lines of `marks/<name>.log`, counted."""
    path = marks / f"{name}.log"
    return collections.Counter(path.read_text().splitlines() if path.exists() else [])


def note(marks: Path, name: str, line: str) -> None:
    with (marks / f"{name}.log").open("a") as log:
        log.write(f"{line}\n")


@dataclass(frozen=True)
class KillsItsWorker(Work):
    """Work whose worker process kills itself with SIGKILL on the first `kills` starts of
    the `victim` report; each start is noted in `marks/startet.log`, each report made in
    `marks/lavet.log`."""

    victim: str = ""
    kills: int = 1
    marks: Path = Path()

    def __call__(self, job: Job) -> Outcome:
        note(self.marks, "startet", str(job.stem))
        if str(job.stem) == self.victim and noted(self.marks, "startet")[self.victim] <= self.kills:
            os.kill(os.getpid(), signal.SIGKILL)
        outcome = super().__call__(job)
        note(self.marks, "lavet", str(job.stem))
        return outcome


class Sabotaged(LocalExecutor):
    """The local executor with work that kills its worker process."""

    def __init__(self, workers: int, victim: str, kills: int, marks: Path) -> None:
        super().__init__(workers)
        self.victim, self.kills, self.marks = victim, kills, marks

    def run(self, work: Work, jobs: list[Job]) -> Iterator[Outcome]:
        sabotaged = KillsItsWorker(
            work.inputs,
            work.notebooks,
            work.out_dir,
            work.engine,
            victim=self.victim,
            kills=self.kills,
            marks=self.marks,
        )
        return super().run(sabotaged, jobs)


def assert_danish(lines: list[str]) -> None:
    english = [line for line in lines if ENGLISH.search(line)]
    assert not english, english


def test_a_worker_killed_mid_report_costs_that_report_one_more_start_and_no_other(
    tmp_path: Path,
) -> None:
    marks = tmp_path / "spor"
    marks.mkdir()
    out = tmp_path / "ud"
    executor = Sabotaged(2, AARHUS, kills=1, marks=marks)
    summary = run_batch(demo_request(), out, executor, progress=False)
    assert summary.failed == [], summary.lines()
    # Aarhus started twice; the report beside it on the other process was not disturbed.
    assert noted(marks, "startet") == {NORDDJURS: 1, AARHUS: 2, LYNGBY: 1}
    assert noted(marks, "lavet") == {NORDDJURS: 1, AARHUS: 1, LYNGBY: 1}
    assert {str(o.job.stem): o.attempts for o in summary.made} == {
        NORDDJURS: 1,
        AARHUS: 2,
        LYNGBY: 1,
    }
    lines = summary.lines()
    assert lines[0].startswith("3 rapporter lavet, 0 uændrede sprunget over, 0 fejlede (")
    assert lines[1:] == [
        "1 rapport blev kørt igen efter at en worker stoppede:",
        f"  IGEN {AARHUS} (forsøg 2)",
    ]
    assert_danish(lines)
    assert len(Manifest(out.resolve()).entries) == 3
    assert report(out, "751-aarhus", "html").is_file()


def test_a_report_that_kills_its_worker_every_time_fails_alone_after_three_starts(
    tmp_path: Path,
) -> None:
    marks = tmp_path / "spor"
    marks.mkdir()
    out = tmp_path / "ud"
    request = demo_request(kommune=["Norddjurs", "Aarhus"])
    executor = Sabotaged(2, AARHUS, kills=MAX_ATTEMPTS + 1, marks=marks)
    summary = run_batch(request, out, executor, progress=False)
    assert noted(marks, "startet") == {NORDDJURS: 1, AARHUS: MAX_ATTEMPTS}
    assert [str(o.job.stem) for o in summary.made] == [NORDDJURS]
    [failure] = summary.failed
    assert failure.attempts == MAX_ATTEMPTS and failure.failed_notebook is None
    lines = summary.lines()
    assert lines[0].startswith("1 rapport lavet, 0 uændrede sprunget over, 1 fejlede (")
    assert lines[1:] == [
        f"  FEJL {AARHUS}: opgivet efter 3 forsøg – workerprocessen stoppede hver gang under "
        "rapporten (fx fordi hukommelsen slap op)"
    ]
    assert_danish(lines)
    assert report(out, "707-norddjurs", "html").is_file()


@dataclass(frozen=True)
class Quick(Work):
    """Work that makes no report: Norddjurs' process dies just after it, while it has no
    report; Aarhus' process dies the first time, after Norddjurs'."""

    marks: Path = Path()

    def __call__(self, job: Job) -> Outcome:
        note(self.marks, "startet", str(job.stem))
        if str(job.stem) == NORDDJURS:
            threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGKILL)).start()
        elif noted(self.marks, "startet")[AARHUS] == 1:
            time.sleep(2)
            os.kill(os.getpid(), signal.SIGKILL)
        return Outcome(job)


def test_a_worker_that_dies_between_reports_costs_no_report_a_start(tmp_path: Path) -> None:
    request = demo_request(kommune=["Norddjurs", "Aarhus"])
    work = Quick(request.inputs, tmp_path, tmp_path, "warm", marks=tmp_path)
    outcomes = list(LocalExecutor(2).run(work, request.jobs()))
    assert sorted((str(o.job.stem), o.error, o.attempts) for o in outcomes) == [
        (NORDDJURS, None, 1),
        (AARHUS, None, 2),
    ]


@dataclass(frozen=True)
class Raises(Work):
    """Work that fails outside the notebook: an OmgError for Norddjurs, a bug otherwise."""

    def __call__(self, job: Job) -> Outcome:
        if str(job.stem) == NORDDJURS:
            raise OmgError("Ukendt motor 'x' – vælg en af warm, papermill")
        raise ValueError("noget gik galt")


def test_an_error_outside_the_notebook_is_that_reports_failure_in_danish(tmp_path: Path) -> None:
    request = demo_request(kommune=["Norddjurs", "Aarhus"])
    work = Raises(request.inputs, tmp_path, tmp_path, "warm")
    outcomes = {str(o.job.stem): o for o in LocalExecutor(1).run(work, request.jobs())}
    assert outcomes[NORDDJURS].error == "Ukendt motor 'x' – vælg en af warm, papermill"
    assert outcomes[AARHUS].error == "uventet fejl uden for notesbogen (ValueError: noget gik galt)"


#: The last cell of a notebook that stops the kernel or sleeps past the cell timeout.
STOPS = {NORDDJURS: "import os\nos._exit(1)", AARHUS: "import time\ntime.sleep(60)"}
TIMEOUT_S = 3
CELL_TIMEOUT_S = engines.CELL_TIMEOUT_S


@dataclass(frozen=True)
class StoppingNotebooks(Work):
    """Work that runs a notebook whose last cell kills its kernel for Norddjurs and runs
    past a cell timeout of `TIMEOUT_S` for Aarhus (the real report for the others); each
    report's worker process is noted in `marks/pid.log`."""

    marks: Path = Path()

    def notebook(self, job: Job) -> Path:
        if str(job.stem) in STOPS:
            return self.marks / f"{job.stem.name}.ipynb"
        return super().notebook(job)

    def __call__(self, job: Job) -> Outcome:
        engines.CELL_TIMEOUT_S = TIMEOUT_S if str(job.stem) in STOPS else CELL_TIMEOUT_S
        note(self.marks, "pid", str(os.getpid()))
        return super().__call__(job)


class Stopping(LocalExecutor):
    """One worker process making each report with `StoppingNotebooks`."""

    def __init__(self, marks: Path) -> None:
        super().__init__(1)
        self.marks = marks

    def run(self, work: Work, jobs: list[Job]) -> Iterator[Outcome]:
        stopping = StoppingNotebooks(
            work.inputs, work.notebooks, work.out_dir, work.engine, marks=self.marks
        )
        return super().run(stopping, jobs)


def stopping_notebook(path: Path, last: str) -> None:
    parameters = nbformat.v4.new_code_cell("year = 0", metadata={"tags": ["parameters"]})
    cells = [parameters, nbformat.v4.new_code_cell("print('før')"), nbformat.v4.new_code_cell(last)]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)


@pytest.mark.parametrize("engine", ["warm", "papermill"])
def test_a_dead_kernel_or_a_cell_timeout_is_one_reports_failure_with_its_notebook_kept(
    tmp_path: Path, engine: str
) -> None:
    marks = tmp_path / "spor"
    marks.mkdir()
    for stem, last in STOPS.items():
        stopping_notebook(marks / f"{Path(stem).name}.ipynb", last)
    out = tmp_path / "ud"
    summary = run_batch(demo_request(), out, Stopping(marks), engine=engine, progress=False)
    assert [str(o.job.stem) for o in summary.made] == [LYNGBY]
    failures = {str(o.job.stem): o for o in summary.failed}
    assert failures[NORDDJURS].error == (
        "kernen, der kørte notesbogen, stoppede uventet (fx fordi hukommelsen slap op)"
    )
    assert failures[AARHUS].error == f"en celle kørte i mere end {TIMEOUT_S} s og blev stoppet"
    for failure in failures.values():
        assert failure.attempts == 1 and failure.failed_notebook is not None
        kept = nbformat.read(failure.failed_notebook, as_version=4)
        assert kept.cells[2].outputs[0]["text"] == "før\n"  # the cells that ran, kept
    assert len(set(noted(marks, "pid"))) == 1  # one worker process made all three
    lines = summary.lines()
    assert lines[0].startswith("1 rapport lavet, 0 uændrede sprunget over, 2 fejlede (")
    assert f"  FEJL {NORDDJURS}: kernen, der kørte" in lines[1]
    assert lines[1].endswith(f"(se {out.resolve() / NORDDJURS}.fejl.ipynb)")
    assert_danish(lines)


def test_a_worker_has_the_environment_and_folder_of_the_batch_not_of_its_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers are forked from a server started by an earlier batch: a later batch's
    environment (SOURCE_DATE_EPOCH, ...) and working folder must still reach them."""
    earlier = batch._worker()
    earlier.submit(os.getcwd).result()
    earlier.shutdown()
    monkeypatch.setenv("OMG_PROEVE", "senere")
    monkeypatch.chdir(tmp_path)
    worker = batch._worker()
    try:
        assert worker.submit(os.getenv, "OMG_PROEVE").result() == "senere"
        assert worker.submit(os.getcwd).result() == str(tmp_path)
    finally:
        worker.shutdown()
