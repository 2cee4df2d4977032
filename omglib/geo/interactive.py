"""The Danmarkskort as an interactive altair chart (HTML, Danish tooltips): the kommuner
as one layer of 98 shapes, the enlarged Copenhagen area as a second layer with the same
tooltips, the insets' frames and names, and the highlighted kommune outlined and named.

The geometry is made small enough for a report page: in kilometres with two decimals
(ten metres, far below a pixel), and on a geographic map the national layer simplified
once more as a coverage (`CHART_TOLERANCE_M`, under a pixel at the report's width), while
the enlarged inset keeps the finer geometry it needs.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

import altair as alt
import numpy as np
import pandas as pd
import shapely

from omglib import memo
from omglib.geo.static import highlight_point
from omglib.present.display import built_unchecked
from omglib.present.palette import OUTLINE_COLOUR

if TYPE_CHECKING:
    import geopandas as gpd

    from omglib.geo.draw import Danmarkskort

CLASS_TITLE: Final = "Klasse på kortet"
TOOLTIP_FIELDS: Final = (
    "Kommune",
    "Omgørelsesprocent",
    "Sager",
    "95 %-interval",
    "Landsniveau",
    "Vurdering",
)
CHART_TOLERANCE_M: Final = 700.0
"""Coverage simplification of the national layer in the chart: at 520 px for some
450 km a pixel is about 870 m."""
KILOMETRE: Final = 1000.0
LABEL_COLOUR: Final = "#1a1a1a"
LABEL_SIZE: Final = 13
LABEL_CHAR_WIDTH: Final = 0.62
"""A bold character's width as a share of the font size, to size the label's box."""


@built_unchecked
def interactive_chart(kort: Danmarkskort, width: int, height: int | None) -> alt.LayerChart:
    """The layered chart; without a height the map's proportions decide it."""
    if height is None:
        x0, y0, x1, y1 = kort.extent()
        height = int(min(max(width * (y1 - y0) / (x1 - x0), 300), 700))
    # the insets' frames go first: drawn above the shapes they would catch the pointer
    layers: list[alt.Chart] = _inset_frames(kort) if kort.insets else []
    layers.append(_shapes(kort, _national_geojson(kort), "kommuner"))
    if kort.enlarged is not None:
        enlarged = memo.kept(kort.enlarged, "geojson", lambda: _geojson(kort.enlarged))
        layers.append(_shapes(kort, enlarged, "forstoerrelse"))
    if kort.highlight is not None:
        layers += _highlight_label(kort, width, height)
    return alt.LayerChart(
        layer=layers,
        projection=alt.Projection(type="identity", reflectY=True),
        width=width,
        height=height,
        title=alt.TitleParams(kort.title, subtitle=kort.credits, anchor="start"),
    )


def _national_geojson(kort: Danmarkskort) -> str:
    """The national layer's features as JSON text; on a geographic map simplified once
    more (`CHART_TOLERANCE_M`). The same whichever kommune is highlighted, so it is made
    once per map (`memo.kept`)."""

    def simplified() -> str:
        national = kort.frame
        if not kort.tiles:
            shapes = shapely.coverage_simplify(national.geometry.to_numpy(), CHART_TOLERANCE_M)
            national = national.assign(geometry=shapes)
        return _geojson(national)

    return memo.kept(kort.frame, ("geojson", kort.tiles), simplified)


def _shapes(kort: Danmarkskort, features: str, name: str) -> alt.Chart:
    """One layer of kommune shapes (GeoJSON features as JSON text), coloured by class,
    with the tooltips."""
    domain = [label for label, _ in kort.legend]
    colours = [colour for _, colour in kort.legend]
    highlight = -1 if kort.highlight is None else kort.highlight
    chart: alt.Chart = (
        alt.Chart(_inline_json(features))
        .mark_geoshape(stroke=OUTLINE_COLOUR)
        .encode(
            color=alt.Color(
                "properties.klasse:N",
                scale=alt.Scale(domain=domain, range=colours),
                legend=alt.Legend(title=kort.legend_title),
                sort=domain,
            ),
            strokeWidth=alt.StrokeWidthValue(
                0.4,
                condition={"test": f"datum.properties.kommunekode == {highlight}", "value": 2.5},
            ),
            tooltip=[alt.Tooltip(f"properties.{field}:N", title=field) for field in TOOLTIP_FIELDS],
        )
        .properties(name=name)
    )
    return chart


def geojson_data(features: list[dict[str, Any]]) -> alt.Data:
    """Features as inline data in one JSON text, which Vega parses: altair then does not
    walk every coordinate (a spec in a fraction of the time), and the bytes are the same
    JSON."""
    return _inline_json(_json_text(features))


def _json_text(features: list[dict[str, Any]]) -> str:
    return json.dumps(features, ensure_ascii=False, separators=(",", ":"))


