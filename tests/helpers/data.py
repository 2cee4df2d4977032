"""Datasets for tests: hand-made counts with known answers, and the packaged demo data."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from omglib import demodata, read_data, registry
from omglib.dataset import Dataset, Provenance

COUNTS = ("stadfaestet", "hjemvist", "aendret_ophaevet", "afvist")
COLUMNS = ("aar", "kommunekode", "omraade", *COUNTS)
"""The columns of a row given to `counts_dataset` unless a test names others."""


def counts_dataset(
    rows: Sequence[tuple[Any, ...]],
    national: Sequence[tuple[Any, ...]] | pd.DataFrame | None = None,
    columns: Sequence[str] = COLUMNS,
) -> Dataset:
    """Counts per kommune; `national` are the "Hele landet" rows (columns without
    kommunekode), none unless given."""
    counts = pd.DataFrame(rows, columns=list(columns))
    empty = counts.iloc[0:0].drop(columns="kommunekode")
    if national is None:
        frame = empty
    elif isinstance(national, pd.DataFrame):
        frame = national
    else:
        frame = pd.DataFrame(national, columns=empty.columns)
    return Dataset(counts, frame, Provenance("tal.csv", "ab" * 32))


def every_kommune(
    year: int, stadfaestet: int, hjemvist: int
) -> list[tuple[int, int, str, int, int, int, int]]:
    """One børnehandicap row per kommune with the same counts (nothing changed or
    dismissed)."""
    return [
        (year, code, "boernehandicap", stadfaestet, hjemvist, 0, 0)
        for code in registry.all_kommune_codes()
    ]


def demo_reader(path: Path | None) -> Dataset:
    """The reader a report request gets: the file named, or the packaged demo data."""
    return read_data(path or demodata.packaged_file("afgoerelser"))


def read_demo() -> Dataset:
    """The packaged demo counts."""
    return read_data(demodata.packaged_file("afgoerelser"))
