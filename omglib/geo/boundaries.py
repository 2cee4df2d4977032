"""Municipality boundaries for the geographic Danmarkskort.

A user points omglib at a boundary file they downloaded (DAGI, Eurostat LAU, GADM, ...):
GeoJSON, GeoPackage, Shapefile, or a .zip holding one of them. `load_boundaries` turns it
into one (Multi)Polygon per kommune in ETRS89 / UTM 32N (EPSG:25832), small enough to embed
in an HTML report:

1. read the features (GDAL through pyogrio), keep the polygons, drop the z coordinate;
2. reproject to EPSG:25832 (a file without a CRS is taken as lon/lat when its coordinates
   lie over Denmark, and rejected otherwise);
3. join on the kommune: the code or name column is found among `CODE_COLUMNS` and
   `NAME_COLUMNS`, and codes ("101", "0101", 101) and names ("Århus", "Københavns
   Kommune") are resolved by `omglib.registry`; features that are not one of the 98
   kommuner (Christiansø, 411) are dropped with a note;
4. dissolve the features of each kommune (islands are often separate features);
5. simplify as a coverage (`shapely.coverage_simplify`), so neighbours keep sharing their
   border: no gaps, no slivers. The tolerance starts at `DEFAULT_TOLERANCE_M` and grows
   until `boundaries_geojson` of the result is at most `MAX_GEOJSON_BYTES`.

The result is cached (see `default_cache_dir`) keyed by the source file's SHA-256, the
simplification parameters and the omglib version: steps 1-5 take about 0.3 s on the DAGI
file (more on finer sources), a cache hit about 5 ms. The cache is one JSON file per key
holding each kommune's geometry as base64 WKB, plus the notes and the key itself (checked
on reading; a stale or corrupt file is rebuilt). JSON + WKB needs no extra dependency
(GeoParquet would need pyarrow), cannot run code as a pickle could, survives library
upgrades, and is written atomically (temporary file, then rename).

Notes for the user (Danish) are in `frame.attrs["notes"]`: dropped features, an assumed
CRS, repaired geometry, kommuner missing when `allow_missing=True`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
import shapely.errors

from omglib import __version__
from omglib.errors import DataError, Problem
from omglib.io.sources import file_sha256
from omglib.names import fold
from omglib.output import write_text_atomic
from omglib.registry import all_kommune_codes, kommune_codes, kommune_name

Geometries = npt.NDArray[np.object_]

TARGET_CRS = "EPSG:25832"
"""ETRS89 / UTM zone 32N: metres, area-true enough for Denmark, the national standard."""

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

DEFAULT_TOLERANCE_M = 100.0
"""First simplification tolerance in metres: finer than a pixel on a national map."""

MAX_GEOJSON_BYTES = 300_000
"""Budget for the prepared geometry, measured as `boundaries_geojson` (UTF-8 bytes)."""

GEOJSON_DECIMALS = 5
"""Decimals of lon/lat in `boundaries_geojson`: about 1 m, far below the tolerance."""

TOLERANCE_GROWTH = 1.5
MAX_SIMPLIFY_ROUNDS = 12
CACHE_FORMAT = 1

_LONLAT_DENMARK = (7.0, 54.0, 16.0, 58.5)
"""Bounds (min lon, min lat, max lon, max lat) a CRS-less lon/lat file must lie within."""

_UTM_DENMARK = (350_000.0, 5_950_000.0, 950_000.0, 6_500_000.0)
"""Bounds in EPSG:25832 the reprojected boundaries must lie within (Denmark and margin)."""

_ZIP_MEMBER_RANK = {".gpkg": 0, ".shp": 1, ".geojson": 2, ".json": 3}
_POLYGON, _MULTIPOLYGON, _COLLECTION = 3, 6, 7
_NUMBER = re.compile(r"^\s*\d+(?:\.0+)?\s*$")


@dataclass(frozen=True)
class _Prepared:
    """Dissolved, simplified boundaries as computed from a file or read from the cache."""

    codes: list[int]
    geometries: Geometries
    notes: list[str]
    tolerance_m: float
    geojson_bytes: int


# --- public API --------------------------------------------------------------------------


def boundaries_path(explicit: str | Path | None) -> Path | None:
    """The boundary file to use: `explicit` if given, else the `OMG_BOUNDARIES`
    environment variable, else None (the caller then draws the tile map)."""
    chosen = explicit if explicit not in (None, "") else os.environ.get("OMG_BOUNDARIES")
    return Path(chosen).expanduser() if chosen else None


def default_cache_dir() -> Path:
    """Where prepared boundaries are cached: `OMG_CACHE_DIR`, else
    `$XDG_CACHE_HOME/omglib`, else `~/.cache/omglib`."""
    override = os.environ.get("OMG_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "omglib"


def load_boundaries(
    path: str | Path,
    allow_missing: bool = False,
    cache_dir: Path | None = None,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    max_bytes: int = MAX_GEOJSON_BYTES,
) -> gpd.GeoDataFrame:
    """One simplified (Multi)Polygon per kommune from a boundary file, in EPSG:25832.

    Columns `kommunekode` (int), `kommunenavn` (the official name, e.g. "Aarhus" for a
    file that says "Århus") and `geometry`, sorted by code. `attrs` holds `notes` (Danish
    notes for the user), `source` (the file name, for the map's credit line),
    `source_sha256`, `tolerance_m` and `geojson_bytes` (the simplification reached),
    `cache_file` and `from_cache`.

    Raises DataError naming the file when it cannot be read, has no kommune column or
    no polygons, or lacks kommuner (unless `allow_missing`)."""
    source = Path(path).expanduser()
    if not source.is_file():
        raise _file_error(source, "filen findes ikke")
    key_parts = _cache_key_parts(file_sha256(source), tolerance_m, max_bytes)
    cache_file = _cache_file(cache_dir or default_cache_dir(), key_parts)
    prepared = _read_cache(cache_file, key_parts)
    from_cache = prepared is not None
    if prepared is None:
        prepared = _prepare(source, tolerance_m, max_bytes)
        _write_cache(cache_file, key_parts, prepared)
    notes = [*prepared.notes, *_missing_notes(prepared.codes, source, allow_missing)]
    frame = _frame(prepared.codes, prepared.geometries)
    frame.attrs.update(
        notes=notes,
        source=source.name,
        source_sha256=key_parts["source_sha256"],
        tolerance_m=prepared.tolerance_m,
        geojson_bytes=prepared.geojson_bytes,
        cache_file=str(cache_file),
        from_cache=from_cache,
    )
    return frame


def boundaries_geojson(frame: gpd.GeoDataFrame, decimals: int = GEOJSON_DECIMALS) -> str:
    """Compact GeoJSON (RFC 7946: lon/lat, EPSG:4326) of `load_boundaries`' result, with
    coordinates rounded to `decimals` and properties `kommunekode` and `kommunenavn`.

    This is what an HTML report embeds, and its UTF-8 size is the size budget's measure."""
    lonlat = frame.geometry.to_crs("EPSG:4326").to_numpy()
    return _geojson_text(frame["kommunekode"].tolist(), lonlat, decimals)


# --- reading -----------------------------------------------------------------------------


def _file_error(file: Path, message: str) -> DataError:
    return DataError([Problem(str(file), None, None, None, message)])


def _prepare(source: Path, tolerance_m: float, max_bytes: int) -> _Prepared:
    """Steps 1-5 of the module docstring."""
    notes: list[str] = []
    features = _read_features(source, notes)
    features = _keep_polygons(features, source, notes)
    features = _to_target_crs(features, source, notes)
    codes = _match_kommuner(features, source, notes)
    known = codes.notna().to_numpy()
    kept_codes, dissolved = _dissolve(
        codes[known].to_numpy(dtype=np.int64), features.geometry.to_numpy()[known]
    )
    simplified, tolerance, size = _simplify(kept_codes, dissolved, tolerance_m, max_bytes, notes)
    return _Prepared(kept_codes, simplified, notes, tolerance, size)


def _read_features(source: Path, notes: list[str]) -> gpd.GeoDataFrame:
    """The file's features as read by GDAL (a zip's first boundary file, a GeoPackage's
    kommune layer)."""
    gdal_path = _gdal_path(source, notes)
    try:
        layer = _choose_layer(gdal_path, notes)
        frame = gpd.read_file(gdal_path, layer=layer, engine="pyogrio")
    except (RuntimeError, OSError, ValueError) as error:
        raise _file_error(
            source,
            "kan ikke læses som GeoJSON, GeoPackage eller Shapefile "
            f"(GDAL: {_gdal_reason(error, gdal_path)})",
        ) from error
    if not isinstance(frame, gpd.GeoDataFrame) or "geometry" not in frame:
        raise _file_error(source, "filen har ingen geometri (ingen kommunegrænser)")
    return frame


def _gdal_reason(error: BaseException, gdal_path: str) -> str:
    """GDAL's reason in short: its first sentence, without the path the message names."""
    lines = str(error).replace(f"'{gdal_path}'", "").strip().splitlines()
    reason = lines[0].split(";")[0].strip(" .") if lines else ""
    return reason or type(error).__name__


def _gdal_path(source: Path, notes: list[str]) -> str:
    """A path GDAL can open: the file itself, or /vsizip/ into the zip's boundary file."""
    if source.suffix.lower() != ".zip":
        return str(source)
    try:
        with zipfile.ZipFile(source) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError) as error:
        raise _file_error(source, "er ikke en gyldig zip-fil") from error
    members = [
        name
        for name in names
        if Path(name).suffix.lower() in _ZIP_MEMBER_RANK and not name.startswith("__MACOSX")
    ]
    if not members:
        raise _file_error(source, "zip-filen indeholder ingen GeoJSON, GeoPackage eller Shapefile")
    members.sort(key=lambda name: ("kommune" not in fold(name), _zip_rank(name), name))
    if len(members) > 1:
        notes.append(f"Zip-filen indeholder {len(members)} geodatafiler; bruger {members[0]}.")
    return f"/vsizip/{source.resolve()}/{members[0]}"


