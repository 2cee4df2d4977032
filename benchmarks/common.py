"""What the benchmark scripts share: timing, verdicts, the machine, demo-data reports.

Timing is wall-clock (`time.perf_counter`); a figure that is the best of several runs
says so. The report benchmarks make their reports from the packaged demo data with
`SOURCE_DATE_EPOCH` fixed, print the machine's cpu count and load average (other work on
a shared machine slows every figure), and keep their outputs in `--out` or a temporary
directory. omglib is imported inside the functions that use it, so importing this module
costs nothing. The scripts beside it import it; they run as `python benchmarks/NAME.py`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from omglib import Dataset
    from omglib.reports.parameters import Request

T = TypeVar("T")

#: 2026-01-01, the epoch the tests use, so dated outputs are reproducible.
DEFAULT_EPOCH = "1767225600"


def timed(function: Callable[[], T]) -> tuple[float, T]:
    """Seconds taken by `function()` and its result."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def best_of(runs: int, function: Callable[[], object]) -> float:
    """The fastest of `runs` runs of `function()`, in seconds."""
    return min(timed(function)[0] for _ in range(runs))


def verdict(met: bool) -> str:
    """How a target is printed: "met" or "MISSED"."""
    return "met" if met else "MISSED"


def print_load_average(when: str) -> None:
    """The machine's load average: other work on a shared machine slows every figure."""
    average = ", ".join(f"{load:.2f}" for load in os.getloadavg())
    print(f"load average (1, 5, 15 min) {when}: {average}")


def print_machine() -> None:
    """The cpu count, SOURCE_DATE_EPOCH and the load average before the benchmark."""
    print(f"cpu count: {os.cpu_count()}; SOURCE_DATE_EPOCH={os.environ['SOURCE_DATE_EPOCH']}")
    print_load_average("before")


def run_report_benchmark(
    args: argparse.Namespace,
    versions: Callable[[], None],
    benchmark: Callable[[argparse.Namespace, Path], int],
    prefix: str,
) -> int:
    """Run a report benchmark and return its exit status: output line-buffered, so
    progress shows as it happens; SOURCE_DATE_EPOCH set to DEFAULT_EPOCH unless it is
    already set; `versions()` printed; then `benchmark(args, out)`, where `out` is the
    `--out` folder or a temporary one (its name starting with `prefix`) removed after."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)
    os.environ.setdefault("SOURCE_DATE_EPOCH", DEFAULT_EPOCH)
    versions()
    with _output_dir(args.out, prefix) as out:
        return benchmark(args, out)


def report_parser(description: str) -> argparse.ArgumentParser:
    """A parser with the options of a report benchmark: `--area`, `--year`, `--out`."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--area", default="boernehandicap", help="area (default boernehandicap)")
    parser.add_argument("--year", type=int, default=2024, help="year (default 2024)")
    parser.add_argument("--out", type=Path, help="keep outputs here (default: a temporary dir)")
    return parser


@contextmanager
def _output_dir(chosen: Path | None, prefix: str) -> Iterator[Path]:
    """`chosen` (made if missing), else a temporary directory removed afterwards."""
    if chosen is not None:
        chosen.mkdir(parents=True, exist_ok=True)
        yield chosen.resolve()
        return
    with tempfile.TemporaryDirectory(prefix=prefix) as scratch:
        yield Path(scratch)


def demo_data() -> Dataset:
    """The packaged demo decisions, read by omglib."""
    from omglib import demodata, read_data

    return read_data(demodata.packaged_file("afgoerelser"))


def demo_request(options: dict[str, Any]) -> Request:
    """The reports `options` ask for (keys as in `omglib.reports.parameters.KEYS`), on
    the packaged demo data."""
    from omglib import read_data
    from omglib.reports.parameters import build_request

    def reader(path: Path | None) -> Dataset:
        return read_data(path) if path is not None else demo_data()

    return build_request(options, "benchmark", reader)
