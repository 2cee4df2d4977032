"""Charts: the numbers in each spec are the input numbers, texts are Danish, specs are
deterministic and every figure renders to a non-empty SVG."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import vl_convert

from omglib import demodata, read_data, stats
from omglib.dataset import Dataset
from omglib.figures import KeyFigures, key_figures, kommune_table, national_by_year
from omglib.present import charts, danish
from omglib.present.display import Figure
from omglib.stats import Verdict

AARHUS = 751
AREA = "boernehandicap"
YEAR = 2023


# --- fixtures and helpers ---------------------------------------------------------------


OTHER_PROCESS = f"""
import json, sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
import test_charts
print(json.dumps(test_charts.spec_digests(test_charts.demo_data())))
"""


@pytest.fixture(scope="module", autouse=True)
def other_process() -> Iterator[subprocess.Popen[str]]:
    """The spec digests computed in a fresh process (own hash seed), started before the
    other tests so that it runs alongside them."""
    process = subprocess.Popen(
        [sys.executable, "-c", OTHER_PROCESS], stdout=subprocess.PIPE, text=True
    )
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def data() -> Dataset:
    return demo_data()


@pytest.fixture(scope="module")
def key(data: Dataset) -> KeyFigures:
    return key_figures(data, AARHUS, AREA, YEAR)


@pytest.fixture(scope="module")
def table(data: Dataset) -> pd.DataFrame:
    return kommune_table(data, AREA, YEAR)


@pytest.fixture(scope="module")
def national(data: Dataset) -> pd.DataFrame:
    return national_by_year(data, AREA)


def demo_data() -> Dataset:
    return read_data(demodata.packaged_file("afgoerelser"))


def outcome_frame(first: str = "Aarhus") -> pd.DataFrame:
    rows = {
        "Aarhus": [("Stadfæstet", 61), ("Hjemvist", 34), ("Ændret/ophævet", 22)],
        "Hele landet": [("Stadfæstet", 1226), ("Hjemvist", 613), ("Ændret/ophævet", 274)],
    }
    order = [first, *(who for who in rows if who != first)]
    records = []
    for who in order:
        total = sum(count for _, count in rows[who])
        records += [(who, kind, count, count / total) for kind, count in rows[who]]
    return pd.DataFrame(records, columns=["hvem", "udfald", "antal", "andel"])


def provision_frame() -> pd.DataFrame:
    omgjort, total = np.array([3, 10, 2]), np.array([8, 25, 4])
    lower, upper = stats.wilson_interval(omgjort, total)
    return pd.DataFrame(
        {
            "paragraf": ["SEL § 32", "SEL § 41", "SEL § 42"],
            "omgjort": omgjort,
            "realitetsbehandlede": total,
            "omgoerelsesprocent": omgjort / total,
            "omgoerelse_nedre": lower,
            "omgoerelse_oevre": upper,
            "landsniveau": [0.40, 0.45, float("nan")],
            "faa_sager": stats.few_cases(total),
        }
    )


def layer(spec: dict[str, Any], name: str) -> dict[str, Any]:
    """The layer of a spec with the given name."""
    found: list[dict[str, Any]] = [part for part in spec["layer"] if part.get("name") == name]
    assert len(found) == 1, f"expected one layer {name!r}"
    return found[0]


def values(spec: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The data rows a layer draws (its own data, or the layered chart's)."""
    data: dict[str, str] = layer(spec, name).get("data") or spec["data"]
    rows: list[dict[str, Any]] = spec["datasets"][data["name"]]
    return rows


def column(rows: list[dict[str, Any]], field: str) -> list[Any]:
    return [row[field] for row in rows]


def same_numbers(actual: list[Any], expected: Any) -> bool:
    """Equal lists of numbers, where a missing value (None in the spec) matches NaN."""
    wanted = [None if pd.isna(value) else float(value) for value in expected]
    return len(actual) == len(wanted) and all(
        (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b))
        for a, b in zip(actual, wanted, strict=True)
    )


