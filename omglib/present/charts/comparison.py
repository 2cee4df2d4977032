"""The kommune among all kommuner: the funnel plot, the ranking and the distribution
of rates.
"""

from __future__ import annotations

import json
from typing import Final

import altair as alt
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from omglib import registry, stats
from omglib.present import danish
from omglib.present.charts.common import (
    COUNT_TITLE,
    FUNNEL_LEVELS,
    FUNNEL_POINTS,
    HEIGHT,
    HIGHLIGHT_TEXT_COLOUR,
    HISTOGRAM_BINS,
    INTERVAL_TITLE,
    KOMMUNE_COLOUR,
    LIMIT_COLOUR,
    NO_KOMMUNER,
    OUTLINE_COLOUR,
    RATE_TITLE,
    ROW_HEIGHT,
    TEXT_COLOUR,
    VERDICT_TITLE,
    WIDTH,
    count_axis,
    dots_with_intervals,
    group_legend,
    kommuner,
    mark_chosen,
    message_figure,
    national_label,
    national_rate,
    national_rule,
    rate_axis,
    rate_table,
    rows_with_cases,
    tooltips,
    with_texts,
)
from omglib.present.display import Figure, built_unchecked

# --- 4. funnel plot -------------------------------------------------------------------

#: How opaque a kommune's point is, so that points on top of each other show. Given to
#: the fill and the outline, not as the point's `opacity`, which would make every point
#: a transparency group of its own: the same look, but each costs a PDF a separate
#: drawing.
POINT_OPACITY: Final = 0.85


@built_unchecked
def funnel(table: pd.DataFrame, kommune: int) -> Figure:
    """Funnel plot: every kommune with cases at (cases, rate), the national rate as a
    line and its 95 % and 99,8 % control limits as curves; `kommune` highlighted and
    labelled. A kommune outside the 95 % limits differs significantly from the national
    rate (the limits agree with `stats.compare_to_reference`)."""
    cases, groups, shown = mark_chosen(with_texts(rows_with_cases(table)), kommune)
    result = rate_table(cases, "kommune", "Kommune").assign(**{VERDICT_TITLE: cases["vurdering"]})
    if cases.empty:
        return message_figure(NO_KOMMUNER, f"{NO_KOMMUNER}.", result)
    national = national_rate(table)
    layers = [] if national is None else _funnel_lines(national, cases)
    points = _funnel_points(cases, groups, kommune if shown else None)
    chart = alt.layer(*layers, *points, width=WIDTH, height=HEIGHT)
    description = _funnel_description(cases, kommune, national, len(table) - len(cases))
    return Figure(chart, description, result)


def _funnel_points(cases: pd.DataFrame, groups: alt.Scale, kommune: int | None) -> list[alt.Chart]:
    """The kommuner as points coloured by `groups`; the chosen kommune drawn last (on
    top) and labelled with its name."""
    chosen = cases["kommunekode"] == kommune
    cases = pd.concat([cases[~chosen], cases[chosen]], ignore_index=True)
    x = alt.X("realitetsbehandlede:Q", axis=count_axis(COUNT_TITLE))
    y = alt.Y("omgoerelsesprocent:Q", axis=rate_axis())
    points = (
        alt.Chart(cases)
        .mark_point(
            filled=True,
            size=45,
            opacity=1,
            fillOpacity=POINT_OPACITY,
            strokeOpacity=POINT_OPACITY,
            stroke=OUTLINE_COLOUR,
            strokeWidth=0.5,
        )
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "gruppe:N", scale=groups, legend=None if kommune is None else group_legend()
            ),
            tooltip=tooltips(
                ("kommune", "Kommune"),
                ("rate_text", RATE_TITLE),
                ("interval_text", INTERVAL_TITLE),
                ("vurdering", VERDICT_TITLE),
            ),
        )
        .properties(name="kommuner")
    )
    if kommune is None:
        return [points]
    row = cases[cases["kommunekode"] == kommune]
    right_half = row["realitetsbehandlede"].iloc[0] > cases["realitetsbehandlede"].max() / 2
    label = (
        alt.Chart(row)
        .mark_text(
            align="right" if right_half else "left",
            dx=-8 if right_half else 8,
            fontWeight="bold",
            color=TEXT_COLOUR,
        )
        .encode(x=x, y=y, text=alt.Text("kommune:N"))
        .properties(name="markeret")
    )
    return [points, label]


