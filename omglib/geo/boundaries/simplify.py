"""Preparing the geometry: one (Multi)Polygon per kommune, small enough for a report.

The features of each kommune are dissolved (islands are often separate features), then
simplified as a coverage (`shapely.coverage_simplify`), so neighbours keep sharing their
border: no gaps, no slivers. The tolerance starts at `DEFAULT_TOLERANCE_M` and grows by
`TOLERANCE_GROWTH` until the GeoJSON an HTML report embeds (`geojson_text`) is at most
`MAX_GEOJSON_BYTES`.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import shapely

from omglib.geo.boundaries.reading import TARGET_CRS, polygonal
from omglib.registry import kommune_name

Geometries = npt.NDArray[np.object_]

DEFAULT_TOLERANCE_M = 100.0
"""First simplification tolerance in metres: finer than a pixel on a national map."""

MAX_GEOJSON_BYTES = 300_000
"""Budget for the prepared geometry, measured as `boundaries_geojson` (UTF-8 bytes)."""

GEOJSON_DECIMALS = 5
"""Decimals of lon/lat in `boundaries_geojson`: about 1 m, far below the tolerance."""

TOLERANCE_GROWTH = 1.5
MAX_SIMPLIFY_ROUNDS = 12


def dissolve(codes: npt.NDArray[np.int64], geometries: Geometries) -> tuple[list[int], Geometries]:
    """One (Multi)Polygon per code, sorted by code."""
    order = np.argsort(codes, kind="stable")
    unique, starts = np.unique(codes[order], return_index=True)
    groups = np.split(geometries[order], starts[1:])
    merged = [polygonal(shapely.union_all(group)) for group in groups]
    return [int(code) for code in unique], np.array(merged, dtype=object)


def simplify(
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
        size = len(geojson_text(codes, _to_lonlat(simplified), GEOJSON_DECIMALS).encode("utf-8"))
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
        result[invalid] = [polygonal(g) for g in shapely.make_valid(result[invalid])]
    lost = shapely.is_missing(result) | shapely.is_empty(result)
    result[lost] = original[lost]
    return result


def _to_lonlat(geometries: Geometries) -> Geometries:
    return np.asarray(gpd.GeoSeries(geometries, crs=TARGET_CRS).to_crs("EPSG:4326").to_numpy())


def geojson_text(codes: list[int], lonlat: Geometries, decimals: int) -> str:
    """Compact GeoJSON of lon/lat geometries rounded to `decimals`, with properties
    `kommunekode` and `kommunenavn`."""
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
