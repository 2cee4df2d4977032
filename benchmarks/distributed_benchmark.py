"""Benchmark `omg reports` on a Dask cluster against the local executor, on one machine.

For `--kommuner` kommuner (default 20, the first by code) of one area and year of the
packaged demo data, it makes the HTML `kommunerapport` of each with

* the local executor: `run_batch(request, out, LocalExecutor(--workers), force=True)`;
* a Dask `LocalCluster` of `--workers` worker processes with one thread each, started
  here (its start is timed apart), through `DaskExecutor(cluster.scheduler_address)`:
  once on fresh workers (each starts its kernel, as the local pool's processes do) and
  once more on the same, now warm, workers;

and prints each run's wall time and reports per second. On one machine the two should be
close: Dask's point is that the same batch scales out to more machines, not that it is
faster here. The script checks that every HTML page of the Dask runs is byte for byte the
local one's and exits with status 1 if not, or if a report fails. Run it as
`python benchmarks/distributed_benchmark.py`.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from common import (
    demo_request,
    print_load_average,
    print_machine,
    report_parser,
    run_report_benchmark,
    timed,
)

if TYPE_CHECKING:
    from omglib.reports.batch import Executor, Summary
    from omglib.reports.parameters import Request


@dataclass(frozen=True)
class Run:
    """One batch: its label, summary and wall time."""

    label: str
    summary: Summary
    seconds: float

    @property
    def reports(self) -> int:
        return len(self.summary.made) + len(self.summary.failed)

    def line(self) -> str:
        return (
            f"{self.label:<34} {self.reports:>4} reports in {self.seconds:6.1f} s = "
            f"{self.reports / self.seconds:5.2f} reports/s"
            + (f"  ({len(self.summary.failed)} FAILED)" if self.summary.failed else "")
        )


def build(kommuner: int, area: str, year: int) -> Request:
    """The request for the first `kommuner` kommuner by code, HTML, on the demo data."""
    from omglib import registry

    codes = sorted(registry.all_kommune_codes())[:kommuner]
    return demo_request({"kommune": codes, "area": area, "year": year, "format": "html"})


def timed_batch(label: str, request: Request, out: Path, executor: Executor) -> Run:
    """One `run_batch` of `request`, timed and printed."""
    from omglib.reports.batch import run_batch

    seconds, summary = timed(lambda: run_batch(request, out, executor, force=True, progress=False))
    run = Run(label, summary, seconds)
    print(run.line())
    for line in summary.lines()[1:]:
        print(f"  {line}")
    return run


def differing_pages(request: Request, reference: Path, other: Path) -> list[str]:
    """The reports whose HTML under `other` is missing or not byte for byte the reference."""
    pages = [f"{job.stem}.html" for job in request.jobs()]
    return [
        page
        for page in pages
        if not (other / page).is_file()
        or (other / page).read_bytes() != (reference / page).read_bytes()
    ]


def benchmark(args: argparse.Namespace, out: Path) -> int:
    from distributed import LocalCluster

    from omglib.reports.batch import LocalExecutor
    from omglib.reports.distributed import DaskExecutor

    request = build(args.kommuner, args.area, args.year)
    print(
        f"reports: kommunerapport, {args.area} {args.year}, demo data, HTML, "
        f"{len(request.jobs())} kommuner; {args.workers} workers"
    )
    label = f"local executor ({args.workers} processes)"
    local = timed_batch(label, request, out / "local", LocalExecutor(args.workers))
    started = time.perf_counter()
    with LocalCluster(
        n_workers=args.workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as cluster:
        print(f"{'Dask LocalCluster start':<34} {time.perf_counter() - started:26.1f} s")
        executor = DaskExecutor(cluster.scheduler_address)
        cold = timed_batch("Dask, fresh workers", request, out / "dask-cold", executor)
        warm = timed_batch("Dask, same workers again", request, out / "dask-warm", executor)
    print(
        f"Dask / local reports per second: fresh workers {local.seconds / cold.seconds:.2f}, "
        f"warm workers {local.seconds / warm.seconds:.2f}"
    )
    differing = [
        page
        for run in ("dask-cold", "dask-warm")
        for page in differing_pages(request, out / "local", out / run)
    ]
    print(
        f"HTML byte for byte equal to the local executor's: "
        f"{'yes' if not differing else 'NO: ' + ', '.join(differing)}"
    )
    print_load_average("after")
    failed = any(run.summary.failed for run in (local, cold, warm))
    return 1 if failed or differing else 0


def versions() -> None:
    import dask
    import distributed

    import omglib

    print(
        f"omglib distributed benchmark: python {sys.version.split()[0]}, omglib "
        f"{omglib.__version__}, dask {dask.__version__}, distributed {distributed.__version__}"
    )
    print_machine()


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = report_parser(__doc__.splitlines()[0])
    parser.add_argument("--kommuner", type=int, default=20, help="reports in the batch (20)")
    parser.add_argument(
        "--workers", type=int, default=2, help="local processes and Dask workers (2)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    return run_report_benchmark(arguments(argv), versions, benchmark, "omg-distributed-benchmark-")


if __name__ == "__main__":
    sys.exit(main())
