"""The Danmarkskort: classes, the static PNG (checked pixel by pixel), the interactive
spec with its tooltips, highlight and change maps, offline HTML and the `omg map` command."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib.image
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner, Result
from matplotlib.colors import to_rgb
from shapely.geometry import box

from omglib import registry
from omglib.cli import main
from omglib.dataset import Dataset
from omglib.geo.classify import classify_change, classify_level
from omglib.geo.draw import EMBEDDED_SOURCE, Danmarkskort, danmarkskort
from omglib.geo.embedded import ATTRIBUTION
from omglib.geo.export import map_bytes
from omglib.geo.interactive import TOOLTIP_FIELDS
from omglib.present.palette import FEW_CASES_COLOUR, NO_CASES_LABEL, SEQUENTIAL

AARHUS = 751


def square_grid() -> gpd.GeoDataFrame:
    """98 squares of 10 km, 10 to a row, in EPSG:25832: a stand-in for real boundaries."""
    codes = registry.all_kommune_codes()
    squares = [
        box(
            500_000 + 10_000 * (i % 10),
            6_200_000 - 10_000 * (i // 10),
            510_000 + 10_000 * (i % 10),
            6_210_000 - 10_000 * (i // 10),
        )
        for i in range(len(codes))
    ]
    return gpd.GeoDataFrame({"kommunekode": codes, "geometry": squares}, crs="EPSG:25832")


@pytest.fixture(scope="module")
def grid() -> gpd.GeoDataFrame:
    return square_grid()


@pytest.fixture(scope="module")
def level_map(demo: Dataset, grid: gpd.GeoDataFrame) -> Danmarkskort:
    return danmarkskort(demo, "boernehandicap", 2023, boundaries=grid)


def test_fixed_classes_follow_the_official_map() -> None:
    rates = pd.Series([0.1, 0.2, 0.35, 0.499, 0.5, 0.9, np.nan, 0.4])
    few = pd.Series([False] * 7 + [True])
    none = rates.isna()
    classes = classify_level(rates, few, none, few_label="Under 10 sager")
    assert classes.labels.tolist() == [
        "Under 20 %",
        "20-30 %",
        "30-40 %",
        "40-50 %",
        "50 % og derover",
        "50 % og derover",
        NO_CASES_LABEL,
        "Under 10 sager",
    ]
    assert classes.colours.iloc[0] == SEQUENTIAL[0] and classes.colours.iloc[7] == FEW_CASES_COLOUR
    assert [label for label, _ in classes.legend][-2:] == ["Under 10 sager", NO_CASES_LABEL]


def test_quantile_classes_split_kommuner_evenly() -> None:
    rates = pd.Series(np.linspace(0.1, 0.6, 100))
    flags = pd.Series(False, index=rates.index)
    classes = classify_level(rates, flags, flags, scheme="quantiles")
    assert classes.labels.value_counts().max() <= 21


def pixel_at(kort: Danmarkskort, code: int) -> tuple[float, float, float]:
    """The colour of the saved PNG at a point inside the kommune's shape."""
    figure = kort.figure()
    figure.canvas.draw()
    point = (
        kort.frame.loc[kort.frame["kommunekode"] == code, "geometry"].iloc[0].representative_point()
    )
    x, y = figure.axes[0].transData.transform((point.x, point.y))
    image = matplotlib.image.imread(io.BytesIO(map_bytes(kort, "png")), format="png")
    row, column = round(image.shape[0] - y), round(x)
    red, green, blue = image[row, column, :3]
    return float(red), float(green), float(blue)


def test_png_is_not_blank_and_colours_a_kommune_by_its_class(level_map: Danmarkskort) -> None:
    image = matplotlib.image.imread(io.BytesIO(map_bytes(level_map, "png")), format="png")
    distinct = np.unique(image[..., :3].reshape(-1, 3), axis=0)
    assert len(distinct) > 20
    colour = level_map.frame.set_index("kommunekode").loc[AARHUS, "farve"]
    assert pixel_at(level_map, AARHUS) == pytest.approx(to_rgb(colour), abs=0.02)


def layer_named(spec: dict[str, Any], name: str) -> dict[str, Any]:
    """One layer of the map's layered spec, by its name."""
    return next(layer for layer in spec["layer"] if layer.get("name") == name)


def features_of(spec: dict[str, Any], name: str = "kommuner") -> list[dict[str, Any]]:
    """The GeoJSON features of a map layer (inline JSON text that Vega parses)."""
    features: list[dict[str, Any]] = json.loads(layer_named(spec, name)["data"]["values"])
    return features


