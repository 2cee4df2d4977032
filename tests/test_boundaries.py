"""Municipality boundaries: reading, joining on the kommune, dissolving, simplifying, caching.

Most tests build small boundary files in tmp_path: the 98 kommuner as a 10 x 10 grid of
20 km squares over Jutland in EPSG:25832. The tests on the real DAGI file skip when it is
not beside the repository (the DAGI boundaries of Klimadatastyrelsen are not part of it).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import box

from omglib import registry
from omglib.errors import DataError, OmgError
from omglib.geo import boundaries
from omglib.geo.boundaries import (
    TARGET_CRS,
    boundaries_geojson,
    boundaries_path,
    default_cache_dir,
    load_boundaries,
)

CODES = registry.all_kommune_codes()
ORIGIN = (450_000.0, 6_100_000.0)
SIDE = 20_000.0
REAL_FILE = (
    Path(__file__).resolve().parents[1].parent / "shared" / "geo" / "kommuner-dagi-2014.geojson"
)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's cache: the default cache dir is inside tmp_path."""
    monkeypatch.setenv("OMG_CACHE_DIR", str(tmp_path / "default-cache"))
    monkeypatch.delenv("OMG_BOUNDARIES", raising=False)


def square(code: int) -> shapely.Polygon:
    """The kommune's 20 km square in the grid, placed by its position among the 98."""
    row, col = divmod(CODES.index(code), 10)
    x, y = ORIGIN[0] + col * SIDE, ORIGIN[1] + row * SIDE
    return box(x, y, x + SIDE, y + SIDE)


def grid(
    values: list[Any] | None = None,
    column: str = "kommunekode",
    codes: list[int] | None = None,
    geometries: list[Any] | None = None,
) -> gpd.GeoDataFrame:
    """A boundary frame: one square per code, `values` in `column` (default the codes)."""
    codes = CODES if codes is None else codes
    return gpd.GeoDataFrame(
        {column: codes if values is None else values},
        geometry=geometries if geometries is not None else [square(code) for code in codes],
        crs=TARGET_CRS,
    )


def write(frame: gpd.GeoDataFrame, path: Path) -> Path:
    frame.to_file(path, engine="pyogrio")
    return path


def load(path: Path, tmp_path: Path, **options: Any) -> gpd.GeoDataFrame:
    return load_boundaries(path, cache_dir=tmp_path / "cache", **options)


def assert_complete(frame: gpd.GeoDataFrame) -> None:
    assert frame["kommunekode"].tolist() == CODES
    assert frame["kommunekode"].dtype == np.int64
    assert frame.crs == TARGET_CRS
    assert list(frame.columns) == ["kommunekode", "kommunenavn", "geometry"]
    assert frame["kommunenavn"].tolist() == [registry.kommune_name(code) for code in CODES]


# --- joining on code or name ---------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "written"),
    [
        ("kommunekode", str),
        ("KOMKODE", lambda code: f"{code:04d}"),
        ("lau_1", int),
        ("kode", float),
    ],
    ids=["text", "leading-zeros", "integers", "floats"],
)
def test_codes_however_written(tmp_path: Path, column: str, written: Callable[[int], Any]) -> None:
    path = write(grid([written(code) for code in CODES], column), tmp_path / "k.geojson")
    frame = load(path, tmp_path)
    assert_complete(frame)
    assert frame.geometry.area.round().eq(SIDE * SIDE).all()
    assert frame.attrs["notes"] == []


def test_name_only_file_via_aliases(tmp_path: Path) -> None:
    aliases = {751: "Århus", 810: "Brønderslev-Dronninglund", 101: "Københavns Kommune"}
    names = [aliases.get(code, registry.kommune_name(code)) for code in CODES]
    path = write(grid(names, "navn"), tmp_path / "navne.gpkg")
    frame = load(path, tmp_path)
    assert_complete(frame)
    assert frame.loc[frame["kommunekode"] == 751, "kommunenavn"].item() == "Aarhus"
    assert "'Århus' er læst som Aarhus (751)." in frame.attrs["notes"]


def test_code_column_preferred_and_names_label_dropped_features(tmp_path: Path) -> None:
    frame = grid()
    frame["label_dk"] = [registry.kommune_name(code) for code in CODES]
    extra = gpd.GeoDataFrame(
        {"kommunekode": [411], "label_dk": ["Christiansø"]},
        geometry=[box(880_000, 6_150_000, 881_000, 6_151_000)],
        crs=TARGET_CRS,
    )
    path = write(gpd.pd.concat([frame, extra], ignore_index=True), tmp_path / "k.geojson")
    loaded = load(path, tmp_path)
    assert_complete(loaded)
    assert loaded.attrs["notes"] == [
        "Udeladt, da det ikke er en af de 98 kommuner: 411 Christiansø (1 geometri)."
    ]


