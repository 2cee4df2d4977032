"""Run a batch of reports: in parallel, with progress, one failure never stopping the
others, resumable through the manifest.

`make_report` is the unit of work: execute one notebook and render its formats, and hand
back every file as bytes. Where that runs is an executor's choice (`Executor`): the local
one uses a pool of worker processes on this machine, each keeping its own warm kernel;
`omglib.reports.distributed` sends the reports to a Dask cluster. Either way the files
come back here, where `run_batch` writes them atomically and records them in the
manifest, so a worker never needs the output directory.
"""

from __future__ import annotations

import collections
import gc
import multiprocessing
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.exceptions import PapermillExecutionError
from papermill.translators import translate_parameters
from tqdm import tqdm

from omglib.errors import OmgError
from omglib.output import file_sha256, write_bytes_atomic
from omglib.present import danish
from omglib.reports.inputfiles import Inputs
from omglib.reports.manifest import Manifest, fingerprints
from omglib.reports.parameters import Job, Request

NOTEBOOK_DIR_VARIABLE = "OMG_NOTEBOOKS"
#: The suffix of a failed report's executed notebook, kept for the user to look into.
FAILED = "fejl.ipynb"
#: How often a report is started before it is given up because its worker process died
#: each time, locally and on Dask.
MAX_ATTEMPTS = 3


def notebook_dir() -> Path:
    """The folder of the report notebooks: `OMG_NOTEBOOKS` when set (to try a changed
    notebook without reinstalling), else `omglib/notebooks/` shipped inside the package,
    so a wheel install makes reports as a checkout does.

    papermill and the workers need a folder on disk; a package imported from a zip
    archive has none, and only `OMG_NOTEBOOKS` helps there."""
    chosen = os.environ.get(NOTEBOOK_DIR_VARIABLE)
    if chosen:
        folder = Path(chosen)
        where = f"{folder}, som {NOTEBOOK_DIR_VARIABLE} peger på"
    else:
        packaged = resources.files("omglib") / "notebooks"
        if not isinstance(packaged, Path):
            raise OmgError(
                f"Rapportnotesbøgerne i {packaged} ligger ikke i en mappe på disken (omglib er "
                f"installeret i et zip-arkiv) – sæt {NOTEBOOK_DIR_VARIABLE} til en mappe med dem"
            )
        folder = packaged
        where = f"{folder} – installationen af omglib er ufuldstændig; geninstallér den"
    if not (folder / "kommunerapport.ipynb").is_file():
        raise OmgError(f"Rapportnotesbøgerne findes ikke i {where}")
    return folder


@dataclass(frozen=True)
class Outcome:
    """What became of one report.

    A worker fills in `contents` (file suffix → bytes: "ipynb", "html", "pdf", or
    `FAILED` for a failed report's notebook); `run_batch` writes them and replaces them
    by `files` and `failed_notebook`, the paths written. `attempts` counts how often the
    report was started (more than 1 when a worker died while making it)."""

    job: Job
    files: dict[str, Path] = field(default_factory=dict)
    error: str | None = None
    failed_notebook: Path | None = None
    seconds: float = 0.0
    contents: dict[str, bytes] = field(default_factory=dict, repr=False)
    attempts: int = 1
    #: Shared files the report refers to (`--assets shared`), by path under the output
    #: folder; written when missing or different, and recorded with the report's files.
    shared: dict[str, bytes] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Work:
    """What every report of a batch shares; calling it with a job makes that report.

    Files are named as on the machine that started the batch. `copies` maps such a file
    to a copy on the machine that makes the report (an executor that ships files to
    other machines fills it in); a file not in it is read where it is. Picklable, so an
    executor can send it to its workers."""

    inputs: Inputs
    notebooks: Path
    out_dir: Path
    engine: str
    copies: Mapping[Path, Path] = field(default_factory=dict)

    def __call__(self, job: Job) -> Outcome:
        return make_report(job, self)

    def notebook(self, job: Job) -> Path:
        """The notebook `job` runs."""
        return self.notebooks / f"{job.notebook}.ipynb"

    def located(self, path: Path) -> Path:
        """Where this machine reads `path`: its copy, or the path itself."""
        return self.copies.get(path, path)

    def notebook_files(self, jobs: Iterable[Job]) -> dict[Path, str]:
        """The notebooks `jobs` run, with their SHA-256."""
        return {path: file_sha256(path) for path in sorted({self.notebook(j) for j in jobs})}

    def input_files(self) -> dict[Path, str]:
        """The batch's input files (data, volumes, boundaries, ...), with their SHA-256."""
        return {path: self.inputs.hashes[key] for key, path in self.inputs.files().items()}


