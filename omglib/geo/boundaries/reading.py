"""Reading a boundary file: its polygons, cleaned, in EPSG:25832, or an error naming it.

GeoJSON, GeoPackage, Shapefile, or a .zip holding one of them, read by GDAL (through
pyogrio); of a zip its kommune file, of a multi-layer source its kommune layer. Only 2D
polygons are kept (z dropped, invalid ones repaired, points and lines dropped), and the
result is reprojected to EPSG:25832: a file without a CRS is taken as lon/lat when its
coordinates lie over Denmark, and rejected otherwise. Every choice made for the user
is noted (in Danish) in `notes`.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from omglib.errors import DataError, Problem
from omglib.names import fold

TARGET_CRS = "EPSG:25832"
"""ETRS89 / UTM zone 32N: metres, area-true enough for Denmark, the national standard."""

_LONLAT_DENMARK = (7.0, 54.0, 16.0, 58.5)
"""Bounds (min lon, min lat, max lon, max lat) a CRS-less lon/lat file must lie within."""

_UTM_DENMARK = (350_000.0, 5_950_000.0, 950_000.0, 6_500_000.0)
"""Bounds in EPSG:25832 the reprojected boundaries must lie within (Denmark and margin)."""

_ZIP_MEMBER_RANK = {".gpkg": 0, ".shp": 1, ".geojson": 2, ".json": 3}
_POLYGON, _MULTIPOLYGON, _COLLECTION = 3, 6, 7


def file_error(file: Path, message: str) -> DataError:
    """The error for a boundary file that cannot be used, naming the file."""
    return DataError([Problem(str(file), None, None, None, message)])


def read_features(source: Path, notes: list[str]) -> gpd.GeoDataFrame:
    """The file's features as read by GDAL (a zip's first boundary file, a GeoPackage's
    kommune layer)."""
    gdal_path = _gdal_path(source, notes)
    try:
        layer = _choose_layer(gdal_path, notes)
        frame = gpd.read_file(gdal_path, layer=layer, engine="pyogrio")
    except (RuntimeError, OSError, ValueError) as error:
        raise file_error(
            source,
            "kan ikke læses som GeoJSON, GeoPackage eller Shapefile "
            f"(GDAL: {_gdal_reason(error, gdal_path)})",
        ) from error
    if not isinstance(frame, gpd.GeoDataFrame) or "geometry" not in frame:
        raise file_error(source, "filen har ingen geometri (ingen kommunegrænser)")
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
        raise file_error(source, "er ikke en gyldig zip-fil") from error
    members = [
        name
        for name in names
        if Path(name).suffix.lower() in _ZIP_MEMBER_RANK and not name.startswith("__MACOSX")
    ]
    if not members:
        raise file_error(source, "zip-filen indeholder ingen GeoJSON, GeoPackage eller Shapefile")
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
    polygon_layers = [name for name, kind in layers if "polygon" in kind.lower()] or [layers[0][0]]
    named = [name for name in polygon_layers if "kommune" in fold(name)]
    chosen = (named or polygon_layers)[0]
    notes.append(f"Filen har {len(layers)} lag; bruger laget '{chosen}'.")
    return chosen


def keep_polygons(frame: gpd.GeoDataFrame, source: Path, notes: list[str]) -> gpd.GeoDataFrame:
    """2D polygons only: z dropped, invalid ones repaired, points, lines and empty
    geometries dropped (with a note)."""
    geometries = frame.geometry.to_numpy().copy()
    present = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
    geometries[present] = shapely.force_2d(geometries[present])
    invalid = present & ~shapely.is_valid(geometries)
    if invalid.any():
        geometries[invalid] = shapely.make_valid(geometries[invalid])
        notes.append(f"{int(invalid.sum())} ugyldige geometrier er repareret (make_valid).")
    geometries = np.array([polygonal(item) for item in geometries], dtype=object)
    keep = ~shapely.is_missing(geometries)
    if not keep.any():
        raise file_error(source, "filen har ingen flader (polygoner) – ingen kommunegrænser")
    if not keep.all():
        notes.append(
            f"{int((~keep).sum())} geometrier uden flader (tomme, punkter, linjer) er udeladt."
        )
    cleaned = frame.loc[keep].copy()
    return cleaned.set_geometry(gpd.GeoSeries(geometries[keep], index=cleaned.index, crs=frame.crs))


def polygonal(geometry: Any) -> Any:
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


def to_target_crs(frame: gpd.GeoDataFrame, source: Path, notes: list[str]) -> gpd.GeoDataFrame:
    """The frame in EPSG:25832; a CRS-less file is lon/lat if it looks like it."""
    if frame.crs is None:
        if not _within(frame.total_bounds, _LONLAT_DENMARK):
            raise file_error(
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
        raise file_error(
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
