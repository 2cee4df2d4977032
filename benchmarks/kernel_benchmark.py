"""Benchmark the warm kernel's memory over many reports: its RSS after 20 and after N.

It makes `--reports N` reports (default 300) one after another on one warm kernel, here
in this process as in one worker of `omg reports`: `omglib.reports.engines.execute(...,
engine="warm")`, which resets the kernel before each notebook. The reports take turns:
a kommunerapport, an udvalgsbriefing and an opfølgning report for each kommune in code
order, and the Danmarkskort page, all on the packaged demo data (`--area` and `--year`).
After each report it reads the kernel process's resident memory (psutil, else `VmRSS`
in `/proc`) and prints it every 20 reports with the median seconds per report so far.
At the end: the RSS after 20 and after N reports and their ratio against the target (at
most 1.3). Exit status 1 when a report fails. Run it as
`python benchmarks/kernel_benchmark.py [--reports N]`.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common import (
    demo_request,
    print_load_average,
    print_machine,
    report_parser,
    run_report_benchmark,
    verdict,
)

if TYPE_CHECKING:
    from omglib.reports.parameters import Job

#: The RSS the last one is compared with: after this many reports.
BASELINE_REPORTS = 20
TARGET_RATIO = 1.3
MB = 1e6


def rss_bytes(pid: int) -> int:
    """The resident memory of process `pid`: psutil's figure, else `VmRSS` in /proc."""
    try:
        import psutil
    except ModuleNotFoundError:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1]) * 1024
    return int(psutil.Process(pid).memory_info().rss)


def kernel_pid() -> int:
    """The process id of this process's warm kernel."""
    from omglib.reports.engines import KERNEL_NAME, WarmKernelEngine

    return int(WarmKernelEngine.kernels[KERNEL_NAME].manager.provisioner.pid)


def reports_in_turn(area: str, year: int) -> list[tuple[Job, dict[str, Any]]]:
    """One turn of the reports and their parameters: per kommune its kommunerapport,
    udvalgsbriefing and opfølgning report, then the Danmarkskort page."""
    kinds = [
        {"notebook": "kommunerapport", "kommune": "all", "area": area},
        {"notebook": "udvalgsbriefing", "kommune": "all", "area": "all"},
        {"notebook": "opfoelgning", "kommune": "all", "area": area},
        {"notebook": "danmarkskort", "area": area},
    ]
    lists = []
    for options in kinds:
        request = demo_request({**options, "year": year, "format": "html"})
        lists.append([(job, job.parameters(request.inputs)) for job in request.jobs()])
    *per_kommune, national = lists
    turns = zip(*per_kommune, itertools.cycle(national), strict=False)
    return [report for turn in turns for report in turn]


def benchmark(args: argparse.Namespace, out: Path) -> int:
    from omglib.reports.batch import notebook_dir
    from omglib.reports.engines import WarmKernelEngine, execute

    folder = notebook_dir()
    reports = itertools.islice(itertools.cycle(reports_in_turn(args.area, args.year)), args.reports)
    print(
        f"reports: {args.reports} on one warm kernel, {args.area} {args.year}, demo data "
        "(the median seconds per report leave out the first, which starts the kernel)"
    )
    seconds: list[float] = []
    rss: dict[int, int] = {}
    failed = 0
    try:
        for number, (job, parameters) in enumerate(reports, start=1):
            started = time.perf_counter()
            try:
                execute(
                    folder / f"{job.notebook}.ipynb",
                    parameters,
                    out / f"{number:04d}-{job.notebook}.ipynb",
                    engine="warm",
                )
            except Exception as error:  # a failed report: counted, the next one runs
                failed += 1
                print(f"  FAILED {number} {job.stem}: {type(error).__name__}: {error}")
            seconds.append(time.perf_counter() - started)
            rss[number] = rss_bytes(kernel_pid())
            if number % BASELINE_REPORTS == 0 or number == args.reports:
                print(
                    f"  after {number:4d} reports: kernel RSS {rss[number] / MB:6.0f} MB, "
                    f"median {statistics.median(seconds[1:] or seconds):.2f} s per report"
                )
    finally:
        WarmKernelEngine.shutdown()
    baseline, last = rss[BASELINE_REPORTS], rss[args.reports]
    ratio = last / baseline
    print(
        f"kernel RSS after {BASELINE_REPORTS} reports: {baseline / MB:.0f} MB; after "
        f"{args.reports}: {last / MB:.0f} MB; ratio {ratio:.3f}"
    )
    print(
        f"target RSS after {args.reports} <= {TARGET_RATIO}x RSS after {BASELINE_REPORTS}: "
        f"{verdict(ratio <= TARGET_RATIO)}"
    )
    print(f"failures: {failed}")
    print_load_average("after")
    return 1 if failed else 0


def versions() -> None:
    import ipykernel
    import IPython
    import pandas

    import omglib

    print(
        f"omglib warm kernel benchmark: python {sys.version.split()[0]}, omglib "
        f"{omglib.__version__}, ipykernel {ipykernel.__version__}, IPython "
        f"{IPython.__version__}, pandas {pandas.__version__}"
    )
    print_machine()


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = report_parser(__doc__.splitlines()[0])
    parser.add_argument(
        "--reports", type=int, default=300, help="reports to make on the kernel (default 300)"
    )
    args = parser.parse_args(argv)
    if args.reports < BASELINE_REPORTS:
        parser.error(f"--reports must be at least {BASELINE_REPORTS}")
    return args


def main(argv: list[str] | None = None) -> int:
    return run_report_benchmark(arguments(argv), versions, benchmark, "omg-kernel-benchmark-")


if __name__ == "__main__":
    sys.exit(main())
