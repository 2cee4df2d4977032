"""Reports in a real browser (fixtures in conftest.py): every figure draws with no
console errors and no requests; the map has one shape per kommune and shows a kommune's
tooltip; a deliberately broken figure makes the check fail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.browser import OpenReport

ARTEFACTS = Path(__file__).resolve().parents[1] / "outputs" / "test-artefakter"


def chart_sizes(page: Any) -> list[tuple[float, float]]:
    sizes: list[list[float]] = page.eval_on_selector_all(
        ".omg-chart",
        "els => els.map(e => { const s = e.querySelector('svg');"
        " if (!s) return [0, 0]; const r = s.getBoundingClientRect(); return [r.width, r.height] })",
    )
    return [(w, h) for w, h in sizes]


#: Figures each report kind draws at least.
FIGURES = {"kommunerapport": 5, "danmarkskort": 3, "udvalgsbriefing": 6, "opfoelgning": 2}


@pytest.mark.parametrize("kind", list(FIGURES))
def test_every_figure_draws_without_errors_or_requests(
    reports: dict[str, Path], open_report: OpenReport, kind: str
) -> None:
    page, visit = open_report(reports[kind])
    sizes = chart_sizes(page)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{kind}.png"))
    assert visit.errors == [] and visit.requests == []
    assert len(sizes) >= FIGURES[kind] and all(w > 100 and h > 100 for w, h in sizes), sizes


def test_map_has_one_shape_per_kommune_and_a_tooltip(
    reports: dict[str, Path], open_report: OpenReport
) -> None:
    page, _ = open_report(reports["danmarkskort"])
    shapes = page.locator(".omg-figure").first.locator(".mark-shape path")
    assert shapes.count() == 98
    spec = json.loads(page.locator("script.omg-spec").first.text_content())
    features = (
        next(iter(spec["datasets"].values())) if "datasets" in spec else spec["data"]["values"]
    )
    index = [f["properties"]["Kommune"] for f in features].index("Norddjurs")
    shapes.nth(index).hover()
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=5_000)
    text = tooltip.inner_text()
    assert "Norddjurs" in text and "%" in text and "af" in text


def test_a_broken_figure_is_caught(
    reports: dict[str, Path], open_report: OpenReport, tmp_path: Path
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
    _, visit = open_report(broken)
    assert visit.errors, "a broken figure must show up as a console error"
