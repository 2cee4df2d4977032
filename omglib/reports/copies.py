"""The report notebooks copied into a folder of the analyst's own, to open, run and change
in JupyterLab (`omg notebooks DIR`, then `jupyter lab DIR`): the packaged ones stay as
they are, so `omg reports` keeps making the reports it always made."""

from __future__ import annotations

import shutil
from pathlib import Path

from omglib.errors import OmgError
from omglib.reports.batch import notebook_dir


def copy_notebooks(target: Path, overwrite: bool = False) -> list[Path]:
    """Copy every report notebook (`*.ipynb` of `notebook_dir()`) into `target`, made if
    missing. An existing notebook there is an error naming it, unless `overwrite`: an
    analyst's changed copy is never replaced by surprise. Nothing is copied when any of
    them is in the way."""
    sources = sorted(notebook_dir().glob("*.ipynb"))
    if target.exists() and not target.is_dir():
        raise OmgError(f"{target} er en fil, ikke en mappe – angiv en mappe til notesbøgerne")
    in_the_way = [target / source.name for source in sources if (target / source.name).exists()]
    if in_the_way and not overwrite:
        names = ", ".join(path.name for path in in_the_way)
        raise OmgError(
            f"{target} har allerede {names} – vælg en anden mappe, eller brug --force for at "
            "overskrive dem"
        )
    target.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copyfile(source, target / source.name)) for source in sources]
