"""The analyst's path, tested in a real JupyterLab: `omg notebooks` copies the notebooks
into a folder, `jupyter lab` serves it headless on a free local port (no token, on
127.0.0.1 only), and Chromium, driven by Playwright, opens `udforsk.ipynb` and
`kommunerapport.ipynb` and runs every cell.

Checked: no cell ends in an error, no request leaves localhost, every figure is drawn by
JupyterLab's own Vega-Lite renderer (the cells are scrolled into view one by one, as
JupyterLab renders only what is in view), the widgets are there and picking another
kommune redraws the headline, and the kommune report shows the Danmarkskort. The server
is stopped and its folder removed whatever happens. Skips with a reason when Chromium,
Playwright or JupyterLab is missing, as the other browser tests do.

Also here, without a browser: what a figure gives JupyterLab to display, and
`omg notebooks` itself."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import vl_convert
from click.testing import CliRunner

from omglib.cli import main
from omglib.figures import key_figures
from omglib.inputs import data_or_demo
from omglib.present import charts
from omglib.present.display import FIGURE_MIME, VEGALITE_MIME, lab_spec
from omglib.reports.copies import copy_notebooks

START_TIMEOUT_S = 90
RUN_TIMEOUT_MS = 240_000

#: The kernel is idle again and every code cell has run (an execution count), or one
#: ended in an error (JupyterLab then stops running the rest).
ALL_RUN = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session?.kernel;
  const code = panel.content.widgets.filter(cell => cell.model.type === 'code');
  const failed = code.some(cell => cell.model.outputs.toJSON().some(o => o.output_type === 'error'));
  return kernel?.status === 'idle' && (failed || code.every(cell => cell.model.executionCount !== null));
}"""

#: The outputs of every code cell, from the notebook's model: type, error, MIME types.
OUTPUTS = """() => window.jupyterapp.shell.currentWidget.content.widgets
  .filter(cell => cell.model.type === 'code')
  .flatMap(cell => cell.model.outputs.toJSON())
  .map(output => ({type: output.output_type, error: output.ename ? `${output.ename}: ${output.evalue}` : '',
                   mimes: Object.keys(output.data || {})}))"""


# --- without a browser ---------------------------------------------------------------------


def test_a_figure_displays_in_jupyterlabs_own_renderer_and_never_from_a_cdn() -> None:
    data = data_or_demo("")
    bundle = charts.trend(key_figures(data, "Aarhus", "boernehandicap", 2024))._repr_mimebundle_()
    assert set(bundle) == {VEGALITE_MIME, FIGURE_MIME, "text/plain"}  # no text/html
    spec = bundle[VEGALITE_MIME]
    assert spec["$schema"].endswith("/vega-lite/v5.json")
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"
    for version in ("5.8", "5.21"):  # JupyterLab's renderer draws Vega-Lite 5
        assert "<svg" in vl_convert.vegalite_to_svg(spec, vl_version=version)


def test_the_map_displays_in_jupyterlab_as_vega_lite_5() -> None:
    from omglib.geo.draw import danmarkskort

    kort = danmarkskort(data_or_demo(""), "boernehandicap", 2024, highlight="Vallensbæk")
    spec = lab_spec(kort.as_figure().spec())
    assert "<svg" in vl_convert.vegalite_to_svg(spec, vl_version="5.8")


