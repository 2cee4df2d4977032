"""Every kommune × area × year: the full cross-product of kommune reports plus a briefing
pack per kommune, as one batch on one machine.

On the packaged demo data: the kommunerapport of 98 kommuner × 3 areas × 2017-2024
(2.352 reports) and the udvalgsbriefing of the 98 kommuner on all areas of the last year,
HTML, made by `run_batch` with the warm engine. It prints the wall time, the peak summed
RSS of the processes, and the time per report in a worker of the first and the last 200
reports made, so a cost that grows with the batch shows. The first and the last 200 are
different reports (the jobs go year by year, and a 2024 report has eight years of trend
where a 2017 report has one), so the last 200 are then made again as a fresh batch of
their own: if the big batch's cost per report grew, its last 200 are slower than these.
Targets: at most 20 minutes, peak memory under 4 GB. The exit status is 1 if a report
fails.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from common import demo_request, run_report_benchmark, timed, verdict
from reports_benchmark import RssSampler, versions

if TYPE_CHECKING:
    from omglib.reports.parameters import Job, Request

TARGET_SECONDS = 20 * 60
TARGET_MEMORY_BYTES = 4 * 10**9
AREAS = ["socialomraadet", "boernehandicap", "voksenhandicap"]
YEARS = list(range(2017, 2025))
WINDOW = 200


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: cores)"
    )
    parser.add_argument(
        "--kommuner", type=int, default=98, help="the first N kommuner by code (default 98)"
    )
    parser.add_argument("--out", type=Path, help="keep outputs here (default: a temporary dir)")
    return parser.parse_args(argv)


def benchmark(args: argparse.Namespace, out: Path) -> int:
    from omglib import registry
    from omglib.reports.batch import LocalExecutor, run_batch

    kommuner = registry.all_kommune_codes()[: args.kommuner]
    reports = demo_request({"kommune": kommuner, "area": AREAS, "year": YEARS, "format": "html"})
    packs = demo_request(
        {"notebook": "udvalgsbriefing", "kommune": kommuner, "area": "all", "year": YEARS[-1]}
    )
    print(
        f"reports: {len(reports.jobs())} kommune reports ({len(kommuner)} kommuner × {len(AREAS)} "
        f"areas × {YEARS[0]}-{YEARS[-1]}) + {len(packs.jobs())} briefing packs, HTML; "
        f"{args.jobs} workers"
    )
    summaries = []
    with RssSampler().running() as sampler:
        for label, request in (("kommune reports", reports), ("briefing packs", packs)):
            seconds, summary = timed(
                lambda request=request: run_batch(
                    request, out, LocalExecutor(args.jobs), force=True, progress=False
                )
            )
            made = len(summary.made)
            print(f"{label}: {made} made, {len(summary.failed)} failed, {seconds:.1f} s")
            summaries.append((seconds, summary))
    total = sum(seconds for seconds, _ in summaries)
    each = [outcome.seconds for outcome in summaries[0][1].made]
    first, last = each[:WINDOW], each[-WINDOW:]
    print(
        f"per kommune report in a worker: first {len(first)} median "
        f"{statistics.median(first):.3f} s, mean {statistics.mean(first):.3f} s; last "
        f"{len(last)} median {statistics.median(last):.3f} s, mean {statistics.mean(last):.3f} s"
    )
    print(f"peak memory: {sampler.peak / 1e9:.2f} GB summed RSS of {sampler.processes} processes")
    again = remade(reports, [outcome.job for outcome in summaries[0][1].made[-WINDOW:]], args, out)
    print(
        f"the last {len(again)} again, as a fresh batch of their own: median "
        f"{statistics.median(again):.3f} s, mean {statistics.mean(again):.3f} s per report in "
        "a worker (each worker's first report starts its kernel)"
    )
    print(
        f"target all in <= {TARGET_SECONDS / 60:.0f} min: {verdict(total <= TARGET_SECONDS)} "
        f"({total / 60:.1f} min)"
    )
    print(
        f"target peak memory < {TARGET_MEMORY_BYTES / 1e9:.0f} GB: "
        f"{verdict(sampler.peak < TARGET_MEMORY_BYTES)}"
    )
    return 1 if any(summary.failed for _, summary in summaries) else 0


def remade(request: Request, jobs: list[Job], args: argparse.Namespace, out: Path) -> list[float]:
    """The seconds per report in a worker of `jobs` made again on fresh workers."""
    from omglib.reports.batch import LocalExecutor, Work, notebook_dir

    work = Work(request.inputs, notebook_dir(), out / "igen", "warm")
    outcomes = list(LocalExecutor(args.jobs).run(work, jobs))
    if any(outcome.error for outcome in outcomes):
        raise SystemExit("a report failed when made again")
    return [outcome.seconds for outcome in outcomes]


def main(argv: list[str] | None = None) -> int:
    return run_report_benchmark(arguments(argv), versions, benchmark, "omg-krydsprodukt-")


if __name__ == "__main__":
    sys.exit(main())
