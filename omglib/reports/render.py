"""An executed report notebook to HTML (interactive, offline) and to PDF (static).

nbconvert renders the page with omglib's own template (no code, no prompts, no CDN, the
Vega JavaScript once per page, `lang="da"`); weasyprint prints the static variant of the
same page to an A4 PDF with page numbers and the report's title as running header, so no
browser is needed. Figures come as `omglib.present.display.FIGURE_MIME` outputs: an interactive
Vega-Lite chart in the HTML, a vector SVG drawn by vl-convert in the PDF, both with the
figure's description and the numbers behind it.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import json
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import Any, Final

import nbformat
import vl_convert
from markupsafe import Markup
from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from traitlets.config import Config

from omglib import __version__
from omglib.output import default_cache_dir, write_text_atomic
from omglib.present.display import ATTACHMENT_MIME, FIGURE_MIME, LOCALE, figure_spec
from omglib.present.html import render
from omglib.reports.assets import SHARED_SNIPPET, SharedAssets

TEMPLATES = Path(str(files("omglib.reports") / "templates"))
#: The PDF prints a figure's numbers up to this many rows; longer tables (one row per
#: kommune) would fill pages and stay in the HTML version.
PRINTED_TABLE_ROWS: Final = 20
#: The font of a static figure: the page's own (omg.css), so that vl-convert lays out
#: the chart with the metrics WeasyPrint draws it with, and no axis label is cut off.
STATIC_FONT: Final = "DejaVu Sans"
#: How vl-convert draws a static figure: in the page's font, and without the ARIA
#: attributes Vega gives every mark (a label per point or kommune, formatted from its
#: tooltip). An image's accessible text is its `alt`, the figure's description, so those
#: labels reach no one in print. Without them a report's SVGs are a quarter smaller, with
#: the same pixels, for WeasyPrint to read.
STATIC_CONFIG: Final = {"font": STATIC_FONT, "aria": False}

#: Draws every figure on the page once the Vega bundle has loaded; a figure that fails
#: says so in the page and in the console (where the browser tests look).
EMBED_SNIPPET = """
const formatLocale = %s;
for (const node of document.querySelectorAll("script.omg-spec")) {
  const target = node.previousElementSibling;
  vegaEmbed(target, JSON.parse(node.textContent), {
    actions: false, renderer: "svg", formatLocale: formatLocale
  }).catch((error) => {
    target.textContent = "Figuren kunne ikke tegnes: " + error;
    console.error(error);
  });
}
"""


#: Where the page's Vega script goes: the exporter (which parses and reprints its page)
#: handles this short marker, and the megabyte of JavaScript is put in its place after.
SCRIPT_PLACE: Final = "/* omg: Vega, Vega-Lite og Vega-Embed */"


@functools.cache
def vega_script(shared: bool = False) -> str:
    """Vega, Vega-Lite and Vega-Embed bundled with the snippet that draws the figures.

    Bundling takes 1,5 s, in every worker of a batch; the bundle depends only on the
    vl-convert version and the snippet, so it is kept in the cache folder under both
    (made anew when either changes, or when the folder cannot be written)."""
    snippet = (SHARED_SNIPPET if shared else EMBED_SNIPPET) % json.dumps(
        vl_convert.get_format_locale(LOCALE)
    )
    key = hashlib.sha256(f"{version('vl-convert-python')}\0{snippet}".encode()).hexdigest()[:32]
    kept = default_cache_dir() / f"vega-{key}.js"
    try:
        return kept.read_text(encoding="utf-8")
    except OSError:
        pass
    script: str = vl_convert.javascript_bundle(snippet=snippet).replace("</script", "<\\/script")
    with contextlib.suppress(OSError):
        write_text_atomic(kept, script)
    return script


@functools.cache
def stylesheet() -> str:
    return (TEMPLATES / "omg" / "omg.css").read_text(encoding="utf-8")


class FigurePreprocessor(Preprocessor):
    """Turns each figure output into its page markup: interactive or static."""

    def __init__(self, static: bool, shared: SharedAssets | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.static = static
        self.shared = shared

    def preprocess_cell(
        self, cell: nbformat.NotebookNode, resources: dict[str, Any], index: int
    ) -> tuple[nbformat.NotebookNode, dict[str, Any]]:
        for output in cell.get("outputs", []):
            figure = output.get("data", {}).get(FIGURE_MIME)
            if figure is not None:
                figure = {**figure, "spec": figure_spec(output["data"])}
                # the page shows only the markup: the rest would be copied for nothing
                if self.shared is not None:
                    figure = {**figure, "spec": self.shared.externalised(figure["spec"])}
                output["data"] = {FIGURE_MIME: {"html": figure_html(figure, self.static)}}
                resources["omg"]["has_figures"] = True
        return cell, resources


def figure_html(figure: dict[str, Any], static: bool) -> str:
    """A figure's markup: the chart, its description as caption, its numbers as a table."""
    table = figure["table_html"]
    return str(
        render(
            "figure.html.j2",
            static=static,
            description=figure["description"],
            svg_uri=static_figure_uri(figure["spec"]) if static else None,
            spec=None if static else figure["spec"],
            table=Markup(table),
            printed=table.count("<tr>") <= PRINTED_TABLE_ROWS + 1,
        )
    )