def test_multi_part_features_are_dissolved(tmp_path: Path) -> None:
    halves = []
    for code in CODES:
        x0, y0, x1, y1 = square(code).bounds
        middle = (x0 + x1) / 2
        halves += [(code, box(x0, y0, middle, y1)), (code, box(middle, y0, x1, y1))]
    island = box(ORIGIN[0], ORIGIN[1] - 5_000, ORIGIN[0] + 2_000, ORIGIN[1] - 3_000)
    rows = [*halves, (CODES[0], island)]
    frame = gpd.GeoDataFrame(
        {"kommunekode": [code for code, _ in rows]},
        geometry=[geometry for _, geometry in rows],
        crs=TARGET_CRS,
    )
    loaded = load(write(frame, tmp_path / "dele.geojson"), tmp_path)
    assert_complete(loaded)
    first = loaded.geometry.iloc[0]
    assert first.geom_type == "MultiPolygon"
    assert len(first.geoms) == 2
    assert first.area == pytest.approx(SIDE * SIDE + 2_000 * 2_000)
    assert (loaded.geometry.iloc[1:].geom_type == "Polygon").all()


def test_invalid_geometry_is_repaired_with_a_note(tmp_path: Path) -> None:
    x0, y0, x1, y1 = square(CODES[0]).bounds
    bowtie = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    frame = grid(geometries=[bowtie, *(square(code) for code in CODES[1:])])
    loaded = load(write(frame, tmp_path / "sloejfe.gpkg"), tmp_path)
    assert_complete(loaded)
    assert loaded.geometry.is_valid.all()
    assert "1 ugyldige geometrier er repareret (make_valid)." in loaded.attrs["notes"]


def test_kommune_layer_chosen_in_a_multi_layer_geopackage(tmp_path: Path) -> None:
    path = tmp_path / "dagi.gpkg"
    regions = gpd.GeoDataFrame(
        {"navn": ["Region Midtjylland"]}, geometry=[box(*grid().total_bounds)], crs=TARGET_CRS
    )
    regions.to_file(path, layer="regioner", engine="pyogrio")
    grid().to_file(path, layer="kommuneinddeling", engine="pyogrio")
    loaded = load(path, tmp_path)
    assert_complete(loaded)
    assert "Filen har 2 lag; bruger laget 'kommuneinddeling'." in loaded.attrs["notes"]


def test_size_budget_out_of_reach_is_noted(tmp_path: Path) -> None:
    loaded = load(write(grid(), tmp_path / "k.geojson"), tmp_path, max_bytes=1_000)
    assert_complete(loaded)
    assert loaded.attrs["geojson_bytes"] > 1_000
    assert loaded.attrs["notes"][-1].startswith("Grænserne fylder")


# --- missing kommuner -------------------------------------------------------------------


def test_missing_kommune_is_an_error_naming_it(tmp_path: Path) -> None:
    codes = [code for code in CODES if code not in (101, 751)]
    path = write(grid(codes=codes), tmp_path / "mangler.geojson")
    with pytest.raises(OmgError) as caught:
        load(path, tmp_path)
    message = str(caught.value)
    assert "mangler.geojson" in message
    assert "mangler 2 af de 98 kommuner: København (101), Aarhus (751)" in message


def test_missing_kommune_allowed_with_a_note(tmp_path: Path) -> None:
    codes = [code for code in CODES if code != 751]
    path = write(grid(codes=codes), tmp_path / "mangler.geojson")
    frame = load(path, tmp_path, allow_missing=True)
    assert frame["kommunekode"].tolist() == codes
    assert frame.attrs["notes"] == ["Grænsefilen mangler 1 af de 98 kommuner: Aarhus (751)."]


# --- formats, coordinates, CRS --------------------------------------------------------


def test_zipped_shapefile(tmp_path: Path) -> None:
    folder = tmp_path / "shp"
    folder.mkdir()
    write(grid([str(code) for code in CODES], "KOMKODE"), folder / "kommuner.shp")
    archive = tmp_path / "kommuner.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for part in sorted(folder.iterdir()):
            handle.write(part, f"data/{part.name}")
        handle.writestr("LÆSMIG.txt", "Grænser")
    assert_complete(load(archive, tmp_path))