def all_figures(
    key: KeyFigures, table: pd.DataFrame, national: pd.DataFrame
) -> dict[str, Callable[[], Figure]]:
    return {
        "trend": lambda: charts.trend(key),
        "outcomes": lambda: charts.outcomes(outcome_frame()),
        "provisions": lambda: charts.provisions(provision_frame()),
        "no_provisions": lambda: charts.provisions(provision_frame().iloc[0:0]),
        "funnel": lambda: charts.funnel(table, AARHUS),
        "ranking": lambda: charts.ranking(table, AARHUS),
        "distribution": lambda: charts.distribution(table),
        "national_trend": lambda: charts.national_trend(national),
    }


# --- 1. trend -----------------------------------------------------------------------------


def test_trend_band_is_the_wilson_interval_and_national_line_the_landsniveau(
    key: KeyFigures,
) -> None:
    spec = charts.trend(key).spec()
    lower, upper = stats.wilson_interval(key.trend["omgjort"], key.trend["realitetsbehandlede"])
    band = values(spec, "interval")
    assert column(band, "aar") == key.trend["aar"].tolist()
    assert same_numbers(column(band, "omgoerelse_nedre"), lower)
    assert same_numbers(column(band, "omgoerelse_oevre"), upper)
    assert layer(spec, "interval")["encoding"]["y2"]["field"] == "omgoerelse_oevre"
    national_line = layer(spec, "landsniveau")["encoding"]["y"]["field"]
    assert same_numbers(
        column(values(spec, "landsniveau"), national_line), key.trend["landsniveau"]
    )
    points = values(spec, "punkter")
    assert same_numbers(column(points, "omgoerelsesprocent"), key.trend["omgoerelsesprocent"])
    assert layer(spec, "landsniveau")["mark"]["type"] == "line"
    dashes = layer(spec, "landsniveau")["encoding"]["strokeDash"]["scale"]
    assert dict(zip(dashes["domain"], dashes["range"], strict=True))["Landsniveau"] == [6, 4]


def test_trend_lines_have_one_legend_for_colour_and_dash(key: KeyFigures) -> None:
    """The kommune's and the national line in one legend, each entry in its colour and
    dash, not a legend of colours beside a legend of dashes."""
    vega = vl_convert.vegalite_to_vega(charts.trend(key).spec())
    lines = [legend for legend in vega["legends"] if legend.get("symbolType") == "stroke"]
    assert len(lines) == 1
    assert lines[0]["stroke"] == "color" and lines[0]["strokeDash"] == "strokeDash"


def test_trend_year_without_cases_has_no_point(key: KeyFigures) -> None:
    gap = key.trend.copy()
    gap.loc[gap["aar"] == 2019, ["omgjort", "realitetsbehandlede"]] = 0
    gap.loc[gap["aar"] == 2019, ["omgoerelsesprocent", "omgoerelse_nedre", "omgoerelse_oevre"]] = (
        float("nan")
    )
    figure = charts.trend(dataclasses.replace(key, trend=gap))
    points = values(figure.spec(), "punkter")
    assert [row["omgoerelsesprocent"] for row in points if row["aar"] == 2019] == [None]
    svg = vl_convert.vegalite_to_svg(figure.spec())
    assert svg.count('aria-roledescription="point"') == len(gap) - 1
    assert figure.table.loc[figure.table["År"] == "2019", "Omgørelsesprocent"].item() == (
        "Ingen sager"
    )


def test_trend_description_and_table_are_danish(key: KeyFigures) -> None:
    figure = charts.trend(key)
    assert "Aarhus" in figure.description
    assert "49,6 % (63 af 127) i 2017" in figure.description
    assert "47,9 % (56 af 117) i 2023" in figure.description  # the report's year is the last
    assert "2024" not in figure.description
    assert danish.verdict_text(key.trend_test) in figure.description
    assert figure.table.columns.tolist() == [
        "År",
        "Omgørelsesprocent",
        "95 %-interval",
        "Landsniveau",
    ]
    first = figure.table.iloc[0].tolist()
    assert first == ["2017", "49,6 % (63 af 127)", "41,1 %–58,2 %", "45,0 %"]


