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
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from omglib.reports.batch import Executor, Summary
    from omglib.reports.parameters import Request

#: 2026-01-01, the epoch the tests use, so dated outputs are reproducible.
DEFAULT_EPOCH = "1767225600"


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
    import omglib
    import omglib.demodata
    from omglib import registry
    from omglib.reports.parameters import build_request

    def reader(path: Path | None) -> omglib.Dataset:
        return omglib.read_data(path or omglib.demodata.packaged_file("afgoerelser"))

    codes = sorted(registry.all_kommune_codes())[:kommuner]
    options = {"kommune": codes, "area": area, "year": year, "format": "html"}
    return build_request(options, "benchmark", reader)


def timed(label: str, request: Request, out: Path, executor: Executor) -> Run:
    from omglib.reports.batch import run_batch

    started = time.perf_counter()
    summary = run_batch(request, out, executor, force=True, progress=False)
    run = Run(label, summary, time.perf_counter() - started)
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
    local = timed(label, request, out / "local", LocalExecutor(args.workers))
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
        cold = timed("Dask, fresh workers", request, out / "dask-cold", executor)
        warm = timed("Dask, same workers again", request, out / "dask-warm", executor)
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
    print(f"load average (1, 5, 15 min) after: {load_average()}")
    failed = any(run.summary.failed for run in (local, cold, warm))
    return 1 if failed or differing else 0


def load_average() -> str:
    """The machine's load average: other work on a shared machine slows every figure."""
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())


def versions() -> None:
    import dask
    import distributed

    import omglib

    print(
        f"omglib distributed benchmark: python {sys.version.split()[0]}, omglib "
        f"{omglib.__version__}, dask {dask.__version__}, distributed {distributed.__version__}"
    )
    print(f"cpu count: {os.cpu_count()}; SOURCE_DATE_EPOCH={os.environ['SOURCE_DATE_EPOCH']}")
    print(f"load average (1, 5, 15 min) before: {load_average()}")


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kommuner", type=int, default=20, help="reports in the batch (20)")
    parser.add_argument("--area", default="boernehandicap", help="area (default boernehandicap)")
    parser.add_argument("--year", type=int, default=2024, help="year (default 2024)")
    parser.add_argument(
        "--workers", type=int, default=2, help="local processes and Dask workers (2)"
    )
    parser.add_argument("--out", type=Path, help="keep outputs here (default: a temporary dir)")
    return parser.parse_args(argv)


@contextmanager
def output_dir(chosen: Path | None) -> Iterator[Path]:
    if chosen is not None:
        chosen.mkdir(parents=True, exist_ok=True)
        yield chosen.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="omg-distributed-benchmark-") as scratch:
        yield Path(scratch)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)
    os.environ.setdefault("SOURCE_DATE_EPOCH", DEFAULT_EPOCH)
    versions()
    with output_dir(args.out) as out:
        return benchmark(args, out)


if __name__ == "__main__":
    sys.exit(main())
