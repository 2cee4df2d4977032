"""WCAG 2.1 AA in a real browser, for each report kind (fixtures in conftest.py).

axe-core audits the page (the bundled copy from axe-playwright-python, no network);
what axe cannot judge, because the charts are SVG drawn by Vega, is measured here with
omglib's own contrast formula: every text in a chart against what is painted beneath
it, every data mark against the page. Headings, the charts' text alternatives and the
keyboard route to the numbers behind each figure are checked directly."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from omglib.present.contrast import (
    GRAPHICS_MINIMUM,
    RGB,
    TEXT_MINIMUM,
    WHITE,
    blend,
    contrast_ratio,
)
from tests.helpers.browser import OpenReport

KINDS = ["kommunerapport", "danmarkskort", "udvalgsbriefing", "opfoelgning"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
DECORATIVE_MARKS = ("baggrund_marks",)
"""Marks that only paint the page colour behind another mark (the white disc under a
hollow ring), so they carry nothing to see."""


def axe_audit(page: Any) -> dict[str, Any]:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="no axe")
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}}
    response: dict[str, Any] = axe.Axe().run(page, options=options).response
    return response


def violations(response: dict[str, Any]) -> list[str]:
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes'][:3]]}"
        for v in response["violations"]
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_axe_finds_no_violations(
    reports: dict[str, Path], open_report: OpenReport, kind: str
) -> None:
    page, _ = open_report(reports[kind])
    response = axe_audit(page)
    passed = {rule["id"] for rule in response["passes"]}
    assert {"color-contrast", "document-title", "html-has-lang", "svg-img-alt"} <= passed
    assert violations(response) == []


def test_axe_catches_a_page_without_language_and_with_pale_text(
    reports: dict[str, Path], open_report: OpenReport, tmp_path: Path
) -> None:
    """The audit bites: the same report without `lang` and with a pale paragraph."""
    page_text = reports["kommunerapport"].read_text(encoding="utf-8")
    broken = tmp_path / "utilgaengelig.html"
    broken.write_text(
        page_text.replace('<html lang="da">', "<html>").replace(
            "<main>", '<main><p style="color:#cccccc">Lys tekst</p>', 1
        ),
        encoding="utf-8",
    )
    page, _ = open_report(broken)
    found = {v["id"]: v["impact"] for v in axe_audit(page)["violations"]}
    assert found.get("html-has-lang") == "serious" and found.get("color-contrast") == "serious"


#: For every text in a chart: its colour and opacity, and the colours painted beneath
#: its centre (in painting order), found with the shapes' own geometry.
CHART_TEXTS = """() => {
  const paint = (el, kind) => { const s = getComputedStyle(el);
    return [kind === 'fill' ? s.fill : s.stroke,
            Number(s.opacity) * Number(kind === 'fill' ? s.fillOpacity : s.strokeOpacity)]; };
  const found = [];
  for (const svg of document.querySelectorAll('.omg-chart svg')) {
    const shapes = [...svg.querySelectorAll('path, rect, circle')]
      .filter(s => getComputedStyle(s).fill !== 'none');
    for (const text of svg.querySelectorAll('text')) {
      const box = text.getBoundingClientRect();
      if (!text.textContent.trim() || box.width === 0) continue;
      const centre = new DOMPoint(box.x + box.width / 2, box.y + box.height / 2);
      const beneath = shapes.filter(s =>
        (text.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_PRECEDING) &&
        s.isPointInFill(centre.matrixTransform(s.getScreenCTM().inverse())));
      found.push({text: text.textContent, colour: paint(text, 'fill'),
                  beneath: beneath.map(s => paint(s, 'fill'))});
    }
  }
  return found;
}"""

#: Every drawn data mark with its fill and its outline (colour, opacity, width).
CHART_MARKS = """(decorative) => [...document.querySelectorAll('.omg-chart svg .role-mark')]
  .filter(g => !g.classList.contains('mark-text')
               && !decorative.some(name => g.classList.contains(name)))
  .flatMap(g => [...g.querySelectorAll('path, rect, circle, line')].map(el => {
    const s = getComputedStyle(el);
    return {mark: g.getAttribute('class'),
            fill: [s.fill, Number(s.opacity) * Number(s.fillOpacity)],
            stroke: [s.stroke, Number(s.opacity) * Number(s.strokeOpacity),
                     parseFloat(s.strokeWidth)]};
  }))"""


def seen(colour: str, opacity: float, background: RGB | str = WHITE) -> RGB | None:
    """A computed CSS colour as the reader sees it over `background`; None if unpainted."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", colour)]
    if not colour.startswith("rgb") or (len(numbers) == 4 and numbers[3] == 0):
        return None
    alpha = opacity * (numbers[3] if len(numbers) == 4 else 1.0)
    rgb = (numbers[0], numbers[1], numbers[2])
    return blend(rgb, alpha, background)


def poor_chart_texts(page: Any) -> list[tuple[str, float]]:
    """Chart texts below 4,5:1 against what is painted beneath them."""
    texts = page.evaluate(CHART_TEXTS)
    assert len(texts) > 20
    poor = []
    for text in texts:
        background: RGB | str = WHITE
        for colour, opacity in text["beneath"]:
            background = seen(colour, opacity, background) or background
        colour, opacity = text["colour"]
        ink = seen(colour, opacity, background)
        ratio = 1.0 if ink is None else contrast_ratio(ink, background)
        if ratio < TEXT_MINIMUM:
            poor.append((text["text"], round(ratio, 2)))
    return poor


