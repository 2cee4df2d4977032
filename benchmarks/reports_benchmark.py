"""Benchmark `omg reports`: all 98 kommune reports as one batch, against papermill + nbconvert.

For one area and year of the packaged demo data (default `--area boernehandicap --year 2024`)
it times

* omglib's batch: `run_batch(request, out, LocalExecutor(--jobs), engine="warm", force=True)`
  making the HTML `kommunerapport` of all 98 kommuner, while a thread adds up the RSS of this
  process and all its descendants (workers and their kernels) every 0.2 s; with `--pdf`,
  the same batch in html,pdf as well, for the extra seconds a PDF costs per report;
* the naive way, one report after the other: per kommune the papermill command line, then
  `jupyter nbconvert --to html`, each a subprocess, on `--naive-sample` kommuner spread over
  the list (seeded), extrapolated linearly to 98;
* where the time goes: importing the modules the notebook uses in a fresh interpreter,
  starting a fresh Jupyter kernel, and one report on an already warm kernel
  (`omglib.reports.engines.execute`, then `omglib.reports.render.render_html`).

Targets: the batch at least 8x the naive way's reports per second, all 98 reports in at
most 90 s, peak memory (summed RSS) under 4 GB, and with `--pdf` at most 3 s extra per
report. A missed target does not change the exit status. The script exits with status 1
if a report fails or one of the 98 HTML files is missing or empty. Run it as
`python benchmarks/reports_benchmark.py`.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from common import (
    best_of,
    demo_request,
    print_load_average,
    print_machine,
    report_parser,
    run_report_benchmark,
    timed,
    verdict,
)

if TYPE_CHECKING:
    from nbformat import NotebookNode

    from omglib.reports.batch import Summary
    from omglib.reports.parameters import Job, Request

KOMMUNER = 98
TARGET_SPEEDUP = 25.0
TARGET_SECONDS = 30.0
TARGET_MEMORY_BYTES = 4 * 10**9
TARGET_PDF_EXTRA_S = 1.0
SAMPLE_INTERVAL_S = 0.2
DEFAULT_SEED = 20260101
#: What the kommunerapport notebook imports in its first code cell.
NOTEBOOK_IMPORTS = "import omglib.present.charts, omglib.comparisons, omglib.figures, omglib.present.narrative, omglib.geo.draw"
IMPORT_RUNS = 3
SLOWEST_CELLS = 4


@dataclass(frozen=True)
class BatchRun:
    """One omglib batch: its summary, wall time and the peak summed RSS while it ran."""

    summary: Summary
    seconds: float
    peak_rss: int
    peak_processes: int

    @property
    def worker_seconds(self) -> list[float]:
        return [outcome.seconds for outcome in self.summary.made]


@dataclass(frozen=True)
class NaiveRun:
    """The papermill CLI and nbconvert CLI seconds for one kommune."""

    kommunekode: int
    papermill: float
    nbconvert: float
    ok: bool

    @property
    def seconds(self) -> float:
        return self.papermill + self.nbconvert


@dataclass(frozen=True)
class WarmReport:
    """One report in this process: execute on a fresh then a warm kernel, render cold
    then warm."""

    first_execute: float
    warm_execute: float
    first_render: float
    warm_render: float
    #: (seconds, first statement) of each code cell of the warm execution, slowest first.
    cells: list[tuple[float, str]]


# --- memory ----------------------------------------------------------------------------------


def _parent_of(entry: Path) -> int | None:
    """The parent pid from /proc/<pid>/stat (the field after the command in parentheses)."""
    try:
        stat = (entry / "stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _rss_bytes(pid: int) -> int:
    """VmRSS of one process (0 for kernel threads and processes that have ended)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    for line in lines:
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def tree_rss(root: int) -> tuple[int, int]:
    """The summed RSS of `root` and all its descendants, and how many processes that is."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (parent := _parent_of(entry)) is not None:
            children.setdefault(parent, []).append(int(entry.name))
    total, count, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        total, count = total + _rss_bytes(pid), count + 1
        todo.extend(children.get(pid, []))
    return total, count


@dataclass
class RssSampler:
    """Samples `tree_rss` of this process in a thread; keeps the peak."""

    peak: int = 0
    processes: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def _loop(self) -> None:
        while not self._stop.wait(SAMPLE_INTERVAL_S):
            self._sample()

    def _sample(self) -> None:
        rss, count = tree_rss(os.getpid())
        if rss > self.peak:
            self.peak, self.processes = rss, count

    @contextmanager
    def running(self) -> Iterator[RssSampler]:
        thread = threading.Thread(target=self._loop, daemon=True)
        self._sample()
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join()


# --- omglib's batch ----------------------------------------------------------------------------


def build(area: str, year: int, formats: str) -> Request:
    """The request for every kommune's kommunerapport, on the packaged demo data."""
    return demo_request({"kommune": "all", "area": area, "year": year, "format": formats})


