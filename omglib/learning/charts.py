"""Charts of the learning loop: reasons for overturning (Pareto) and what followed the
remands, drawn with the shared pieces of `omglib.present.charts`.
"""

from __future__ import annotations

from typing import Final

import altair as alt
import pandas as pd

from omglib.learning import analyses
from omglib.present import danish
from omglib.present.charts.common import (
    HEIGHT,
    KOMMUNE_COLOUR,
    NATIONAL_COLOUR,
    OUTLINE_COLOUR,
    ROW_HEIGHT,
    TEXT_COLOUR,
    WIDTH,
    count_axis,
    message_figure,
    rate_axis,
    tooltips,
)
from omglib.present.display import Figure, built_unchecked

# --- the learning loop ------------------------------------------------------------------

NO_REASONS: Final = "Ingen omgjorte sager med registreret årsag"
NO_REMANDS: Final = "Ingen hjemviste sager"


@built_unchecked
def reasons(ranking: analyses.ReasonRanking) -> Figure:
    """Reasons for overturning as a Pareto chart: a bar per reason (cases naming it),
    most frequent first, and the cumulative share of all reasons named as a line."""
    frame = ranking.table.assign(
        sager_text=[danish.format_int(int(n)) for n in ranking.table["sager"]],
        andel_text=ranking.table["andel"].map(lambda a: danish.format_pct(a)),
        kumuleret_text=ranking.table["kumuleret"].map(lambda a: danish.format_pct(a)),
    )
    table = pd.DataFrame(
        {
            "Årsag": frame["aarsag"],
            "Sager": frame["sager_text"],
            "Andel af omgjorte sager med årsag": frame["andel_text"],
            "Kumuleret andel af årsager": frame["kumuleret_text"],
        }
    )
    if frame.empty:
        return message_figure(NO_REASONS, ranking.text, table)
    order = frame["aarsag"].tolist()
    base = alt.Chart(frame).encode(
        x=alt.X("aarsag:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30, labelLimit=220)),
        tooltip=tooltips(
            ("aarsag", "Årsag"),
            ("sager_text", "Sager"),
            ("andel_text", "Andel"),
            ("kumuleret_text", "Kumuleret"),
        ),
    )
    bars = base.mark_bar(color=KOMMUNE_COLOUR, stroke=OUTLINE_COLOUR, strokeWidth=0.5).encode(
        y=alt.Y("sager:Q", axis=count_axis("Omgjorte sager"))
    )
    line = base.mark_line(
        color=NATIONAL_COLOUR,
        strokeWidth=2,
        point=alt.OverlayMarkDef(color=NATIONAL_COLOUR, filled=True, size=40),
    ).encode(
        y=alt.Y("kumuleret:Q", axis=rate_axis("Kumuleret andel"), scale=alt.Scale(domain=[0, 1]))
    )
    chart = (
        alt.layer(bars.properties(name="aarsager"), line.properties(name="kumuleret"))
        .resolve_scale(y="independent")
        .properties(width=WIDTH, height=HEIGHT)
    )
    return Figure(chart, ranking.text, table)


@built_unchecked
def follow_up(result: analyses.FollowUp) -> Figure:
    """What happened after the remands: a bar per follow-up in the coded order, with
    its count of the remands."""
    frame = result.table.assign(
        etiket=[
            f"{danish.format_int(int(n))} af {danish.format_int(result.remands)}"
            for n in result.table["sager"]
        ],
        andel_text=result.table["andel"].map(lambda a: danish.format_pct(a)),
    )
    table = pd.DataFrame(
        {"Opfølgning": frame["opfoelgning"], "Sager": frame["etiket"], "Andel": frame["andel_text"]}
    )
    if result.remands == 0:
        return message_figure(NO_REMANDS, result.text, table)
    base = alt.Chart(frame).encode(
        y=alt.Y("opfoelgning:N", sort=frame["opfoelgning"].tolist(), title=None),
        tooltip=tooltips(
            ("opfoelgning", "Opfølgning"), ("etiket", "Sager"), ("andel_text", "Andel")
        ),
    )
    bars = base.mark_bar(color=KOMMUNE_COLOUR, stroke=OUTLINE_COLOUR, strokeWidth=0.5).encode(
        x=alt.X("sager:Q", axis=count_axis("Hjemviste sager"))
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11, color=TEXT_COLOUR).encode(
        x=alt.X("sager:Q"), text=alt.Text("etiket:N")
    )
    chart = alt.layer(
        bars.properties(name="opfoelgning"),
        labels.properties(name="tal"),
        width=WIDTH - 120,
        height=ROW_HEIGHT * 2 * len(frame),
    )
    return Figure(chart, result.text, table)
