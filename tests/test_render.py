"""Report pages: figures interactive in HTML and static in PDF, with their description
and numbers; display values; the narrative framing and its provenance footer."""

from __future__ import annotations

import base64
import datetime
import io
import re
from dataclasses import replace
from pathlib import Path

import altair as alt
import nbformat
import pandas as pd
import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from omglib.figures import key_figures
from omglib.present import briefing, narrative
from omglib.present.display import FIGURE_MIME, Figure, Markdown, figure_spec, table_html
from omglib.reports.render import (
    STATIC_FONT,
    figure_html,
    render_html,
    render_pdf,
    stylesheet,
    vega_script,
)


def small_figure(description: str = "To søjler <b>ikke fed</b>.") -> Figure:
    frame = pd.DataFrame({"x": [1, 2], "y": ["a</script>", "b"]})
    chart = alt.Chart(frame).mark_bar().encode(x="x:Q", y="y:N").properties(width=200, height=80)
    return Figure(chart, description, frame.rename(columns={"x": "Antal", "y": "Navn"}))


def notebook_with(*outputs: dict[str, object]) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("skjult kode")
    cell.outputs = [nbformat.v4.new_output("display_data", data=data) for data in outputs]
    notebook: nbformat.NotebookNode = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Titel"), cell]
    return notebook


def test_figure_travels_with_spec_description_and_numbers() -> None:
    figure = small_figure()
    bundle = figure._repr_mimebundle_()
    payload = bundle[FIGURE_MIME]
    assert "spec" not in payload  # once in the notebook: the spec for JupyterLab
    own = figure_spec(bundle)
    assert own == figure.spec() and list(own) == list(figure.spec())  # keys in order
    assert own["mark"] == {"type": "bar"} and "locale" not in own["config"]
    assert figure_spec({FIGURE_MIME: figure.payload()}) == figure.spec()
    assert payload["description"] == "To søjler <b>ikke fed</b>."
    assert '<th scope="col">Antal</th>' in payload["table_html"]
    assert bundle["text/plain"] == "To søjler <b>ikke fed</b>."


def test_interactive_figure_escapes_its_spec_and_description() -> None:
    markup = figure_html(small_figure().payload(), static=False)
    assert "a\\u003c/script\\u003e" in markup and "a</script>" not in markup
    assert 'aria-label="To søjler &lt;b&gt;ikke fed&lt;/b&gt;."' in markup
    assert "<details><summary>Tallene bag figuren</summary>" in markup


def static_svgs(markup: str) -> list[str]:
    """The SVG drawings of a static page's figure images."""
    uris = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', markup)
    return [base64.b64decode(uri).decode("utf-8") for uri in uris]


def test_static_figure_is_an_svg_image_described_and_with_its_table() -> None:
    markup = figure_html(small_figure().payload(), static=True)
    [svg] = static_svgs(markup)
    assert svg.startswith("<svg") and "viewBox=" in svg and "<script" not in markup
    assert 'alt="To søjler &lt;b&gt;ikke fed&lt;/b&gt;."' in markup
    assert '<th scope="col">Navn</th>' in markup


def test_static_figure_leaves_the_marks_labels_to_the_images_description() -> None:
    """Vega labels every mark for screen readers; in print the image's `alt` is what is
    read, so the SVG goes without them (a quarter of its size)."""
    markup = figure_html(small_figure().payload(), static=True)
    [svg] = static_svgs(markup)
    assert "<path" in svg or "<rect" in svg
    assert "aria-label" not in svg
    assert 'alt="To søjler &lt;b&gt;ikke fed&lt;/b&gt;."' in markup


def test_static_figure_is_laid_out_in_the_font_the_pdf_draws_it_with() -> None:
    """vl-convert measures the labels, WeasyPrint draws them: with different fonts a long
    axis label ran past the chart's edge in the PDF."""
    [svg] = static_svgs(figure_html(small_figure().payload(), static=True))
    fonts = set(re.findall(r'font-family="([^"]+)"', svg))
    assert fonts == {STATIC_FONT}
    page_fonts = re.search(r"html \{ font-family: ([^;]+);", stylesheet())
    assert page_fonts is not None and page_fonts[1].startswith(f'"{STATIC_FONT}"')


def test_page_has_no_code_no_cdn_and_one_script_only_with_figures() -> None:
    with_figure = render_html(
        notebook_with({FIGURE_MIME: small_figure().payload(), "text/plain": "x"}), "Titel"
    )
    assert with_figure.count('<script type="module">') == 1
    assert "skjult kode" not in with_figure and "cdn." not in with_figure
    text_only = render_html(notebook_with({"text/markdown": "Kun *tekst*."}), "Titel")
    assert "<script" not in text_only and "<em>tekst</em>" in text_only
    assert '<html lang="da">' in text_only and "<title>Titel</title>" in text_only


def test_static_page_has_no_script() -> None:
    page = render_html(notebook_with({FIGURE_MIME: small_figure().payload()}), "Titel", static=True)
    assert "<script" not in page and len(static_svgs(page)) == 1


def structure_elements(node: object) -> list[DictionaryObject]:
    """Every element of a tagged PDF's structure tree below `node`."""
    if isinstance(node, IndirectObject):
        node = node.get_object()
    if isinstance(node, ArrayObject):
        return [element for child in node for element in structure_elements(child)]
    if not isinstance(node, DictionaryObject) or "/K" not in node:
        return []
    return [node, *structure_elements(node["/K"])]


