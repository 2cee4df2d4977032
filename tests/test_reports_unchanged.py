"""The four kinds of report are byte for byte what the baseline commit makes.

A behaviour-preserving change (a reorganisation, a refactor) must not change a single
byte of a report. This test extracts the baseline commit's tree with `git archive`,
makes a kommune report, the Danmarkskort page, a briefing pack and a follow-up report on
the demo data with it and with the working tree, both with the same `SOURCE_DATE_EPOCH`
in the same environment, and compares the HTML. A commit that changes reports on purpose
says so in its message and is followed by one that moves `BASELINE` to it.

Skips, with the reason, where the checkout has no git history (an archive, a shallow
clone without the baseline)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

#: The commit whose reports the working tree must reproduce.
BASELINE = "1137ca6cf8e6b1f2511232b0c9635ce5fe0cfcde"
REPOSITORY = Path(__file__).resolve().parents[1]
EPOCH = "1767225600"  # 1 January 2026
REPORTS: tuple[tuple[str, ...], ...] = (
    ("--kommune", "Norddjurs", "--area", "boernehandicap"),
    ("--notebook", "danmarkskort", "--area", "boernehandicap"),
    ("--notebook", "udvalgsbriefing", "--kommune", "Norddjurs", "--area", "all"),
    ("--notebook", "opfoelgning", "--kommune", "Norddjurs", "--area", "boernehandicap"),
)
EXPECTED_FILES = {
    "2024/boernehandicap/707-norddjurs.html",
    "2024/boernehandicap/danmarkskort.html",
    "2024/udvalgsbriefing/707-norddjurs.html",
    "2024/boernehandicap/707-norddjurs-opfoelgning.html",
}

pytestmark = pytest.mark.slow


def _baseline_tree(target: Path) -> Path:
    """The baseline commit's files in `target`, or a skip when git cannot give them."""
    git = shutil.which("git")
    if git is None or not (REPOSITORY / ".git").exists():
        pytest.skip("ingen git-historik i denne udgave af koden – kan ikke finde basis-commit")
    known = subprocess.run(
        [git, "-C", str(REPOSITORY), "cat-file", "-e", f"{BASELINE}^{{commit}}"],
        capture_output=True,
    )
    if known.returncode != 0:
        pytest.skip(f"basis-commit {BASELINE} findes ikke i denne klon (overfladisk klon?)")
    archive = target.with_suffix(".tar")
    with archive.open("wb") as handle:
        subprocess.run(
            [git, "-C", str(REPOSITORY), "archive", "--format=tar", BASELINE],
            stdout=handle,
            check=True,
        )
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target


def _notebooks(tree: Path) -> Path:
    """The report notebooks of `tree`: inside the package, or at the top of older trees
    (the baseline may predate their move into `omglib/notebooks/`)."""
    packaged = tree / "omglib" / "notebooks"
    return packaged if packaged.is_dir() else tree / "notebooks"


def _render(tree: Path, out: Path, cache: Path) -> dict[str, bytes]:
    """The four reports made by the code in `tree`, by relative path."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("OMG_")}
    environment |= {
        "PYTHONPATH": str(tree),
        "OMG_NOTEBOOKS": str(_notebooks(tree)),
        "OMG_CACHE_DIR": str(cache),
        "SOURCE_DATE_EPOCH": EPOCH,
    }
    imported = subprocess.run(
        [sys.executable, "-c", "import omglib; print(omglib.__file__)"],
        env=environment,
        cwd=out.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(imported.stdout.strip()).is_relative_to(tree), imported.stdout
    command = [sys.executable, "-c", "from omglib.cli import main; main()", "reports"]
    for options in REPORTS:
        run = subprocess.run(
            [*command, *options, "--year", "2024", "--jobs", "1", "--out", str(out)],
            env=environment,
            cwd=out.parent,
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stdout + run.stderr
    return {str(path.relative_to(out)): path.read_bytes() for path in out.rglob("*.html")}


def test_reports_are_byte_identical_to_the_baseline(tmp_path: Path) -> None:
    baseline = _baseline_tree(tmp_path / "basis")
    with ThreadPoolExecutor(max_workers=2) as pool:  # the two trees side by side
        before_run = pool.submit(_render, baseline, tmp_path / "basis-ud", tmp_path / "cache-basis")
        after_run = pool.submit(_render, REPOSITORY, tmp_path / "nu-ud", tmp_path / "cache-nu")
        before, after = before_run.result(), after_run.result()
    assert set(before) == set(after) == EXPECTED_FILES
    changed = sorted(name for name in EXPECTED_FILES if before[name] != after[name])
    assert not changed, f"rapporter ændret i forhold til {BASELINE}: {changed}"