def test_interactive_spec_has_98_features_with_tooltips(level_map: Danmarkskort) -> None:
    spec = level_map.chart().to_dict()
    features = features_of(spec)
    assert len(features) == 98
    assert set(TOOLTIP_FIELDS) <= set(features[0]["properties"])
    tooltip_titles = [t["title"] for t in layer_named(spec, "kommuner")["encoding"]["tooltip"]]
    assert tooltip_titles == list(TOOLTIP_FIELDS)
    aarhus = next(f for f in features if f["properties"]["kommunekode"] == AARHUS)["properties"]
    assert aarhus["Kommune"] == "Aarhus" and "%" in aarhus["Omgørelsesprocent"]
    assert "af" in aarhus["Sager"] and aarhus["Vurdering"]


def test_map_can_be_read_without_colours(level_map: Danmarkskort) -> None:
    """The text alternative: a sentence counting kommuner per class, the same sentence
    as the drawing's own label, and a table naming each kommune's class."""
    figure = level_map.as_figure()
    counts = level_map.frame["klasse"].value_counts()
    for label, _ in level_map.legend:
        assert f"{label}: {int(counts.get(label, 0))}" in figure.description
    assert figure.spec()["description"] == figure.description
    table = figure.table.set_index("Kommune")
    assert len(table) == 98
    aarhus = level_map.frame.set_index("kommunekode").loc[AARHUS, "klasse"]
    assert table.loc["Aarhus", "Klasse på kortet"] == aarhus


def test_map_says_source_and_synthetic_data(level_map: Danmarkskort) -> None:
    source = "Kilde: Ankestyrelsen (afgoerelser.csv, udtrækkets dato er ikke angivet i filen)"
    assert level_map.source_line == source
    assert level_map.credits[:2] == [source, level_map.map_source_line]
    assert level_map.map_source_line.startswith("Kortgrundlag: ")
    assert level_map.notice is not None and "syntetiske" in level_map.notice


def test_map_names_the_extract_date_the_file_states(demo: Dataset, grid: gpd.GeoDataFrame) -> None:
    provenance = replace(demo.provenance, file="ANKEAST3.xlsx", extract_date=date(2024, 3, 1))
    kort = danmarkskort(replace(demo, provenance=provenance), "boernehandicap", 2023, grid)
    assert kort.source_line == "Kilde: Ankestyrelsen (ANKEAST3.xlsx, udtrukket 1. marts 2024)"
    assert kort.source_line in kort.chart().to_json()


def test_highlight_marks_one_kommune(demo: Dataset, grid: gpd.GeoDataFrame) -> None:
    kort = danmarkskort(demo, "boernehandicap", 2023, boundaries=grid, highlight="Norddjurs")
    assert kort.highlight == 707
    spec = kort.chart().to_dict()
    assert "datum.properties.kommunekode == 707" in str(
        layer_named(spec, "kommuner")["encoding"]["strokeWidth"]
    )
    label = layer_named(spec, "fremhaevet")
    assert spec["datasets"][label["data"]["name"]][0]["navn"] == "Norddjurs"


def test_change_map_uses_diverging_classes(demo: Dataset, grid: gpd.GeoDataFrame) -> None:
    kort = danmarkskort(demo, "socialomraadet", 2022, boundaries=grid, kind="change")
    labels = [label for label, _ in kort.legend]
    assert labels[0].startswith("Fald") and labels[4].startswith("Stigning")
    assert kort.legend_title == "Ændring 2021-2022"
    assert kort.frame["95 %-interval"].str.contains("procentpoint").any()


def test_html_is_offline(level_map: Danmarkskort) -> None:
    html = map_bytes(level_map, "html").decode("utf-8")
    assert "<script src=" not in html and "<link" not in html
    assert html.count("kommunekode") >= 98


def test_svg_is_reproducible(level_map: Danmarkskort) -> None:
    assert map_bytes(level_map, "svg") == map_bytes(level_map, "svg")


def run_map(tmp_path: Path, boundaries: Path, out: Path, *extra: str) -> Result:
    """`omg map` for voksenhandicap 2024 with a boundary file, caching inside tmp_path."""
    arguments = [
        "map",
        "--area",
        "voksenhandicap",
        "--year",
        "2024",
        "--boundaries",
        str(boundaries),
        *extra,
    ]
    return CliRunner().invoke(
        main, [*arguments, "--out", str(out)], env={"OMG_CACHE_DIR": str(tmp_path)}
    )