def make_report(job: Job, work: Work) -> Outcome:
    """Execute one report notebook (in a scratch directory) and render its formats; a
    failure is returned, not raised, with the failed notebook among the contents."""
    from omglib.reports.assets import SharedAssets
    from omglib.reports.engines import execute
    from omglib.reports.render import attachments, render_html, render_pdf

    started = time.perf_counter()
    named = job.parameters(work.inputs)
    used = {
        key: str(work.located(Path(value))) if key.endswith("_file") and value else value
        for key, value in named.items()
    }
    notebook = work.notebook(job)
    stem = work.out_dir / job.stem
    with tempfile.TemporaryDirectory(prefix="omg-rapport-") as scratch:
        running = Path(scratch) / notebook.name
        try:
            executed = execute(work.located(notebook), used, running, work.engine)
        except (PapermillExecutionError, CellTimeoutError, DeadKernelError) as error:
            failed = nbformat.read(running, as_version=nbformat.NO_CONVERT)
            content = _as_made(failed, notebook, Path(f"{stem}.{FAILED}"), named)
            return Outcome(
                job,
                error=_reason(error),
                contents={FAILED: content},
                seconds=time.perf_counter() - started,
            )
    contents = {"ipynb": _as_made(executed, notebook, Path(f"{stem}.ipynb"), named)}
    contents.update(attachments(executed))
    shared = (
        SharedAssets.for_page(PurePosixPath(job.stem.as_posix())) if job.shared_assets else None
    )
    if "html" in job.formats:
        contents["html"] = render_html(executed, job.title, shared=shared).encode("utf-8")
    if "pdf" in job.formats:
        contents["pdf"] = render_pdf(executed, job.title)
    return Outcome(
        job,
        contents=contents,
        seconds=time.perf_counter() - started,
        shared=shared.files if shared is not None else {},
    )


def _as_made(
    notebook: nbformat.NotebookNode, source: Path, output: Path, parameters: dict[str, Any]
) -> bytes:
    """The executed notebook as papermill writes it, naming the notebook, its output and
    the input files as the batch names them, also when a worker ran copies elsewhere."""
    from omglib.reports.engines import KERNEL_NAME

    record = notebook.metadata.papermill
    record.input_path, record.output_path = str(source), str(output)
    record.parameters = parameters
    for cell in notebook.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = translate_parameters(KERNEL_NAME, "python", parameters, "Parameters")
    return str(nbformat.writes(notebook)).encode("utf-8")


def _reason(error: PapermillExecutionError | CellTimeoutError | DeadKernelError) -> str:
    """Why a notebook stopped, in one Danish line: a cell that ran out of time, a kernel
    that died, or the failing cell's error (the Danish message of an OmgError as is)."""
    from omglib.reports.engines import CELL_TIMEOUT_S

    if isinstance(error, CellTimeoutError):
        return f"en celle kørte i mere end {CELL_TIMEOUT_S} s og blev stoppet"
    if isinstance(error, DeadKernelError):
        return "kernen, der kørte notesbogen, stoppede uventet (fx fordi hukommelsen slap op)"
    message = str(error.evalue).strip().splitlines()[0] if error.evalue else ""
    if error.ename.endswith(("OmgError", "DataError")):
        return message
    detail = f"{error.ename}: {message}" if message else error.ename
    return f"fejl i notesbogen ({detail})"


class Executor(Protocol):
    """Runs the reports of a batch somewhere and yields each one's outcome as it finishes
    (in any order): exactly one per job, also when a report fails or its worker dies."""

    def run(self, work: Work, jobs: list[Job]) -> Iterator[Outcome]: ...