def run_omglib_batch(request: Request, out: Path, jobs: int) -> BatchRun:
    """`run_batch` with the warm engine and `jobs` worker processes, memory sampled."""
    from omglib.reports.batch import LocalExecutor, run_batch

    with RssSampler().running() as sampler:
        seconds, summary = timed(
            lambda: run_batch(
                request, out, LocalExecutor(jobs), engine="warm", force=True, progress=False
            )
        )
    return BatchRun(summary, seconds, sampler.peak, sampler.processes)


def missing_html(request: Request, out: Path) -> list[str]:
    """The reports whose HTML file is missing or empty."""
    pages = [out / f"{job.stem}.html" for job in request.jobs()]
    return [str(page) for page in pages if not page.is_file() or page.stat().st_size == 0]


def print_batch(label: str, run: BatchRun, jobs: int) -> None:
    reports = len(run.summary.made) + len(run.summary.failed)
    each = run.worker_seconds or [0.0]
    busy = sum(each) / jobs
    print(f"{label}: {reports} reports with {jobs} workers in {run.seconds:.1f} s")
    print(f"  reports per second:   {reports / run.seconds:.2f}")
    print(f"  failures:             {len(run.summary.failed)}")
    for line in run.summary.lines()[1:]:
        print(line)
    print(
        f"  per report in a worker: median {statistics.median(each):.2f} s, "
        f"max {max(each):.2f} s (the first report of each worker starts its kernel)"
    )
    print(
        f"  worker time / workers {busy:.1f} s; the other {run.seconds - busy:.1f} s are "
        "pool start, request checks, manifest and idle workers at the end"
    )
    print(
        f"  peak memory:          {run.peak_rss / 1e6:,.0f} MB summed RSS of "
        f"{run.peak_processes} processes (shared pages counted once per process)"
    )


# --- the naive way -----------------------------------------------------------------------------


def command(name: str) -> str:
    """The console script beside this interpreter (as its environment runs it), else PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found beside {sys.executable} or on PATH")
    return found


def naive_sample(codes: list[int], size: int, seed: int) -> list[int]:
    """`size` kommunekoder spread over the list: one at random from each equal slice."""
    rng = random.Random(seed)
    size = max(1, min(size, len(codes)))
    bounds = [round(i * len(codes) / size) for i in range(size + 1)]
    return [codes[rng.randrange(lo, hi)] for lo, hi in itertools.pairwise(bounds)]


def timed_command(arguments: list[str], folder: Path) -> tuple[float, bool]:
    """Seconds a subprocess takes, and whether it succeeded (its stderr shown if not)."""
    started = time.perf_counter()
    done = subprocess.run(arguments, cwd=folder, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        print(f"  FAILED ({done.returncode}): {' '.join(arguments)}")
        print("\n".join(done.stderr.strip().splitlines()[-15:]))
    return seconds, done.returncode == 0


def naive_report(notebook: Path, code: int, area: str, year: int, folder: Path) -> NaiveRun:
    """papermill IN OUT -p kommune ... then jupyter nbconvert --to html OUT."""
    executed = f"{code}.ipynb"
    parameters = ["-p", "kommune", str(code), "-p", "area", area, "-p", "year", str(year)]
    papermill, ok = timed_command(
        [command("papermill"), str(notebook), executed, *parameters], folder
    )
    if not ok:
        return NaiveRun(code, papermill, 0.0, False)
    nbconvert, ok = timed_command(
        [command("jupyter"), "nbconvert", "--to", "html", executed], folder
    )
    page = folder / f"{code}.html"
    return NaiveRun(code, papermill, nbconvert, ok and page.is_file() and page.stat().st_size > 0)


def run_naive(codes: list[int], area: str, year: int, folder: Path) -> list[NaiveRun]:
    from omglib import registry
    from omglib.reports.batch import notebook_dir

    folder.mkdir(parents=True, exist_ok=True)
    notebook = notebook_dir() / "kommunerapport.ipynb"
    runs = []
    for code in codes:
        run = naive_report(notebook, code, area, year, folder)
        print(
            f"  {code:>3} {registry.kommune_name(code):<16} papermill {run.papermill:5.2f} s"
            f" + nbconvert {run.nbconvert:5.2f} s = {run.seconds:5.2f} s"
        )
        runs.append(run)
    return runs


# --- where the time goes ---------------------------------------------------------------------


def fresh_interpreter(code: str) -> float:
    """The best of IMPORT_RUNS wall-clock runs of `python -c code`."""
    return best_of(IMPORT_RUNS, lambda: subprocess.run([sys.executable, "-c", code], check=True))


def kernel_start() -> tuple[float, float]:
    """Seconds to start a fresh python3 kernel (until it answers) and to shut it down."""
    from jupyter_client.manager import start_new_kernel

    started = time.perf_counter()
    manager, client = start_new_kernel(kernel_name="python3", stderr=subprocess.DEVNULL)
    ready = time.perf_counter()
    client.stop_channels()
    manager.shutdown_kernel(now=True)
    return ready - started, time.perf_counter() - ready


def execute_and_render(
    request: Request, job: Job, folder: Path
) -> tuple[float, float, list[tuple[float, str]]]:
    """Seconds to execute one report with the warm engine in this process and to render
    the executed notebook to HTML, and each code cell's seconds as papermill recorded it."""
    from omglib.reports.batch import notebook_dir
    from omglib.reports.engines import execute
    from omglib.reports.render import render_html

    notebook = notebook_dir() / f"{job.notebook}.ipynb"
    output = folder / f"{job.kommunekode}.ipynb"
    started = time.perf_counter()
    executed = execute(notebook, job.parameters(request.inputs), output, engine="warm")
    executed_at = time.perf_counter()
    render_html(executed, job.title)
    rendered = time.perf_counter() - executed_at
    return executed_at - started, rendered, cell_seconds(executed)


