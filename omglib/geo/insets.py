"""The geographic Danmarkskort's two insets: Bornholm moved in from the Baltic, and the
Copenhagen area enlarged so its small kommuner can be seen, read and hovered.

On a map of the whole country Frederiksberg, Dragør, Vallensbæk or Ishøj are a few
pixels. The inset draws the kommuner of Danmarks Statistik's two Copenhagen landsdele,
"Byen København" and "Københavns omegn" (NUTS 3 DK011 and DK012), once more,
`CAPITAL_SCALE` times larger, east of Zealand where the sea and Sweden leave room; the
kommuner stay at their real place on the map too. Bornholm is moved north-east of
Zealand, so the map keeps a sensible aspect ratio. Both are framed and named.

All positions are EPSG:25832 metres, the CRS of the boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import shapely
from shapely import affinity

BORNHOLM: Final = 400
BORNHOLM_OFFSET: Final = (-95_000.0, 160_000.0)
"""Where Bornholm is moved on a geographic map: north-east of Zealand."""

CAPITAL_AREA: Final = (
    101, 147, 155, 185,  # Byen København
    151, 153, 157, 159, 161, 163, 165, 167, 169, 173, 175, 183, 187,  # Københavns omegn
)  # fmt: skip
"""The kommuner of the Copenhagen inset: Danmarks Statistik's landsdele Byen København
and Københavns omegn."""
CAPITAL_SCALE: Final = 3.0
CAPITAL_ORIGIN: Final = (765_000.0, 6_085_000.0)
"""The lower left corner of the enlarged Copenhagen area: east of Zealand."""
FRAME_MARGIN: Final = 6_000.0
"""Space between an inset's shapes and its frame (metres on the map)."""


@dataclass(frozen=True)
class Inset:
    """A framed part of the map: its name and the frame's bounds (x0, y0, x1, y1)."""

    label: str
    bounds: tuple[float, float, float, float]

    def frame(self) -> shapely.Polygon:
        return shapely.box(*self.bounds)


def place_bornholm(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, Inset | None]:
    """The map with Bornholm moved into its inset, and that inset (None without Bornholm)."""
    is_bornholm = frame["kommunekode"] == BORNHOLM
    if not is_bornholm.any():
        return frame, None
    frame = frame.copy()
    dx, dy = BORNHOLM_OFFSET
    moved = frame.loc[is_bornholm, "geometry"].map(lambda g: affinity.translate(g, dx, dy))
    frame.loc[is_bornholm, "geometry"] = moved
    return frame, Inset("Bornholm", _framed(gpd.GeoSeries(moved).total_bounds))


def capital_inset(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, Inset | None]:
    """The Copenhagen-area kommuner of `frame` (all its columns) enlarged into the inset,
    and the inset; an empty frame and None when the map has none of them."""
    chosen = frame[frame["kommunekode"].isin(CAPITAL_AREA)].copy()
    if chosen.empty:
        return chosen, None
    x0, y0, _, _ = chosen.total_bounds
    ox, oy = CAPITAL_ORIGIN
    chosen["geometry"] = chosen.geometry.map(
        lambda g: affinity.translate(
            affinity.scale(g, CAPITAL_SCALE, CAPITAL_SCALE, origin=(x0, y0)), ox - x0, oy - y0
        )
    )
    times = f"{CAPITAL_SCALE:g}".replace(".", ",")
    label = f"København og omegn (forstørret {times} gange)"
    return chosen, Inset(label, _framed(chosen.total_bounds))


def _framed(bounds: object) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in bounds)  # type: ignore[attr-defined]
    return (x0 - FRAME_MARGIN, y0 - FRAME_MARGIN, x1 + FRAME_MARGIN, y1 + FRAME_MARGIN)