class LocalExecutor:
    """Worker processes on this machine, each keeping its own warm kernel and making one
    report at a time.

    Each worker process is a pool of its own and is given a report only when it has none,
    so the report a process is making is known. A process that dies (killed by the OOM
    killer, say) takes only that report with it: the report starts again on a fresh
    process, at most `MAX_ATTEMPTS` times in all, while the other processes go on (in one
    shared pool, one process dying stops every report in it)."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)

    def run(self, work: Work, jobs: list[Job]) -> Iterator[Outcome]:
        waiting = collections.deque(jobs)
        starts: collections.Counter[Job] = collections.Counter()
        running: dict[Future[Outcome], tuple[Job, ProcessPoolExecutor]] = {}
        free: list[ProcessPoolExecutor] = []
        ended: list[Outcome] = []
        try:
            while True:
                while waiting and len(running) < self.workers:
                    worker = free.pop() if free else _worker()
                    try:
                        future = worker.submit(report_in_worker, work, waiting[0])
                    except BrokenProcessPool:  # it died while it had no report
                        worker.shutdown()
                        continue
                    job = waiting.popleft()
                    starts[job] += 1
                    running[future] = (job, worker)
                yield from ended
                if not running:
                    return
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                ended = []
                for future in done:
                    job, worker = running.pop(future)
                    if not isinstance(future.exception(), BrokenProcessPool):
                        free.append(worker)
                        ended.append(replace(_outcome_of(future, job), attempts=starts[job]))
                        continue
                    worker.shutdown()  # it died making this report
                    if starts[job] < MAX_ATTEMPTS:
                        waiting.appendleft(job)
                    else:
                        ended.append(Outcome(job, error=_GIVEN_UP, attempts=starts[job]))
        finally:
            for worker in [*free, *(worker for _, worker in running.values())]:
                worker.shutdown(cancel_futures=True)


_GIVEN_UP = (
    f"opgivet efter {MAX_ATTEMPTS} forsøg – workerprocessen stoppede hver gang under "
    "rapporten (fx fordi hukommelsen slap op)"
)


#: What every worker process imports before its first report. The workers are forked
#: from one server process that has imported them (`forkserver`), so they are imported
#: once per batch, not once per worker (3 s each). A server forks clean processes: it
#: runs no threads and holds no kernel, socket or open file of the batch's.
WORKER_MODULES = ["omglib.reports.batch", "omglib.reports.engines", "omglib.reports.render"]


def _worker() -> ProcessPoolExecutor:
    """A fresh worker process for `LocalExecutor` (a pool of one), with the batch's
    environment and working folder, which stops its warm kernel when it ends."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_MODULES)
    return ProcessPoolExecutor(
        1,
        mp_context=context,
        initializer=start_worker,
        initargs=(dict(os.environ), os.getcwd()),
    )


def report_in_worker(work: Work, job: Job) -> Outcome:
    """`work(job)` in a worker process, which first sets aside what survives a full
    garbage collection (`gc.freeze`), as the warm kernel does (`engines.RESET_KERNEL`):
    the imported libraries and the batch's kept values, which every later collection
    would otherwise go through again (a tenth of a PDF's time, half of a page's). The
    first report pays for one full collection; the later ones for what the report before
    them left. Collecting before the report, not after it, sends each outcome back as
    soon as the report is made, so a worker that dies between reports loses none."""
    gc.collect()
    gc.freeze()
    return work(job)


def start_worker(environment: dict[str, str], folder: str) -> None:
    """Give a worker the environment and working folder of the process that started the
    batch (SOURCE_DATE_EPOCH, OMG_BOUNDARIES, ...): it is forked from a server started
    earlier, with what they were then, and its kernel inherits them from it."""
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(folder)
    stop_kernels_at_exit()


def check_executor_options(jobs: int | None, scheduler: str | None, shared_inputs: bool) -> None:
    """A Danish error for executor options that do not go together."""
    if scheduler is not None and jobs is not None:
        raise OmgError(
            "--jobs gælder kun på denne maskine – med --scheduler bestemmer Dask-klyngens "
            "workere, hvor mange rapporter der laves ad gangen"
        )
    if scheduler is None and shared_inputs:
        raise OmgError("--shared-inputs gælder kun sammen med --scheduler")


def executor_for(jobs: int | None, scheduler: str | None, shared_inputs: bool) -> Executor:
    """The executor `omg reports` asked for: `jobs` local processes (default one per
    core), or the Dask cluster at `scheduler`; a Danish error when Dask is not installed."""
    if scheduler is None:
        return LocalExecutor(jobs or os.cpu_count() or 1)
    try:
        from omglib.reports.distributed import DaskExecutor
    except ModuleNotFoundError as error:
        if error.name not in {"dask", "distributed"}:
            raise
        raise OmgError(
            "--scheduler kræver Dask – installér det med pip install 'omglib[dask]'"
        ) from error
    return DaskExecutor(scheduler, shared_inputs=shared_inputs)