def cell_seconds(notebook: NotebookNode) -> list[tuple[float, str]]:
    """(seconds, first line that is not an import) of each code cell, slowest first."""
    cells = [
        (float(cell.metadata.papermill.get("duration") or 0.0), first_statement(cell.source))
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]
    return sorted(cells, reverse=True)


def first_statement(source: str) -> str:
    """The first line of a cell that is not blank, a comment or an import."""
    lines = [line.strip() for line in source.splitlines()]
    kept = [line for line in lines if line and not line.startswith(("#", "import ", "from "))]
    return (kept or lines or [""])[0]


def warm_report(request: Request, folder: Path) -> WarmReport:
    """Two reports through the warm engine in this process: the second is what a worker
    pays per report once its kernel is warm."""
    from omglib.reports.engines import WarmKernelEngine

    folder.mkdir(parents=True, exist_ok=True)
    first, second = request.jobs()[:2]
    try:
        first_execute, first_render, _ = execute_and_render(request, first, folder)
        warm_execute, warm_render, cells = execute_and_render(request, second, folder)
    finally:
        WarmKernelEngine.shutdown()
    return WarmReport(first_execute, warm_execute, first_render, warm_render, cells)


def print_breakdown(request: Request, folder: Path, jobs: int) -> WarmReport:
    interpreter = fresh_interpreter("pass")
    imports = fresh_interpreter(NOTEBOOK_IMPORTS)
    start, stop = kernel_start()
    warm = warm_report(request, folder)
    print(f"  python -c pass (interpreter start, best of {IMPORT_RUNS}):    {interpreter:6.2f} s")
    print(f"  python -c '{NOTEBOOK_IMPORTS}'")
    print(
        f"    (best of {IMPORT_RUNS}): {imports:.2f} s, "
        f"of which imports {imports - interpreter:.2f} s"
    )
    print(f"  fresh kernel: start until ready {start:.2f} s, shutdown {stop:.2f} s")
    print_warm(warm, jobs)
    return warm


def print_warm(warm: WarmReport, jobs: int) -> None:
    print(f"  execute on a new kernel (start + imports + cells): {warm.first_execute:6.2f} s")
    print(f"  execute on the warm kernel (reset + cells):         {warm.warm_execute:6.2f} s")
    in_cells = sum(seconds for seconds, _ in warm.cells)
    print(f"    of which in the cells {in_cells:.2f} s; the slowest cells:")
    for seconds, line in warm.cells[:SLOWEST_CELLS]:
        print(f"      {seconds:5.2f} s  {line[:70]}")
    print(f"  render_html, first in process (templates, Vega):    {warm.first_render:6.2f} s")
    print(f"  render_html, again:                                 {warm.warm_render:6.2f} s")
    per_report = warm.warm_execute + warm.warm_render
    print(
        f"  a warm report (execute + render): {per_report:.2f} s; 98 of them on {jobs} "
        f"workers ≈ {KOMMUNER * per_report / jobs:.1f} s if the cores were free"
    )


# --- reporting ---------------------------------------------------------------------------------


def versions() -> None:
    import nbconvert
    import papermill

    import omglib

    print(
        f"omglib reports benchmark: python {sys.version.split()[0]}, omglib {omglib.__version__}, "
        f"papermill {papermill.__version__}, nbconvert {nbconvert.__version__}"
    )
    print_machine()


