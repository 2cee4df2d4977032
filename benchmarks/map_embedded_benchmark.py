"""Benchmark the Danmarkskort on the embedded boundaries (no boundary file of the user's).

Times, on the packaged demo data (børnehandicap 2024, Vallensbæk highlighted so the
label and the Copenhagen inset are drawn):

* the first map in a fresh process: reading the embedded file, classifying, drawing the
  PNG (printed, not a target: a report's worker pays it once);
* the map to a PNG, best of `--repeats` (target at most 1 s);
* the map to its interactive Vega-Lite spec, best of `--repeats` (target at most 0,5 s);
* what the map adds to a report page: the HTML of the map figure (chart, description,
  numbers) on the embedded boundaries against the same figure on the tile map (target at
  most 150 KB more).

A missed target does not change the exit status. Run it as
`python benchmarks/map_embedded_benchmark.py [--repeats 5]`.
"""

from __future__ import annotations

import argparse
import time

from common import best_of, demo_data, print_load_average, timed, verdict

PNG_TARGET_S = 1.0
SPEC_TARGET_S = 0.5
HTML_GROWTH_TARGET_KB = 150.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats
    print_load_average("before")
    import_seconds, _ = timed(lambda: __import__("omglib.geo.draw"))
    from omglib.geo.draw import danmarkskort
    from omglib.geo.export import map_bytes
    from omglib.reports.render import figure_html

    data = demo_data()
    print(f"importing omglib.geo.draw: {import_seconds:.2f} s")

    def kort(tiles: bool = False):  # type: ignore[no-untyped-def]
        return danmarkskort(data, "boernehandicap", 2024, highlight="Vallensbæk", tiles=tiles)

    start = time.perf_counter()
    map_bytes(kort(), "png")
    print(
        f"first map to PNG in this process (reads the embedded file): "
        f"{time.perf_counter() - start:.2f} s"
    )
    png = best_of(repeats, lambda: map_bytes(kort(), "png"))
    spec = best_of(repeats, lambda: kort().chart().to_dict())
    embedded = len(figure_html(kort().as_figure().payload(), static=False).encode("utf-8"))
    tiles = len(figure_html(kort(tiles=True).as_figure().payload(), static=False).encode("utf-8"))
    growth = (embedded - tiles) / 1000
    print(
        f"map to PNG (best of {repeats}): {png:.2f} s  [target ≤ {PNG_TARGET_S:.1f} s: "
        f"{verdict(png <= PNG_TARGET_S)}]"
    )
    print(
        f"map to interactive spec (best of {repeats}): {spec:.2f} s  "
        f"[target ≤ {SPEC_TARGET_S:.1f} s: {verdict(spec <= SPEC_TARGET_S)}]"
    )
    print(
        f"map figure in a report page: {embedded / 1000:.0f} KB on the embedded boundaries, "
        f"{tiles / 1000:.0f} KB on the tile map: +{growth:.0f} KB  "
        f"[target ≤ +{HTML_GROWTH_TARGET_KB:.0f} KB: {verdict(growth <= HTML_GROWTH_TARGET_KB)}]"
    )
    print_load_average("after")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