def _zip_rank(name: str) -> int:
    return _ZIP_MEMBER_RANK[Path(name).suffix.lower()]


def _choose_layer(gdal_path: str, notes: list[str]) -> str | None:
    """A multi-layer source's layer named like "kommune", else its first polygon layer."""
    import pyogrio

    layers = [(str(name), str(kind)) for name, kind in pyogrio.list_layers(gdal_path)]
    if len(layers) <= 1:
        return None
    polygonal = [name for name, kind in layers if "polygon" in kind.lower()] or [layers[0][0]]
    named = [name for name in polygonal if "kommune" in fold(name)]
    chosen = (named or polygonal)[0]
    notes.append(f"Filen har {len(layers)} lag; bruger laget '{chosen}'.")
    return chosen


# --- geometry clean-up -------------------------------------------------------------------


def _keep_polygons(frame: gpd.GeoDataFrame, source: Path, notes: list[str]) -> gpd.GeoDataFrame:
    """2D polygons only: z dropped, invalid ones repaired, points, lines and empty
    geometries dropped (with a note)."""
    geometries = frame.geometry.to_numpy().copy()
    present = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
    geometries[present] = shapely.force_2d(geometries[present])
    invalid = present & ~shapely.is_valid(geometries)
    if invalid.any():
        geometries[invalid] = shapely.make_valid(geometries[invalid])
        notes.append(f"{int(invalid.sum())} ugyldige geometrier er repareret (make_valid).")
    geometries = np.array([_polygonal(item) for item in geometries], dtype=object)
    keep = ~shapely.is_missing(geometries)
    if not keep.any():
        raise _file_error(source, "filen har ingen flader (polygoner) – ingen kommunegrænser")
    if not keep.all():
        notes.append(
            f"{int((~keep).sum())} geometrier uden flader (tomme, punkter, linjer) er udeladt."
        )
    cleaned = frame.loc[keep].copy()
    return cleaned.set_geometry(gpd.GeoSeries(geometries[keep], index=cleaned.index, crs=frame.crs))