def test_3d_coordinates_lose_their_z(tmp_path: Path) -> None:
    flat = grid()
    raised = grid(geometries=list(shapely.force_3d(flat.geometry.to_numpy(), -999.0)))
    path = write(raised, tmp_path / "3d.geojson")
    assert gpd.read_file(path).has_z.all()
    frame = load(path, tmp_path)
    assert_complete(frame)
    assert not frame.has_z.any()


def test_other_crs_is_reprojected(tmp_path: Path) -> None:
    path = write(grid().to_crs("EPSG:3857"), tmp_path / "webmercator.gpkg")
    frame = load(path, tmp_path)
    assert_complete(frame)
    assert frame.geometry.area.to_numpy() == pytest.approx(SIDE * SIDE, rel=1e-3)


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_file_without_crs_in_lonlat_is_assumed_wgs84(tmp_path: Path) -> None:
    lonlat = grid(column="KOMKODE").to_crs("EPSG:4326").set_crs(None, allow_override=True)
    path = write(lonlat, tmp_path / "uden_prj.shp")
    assert gpd.read_file(path).crs is None
    frame = load(path, tmp_path)
    assert_complete(frame)
    assert any("antaget WGS84" in note for note in frame.attrs["notes"])


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_file_without_crs_in_metres_is_an_error(tmp_path: Path) -> None:
    unprojected = grid(column="KOMKODE").set_crs(None, allow_override=True)
    path = write(unprojected, tmp_path / "uden_prj.shp")
    with pytest.raises(DataError, match=r"uden_prj\.shp: filen angiver intet koordinatsystem"):
        load(path, tmp_path)


# --- broken files -------------------------------------------------------------------------


def broken_files(folder: Path) -> Iterator[tuple[Path, str]]:
    """(file, expected message part) for each way a boundary file can be broken."""
    garbage = folder / "skrald.geojson"
    garbage.write_text("dette er ikke geojson", encoding="utf-8")
    yield garbage, "kan ikke læses som GeoJSON, GeoPackage eller Shapefile"
    no_column = write(grid([f"x{code}" for code in CODES], "farve"), folder / "farve.geojson")
    yield no_column, "ingen kolonne med kommunekoder eller kommunenavn"
    no_geometry = folder / "ingen_geometri.geojson"
    features = [
        {"type": "Feature", "properties": {"kommunekode": code}, "geometry": None} for code in CODES
    ]
    no_geometry.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    yield no_geometry, "ingen flader"
    points = write(grid(geometries=[square(code).centroid for code in CODES]), folder / "p.gpkg")
    yield points, "ingen flader"
    bad_zip = folder / "kaput.zip"
    bad_zip.write_bytes(b"PK not really")
    yield bad_zip, "ikke en gyldig zip-fil"
    empty_zip = folder / "tom.zip"
    with zipfile.ZipFile(empty_zip, "w") as handle:
        handle.writestr("LÆSMIG.txt", "ingenting")
    yield empty_zip, "zip-filen indeholder ingen GeoJSON, GeoPackage eller Shapefile"
    yield folder / "findes_ikke.geojson", "filen findes ikke"


def test_broken_files_give_clear_errors(tmp_path: Path) -> None:
    for path, expected in broken_files(tmp_path):
        with pytest.raises(DataError) as caught:
            load(path, tmp_path)
        message = str(caught.value)
        assert message.startswith(str(path)), message
        assert expected in message, message
        assert "\n" not in message


# --- cache and paths -------------------------------------------------------------------


def test_second_load_reads_the_cache_not_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(grid(), tmp_path / "k.geojson")
    first = load(path, tmp_path)
    cache_file = Path(first.attrs["cache_file"])
    assert cache_file.is_file()
    assert cache_file.parent == tmp_path / "cache"
    assert not first.attrs["from_cache"]

    def unreadable(*_: object) -> None:
        raise AssertionError("the source was read despite the cache")

    monkeypatch.setattr(boundaries.reading, "read_features", unreadable)
    second = load(path, tmp_path)
    assert second.attrs["from_cache"]
    assert second["kommunekode"].tolist() == first["kommunekode"].tolist()
    assert second.geom_equals_exact(first, tolerance=0).all()
    assert second.crs == TARGET_CRS
    assert [p.name for p in cache_file.parent.iterdir()] == [cache_file.name]


def test_changed_source_or_corrupt_cache_rebuilds(tmp_path: Path) -> None:
    path = write(grid(), tmp_path / "k.geojson")
    cache_file = Path(load(path, tmp_path).attrs["cache_file"])
    cache_file.write_text("{ikke json", encoding="utf-8")
    rebuilt = load(path, tmp_path)
    assert not rebuilt.attrs["from_cache"]
    assert load(path, tmp_path).attrs["from_cache"]
    write(grid([f"0{code}" for code in CODES]), path)
    changed = load(path, tmp_path)
    assert not changed.attrs["from_cache"]
    assert changed.attrs["cache_file"] != str(cache_file)


