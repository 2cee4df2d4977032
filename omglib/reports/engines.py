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
from pathlib import Path
from typing import Any, ClassVar, Protocol

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


class Engine(Protocol):
    """Executes a notebook with parameters and returns the executed notebook."""

    def __call__(
        self, notebook: Path, parameters: dict[str, Any], output: Path
    ) -> nbformat.NotebookNode: ...


class _ResettingClient(PapermillNotebookClient):  # type: ignore[misc]
    """papermill's client, clearing the kept kernel's namespace before the first cell."""

    def papermill_execute_cells(self) -> None:
        reply = self.wait_for_reply(self.kc.execute("%reset -f", silent=True, store_history=False))
        if reply is None or reply["content"]["status"] != "ok":
            raise OmgError("Kunne ikke nulstille Jupyter-kernen mellem to rapporter")
        super().papermill_execute_cells()


class WarmKernelEngine(NBClientEngine):  # type: ignore[misc]
    """papermill engine that keeps one kernel per process between notebooks."""

    kernels: ClassVar[dict[str, AsyncKernelManager]] = {}

    @classmethod
    def execute_managed_notebook(
        cls, nb_man: Any, kernel_name: str, **kwargs: Any
    ) -> nbformat.NotebookNode:
        client = _ResettingClient(
            nb_man,
            km=cls._kernel(kernel_name),
            kernel_name=kernel_name,
            timeout=kwargs.get("execution_timeout"),
            startup_timeout=kwargs.get("start_timeout", 60),
            log=papermill.log.logger,
        )
        try:
            executed: nbformat.NotebookNode = client.execute()
            return executed
        finally:
            if client.kc is not None:
                client.kc.stop_channels()

    @classmethod
    def _kernel(cls, kernel_name: str) -> AsyncKernelManager:
        manager = cls.kernels.get(kernel_name)
        if manager is None or (manager.has_kernel and not run_sync(manager.is_alive)()):
            manager = AsyncKernelManager(
                kernel_name=kernel_name, transport="ipc", ip=_private_socket_path()
            )
            cls.kernels[kernel_name] = manager
        return manager

    @classmethod
    def shutdown(cls) -> None:
        """Stop the kept kernels (at the end of a batch or of a worker process)."""
        for manager in cls.kernels.values():
            if manager.has_kernel:
                run_sync(manager.shutdown_kernel)(now=True)
            shutil.rmtree(Path(manager.ip).parent, ignore_errors=True)
        cls.kernels.clear()


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
