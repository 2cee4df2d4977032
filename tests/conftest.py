"""Fixtures shared by the test modules (their helpers are in tests/helpers/).

The demo data, a fixed SOURCE_DATE_EPOCH for reports whose bytes are compared, and the
fixtures for the tests that open reports in a real browser (headless Chromium from
Debian's `chromium` package, driven by Playwright, no browser download, no network).
The browser fixtures skip with a reason when Chromium or Playwright is missing; the
README's test command installs both."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from omglib.dataset import Dataset
from omglib.reports.batch import LocalExecutor, run_batch
from omglib.reports.parameters import build_request
from tests.helpers.batch import EPOCH
from tests.helpers.browser import OpenReport, Visit
from tests.helpers.data import demo_reader, read_demo

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def demo() -> Dataset:
    """The packaged demo counts, read once per test module."""
    return read_demo()


@pytest.fixture(scope="module")
def reproducible_date() -> Iterator[None]:
    """SOURCE_DATE_EPOCH set for the whole test module (`pytest.mark.usefixtures`)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        yield


@pytest.fixture(scope="session")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A kommune report, the Danmarkskort page, a briefing pack and a follow-up report,
    made by the batch on the demo data."""
    out = tmp_path_factory.mktemp("browser")
    for options in (
        {"kommune": "Norddjurs", "area": "boernehandicap", "year": 2024},
        {"notebook": "danmarkskort", "area": "boernehandicap", "year": 2024},
        {"notebook": "udvalgsbriefing", "kommune": "Norddjurs", "area": "all", "year": 2024},
        {"notebook": "opfoelgning", "kommune": "Norddjurs", "area": "boernehandicap", "year": 2024},
    ):
        summary = run_batch(build_request(options, "test", demo_reader), out, LocalExecutor(1))
        assert not summary.failed, summary.lines()
    return {
        "kommunerapport": out / "2024/boernehandicap/707-norddjurs.html",
        "danmarkskort": out / "2024/boernehandicap/danmarkskort.html",
        "udvalgsbriefing": out / "2024/udvalgsbriefing/707-norddjurs.html",
        "opfoelgning": out / "2024/boernehandicap/707-norddjurs-opfoelgning.html",
    }


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    with sync_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def open_report(browser: Any) -> OpenReport:
    """Opens a report offline and waits until every figure has drawn (or failed)."""

    def open_page(path: Path) -> tuple[Any, Visit]:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        visit = Visit()
        page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: visit.errors.append(str(error)))
        page.on(
            "request",
            lambda r: (
                None if r.url.startswith(("file:", "data:")) else visit.requests.append(r.url)
            ),
        )
        page.goto(path.as_uri())
        page.wait_for_function(
            "[...document.querySelectorAll('.omg-chart')].every("
            "c => c.querySelector('svg') || c.textContent.includes('kunne ikke tegnes'))",
            timeout=20_000,
        )
        return page, visit

    return open_page
