"""The Danmarkskort out of the box: the embedded DAGI boundaries (98 real kommune shapes
covering Denmark, within their size budget, with their credit on every map), the
enlarged Copenhagen area, the highlighted kommune named, and the script that makes the
embedded file reproducing it from the DAGI file (when that file is at hand)."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from PIL import Image

from omglib.dataset import Dataset
from omglib.geo.draw import danmarkskort
from omglib.geo.embedded import (
    ATTRIBUTION,
    MAX_EMBEDDED_BYTES,
    embedded_boundaries,
    embedded_path,
    make_embedded,
)
from omglib.geo.export import map_bytes
from omglib.geo.insets import CAPITAL_AREA

DAGI = Path(__file__).resolve().parents[2] / "shared" / "geo" / "kommuner-dagi-2014.geojson"
README = Path(__file__).resolve().parents[1] / "README.md"
#: Denmark's extent in lon/lat: Blåvandshuk (8,07° E) to Bornholm's east coast
#: (15,20° E), Gedser (54,56° N) to Skagen (57,75° N).
DENMARK = (8.07, 54.56, 15.20, 57.75)
VALLENSBAEK = 187


@pytest.fixture(scope="module")
def default_map(demo: Dataset) -> Any:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("OMG_BOUNDARIES", raising=False)
        return danmarkskort(demo, "boernehandicap", 2024, highlight="Vallensbæk")


def layer_features(spec: dict[str, Any], name: str) -> list[dict[str, Any]]:
    [layer] = [part for part in spec["layer"] if part.get("name") == name]
    features: list[dict[str, Any]] = json.loads(layer["data"]["values"])
    return features


def test_the_embedded_file_is_98_kommuner_within_its_budget() -> None:
    assert embedded_path().stat().st_size <= MAX_EMBEDDED_BYTES
    frame = embedded_boundaries()
    assert frame["kommunekode"].is_unique and len(frame) == 98
    assert frame.crs == "EPSG:25832" and shapely.is_valid(frame.geometry.to_numpy()).all()
    names = dict(zip(frame["kommunekode"], frame["kommunenavn"], strict=True))
    assert names[751] == "Aarhus" and names[810] == "Brønderslev"  # today's names
    assert shapely.coverage_is_valid(frame.geometry.to_numpy())  # borders still shared


def test_the_default_map_is_real_shapes_covering_denmark(default_map: Any) -> None:
    features = layer_features(default_map.chart().to_dict(), "kommuner")
    assert len(features) == 98
    shapes = [shapely.geometry.shape(f["geometry"]) for f in features]
    squares = [shape for shape in shapes if shape.area == shape.envelope.area]
    assert not squares, "the default map must not be the tile map"
    vertices = [len(shapely.get_coordinates(shape)) for shape in shapes]
    assert sum(vertices) / len(vertices) > 20
    lon0, lat0, lon1, lat1 = embedded_boundaries().to_crs("EPSG:4326").total_bounds
    assert (lon0, lat0, lon1, lat1) == pytest.approx(DENMARK, abs=0.1)


def test_the_inset_enlarges_the_copenhagen_area(default_map: Any) -> None:
    enlarged = default_map.enlarged
    assert set(enlarged["kommunekode"]) == set(CAPITAL_AREA)
    features = layer_features(default_map.chart().to_dict(), "forstoerrelse")
    assert {f["properties"]["Kommune"] for f in features} >= {
        "Frederiksberg",
        "Dragør",
        "Vallensbæk",
        "Ishøj",
    }
    small = default_map.frame.set_index("kommunekode").loc[VALLENSBAEK, "geometry"]
    big = enlarged.set_index("kommunekode").loc[VALLENSBAEK, "geometry"]
    assert big.area == pytest.approx(9 * small.area, rel=0.01)  # three times larger each way
    inset = shapely.box(*default_map.insets[-1].bounds)
    assert inset.contains(shapely.union_all(enlarged.geometry.to_numpy()))
    assert not inset.intersects(shapely.union_all(default_map.frame.geometry.to_numpy()))


def test_the_highlighted_kommune_is_outlined_and_named(default_map: Any) -> None:
    spec = default_map.chart().to_dict()
    for layer in ("kommuner", "forstoerrelse"):
        [part] = [p for p in spec["layer"] if p.get("name") == layer]
        assert f"datum.properties.kommunekode == {VALLENSBAEK}" in json.dumps(part["encoding"])
    [label] = [p for p in spec["layer"] if p.get("name") == "fremhaevet"]
    assert spec["datasets"][label["data"]["name"]][0]["navn"] == "Vallensbæk"
    figure = default_map.figure()
    assert "Vallensbæk" in [text.get_text() for text in figure.axes[0].texts]


def test_the_credit_is_on_every_map(default_map: Any) -> None:
    html = map_bytes(default_map, "html").decode("utf-8")
    svg = map_bytes(default_map, "svg").decode("utf-8")
    png = Image.open(io.BytesIO(map_bytes(default_map, "png")))
    assert ATTRIBUTION in html and f">{ATTRIBUTION}<" in svg.replace("\n", "")
    assert png.text["Copyright"] == ATTRIBUTION  # type: ignore[attr-defined]
    assert ATTRIBUTION in [text.get_text() for text in default_map.figure().texts]
    assert ATTRIBUTION in README.read_text(encoding="utf-8")


def test_a_boundary_file_of_ones_own_replaces_the_embedded_one(
    demo: Dataset, tmp_path: Path
) -> None:
    own = embedded_boundaries().iloc[:98].copy()
    own.attrs = {"source": "egne-grænser.gpkg"}
    kort = danmarkskort(demo, "boernehandicap", 2024, boundaries=gpd.GeoDataFrame(own))
    assert kort.map_source_line == "Kortgrundlag: egne-grænser.gpkg"
    assert kort.attribution is None


@pytest.mark.skipif(
    not DAGI.is_file(), reason=f"the DAGI boundary file {DAGI.name} lives outside the repository"
)
def test_the_script_makes_the_committed_file_from_dagi() -> None:
    with tempfile.TemporaryDirectory() as cache:
        geojson, readme = make_embedded(DAGI, Path(cache))
    assert geojson.encode("utf-8") == embedded_path().read_bytes()
    assert readme.encode("utf-8") == embedded_path().with_suffix(".md").read_bytes()