def _polygonal(geometry: Any) -> Any:
    """The polygonal part of a geometry as a (Multi)Polygon, or None if it has none."""
    if geometry is None or shapely.is_empty(geometry):
        return None
    kind = shapely.get_type_id(geometry)
    if kind in (_POLYGON, _MULTIPOLYGON):
        return geometry
    if kind != _COLLECTION:
        return None
    parts = shapely.get_parts(geometry)
    polygons = parts[np.isin(shapely.get_type_id(parts), (_POLYGON, _MULTIPOLYGON))]
    return shapely.union_all(polygons) if len(polygons) else None


def _to_target_crs(frame: gpd.GeoDataFrame, source: Path, notes: list[str]) -> gpd.GeoDataFrame:
    """The frame in EPSG:25832; a CRS-less file is lon/lat if it looks like it."""
    if frame.crs is None:
        if not _within(frame.total_bounds, _LONLAT_DENMARK):
            raise _file_error(
                source,
                "filen angiver intet koordinatsystem, og koordinaterne ligner ikke længde/bredde "
                "over Danmark – gem filen med koordinatsystem (fx EPSG:25832 eller EPSG:4326)",
            )
        frame = frame.set_crs("EPSG:4326")
        notes.append(
            "Filen angiver intet koordinatsystem; koordinaterne ligner længde/bredde over "
            "Danmark, så der er antaget WGS84 (EPSG:4326)."
        )
    projected = frame.to_crs(TARGET_CRS)
    if not _within(projected.total_bounds, _UTM_DENMARK):
        raise _file_error(
            source,
            f"geometrien ligger ikke over Danmark (koordinatsystem {frame.crs.to_string()}) – "
            "er koordinatsystemet angivet rigtigt?",
        )
    return projected


