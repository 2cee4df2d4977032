"""The report batch end to end: three kommuner rendered to HTML and PDF whose headline
numbers equal omglib's, offline HTML, failure isolation, resumability, byte-identical
reruns, and the fast engine giving the same report as plain papermill."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from omglib import demodata, read_data
from omglib.figures import key_figures
from omglib.output import file_sha256
from omglib.present import danish
from omglib.reports.batch import LocalExecutor, Summary, run_batch
from omglib.reports.inputfiles import Inputs
from omglib.reports.parameters import Request, build_request
from tests.helpers.batch import KOMMUNER, report
from tests.helpers.data import demo_reader
from tests.helpers.files import case_file_with_cpr

pytestmark = pytest.mark.usefixtures("reproducible_date")


def demo_request(**options: object) -> Request:
    chosen = {"kommune": list(KOMMUNER), "area": "boernehandicap", "year": 2024, **options}
    return build_request(chosen, "test", demo_reader)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Summary]:
    out = tmp_path_factory.mktemp("rapporter")
    summary = run_batch(demo_request(format="html,pdf"), out, LocalExecutor(2), progress=False)
    return out, summary


def test_every_report_is_made_with_its_executed_notebook(batch: tuple[Path, Summary]) -> None:
    out, summary = batch
    assert summary.failed == [] and len(summary.made) == 3
    for stem in ("707-norddjurs", "751-aarhus", "173-lyngby-taarbaek"):
        for suffix in ("html", "pdf", "ipynb"):
            assert report(out, stem, suffix).is_file()
    assert not list(out.rglob(".*"))  # no temporary files left behind


def expected_headline(kommune: str) -> tuple[str, str]:
    data = read_data(demodata.packaged_file("afgoerelser"))
    key = key_figures(data, kommune, "boernehandicap", 2024)
    row = key.current
    rate = danish.format_pct(row["omgoerelsesprocent"])
    counts = danish.format_counts(int(row["omgjort"]), int(row["realitetsbehandlede"]))
    return rate, counts


@pytest.mark.parametrize(
    ("kommune", "stem"), [("Norddjurs", "707-norddjurs"), ("Aarhus", "751-aarhus")]
)
def test_headline_numbers_in_html_and_pdf_equal_omglib(
    batch: tuple[Path, Summary], kommune: str, stem: str
) -> None:
    out, _ = batch
    rate, counts = expected_headline(kommune)
    page = report(out, stem, "html").read_text(encoding="utf-8")
    assert f"Omgørelsesprocent {rate}</strong> ({counts} omgjort" in page
    text = " ".join(p.extract_text() for p in PdfReader(report(out, stem, "pdf")).pages)
    text = re.sub(r"\s+", " ", text)
    assert f"Omgørelsesprocent {rate} ({counts} omgjort" in text


def test_html_is_self_contained_and_says_it_is_demo_data(batch: tuple[Path, Summary]) -> None:
    out, _ = batch
    page = report(out, "707-norddjurs", "html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    assert page.count('<script type="module">') == 1
    assert '<html lang="da">' in page
    assert "<title>Omgørelser 2024: børnehandicapområdet – Norddjurs Kommune</title>" in page
    first_screen = page[page.index("<main>") : page.index("<main>") + 1500]
    assert "syntetiske demodata" in first_screen
    assert page.count('class="omg-spec"') >= 5  # the figures, drawn by the one script
    assert "import " not in re.sub(r"<script.*?</script>", "", page, flags=re.S)  # no code


def test_pdf_is_tagged_and_has_title_language_running_header_and_page_numbers(
    batch: tuple[Path, Summary],
) -> None:
    out, _ = batch
    pdf = PdfReader(report(out, "751-aarhus", "pdf"))
    pages = len(pdf.pages)
    assert 2 <= pages <= 8
    assert pdf.metadata is not None and pdf.metadata.title == (
        "Omgørelser 2024: børnehandicapområdet – Aarhus Kommune"
    )
    root = pdf.trailer["/Root"]
    assert isinstance(root, DictionaryObject)
    assert str(root["/Lang"]) == "da"  # from <html lang="da">
    mark_info = root["/MarkInfo"]
    assert isinstance(mark_info, DictionaryObject)
    assert mark_info["/Marked"] and "/StructTreeRoot" in root  # for screen readers
    for number, page in enumerate(pdf.pages, start=1):
        text = page.extract_text()
        assert f"Side {number} af {pages}" in text
        assert "Aarhus Kommune" in text  # the running header
    assert "æ" in pdf.pages[0].extract_text() and "ø" in pdf.pages[0].extract_text()


def test_manifest_lists_every_file_with_its_hash_and_inputs(batch: tuple[Path, Summary]) -> None:
    import json

    out, _ = batch
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["rapporter"]["2024/boernehandicap/707-norddjurs"]
    assert set(entry["filer"]) == {"html", "pdf", "ipynb"}
    html = entry["filer"]["html"]
    assert html["sha256"] == file_sha256(out / html["fil"])
    assert entry["fingerprint"]["parametre"] == {
        "year": 2024,
        "kommune": 707,
        "area": "boernehandicap",
    }
    assert entry["fingerprint"]["omglib"]


def test_rerun_skips_unchanged_reports_and_remakes_a_deleted_one(
    batch: tuple[Path, Summary],
) -> None:
    out, _ = batch
    again = run_batch(demo_request(format="html,pdf"), out, LocalExecutor(1), progress=False)
    assert len(again.skipped) == 3 and again.made == []
    report(out, "751-aarhus", "html").unlink()
    third = run_batch(demo_request(format="html,pdf"), out, LocalExecutor(1), progress=False)
    assert [o.job.kommunekode for o in third.made] == [751] and len(third.skipped) == 2


def test_forced_rerun_and_the_plain_papermill_engine_give_identical_html(
    batch: tuple[Path, Summary], tmp_path: Path
) -> None:
    out, _ = batch
    before = report(out, "707-norddjurs", "html").read_bytes()
    one = demo_request(kommune="Norddjurs", format="html")
    run_batch(one, tmp_path / "warm", LocalExecutor(1), force=True, progress=False)
    run_batch(one, tmp_path / "plain", LocalExecutor(1), engine="papermill", progress=False)
    assert report(tmp_path / "warm", "707-norddjurs", "html").read_bytes() == before
    assert report(tmp_path / "plain", "707-norddjurs", "html").read_bytes() == before


def test_one_failing_report_does_not_stop_the_others(tmp_path: Path) -> None:
    """Voksenhandicap is not in this data file: that report fails, the others are made."""
    data = tmp_path / "afgoerelser.csv"
    lines = demodata.packaged_file("afgoerelser").read_text(encoding="utf-8").splitlines()
    data.write_text(
        "\n".join(line for line in lines if "oksenhandicap" not in line) + "\n", encoding="utf-8"
    )
    valid = demo_request(kommune=["Norddjurs", "Aarhus"], data=str(data))
    impossible = Request(
        valid.notebook,
        valid.kommuner,
        ("boernehandicap", "voksenhandicap"),
        valid.years,
        ("html",),
        Inputs.of(data, None, None),
    )
    summary = run_batch(impossible, tmp_path / "ud", LocalExecutor(2), progress=False)
    assert len(summary.made) == 2 and len(summary.failed) == 2
    failure = summary.failed[0]
    assert failure.error is not None and "voksenhandicap" in failure.error.lower()
    assert failure.failed_notebook is not None and failure.failed_notebook.is_file()
    lines = summary.lines()
    assert lines[0].startswith("2 rapporter lavet, 0 uændrede sprunget over, 2 fejlede")
    assert any(
        "FEJL 2024/voksenhandicap/707-norddjurs" in line and ".fejl.ipynb" in line for line in lines
    )


# --- CPR numbers in a case file ----------------------------------------------------------

CPR = "010203-1234"


def every_text_in(out: Path) -> str:
    """All text in the output folder: files as text, PDFs' extracted text, XLSX's XML."""
    import zipfile

    texts = []
    for path in out.rglob("*"):
        if path.suffix == ".pdf":
            texts.append(" ".join(page.extract_text() for page in PdfReader(path).pages))
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as workbook:
                texts += [workbook.read(name).decode("utf-8") for name in workbook.namelist()]
        elif path.is_file():
            texts.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(texts)


def test_a_cpr_number_stops_the_report_naming_the_row_unless_masked(tmp_path: Path) -> None:
    cases, row = case_file_with_cpr(tmp_path, CPR, "sager-med-cpr.csv")
    options = {
        "notebook": "opfoelgning",
        "kommune": "Norddjurs",
        "area": "boernehandicap",
        "year": 2024,
        "cases": str(cases),
    }
    stopped = run_batch(demo_request(**options), tmp_path / "uden", LocalExecutor(1))
    (failure,) = stopped.failed
    assert f"sager-med-cpr.csv, række {row}, kolonne 'Læringspunkt'" in str(failure.error)
    assert "CPR-nummer" in str(failure.error)
    assert CPR not in every_text_in(tmp_path / "uden")  # nor in the failed notebook

    masked = tmp_path / "maskeret"
    made = run_batch(
        demo_request(**options, mask_cpr=True, format="html,pdf"), masked, LocalExecutor(1)
    )
    assert made.failed == [] and len(made.made) == 1
    suffixes = {p.name.split(".", 1)[1] for p in masked.rglob("707-*")}
    assert suffixes == {"html", "pdf", "ipynb", "vidensbank.csv", "vidensbank.xlsx"}
    everything = every_text_in(masked)
    assert CPR not in everything and CPR.replace("-", "") not in everything
    assert "[CPR 1]" in everything  # the learning point is there, pseudonymised
