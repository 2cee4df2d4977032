"""The tile map: one equal square per kommune, no overlaps, real neighbours kept.

The neighbour test measures the layout against the real DAGI boundaries when the file is
(DAGI, Klimadatastyrelsen) is present beside the repository, and skips
otherwise.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from omglib import registry
from omglib.geo.tiles import TILE_CRS, tile_layout, tile_map, tile_neighbours

REAL_FILE = (
    Path(__file__).resolve().parents[1].parent / "shared" / "geo" / "kommuner-dagi-2014.geojson"
)
NEIGHBOUR_DISTANCE_M = 200.0
"""Real kommuner are neighbours when their dissolved polygons are at most this far apart
(touching, or separated only by a digitising gap)."""


def test_layout_has_every_kommune_once_on_distinct_cells() -> None:
    layout = tile_layout()
    assert len(layout) == 98
    assert layout["kommunekode"].tolist() == registry.all_kommune_codes()
    cells = list(zip(layout["kolonne"], layout["raekke"], strict=True))
    assert len(set(cells)) == 98
    assert layout["kolonne"].min() == 0 and layout["raekke"].min() == 0


def test_tile_map_has_one_square_per_kommune() -> None:
    tiles = tile_map()
    assert tiles.crs == TILE_CRS
    assert list(tiles.columns) == ["kommunekode", "kommunenavn", "geometry"]
    assert sorted(tiles["kommunekode"]) == registry.all_kommune_codes()
    assert tiles["kommunekode"].is_unique
    names = dict(zip(tiles["kommunekode"], tiles["kommunenavn"], strict=True))
    assert names[751] == "Aarhus"
    assert names[101] == registry.kommune_name(101)
    assert (tiles.geom_type == "Polygon").all()
    assert tiles.area.round(3).eq(10_000.0**2).all()
    # every tile is an axis-aligned square
    bounds = tiles.bounds
    widths = bounds["maxx"] - bounds["minx"]
    heights = bounds["maxy"] - bounds["miny"]
    assert (widths.round(6) == 10_000.0).all() and (heights.round(6) == 10_000.0).all()


def test_tiles_do_not_overlap() -> None:
    geoms = tile_map(tile_size=7_500.0).geometry.to_numpy()
    for a, b in itertools.combinations(range(len(geoms)), 2):
        assert shapely.intersection(geoms[a], geoms[b]).area == 0.0


def test_grid_neighbours_share_an_edge_exactly() -> None:
    tiles = tile_map(tile_size=12_345.6)
    geom = dict(zip(tiles["kommunekode"], tiles.geometry, strict=True))
    edge_pairs = tile_neighbours()
    assert edge_pairs
    for pair in edge_pairs:
        a, b = sorted(pair)
        shared = shapely.intersection(geom[a], geom[b])
        assert shared.geom_type == "LineString"
        assert shared.length == pytest.approx(12_345.6)
    corner_pairs = tile_neighbours(diagonal=True) - edge_pairs
    assert corner_pairs
    for pair in corner_pairs:
        a, b = sorted(pair)
        assert shapely.intersection(geom[a], geom[b]).geom_type == "Point"
    # tiles that are no grid neighbours do not touch at all
    touching = {
        frozenset((int(a), int(b)))
        for a, b in itertools.combinations(tiles["kommunekode"], 2)
        if shapely.intersects(geom[a], geom[b])
    }
    assert touching == tile_neighbours(diagonal=True)


def test_tile_map_lies_over_denmark_north_up() -> None:
    tiles = tile_map()
    minx, miny, maxx, maxy = tiles.total_bounds
    assert 400_000 < minx < maxx < 950_000
    assert 6_000_000 < miny < maxy < 6_450_000
    centre = {int(c): g.centroid for c, g in zip(tiles["kommunekode"], tiles.geometry, strict=True)}
    assert centre[813].y > centre[550].y  # Frederikshavn north of Tønder
    assert centre[400].x > centre[101].x > centre[461].x > centre[561].x  # west to east


def test_tile_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="tile_size"):
        tile_map(tile_size=0.0)


def _real_neighbour_pairs() -> set[frozenset[int]]:
    frame = gpd.read_file(REAL_FILE)
    frame["kode"] = frame["lau_1"].astype(int)
    frame = frame[frame["kode"].isin(registry.all_kommune_codes())]
    dissolved = frame.to_crs("EPSG:25832").dissolve("kode")
    geoms = shapely.make_valid(dissolved.geometry.to_numpy())
    codes = [int(c) for c in dissolved.index]
    left, right = gpd.GeoSeries(geoms).sindex.query(
        geoms, predicate="dwithin", distance=NEIGHBOUR_DISTANCE_M
    )
    return {frozenset((codes[i], codes[j])) for i, j in zip(left, right, strict=True) if i != j}


@pytest.mark.skipif(
    not REAL_FILE.exists(),
    reason=f"real boundaries not found at {REAL_FILE} (not part of the repository)",
)
def test_layout_keeps_most_real_neighbours() -> None:
    """Of the 186 real neighbour pairs (dissolved DAGI 2014 polygons within 200 m in
    EPSG:25832; islands joined by bridges do not count), the layout keeps 120 (64.5 %) as
    edge-sharing tiles and 178 (95.7 %) as tiles that share an edge or a corner."""
    real = _real_neighbour_pairs()
    assert len(real) == 186
    edge_share = len(real & tile_neighbours()) / len(real)
    touch_share = len(real & tile_neighbours(diagonal=True)) / len(real)
    print(f"real neighbour pairs kept: edge {edge_share:.1%}, edge or corner {touch_share:.1%}")
    assert edge_share >= 0.62
    assert touch_share >= 0.93