def test_changed_preparation_code_rebuilds_instead_of_serving_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(grid(), tmp_path / "k.geojson")
    first = load(path, tmp_path)
    assert load(path, tmp_path).attrs["from_cache"]
    changed_code = "0" * 64
    assert boundaries.cache.preparation_code_sha256() != changed_code
    monkeypatch.setattr(boundaries.cache, "preparation_code_sha256", lambda: changed_code)
    rebuilt = load(path, tmp_path)
    assert not rebuilt.attrs["from_cache"]
    assert rebuilt.attrs["cache_file"] != first.attrs["cache_file"]


def test_default_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(grid(), tmp_path / "k.geojson")
    frame = load_boundaries(path)
    assert Path(frame.attrs["cache_file"]).parent == tmp_path / "default-cache"
    monkeypatch.delenv("OMG_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "omglib"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "omglib"


def test_boundaries_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert boundaries_path(None) is None
    monkeypatch.setenv("OMG_BOUNDARIES", str(tmp_path / "fra_miljoe.gpkg"))
    assert boundaries_path(None) == tmp_path / "fra_miljoe.gpkg"
    assert boundaries_path(tmp_path / "valgt.geojson") == tmp_path / "valgt.geojson"
    assert boundaries_path(str(tmp_path / "valgt.geojson")) == tmp_path / "valgt.geojson"


def test_geojson_is_compact_lonlat(tmp_path: Path) -> None:
    frame = load(write(grid(), tmp_path / "k.geojson"), tmp_path)
    text = boundaries_geojson(frame)
    assert len(text.encode("utf-8")) == frame.attrs["geojson_bytes"]
    parsed = gpd.read_file(text)
    assert parsed["kommunekode"].tolist() == CODES
    x0, y0, x1, y1 = parsed.total_bounds
    assert 8 < x0 < x1 < 12 and 54 < y0 < y1 < 58


# --- the real DAGI file -------------------------------------------------------------------

real_file = pytest.mark.skipif(
    not REAL_FILE.is_file(),
    reason=f"real boundary file not found at {REAL_FILE} (it lives outside the repository)",
)


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> gpd.GeoDataFrame:
    return load_boundaries(REAL_FILE, cache_dir=tmp_path_factory.mktemp("real-cache"))


@pytest.fixture(scope="module")
def raw() -> gpd.GeoDataFrame:
    frame = gpd.read_file(REAL_FILE)
    return frame.set_geometry(shapely.force_2d(frame.geometry.to_numpy())).to_crs(TARGET_CRS)


@real_file
def test_real_file_has_the_98_kommuner(real: gpd.GeoDataFrame) -> None:
    assert_complete(real)
    assert real.geometry.is_valid.all()
    assert not real.has_z.any()


@real_file
def test_real_file_aarhus_and_christiansoe(real: gpd.GeoDataFrame, raw: gpd.GeoDataFrame) -> None:
    aarhus = real.loc[real["kommunekode"] == 751]
    assert aarhus["kommunenavn"].item() == "Aarhus"
    written = raw.loc[raw["label_dk"] == "Århus"].geometry.union_all()
    assert aarhus.geometry.item().contains(written.representative_point())
    assert any(
        "411 Christiansø" in note and note.startswith("Udeladt") for note in real.attrs["notes"]
    )


@real_file
def test_real_file_fits_the_size_budget(real: gpd.GeoDataFrame) -> None:
    size = len(boundaries_geojson(real).encode("utf-8"))
    assert size == real.attrs["geojson_bytes"]
    assert size <= boundaries.MAX_GEOJSON_BYTES


@real_file
def test_real_file_simplified_coverage_stays_a_coverage(
    real: gpd.GeoDataFrame, raw: gpd.GeoDataFrame
) -> None:
    geometries = real.geometry.to_numpy()
    assert shapely.coverage_is_valid(geometries)
    kommuner = raw.loc[raw["lau_1"] != "411"]
    original = kommuner.geometry.union_all()
    simplified = shapely.union_all(geometries)
    assert simplified.area == pytest.approx(original.area, rel=0.005)
    assert simplified.symmetric_difference(original).area < 0.01 * original.area
    summed = sum(geometry.area for geometry in geometries)
    assert summed == pytest.approx(simplified.area, rel=1e-6)