def _within(bounds: Any, limits: tuple[float, float, float, float]) -> bool:
    min_x, min_y, max_x, max_y = (float(value) for value in bounds)
    return bool(
        min_x >= limits[0] and min_y >= limits[1] and max_x <= limits[2] and max_y <= limits[3]
    )


# --- joining on the kommune ----------------------------------------------------------------


def _match_kommuner(frame: gpd.GeoDataFrame, source: Path, notes: list[str]) -> pd.Series:
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
    raise _file_error(
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


def _missing_notes(codes: list[int], source: Path, allow_missing: bool) -> list[str]:
    """A note on missing kommuner, or DataError naming them when they are not allowed."""
    missing = sorted(set(all_kommune_codes()) - set(codes))
    if not missing:
        return []
    listed = _kommune_list(missing)
    if allow_missing:
        return [f"Grænsefilen mangler {len(missing)} af de 98 kommuner: {listed}."]
    raise _file_error(
        source,
        f"grænsefilen mangler {len(missing)} af de 98 kommuner: {listed} – brug en fil med "
        "alle kommuner, eller tillad manglende kommuner",
    )


def _kommune_list(codes: list[int], shown: int = 10) -> str:
    names = [f"{kommune_name(code)} ({code})" for code in codes[:shown]]
    rest = len(codes) - shown
    return ", ".join(names) + (f" og {rest} flere" if rest > 0 else "")


# --- dissolving and simplifying ----------------------------------------------------------


def _dissolve(codes: npt.NDArray[np.int64], geometries: Geometries) -> tuple[list[int], Geometries]:
    """One (Multi)Polygon per code, sorted by code."""
    order = np.argsort(codes, kind="stable")
    unique, starts = np.unique(codes[order], return_index=True)
    groups = np.split(geometries[order], starts[1:])
    merged = [_polygonal(shapely.union_all(group)) for group in groups]
    return [int(code) for code in unique], np.array(merged, dtype=object)


def _simplify(
    codes: list[int], geometries: Geometries, tolerance_m: float, max_bytes: int, notes: list[str]
) -> tuple[Geometries, float, int]:
    """Coverage simplification with a tolerance growing until the GeoJSON fits `max_bytes`."""
    if not shapely.coverage_is_valid(geometries):
        notes.append(
            "Kommunegrænserne i filen overlapper eller mødes ikke præcist; den forenklede "
            "geometri kan have små huller eller overlap."
        )
    tolerances = [tolerance_m * TOLERANCE_GROWTH**step for step in range(MAX_SIMPLIFY_ROUNDS)]
    for tolerance in tolerances:
        simplified = _repaired(shapely.coverage_simplify(geometries, tolerance), geometries)
        size = len(_geojson_text(codes, _to_lonlat(simplified), GEOJSON_DECIMALS).encode("utf-8"))
        if size <= max_bytes:
            return simplified, tolerance, size
    notes.append(
        f"Grænserne fylder {size / 1000:.0f} kB (mål: højst {max_bytes / 1000:.0f} kB) "
        f"selv efter forenkling med {tolerance:.0f} m."
    )
    return simplified, tolerance, size


def _repaired(simplified: Geometries, original: Geometries) -> Geometries:
    """Simplified geometries made valid; an empty result falls back to the original."""
    result = np.asarray(simplified, dtype=object).copy()
    invalid = ~shapely.is_valid(result)
    if invalid.any():
        result[invalid] = [_polygonal(g) for g in shapely.make_valid(result[invalid])]
    lost = shapely.is_missing(result) | shapely.is_empty(result)
    result[lost] = original[lost]
    return result


def _to_lonlat(geometries: Geometries) -> Geometries:
    return np.asarray(gpd.GeoSeries(geometries, crs=TARGET_CRS).to_crs("EPSG:4326").to_numpy())


def _geojson_text(codes: list[int], lonlat: Geometries, decimals: int) -> str:
    rounded = shapely.transform(lonlat, lambda xy: np.round(xy, decimals))
    features = [
        '{"type":"Feature","properties":'
        + json.dumps(
            {"kommunekode": code, "kommunenavn": kommune_name(code)},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        + ',"geometry":'
        + shapely.to_geojson(geometry)
        + "}"
        for code, geometry in zip(codes, rounded, strict=True)
    ]
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def _frame(codes: list[int], geometries: Geometries) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "kommunekode": np.array(codes, dtype=np.int64),
            "kommunenavn": [kommune_name(code) for code in codes],
        },
        geometry=gpd.GeoSeries(geometries, crs=TARGET_CRS),
    )


