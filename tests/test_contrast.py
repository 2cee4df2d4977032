"""WCAG contrast: the formula on known values, and the reports' palettes held to it
(text 4,5:1, chart graphics and map outlines 3:1 against the white page)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omglib import demodata, read_data
from omglib.geo.draw import danmarkskort
from omglib.present import charts, palette
from omglib.present.contrast import (
    GRAPHICS_MINIMUM,
    TEXT_MINIMUM,
    WHITE,
    blend,
    contrast_ratio,
    hex_colour,
    parse_colour,
    readable_text_colour,
)
from omglib.reports.render import stylesheet


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#777777", "#ffffff", 4.48),
        ("#767676", "#ffffff", 4.54),
        ("#0000ff", "#ffffff", 8.59),
        ("#f00", "#fff", 4.0),
    ],
)
def test_contrast_ratio_matches_wcag_examples(first: str, second: str, ratio: float) -> None:
    assert contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)
    assert contrast_ratio(second, first) == pytest.approx(ratio, abs=0.01)


def test_blend_paints_with_opacity_on_the_background() -> None:
    assert hex_colour(blend("#000000", 0.5)) == "#808080"
    assert hex_colour(blend("#2c7fb8", 0.0)) == WHITE
    assert hex_colour(blend("#2c7fb8", 1.0)) == "#2c7fb8"


def test_unknown_colour_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="Ukendt farve 'blå'"):
        parse_colour("blå")


@given(st.tuples(*[st.integers(0, 255)] * 3))
def test_readable_text_colour_always_reaches_the_text_minimum(rgb: tuple[int, int, int]) -> None:
    background = hex_colour((float(rgb[0]), float(rgb[1]), float(rgb[2])))
    assert contrast_ratio(readable_text_colour(background), background) >= TEXT_MINIMUM


def test_outcome_bar_labels_are_readable() -> None:
    for colour in [*charts.OUTCOME_COLOURS.values(), *charts.SPARE_OUTCOME_COLOURS]:
        assert contrast_ratio(readable_text_colour(colour), colour) >= TEXT_MINIMUM, colour


@pytest.mark.parametrize(
    "colour",
    [charts.KOMMUNE_COLOUR, charts.NATIONAL_COLOUR, charts.LIMIT_COLOUR, charts.HIGHLIGHT_COLOUR],
)
def test_lines_points_and_band_edges_stand_out_from_the_page(colour: str) -> None:
    assert contrast_ratio(colour, WHITE) >= GRAPHICS_MINIMUM


def test_highlighted_kommune_name_is_readable() -> None:
    assert contrast_ratio(charts.HIGHLIGHT_TEXT_COLOUR, WHITE) >= TEXT_MINIMUM


def test_every_map_class_is_outlined_so_light_classes_still_show() -> None:
    """Light classes (#ffffcc, #f7f7f7, the few-cases grey) are too pale on their own;
    the outline is what WCAG 1.4.11 measures, and the class is also named in text."""
    assert contrast_ratio(palette.OUTLINE_COLOUR, WHITE) >= GRAPHICS_MINIMUM
    kort = danmarkskort(read_data(demodata.packaged_file("afgoerelser")), "boernehandicap", 2024)
    spec = kort.chart().to_dict()
    shapes = [
        layer for layer in spec["layer"] if layer.get("name") in ("kommuner", "forstoerrelse")
    ]
    assert len(shapes) == 2
    assert all(layer["mark"]["stroke"] == palette.OUTLINE_COLOUR for layer in shapes)


def test_page_text_colours_are_readable_on_white() -> None:
    variables = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{3,6})", stylesheet()))
    assert {"ink", "muted", "accent", "warn"} <= set(variables)
    for name, colour in variables.items():
        if name != "rule":  # the hairline between table rows, not text
            assert contrast_ratio(colour, WHITE) >= TEXT_MINIMUM, name