def print_targets(batch: BatchRun, naive_per_report: float, pdf: BatchRun | None) -> None:
    reports = len(batch.summary.made) + len(batch.summary.failed)
    naive_total = naive_per_report * KOMMUNER
    speedup = naive_total / batch.seconds
    peak = max(batch.peak_rss, pdf.peak_rss if pdf else 0)
    print(
        f"speed-up: {speedup:.1f}x ({reports / batch.seconds:.2f} against "
        f"{1 / naive_per_report:.3f} reports per second; 98 reports {batch.seconds:.1f} s "
        f"against about {naive_total:.0f} s)"
    )
    print(
        f"target >= {TARGET_SPEEDUP:.0f}x the naive throughput: {verdict(speedup >= TARGET_SPEEDUP)}"
    )
    print(
        f"target 98 reports in <= {TARGET_SECONDS:.0f} s: "
        f"{verdict(batch.seconds <= TARGET_SECONDS)} ({batch.seconds:.1f} s)"
    )
    print(
        f"target peak memory < {TARGET_MEMORY_BYTES / 1e9:.0f} GB: "
        f"{verdict(peak < TARGET_MEMORY_BYTES)} ({peak / 1e9:.2f} GB)"
    )
    if pdf is not None:
        extra = statistics.mean(pdf.worker_seconds) - statistics.mean(batch.worker_seconds)
        print(
            f"PDF: {pdf.seconds - batch.seconds:+.1f} s for the batch, "
            f"{(pdf.seconds - batch.seconds) / KOMMUNER:+.2f} s wall per report, "
            f"{extra:+.2f} s per report in a worker"
        )
        print(
            f"target PDF <= {TARGET_PDF_EXTRA_S:.0f} s extra per report (in a worker): "
            f"{verdict(extra <= TARGET_PDF_EXTRA_S)}"
        )


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = report_parser(__doc__.splitlines()[0])
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: cores)"
    )
    parser.add_argument(
        "--naive-sample", type=int, default=4, help="kommuner to time the naive way on (4)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed for the sample")
    parser.add_argument("--pdf", action="store_true", help="also time the batch in html,pdf")
    return parser.parse_args(argv)


def html_batch(request: Request, out: Path, jobs: int) -> tuple[BatchRun, list[str]]:
    """The HTML batch, printed, and the reports whose HTML file is missing or empty."""
    batch = run_omglib_batch(request, out, jobs)
    print_batch("omglib batch (html)", batch, jobs)
    missing = missing_html(request, out)
    print(f"  HTML files present and non-empty: {len(request.jobs()) - len(missing)} of {KOMMUNER}")
    for page in missing:
        print(f"  MISSING OR EMPTY: {page}")
    return batch, missing


def naive_way(request: Request, args: argparse.Namespace, out: Path) -> tuple[float, bool]:
    """Mean seconds per report the naive way, and whether every sampled report was made."""
    codes = naive_sample(list(request.kommuner), args.naive_sample, args.seed)
    print(
        f"naive: papermill CLI, then jupyter nbconvert --to html, one after the other, "
        f"on {len(codes)} kommuner (seed {args.seed})"
    )
    runs = run_naive(codes, args.area, args.year, out)
    per_report = statistics.mean(run.seconds for run in runs)
    print(
        f"  per report {per_report:.2f} s ({1 / per_report:.3f} reports per second); "
        f"98 reports ≈ {per_report * KOMMUNER:.0f} s (extrapolated linearly)"
    )
    return per_report, all(run.ok for run in runs)


def benchmark(args: argparse.Namespace, out: Path) -> int:
    request = build(args.area, args.year, "html")
    print(
        f"reports: kommunerapport, {args.area} {args.year}, demo data, {len(request.jobs())} kommuner"
    )
    batch, missing = html_batch(request, out / "batch-html", args.jobs)
    pdf = None
    if args.pdf:
        pdf_request = build(args.area, args.year, "html,pdf")
        pdf = run_omglib_batch(pdf_request, out / "batch-pdf", args.jobs)
        print_batch("omglib batch (html,pdf)", pdf, args.jobs)
    per_report, naive_ok = naive_way(request, args, out / "naive")
    print("where the time goes (this process, one report at a time):")
    print_breakdown(request, out / "warm", args.jobs)
    print_targets(batch, per_report, pdf)
    print_load_average("after")
    failed = bool(batch.summary.failed or missing or (pdf and pdf.summary.failed))
    return 1 if failed or not naive_ok else 0


def main(argv: list[str] | None = None) -> int:
    return run_report_benchmark(arguments(argv), versions, benchmark, "omg-reports-benchmark-")


if __name__ == "__main__":
    sys.exit(main())