def _funnel_lines(national: float, cases: pd.DataFrame) -> list[alt.Chart]:
    """The national rate as a solid line and its control limits as dashed curves over
    the observed range of case counts, explained in one legend."""
    counts = cases["realitetsbehandlede"]
    grid = np.unique(
        np.geomspace(counts.min(), counts.max(), FUNNEL_POINTS).round().astype("int64")
    )
    limits = stats.funnel_limits(national, grid, levels=[level for level, *_ in FUNNEL_LEVELS])
    lines = pd.concat(
        [
            pd.DataFrame(
                {
                    "n": grid,
                    "graense": limits[f"{side}_{tag}"],
                    "serie": f"{label}-grænser",
                    "linje": f"{side}_{tag}",
                }
            )
            for _, tag, label, _ in FUNNEL_LEVELS
            for side in ("nedre", "oevre")
        ],
        ignore_index=True,
    )
    dashes = alt.Scale(
        domain=[national_label(national), *(f"{label}-grænser" for *_, label, _ in FUNNEL_LEVELS)],
        range=[[1, 0], *(list(dash) for *_, dash in FUNNEL_LEVELS)],
    )
    curves: alt.Chart = (
        alt.Chart(lines)
        .mark_line(color=LIMIT_COLOUR, strokeWidth=1.2)
        .encode(
            x=alt.X("n:Q", axis=count_axis(COUNT_TITLE)),
            y=alt.Y("graense:Q", axis=rate_axis()),
            detail=alt.Detail("linje:N"),
            strokeDash=alt.StrokeDash("serie:N", scale=dashes, legend=group_legend()),
        )
        .properties(name="kontrolgraenser")
    )
    return [curves, national_rule(national, "horizontal", dashes)]


def _funnel_description(
    cases: pd.DataFrame, kommune: int, national: float | None, left_out: int
) -> str:
    shown = f"Tragtdiagrammet viser {kommuner(len(cases))} med realitetsbehandlede sager"
    if left_out:
        shown += f" ({kommuner(left_out)} uden sager er udeladt)"
    chosen = cases[cases["kommunekode"] == kommune]
    name = registry.kommune_name(kommune)
    missing = f"{name} har ingen realitetsbehandlede sager og er ikke vist"
    if national is None:
        where = missing if chosen.empty else f"{name} har {chosen['rate_text'].iloc[0]}"
        return f"{shown}, uden kontrolgrænser, da datafilen ikke giver et landsniveau; {where}."
    where = (
        missing
        if chosen.empty
        else f"{name} ligger med {chosen['rate_text'].iloc[0]} {_position(chosen, national)}"
    )
    (inner, inner_tag, inner_label, _), (outer, outer_tag, outer_label, _) = FUNNEL_LEVELS
    outside = kommuner(int(_outside(cases, national, inner, inner_tag).sum()))
    return (
        f"{shown} i forhold til landsniveauet på {danish.format_pct(national)}. {where}. "
        f"I alt ligger {outside} uden for {inner_label}-grænserne, heraf "
        f"{int(_outside(cases, national, outer, outer_tag).sum())} uden for "
        f"{outer_label}-grænserne."
    )


def _outside(cases: pd.DataFrame, national: float, level: float, tag: str) -> NDArray[np.bool_]:
    """Whether each kommune's rate lies outside the funnel at `level`."""
    limits = stats.funnel_limits(national, cases["realitetsbehandlede"], levels=[level])
    rate = cases["omgoerelsesprocent"].to_numpy()
    below = rate < limits[f"nedre_{tag}"].to_numpy()
    above = rate > limits[f"oevre_{tag}"].to_numpy()
    return np.asarray(below | above, dtype=np.bool_)


def _position(chosen: pd.DataFrame, national: float) -> str:
    """Where a kommune lies in the funnel: "over 99,8 %-grænsen", "inden for ..."."""
    side = "over" if float(chosen["omgoerelsesprocent"].iloc[0]) > national else "under"
    for level, tag, label, _ in reversed(FUNNEL_LEVELS):
        if _outside(chosen, national, level, tag)[0]:
            return f"{side} {label}-grænsen"
    return f"inden for {FUNNEL_LEVELS[0][2]}-grænserne"


# --- 5. ranking -----------------------------------------------------------------------


