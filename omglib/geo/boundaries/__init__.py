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

Steps 1-2 are `reading`, step 3 `matching`, steps 4-5 `simplify`. The result is cached
(`cache`, in `default_cache_dir`) keyed by the source file's SHA-256, the simplification
parameters and the omglib version: steps 1-5 take about 0.3 s on the DAGI file (more on
finer sources), a cache hit about 5 ms.

Notes for the user (Danish) are in `frame.attrs["notes"]`: dropped features, an assumed
CRS, repaired geometry, kommuner missing when `allow_missing=True`.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import numpy as np

from omglib.geo.boundaries import cache, matching, reading, simplify
from omglib.geo.boundaries.matching import CODE_COLUMNS, NAME_COLUMNS
from omglib.geo.boundaries.reading import TARGET_CRS
from omglib.geo.boundaries.simplify import (
    DEFAULT_TOLERANCE_M,
    GEOJSON_DECIMALS,
    MAX_GEOJSON_BYTES,
    Geometries,
)
from omglib.output import default_cache_dir, file_sha256
from omglib.registry import kommune_name


def boundaries_path(explicit: str | Path | None) -> Path | None:
    """The boundary file to use: `explicit` if given, else the `OMG_BOUNDARIES`
    environment variable, else None (the caller then draws the tile map)."""
    chosen = explicit if explicit not in (None, "") else os.environ.get("OMG_BOUNDARIES")
    return Path(chosen).expanduser() if chosen else None


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
        raise reading.file_error(source, "filen findes ikke")
    key_parts = cache.cache_key_parts(file_sha256(source), tolerance_m, max_bytes)
    cache_file = cache.cache_file(cache_dir or default_cache_dir(), key_parts)
    prepared = cache.read_cache(cache_file, key_parts)
    from_cache = prepared is not None
    if prepared is None:
        prepared = _prepare(source, tolerance_m, max_bytes)
        cache.write_cache(cache_file, key_parts, prepared)
    notes = [*prepared.notes, *matching.missing_notes(prepared.codes, source, allow_missing)]
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
    return simplify.geojson_text(frame["kommunekode"].tolist(), lonlat, decimals)


def _prepare(source: Path, tolerance_m: float, max_bytes: int) -> cache.Prepared:
    """Steps 1-5 of the module docstring."""
    notes: list[str] = []
    features = reading.read_features(source, notes)
    features = reading.keep_polygons(features, source, notes)
    features = reading.to_target_crs(features, source, notes)
    codes = matching.match_kommuner(features, source, notes)
    known = codes.notna().to_numpy()
    kept_codes, dissolved = simplify.dissolve(
        codes[known].to_numpy(dtype=np.int64), features.geometry.to_numpy()[known]
    )
    simplified, tolerance, size = simplify.simplify(
        kept_codes, dissolved, tolerance_m, max_bytes, notes
    )
    return cache.Prepared(kept_codes, simplified, notes, tolerance, size)


def _frame(codes: list[int], geometries: Geometries) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "kommunekode": np.array(codes, dtype=np.int64),
            "kommunenavn": [kommune_name(code) for code in codes],
        },
        geometry=gpd.GeoSeries(geometries, crs=TARGET_CRS),
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
