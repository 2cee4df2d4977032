"""Run a batch of reports: in parallel, with progress, one failure never stopping the
others, resumable through the manifest.

`make_report` is the unit of work: execute one notebook, render its formats, write every
file atomically. An executor decides where units run; the local one uses a pool of
worker processes, each keeping its own warm kernel.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from papermill.exceptions import PapermillExecutionError
from tqdm import tqdm

from omglib import danish
from omglib.errors import OmgError
from omglib.output import write_bytes_atomic, write_text_atomic
from omglib.reports.manifest import Manifest, fingerprint
from omglib.reports.parameters import Inputs, Job, Request

NOTEBOOK_DIR_VARIABLE = "OMG_NOTEBOOKS"


def notebook_dir() -> Path:
    """The report notebooks: `OMG_NOTEBOOKS`, else `notebooks/` of the checkout omglib
    is installed from (`pip install -e .`)."""
    chosen = os.environ.get(NOTEBOOK_DIR_VARIABLE)
    folder = Path(chosen) if chosen else Path(__file__).resolve().parents[2] / "notebooks"
    if not (folder / "kommunerapport.ipynb").is_file():
        raise OmgError(
            f"Rapportnotesbøgerne findes ikke i {folder} – installér omglib fra en klon af "
            f"projektet med 'pip install -e .' eller sæt {NOTEBOOK_DIR_VARIABLE}"
        )
    return folder


@dataclass(frozen=True)
class Outcome:
    """What became of one report."""

    job: Job
    files: dict[str, Path] = field(default_factory=dict)
    error: str | None = None
    failed_notebook: Path | None = None
    seconds: float = 0.0


def make_report(job: Job, inputs: Inputs, out_dir: Path, engine: str) -> Outcome:
    """Execute one report notebook and render its formats; a failure is returned, not
    raised, with the failed notebook kept beside where the report would have been."""
    from omglib.reports.engines import execute
    from omglib.reports.render import render_html, render_pdf

    started = time.perf_counter()
    stem = out_dir / job.stem
    stem.parent.mkdir(parents=True, exist_ok=True)
    running = stem.with_name(f".{stem.name}.kører.ipynb")
    notebook = notebook_dir() / f"{job.notebook}.ipynb"
    try:
        executed = execute(notebook, job.parameters(inputs), running, engine)
    except PapermillExecutionError as error:
        failed = stem.with_name(f"{stem.name}.fejl.ipynb")
        os.replace(running, failed)
        return Outcome(job, error=_reason(error), failed_notebook=failed)
    files = {"ipynb": stem.with_name(f"{stem.name}.ipynb")}
    os.replace(running, files["ipynb"])
    stem.with_name(f"{stem.name}.fejl.ipynb").unlink(missing_ok=True)
    if "html" in job.formats:
        files["html"] = write_text_atomic(f"{stem}.html", render_html(executed, job.title))
    if "pdf" in job.formats:
        files["pdf"] = write_bytes_atomic(f"{stem}.pdf", render_pdf(executed, job.title))
    return Outcome(job, files=files, seconds=time.perf_counter() - started)


def _reason(error: PapermillExecutionError) -> str:
    """The failing cell's error in one line: the Danish message of an OmgError as is."""
    message = str(error.evalue).strip().splitlines()[0] if error.evalue else ""
    return (
        message
        if error.ename.endswith(("OmgError", "DataError"))
        else (f"{error.ename}: {message}")
    )


class Executor(Protocol):
    """Runs units of work somewhere and yields their results as they finish."""

    def run(self, work: Callable[[Job], Outcome], jobs: list[Job]) -> Iterator[Outcome]: ...


class LocalExecutor:
    """A pool of worker processes on this machine, each keeping its own warm kernel."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)

    def run(self, work: Callable[[Job], Outcome], jobs: list[Job]) -> Iterator[Outcome]:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=_start_worker
        ) as pool:
            futures: dict[Future[Outcome], Job] = {pool.submit(work, job): job for job in jobs}
            for future in as_completed(futures):
                yield _outcome_of(future, futures[future])


def _start_worker() -> None:
    """Stop the worker's warm kernels when the pool closes the worker."""
    from multiprocessing.util import Finalize

    from omglib.reports.engines import WarmKernelEngine

    Finalize(None, WarmKernelEngine.shutdown, exitpriority=100)


def _outcome_of(future: Future[Outcome], job: Job) -> Outcome:
    try:
        return future.result()
    except Exception as error:  # a worker that died or a bug outside the notebook
        return Outcome(job, error=f"{type(error).__name__}: {error}")


@dataclass
class Summary:
    """The batch's result, for the closing lines and the exit code."""

    made: list[Outcome] = field(default_factory=list)
    skipped: list[Job] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """The closing summary in Danish."""
        head = (
            f"{len(self.made)} rapporter lavet, {len(self.skipped)} uændrede sprunget over, "
            f"{len(self.failed)} fejlede ({danish.format_number(self.seconds, 1)} s)."
        )
        details = [
            f"  FEJL {failure.job.stem}: {failure.error}"
            + (f" (se {failure.failed_notebook})" if failure.failed_notebook else "")
            for failure in sorted(self.failed, key=lambda o: str(o.job.stem))
        ]
        return [head, *details]


@dataclass(frozen=True)
class _Work:
    """The picklable unit of work for the pool: one job with the batch's settings."""

    inputs: Inputs
    out_dir: Path
    engine: str

    def __call__(self, job: Job) -> Outcome:
        return make_report(job, self.inputs, self.out_dir, self.engine)


def run_batch(
    request: Request,
    out_dir: Path,
    executor: Executor,
    engine: str = "warm",
    force: bool = False,
    progress: bool | None = None,
) -> Summary:
    """Make every report of `request` that is not already current in `out_dir`."""
    started = time.perf_counter()
    out_dir = out_dir.resolve()
    manifest = Manifest(out_dir)
    folder = notebook_dir()
    prints = {
        job: fingerprint(job, request.inputs, folder / f"{job.notebook}.ipynb")
        for job in request.jobs()
    }
    todo = [job for job in prints if force or not manifest.is_current(job, prints[job])]
    summary = Summary(skipped=[job for job in prints if job not in todo])
    work = _Work(request.inputs, out_dir, engine)
    for outcome in _progress(executor.run(work, todo), len(todo), progress):
        if outcome.error is None:
            manifest.record(outcome.job, prints[outcome.job], outcome.files)
            summary.made.append(outcome)
        else:
            summary.failed.append(outcome)
    manifest.save()
    summary.seconds = time.perf_counter() - started
    return summary


def _progress(outcomes: Iterable[Outcome], total: int, show: bool | None) -> Iterable[Outcome]:
    """A progress bar with ETA on stderr (off when not a terminal unless asked for)."""
    return tqdm(
        outcomes,
        total=total,
        unit="rapport",
        desc="Rapporter",
        disable=(None if show is None else not show),
    )
