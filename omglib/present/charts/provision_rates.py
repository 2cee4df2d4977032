"""The omgørelsesprocent per provision (paragraf), with the national level for each."""

from __future__ import annotations

import altair as alt
import pandas as pd

from omglib import stats
from omglib.present import danish
from omglib.present.charts.common import (
    FEW_CASES,
    INTERVAL_TITLE,
    KOMMUNE_COLOUR,
    KOMMUNE_SERIES,
    NATIONAL_COLOUR,
    NATIONAL_TITLE,
    NO_PROVISIONS,
    PROVISION_NATIONAL,
    RATE_TITLE,
    ROW_HEIGHT,
    WIDTH,
    dots_with_intervals,
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

# --- 3. provisions --------------------------------------------------------------------


@built_unchecked
def provisions(breakdown: pd.DataFrame) -> Figure:
    """The omgørelsesprocent per provision (paragraf, in input order) as a point with
    its 95 % interval, hollow where it rests on few cases, and the national rate for the
    same provision as a tick. Without a breakdown the figure says so."""
    frame = with_texts(breakdown).assign(
        gruppe=KOMMUNE_SERIES,
        serie=PROVISION_NATIONAL,
        landsniveau_text=breakdown["landsniveau"].map(danish.format_pct),
    )
    table = rate_table(frame, "paragraf", "Paragraf").assign(
        **{NATIONAL_TITLE: frame["landsniveau_text"], "Sagsgrundlag": frame["sagsgrundlag"]}
    )
    if frame.empty:
        return message_figure(NO_PROVISIONS, f"{NO_PROVISIONS}.", table)
    tooltip = tooltips(
        ("paragraf", "Paragraf"),
        ("rate_text", RATE_TITLE),
        ("interval_text", INTERVAL_TITLE),
        ("landsniveau_text", NATIONAL_TITLE),
    )
    groups = alt.Scale(
        domain=[KOMMUNE_SERIES, PROVISION_NATIONAL], range=[KOMMUNE_COLOUR, NATIONAL_COLOUR]
    )
    layers = dots_with_intervals(
        frame, "paragraf", groups, group_legend(), tooltip, alt.Axis(title="Paragraf")
    )
    ticks = (
        alt.Chart(frame)
        .mark_tick(thickness=2, size=ROW_HEIGHT)
        .encode(
            x=alt.X("landsniveau:Q", axis=rate_axis()),
            y=alt.Y("paragraf:N", sort=list(frame["paragraf"])),
            color=alt.Color("serie:N", scale=groups, legend=group_legend()),
            tooltip=tooltip,
        )
        .properties(name="landsniveau")
    )
    chart = alt.layer(*layers, ticks, width=WIDTH, height=ROW_HEIGHT * 2 * len(frame))
    return Figure(chart, _provision_description(frame), table)


def _provision_description(frame: pd.DataFrame) -> str:
    with_cases = rows_with_cases(frame)
    if with_cases.empty:
        return f"Ingen af de {len(frame)} paragraffer har realitetsbehandlede sager."
    ordered = with_cases.sort_values("omgoerelsesprocent", kind="stable")
    low, high = ordered.iloc[0], ordered.iloc[-1]
    if len(with_cases) == 1:
        text = f"Omgørelsesprocenten for {low['paragraf']} er {row_rate_text(low)}"
    else:
        text = (
            f"Omgørelsesprocenten pr. paragraf spænder fra {row_rate_text(low)} for "
            f"{low['paragraf']} til {row_rate_text(high)} for {high['paragraf']}"
        )
    few = int((frame["sagsgrundlag"] == FEW_CASES).sum())
    if not few:
        return f"{text}."
    which = f"Alle {len(frame)}" if few == len(frame) else f"{few} af de {len(frame)}"
    if len(frame) == 1:
        which = "Paragraffen"
    noun = "har" if len(frame) == 1 else "paragraffer har"
    return f"{text}. {which} {noun} under {stats.DEFAULT_MIN_CASES} sager (vist med hule punkter)."
