"""Reports on a Dask cluster: the executor behind `omg reports --scheduler tcp://HOST:PORT`.

`DaskExecutor` sends each report of a batch to the cluster as one task and yields the
outcomes as they finish, like the local executor; `run_batch` writes the files on this
machine, so a worker never needs the output directory. What a worker reads it gets by
content, never by a path on this machine:

- Each notebook and input file is sent once, as a task keyed by its SHA-256 (so the
  scheduler can send it again if the worker holding it dies). A worker keeps a copy under
  its own directory, `omg-filer/<sha256>/<original name>`, and runs the notebook on the
  copies; the executed notebook still names the files as given here, and the report shows
  only a file's name and SHA-256, so the outputs equal the local executor's. With
  `shared_inputs` the workers read the input files at the same paths instead (a shared
  drive) and check their SHA-256; the notebooks are sent all the same.
- The client's `SOURCE_DATE_EPOCH` goes with every task, so dated outputs are reproducible.

A worker that dies has its tasks rescheduled on the others by Dask. Each task counts its
starts on the scheduler, so the summary names the reports that ran again; after
`MAX_ATTEMPTS` starts (or Dask's own `distributed.scheduler.allowed-failures`) that report
fails alone. Run workers with one thread each (`dask worker --nthreads 1`): a worker
process keeps one warm kernel and makes its reports one at a time on a thread of its own,
so more threads only queue reports.
"""

from __future__ import annotations

import functools
import hashlib
import os
import traceback
import uuid
import warnings
from collections.abc import Iterator
from concurrent.futures import CancelledError, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from distributed import Client, Future, as_completed, get_client, get_worker
from distributed.scheduler import KilledWorker

from omglib import __version__
from omglib.errors import OmgError
from omglib.output import file_sha256, write_bytes_atomic
from omglib.reports.batch import (
    MAX_ATTEMPTS,
    Outcome,
    Work,
    stop_kernels_at_exit,
    unexpected_error_text,
)
from omglib.reports.manifest import PACKAGE_ROOT, code_sha256
from omglib.reports.parameters import Job

#: Seconds to wait for the scheduler to answer before giving up.
CONNECT_TIMEOUT_S = 10.0
#: How often a report is started before it is given up (its workers died each time).
#: Where the tasks count their starts, in the scheduler's metadata.
ATTEMPTS_KEY = "omg-forsoeg"
EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
#: A worker's copies of the files it was sent, under its local directory.
COPIES_DIR = "omg-filer"


@dataclass(frozen=True)
class _Batch:
    """What every task of one batch carries besides its job."""

    work: Work
    #: Names the batch's tasks and attempt counters on the scheduler.
    token: str
    epoch: str | None
    #: The client's omglib (`manifest.code_sha256`): a worker must run the same code.
    omglib_code: str
    #: Input files the workers read where they are (`shared_inputs`), with their SHA-256.
    shared: dict[Path, str]


class DaskExecutor:
    """Runs the reports on the workers of a running Dask scheduler (`address`, e.g.
    `tcp://10.0.0.5:8786`); with `shared_inputs` the workers read the input files at the
    paths given here instead of being sent them."""

    def __init__(
        self, address: str, shared_inputs: bool = False, connect_timeout: float | None = None
    ) -> None:
        self.address = address
        self.shared_inputs = shared_inputs
        self.connect_timeout = connect_timeout

    def run(self, work: Work, jobs: list[Job]) -> Iterator[Outcome]:
        client = connect(self.address, self.connect_timeout or CONNECT_TIMEOUT_S)
        token = uuid.uuid4().hex[:12]
        try:
            shared = work.input_files() if self.shared_inputs else {}
            sent = work.notebook_files(jobs) | ({} if self.shared_inputs else work.input_files())
            code = code_sha256(PACKAGE_ROOT)
            batch = _Batch(work, token, os.environ.get(EPOCH_VARIABLE), code, shared)
            files = _send(client, sent)
            futures = {
                client.submit(
                    _make_on_worker, batch, job, files, key=f"omg-rapport-{token}-{job.stem}"
                ): job
                for job in jobs
            }
            for future in as_completed(futures, loop=client.loop):
                yield _outcome_of(future, futures.pop(future))
        finally:
            if client.status == "running":
                client.set_metadata([ATTEMPTS_KEY, token], None)
            client.close()


def connect(address: str, timeout: float = CONNECT_TIMEOUT_S) -> Client:
    """A client of the scheduler at `address`, or an OmgError in one Danish line."""
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except ValueError as error:
        reason = f"ugyldig adresse – forventede fx tcp://10.0.0.5:8786 ({error})"
        # The half-made client sits in the traceback's frames; let it go now, while its
        # event loop still runs, rather than at exit with a warning.
        traceback.clear_frames(error.__traceback__)
    except OSError as error:
        reason = f"intet svar inden for {timeout:g} s ({error})"
        traceback.clear_frames(error.__traceback__)
    raise OmgError(f"Kan ikke nå Dask-scheduleren {address}: {reason}")


