"""The warm kernel leaves nothing of one report to the next: the registry's caches hand
out copies or read-only objects, the reset leaves the kernel as a fresh one holds it, and
a report made after others on one kernel is byte for byte the report a fresh kernel
makes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from papermill.exceptions import PapermillExecutionError

from omglib import registry
from omglib.io.sources.headers import column_aliases
from omglib.registry.data import area_file, kommune_file, learning_lists
from omglib.reports.batch import Work, notebook_dir
from omglib.reports.engines import WarmKernelEngine, execute
from omglib.reports.parameters import build_request
from tests.helpers.data import demo_reader

pytestmark = pytest.mark.usefixtures("reproducible_date")

# --- the caches ------------------------------------------------------------------------


def _change_frame(frame: pd.DataFrame) -> None:
    frame.iloc[0] = frame.iloc[1]
    frame["tilfoejet"] = 1
    del frame[frame.columns[-2]]


FRAMES: dict[str, Callable[[], pd.DataFrame]] = {
    "kommuner": registry.kommuner,
    "provisions": registry.provisions,
    "kommune_file": kommune_file,
}


@pytest.mark.parametrize("name", FRAMES)
def test_changing_a_registry_frame_does_not_change_the_next_one(name: str) -> None:
    load = FRAMES[name]
    before = load().copy()
    _change_frame(load())
    pd.testing.assert_frame_equal(load(), before)


DICTS: dict[str, Callable[[], dict[str, Any]]] = {
    "areas": registry.areas,
    "reasons": registry.reasons,
}


@pytest.mark.parametrize("name", DICTS)
def test_changing_a_registry_dict_does_not_change_the_next_one(name: str) -> None:
    load = DICTS[name]
    before = dict(load())
    load().clear()
    assert load() == before


READ_ONLY: dict[str, Callable[[], Any]] = {
    "aliases": lambda: registry.aliases()["columns"],
    "area_file": lambda: area_file()["boernehandicap"],
    "learning_lists": lambda: learning_lists()["aarsager"],
    "column_aliases": column_aliases,
}


@pytest.mark.parametrize("name", READ_ONLY)
def test_shared_mappings_are_read_only_all_the_way_down(name: str) -> None:
    mapping = READ_ONLY[name]()
    key = next(iter(mapping))
    with pytest.raises(TypeError):
        mapping[key] = "ændret"
    assert not isinstance(mapping[key], (dict, list))
    assert isinstance(registry.aliases()["national"], tuple)


# --- the kernel -------------------------------------------------------------------------


@pytest.fixture
def new_kernel() -> Iterator[None]:
    """The warm engine's kernel started in the test (with SOURCE_DATE_EPOCH set), not one
    an earlier test module left running."""
    WarmKernelEngine.shutdown()
    yield
    WarmKernelEngine.shutdown()


def notebook(folder: Path, name: str, *cells: str) -> Path:
    path = folder / f"{name}.ipynb"
    made = new_notebook(cells=[new_code_cell(source) for source in cells])
    made.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(made, path)
    return path


#: A notebook leaving what a reset must remove: variables (also `_`-names), outputs in
#: `Out` and `_`, inputs in `In` and `_i`, changed registry caches and a failed cell.
LITTERING = (
    "from omglib import registry\n"
    "_skjult, synlig = 'skjult', 'synlig'\n"
    "table = registry.kommuner()\n"
    "table['indbyggere_ca'] = 1\n"
    "table['kommunenavn'] = 'Ændret'\n"
    "del registry.provisions()['omraade']\n"
    "registry.areas().clear()\n"
    "registry.reasons().clear()",
    "synlig",
    "table",
    "raise RuntimeError('stopper med vilje')",
)

#: What a notebook finds in the kernel: every name but the interactive module's own
#: (`__doc__`, `__spec__`, ... which the reset leaves out), the output and input
#: history, the last failure and the history database (its inputs; session numbers count on).
INSPECTION = (
    "import sys\n"
    "shell = get_ipython()\n"
    "module = {'__doc__', '__loader__', '__package__', '__spec__'}\n"
    "print(sorted(set(shell.user_ns) - module))\n"
    "print(repr((_, __, ___, _i, _ii, _iii)), dict(Out), In)\n"
    "print([name for name in ('last_type', 'last_value', 'last_traceback') if hasattr(sys, name)])\n"
    "print(shell.history_manager.output_hist_reprs, [entry[2] for entry in shell.history_manager.search('*')])",
    "shell.execution_count",
)


def cells_as_run(executed: nbformat.NotebookNode) -> list[tuple[Any, Any]]:
    return [(cell.execution_count, cell.outputs) for cell in executed.cells]


@pytest.mark.usefixtures("new_kernel")
def test_after_a_reset_the_kernel_holds_what_a_fresh_kernel_holds(tmp_path: Path) -> None:
    inspect = notebook(tmp_path, "inspect", *INSPECTION)
    fresh = execute(inspect, {}, tmp_path / "fresh.ipynb", engine="papermill")
    with pytest.raises(PapermillExecutionError, match="stopper med vilje"):
        execute(notebook(tmp_path, "litter", *LITTERING), {}, tmp_path / "litter-ud.ipynb")
    warm = execute(inspect, {}, tmp_path / "warm.ipynb")
    assert cells_as_run(warm) == cells_as_run(fresh)
    assert "'In', 'Out', '_', '__', '___'" in fresh.cells[0].outputs[0]["text"]


@pytest.mark.usefixtures("new_kernel")
def test_a_report_after_others_on_one_kernel_is_the_report_of_a_fresh_kernel(
    tmp_path: Path,
) -> None:
    def job_and_work(engine: str, **options: object) -> tuple[Any, Work]:
        request = build_request({"year": 2024, "format": "html", **options}, "test", demo_reader)
        (job,) = request.jobs()
        return job, Work(request.inputs, notebook_dir(), tmp_path, engine)

    report = {"kommune": "Norddjurs", "area": "boernehandicap"}
    job, fresh_kernel = job_and_work("papermill", **report)
    fresh = fresh_kernel(job)
    assert fresh.error is None, fresh.error

    map_job, warm = job_and_work("warm", notebook="danmarkskort", area="boernehandicap")
    assert warm(map_job).error is None
    with pytest.raises(PapermillExecutionError, match="stopper med vilje"):
        execute(notebook(tmp_path, "litter", *LITTERING), {}, tmp_path / "litter-ud.ipynb")
    job, warm = job_and_work("warm", **report)
    after_others = warm(job)
    assert after_others.error is None, after_others.error
    assert after_others.contents["html"] == fresh.contents["html"]