def stop_kernels_at_exit() -> None:
    """Stop this worker process's warm kernels when the process ends."""
    from multiprocessing.util import Finalize

    from omglib.reports.engines import WarmKernelEngine

    Finalize(None, WarmKernelEngine.shutdown, exitpriority=100)


def _outcome_of(future: Future[Outcome], job: Job) -> Outcome:
    """What a worker process made of a report; an error raised outside the notebook is
    that report's failure, in Danish."""
    try:
        return future.result()
    except OmgError as error:
        return Outcome(job, error=str(error))
    except Exception as error:  # a bug outside the notebook
        return Outcome(job, error=unexpected_error_text(error))


def unexpected_error_text(error: BaseException) -> str:
    """A failure outside the notebook (a bug, a lost connection) as a Danish summary
    line; the exception's class and message in brackets, for a bug report."""
    return f"uventet fejl uden for notesbogen ({type(error).__name__}: {error})"


@dataclass
class Summary:
    """The batch's result, for the closing lines and the exit code."""

    made: list[Outcome] = field(default_factory=list)
    skipped: list[Job] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def retried(self) -> list[Outcome]:
        """The reports made after a worker died while making them."""
        return sorted((o for o in self.made if o.attempts > 1), key=lambda o: str(o.job.stem))

    def lines(self) -> list[str]:
        """The closing summary in Danish."""
        head = (
            f"{danish.format_count(len(self.made), 'rapport', 'rapporter')} lavet, "
            f"{danish.format_count(len(self.skipped), 'uændret', 'uændrede')} sprunget over, "
            f"{danish.format_int(len(self.failed))} fejlede "
            f"({danish.format_number(self.seconds, 1)} s)."
        )
        retried = self.retried
        again = (
            [
                f"{danish.format_count(len(retried), 'rapport', 'rapporter')} blev kørt igen "
                "efter at en worker stoppede:",
                *(f"  IGEN {o.job.stem} (forsøg {o.attempts})" for o in retried),
            ]
            if retried
            else []
        )
        failures = [
            f"  FEJL {failure.job.stem}: {failure.error}"
            + (f" (se {failure.failed_notebook})" if failure.failed_notebook else "")
            for failure in sorted(self.failed, key=lambda o: str(o.job.stem))
        ]
        return [head, *again, *failures]


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
    prints = fingerprints(request.jobs(), request.inputs, folder)
    todo = [job for job in prints if force or not manifest.is_current(job, prints[job])]
    summary = Summary(skipped=[job for job in prints if job not in todo])
    work = Work(request.inputs, folder, out_dir, engine)
    for made in _progress(executor.run(work, todo), len(todo), progress):
        outcome = _written(made, out_dir)
        if outcome.error is None:
            manifest.record(outcome.job, prints[outcome.job], outcome.files)
            summary.made.append(outcome)
        else:
            summary.failed.append(outcome)
    manifest.fold()
    summary.seconds = time.perf_counter() - started
    return summary


def _written(outcome: Outcome, out_dir: Path) -> Outcome:
    """Write a report's files beside each other under `out_dir`, each atomically; a
    made report removes the failed notebook of an earlier run."""
    stem = out_dir / outcome.job.stem
    written = {
        suffix: write_bytes_atomic(f"{stem}.{suffix}", content)
        for suffix, content in outcome.contents.items()
    }
    if outcome.error is not None:
        return replace(outcome, contents={}, failed_notebook=written.get(FAILED))
    Path(f"{stem}.{FAILED}").unlink(missing_ok=True)
    for name, content in outcome.shared.items():
        written[name] = _shared_file(out_dir / name, content)
    return replace(outcome, contents={}, shared={}, files=written)


def _shared_file(path: Path, content: bytes) -> Path:
    """A shared file of the output folder, written unless it is there with this content
    (its name holds a hash of the content, so it is nearly always there already)."""
    if not (path.is_file() and path.read_bytes() == content):
        write_bytes_atomic(path, content)
    return path


def _progress(outcomes: Iterable[Outcome], total: int, show: bool | None) -> Iterable[Outcome]:
    """A progress bar with ETA on stderr (off when not a terminal unless asked for)."""
    return tqdm(
        outcomes,
        total=total,
        unit="rapport",
        desc="Rapporter",
        disable=(None if show is None else not show),
    )
