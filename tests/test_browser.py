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
    assert hovered_tooltip(page, "kommuner", "Norddjurs", 98)


def test_a_small_kommune_can_be_hovered_in_the_copenhagen_inset(
    reports: dict[str, Path], open_report: OpenReport
) -> None:
    page, _ = open_report(reports["danmarkskort"])
    assert hovered_tooltip(page, "forstoerrelse", "Vallensbæk", 17)


#: A point where the shape itself is what the pointer meets (a kommune with islands has
#: sea at the middle of its bounding box), found on a grid over its box.
INSIDE_POINT = """(shape) => {
  const box = shape.getBoundingClientRect();
  for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
    const x = box.left + box.width * i / 20, y = box.top + box.height * j / 20;
    if (document.elementFromPoint(x, y) === shape) return [x, y];
  }
  throw new Error("no point of the shape can be hovered");
}"""


def hovered_tooltip(page: Any, layer: str, kommune: str, shapes_in_layer: int) -> bool:
    """Hovers `kommune` in the map layer named `layer` (98 kommuner, or the 17 of the
    enlarged Copenhagen area) and reads the tooltip: name, rate and counts."""
    shapes = page.locator(".omg-figure").first.locator(f".{layer}_marks path")
    assert shapes.count() == shapes_in_layer
    spec = json.loads(page.locator("script.omg-spec").first.text_content())
    [data] = [part["data"] for part in spec["layer"] if part.get("name") == layer]
    features = json.loads(data["values"])
    index = [f["properties"]["Kommune"] for f in features].index(kommune)
    x, y = shapes.nth(index).evaluate(INSIDE_POINT)
    page.mouse.move(x, y)
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=5_000)
    text = tooltip.inner_text()
    return kommune in text and "%" in text and "af" in text


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