def _send(client: Client, files: dict[Path, str]) -> dict[str, Future[bytes]]:
    """Each file's bytes as a task keyed by its SHA-256, by the path it has here."""
    sent = {}
    for path, digest in files.items():
        content = path.read_bytes()
        if hashlib.sha256(content).hexdigest() != digest:
            raise OmgError(f"{path} er ændret, efter kørslen begyndte – start den igen")
        with warnings.catch_warnings():  # a large input file is meant to go this way
            warnings.filterwarnings("ignore", message=".*large graph.*")
            sent[str(path)] = client.submit(_content, content, key=f"omg-fil-{digest}")
    return sent


def _content(content: bytes) -> bytes:
    """A file's bytes, as a task's result (scattered data would be lost with its worker;
    a task's is made again from the scheduler's copy)."""
    return content


def _outcome_of(future: Future[Outcome], job: Job) -> Outcome:
    try:
        outcome: Outcome = future.result()
    except KilledWorker as error:
        return Outcome(
            job,
            error=f"opgivet – {error.allowed_failures + 1} workere stoppede under rapporten",
        )
    except (Exception, CancelledError) as error:  # a bug outside the notebook, or Dask's
        return Outcome(job, error=unexpected_error_text(error))
    finally:
        future.release()
    return outcome


def _make_on_worker(batch: _Batch, job: Job, files: dict[str, bytes]) -> Outcome:
    """One report on a Dask worker: count the start, put the files sent in place, make
    the report on the copies. Problems on the worker are the report's failure."""
    attempt = _count_start(batch.token, job)
    if attempt > MAX_ATTEMPTS:
        return Outcome(
            job,
            error=f"opgivet efter {MAX_ATTEMPTS} forsøg – workeren stoppede hver gang",
            attempts=MAX_ATTEMPTS,
        )
    try:
        _check_worker(batch)
    except OmgError as error:
        return Outcome(job, error=str(error), attempts=attempt)
    work = replace(batch.work, copies=_copies(files))
    outcome = _report_thread().submit(_make_report, work, job, batch.epoch).result()
    return replace(outcome, attempts=attempt)


@functools.cache
def _report_thread() -> ThreadPoolExecutor:
    """The one thread a worker process makes its reports on, so its warm kernel is only
    ever used from one thread, whatever the worker's thread count; the kernel stops when
    the process ends."""
    stop_kernels_at_exit()
    return ThreadPoolExecutor(1, thread_name_prefix="omg-rapport")


def _make_report(work: Work, job: Job, epoch: str | None) -> Outcome:
    _use_epoch(epoch)
    return work(job)


def _count_start(token: str, job: Job) -> int:
    """This start's number for the job, counted on the scheduler, so a start after a
    worker died mid-report knows it."""
    client = get_client()
    keys = [ATTEMPTS_KEY, token, str(job.stem)]
    attempt = int(client.get_metadata(keys, 0)) + 1
    client.set_metadata(keys, attempt)
    return attempt


@functools.cache
def _worker_code() -> str:
    """This worker's omglib, hashed once per process."""
    return code_sha256(PACKAGE_ROOT)


def _check_worker(batch: _Batch) -> None:
    """That this worker has the client's omglib and sees the shared input files the
    client hashed."""
    worker = get_worker()
    if _worker_code() != batch.omglib_code:
        raise OmgError(
            f"Workeren {worker.address} kører en anden omglib end klienten (version "
            f"{__version__}, men andre filer) – installér samme omglib på begge"
        )
    for path, digest in batch.shared.items():
        if not path.is_file():
            raise OmgError(
                f"{path} findes ikke på workeren {worker.address} – --shared-inputs kræver, "
                "at alle workere ser inddata på samme sti"
            )
        if _sha256(path, path.stat().st_mtime_ns, path.stat().st_size) != digest:
            raise OmgError(
                f"{path} på workeren {worker.address} er ikke den samme fil som klientens "
                "(SHA-256 afviger)"
            )


def _copies(files: dict[str, bytes]) -> dict[Path, Path]:
    """This worker's copy of each file sent, by the path the client gave it."""
    root = Path(get_worker().local_directory) / COPIES_DIR
    return {Path(name): _copy(root, Path(name).name, content) for name, content in files.items()}


@functools.lru_cache(maxsize=64)
def _sha256(path: Path, mtime_ns: int, size: int) -> str:
    """A shared file's SHA-256, read once per version of the file."""
    return file_sha256(path)


def _copy(root: Path, name: str, content: bytes) -> Path:
    """The worker's copy of a file sent: `root/<sha256>/<name>`, written once."""
    path = root / hashlib.sha256(content).hexdigest() / name
    if not path.is_file():  # written atomically, so a file there is whole
        write_bytes_atomic(path, content)
    return path


def _use_epoch(epoch: str | None) -> None:
    """Run the report with the client's SOURCE_DATE_EPOCH; a kept kernel started with
    another value is stopped, since a kernel reads its environment when it starts."""
    if os.environ.get(EPOCH_VARIABLE) == epoch:
        return
    if epoch is None:
        del os.environ[EPOCH_VARIABLE]
    else:
        os.environ[EPOCH_VARIABLE] = epoch
    from omglib.reports.engines import WarmKernelEngine

    WarmKernelEngine.shutdown()
