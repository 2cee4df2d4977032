"""Benchmark the way from a raw boundary file to prepared geometry and to a PNG map.

Times, on a real boundary file, given as `--boundaries FILE` or in the OMG_BOUNDARIES
environment variable (the national DAGI kommune boundaries of Klimadatastyrelsen, from
Dataforsyningen, are the intended one; it is not part of the repository):

* importing geopandas and `omglib.geo.boundaries` (once; not part of the targets);
* `load_boundaries` cold: an empty cache directory, so the file is read, reprojected,
  joined, dissolved, simplified and cached;
* `load_boundaries` warm: the same cache directory, so only the file's SHA-256 and the
  cache are read;
* raw file to a finished PNG, cold and warm: `omglib.geo.draw.danmarkskort` on the
  packaged demo data;
* the embedded tile map to a PNG, for comparison (no boundary file involved).

Each figure is the best of `--repeats` runs (each run is printed). Targets: cold at most
5 s, warm at most 1 s (prepared geometry and finished PNG). A missed target does not
change the exit status. Run it as `python benchmarks/map_boundaries_benchmark.py`.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from common import demo_data, timed, verdict

COLD_TARGET_S = 5.0
WARM_TARGET_S = 1.0


def main() -> int:
    options = _arguments()
    source = _source(options.boundaries)
    if source is None:
        print(
            "Ingen grænsefil: angiv DAGI-kommunegrænserne (Klimadatastyrelsen, fra "
            "Dataforsyningen) med --boundaries FIL eller i OMG_BOUNDARIES."
        )
        return 1
    started = time.perf_counter()
    boundaries = importlib.import_module("omglib.geo.boundaries")
    print(f"boundary file: {source} ({source.stat().st_size / 1e6:.2f} MB)")
    print(f"import geopandas + omglib.geo.boundaries: {time.perf_counter() - started:.2f} s")
    with tempfile.TemporaryDirectory() as scratch:
        _geometry_figures(boundaries, source, Path(scratch), options.repeats)
        _map_figures(boundaries, source, Path(scratch), options.repeats)
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boundaries", type=Path, help="boundary file (default: $OMG_BOUNDARIES)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure (default 3)")
    return parser.parse_args()


def _source(explicit: Path | None) -> Path | None:
    """`--boundaries`, else OMG_BOUNDARIES, if it names a file."""
    chosen = explicit or (
        Path(os.environ["OMG_BOUNDARIES"]) if "OMG_BOUNDARIES" in os.environ else None
    )
    return chosen if chosen is not None and chosen.is_file() else None


def _best(label: str, runs: int, step: Callable[[int], Any], target: float | None = None) -> Any:
    """Run `step(i)` `runs` times; print each time and the best, against `target`."""
    times, result = [], None
    for run in range(runs):
        seconds, result = timed(partial(step, run))
        times.append(seconds)
    best = min(times)
    against = "" if target is None else f"  target <= {target:.0f} s: {verdict(best <= target)}"
    each = ", ".join(f"{t:.3f}" for t in times)
    print(f"{label:<44} best {best:7.3f} s  (runs: {each}){against}")
    return result


def _geometry_figures(boundaries: Any, source: Path, scratch: Path, repeats: int) -> None:
    """Raw file to prepared geometry, cold and warm, and what was reached."""
    import geopandas as gpd
    import shapely

    _best("read raw file only (geopandas.read_file)", repeats, lambda _: gpd.read_file(source))
    cold = _best(
        "load_boundaries cold (empty cache)",
        repeats,
        lambda run: boundaries.load_boundaries(source, cache_dir=scratch / f"cold-{run}"),
        COLD_TARGET_S,
    )
    warm_dir = scratch / "cold-0"
    warm = _best(
        "load_boundaries warm (cache)",
        repeats,
        lambda _: boundaries.load_boundaries(source, cache_dir=warm_dir),
        WARM_TARGET_S,
    )
    assert warm.attrs["from_cache"] and not cold.attrs["from_cache"]
    geometries = warm.geometry.to_numpy()
    geojson = len(boundaries.boundaries_geojson(warm).encode("utf-8"))
    print(f"kommuner: {len(warm)}; notes: {warm.attrs['notes']}")
    print(
        f"simplified: tolerance {warm.attrs['tolerance_m']:.0f} m, "
        f"{int(shapely.get_num_coordinates(geometries).sum())} vertices, "
        f"GeoJSON (EPSG:4326, 5 decimals) {geojson / 1000:.1f} kB, "
        f"WKB (EPSG:25832) {sum(len(w) for w in shapely.to_wkb(geometries)) / 1000:.1f} kB, "
        f"cache file {Path(warm.attrs['cache_file']).stat().st_size / 1000:.1f} kB, "
        f"coverage valid: {bool(shapely.coverage_is_valid(geometries))}"
    )


def _map_figures(boundaries: Any, source: Path, scratch: Path, repeats: int) -> None:
    """Raw file to PNG bytes, cold and warm, and the embedded tile map for comparison."""
    render, how = _renderer()
    print(f"map: {how}")
    cold = _best(
        "raw file -> PNG cold (empty cache)",
        repeats,
        lambda run: render(boundaries.load_boundaries(source, cache_dir=scratch / f"map-{run}")),
        COLD_TARGET_S,
    )
    _best(
        "raw file -> PNG warm (cache)",
        repeats,
        lambda _: render(boundaries.load_boundaries(source, cache_dir=scratch / "map-0")),
        WARM_TARGET_S,
    )
    tiles = _best("tile map -> PNG (no boundary file)", repeats, lambda _: render(None))
    print(f"PNG size: geographic {len(cold) / 1000:.1f} kB, tile map {len(tiles) / 1000:.1f} kB")


def _renderer() -> tuple[Callable[[Any], bytes], str]:
    """omglib's Danmarkskort on the packaged demo data; `None` draws the tile map."""
    import matplotlib

    matplotlib.use("Agg")
    from omglib.geo.draw import danmarkskort
    from omglib.geo.export import map_bytes

    data = demo_data()
    year = int(data.counts["aar"].max())

    def omglib_png(frame: Any) -> bytes:
        kort = danmarkskort(data, "boernehandicap", year, boundaries=frame, tiles=frame is None)
        return map_bytes(kort, "png")

    return omglib_png, f"omglib.geo.draw.danmarkskort (demo data, børnehandicap {year})"


if __name__ == "__main__":
    sys.exit(main())