def test_trend_without_national_rate_has_no_national_line(key: KeyFigures) -> None:
    alone = key.trend.assign(landsniveau=float("nan"))
    figure = charts.trend(dataclasses.replace(key, trend=alone))
    assert [part["name"] for part in figure.spec()["layer"]] == ["interval", "kommune", "punkter"]
    assert "landsniveau" not in figure.description
    assert figure.table["Landsniveau"].eq("–").all()


# --- 2. outcomes --------------------------------------------------------------------------


def test_outcome_bars_have_the_input_shares_in_input_order() -> None:
    frame = outcome_frame()
    spec = charts.outcomes(frame).spec()
    rows = values(spec, "udfald")
    widths = [row["slut"] - row["start"] for row in rows]
    assert np.allclose(widths, frame["andel"])
    assert column(rows, "antal") == frame["antal"].tolist()
    encoding = layer(spec, "udfald")["encoding"]
    assert encoding["y"]["sort"] == ["Aarhus (117 sager)", "Hele landet (2.113 sager)"]
    assert encoding["color"]["scale"]["domain"] == ["Stadfæstet", "Hjemvist", "Ændret/ophævet"]
    reversed_order = charts.outcomes(outcome_frame(first="Hele landet")).spec()
    assert layer(reversed_order, "udfald")["encoding"]["y"]["sort"][0].startswith("Hele landet")


def test_outcome_texts_give_shares_with_counts() -> None:
    figure = charts.outcomes(outcome_frame())
    assert "Aarhus (117 sager): stadfæstet 52,1 %" in figure.description
    assert "Hele landet (2.113 sager)" in figure.description
    assert figure.table.columns.tolist() == [
        "Hvem",
        "Stadfæstet",
        "Hjemvist",
        "Ændret/ophævet",
        "Sager i alt",
    ]
    assert figure.table.iloc[0].tolist() == [
        "Aarhus",
        "52,1 % (61 af 117)",
        "29,1 % (34 af 117)",
        "18,8 % (22 af 117)",
        "117",
    ]
    tooltip = values(figure.spec(), "udfald")[0]
    assert tooltip["andel_text"] == "52,1 % (61 af 117)"
    lower, upper = stats.wilson_interval(61, 117)
    assert tooltip["interval_text"] == danish.format_interval(float(lower), float(upper))


# --- 3. provisions ------------------------------------------------------------------------


def test_provisions_draw_intervals_national_ticks_and_mark_few_cases() -> None:
    frame = provision_frame()
    spec = charts.provisions(frame).spec()
    rows = values(spec, "interval")
    assert column(rows, "paragraf") == frame["paragraf"].tolist()
    assert same_numbers(column(rows, "omgoerelse_nedre"), frame["omgoerelse_nedre"])
    assert same_numbers(column(rows, "omgoerelse_oevre"), frame["omgoerelse_oevre"])
    assert same_numbers(column(rows, "omgoerelsesprocent"), frame["omgoerelsesprocent"])
    assert same_numbers(column(values(spec, "landsniveau"), "landsniveau"), frame["landsniveau"])
    assert layer(spec, "landsniveau")["mark"]["type"] == "tick"
    few = [row["sagsgrundlag"] == charts.FEW_CASES for row in values(spec, "punkter")]
    assert few == frame["faa_sager"].tolist()
    shape = layer(spec, "punkter")["encoding"]["shape"]
    assert shape["scale"]["range"] == ["circle", charts.RING]
    assert shape["legend"]["title"] == "Sagsgrundlag"


