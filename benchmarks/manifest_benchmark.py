"""Benchmark recording a report in the manifest of a large batch.

Builds a manifest of `--reports` entries (default 5,000: every kommune report, follow-up
report and briefing pack of the demo data, 2017-2024, with their real fingerprints) and
times:

* recording the reports one by one (`Manifest.record`: one line appended to the journal),
  in total and per report;
* folding the journal into `manifest.json` at the end of the batch (`Manifest.fold`),
  and loading the folded manifest at the start of the next;
* recording the last report in the full manifest: its first record, and the best of
  `--repeats`;
* for comparison the old way, rewriting the whole `manifest.json` atomically for every
  report (best of `--repeats` at full size), and what that costs summed over the batch
  (linear in the entries, so about half the full-size figure per report).

Each report's only file is a 1 KB HTML page, so the figures are the manifest's own cost:
hashing a real report's files adds the same to every way of recording it. Target:
recording the last report at most 5 ms. A missed target does not change the exit status.
Run it as `python benchmarks/manifest_benchmark.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common import DEFAULT_EPOCH, best_of, demo_request, print_machine, timed, verdict

if TYPE_CHECKING:
    from omglib.reports.manifest import Manifest
    from omglib.reports.parameters import Job, Request

RECORD_TARGET_S = 0.005


def main() -> int:
    options = _arguments()
    os.environ.setdefault("SOURCE_DATE_EPOCH", DEFAULT_EPOCH)
    print_machine()
    from omglib.output import write_text_atomic
    from omglib.reports.batch import notebook_dir
    from omglib.reports.manifest import MANIFEST_NAME, Manifest, fingerprints

    request = demo_request({"kommune": "all", "area": "all", "year": "all"})
    jobs = _jobs(request, options.reports)
    seconds, prints = timed(lambda: fingerprints(jobs, request.inputs, notebook_dir()))
    print(f"reports: {len(jobs):,}; their fingerprints in {seconds:.2f} s")
    with tempfile.TemporaryDirectory(prefix="omg-manifest-") as scratch:
        out = Path(scratch)
        files = {job: _page(out, str(job.stem)) for job in jobs}
        *first, last = jobs
        manifest = Manifest(out)
        seconds = _record_all(manifest, first, prints, files)
        print(
            f"record {len(first):,} reports (journal): {seconds:.2f} s, "
            f"{seconds / len(first) * 1e3:.3f} ms per report"
        )
        seconds, _ = timed(manifest.fold)
        size = (out / MANIFEST_NAME).stat().st_size / 1e6
        print(f"fold the journal into manifest.json ({size:.1f} MB): {seconds:.2f} s")
        seconds, manifest = timed(lambda: Manifest(out))
        print(f"load a {len(manifest.entries):,}-entry manifest: {seconds:.2f} s")

        def record_last() -> None:
            manifest.record(last, prints[last], {"html": files[last]})

        once, _ = timed(record_last)
        best = best_of(options.repeats, record_last)
        print(
            f"record report {len(jobs):,} in a {len(jobs):,}-entry manifest: "
            f"{once * 1e3:.3f} ms (best of {options.repeats}: {best * 1e3:.3f} ms)"
        )
        manifest.fold()

        def rewrite() -> None:  # what recording a report cost before the journal
            content = {"format": 1, "rapporter": dict(sorted(manifest.entries.items()))}
            text = json.dumps(content, ensure_ascii=False, indent=2) + "\n"
            write_text_atomic(out / MANIFEST_NAME, text)

        old = best_of(options.repeats, rewrite)
        print(
            f"old way, rewrite the whole manifest per report: {old * 1e3:.1f} ms for report "
            f"{len(jobs):,} (best of {options.repeats}), about {old * len(jobs) / 2:.0f} s "
            f"summed over the batch; {old / best:,.0f}× the journal's record"
        )
    print(
        f"target record of the last report ≤ {RECORD_TARGET_S * 1e3:g} ms: {verdict(best <= RECORD_TARGET_S)}"
    )
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=5000, help="entries (default 5000)")
    parser.add_argument("--repeats", type=int, default=5, help="runs per figure (default 5)")
    return parser.parse_args()


def _jobs(request: Request, count: int) -> list[Job]:
    """The first `count` reports of every kind `request` asks for."""
    every = [
        job
        for notebook in ("kommunerapport", "opfoelgning", "udvalgsbriefing")
        for job in replace(request, notebook=notebook).jobs()
    ]
    if count > len(every):
        raise SystemExit(f"the demo data give at most {len(every):,} reports")
    return every[:count]


def _page(out: Path, stem: str) -> Path:
    path = out / f"{stem}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<p>{stem}</p>".ljust(1024), encoding="utf-8")
    return path


def _record_all(
    manifest: Manifest, jobs: list[Job], prints: dict[Job, dict[str, Any]], files: dict[Job, Path]
) -> float:
    started = time.perf_counter()
    for job in jobs:
        manifest.record(job, prints[job], {"html": files[job]})
    return time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
