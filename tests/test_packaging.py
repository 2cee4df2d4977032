"""omglib as a user installs it: the report notebooks ship inside the package, so a wheel
(not only `pip install -e .` of a checkout) makes reports.

`notebook_dir()` finds the packaged notebooks (or `OMG_NOTEBOOKS`). The slow test builds
the wheel with pip, installs it into a fresh virtual environment that resolves every
dependency from the package index, and makes a report there from a directory outside the
checkout, with nothing pointing back at the checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import pytest

from omglib.errors import OmgError
from omglib.reports import batch
from omglib.reports.batch import NOTEBOOK_DIR_VARIABLE, notebook_dir

REPOSITORY = Path(__file__).resolve().parents[1]
NOTEBOOKS = {"kommunerapport", "danmarkskort", "udvalgsbriefing", "opfoelgning", "udforsk"}
#: What the wheel is built from: the project file, the readme it names, the package.
SOURCES = ("pyproject.toml", "README.md", "omglib")
#: Seconds a step of the wheel test may take before it counts as hung.
STEP_TIMEOUT_S = 600
#: Run by the virtual environment's python: start the `python3` kernel the report engine
#: uses and print which omglib the kernel imports.
KERNEL_OMGLIB = """
from jupyter_client.manager import start_new_kernel

manager, client = start_new_kernel(kernel_name="python3")
printed = []
try:
    client.execute_interactive(
        "import omglib; print(omglib.__file__)",
        output_hook=lambda m: printed.append(m["content"].get("text", "")),
        timeout=120,
    )
finally:
    client.stop_channels()
    manager.shutdown_kernel(now=True)
print("".join(printed).strip())
"""


def test_the_notebooks_come_from_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NOTEBOOK_DIR_VARIABLE, raising=False)
    folder = notebook_dir()
    assert folder == resources.files("omglib") / "notebooks"
    assert {path.stem for path in folder.glob("*.ipynb")} == NOTEBOOKS


def test_omg_notebooks_overrides_the_packaged_notebooks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "kommunerapport.ipynb").write_text("{}", encoding="utf-8")
    monkeypatch.setenv(NOTEBOOK_DIR_VARIABLE, str(tmp_path))
    assert notebook_dir() == tmp_path


def test_a_folder_without_the_notebooks_is_a_danish_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(NOTEBOOK_DIR_VARIABLE, str(tmp_path))
    with pytest.raises(OmgError) as raised:
        notebook_dir()
    assert str(raised.value) == (
        f"Rapportnotesbøgerne findes ikke i {tmp_path}, som OMG_NOTEBOOKS peger på"
    )


def test_notebooks_inside_a_zip_archive_are_a_danish_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Imported from a zip archive, the package has no folder papermill could run."""
    archive = tmp_path / "omglib.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr("omglib/notebooks/kommunerapport.ipynb", "{}")
    zipped = SimpleNamespace(files=lambda package: zipfile.Path(archive, f"{package}/"))
    monkeypatch.setattr(batch, "resources", zipped)
    monkeypatch.delenv(NOTEBOOK_DIR_VARIABLE, raising=False)
    with pytest.raises(OmgError, match=r"zip-arkiv.*sæt OMG_NOTEBOOKS"):
        notebook_dir()


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """A directory outside the checkout, removed afterwards: the environment in it takes
    about 1 GB, too much to leave in pytest's kept temporary directories."""
    assert not tmp_path.is_relative_to(REPOSITORY), "the test must run outside the checkout"
    yield tmp_path
    shutil.rmtree(tmp_path, ignore_errors=True)


def _run(command: Sequence[str | Path], cwd: Path, env: dict[str, str]) -> str:
    """Run a step of the wheel test; its output, or a failure showing it."""
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT_S,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _clean_environment(scratch: Path, venv: Path) -> dict[str, str]:
    """This process's environment as an activated `venv` sees it, with nothing that leads
    to the checkout or to another interpreter's kernels: no PYTHONPATH, no OMG_*, a Jupyter
    data directory of its own (a user's kernelspec could name another python)."""
    kept = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OMG_", "JUPYTER_"))
        and key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
    }
    return kept | {
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "VIRTUAL_ENV": str(venv),
        "JUPYTER_DATA_DIR": str(scratch / "jupyter"),
        "OMG_CACHE_DIR": str(scratch / "cache"),
    }


@pytest.mark.slow
def test_a_wheel_in_a_fresh_environment_makes_a_report(scratch: Path) -> None:
    """About 1½ minutes on this project's 2-core machine: the wheel 7 s, the environment
    with its dependencies 30 s, the kernel check and the report 15 s, removing it all up
    to 20 s; up to twice that while other work loads the machine.

    The wheel is built from a copy of its sources, so setuptools' `build/` in the checkout
    can neither leave files there nor slip stale ones into the wheel."""
    sources = scratch / "kilde"
    sources.mkdir()
    for name in SOURCES:
        if (REPOSITORY / name).is_dir():
            ignored = shutil.ignore_patterns("__pycache__", "*.egg-info")
            shutil.copytree(REPOSITORY / name, sources / name, ignore=ignored)
        else:
            shutil.copy2(REPOSITORY / name, sources / name)
    venv = scratch / "venv"
    env = _clean_environment(scratch, venv)
    wheels = scratch / "hjul"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", wheels, sources], scratch, env)
    (wheel,) = wheels.glob("omglib-*.whl")
    _run([sys.executable, "-m", "venv", venv], scratch, env)
    python = venv / "bin" / "python"
    install: list[str | Path] = [python, "-m", "pip", "install", "--no-compile"]
    _run([*install, wheel], scratch, env)  # no .pyc beforehand: a third less to write

    installed = _run([python, "-c", "import omglib; print(omglib.__file__)"], scratch, env)
    assert Path(installed.strip()).is_relative_to(venv), installed
    in_kernel = _run([python, "-c", KERNEL_OMGLIB], scratch, env)
    assert Path(in_kernel.strip()).is_relative_to(venv), in_kernel

    work = scratch / "arbejde"
    work.mkdir()
    report = ("reports", "--kommune", "Norddjurs", "--area", "boernehandicap", "--year", "2024")
    _run([venv / "bin" / "omg", *report, "--jobs", "1", "--out", "ud"], work, env)
    page = work / "ud/2024/boernehandicap/707-norddjurs.html"
    assert "syntetiske" in page.read_text(encoding="utf-8")
    executed = json.loads(page.with_suffix(".ipynb").read_text(encoding="utf-8"))
    assert Path(executed["metadata"]["papermill"]["input_path"]).is_relative_to(venv)