def test_provision_texts() -> None:
    figure = charts.provisions(provision_frame())
    assert "37,5 % (3 af 8) for SEL § 32" in figure.description
    assert "50,0 % (2 af 4) for SEL § 42" in figure.description
    assert "2 af de 3 paragraffer har under 10 sager" in figure.description
    assert figure.table.columns.tolist() == [
        "Paragraf",
        "Omgørelsesprocent",
        "95 %-interval",
        "Landsniveau",
        "Sagsgrundlag",
    ]
    assert figure.table.iloc[2].tolist()[3] == "–"


def test_no_provisions_gives_a_message_not_an_empty_chart() -> None:
    figure = charts.provisions(provision_frame().iloc[0:0])
    spec = figure.spec()
    assert spec["mark"]["type"] == "text"
    assert spec["datasets"][spec["data"]["name"]] == [{"tekst": charts.NO_PROVISIONS}]
    assert charts.NO_PROVISIONS in figure.description
    assert figure.table.empty and "Paragraf" in figure.table.columns
    assert charts.NO_PROVISIONS in vl_convert.vegalite_to_svg(spec)


# --- 4. funnel ----------------------------------------------------------------------------


def test_funnel_has_one_point_per_kommune_with_cases_and_marks_the_chosen(
    table: pd.DataFrame,
) -> None:
    spec = charts.funnel(table, AARHUS).spec()
    with_cases = table[table["realitetsbehandlede"] > 0]
    points = values(spec, "kommuner")
    assert sorted(column(points, "kommunekode")) == sorted(with_cases["kommunekode"])
    by_code = with_cases.set_index("kommunekode")
    for row in points:
        assert row["realitetsbehandlede"] == by_code.loc[row["kommunekode"], "realitetsbehandlede"]
        assert row["omgoerelsesprocent"] == by_code.loc[row["kommunekode"], "omgoerelsesprocent"]
    highlighted = [row["kommunekode"] for row in points if row["gruppe"] == "Aarhus"]
    assert highlighted == [AARHUS]
    assert column(values(spec, "markeret"), "kommunekode") == [AARHUS]
    colours = layer(spec, "kommuner")["encoding"]["color"]["scale"]
    assert colours["range"][colours["domain"].index("Aarhus")] == charts.HIGHLIGHT_COLOUR


def test_funnel_points_are_see_through_without_being_a_group_each(table: pd.DataFrame) -> None:
    """Opacity on the fill and outline, not on the point: a point's `opacity` makes each
    of the 98 points a transparency group of its own, which the PDF draws one by one."""
    spec = charts.funnel(table, AARHUS).spec()
    mark = layer(spec, "kommuner")["mark"]
    assert mark["opacity"] == 1
    assert mark["fillOpacity"] == mark["strokeOpacity"] == charts.comparison.POINT_OPACITY < 1
    svg = vl_convert.vegalite_to_svg(spec)
    assert f'fill-opacity="{charts.comparison.POINT_OPACITY}"' in svg
    assert not re.search(r' opacity="0\.', svg)


def test_funnel_limits_are_the_exact_binomial_limits(table: pd.DataFrame) -> None:
    spec = charts.funnel(table, AARHUS).spec()
    rate = table["landsniveau"].iloc[0]
    assert column(values(spec, "landsniveau"), "landsniveau") == [rate]
    lines = pd.DataFrame(values(spec, "kontrolgraenser"))
    assert set(lines["linje"]) == {"nedre_95", "oevre_95", "nedre_998", "oevre_998"}
    for line, rows in lines.groupby("linje"):
        expected = stats.funnel_limits(rate, rows["n"])[line]
        assert np.allclose(rows["graense"], expected)
    with_cases = table[table["realitetsbehandlede"] > 0]["realitetsbehandlede"]
    assert lines["n"].min() == with_cases.min() and lines["n"].max() == with_cases.max()