# --- cache -------------------------------------------------------------------------------


def _cache_key_parts(source_sha256: str, tolerance_m: float, max_bytes: int) -> dict[str, Any]:
    """Everything the prepared geometry depends on."""
    return {
        "format": CACHE_FORMAT,
        "omglib": __version__,
        "source_sha256": source_sha256,
        "crs": TARGET_CRS,
        "tolerance_m": float(tolerance_m),
        "max_geojson_bytes": int(max_bytes),
        "decimals": GEOJSON_DECIMALS,
        "growth": TOLERANCE_GROWTH,
    }


def _cache_file(cache_dir: Path, key_parts: dict[str, Any]) -> Path:
    digest = hashlib.sha256(json.dumps(key_parts, sort_keys=True).encode("utf-8")).hexdigest()
    return Path(cache_dir).expanduser() / f"kommunegraenser-{digest[:32]}.json"


def _read_cache(cache_file: Path, key_parts: dict[str, Any]) -> _Prepared | None:
    """The cached boundaries, or None when absent, stale or unreadable (then rebuilt)."""
    try:
        content = json.loads(cache_file.read_text(encoding="utf-8"))
        if content["key"] != key_parts:
            return None
        geometries = shapely.from_wkb([base64.b64decode(item) for item in content["wkb"]])
        return _Prepared(
            codes=[int(code) for code in content["kommunekode"]],
            geometries=np.asarray(geometries, dtype=object),
            notes=[str(note) for note in content["notes"]],
            tolerance_m=float(content["tolerance_m"]),
            geojson_bytes=int(content["geojson_bytes"]),
        )
    except (OSError, ValueError, KeyError, TypeError, shapely.errors.ShapelyError):
        return None


def _write_cache(cache_file: Path, key_parts: dict[str, Any], prepared: _Prepared) -> None:
    """Store the prepared boundaries atomically; a cache that cannot be written is skipped
    (with a note), since the result is correct without it."""
    content = {
        "key": key_parts,
        "kommunekode": prepared.codes,
        "notes": prepared.notes,
        "tolerance_m": prepared.tolerance_m,
        "geojson_bytes": prepared.geojson_bytes,
        "wkb": [
            base64.b64encode(item).decode("ascii") for item in shapely.to_wkb(prepared.geometries)
        ],
    }
    try:
        write_text_atomic(cache_file, json.dumps(content, ensure_ascii=False))
    except OSError as error:
        prepared.notes.append(
            f"Kunne ikke gemme grænserne i cachen {cache_file.parent} ({error.strerror}); "
            "de beregnes igen næste gang."
        )


__all__ = [
    "CODE_COLUMNS",
    "DEFAULT_TOLERANCE_M",
    "MAX_GEOJSON_BYTES",
    "NAME_COLUMNS",
    "TARGET_CRS",
    "boundaries_geojson",
    "boundaries_path",
    "default_cache_dir",
    "load_boundaries",
]
