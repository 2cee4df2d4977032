"""Outcomes against the country: the shares of stadfæstet, hjemvist and ændret/ophævet
for the kommune beside the national shares.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from omglib import stats
from omglib.present import danish
from omglib.present.charts.common import (
    BAR_HEIGHT,
    INTERVAL_TITLE,
    MIN_LABELLED_SHARE,
    OUTCOME_COLOURS,
    OUTLINE_COLOUR,
    SPARE_OUTCOME_COLOURS,
    WIDTH,
    case_count,
    group_legend,
    rate_axis,
    rate_text,
    tooltips,
)
from omglib.present.contrast import readable_text_colour
from omglib.present.display import Figure, built_unchecked

# --- 2. outcomes against the country --------------------------------------------------


@built_unchecked
def outcomes(distribution: pd.DataFrame) -> Figure:
    """The outcomes (udfald) of the kommune and of the whole country as horizontal 100 %
    bars, one per `hvem` in input order; shares with counts and 95 % intervals in the
    tooltips, the number of cases in each bar's label."""
    frame = _outcome_segments(distribution)
    kinds = list(dict.fromkeys(frame["udfald"]))
    base = alt.Chart(frame).encode(
        y=alt.Y("raekke:N", sort=list(dict.fromkeys(frame["raekke"])), title=None),
        tooltip=tooltips(
            ("hvem", "Hvem"),
            ("udfald", "Udfald"),
            ("andel_text", "Andel"),
            ("interval_text", INTERVAL_TITLE),
        ),
    )
    bars = base.mark_bar(stroke=OUTLINE_COLOUR, strokeWidth=0.5).encode(
        x=alt.X("start:Q", axis=rate_axis("Andel af sagerne"), scale=alt.Scale(domain=[0, 1])),
        x2=alt.X2("slut:Q"),
        color=alt.Color(
            "udfald:N",
            scale=alt.Scale(domain=kinds, range=_outcome_colours(kinds)),
            legend=group_legend("Udfald"),
        ),
    )
    labels = (
        base.transform_filter(f"datum.andel_i_bjaelken >= {MIN_LABELLED_SHARE}")
        .mark_text(fontSize=11)
        .encode(
            x=alt.X("midte:Q"),
            text=alt.Text("etiket:N"),
            color=alt.Color("tekstfarve:N", scale=None),
        )
    )
    who = list(dict.fromkeys(frame["hvem"]))
    chart = alt.layer(
        bars.properties(name="udfald"),
        labels.properties(name="etiketter"),
        width=WIDTH,
        height=BAR_HEIGHT * len(who),
    )
    return Figure(chart, _outcome_description(frame), _outcome_table(frame, who, kinds))


def _outcome_segments(distribution: pd.DataFrame) -> pd.DataFrame:
    """Each outcome's segment of its bar (start, end and middle as shares of the bar,
    in input order) with the Danish texts for tooltips, labels and table."""
    frame = distribution.reset_index(drop=True)
    by_who = frame.groupby("hvem", sort=False)
    total = by_who["antal"].transform("sum").astype("int64")
    share = frame["andel"] / by_who["andel"].transform("sum")
    end = share.groupby(frame["hvem"], sort=False).cumsum()
    lower, upper = stats.wilson_interval(frame["antal"], total)
    colours = dict(zip(frame["udfald"], _outcome_colours(list(frame["udfald"])), strict=True))
    return frame.assign(
        sager_i_alt=total,
        raekke=[f"{who} ({case_count(n)})" for who, n in zip(frame["hvem"], total, strict=True)],
        start=end - share,
        slut=end,
        midte=end - share / 2,
        andel_i_bjaelken=share,
        andel_text=[
            rate_text(a, int(k), int(n))
            for a, k, n in zip(frame["andel"], frame["antal"], total, strict=True)
        ],
        interval_text=[danish.format_interval(lo, hi) for lo, hi in zip(lower, upper, strict=True)],
        etiket=[danish.format_pct(a) for a in frame["andel"]],
        tekstfarve=[readable_text_colour(colours[kind]) for kind in frame["udfald"]],
    )


def _outcome_colours(kinds: Sequence[str]) -> list[str]:
    """Known outcomes get their fixed colour, any other label the next spare one."""
    spare = iter(SPARE_OUTCOME_COLOURS)
    unknown = {kind: next(spare) for kind in dict.fromkeys(kinds) if kind not in OUTCOME_COLOURS}
    return [OUTCOME_COLOURS.get(kind) or unknown[kind] for kind in kinds]


def _outcome_description(frame: pd.DataFrame) -> str:
    parts = [
        f"{who} ({case_count(int(rows['sager_i_alt'].iloc[0]))}): "
        + ", ".join(
            f"{kind.lower()} {danish.format_pct(share)}"
            for kind, share in zip(rows["udfald"], rows["andel"], strict=True)
        )
        for who, rows in frame.groupby("hvem", sort=False)
    ]
    return f"Udfald – {'; '.join(parts)}."


def _outcome_table(frame: pd.DataFrame, who: list[str], kinds: list[str]) -> pd.DataFrame:
    """One row per `hvem`, one column per outcome: "52,1 % (61 af 117)"."""
    wide = frame.pivot(index="hvem", columns="udfald", values="andel_text")
    wide = wide.reindex(index=who, columns=kinds).fillna(danish.NO_VALUE)
    table = wide.reset_index().rename(columns={"hvem": "Hvem"})
    table.columns.name = None
    totals = frame.groupby("hvem", sort=False)["sager_i_alt"].first().reindex(who)
    table["Sager i alt"] = [danish.format_int(int(n)) for n in totals]
    return table
