"""The committee pack as a committee gets it: Sagsfremstilling, Vurdering and Indstilling
first, on at most three A4 pages for a kommune with three areas and an action plan,
then the Bilag; the administration's own answer reaches the Indstilling from
`omg reports`; and the report text of every kind keeps the Danish fixed elsewhere."""

from __future__ import annotations

import io
import re
from pathlib import Path

import nbformat
import pypdf
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from omglib.cli import main
from omglib.reports.render import render_pdf

PACK_SECTIONS = ["Sagsfremstilling", "Vurdering", "Indstilling", "Bilag"]
MAX_PAGES_BEFORE_BILAG = 3


def page_text(path: Path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for hidden in soup(["script", "style"]):
        hidden.decompose()
    return " ".join(soup.get_text(" ").split())


def test_the_pack_opens_with_the_decision_and_ends_in_its_appendices(
    reports: dict[str, Path],
) -> None:
    soup = BeautifulSoup(reports["udvalgsbriefing"].read_text(encoding="utf-8"), "html.parser")
    sections = [h2.get_text(strip=True) for h2 in soup.find_all("h2")]
    assert sections == PACK_SECTIONS
    appendices = [h3.get_text(strip=True) for h3 in soup.find_all("h3")]
    assert appendices[-3:] == ["Handleplan", "Årsager til omgørelse", "Vidensbank"]
    bilag = soup.find("h2", string="Bilag")
    assert bilag is not None and "omg-bilag" in (bilag.get("class") or [])
    assert bilag.find_next(class_="omg-bank") is not None  # the bank is an appendix
    text = page_text(reports["udvalgsbriefing"])
    assert "retssikkerhedslovens § 79 b" in text and "Forvaltningen indstiller," in text
    assert (
        "Handleplanen for børnehandicapområdet, vedtaget 12. marts 2024, har 5 handlinger: "
        "2 er i gang, 2 er gennemført og 1 er forsinket; fristen er overskredet for 1 handling. "
        "Af planens 4 målbare mål er 1 nået og 2 ikke nået, mens 1 endnu ikke kan afgøres."
    ) in text


@pytest.mark.slow
def test_up_to_the_indstilling_the_pack_fits_on_three_a4_pages(reports: dict[str, Path]) -> None:
    """Norddjurs: three areas and an action plan. The Bilag start on a page of their own,
    so the pages before the one with the Bilag heading hold the whole decision."""
    notebook = nbformat.read(reports["udvalgsbriefing"].with_suffix(".ipynb"), as_version=4)
    pdf = pypdf.PdfReader(io.BytesIO(render_pdf(notebook, "Udvalgsbriefing")))
    texts = [page.extract_text() for page in pdf.pages]
    first_page_of = {
        section: next(
            number
            for number, text in enumerate(texts, 1)
            if section in [line.strip() for line in text.splitlines()]
        )
        for section in PACK_SECTIONS
    }
    assert list(first_page_of.values()) == sorted(first_page_of.values())
    assert first_page_of["Bilag"] - 1 <= MAX_PAGES_BEFORE_BILAG, first_page_of
    bilag_page = texts[first_page_of["Bilag"] - 1]
    assert "Forvaltningen indstiller" not in bilag_page  # the Bilag start a page of their own


@pytest.mark.slow
def test_the_administrations_own_answer_reaches_the_indstilling(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            *("reports", "--notebook", "udvalgsbriefing", "--kommune", "Norddjurs"),
            *("--area", "all", "--year", "2024", "--out", str(tmp_path)),
            *("--recommendation", "voksenhandicap=handleplan", "--jobs", "1"),
        ],
    )
    assert result.exit_code == 0, result.output
    text = page_text(tmp_path / "2024" / "udvalgsbriefing" / "707-norddjurs.html")
    assert (
        "at der udarbejdes en handleplan for voksenhandicapområdet efter forvaltningens "
        "samlede vurdering"
    ) in text
    assert "forvaltningens egen indstilling: Voksenhandicapområdet: handleplan" in text


#: Lower-case law abbreviations before "§": a provision name that lost its case.
LOWERED_PROVISION = re.compile(r"\b(?:sel|bl|rsl) §")


@pytest.mark.parametrize(
    "kind", ["kommunerapport", "danmarkskort", "udvalgsbriefing", "opfoelgning"]
)
def test_report_text_keeps_its_danish(reports: dict[str, Path], kind: str) -> None:
    """No internal parameter name, no provision in lower case, the national level named
    once a sentence, no outcome counted as "0" in the follow-up sentence."""
    text = page_text(reports[kind])
    assert not re.search(r"\b\w+_file\b", text)
    assert not LOWERED_PROVISION.search(text)
    soup = BeautifulSoup(reports[kind].read_text(encoding="utf-8"), "html.parser")
    paragraphs = [" ".join(block.get_text(" ").split()) for block in soup.find_all(["p", "li"])]
    sentences = [s for paragraph in paragraphs for s in re.split(r"(?<=[.!?])\s", paragraph)]
    for sentence in sentences:
        assert sentence.lower().count("landsniveau") <= 1, sentence
        if "hjemviste sager endte" in sentence:
            assert ", og " not in sentence and not re.search(r"\b0 (?:med|afventer)", sentence)
