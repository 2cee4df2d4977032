"""The notebooks as committed: without outputs, each with a papermill `parameters` cell.
That each runs top to bottom with its default parameters (the demo data) is nbval's
check: the suite collects `omglib/notebooks/` with `--nbval-lax` (pyproject.toml), and
what the reports show is checked on the reports themselves."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from omglib.reports.batch import notebook_dir

NOTEBOOKS = Path(__file__).resolve().parents[1] / "omglib" / "notebooks"
NAMES = ("kommunerapport", "danmarkskort", "udvalgsbriefing", "opfoelgning", "udforsk")


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


def test_nbval_runs_every_notebook_the_package_ships() -> None:
    """The notebooks nbval runs are the ones `omg reports` and `omg notebooks` use."""
    shipped = sorted(path.name for path in notebook_dir().glob("*.ipynb"))
    assert shipped == sorted(f"{name}.ipynb" for name in NAMES)
    options = (NOTEBOOKS.parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"omglib/notebooks"' in options and "--nbval-lax" in options
