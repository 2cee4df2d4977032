"""Reports in a real browser: headless Chromium (Debian's `chromium`, driven by
Playwright, no browser download, no network) draws every figure with no console errors
and no requests; the map has one shape per kommune and shows a kommune's tooltip; a
deliberately broken figure makes the check fail.

Skips with a reason when Chromium or Playwright is missing (the README's test command
installs both)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from omglib import demodata, read_data
from omglib.reports.batch import LocalExecutor, run_batch
from omglib.reports.parameters import build_request

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

ARTEFACTS = Path(__file__).resolve().parents[1] / "outputs" / "test-artefakter"


@dataclass
class Visit:
    """What the browser saw on one page."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A kommune report, the Danmarkskort page and a briefing pack, made by the batch."""
    out = tmp_path_factory.mktemp("browser")

    def reader(path: Path | None):  # type: ignore[no-untyped-def]
        return read_data(path or demodata.packaged_file("afgoerelser"))

    for options in (
        {"kommune": "Norddjurs", "area": "boernehandicap", "year": 2024},
        {"notebook": "danmarkskort", "area": "boernehandicap", "year": 2024},
        {"notebook": "udvalgsbriefing", "kommune": "Norddjurs", "area": "all", "year": 2024},
    ):
        summary = run_batch(build_request(options, "test", reader), out, LocalExecutor(1))
        assert not summary.failed, summary.lines()
    return {
        "kommunerapport": out / "2024/boernehandicap/707-norddjurs.html",
        "danmarkskort": out / "2024/boernehandicap/danmarkskort.html",
        "udvalgsbriefing": out / "2024/udvalgsbriefing/707-norddjurs.html",
    }


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def open_report(browser: object, path: Path) -> tuple[object, Visit]:
    """Open a report offline and wait until every figure has drawn (or failed)."""
    page = browser.new_page(viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    visit = Visit()
    page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: visit.errors.append(str(error)))
    page.on(
        "request",
        lambda r: None if r.url.startswith(("file:", "data:")) else visit.requests.append(r.url),
    )
    page.goto(path.as_uri())
    page.wait_for_function(
        "[...document.querySelectorAll('.omg-chart')].every("
        "c => c.querySelector('svg') || c.textContent.includes('kunne ikke tegnes'))",
        timeout=20_000,
    )
    return page, visit


def chart_sizes(page: object) -> list[tuple[float, float]]:
    sizes: list[list[float]] = page.eval_on_selector_all(  # type: ignore[attr-defined]
        ".omg-chart",
        "els => els.map(e => { const s = e.querySelector('svg');"
        " if (!s) return [0, 0]; const r = s.getBoundingClientRect(); return [r.width, r.height] })",
    )
    return [(w, h) for w, h in sizes]


@pytest.mark.parametrize("kind", ["kommunerapport", "danmarkskort", "udvalgsbriefing"])
def test_every_figure_draws_without_errors_or_requests(
    reports: dict[str, Path], browser: object, kind: str
) -> None:
    page, visit = open_report(browser, reports[kind])
    sizes = chart_sizes(page)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{kind}.png"))  # type: ignore[attr-defined]
    assert visit.errors == [] and visit.requests == []
    assert len(sizes) >= 3 and all(w > 100 and h > 100 for w, h in sizes), sizes


def test_map_has_one_shape_per_kommune_and_a_tooltip(
    reports: dict[str, Path], browser: object
) -> None:
    page, _ = open_report(browser, reports["danmarkskort"])
    shapes = page.locator(".omg-figure").first.locator(".mark-shape path")  # type: ignore[attr-defined]
    assert shapes.count() == 98
    spec = json.loads(page.locator("script.omg-spec").first.text_content())  # type: ignore[attr-defined]
    features = (
        next(iter(spec["datasets"].values())) if "datasets" in spec else spec["data"]["values"]
    )
    index = [f["properties"]["Kommune"] for f in features].index("Norddjurs")
    shapes.nth(index).hover()
    tooltip = page.locator("#vg-tooltip-element")  # type: ignore[attr-defined]
    tooltip.wait_for(state="visible", timeout=5_000)
    text = tooltip.inner_text()
    assert "Norddjurs" in text and "%" in text and "af" in text


def test_a_broken_figure_is_caught(
    reports: dict[str, Path], browser: object, tmp_path: Path
) -> None:
    """A figure whose data lacks the field it encodes: the check above must fail."""
    page_text = reports["kommunerapport"].read_text(encoding="utf-8")
    broken = tmp_path / "broken.html"
    broken.write_text(
        page_text.replace(
            '"mark":', '"transform":[{"calculate":"datum.mangler.felt","as":"x"}],"mark":', 1
        ),
        encoding="utf-8",
    )
    _, visit = open_report(browser, broken)
    assert visit.errors, "a broken figure must show up as a console error"
