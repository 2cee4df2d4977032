"""Shared pieces of omglib's charts: sizes, colours, Danish titles, axes, tooltips and
the national rule, so every chart of a report looks and reads alike.
"""

from __future__ import annotations

from typing import Final, Literal

import altair as alt
import numpy as np
import pandas as pd

from omglib import registry, stats
from omglib.outcomes import OUTCOME_LABELS
from omglib.present import danish
from omglib.present.contrast import blend, hex_colour
from omglib.present.display import Figure
from omglib.present.palette import DIVERGING, FEW_CASES_COLOUR, NO_CASES_LABEL, SEQUENTIAL

WIDTH: Final = 560
HEIGHT: Final = 320
ROW_HEIGHT: Final = 16
"""Pixels per labelled row (provisions, ranking): room for all 98 kommune names."""
BAR_HEIGHT: Final = 50
"""Pixels per bar of the outcome chart."""

KOMMUNE_COLOUR: Final = SEQUENTIAL[3]
HIGHLIGHT_COLOUR: Final = DIVERGING[0]
HIGHLIGHT_TEXT_COLOUR: Final = "#a63603"
"""A darker orange for the highlighted kommune's name: the mark's orange is too light
for small text on white (3,4:1 against the 4,5:1 that WCAG asks of text)."""
NATIONAL_COLOUR: Final = "#525252"
LIMIT_COLOUR: Final = "#737373"
TEXT_COLOUR: Final = "#000000"
OUTLINE_COLOUR: Final = "#404040"
"""Outline of bars and points, so even pale or translucent ones stand out from the page
(WCAG 1.4.11 asks 3:1) and overlapping points stay apart."""
BAND_COLOUR: Final = hex_colour(blend(KOMMUNE_COLOUR, 0.25))
"""The interval band: the kommune's colour at a quarter strength, opaque so its legend
symbol matches; its edge in the full colour keeps the band visible at 3:1 (WCAG 1.4.11)."""
POINT_SIZE: Final = 70
RING: Final = (
    "M-1,0A1,1,0,1,0,1,0A1,1,0,1,0,-1,0ZM-0.55,0A0.55,0.55,0,1,1,0.55,0A0.55,0.55,0,1,1,-0.55,0Z"
)
"""A hollow circle as a Vega symbol path (the inner circle runs the other way round)."""

RATE_TITLE: Final = "Omgørelsesprocent"
COUNT_TITLE: Final = "Realitetsbehandlede sager"
INTERVAL_TITLE: Final = "95 %-interval"
NATIONAL_TITLE: Final = "Landsniveau"
VERDICT_TITLE: Final = "Vurdering"
ENOUGH_CASES: Final = f"Mindst {stats.DEFAULT_MIN_CASES} sager"
FEW_CASES: Final = f"Under {stats.DEFAULT_MIN_CASES} sager"
ALL_KOMMUNER: Final = "Kommuner"
KOMMUNE_SERIES: Final = "Kommunen"
PROVISION_NATIONAL: Final = "Landsniveau for paragraffen"
OTHER_KOMMUNER: Final = "Øvrige kommuner"
NO_PROVISIONS: Final = "Ingen opdeling på paragraf i datafilen"
NO_KOMMUNER: Final = "Ingen kommuner med realitetsbehandlede sager"
NO_NATIONAL: Final = "Intet landstal i datafilen"

#: Funnel levels: the level, its column tag in `stats.funnel_limits`, its label and dash.
FUNNEL_LEVELS: Final[tuple[tuple[float, str, str, tuple[int, int]], ...]] = (
    (0.95, "95", "95 %", (6, 3)),
    (0.998, "998", "99,8 %", (2, 2)),
)
FUNNEL_POINTS: Final = 120
"""Number of case counts, geometrically spaced, at which the funnel's limits are drawn."""

HISTOGRAM_BINS: Final = 20
"""Bins of the histogram of rates: 5 percentage points each."""

#: Outcome colours (PuOr): orange for omgjort, purple for stadfæstet, grey for afvist;
#: both spellings in use ("Hjemvist" and Ankestyrelsen's "Hjemvisning").
OUTCOME_COLOURS: Final[dict[str, str]] = {
    "Ændret/ophævet": DIVERGING[0],
    "Ændring/ophævelse": DIVERGING[0],
    "Hjemvist": DIVERGING[1],
    "Hjemvisning": DIVERGING[1],
    "Stadfæstet": DIVERGING[4],
    "Stadfæstelse": DIVERGING[4],
    OUTCOME_LABELS["afvist"]: FEW_CASES_COLOUR,
    "Afvisning/henvisning": FEW_CASES_COLOUR,
}
SPARE_OUTCOME_COLOURS: Final = (DIVERGING[3], SEQUENTIAL[2], LIMIT_COLOUR)
MIN_LABELLED_SHARE: Final = 0.08
"""Outcome segments narrower than this get no text label (it would not fit)."""

