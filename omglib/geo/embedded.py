"""The kommune boundaries that ship with omglib, so the Danmarkskort looks like Denmark
without any file of the user's.

`omglib/data/kommunegraenser.geojson` is a simplified derivative of the national
administrative boundaries (DAGI, 1:500 000, 2014): the 98 kommuner, one (Multi)Polygon
each, simplified as a coverage so neighbours still share their borders, in RFC 7946
GeoJSON (lon/lat, five decimals). `scripts/make_embedded_boundaries.py` makes it from
the DAGI file with `make_embedded`, through the same steps as a user's own file
(`omglib.geo.boundaries.load_boundaries`); `kommunegraenser.md` beside it records the
source, the licence and the simplification.

Names changed since 2014 are the registry's business as for any file: the file's
`kommunenavn` is the registry's name for each code (Aarhus, Brønderslev).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Final

import geopandas as gpd

from omglib.geo.boundaries import TARGET_CRS, boundaries_geojson, load_boundaries
from omglib.registry import kommune_name

EMBEDDED_FILE: Final = "kommunegraenser.geojson"
ATTRIBUTION: Final = (
    "Indeholder data fra Klimadatastyrelsen / Styrelsen for Dataforsyning og Infrastruktur, DAGI"
)
"""The credit the boundaries' licence asks for, printed on every geographic map."""

MAX_EMBEDDED_BYTES: Final = 300_000
"""The size budget of the embedded file (UTF-8 bytes of its GeoJSON)."""


def embedded_path() -> Path:
    """Where the embedded boundary file lies in the installed package."""
    return Path(str(resources.files("omglib").joinpath("data", EMBEDDED_FILE)))


def embedded_boundaries() -> gpd.GeoDataFrame:
    """The embedded boundaries in EPSG:25832: `kommunekode`, `kommunenavn` and
    `geometry`, one row per kommune sorted by code, with `attrs["source"]` naming the
    map's basis. A copy, so callers may change it."""
    frame = _read_embedded().copy()
    frame.attrs = {"source": f"kommunegrænser fra DAGI ({ATTRIBUTION})", "embedded": True}
    return frame


@cache
def _read_embedded() -> gpd.GeoDataFrame:
    frame = gpd.read_file(embedded_path(), engine="pyogrio").to_crs(TARGET_CRS)
    frame["kommunekode"] = frame["kommunekode"].astype("int64")
    frame["kommunenavn"] = frame["kommunekode"].map(kommune_name)
    return frame[["kommunekode", "kommunenavn", "geometry"]].sort_values(
        "kommunekode", ignore_index=True
    )


def make_embedded(source: Path, cache_dir: Path) -> tuple[str, str]:
    """The embedded file's GeoJSON made from the DAGI boundary file `source`, and the
    Markdown that documents it (source file and its SHA-256, licence, simplification)."""
    frame = load_boundaries(source, cache_dir=cache_dir, max_bytes=MAX_EMBEDDED_BYTES)
    geojson = boundaries_geojson(frame)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    notes = "".join(f"- {note}\n" for note in frame.attrs["notes"])
    readme = f"""# kommunegraenser.geojson — the embedded kommune boundaries

The 98 kommuner for the geographic Danmarkskort when no boundary file is given.

- **Source**: the national administrative boundaries (DAGI), Geodatastyrelsen, scale
  1:500 000, 2014, as GeoJSON (`{source.name}`, SHA-256 `{digest}`). DAGI is published
  today by Klimadatastyrelsen (formerly Styrelsen for Dataforsyning og Infrastruktur),
  dataforsyningen.dk.
- **Licence**: Danish public geodata, free to use with attribution. Every map made from
  this file says: "{ATTRIBUTION}".
- **Made by** `python scripts/make_embedded_boundaries.py PATH-TO-DAGI-GEOJSON`: the
  features of each kommune dissolved (islands are separate features), Christiansø (411,
  not a kommune) left out, reprojected to ETRS89 / UTM 32N and simplified as a coverage
  (`shapely.coverage_simplify`, tolerance {frame.attrs["tolerance_m"]:.0f} m, so shared
  borders stay shared), then written as RFC 7946 GeoJSON (lon/lat, five decimals):
  {len(geojson.encode("utf-8"))} bytes (budget {MAX_EMBEDDED_BYTES}).
- **Names**: codes are Danmarks Statistik's; names changed since 2014 (Århus → Aarhus,
  Brønderslev-Dronninglund → Brønderslev) are omglib's registry names.

Notes from preparing it:

{notes or "- none"}
"""
    return geojson, readme
