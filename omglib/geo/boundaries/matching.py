"""Joining a boundary file's features on the kommune, and noting what did not join.

The code or name column is found among `CODE_COLUMNS` and `NAME_COLUMNS` (else any
column that resolves kommuner), and codes ("101", "0101", 101) and names ("Århus",
"Københavns Kommune") are resolved by `omglib.registry`. Features that are not one of
the 98 kommuner (Christiansø, 411) are dropped with a note, names read through an alias
are noted, and kommuner missing from the file are an error unless allowed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from omglib.geo.boundaries.reading import file_error
from omglib.names import fold
from omglib.registry import all_kommune_codes, kommune_codes, kommune_name

CODE_COLUMNS = (
    "kommunekode",
    "kommunekod",
    "kommune_kode",
    "komkode",
    "kom_kode",
    "kode",
    "lau_1",
    "lau1",
    "lau_id",
    "lau_code",
    "kommunenr",
    "kommunenummer",
    "kommune_nr",
    "municipality_code",
)
"""Column names that may hold the kommunekode, in order of preference. Matched after
`names.fold`, so "KOMKODE", "Lau_1" and "LAU1" all match ("kommunekod": a Shapefile
truncates names to 10 characters)."""

NAME_COLUMNS = (
    "kommunenavn",
    "kommunenav",
    "kommune_navn",
    "komnavn",
    "navn",
    "label_dk",
    "lau_name",
    "name",
    "name_2",
    "label_en",
    "kommune",
    "municipality",
)
"""Column names that may hold the kommune's name, in order of preference."""

_NUMBER = re.compile(r"^\s*\d+(?:\.0+)?\s*$")


def match_kommuner(frame: gpd.GeoDataFrame, source: Path, notes: list[str]) -> pd.Series:
    """Each feature's kommunekode (<NA> for features that are not a kommune, noted)."""
    column, codes = _kommune_column(frame, source)
    name_column = _name_column(frame, column)
    _note_dropped(frame, codes, column, name_column, notes)
    _note_renamed(frame[column], codes, notes)
    return codes


def _candidate_columns(frame: gpd.GeoDataFrame) -> list[str]:
    """The frame's columns that `CODE_COLUMNS` or `NAME_COLUMNS` name, in that order."""
    by_folded = {fold(column): str(column) for column in frame.columns if column != "geometry"}
    wanted = [fold(name) for name in (*CODE_COLUMNS, *NAME_COLUMNS)]
    return [by_folded[name] for name in dict.fromkeys(wanted) if name in by_folded]


def _kommune_column(frame: gpd.GeoDataFrame, source: Path) -> tuple[str, pd.Series]:
    """The column resolving to the most distinct kommuner (a known column name first;
    any other column only when no known one resolves anything), with its codes."""
    candidates = _candidate_columns(frame)
    others = [str(c) for c in frame.columns if c != "geometry" and str(c) not in candidates]
    for group in (candidates, others):
        best = _best_column(frame, group)
        if best is not None:
            return best
    found = ", ".join(str(c) for c in frame.columns if c != "geometry") or "ingen"
    raise file_error(
        source,
        "ingen kolonne med kommunekoder eller kommunenavn, der kan genkendes – forventede fx "
        f"kommunekode, komkode, lau_1, kommunenavn eller navn; kolonner i filen: {found}",
    )


def _best_column(frame: gpd.GeoDataFrame, columns: list[str]) -> tuple[str, pd.Series] | None:
    best: tuple[str, pd.Series] | None = None
    best_count = 0
    for column in columns:
        codes = kommune_codes(frame[column].astype(object))
        count = codes.nunique()
        if count > best_count:
            best, best_count = (column, codes), count
    return best


def _name_column(frame: gpd.GeoDataFrame, chosen: str) -> str:
    """A column with names, to label dropped features; the chosen column if none."""
    by_folded = {fold(column): str(column) for column in frame.columns}
    names = [by_folded[fold(name)] for name in NAME_COLUMNS if fold(name) in by_folded]
    return names[0] if names else chosen


def _note_dropped(
    frame: gpd.GeoDataFrame, codes: pd.Series, column: str, name_column: str, notes: list[str]
) -> None:
    """A note naming the features that are not one of the 98 kommuner."""
    unknown = frame.loc[codes.isna().to_numpy(), [column, name_column]]
    if unknown.empty:
        return
    labels: dict[str, int] = {}
    for value, name in zip(unknown[column], unknown[name_column], strict=True):
        label = _label(value, name if name_column != column else None)
        labels[label] = labels.get(label, 0) + 1
    listed = ", ".join(
        f"{label} ({count} geometri{'er' if count > 1 else ''})" for label, count in labels.items()
    )
    notes.append(f"Udeladt, da det ikke er en af de 98 kommuner: {listed}.")


def _label(value: Any, name: Any) -> str:
    text = "(tom)" if pd.isna(value) else str(value)
    return text if name is None or pd.isna(name) or str(name) == text else f"{text} {name}"


def _note_renamed(names: pd.Series, codes: pd.Series, notes: list[str]) -> None:
    """Notes for names matched through an alias ("Århus" read as Aarhus, 751); codes
    need none."""
    seen: dict[str, int] = {}
    for name, code in zip(names, codes, strict=True):
        if pd.isna(code) or _NUMBER.match(str(name)):
            continue
        if str(name) != kommune_name(int(code)):
            seen[str(name)] = int(code)
    for name, code in seen.items():
        notes.append(f"'{name}' er læst som {kommune_name(code)} ({code}).")


def missing_notes(codes: list[int], source: Path, allow_missing: bool) -> list[str]:
    """A note on missing kommuner, or DataError naming them when they are not allowed."""
    missing = sorted(set(all_kommune_codes()) - set(codes))
    if not missing:
        return []
    listed = _kommune_list(missing)
    if allow_missing:
        return [f"Grænsefilen mangler {len(missing)} af de 98 kommuner: {listed}."]
    raise file_error(
        source,
        f"grænsefilen mangler {len(missing)} af de 98 kommuner: {listed} – brug en fil med "
        "alle kommuner, eller tillad manglende kommuner",
    )


def _kommune_list(codes: list[int], shown: int = 10) -> str:
    names = [f"{kommune_name(code)} ({code})" for code in codes[:shown]]
    rest = len(codes) - shown
    return ", ".join(names) + (f" og {rest} flere" if rest > 0 else "")