#: Axis labels in Danish typography ("40 %", "1.000"), independent of the renderer's locale.
PERCENT_LABELS: Final = "replace(format(datum.value, '.0%'), '%', ' %')"
COUNT_LABELS: Final = "replace(format(datum.value, ',d'), ',', '.')"

Orient = Literal["horizontal", "vertical"]


# --- shared pieces ----------------------------------------------------------------------


def rate_text(rate: float, omgjort: int, total: int) -> str:
    """A rate with its counts: "47,1 % (16 af 34)"; "Ingen sager" without cases."""
    if total == 0:
        return NO_CASES_LABEL
    return f"{danish.format_pct(rate)} ({danish.format_int(omgjort)} af {danish.format_int(total)})"


def row_rate_text(row: pd.Series) -> str:
    return rate_text(
        float(row["omgoerelsesprocent"]), int(row["omgjort"]), int(row["realitetsbehandlede"])
    )


def case_count(total: int) -> str:
    """A number of cases as text: "1 sag", "1.234 sager"."""
    return danish.format_count(total, "sag", "sager")


def kommuner(count: int) -> str:
    return danish.format_count(count, "kommune", "kommuner")


def with_texts(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with Danish texts for tooltips and tables added: `rate_text`,
    `interval_text` and `sagsgrundlag` (whether the rate rests on few cases: the frame's
    own `faa_sager` flag where it has one, else fewer than `stats.DEFAULT_MIN_CASES`);
    a `vurdering` column of verdicts becomes their Danish phrases."""
    few = (
        frame["faa_sager"].to_numpy(dtype=bool)
        if "faa_sager" in frame.columns
        else stats.few_cases(frame["realitetsbehandlede"].to_numpy())
    )
    if "vurdering" in frame.columns:
        frame = frame.assign(vurdering=danish.verdict_phrases(frame["vurdering"]))
    rates, overturned, cases = (
        frame[c] for c in ("omgoerelsesprocent", "omgjort", "realitetsbehandlede")
    )
    counts = zip(rates, overturned, cases, strict=True)
    bounds = zip(frame["omgoerelse_nedre"], frame["omgoerelse_oevre"], strict=True)
    return frame.assign(
        rate_text=[rate_text(float(rate), int(k), int(n)) for rate, k, n in counts],
        interval_text=[danish.format_interval(lower, upper) for lower, upper in bounds],
        sagsgrundlag=np.where(few, FEW_CASES, ENOUGH_CASES),
    )


#: About how many labelled ticks a rate axis and a count axis get: 0, 20, ..., 100 % and
#: 0, 20, ..., 160 sager on a full-width chart. Vega's default (one per 40 pixels) put a
#: label at every 10 % or 5 %, half of them hidden again where they overlapped: gridlines
#: a reader cannot tell apart, and labels that cost a PDF their measuring and drawing.
RATE_TICKS: Final = 5
COUNT_TICKS: Final = 8


def rate_axis(title: str = RATE_TITLE) -> alt.Axis:
    return alt.Axis(title=title, labelExpr=PERCENT_LABELS, tickMinStep=0.01, tickCount=RATE_TICKS)


def count_axis(title: str) -> alt.Axis:
    return alt.Axis(title=title, labelExpr=COUNT_LABELS, tickMinStep=1, tickCount=COUNT_TICKS)


def tooltips(*fields: tuple[str, str]) -> list[alt.Tooltip]:
    """Tooltips of preformatted text fields, given as (field, Danish title)."""
    return [alt.Tooltip(f"{field}:N", title=title) for field, title in fields]


def group_legend(title: str | None = None) -> alt.Legend:
    return alt.Legend(title=title, orient="bottom")


def national_label(rate: float) -> str:
    return f"{NATIONAL_TITLE} ({danish.format_pct(rate)})"


def national_rule(rate: float, orient: Orient, dashes: alt.Scale | None = None) -> alt.Chart:
    """The national rate as a rule across the chart, dashed unless `dashes` (a scale
    shared with other lines of the chart) says otherwise, with a legend entry."""
    label = national_label(rate)
    data = pd.DataFrame({"landsniveau": [rate], "serie": [label]})
    dash = alt.StrokeDash(
        "serie:N",
        scale=dashes or alt.Scale(domain=[label], range=[[6, 4]]),
        legend=group_legend(),
    )
    rule = alt.Chart(data).mark_rule(color=NATIONAL_COLOUR, strokeWidth=1.5)
    if orient == "horizontal":
        rule = rule.encode(y=alt.Y("landsniveau:Q", axis=rate_axis()), strokeDash=dash)
    else:
        rule = rule.encode(x=alt.X("landsniveau:Q", axis=rate_axis()), strokeDash=dash)
    named: alt.Chart = rule.properties(name="landsniveau")
    return named


def dots_with_intervals(
    frame: pd.DataFrame,
    category: str,
    groups: alt.Scale,
    legend: alt.Legend | None,
    tooltip: list[alt.Tooltip],
    label_axis: alt.Axis,
) -> list[alt.Chart]:
    """One row per `category` in frame order: an error bar for the 95 % interval and a
    point for the rate, coloured by `gruppe` and hollow (a ring on a white disc that
    hides the error bar) where the rate rests on few cases, explained in a legend."""
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{category}:N", sort=list(frame[category]), axis=label_axis),
        x=alt.X("omgoerelsesprocent:Q", axis=rate_axis()),
    )
    bars = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("omgoerelse_nedre:Q", axis=rate_axis()),
        x2=alt.X2("omgoerelse_oevre:Q"),
        color=alt.Color("gruppe:N", scale=groups, legend=legend),
        tooltip=tooltip,
    )
    discs = base.mark_point(filled=True, size=POINT_SIZE, opacity=1, color="#ffffff")
    points = base.mark_point(filled=True, size=POINT_SIZE, opacity=1).encode(
        color=alt.Color("gruppe:N", scale=groups, legend=legend),
        shape=alt.Shape(
            "sagsgrundlag:N",
            scale=alt.Scale(domain=[ENOUGH_CASES, FEW_CASES], range=["circle", RING]),
            legend=group_legend("Sagsgrundlag"),
        ),
        tooltip=tooltip,
    )
    return [
        bars.properties(name="interval"),
        discs.properties(name="baggrund"),
        points.properties(name="punkter"),
    ]


def band_fill() -> alt.Fill:
    """The interval band's fill, from the constant field `baand`, so the legend
    explains the band."""
    return alt.Fill(
        "baand:N",
        scale=alt.Scale(domain=[INTERVAL_TITLE], range=[BAND_COLOUR]),
        legend=alt.Legend(title=None, orient="bottom", symbolType="square"),
    )


def message_figure(message: str, description: str, table: pd.DataFrame) -> Figure:
    """A figure without data to draw: the message as text, so a report never shows an
    empty frame."""
    chart = (
        alt.Chart(pd.DataFrame({"tekst": [message]}))
        .mark_text(fontSize=14, color=NATIONAL_COLOUR)
        .encode(text=alt.Text("tekst:N"))
        .properties(width=WIDTH, height=60)
    )
    return Figure(chart, description, table)


def rows_with_cases(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["realitetsbehandlede"] > 0].reset_index(drop=True)


def mark_chosen(cases: pd.DataFrame, kommune: int | None) -> tuple[pd.DataFrame, alt.Scale, bool]:
    """The kommuner with their colour group `gruppe` and its scale: the chosen kommune's
    name in the highlight colour against "Øvrige kommuner", or one group "Kommuner" when
    no kommune is chosen or the chosen one has no cases. The flag says whether it is shown."""
    chosen = cases["kommunekode"] == kommune
    if kommune is None or not chosen.any():
        scale = alt.Scale(domain=[ALL_KOMMUNER], range=[KOMMUNE_COLOUR])
        return cases.assign(gruppe=ALL_KOMMUNER), scale, False
    name = registry.kommune_name(kommune)
    scale = alt.Scale(domain=[name, OTHER_KOMMUNER], range=[HIGHLIGHT_COLOUR, KOMMUNE_COLOUR])
    return cases.assign(gruppe=np.where(chosen, name, OTHER_KOMMUNER)), scale, True


def national_rate(table: pd.DataFrame) -> float | None:
    """The table's national rate; None where the data give none."""
    rates = table["landsniveau"].dropna()
    return None if rates.empty else float(rates.iloc[0])


def rate_table(frame: pd.DataFrame, label_column: str, label_title: str) -> pd.DataFrame:
    """The Danish table behind a chart of rates: label, rate with counts, interval."""
    return pd.DataFrame(
        {
            label_title: frame[label_column].astype(str),
            RATE_TITLE: frame["rate_text"],
            INTERVAL_TITLE: frame["interval_text"],
        }
    ).reset_index(drop=True)