@built_unchecked
def ranking(table: pd.DataFrame, highlight: int | None = None) -> Figure:
    """All kommuner with cases sorted by omgørelsesprocent, highest first, each as a
    point with its 95 % interval (hollow on few cases), the national rate as a line and
    `highlight` in a contrasting colour with its name in bold."""
    cases = with_texts(rows_with_cases(table))
    cases = cases.sort_values(
        ["omgoerelsesprocent", "kommune"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
    cases.insert(0, "placering", cases["omgoerelsesprocent"].rank(method="min", ascending=False))
    cases, groups, shown = mark_chosen(cases, highlight)
    name = None if highlight is None else registry.kommune_name(highlight)
    result = rate_table(cases, "kommune", "Kommune").assign(**{VERDICT_TITLE: cases["vurdering"]})
    result.insert(0, "Nr.", [f"{int(rank)}." for rank in cases["placering"]])
    if cases.empty:
        return message_figure(NO_KOMMUNER, f"{NO_KOMMUNER}.", result)
    tooltip = tooltips(
        ("kommune", "Kommune"),
        ("rate_text", RATE_TITLE),
        ("interval_text", INTERVAL_TITLE),
        ("vurdering", VERDICT_TITLE),
    )
    layers = dots_with_intervals(
        cases,
        "kommune",
        groups,
        group_legend() if shown else None,
        tooltip,
        _name_axis(name if shown else None),
    )
    national = national_rate(table)
    if national is not None:
        layers.append(national_rule(national, "vertical"))
    chart = alt.layer(*layers, width=WIDTH, height=ROW_HEIGHT * len(cases))
    return Figure(chart, _ranking_description(cases, name, shown, national), result)


def _name_axis(highlight: str | None) -> alt.Axis:
    """The axis of kommune names, the highlighted one in bold and in orange."""
    if highlight is None:
        return alt.Axis(title=None, labelFontSize=10)
    chosen = f"datum.value === {json.dumps(highlight)}"
    return alt.Axis(
        title=None,
        labelFontSize=10,
        labelColor=alt.ExprRef(f"{chosen} ? '{HIGHLIGHT_TEXT_COLOUR}' : '{TEXT_COLOUR}'"),
        labelFontWeight=alt.ExprRef(f"{chosen} ? 'bold' : 'normal'"),
    )


def _ranking_description(
    cases: pd.DataFrame, name: str | None, shown: bool, national: float | None
) -> str:
    top, bottom = cases.iloc[0], cases.iloc[-1]
    text = (
        f"Blandt {kommuner(len(cases))} med realitetsbehandlede sager har {top['kommune']} "
        f"den højeste omgørelsesprocent, {top['rate_text']}, og {bottom['kommune']} den "
        f"laveste, {bottom['rate_text']}"
    )
    if national is not None:
        text += f"; landsniveauet er {danish.format_pct(national)}"
    if shown:
        row = cases[cases["gruppe"] == name].iloc[0]
        text += f"; {name} er nr. {int(row['placering'])} med {row['rate_text']}"
    elif name is not None:
        text += f"; {name} har ingen realitetsbehandlede sager"
    return f"{text}."


# --- 6. distribution of rates ---------------------------------------------------------


@built_unchecked
def distribution(table: pd.DataFrame) -> Figure:
    """A histogram of the kommuner's omgørelsesprocenter in bins of 5 percentage points,
    only kommuner with at least `stats.DEFAULT_MIN_CASES` cases (on fewer, a rate says
    too little to be placed in a bin), with the national rate as a line."""
    enough = table[table["realitetsbehandlede"] >= stats.DEFAULT_MIN_CASES]
    bins = _histogram(enough)
    result = pd.DataFrame(
        {
            "Interval": bins["interval"],
            "Antal kommuner": bins["antal"].astype(str),
            "Kommuner": bins["kommuner"],
        }
    )
    if enough.empty:
        message = f"Ingen kommuner med mindst {stats.DEFAULT_MIN_CASES} realitetsbehandlede sager"
        return message_figure(message, f"{message}.", result)
    bars = (
        alt.Chart(bins)
        .mark_bar(color=KOMMUNE_COLOUR, stroke="#ffffff", strokeWidth=1)
        .encode(
            x=alt.X("start:Q", axis=rate_axis(), scale=alt.Scale(domain=[0, 1])),
            x2=alt.X2("slut:Q"),
            y=alt.Y("antal:Q", axis=count_axis("Antal kommuner")),
            y2=alt.Y2Datum(0),
            tooltip=tooltips(
                ("interval", RATE_TITLE), ("antal", "Antal kommuner"), ("kommuner", "Kommuner")
            ),
        )
        .properties(name="soejler")
    )
    national = national_rate(table)
    layers = [bars] if national is None else [bars, national_rule(national, "vertical")]
    chart = alt.layer(*layers, width=WIDTH, height=HEIGHT)
    return Figure(chart, _distribution_description(table, enough, national), result)


def _histogram(enough: pd.DataFrame) -> pd.DataFrame:
    """Kommuner per bin of 5 percentage points; the bin is found from the counts in
    integer arithmetic, so a rate on a bin edge (9 of 20 = 45 %) lands in the upper bin."""
    index = HISTOGRAM_BINS * enough["omgjort"] // enough["realitetsbehandlede"]
    grouped = enough.groupby(index.clip(upper=HISTOGRAM_BINS - 1).rename("bin"))["kommune"]
    bins = pd.DataFrame(
        {"antal": grouped.size(), "kommuner": grouped.agg(lambda names: ", ".join(sorted(names)))}
    ).reset_index()
    return bins.assign(
        start=bins["bin"] / HISTOGRAM_BINS,
        slut=(bins["bin"] + 1) / HISTOGRAM_BINS,
        interval=[
            f"{danish.format_number(100 * b / HISTOGRAM_BINS, 0)}–"
            f"{danish.format_pct((b + 1) / HISTOGRAM_BINS, 0)}"
            for b in bins["bin"]
        ],
    )


def _distribution_description(
    table: pd.DataFrame, enough: pd.DataFrame, national: float | None
) -> str:
    rates = enough["omgoerelsesprocent"]
    text = (
        f"Omgørelsesprocenten for de {kommuner(len(enough))} med mindst "
        f"{stats.DEFAULT_MIN_CASES} realitetsbehandlede sager ligger mellem "
        f"{danish.format_pct(rates.min())} og {danish.format_pct(rates.max())} med en median "
        f"på {danish.format_pct(rates.median())}"
    )
    if national is not None:
        text += f" (landsniveau {danish.format_pct(national)})"
    return f"{text}; {kommuner(len(table) - len(enough))} med færre sager er ikke med."
