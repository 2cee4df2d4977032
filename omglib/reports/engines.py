"""Ways to execute a report notebook, registered by name (papermill's own model).

Both engines run the notebook with papermill: parameters injected after the cell tagged
`parameters`, cell by cell in a Jupyter kernel, failures recorded in the notebook. They
differ only in the kernel:

- `papermill`: a fresh kernel per notebook, exactly as `papermill in.ipynb out.ipynb`.
- `warm`: one kernel per worker process, kept between notebooks and reset before each
  to what a fresh kernel holds (`RESET_KERNEL`), so the kernel start-up and the imports
  (most of the time a report takes) are paid once per worker instead of once per report.

A test checks that both give the same report. A notebook that stops short (a cell out of
time, a kernel that died) is written all the same, as papermill writes one whose cell
failed, so the batch can keep it.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import nbformat
import papermill
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.execute import (
    prepare_notebook_metadata,
    raise_for_execution_errors,
    remove_error_markers,
)
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from omglib.errors import OmgError

KERNEL_NAME = "python3"
#: Seconds a single cell may run before the report is given up.
CELL_TIMEOUT_S = 600


#: Run in a kept kernel before each notebook, to leave it as a fresh kernel is.
#: `shell.reset` (what `%reset -f` runs, here with a new history session) clears the
#: namespace (also the `_`-names: `_`, `_5`, `_i5`, ...), `Out` and `In`, and starts the
#: execution count at 1 again, so the executed notebook numbers its cells as a fresh
#: kernel does; `_`, `__` and `___` are then put back empty, as a fresh kernel has them.
#: What it leaves is cleared before it: the previous notebook's inputs waiting for the
#: history database (what `%history` would show), the text of each output, the last
#: inputs that would become the next notebook's `_i`, `_ii`, `_iii`, and a failed cell's
#: traceback in `sys.last_*` (which keeps the cell's frames and their data alive).
#: `shell.reset` ends with a full garbage collection; what survives it (the imported
#: libraries, omglib's caches) is then frozen out of later collections (`gc.freeze`), so
#: the collection costs 0,1 s of CPU once, after the first notebook, and 2 ms after the
#: later ones (`%reset -f` costs 0,2 s every time: it collects twice, over everything).
#: The price, a cycle of frozen objects that later becomes garbage is never collected,
#: does not show: the kernel's memory stays flat over 300 reports
#: (`benchmarks/kernel_benchmark.py`).
RESET_KERNEL = """\
def _reset(shell):
    import gc
    import sys

    history = shell.history_manager
    history.db_input_cache.clear()
    history.db_output_cache.clear()
    history.output_hist_reprs.clear()
    history._i = history._ii = history._iii = history._i00 = ""
    for name in ("last_type", "last_value", "last_traceback", "last_exc"):
        sys.__dict__.pop(name, None)
    shell.reset(new_session=True)
    shell.user_ns.update({name: getattr(shell.displayhook, name) for name in ("_", "__", "___")})
    gc.freeze()


