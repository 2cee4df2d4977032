"""Work shared by the reports of a batch is done once per process (`omglib.memo`), and a
kept result is never served for input it was not made from."""

from __future__ import annotations

import functools
import gc
from pathlib import Path

import altair as alt
import geopandas as gpd
import pandas as pd
import pytest
from altair.utils.schemapi import SchemaValidationError

from omglib import DataError, figures, memo, read_data, read_volumes
from omglib.geo.draw import danmarkskort
from omglib.geo.embedded import embedded_boundaries
from omglib.present.display import chart_spec, spec_shape
from tests.helpers.data import counts_dataset, every_kommune
from tests.helpers.files import write_csv

HEADER = ("År", "Kommune", "Område", "Stadfæstet", "Hjemvist", "Ændret/ophævet")


def counts_file(tmp_path: Path, hjemvist: int) -> Path:
    rows = [(2024, "Norddjurs", "Børnehandicap", 10, hjemvist, 1)]
    return write_csv(tmp_path, HEADER, rows)


def test_a_file_read_twice_is_parsed_once(tmp_path: Path) -> None:
    path = counts_file(tmp_path, hjemvist=3)
    assert read_data(path) is read_data(path)


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = counts_file(tmp_path, hjemvist=3)
    before = read_data(path)
    counts_file(tmp_path, hjemvist=5)
    after = read_data(path)
    assert after is not before
    assert after.counts["hjemvist"].tolist() == [5]
    assert after.provenance.sha256 != before.provenance.sha256


def test_reader_options_are_part_of_the_key(tmp_path: Path) -> None:
    path = counts_file(tmp_path, hjemvist=3)
    assert read_data(path, mask_cpr=True) is not read_data(path, mask_cpr=False)


def test_a_missing_file_fails_every_time(tmp_path: Path) -> None:
    for _ in range(2):
        with pytest.raises(DataError, match="findes ikke"):
            read_volumes(tmp_path / "mangler.csv")


def test_a_derived_frame_is_handed_out_as_a_copy() -> None:
    data = counts_dataset(every_kommune(2024, 8, 2))
    first = figures.kommune_table(data, "boernehandicap", 2024)
    first["omgjort"] = -1
    again = figures.kommune_table(data, "boernehandicap", 2024)
    assert (again["omgjort"] == 2).all()


def test_each_dataset_has_its_own_derived_values() -> None:
    low = counts_dataset(every_kommune(2024, 8, 2))
    high = counts_dataset(every_kommune(2024, 2, 8))  # same file name and hash
    assert figures.kommune_table(low, "boernehandicap", 2024)["omgjort"].eq(2).all()
    assert figures.kommune_table(high, "boernehandicap", 2024)["omgjort"].eq(8).all()


def test_derived_values_go_with_their_object() -> None:
    data = counts_dataset(every_kommune(2024, 8, 2))
    figures.kommune_table(data, "boernehandicap", 2024)
    kept_before = len(memo._by_object)
    del data
    gc.collect()
    assert len(memo._by_object) == kept_before - 1


def test_kept_forgets_the_least_recently_used_beyond_its_limit() -> None:
    owner = pd.DataFrame()
    calls: list[int] = []

    def make(key: int) -> int:
        calls.append(key)
        return key

    for key in [*range(memo.DERIVED_KEPT), 0, memo.DERIVED_KEPT, 0, 1]:
        memo.kept(owner, key, functools.partial(make, key))
    # 0 was used again before the limit was passed, so 1 went first and is made again
    assert calls == [*range(memo.DERIVED_KEPT), memo.DERIVED_KEPT, 1]


def test_the_map_is_made_once_and_only_the_highlight_differs() -> None:
    data = counts_dataset(every_kommune(2024, 8, 2))
    norddjurs = danmarkskort(data, "boernehandicap", 2024, highlight="Norddjurs")
    aalborg = danmarkskort(data, "boernehandicap", 2024, highlight="Aalborg")
    assert norddjurs.frame is aalborg.frame
    assert (norddjurs.highlight, aalborg.highlight) == (707, 851)
    assert danmarkskort(data, "boernehandicap", 2024).highlight is None


def test_a_map_on_boundaries_the_caller_gives_is_made_anew() -> None:
    data = counts_dataset(every_kommune(2024, 8, 2))
    given: gpd.GeoDataFrame = embedded_boundaries().copy()
    first = danmarkskort(data, "boernehandicap", 2024, boundaries=given)
    second = danmarkskort(data, "boernehandicap", 2024, boundaries=given)
    assert first.frame is not second.frame


def test_a_spec_is_validated_the_first_time_its_shape_is_seen() -> None:
    first = alt.Chart(pd.DataFrame({"a": [1, 2]})).mark_point().encode(x=alt.X("a:Q"))
    second = alt.Chart(pd.DataFrame({"a": [3.5]})).mark_point().encode(x=alt.X("a:Q"))
    assert spec_shape(first.to_dict()) == spec_shape(second.to_dict())
    wider = first.encode(y=alt.Y("a:Q"))
    assert spec_shape(wider.to_dict()) != spec_shape(first.to_dict())
    invalid = first.copy()
    invalid.mark = {"type": "cirkel"}
    with pytest.raises(SchemaValidationError):
        chart_spec(invalid)
    assert chart_spec(second) == second.to_dict()
