"""Ways to execute a report notebook, registered by name (papermill's own model).

Both engines run the notebook with papermill: parameters injected after the cell tagged
`parameters`, cell by cell in a Jupyter kernel, failures recorded in the notebook. They
differ only in the kernel:

- `papermill`: a fresh kernel per notebook, exactly as `papermill in.ipynb out.ipynb`.
- `warm`: one kernel per worker process, kept between notebooks and cleared with
  `%reset -f` before each, so the kernel start-up and the imports (most of the time a
  report takes) are paid once per worker instead of once per report.

A test checks that both give the same report.
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

from omglib.errors import OmgError

KERNEL_NAME = "python3"
#: Seconds a single cell may run before the report is given up.
CELL_TIMEOUT_S = 600


class _ResettingClient(PapermillNotebookClient):  # type: ignore[misc]
    """papermill's client, removing every variable of the previous notebook before the
    first cell (`%reset_selective`: unlike `%reset` it does not run a full garbage
    collection, which would cost 0,2 s per report).

    The reset is queued, not awaited: the kernel runs requests in order, and the client
    only reads replies and outputs addressed to each cell's own request."""

    def papermill_execute_cells(self) -> None:
        self.kc.execute("%reset_selective -f .", silent=True, store_history=False)
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
        cls, nb_man: Any, kernel_name: str, **kwargs: Any
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


papermill_engines.register("omg_warm", WarmKernelEngine)

#: Our engine names and the papermill engine each one runs.
ENGINES: dict[str, str | None] = {"warm": "omg_warm", "papermill": None}


def execute(
    notebook: Path, parameters: dict[str, Any], output: Path, engine: str = "warm"
) -> nbformat.NotebookNode:
    """Execute `notebook` with `parameters` and write the executed notebook to `output`
    (also when a cell fails: papermill then raises with the failing cell's traceback)."""
    if engine not in ENGINES:
        raise OmgError(f"Ukendt motor '{engine}' – vælg en af {', '.join(ENGINES)}")
    result: nbformat.NotebookNode = papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters,
        engine_name=ENGINES[engine],
        kernel_name=KERNEL_NAME,
        language="python",
        progress_bar=False,
        request_save_on_cell_execute=False,
        execution_timeout=CELL_TIMEOUT_S,
    )
    return result
