"""The notebooks: committed without outputs, each with a papermill `parameters` cell, and
each runs top to bottom with its default parameters (the demo data)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from omglib.present.display import FIGURE_MIME
from omglib.reports.engines import WarmKernelEngine, execute

NOTEBOOKS = Path(__file__).resolve().parents[1] / "omglib" / "notebooks"
NAMES = ("kommunerapport", "danmarkskort", "udvalgsbriefing", "opfoelgning", "udforsk")


@pytest.fixture(scope="module", autouse=True)
def kept_kernel() -> Iterator[None]:
    yield
    WarmKernelEngine.shutdown()


def read(name: str) -> nbformat.NotebookNode:
    notebook: nbformat.NotebookNode = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    return notebook


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_has_no_outputs_and_a_parameters_cell(name: str) -> None:
    notebook = read(name)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
    tagged = [cell for cell in code if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_top_to_bottom_with_defaults(name: str, tmp_path: Path) -> None:
    executed = execute(NOTEBOOKS / f"{name}.ipynb", {}, tmp_path / f"{name}.ipynb")
    outputs = [o for cell in executed.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any(FIGURE_MIME in o.get("data", {}) for o in outputs)
    text = " ".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert "syntetiske demodata" in text or name == "udforsk"