def test_omg_notebooks_copies_them_and_never_overwrites_by_surprise(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    result = CliRunner().invoke(main, ["notebooks", str(target)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in target.glob("*.ipynb")) == [
        "danmarkskort.ipynb",
        "kommunerapport.ipynb",
        "opfoelgning.ipynb",
        "udforsk.ipynb",
        "udvalgsbriefing.ipynb",
    ]
    assert f"jupyter lab {target}" in result.stdout
    (target / "udforsk.ipynb").write_text("mine", encoding="utf-8")
    again = CliRunner().invoke(main, ["notebooks", str(target)])
    assert again.exit_code == 2 and "brug --force for at overskrive" in again.stderr
    assert (target / "udforsk.ipynb").read_text(encoding="utf-8") == "mine"
    forced = CliRunner().invoke(main, ["notebooks", str(target), "--force"])
    assert forced.exit_code == 0 and (target / "udforsk.ipynb").read_text() != "mine"


# --- in a real JupyterLab ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def lab() -> Iterator[str]:
    """A JupyterLab server on the copied notebooks; its address."""
    if importlib.util.find_spec("jupyterlab") is None:
        pytest.skip('JupyterLab is not installed (pip install "omglib[lab]")')
    folder = Path(tempfile.mkdtemp(prefix="omg-lab-"))
    port = free_port()
    copy_notebooks(folder / "notesbøger")
    environment = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(folder / "runtime"),
        "JUPYTER_CONFIG_DIR": str(folder / "config"),
    }
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={folder / 'notesbøger'}",
        f"--LabApp.user_settings_dir={folder / 'settings'}",
        f"--LabApp.workspaces_dir={folder / 'workspaces'}",
        "--expose-app-in-browser",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
        *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
    ]
    log = (folder / "server.log").open("w", encoding="utf-8")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environment)
    try:
        address = f"http://127.0.0.1:{port}"
        _wait_for(address, server, folder / "server.log")
        yield address
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def _wait_for(address: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"jupyter lab stopped:\n{log.read_text(encoding='utf-8')[-3000:]}")
        try:
            with urllib.request.urlopen(f"{address}/api/status", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"jupyter lab did not answer in {START_TIMEOUT_S} s")


def run_notebook(browser: Any, address: str, name: str) -> tuple[Any, list[str]]:
    """Opens the notebook in JupyterLab, runs every cell, scrolls each into view (so its
    outputs render), and returns the page and every request that left localhost."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((address, "data:", "blob:")) else outside.append(r.url),
    )
    page.goto(f"{address}/lab/tree/{name}.ipynb?reset")  # only this notebook, no workspace
    page.wait_for_function(
        "() => window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel?.status"
        " === 'idle'",
        timeout=RUN_TIMEOUT_MS,
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_timeout(1_000)
    page.wait_for_function(ALL_RUN, timeout=RUN_TIMEOUT_MS)
    cells = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.widgets.length")
    for index in range(cells):
        page.evaluate(f"() => window.jupyterapp.shell.currentWidget.content.scrollToItem({index})")
        page.wait_for_timeout(250)
    return page, outside


def drawn_figures(page: Any) -> tuple[int, int, int]:
    """Vega-Lite outputs of the cells (a widget's own outputs are not the cell's), Vega
    views on the page, and those of them that drew an SVG or a canvas."""
    outputs = page.evaluate(OUTPUTS)
    in_cells = sum(VEGALITE_MIME in output["mimes"] for output in outputs)
    views = page.evaluate("() => document.querySelectorAll('.vega-embed').length")
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('.vega-embed')]"
        ".filter(e => e.querySelector('svg, canvas')).length"
    )
    return in_cells, views, drawn


def errors(page: Any) -> list[str]:
    return [output["error"] for output in page.evaluate(OUTPUTS) if output["type"] == "error"]


@pytest.mark.slow
def test_udforsk_runs_in_jupyterlab_offline_and_its_widgets_redraw(browser: Any, lab: str) -> None:
    page, outside = run_notebook(browser, lab, "udforsk")
    assert errors(page) == [] and outside == []
    in_cells, views, drawn = drawn_figures(page)
    assert in_cells >= 1 and views >= in_cells + 2 and drawn == views  # + the widget's two
    kommune = page.locator(".widget-dropdown select").first
    assert page.locator(".widget-dropdown select").count() == 3
    headline = page.locator(".jp-OutputArea-output strong", has_text="Omgørelsesprocent").last
    before = headline.locator("xpath=..").inner_text()
    kommune.select_option(label="Norddjurs")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.widget-output .jp-RenderedMarkdown')]"
        ".some(e => e.textContent.includes('Norddjurs'))",
        timeout=60_000,
    )
    assert "Aarhus" in before and outside == []
    page.close()


@pytest.mark.slow
def test_the_kommune_report_runs_in_jupyterlab_and_shows_the_map(browser: Any, lab: str) -> None:
    page, outside = run_notebook(browser, lab, "kommunerapport")
    assert errors(page) == [] and outside == []
    in_cells, views, drawn = drawn_figures(page)
    assert in_cells >= 5 and views == in_cells and drawn == views
    shapes = page.evaluate(
        "() => Math.max(0, ...[...document.querySelectorAll('.vega-embed')]"
        ".map(e => e.querySelectorAll('.kommuner_marks path').length))"
    )
    assert shapes == 98
    page.close()