_reset(get_ipython())
"""


class _ResettingClient(PapermillNotebookClient):  # type: ignore[misc]
    """papermill's client, resetting the kernel (`RESET_KERNEL`) before the first cell.

    The reset's reply is awaited (2 ms): a kernel does not abort the requests behind a
    silent one that fails, so only the reply tells that the reset failed, and then the
    report fails (and the engine stops the kernel) rather than run on what the previous
    notebook left."""

    def papermill_execute_cells(self) -> None:
        reply = self.wait_for_reply(self.kc.execute(RESET_KERNEL, silent=True, store_history=False))
        assert reply is not None  # a reset out of time raises (nbclient's CellTimeoutError)
        content = reply["content"]
        if content["status"] != "ok":
            reason = f"{content['ename']}: {content['evalue']}" if "ename" in content else ""
            raise OmgError(
                f"Kernen kunne ikke nulstilles før rapporten ({reason or content['status']})"
            )
        super().papermill_execute_cells()


@dataclass
class _KeptKernel:
    """A kernel kept running between notebooks, and the client connected to it."""

    manager: AsyncKernelManager
    client: Any = None


class WarmKernelEngine(NBClientEngine):  # type: ignore[misc]
    """papermill engine that keeps one kernel (and its client) per process between
    notebooks, so start-up and imports are paid once."""

    kernels: ClassVar[dict[str, _KeptKernel]] = {}

    @classmethod
    def execute_managed_notebook(
        cls, nb_man: Any, kernel_name: str, keep_at: str, **kwargs: Any
    ) -> nbformat.NotebookNode:
        kept = cls._kernel(kernel_name)
        client = _ResettingClient(
            nb_man,
            km=kept.manager,
            kernel_name=kernel_name,
            timeout=kwargs.get("execution_timeout"),
            startup_timeout=kwargs.get("start_timeout", 60),
            log=papermill.log.logger,
        )
        client.kc = kept.client  # None the first time: nbclient then connects a client
        try:
            executed: nbformat.NotebookNode = client.execute()
        except BaseException:
            nb_man.output_path = keep_at  # papermill writes it when it completes it
            cls._forget(kernel_name)
            raise
        kept.client = client.kc
        return executed

    @classmethod
    def _kernel(cls, kernel_name: str) -> _KeptKernel:
        kept = cls.kernels.get(kernel_name)
        if kept is not None and kept.manager.has_kernel and run_sync(kept.manager.is_alive)():
            return kept
        cls._forget(kernel_name)
        manager = AsyncKernelManager(
            kernel_name=kernel_name, transport="ipc", ip=_private_socket_path()
        )
        cls.kernels[kernel_name] = _KeptKernel(manager)
        return cls.kernels[kernel_name]

    @classmethod
    def _forget(cls, kernel_name: str) -> None:
        """Stop a kept kernel and its client, e.g. after a failure outside the cells."""
        kept = cls.kernels.pop(kernel_name, None)
        if kept is None:
            return
        if kept.client is not None:
            kept.client.stop_channels()
        if kept.manager.has_kernel:
            run_sync(kept.manager.shutdown_kernel)(now=True)
        shutil.rmtree(Path(kept.manager.ip).parent, ignore_errors=True)

    @classmethod
    def shutdown(cls) -> None:
        """Stop the kept kernels (at the end of a batch or of a worker process)."""
        for kernel_name in list(cls.kernels):
            cls._forget(kernel_name)


def _private_socket_path() -> str:
    """Where a kept kernel's IPC sockets live: a fresh private directory, so parallel
    workers never share sockets (local IPC sockets also avoid open TCP ports)."""
    return str(Path(tempfile.mkdtemp(prefix="omg-kernel-")) / "kernel")


class PlainEngine(NBClientEngine):  # type: ignore[misc]
    """papermill's own engine, a fresh kernel per notebook, writing a notebook that
    stopped short to `keep_at` as the warm engine does."""

    @classmethod
    def execute_managed_notebook(
        cls, nb_man: Any, kernel_name: str, keep_at: str, **kwargs: Any
    ) -> nbformat.NotebookNode:
        try:
            executed: nbformat.NotebookNode = super().execute_managed_notebook(
                nb_man, kernel_name, **kwargs
            )
        except BaseException:
            nb_man.output_path = keep_at  # papermill writes it when it completes it
            raise
        return executed


papermill_engines.register("omg_warm", WarmKernelEngine)
papermill_engines.register("omg_plain", PlainEngine)

#: Our engine names and the papermill engine each one runs.
ENGINES = {"warm": "omg_warm", "papermill": "omg_plain"}


def execute(
    notebook: Path, parameters: dict[str, Any], output: Path, engine: str = "warm"
) -> nbformat.NotebookNode:
    """Execute `notebook` with `parameters` as `papermill.execute_notebook` does and return
    the executed notebook; write it to `output` only when it stops short: papermill then
    raises with the failing cell's traceback, or nbclient's error for a cell out of time
    or a dead kernel.

    papermill's own steps, without its final write of a notebook that ran to the end:
    the caller writes that one (serialising a report's notebook costs 0,1 s)."""
    if engine not in ENGINES:
        raise OmgError(f"Ukendt motor '{engine}' – vælg en af {', '.join(ENGINES)}")
    prepared = load_notebook_node(str(notebook))
    if parameters:
        prepared = parameterize_notebook(
            prepared,
            parameters,
            kernel_name=KERNEL_NAME,
            language="python",
            engine_name=ENGINES[engine],
        )
    prepared = remove_error_markers(prepare_notebook_metadata(prepared, str(notebook), str(output)))
    executed: nbformat.NotebookNode = papermill_engines.execute_notebook_with_engine(
        ENGINES[engine],
        prepared,
        input_path=str(notebook),
        output_path=None,
        kernel_name=KERNEL_NAME,
        progress_bar=False,
        log_output=False,
        start_timeout=60,
        execution_timeout=CELL_TIMEOUT_S,
        keep_at=str(output),
    )
    raise_for_execution_errors(executed, str(output))
    return executed