def static_figure_uri(spec: dict[str, Any]) -> str:
    """A chart drawn by vl-convert as an SVG, as a `data:` URI for an `<img>`. WeasyPrint
    reads an image's SVG by itself; inline SVG would go through its HTML parser and style
    cascade element by element, a third of a PDF's layout time."""
    svg = vl_convert.vegalite_to_svg(spec, format_locale=LOCALE, config=STATIC_CONFIG)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _exporter() -> HTMLExporter:
    priority = [
        FIGURE_MIME,
        "text/html",
        "text/markdown",
        "image/svg+xml",
        "image/png",
        "text/plain",
    ]
    return HTMLExporter(
        config=Config({"NbConvertBase": {"display_data_priority": priority}}),
        template_name="omg",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
    )


@functools.cache
def _exporters() -> dict[bool, HTMLExporter]:
    """One configured exporter per variant, built once per process (template loading is
    the slow part of nbconvert)."""
    return {static: _exporter() for static in (False, True)}


def render_html(
    notebook: nbformat.NotebookNode,
    title: str,
    static: bool = False,
    shared: SharedAssets | None = None,
) -> str:
    """The report page of an executed notebook: interactive, or static for print (whose
    stylesheet `render_pdf` gives WeasyPrint parsed, once per process). With
    `shared`, the page refers to the Vega JavaScript and the map's shapes in shared files
    (collected in `shared.files`) instead of carrying them."""
    resources: dict[str, Any] = {
        "omg": {
            "title": title,
            "css": None if static else stylesheet(),
            "version": __version__,
            "figure_mime": FIGURE_MIME,
            "has_figures": False,
        }
    }
    prepared, resources = FigurePreprocessor(static, shared).preprocess(
        nbformat.from_dict(json.loads(json.dumps(notebook))), resources
    )
    scripted = resources["omg"]["has_figures"] and not static
    if scripted and shared is not None:
        resources["omg"]["data_scripts"] = shared.data_urls()
        resources["omg"]["script_url"] = shared.add("vega", vega_script(shared=True))
    elif scripted:
        resources["omg"]["script"] = SCRIPT_PLACE
    page, _ = _exporters()[static].from_notebook_node(prepared, resources=resources)
    inline = scripted and shared is None
    return str(page).replace(SCRIPT_PLACE, vega_script(), 1) if inline else str(page)


def render_pdf(notebook: nbformat.NotebookNode, title: str) -> bytes:
    """The report as an A4 PDF (static figures), with title and language set and tagged
    (headings, paragraphs and tables marked up), so screen readers can follow it."""
    page = render_html(notebook, title, static=True)
    pdf: bytes = printed_document(page).write_pdf(pdf_tags=True)
    return pdf


def printed_document(page: str) -> Any:
    """WeasyPrint's layout of a static page on A4, with the report's stylesheet: the
    PDF before it is written (a `weasyprint.Document`)."""
    import weasyprint

    fonts, styles = _print_setup()
    return weasyprint.HTML(string=page).render(
        font_config=fonts, stylesheets=[styles], pdf_tags=True
    )


@functools.cache
def _print_setup() -> tuple[Any, Any]:
    """WeasyPrint's fonts and the parsed stylesheet, made once per process instead of once
    per PDF."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return fonts, weasyprint.CSS(string=stylesheet(), font_config=fonts)


def attachments(notebook: nbformat.NotebookNode) -> dict[str, bytes]:
    """Files the notebook's outputs carry (`ATTACHMENT_MIME`), by file suffix, for the
    batch to write beside the report (e.g. `vidensbank.csv`)."""
    found: dict[str, bytes] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            for suffix, content in output.get("data", {}).get(ATTACHMENT_MIME, {}).items():
                found[suffix] = base64.b64decode(content)
    return found
