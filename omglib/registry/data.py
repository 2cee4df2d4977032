"""Reading the packaged reference data in `omglib/data/`, each file once per process.

Every loader returns the file as written (the provision table with its years as
integers); the lookups built on them are in the other modules of `omglib.registry`.
The files note their own sources.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml


def _data_file(name: str) -> Any:
    return resources.files("omglib").joinpath("data", name)


@cache
def aliases() -> dict[str, Any]:
    """The alias file: header variants, outcome labels, national-row labels, law names."""
    with _data_file("aliaser.yaml").open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


@cache
def kommune_file() -> pd.DataFrame:
    """`kommuner.csv`: code, name, aliases (`|`-separated), region and population."""
    with _data_file("kommuner.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype={"aliaser": str}, keep_default_na=False)


@cache
def area_file() -> dict[str, dict[str, Any]]:
    """`omraader.yaml`: each area's names, aliases and whether it is all provisions."""
    with _data_file("omraader.yaml").open(encoding="utf-8") as handle:
        raw: dict[str, dict[str, Any]] = yaml.safe_load(handle)
    return raw


@cache
def provisions() -> pd.DataFrame:
    """The provision registry (see `data/paragraffer.md`): one row per provision and
    validity period, with the handicap area it belongs to, if any."""
    with _data_file("paragraffer.csv").open(encoding="utf-8") as handle:
        table = pd.read_csv(
            handle, dtype=str, keep_default_na=False, skipinitialspace=True, comment=None
        )
    table["fra_aar"] = table["fra_aar"].astype(int)
    table["til_aar"] = pd.to_numeric(table["til_aar"].replace("", "9999")).astype(int)
    return table


@cache
def learning_lists() -> dict[str, dict[str, list[str] | None]]:
    """`laering.yaml`: the coded reasons for overturning and follow-ups after a remand."""
    with _data_file("laering.yaml").open(encoding="utf-8") as handle:
        loaded: dict[str, dict[str, list[str] | None]] = yaml.safe_load(handle)
    return loaded