def _inline_json(text: str) -> alt.Data:
    return alt.Data(values=text, format=alt.DataFormat(type="json"))  # type: ignore[no-untyped-call]


def _geojson(frame: gpd.GeoDataFrame) -> str:
    """A layer's kommuner as GeoJSON features in one JSON text."""
    return _json_text(_features(frame))


def _features(frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """GeoJSON features with the tooltip fields, class and code, in kilometres."""
    in_km = shapely.transform(frame.geometry.to_numpy(), lambda xy: np.round(xy / KILOMETRE, 2))
    properties = frame[[*TOOLTIP_FIELDS, "klasse", "kommunekode"]].to_dict("records")
    return [
        {"type": "Feature", "properties": _plain(row), "geometry": shapely.geometry.mapping(shape)}
        for row, shape in zip(properties, in_km, strict=True)
    ]


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value.item() if hasattr(value, "item") else value for key, value in row.items()}


def _inset_frames(kort: Danmarkskort) -> list[alt.Chart]:
    """The insets' frames and their names above them."""
    frames = [
        {"type": "Feature", "properties": {"navn": inset.label}, "geometry": _km(inset.frame())}
        for inset in kort.insets
    ]
    outline: alt.Chart = (
        alt.Chart(geojson_data(frames))
        .mark_geoshape(filled=False, stroke=OUTLINE_COLOUR, strokeWidth=0.8, aria=False)
        .properties(name="udsnit")
    )
    names = pd.DataFrame(
        {
            "x": [inset.bounds[0] / KILOMETRE for inset in kort.insets],
            "y": [inset.bounds[3] / KILOMETRE + 2 for inset in kort.insets],
            "navn": [inset.label for inset in kort.insets],
        }
    )
    labels: alt.Chart = (
        alt.Chart(names)
        .mark_text(align="left", baseline="bottom", fontSize=10, color=LABEL_COLOUR)
        .encode(
            longitude=alt.Longitude("x:Q"), latitude=alt.Latitude("y:Q"), text=alt.Text("navn:N")
        )
        .properties(name="udsnitsnavne")
    )
    return [outline, labels]


def _highlight_label(kort: Danmarkskort, width: int, height: int) -> list[alt.Chart]:
    """The highlighted kommune's name on a white label up and to the right of it, joined
    to it by a short line (beside its enlarged shape when it is in the Copenhagen inset).
    The label's box is part of the map's geometry, so the map is fitted around it."""
    x, y = highlight_point(kort)
    name = str(kort.highlighted_name())
    x0, y0, x1, y1 = kort.extent()
    metres_per_pixel = max((x1 - x0) / width, (y1 - y0) / height)
    gap, pad = 8 * metres_per_pixel, 4 * metres_per_pixel
    box_width = (LABEL_CHAR_WIDTH * LABEL_SIZE * len(name) + 8) * metres_per_pixel
    box_height = (LABEL_SIZE + 8) * metres_per_pixel
    box = shapely.box(x + gap, y + gap, x + gap + box_width, y + gap + box_height)
    backing: alt.Chart = (
        alt.Chart(geojson_data([{"type": "Feature", "properties": {}, "geometry": _km(box)}]))
        .mark_geoshape(fill="#ffffff", stroke="#000000", strokeWidth=1, aria=False)
        .properties(name="fremhaevet_felt")
    )
    spot = pd.DataFrame(
        {
            "x": [x / KILOMETRE],
            "y": [y / KILOMETRE],
            "x_felt": [(x + gap) / KILOMETRE],
            "y_felt": [(y + gap) / KILOMETRE],
            "x_tekst": [(x + gap + pad) / KILOMETRE],
            "y_tekst": [(y + gap + box_height / 2) / KILOMETRE],
            "navn": [name],
        }
    )
    base = alt.Chart(spot)
    line: alt.Chart = (
        base.mark_rule(color="#000000", strokeWidth=1, aria=False)
        .encode(
            longitude=alt.Longitude("x:Q"),
            latitude=alt.Latitude("y:Q"),
            longitude2=alt.Longitude2("x_felt:Q"),
            latitude2=alt.Latitude2("y_felt:Q"),
        )
        .properties(name="fremhaevet_linje")
    )
    label: alt.Chart = (
        base.mark_text(
            align="left",
            baseline="middle",
            fontSize=LABEL_SIZE,
            fontWeight="bold",
            color=LABEL_COLOUR,
        )
        .encode(
            longitude=alt.Longitude("x_tekst:Q"),
            latitude=alt.Latitude("y_tekst:Q"),
            text=alt.Text("navn:N"),
        )
        .properties(name="fremhaevet")
    )
    return [line, backing, label]


def _km(shape: shapely.Geometry) -> dict[str, Any]:
    scaled = shapely.transform(shape, lambda xy: np.round(xy / KILOMETRE, 2))
    mapped: dict[str, Any] = shapely.geometry.mapping(scaled)
    return mapped