def grid_file(tmp_path: Path) -> Path:
    path = tmp_path / "kommuner.geojson"
    square_grid().to_crs("EPSG:4326").to_file(path, driver="GeoJSON")
    return path


def test_omg_map_writes_png_from_a_boundary_file(tmp_path: Path) -> None:
    out = tmp_path / "kort.png"
    result = run_map(tmp_path, grid_file(tmp_path), out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")


def test_omg_map_unknown_format_is_one_line(tmp_path: Path) -> None:
    result = run_map(tmp_path, grid_file(tmp_path), tmp_path / "kort.bmp")
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("Fejl: Ukendt kortformat 'bmp'")


def test_map_without_boundaries_draws_the_embedded_boundaries(
    demo: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OMG_BOUNDARIES", raising=False)
    kort = danmarkskort(demo, "boernehandicap", 2023)
    assert len(kort.frame) == 98 and not kort.tiles
    assert [inset.label.split()[0] for inset in kort.insets] == ["Bornholm", "København"]
    assert kort.map_source_line == "Kortgrundlag: " + EMBEDDED_SOURCE
    assert kort.attribution == ATTRIBUTION
    colour = kort.frame.set_index("kommunekode").loc[AARHUS, "farve"]
    assert pixel_at(kort, AARHUS) == pytest.approx(to_rgb(colour), abs=0.02)


def test_omg_map_broken_boundary_file_is_one_line_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "kommuner.geojson"
    broken.write_text("{ det her er ikke GeoJSON", encoding="utf-8")
    result = run_map(tmp_path, broken, tmp_path / "kort.png")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fejl: ") and "kommuner.geojson" in lines[0]
    assert not (tmp_path / "kort.png").exists()


def test_tiles_option_draws_the_tile_map_even_with_omg_boundaries_set(
    demo: Dataset, tmp_path: Path
) -> None:
    out = tmp_path / "fliser.png"
    env = {"OMG_CACHE_DIR": str(tmp_path), "OMG_BOUNDARIES": str(grid_file(tmp_path))}
    arguments = ["map", "--area", "boernehandicap", "--year", "2023", "--tiles"]
    result = CliRunner().invoke(main, [*arguments, "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")
    geographic = danmarkskort(demo, "boernehandicap", 2023, boundaries=grid_file(tmp_path))
    tiles = danmarkskort(demo, "boernehandicap", 2023, tiles=True)
    assert geographic.map_source_line == "Kortgrundlag: kommuner.geojson"
    assert "flisekort" in tiles.map_source_line
    assert tiles.frame.geometry.area.round().nunique() == 1


def test_tiles_and_a_boundary_file_together_is_one_line(tmp_path: Path) -> None:
    result = run_map(tmp_path, grid_file(tmp_path), tmp_path / "kort.png", "--tiles")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Fejl: Vælg enten en grænsefil eller flisekortet, ikke begge."


@pytest.mark.parametrize("kind", ["level", "change"])
def test_every_legend_class_has_its_own_colour(demo: Dataset, kind: str) -> None:
    """ "Ingen sager" and "Under 10 sager" must not look like a rate class on either map."""
    rates = pd.Series([0.1, 0.25, 0.35, 0.45, 0.6, 0.0, np.nan])
    few = pd.Series([False] * 5 + [True, False])
    none = pd.Series([False] * 6 + [True])
    if kind == "level":
        legend = classify_level(rates, few, none, few_label="Under 10 sager").legend
    else:
        legend = classify_change(rates - 0.3, few, none, few_label="Under 10 sager").legend
    colours = [to_rgb(colour) for _, colour in legend]
    assert len(legend) == 7
    for i, first in enumerate(colours):
        for second in colours[i + 1 :]:
            assert max(abs(a - b) for a, b in zip(first, second, strict=True)) > 0.1


def test_interactive_map_height_follows_the_maps_proportions(demo: Dataset) -> None:
    tiles = danmarkskort(demo, "boernehandicap", 2023, tiles=True)
    x0, y0, x1, y1 = tiles.frame.total_bounds
    spec = tiles.chart(width=500).to_dict()
    assert spec["height"] == int(min(max(500 * (y1 - y0) / (x1 - x0), 300), 700))
    assert tiles.chart(width=500, height=640).to_dict()["height"] == 640
