"""Reading the packaged reference data in `omglib/data/`, each file once per process.

Every loader returns the file as written (the provision table with its years as
integers); the lookups built on them are in the other modules of `omglib.registry`.
The files note their own sources.

What is read once is shared by every caller in the process, and a warm report kernel
runs many reports in one process, so no caller may change it for the next: the YAML
files come back read-only (mappings as `MappingProxyType`, lists as tuples, built once),
the tables as a copy per call (some 100 µs for the 98 kommuner).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import pandas as pd
import yaml


def _data_file(name: str) -> Any:
    return resources.files("omglib").joinpath("data", name)


def _frozen(value: Any) -> Any:
    """`value` read-only all the way down: mappings as `MappingProxyType`, lists as
    tuples."""
    if isinstance(value, dict):
        return MappingProxyType({key: _frozen(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


def _read_yaml(name: str) -> Any:
    with _data_file(name).open(encoding="utf-8") as handle:
        return _frozen(yaml.safe_load(handle))


@cache
def aliases() -> Mapping[str, Any]:
    """The alias file: header variants, outcome labels, national-row labels, law names
    (read-only)."""
    loaded: Mapping[str, Any] = _read_yaml("aliaser.yaml")
    return loaded


@cache
def _kommune_table() -> pd.DataFrame:
    with _data_file("kommuner.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype={"aliaser": str}, keep_default_na=False)


def kommune_file() -> pd.DataFrame:
    """`kommuner.csv`: code, name, aliases (`|`-separated), region and population (a
    copy: the caller may change it)."""
    return _kommune_table().copy()


@cache
def area_file() -> Mapping[str, Mapping[str, Any]]:
    """`omraader.yaml`: each area's names, aliases and whether it is all provisions
    (read-only)."""
    loaded: Mapping[str, Mapping[str, Any]] = _read_yaml("omraader.yaml")
    return loaded


@cache
def _provision_table() -> pd.DataFrame:
    """The provision registry shared by the lookups of `omglib.registry`, which only
    read it; everyone else gets a copy from `provisions`."""
    with _data_file("paragraffer.csv").open(encoding="utf-8") as handle:
        table = pd.read_csv(
            handle, dtype=str, keep_default_na=False, skipinitialspace=True, comment=None
        )
    table["fra_aar"] = table["fra_aar"].astype(int)
    table["til_aar"] = pd.to_numeric(table["til_aar"].replace("", "9999")).astype(int)
    return table


def provisions() -> pd.DataFrame:
    """The provision registry (see `data/paragraffer.md`): one row per provision and
    validity period, with the handicap area it belongs to, if any (a copy: the caller may
    change it)."""
    return _provision_table().copy()


@cache
def learning_lists() -> Mapping[str, Mapping[str, Sequence[str] | None]]:
    """`laering.yaml`: the coded reasons for overturning and follow-ups after a remand
    (read-only)."""
    loaded: Mapping[str, Mapping[str, Sequence[str] | None]] = _read_yaml("laering.yaml")
    return loaded
