"""`--assets shared`: the Vega JavaScript and the map's shapes written once per output
folder and referenced relatively; the pages stay small and draw offline, from disk."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from omglib import DataError
from omglib.reports.assets import SHARED_DATA_CHARS, SharedAssets
from omglib.reports.batch import LocalExecutor, run_batch
from omglib.reports.manifest import Manifest
from omglib.reports.parameters import build_request
from tests.helpers.browser import OpenReport
from tests.helpers.data import demo_reader

pytestmark = pytest.mark.slow

PAGE_LIMIT = 250_000
"""The most bytes a kommune report may have with shared assets."""


@pytest.fixture(scope="module")
def shared_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("delte")
    options = {
        "kommune": ["Norddjurs", "Vallensbæk"],
        "area": "boernehandicap",
        "year": 2024,
        "assets": "shared",
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1767225600")
        summary = run_batch(build_request(options, "test", demo_reader), out, LocalExecutor(2))
    assert not summary.failed, summary.lines()
    return out


def test_pages_are_small_and_refer_to_files_written_once(shared_out: Path) -> None:
    pages = sorted((shared_out / "2024" / "boernehandicap").glob("*.html"))
    assets = sorted(path.name for path in (shared_out / "_omg").iterdir())
    assert len(pages) == 2
    assert [name.split("-")[0] for name in assets] == ["data", "data", "vega"]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert page.stat().st_size <= PAGE_LIMIT
        for name in assets:
            assert f'src="../../_omg/{name}"' in html
        assert "vegaEmbed" not in html  # the library is not in the page


def test_the_manifest_names_the_shared_files_so_a_missing_one_makes_the_reports_again(
    shared_out: Path,
) -> None:
    manifest = Manifest(shared_out)
    entry = manifest.entries["2024/boernehandicap/707-norddjurs"]
    shared = [item["fil"] for item in entry["filer"].values() if item["fil"].startswith("_omg/")]
    assert len(shared) == 3
    assert entry["fingerprint"]["aktiver"] == "delte"


@pytest.mark.parametrize("page", ["707-norddjurs", "187-vallensbaek"])
def test_every_figure_draws_from_disk_without_requests(
    shared_out: Path, open_report: OpenReport, page: str
) -> None:
    browser_page, visit = open_report(shared_out / "2024" / "boernehandicap" / f"{page}.html")
    drawn = browser_page.eval_on_selector_all(
        ".omg-chart", "els => els.map(e => !!e.querySelector('svg'))"
    )
    assert visit.errors == [] and visit.requests == []
    assert len(drawn) >= 5 and all(drawn)
    # the map's shapes came from the shared data files
    the_map = browser_page.locator(".omg-figure").last
    assert the_map.locator(".kommuner_marks path").count() == 98
    assert the_map.locator(".forstoerrelse_marks path").count() == 17


def test_only_long_inline_texts_go_to_a_shared_file() -> None:
    assets = SharedAssets.for_page(PurePosixPath("2024/boernehandicap/707-norddjurs"))
    long_text = "[" + ",".join(['{"a":1}'] * SHARED_DATA_CHARS) + "]"
    spec: dict[str, Any] = {
        "layer": [
            {"data": {"values": long_text, "format": {"type": "json"}}, "mark": "geoshape"},
            {"data": {"values": '[{"a":2}]', "format": {"type": "json"}}, "mark": "text"},
            {"data": {"name": "data-1"}, "mark": "point"},
        ],
        "datasets": {"data-1": [{"a": 3}]},
    }
    shared = assets.externalised(spec)
    name = shared["usermeta"]["omgData"][0]
    assert isinstance(name, str)
    assert shared["layer"][0]["data"] == {"name": name}
    assert shared["layer"][1:] == spec["layer"][1:] and shared["datasets"] == spec["datasets"]
    (path,) = assets.files
    assert path.startswith("_omg/data-") and long_text in assets.files[path].decode("utf-8")
    assert assets.data_urls() == [f"../../{path}"]


def test_an_unknown_asset_mode_is_a_danish_error() -> None:
    with pytest.raises(DataError, match="nøgle 'assets' = 'delt': forventede inline eller shared"):
        build_request({"assets": "delt"}, "test", demo_reader)
