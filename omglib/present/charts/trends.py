"""The kommune's trend and the national trend: the omgørelsesprocent year by year with
its 95 % interval.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from omglib import registry
from omglib.figures import KeyFigures
from omglib.present import danish
from omglib.present.charts.common import (
    HEIGHT,
    INTERVAL_TITLE,
    KOMMUNE_COLOUR,
    NATIONAL_COLOUR,
    NATIONAL_TITLE,
    NO_NATIONAL,
    RATE_TITLE,
    WIDTH,
    band_fill,
    group_legend,
    message_figure,
    rate_axis,
    rate_table,
    row_rate_text,
    rows_with_cases,
    tooltips,
    with_texts,
)
from omglib.present.display import Figure, built_unchecked

# --- 1. the kommune's trend ------------------------------------------------------------


@built_unchecked
def trend(key: KeyFigures) -> Figure:
    """The kommune's omgørelsesprocent per year as a line with points, its 95 % interval
    as a band and the national rate as a dashed line. Years without cases have no point
    and break the line and band, so no rate is suggested where there is none."""
    frame = with_texts(key.trend).assign(
        landsniveau_text=key.trend["landsniveau"].map(danish.format_pct),
        kommune_serie=key.kommune,
        landsniveau_serie=NATIONAL_TITLE,
        baand=INTERVAL_TITLE,
    )
    # (legend label, colour, dash, layer name, column), in legend order
    series = [(key.kommune, KOMMUNE_COLOUR, [1, 0], "kommune", "omgoerelsesprocent")]
    if key.trend["landsniveau"].notna().any():
        series.append((NATIONAL_TITLE, NATIONAL_COLOUR, [6, 4], "landsniveau", "landsniveau"))
    labels = [label for label, *_ in series]
    colours = alt.Scale(domain=labels, range=[colour for _, colour, *_ in series])
    dashes = alt.Scale(domain=labels, range=[dash for _, _, dash, *_ in series])
    base = alt.Chart(frame).encode(x=alt.X("aar:O", title="År", axis=alt.Axis(labelAngle=0)))
    band = base.mark_area(stroke=KOMMUNE_COLOUR, strokeWidth=1).encode(
        y=alt.Y("omgoerelse_nedre:Q", axis=rate_axis()),
        y2=alt.Y2("omgoerelse_oevre:Q"),
        fill=band_fill(),
    )
    # Both lines name their series in one field, `serie`: Vega-Lite merges the colour
    # and dash legends into one only when the layers' fields agree.
    lines = [
        base.mark_line(strokeWidth=2 if layer == "kommune" else 1.5)
        .transform_calculate(serie=alt.datum[f"{layer}_serie"])
        .encode(
            y=alt.Y(f"{column}:Q", axis=rate_axis()),
            color=alt.Color("serie:N", scale=colours, legend=group_legend()),
            strokeDash=alt.StrokeDash("serie:N", scale=dashes, legend=group_legend()),
        )
        .properties(name=layer)
        for *_, layer, column in reversed(series)  # the kommune's line on top
    ]
    points = base.mark_point(filled=True, size=50, color=KOMMUNE_COLOUR, opacity=1).encode(
        y=alt.Y("omgoerelsesprocent:Q", axis=rate_axis()),
        tooltip=tooltips(
            ("aar", "År"),
            ("rate_text", RATE_TITLE),
            ("interval_text", INTERVAL_TITLE),
            ("landsniveau_text", NATIONAL_TITLE),
        ),
    )
    chart = alt.layer(
        band.properties(name="interval"),
        *lines,
        points.properties(name="punkter"),
        width=WIDTH,
        height=HEIGHT,
    )
    table = rate_table(frame, "aar", "År").assign(**{NATIONAL_TITLE: frame["landsniveau_text"]})
    return Figure(chart, _trend_description(key), table)


def _trend_description(key: KeyFigures) -> str:
    where = "på" if key.area in registry.areas() else "for"
    subject = f"Omgørelsesprocenten {where} {registry.area_text(key.area)} i {key.kommune}"
    years = rows_with_cases(key.trend)
    if years.empty:
        return f"{subject} kan ikke vises, da der ikke er realitetsbehandlede sager i årene."
    first, last = years.iloc[0], years.iloc[-1]
    course = f"var {row_rate_text(first)} i {int(first['aar'])}"
    if len(years) > 1:
        course += f" og {row_rate_text(last)} i {int(last['aar'])}"
    if pd.notna(last["landsniveau"]):
        course += f" (landsniveau i {int(last['aar'])}: {danish.format_pct(last['landsniveau'])})"
    return f"{subject} {course}. Over årene: {danish.verdict_text(key.trend_test)}."


# --- 7. the national trend ------------------------------------------------------------


@built_unchecked
def national_trend(national: pd.DataFrame) -> Figure:
    """The national omgørelsesprocent per year as a line with points and its 95 %
    interval as a band; counts and what the figure rests on (`grundlag`) in tooltips."""
    frame = with_texts(national).assign(baand=INTERVAL_TITLE)
    result = rate_table(frame, "aar", "År").assign(Grundlag=frame["grundlag"])
    if frame.empty:
        return message_figure(NO_NATIONAL, f"{NO_NATIONAL}.", result)
    base = alt.Chart(frame).encode(x=alt.X("aar:O", title="År", axis=alt.Axis(labelAngle=0)))
    y = alt.Y("omgoerelsesprocent:Q", axis=rate_axis())
    band = base.mark_area(stroke=KOMMUNE_COLOUR, strokeWidth=1).encode(
        y=alt.Y("omgoerelse_nedre:Q", axis=rate_axis()),
        y2=alt.Y2("omgoerelse_oevre:Q"),
        fill=band_fill(),
    )
    line = base.mark_line(color=KOMMUNE_COLOUR, strokeWidth=2).encode(y=y)
    points = base.mark_point(filled=True, size=50, color=KOMMUNE_COLOUR, opacity=1).encode(
        y=y,
        tooltip=tooltips(
            ("aar", "År"),
            ("rate_text", RATE_TITLE),
            ("interval_text", INTERVAL_TITLE),
            ("grundlag", "Grundlag"),
        ),
    )
    chart = alt.layer(
        band.properties(name="interval"),
        line.properties(name="landsniveau"),
        points.properties(name="punkter"),
        width=WIDTH,
        height=HEIGHT,
    )
    return Figure(chart, _national_trend_description(frame), result)


def _national_trend_description(frame: pd.DataFrame) -> str:
    years = rows_with_cases(frame)
    first, last = years.iloc[0], years.iloc[-1]
    text = f"Landsniveauet for omgørelsesprocenten var {row_rate_text(first)} i {int(first['aar'])}"
    if len(years) > 1:
        ordered = years.sort_values("omgoerelsesprocent", kind="stable")
        low, high = ordered.iloc[0], ordered.iloc[-1]
        text += (
            f" og {row_rate_text(last)} i {int(last['aar'])}; lavest "
            f"{danish.format_pct(low['omgoerelsesprocent'])} i {int(low['aar'])}, højest "
            f"{danish.format_pct(high['omgoerelsesprocent'])} i {int(high['aar'])}"
        )
    return f"{text}."