def test_pdf_figure_is_tagged_with_its_description_as_alternative_text() -> None:
    """A screen reader announces a figure in the PDF by its alternative text."""
    notebook = notebook_with({FIGURE_MIME: small_figure("Søjler for Aarhus.").payload()})
    root = PdfReader(io.BytesIO(render_pdf(notebook, "Titel"))).trailer["/Root"]
    assert isinstance(root, DictionaryObject)
    figures = [
        element
        for element in structure_elements(root["/StructTreeRoot"])
        if element.get("/S") == "/Figure"
    ]
    assert [str(figure["/Alt"]) for figure in figures] == ["Søjler for Aarhus."]


def test_pdf_is_the_same_whatever_was_printed_before_in_the_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Fonts and stylesheet are kept between PDFs; a PDF must not depend on that."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first = notebook_with({FIGURE_MIME: small_figure("Først.").payload()})
    second = notebook_with({"text/markdown": "Andet: *æøå* ÆØÅ"}, {"text/plain": "x"})
    alone = render_pdf(second, "Anden")
    render_pdf(first, "Første")
    assert render_pdf(second, "Anden") == alone


def test_table_html_escapes_and_has_no_index_or_ids() -> None:
    html = table_html(pd.DataFrame({"Navn": ["<Aarhus>"], "Tal": [float("nan")]}), "Tabel")
    assert html == (
        '<div class="omg-scroll" role="region" aria-label="Tabel" tabindex="0">'
        '<table class="omg-table"><caption>Tabel</caption><thead><tr>'
        '<th scope="col">Navn</th><th scope="col">Tal</th></tr></thead>'
        "<tbody><tr><td>&lt;Aarhus&gt;</td><td></td></tr></tbody></table></div>"
    )
    assert Markdown("*x*")._repr_markdown_() == "*x*"


def test_report_date_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert narrative.report_date() == datetime.date(2026, 1, 1)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert narrative.report_date() == datetime.date.today()


def test_footer_names_data_hash_parameters_versions_and_date(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    data, volumes = narrative.load_inputs()
    footer = narrative.footer(
        data, {"kommune": "Norddjurs", "year": 2024, "data_file": "/x"}, volumes
    )
    assert data.provenance.sha256 in footer and volumes is not None
    assert volumes.provenance.sha256 in footer and "afgoerelser.csv" in footer
    assert "kommune: 707 Norddjurs; år: 2024" in footer and "data_file" not in footer
    assert "/x" not in footer  # paths are machine-specific; the hash identifies the data
    assert "omglib 0.1.0" in footer and "pandas " in footer and "1. januar 2026" in footer


def test_footer_names_each_files_extract_date_or_that_it_states_none() -> None:
    data, volumes = narrative.load_inputs()
    assert volumes is not None
    undated = narrative.footer(data, {}, volumes)
    for source in (data.provenance, volumes.provenance):
        shown = f"{source.file}, udtrækkets dato er ikke angivet i filen (SHA-256 <code>"
        assert shown in undated
    revised = replace(data.provenance, extract_date=datetime.date(2023, 2, 7))
    dated = narrative.footer(replace(data, provenance=revised), {}, volumes)
    assert "Data: afgoerelser.csv, udtrukket 7. februar 2023 (SHA-256 <code>" in dated
    assert "; volumener.csv, udtrækkets dato er ikke angivet i filen (SHA-256" in dated


def test_title_carries_the_synthetic_notice_only_for_demo_data() -> None:
    data, _ = narrative.load_inputs()
    title = narrative.title(narrative.kommune_report_heading(707, "boernehandicap", 2024), data)
    assert title.startswith("# Omgørelser 2024: børnehandicapområdet – Norddjurs Kommune")
    assert "syntetiske demodata" in title
    real = type(data)(data.counts, data.national, type(data.provenance)("tal.csv", "0" * 64))
    assert "syntetiske" not in narrative.title("Overskrift", real)


def test_rates_table_shows_counts_with_every_rate() -> None:
    frame = pd.DataFrame(
        {
            "navn": ["Norddjurs"],
            "omgoerelsesprocent": [0.75],
            "omgjort": [3],
            "realitetsbehandlede": [4],
            "omgoerelse_nedre": [0.30],
            "omgoerelse_oevre": [0.95],
        }
    )
    html = narrative.rates_table(frame, "navn", "Kommune", "Tabel")
    assert "<td>75,0 %</td><td>3 af 4 sager</td><td>30,0 %–95,0 %</td>" in html


def test_briefing_case_summary_is_plain_danish_per_area() -> None:
    data, volumes = narrative.load_inputs()
    keys = [
        key_figures(data, "Norddjurs", area, 2024, volumes)
        for area in ("socialomraadet", "boernehandicap")
    ]
    summary = briefing.case_summary(keys)
    assert summary.startswith(briefing.DUTY)
    assert "kan ikke lægges sammen" in summary  # socialområdet contains the handicap areas
    assert summary.count("\n- **") == 2 and "hele landet" in summary


def test_the_vega_bundle_is_made_once_and_kept_in_the_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMG_CACHE_DIR", str(tmp_path / "cache"))
    vega_script.cache_clear()
    made = vega_script()
    kept = list((tmp_path / "cache").glob("vega-*.js"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == made
    assert "Figuren kunne ikke tegnes" in made and "</script" not in made
    vega_script.cache_clear()
    kept[0].write_text("// fra cachen", encoding="utf-8")
    assert vega_script() == "// fra cachen"  # read, not made again
    vega_script.cache_clear()


def test_the_vega_bundle_is_made_when_the_cache_folder_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "en-fil"
    blocked.write_text("ikke en mappe", encoding="utf-8")
    monkeypatch.setenv("OMG_CACHE_DIR", str(blocked))
    vega_script.cache_clear()
    assert "Figuren kunne ikke tegnes" in vega_script()
    vega_script.cache_clear()
