"""The cache of prepared boundaries: one JSON file per source file and parameters.

Keyed by the source file's SHA-256, the simplification parameters, the omglib version
and a hash of the code and data that prepare the geometry (this package's modules and
the kommune registry), so a changed preparation never serves an old file. A file holds each kommune's geometry as base64 WKB, plus the notes and the key
itself (checked on reading; a stale or corrupt file is rebuilt). JSON + WKB needs no
extra dependency (GeoParquet would need pyarrow), cannot run code as a pickle could,
survives library upgrades, and is written atomically (temporary file, then rename).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import shapely.errors

from omglib import __version__
from omglib.geo.boundaries.reading import TARGET_CRS
from omglib.geo.boundaries.simplify import GEOJSON_DECIMALS, TOLERANCE_GROWTH, Geometries
from omglib.output import write_text_atomic

CACHE_FORMAT = 1


@dataclass(frozen=True)
class Prepared:
    """Dissolved, simplified boundaries as computed from a file or read from the cache."""

    codes: list[int]
    geometries: Geometries
    notes: list[str]
    tolerance_m: float
    geojson_bytes: int


@functools.cache
def preparation_code_sha256() -> str:
    """One SHA-256 of the modules that read, match and simplify boundaries and of the
    kommune registry they match against, by file name and contents."""
    package = Path(__file__).resolve().parent
    files = [*sorted(package.glob("*.py")), package.parents[1] / "data" / "kommuner.csv"]
    digest = hashlib.sha256()
    for path in files:
        digest.update(f"{path.name}\0".encode() + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def cache_key_parts(source_sha256: str, tolerance_m: float, max_bytes: int) -> dict[str, Any]:
    """Everything the prepared geometry depends on."""
    return {
        "format": CACHE_FORMAT,
        "omglib": __version__,
        "kode_sha256": preparation_code_sha256(),
        "source_sha256": source_sha256,
        "crs": TARGET_CRS,
        "tolerance_m": float(tolerance_m),
        "max_geojson_bytes": int(max_bytes),
        "decimals": GEOJSON_DECIMALS,
        "growth": TOLERANCE_GROWTH,
    }


def cache_file(cache_dir: Path, key_parts: dict[str, Any]) -> Path:
    """The cache file for `key_parts` in `cache_dir`."""
    digest = hashlib.sha256(json.dumps(key_parts, sort_keys=True).encode("utf-8")).hexdigest()
    return Path(cache_dir).expanduser() / f"kommunegraenser-{digest[:32]}.json"


def read_cache(cache_file: Path, key_parts: dict[str, Any]) -> Prepared | None:
    """The cached boundaries, or None when absent, stale or unreadable (then rebuilt)."""
    try:
        content = json.loads(cache_file.read_text(encoding="utf-8"))
        if content["key"] != key_parts:
            return None
        geometries = shapely.from_wkb([base64.b64decode(item) for item in content["wkb"]])
        return Prepared(
            codes=[int(code) for code in content["kommunekode"]],
            geometries=np.asarray(geometries, dtype=object),
            notes=[str(note) for note in content["notes"]],
            tolerance_m=float(content["tolerance_m"]),
            geojson_bytes=int(content["geojson_bytes"]),
        )
    except (OSError, ValueError, KeyError, TypeError, shapely.errors.ShapelyError):
        return None


def write_cache(cache_file: Path, key_parts: dict[str, Any], prepared: Prepared) -> None:
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