def faint_chart_marks(page: Any) -> list[tuple[str, float]]:
    """Data marks below 3:1 against the white page by both their fill and outline."""
    marks = page.evaluate(CHART_MARKS, list(DECORATIVE_MARKS))
    assert marks
    faint = []
    for mark in marks:
        fill = seen(*mark["fill"])
        stroke_colour, stroke_opacity, width = mark["stroke"]
        stroke = seen(stroke_colour, stroke_opacity) if width > 0 else None
        best = max((contrast_ratio(c, WHITE) for c in (fill, stroke) if c is not None), default=1)
        if best < GRAPHICS_MINIMUM:
            faint.append((mark["mark"], round(best, 2)))
    return faint


@pytest.mark.parametrize("kind", KINDS)
def test_chart_texts_and_marks_have_enough_contrast(
    reports: dict[str, Path], open_report: OpenReport, kind: str
) -> None:
    """Text 4,5:1 on what is beneath it (white labels on dark bars included); each data
    mark 3:1 against the page by its fill or its outline."""
    page, _ = open_report(reports[kind])
    assert poor_chart_texts(page) == []
    assert faint_chart_marks(page) == []


def test_contrast_measurement_catches_pale_charts(
    reports: dict[str, Path], open_report: OpenReport
) -> None:
    """The measurement bites: the same report with pale chart text and faint marks."""
    page, _ = open_report(reports["kommunerapport"])
    page.add_style_tag(
        content=".omg-chart svg text { fill: #bbbbbb !important }"
        ".omg-chart svg .role-mark path { stroke: none !important; opacity: 0.2 !important }"
    )
    assert len(poor_chart_texts(page)) > 20
    assert faint_chart_marks(page)


@pytest.mark.parametrize("kind", KINDS)
def test_one_title_and_headings_in_order(
    reports: dict[str, Path], open_report: OpenReport, kind: str
) -> None:
    page, _ = open_report(reports[kind])
    levels = page.evaluate(
        "() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])"
    )
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(after <= before + 1 for before, after in pairwise(levels))
    assert page.evaluate("() => document.documentElement.lang") == "da"
    assert page.title() and "–" in page.title()


@pytest.mark.parametrize("kind", KINDS)
def test_every_chart_is_labelled_with_its_danish_description(
    reports: dict[str, Path], open_report: OpenReport, kind: str
) -> None:
    page, _ = open_report(reports[kind])
    figures = page.evaluate(
        "() => [...document.querySelectorAll('.omg-figure')].map(f => ["
        "f.querySelector('.omg-chart').getAttribute('aria-label'),"
        "f.querySelector('figcaption').textContent,"
        "f.querySelectorAll('details table tbody tr').length])"
    )
    assert figures
    for label, caption, rows in figures:
        assert label == caption and len(caption) > 30 and rows > 0


#: What Tab may stop at, in page order: a figure's "Tallene bag figuren", a table's
#: scrolling region, and the knowledge bank's filters.
TAB_STOP_SCRIPT = """
() => {
  const el = document.activeElement;
  const summaries = [...document.querySelectorAll('.omg-figure summary')];
  if (summaries.includes(el)) return ['figur', summaries.indexOf(el)];
  const regions = [...document.querySelectorAll('.omg-scroll')];
  if (regions.includes(el)) return ['tabel', regions.indexOf(el)];
  if (el.matches('.omg-bank select')) return ['filter', 0];
  return ['andet', el === document.body ? -1 : 0];
}
"""


@pytest.mark.parametrize("kind", KINDS)
def test_keyboard_reaches_the_numbers_behind_every_figure(
    reports: dict[str, Path], open_report: OpenReport, kind: str
) -> None:
    """Vega's tooltips answer the mouse only, so the keyboard route to the numbers is
    each figure's "Tallene bag figuren": Tab reaches every one in order, with a visible
    focus ring, Enter opens the table, and Tab leaves the page again (no trap). Every
    table outside a figure is a tab stop of its own (its region scrolls when it is wider
    than the screen), and Tab reaches those in order too."""
    page, _ = open_report(reports[kind])
    figures = page.locator(".omg-figure summary").count()
    tables = page.locator(".omg-scroll:visible").count()
    stops: dict[str, list[int]] = {"figur": [], "tabel": [], "filter": [], "andet": []}
    for _ in range(figures + tables + 20):
        page.keyboard.press("Tab")
        kind_of_stop, index = page.evaluate(TAB_STOP_SCRIPT)
        if index < 0:
            break
        outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        stops[kind_of_stop].append(index)
    assert stops["figur"] == list(range(figures))
    assert stops["tabel"] == sorted(stops["tabel"]) and len(stops["tabel"]) == tables
    assert stops["andet"] == []
    summaries = page.locator(".omg-figure summary")
    summaries.first.focus()
    page.keyboard.press("Enter")
    table = page.locator(".omg-figure details").first.locator("table")
    assert table.is_visible() and "%" in table.inner_text()


def test_knowledge_bank_filters_work_by_keyboard(
    reports: dict[str, Path], open_report: OpenReport
) -> None:
    """The bank's filters are labelled native selects: focus one, pick with the arrow
    keys, and the table and the live count follow."""
    page, _ = open_report(reports["opfoelgning"])
    count = page.locator(".omg-bank-count")
    rows = page.locator(".omg-bank tbody tr")
    total = rows.count()
    assert count.inner_text() == f"Viser {total} af {total} afgørelser."
    reasons = page.get_by_role("combobox", name="Årsag")
    reasons.focus()
    page.keyboard.press("ArrowDown")
    chosen = reasons.input_value()
    shown = page.locator(".omg-bank tbody tr:not([hidden])").count()
    assert chosen and 0 < shown < total
    assert count.inner_text() == f"Viser {shown} af {total} afgørelser."
    assert all(
        chosen in text
        for text in page.locator(".omg-bank tbody tr:not([hidden])").all_inner_texts()
    )
