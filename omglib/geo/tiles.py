"""The tile map (flisekort): one equal-sized square per kommune, laid out like Denmark.

On a geographic map the small Copenhagen-area kommuner are specks next to the large rural
ones. The tile map gives every kommune the same area, so each one is as visible as any
other, while the layout still resembles the country: Nordjylland at the top, Jutland down
the west, Funen with Ærø and Langeland in the middle, Zealand to the east with the
Copenhagen area dense at its east edge, Lolland-Falster south of Zealand, Bornholm far to
the east, and Læsø, Samsø and Fanø near their real positions.

The layout is data, `omglib/data/tilekort.csv` (code → grid column and row; row 0 is the
northernmost, see `tilekort.md` for how it was made). `tile_map` builds it into a
GeoDataFrame in ETRS89 / UTM 32N (EPSG:25832), the CRS of the real boundaries, so one
choropleth function draws both kinds of map.

Two tiles are neighbours when they share an edge (`tile_neighbours`); tiles that only
meet at a corner are neighbours only with `diagonal=True`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import geopandas as gpd
import pandas as pd
import shapely

from omglib.registry import kommune_name

TILE_CRS = "EPSG:25832"
"""ETRS89 / UTM zone 32N, the same metre CRS as the real boundaries."""

GRID_CENTRE = (660_000.0, 6_220_000.0)
"""Where the middle of the grid's bounding box is placed (EPSG:25832 metres): roughly the
middle of Denmark, so the tile map lies over the country."""

_EDGE_STEPS = ((1, 0), (0, 1))
_CORNER_STEPS = ((1, 1), (1, -1))


@cache
def _layout_file() -> pd.DataFrame:
    path = resources.files("omglib").joinpath("data", "tilekort.csv")
    with path.open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype={"kode": int, "kolonne": int, "raekke": int})


def tile_layout() -> pd.DataFrame:
    """The tile layout: `kommunekode`, `kolonne` (0 = west), `raekke` (0 = north), one row
    per kommune, sorted by code. A copy, so callers may modify it."""
    layout = _layout_file().rename(columns={"kode": "kommunekode"})
    return layout.sort_values("kommunekode", ignore_index=True).copy()


def tile_neighbours(diagonal: bool = False) -> set[frozenset[int]]:
    """Pairs of kommunekoder whose tiles share an edge (with `diagonal=True` also pairs
    whose tiles meet only at a corner)."""
    layout = tile_layout()
    at = {
        (int(col), int(row)): int(code)
        for code, col, row in zip(
            layout["kommunekode"], layout["kolonne"], layout["raekke"], strict=True
        )
    }
    steps = _EDGE_STEPS + _CORNER_STEPS if diagonal else _EDGE_STEPS
    pairs: set[frozenset[int]] = set()
    for (col, row), code in at.items():
        for d_col, d_row in steps:
            other = at.get((col + d_col, row + d_row))
            if other is not None:
                pairs.add(frozenset((code, other)))
    return pairs


def tile_map(tile_size: float = 10_000.0) -> gpd.GeoDataFrame:
    """The tile map: `kommunekode`, `kommunenavn` and `geometry` (one square of side
    `tile_size` metres per kommune) in EPSG:25832, north up, centred on `GRID_CENTRE`.

    Tiles that are grid neighbours share their edge exactly: every tile corner is computed
    from its grid index by the same expression, so no gaps or overlaps arise from
    rounding."""
    if not tile_size > 0:
        raise ValueError(f"tile_size must be positive, got {tile_size!r}")
    layout = tile_layout()
    n_cols = int(layout["kolonne"].max()) + 1
    n_rows = int(layout["raekke"].max()) + 1
    west = GRID_CENTRE[0] - n_cols * tile_size / 2
    north = GRID_CENTRE[1] + n_rows * tile_size / 2

    def x_edge(col: int) -> float:
        return west + col * tile_size

    def y_edge(row: int) -> float:
        return north - row * tile_size

    cols = layout["kolonne"].astype(int).tolist()
    rows = layout["raekke"].astype(int).tolist()
    geometry = shapely.box(
        [x_edge(c) for c in cols],
        [y_edge(r + 1) for r in rows],
        [x_edge(c + 1) for c in cols],
        [y_edge(r) for r in rows],
    )
    codes = layout["kommunekode"].astype(int)
    return gpd.GeoDataFrame(
        {
            "kommunekode": codes,
            "kommunenavn": [kommune_name(int(code)) for code in codes],
        },
        geometry=geometry,
        crs=TILE_CRS,
    )
