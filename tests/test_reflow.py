"""Nothing is cut off, on a wide screen, on a phone and on paper (WCAG 2.1 1.4.10 Reflow:
tables may scroll, text may not be hidden).

In Chromium (fixtures in conftest.py) every report kind is opened at 1024 and 360 px:
the page never scrolls sideways, no element hides what overflows it, an element that
scrolls is a labelled, keyboard-focusable region, and no text lies outside the window
except inside such a region. In the PDF no box reaches past the page's content edge,
measured on WeasyPrint's own layout of each page. Each check is shown to catch what it
is for, on a page made to fail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from omglib.reports.render import printed_document, render_html
from tests.helpers.browser import OpenReport

KINDS = ("kommunerapport", "danmarkskort", "udvalgsbriefing", "opfoelgning")
WIDTHS = (1024, 360)

#: Everything on the page that is cut off, hidden or out of reach, as Danish-free
#: technical lines a developer can act on (the test's message, not user text).
CLIPPING_SCRIPT = """
() => {
  const problems = [];
  const root = document.documentElement;
  const viewport = root.clientWidth;
  const describe = (el) => {
    const cls = typeof el.className === "string" ? el.className : "";
    const text = (el.getAttribute("aria-label") || el.textContent || "").trim();
    return `<${el.tagName.toLowerCase()} class="${cls}"> ${text.slice(0, 50)}`;
  };
  if (root.scrollWidth > viewport + 1) {
    problems.push(`page is ${root.scrollWidth}px wide in a ${viewport}px window`);
  }
  const scrollers = [];
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (!["hidden", "clip", "auto", "scroll"].includes(style.overflowX)) continue;
    if (el.scrollWidth <= el.clientWidth + 1) continue;
    if (style.overflowX === "hidden" || style.overflowX === "clip") {
      problems.push(`hides what overflows it: ${describe(el)}`);
      continue;
    }
    const labelled = el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
    if (el.getAttribute("role") !== "region" || !labelled || el.tabIndex < 0) {
      problems.push(`scrolls without being a labelled, focusable region: ${describe(el)}`);
    }
    scrollers.push(el);
  }
  for (const svg of document.querySelectorAll(".omg-chart svg")) {
    const box = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll("text")) {
      const r = text.getBoundingClientRect();
      const inside = r.left >= box.left - 1 && r.right <= box.right + 1
        && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
      if (r.width > 0 && !inside) problems.push(`chart text cut off: ${text.textContent}`);
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    if (scrollers.some((scroller) => scroller.contains(node))) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const outside = [...range.getClientRects()].some(
      (rect) => rect.width > 0 && (rect.right > viewport + 1 || rect.left < -1)
    );
    if (outside) problems.push(`text outside the window: ${node.textContent.trim().slice(0, 50)}`);
  }
  return problems;
}
"""


def cut_off(page: Any) -> list[str]:
    problems: list[str] = page.evaluate(CLIPPING_SCRIPT)
    return problems


@pytest.fixture
def open_at(browser: Any, open_report: OpenReport) -> Iterator[Any]:
    """Opens a report at a window width, with every figure drawn."""
    pages: list[Any] = []

    def open_page(path: Path, width: int) -> Any:
        page, visit = open_report(path)
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_timeout(300)  # Vega and the layout follow the new width
        pages.append(page)
        assert visit.errors == []
        return page

    yield open_page
    for page in pages:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", KINDS)
def test_nothing_is_cut_off_in_the_browser(
    reports: dict[str, Path], open_at: Any, kind: str, width: int
) -> None:
    assert cut_off(open_at(reports[kind], width)) == []


def test_wide_tables_scroll_in_a_region_the_keyboard_reaches(
    reports: dict[str, Path], open_at: Any
) -> None:
    """At 360 px the knowledge bank is wider than the window: it scrolls inside its
    region, which Tab reaches and the arrow keys then scroll."""
    page = open_at(reports["opfoelgning"], 360)
    region = page.locator(".omg-bank .omg-scroll")
    assert region.get_attribute("role") == "region" and region.get_attribute("aria-label")
    assert page.evaluate(
        "() => { const r = document.querySelector('.omg-bank .omg-scroll');"
        " return r.scrollWidth > r.clientWidth }"
    )
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(200)
    assert region.evaluate("r => r.scrollLeft") > 0


def test_the_check_catches_a_clipped_table(
    reports: dict[str, Path], open_at: Any, tmp_path: Path
) -> None:
    """The knowledge bank as it was: a scrolling box that is no region, and a page that
    scrolls sideways once its table is let out."""
    html = reports["opfoelgning"].read_text(encoding="utf-8")
    unlabelled = tmp_path / "unlabelled.html"
    unlabelled.write_text(html.replace('role="region"', 'data-role="x"'), encoding="utf-8")
    assert any("labelled, focusable region" in p for p in cut_off(open_at(unlabelled, 360)))
    escaped = tmp_path / "escaped.html"
    escaped.write_text(
        html.replace("</style>", ".omg-scroll { overflow: visible !important; }</style>", 1),
        encoding="utf-8",
    )
    problems = cut_off(open_at(escaped, 360))
    assert any(p.startswith("page is") for p in problems), problems
    hidden = tmp_path / "hidden.html"
    hidden.write_text(
        html.replace("</style>", ".omg-scroll { overflow: hidden !important; }</style>", 1),
        encoding="utf-8",
    )
    assert any("hides what overflows" in p for p in cut_off(open_at(hidden, 360)))


# --- the PDF ------------------------------------------------------------------------------


def overflowing_boxes(html: str) -> list[str]:
    """Every box that reaches past the right edge of its page's content area, by page,
    element and text, from WeasyPrint's layout of the printed page."""
    document = printed_document(html)
    found = []
    for number, page in enumerate(document.pages, 1):
        page_box = page._page_box  # WeasyPrint's layout of the page (boxes with positions)
        right_edge = page_box.content_box_x() + page_box.width
        [content] = [box for box in page_box.children if box.element_tag == "html"]
        for box in content.descendants():
            right = box.position_x + box.margin_width()
            if right > right_edge + 0.5:
                text = getattr(box, "text", "") or ""
                found.append(f"side {number}: <{box.element_tag}> {text[:40]!r} {right:.0f}")
    return found


def printed(notebook_path: Path) -> str:
    notebook = nbformat.read(notebook_path, as_version=4)
    return render_html(notebook, "test", static=True)


@pytest.mark.parametrize("kind", KINDS)
def test_no_table_runs_past_the_page_edge_in_the_pdf(reports: dict[str, Path], kind: str) -> None:
    assert overflowing_boxes(printed(reports[kind].with_suffix(".ipynb"))) == []


def test_the_pdf_check_catches_a_table_wider_than_the_page(reports: dict[str, Path]) -> None:
    """The knowledge bank printed without the print rules that fit it to its page."""
    html = printed(reports["opfoelgning"].with_suffix(".ipynb"))
    wide = html.replace(
        "</head>", "<style>.omg-bank table { width: 420mm !important; }</style></head>", 1
    )
    assert overflowing_boxes(wide)