def test_funnel_description_agrees_with_the_verdicts(table: pd.DataFrame) -> None:
    figure = charts.funnel(table, AARHUS)
    significant = table["vurdering"].isin([Verdict.ABOVE_REFERENCE, Verdict.BELOW_REFERENCE]).sum()
    assert f"I alt ligger {significant} kommuner uden for 95 %-grænserne" in figure.description
    assert "97 kommuner med realitetsbehandlede sager" in figure.description
    assert "1 kommune uden sager er udeladt" in figure.description
    assert "Aarhus ligger med 47,9 % (56 af 117) inden for 95 %-grænserne" in figure.description
    assert "landsniveauet på 42,0 %" in figure.description
    assert figure.table.columns.tolist() == [
        "Kommune",
        "Omgørelsesprocent",
        "95 %-interval",
        "Vurdering",
    ]
    assert len(figure.table) == 97


def test_funnel_without_national_rate_draws_no_limits(table: pd.DataFrame) -> None:
    figure = charts.funnel(table.assign(landsniveau=float("nan")), AARHUS)
    names = [part.get("name") for part in figure.spec()["layer"]]
    assert names == ["kommuner", "markeret"]
    assert "uden kontrolgrænser" in figure.description
    assert "Aarhus har 47,9 % (56 af 117)" in figure.description


# --- 5. ranking ---------------------------------------------------------------------------


def test_ranking_sorts_by_rate_and_highlights_the_kommune(table: pd.DataFrame) -> None:
    figure = charts.ranking(table, AARHUS)
    spec = figure.spec()
    with_cases = table[table["realitetsbehandlede"] > 0]
    expected = with_cases.sort_values(["omgoerelsesprocent", "kommune"], ascending=[False, True])
    encoding = layer(spec, "punkter")["encoding"]
    assert encoding["y"]["sort"] == expected["kommune"].tolist()
    rows = values(spec, "punkter")
    assert [row["kommune"] for row in rows if row["gruppe"] == "Aarhus"] == ["Aarhus"]
    assert column(values(spec, "landsniveau"), "landsniveau") == [table["landsniveau"].iloc[0]]
    assert spec["height"] >= charts.ROW_HEIGHT * len(with_cases)
    assert "Aarhus er nr. 39 med 47,9 % (56 af 117)" in figure.description
    assert figure.table.columns.tolist()[:3] == ["Nr.", "Kommune", "Omgørelsesprocent"]


def test_ranking_without_highlight_has_one_colour(table: pd.DataFrame) -> None:
    spec = charts.ranking(table).spec()
    assert {row["gruppe"] for row in values(spec, "punkter")} == {charts.ALL_KOMMUNER}
    assert layer(spec, "punkter")["encoding"]["color"]["legend"] is None


# --- 6. distribution ----------------------------------------------------------------------


def test_distribution_bins_every_kommune_with_enough_cases(table: pd.DataFrame) -> None:
    figure = charts.distribution(table)
    bins = pd.DataFrame(values(figure.spec(), "soejler"))
    enough = table[table["realitetsbehandlede"] >= stats.DEFAULT_MIN_CASES]
    assert bins["antal"].sum() == len(enough)
    assert np.allclose(bins["slut"] - bins["start"], 0.05)
    members = {name: row for _, row in bins.iterrows() for name in str(row["kommuner"]).split(", ")}
    for rate, name in zip(enough["omgoerelsesprocent"], enough["kommune"], strict=True):
        start, end = members[name]["start"], members[name]["slut"]
        assert start <= rate and (rate < end or end == 1)
    assert f"de {len(enough)} kommuner med mindst 10" in figure.description
    assert "landsniveau 42,0 %" in figure.description


def test_distribution_puts_a_rate_on_a_bin_edge_in_the_upper_bin() -> None:
    table = pd.DataFrame(
        {
            "kommune": ["A", "B", "C"],
            "omgjort": [9, 20, 0],
            "realitetsbehandlede": [20, 20, 3],
            "omgoerelsesprocent": [0.45, 1.0, 0.0],
            "landsniveau": [0.4] * 3,
        }
    )
    figure = charts.distribution(table)
    assert figure.table.values.tolist() == [["45–50 %", "1", "A"], ["95–100 %", "1", "B"]]
    assert "1 kommune med færre sager er ikke med" in figure.description


