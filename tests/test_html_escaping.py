"""User text is escaped one way in every HTML fragment it reaches (the templates'
autoescaping), and inline JSON cannot end its `<script>`.

User text here is what a kommune writes itself: learning points and follow-up in the case
file, a handleplan's texts, its own reason names (`aarsager` in an extra reason list)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import yaml

from omglib import demodata, read_data
from omglib.learning import charts as learning_charts
from omglib.learning import followup
from omglib.learning.analyses import ReasonRanking
from omglib.learning.handleplan import read_action_plan
from omglib.learning.knowledgebank import KnowledgeBank
from omglib.learning.planview import plan_table, targets_table
from omglib.present import narrative
from omglib.present.display import FIGURE_MIME, Markdown, table_html
from omglib.reports.render import figure_html, render_html

EVIL = "<script>alert(1)</script> \"citat\" & 'apostrof'"
#: EVIL as every fragment writes it: markupsafe's escaping (quotes as &#34; and &#39;).
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &#34;citat&#34; &amp; &#39;apostrof&#39;"
REASON = 'Egen årsag </script><script>alert("x")</script> & <!-- mere'
ESCAPED_REASON = (
    "Egen årsag &lt;/script&gt;&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;!-- mere"
)
#: A figure's inline spec; in a whole page nbconvert has re-serialized the markup (with
#: BeautifulSoup), so the attributes may come in another order.
SPEC = re.compile(r'<script[^>]*class="omg-spec"[^>]*>(.*?)</script>', re.S)


def assert_escaped(markup: str, escaped: str = ESCAPED, times: int = 1) -> None:
    assert markup.count(escaped) >= times, markup
    assert "alert(1)</script>" not in markup and "&quot;" not in markup
    assert "&#x27;" not in markup and '"citat"' not in markup and "'apostrof'" not in markup


def test_table_html_escapes_caption_headers_and_cells() -> None:
    markup = table_html(pd.DataFrame({EVIL: [EVIL, None]}), caption=EVIL)
    assert_escaped(markup, times=3)
    assert "<script" not in markup


def bank(learning_point: str, reason: str) -> KnowledgeBank:
    table = pd.DataFrame(
        {
            "aar": [2024],
            "dato": [pd.Timestamp("2024-05-02")],
            "omraade": ["Børnehandicap"],
            "paragraf": ["SEL § 41"],
            "udfald": ["Ændring"],
            "aarsag": [(reason,)],
            "delvis": ["Nej"],
            "opfoelgning": [learning_point],
            "laeringspunkt": [learning_point],
        }
    )
    return KnowledgeBank(table, 707)


def test_knowledge_bank_escapes_learning_points_and_reasons_everywhere() -> None:
    markup = bank(EVIL, REASON).html()
    assert_escaped(markup, times=2)  # opfølgning and læringspunkt
    assert markup.count(ESCAPED_REASON) == 4  # cell, option value and text, data-aarsag
    assert f'data-aarsag="{ESCAPED_REASON}"' in markup
    assert f'<option value="{ESCAPED_REASON}">{ESCAPED_REASON}</option>' in markup
    assert markup.count("<script>") == markup.count("</script>") == 1  # the filter script


def test_a_knowledge_bank_of_one_decision_counts_it_in_the_singular() -> None:
    markup = bank("Indhent ny lægeerklæring", "Mangelfuld begrundelse").html()
    assert "Viser 1 af 1 afgørelse." in markup
    assert 'rows.length === 1 ? "afgørelse" : "afgørelser"' in markup  # when filtering


def test_plan_texts_are_escaped_in_the_plan_and_targets_tables(tmp_path: Path) -> None:
    plan_file = tmp_path / "handleplan.yaml"
    plan_file.write_text(
        yaml.safe_dump(
            {
                "kommune": "Norddjurs",
                "omraade": "boernehandicap",
                "kilde": EVIL,
                "handlinger": [
                    {
                        "emne": EVIL,
                        "maal": EVIL,
                        "hvad": [EVIL, EVIL],
                        "fra": "2024-04-01",
                        "til": "2024-12-31",
                        "ansvarlig": EVIL,
                        "status": "i gang",
                        "maalepunkt": {"tal": "omgoerelsesprocent", "aar": 2024, "under": "40 %"},
                    }
                ],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    plan = read_action_plan(plan_file)
    table = plan_table(plan, dt.date(2025, 6, 1))
    assert_escaped(table, times=6)  # emne, mål, two activities, ansvarlig, kilde
    assert f"<li>{ESCAPED}</li>" in table and f"Kilde: {ESCAPED}</p>" in table
    targets = targets_table(plan, read_data(demodata.packaged_file("afgoerelser")))
    assert_escaped(targets)
    assert "<script" not in table + targets


def test_footer_escapes_parameter_values() -> None:
    data, volumes = narrative.load_inputs()
    footer = narrative.footer(data, {"year": EVIL}, volumes)
    assert "år: &lt;script&gt;alert(1)&lt;/script&gt; &#34;citat&#34; &amp;" in footer
    assert "<script" not in footer and "&quot;" not in footer


def reason_figure() -> dict[str, object]:
    ranking = ReasonRanking(
        pd.DataFrame({"aarsag": [REASON], "sager": [3], "andel": [1.0], "kumuleret": [1.0]}),
        overturned=3,
        without_reason=0,
    )
    return learning_charts.reasons(ranking).payload()


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


def test_reason_name_in_inline_json_cannot_end_the_script() -> None:
    figure = reason_figure()
    markup = figure_html(figure, static=False)
    (payload,) = SPEC.findall(markup)
    assert "</script>" not in payload and not set("<>&") & set(payload)
    assert "\\u003c/script\\u003e" in payload
    spec = json.loads(payload)
    assert spec == figure["spec"] and REASON in _strings(spec)
    # The rest of the figure is markup, escaped like any other text.
    assert f"<td>{ESCAPED_REASON}</td>" in markup
    assert markup.count("<script") == markup.count("</script>") == 1


def test_reason_name_in_a_report_page_stays_inside_its_script() -> None:
    cell = nbformat.v4.new_code_cell("skjult")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={FIGURE_MIME: reason_figure(), "text/plain": "x"}
        )
    ]
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [cell]
    page = render_html(notebook, "Titel")
    (payload,) = SPEC.findall(page)
    assert REASON in _strings(json.loads(payload))
    assert "</script><script>alert" not in page and "<!-- mere" not in page


def test_static_figure_escapes_its_description() -> None:
    markup = figure_html(reason_figure(), static=True)
    description = ESCAPED_REASON.lower()  # the chart's sentence names the top reason
    assert f'aria-label="Den hyppigste årsag til omgørelse var {description}' in markup
    assert "<script" not in markup.split("<svg", 1)[0]


def test_a_file_name_in_a_markdown_note_cannot_add_markup(tmp_path: Path) -> None:
    """Markdown passes HTML through, so a user's file name is escaped before it is put
    into a note (København has no cases in the demo case file)."""
    cases = tmp_path / "<img src=x onerror=alert(1)> & co.csv"
    shutil.copy(demodata.packaged_file("sager"), cases)
    data = demodata.packaged_file("afgoerelser")
    inputs = followup.load("København", data_file=data, cases_file=cases)
    note = followup.reasons(inputs, "boernehandicap", 2024)
    assert isinstance(note, Markdown)
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; co.csv" in note
    assert "<img" not in note