# --- 7. national trend --------------------------------------------------------------------


def test_national_trend_shows_the_national_rates_with_counts(national: pd.DataFrame) -> None:
    figure = charts.national_trend(national)
    spec = figure.spec()
    points = values(spec, "punkter")
    assert same_numbers(column(points, "omgoerelsesprocent"), national["omgoerelsesprocent"])
    assert same_numbers(column(points, "omgoerelse_nedre"), national["omgoerelse_nedre"])
    assert column(points, "rate_text")[0] == "45,0 % (927 af 2.061)"
    assert "45,0 % (927 af 2.061) i 2017" in figure.description
    assert "lavest 35,9 % i 2021, højest 52,0 % i 2020" in figure.description
    assert figure.table.columns.tolist()[-1] == "Grundlag"
    assert figure.table["Grundlag"].iloc[0] == national["grundlag"].iloc[0]


# --- all figures --------------------------------------------------------------------------


def test_every_figure_is_deterministic_sized_and_without_generated_names(
    key: KeyFigures, table: pd.DataFrame, national: pd.DataFrame
) -> None:
    for name, build in all_figures(key, table, national).items():
        first, second = build().chart.to_dict(), build().chart.to_dict()
        assert first == second, name
        assert isinstance(first["width"], int) and isinstance(first["height"], int), name
        text = json.dumps(first)
        assert not re.search(r'"(param|view)_\d+"', text), name
        assert "params" not in text, name


def test_tooltips_have_danish_titles_for_fields_in_the_data(
    key: KeyFigures, table: pd.DataFrame, national: pd.DataFrame
) -> None:
    for name, build in all_figures(key, table, national).items():
        spec = build().spec()
        for part in spec.get("layer", [spec]):
            rows = spec["datasets"][part.get("data", spec.get("data"))["name"]]
            for tip in part.get("encoding", {}).get("tooltip", []):
                assert tip["title"] and tip["field"] in rows[0], (name, tip)


def test_every_figure_renders_to_svg_with_danish_axis_labels(
    key: KeyFigures, table: pd.DataFrame, national: pd.DataFrame
) -> None:
    for name, build in all_figures(key, table, national).items():
        svg = vl_convert.vegalite_to_svg(build().spec())
        assert "<svg" in svg and ("<path" in svg or "<text" in svg), name
        if name != "no_provisions":
            assert re.search(r'role="graphics-symbol"', svg), name
            assert ">40 %<" in svg or ">50 %<" in svg, name


def test_axes_have_a_few_labels_and_none_hidden(
    key: KeyFigures, table: pd.DataFrame, national: pd.DataFrame
) -> None:
    """Vega's default put a label at every 10 % or 5 % and hid half of them again where
    they overlapped: gridlines a reader cannot tell apart. About five now."""
    for name, build in all_figures(key, table, national).items():
        svg = vl_convert.vegalite_to_svg(build().spec())
        percent_labels = re.findall(r">\d+ %</text>", svg)
        assert len(percent_labels) <= 7, (name, percent_labels)
        assert not re.search(r'<text[^>]*opacity="0"', svg), name


def spec_digests(data: Dataset) -> dict[str, str]:
    """A digest of every figure's spec, built from the demo data."""
    built = all_figures(
        key_figures(data, AARHUS, AREA, YEAR),
        kommune_table(data, AREA, YEAR),
        national_by_year(data, AREA),
    )
    return {
        name: hashlib.sha256(json.dumps(build().spec(), sort_keys=True).encode()).hexdigest()
        for name, build in built.items()
    }


def test_specs_are_identical_in_another_process(
    other_process: subprocess.Popen[str], data: Dataset
) -> None:
    there, _ = other_process.communicate(timeout=120)
    assert other_process.returncode == 0
    assert json.loads(there) == spec_digests(data)
