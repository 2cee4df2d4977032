"""The report's charts: tidy frames in, `Figure` values out.

Every function takes a frame with canonical columns (from `omglib.figures`, or the
outcome and provision breakdowns) and returns a `Figure`: an altair chart, one Danish
sentence on what it shows with its key numbers, and the numbers behind it as Danish
text. Nothing here saves, shows or prints; the notebook displays, the report decides
the format.

Conventions, kept by the helpers below:

* every rate comes with its counts ("47,1 % (16 af 34)") in tooltips and tables, and
  with its 95 % interval drawn as a band or an error bar, because a kommune's rate often
  rests on a handful of cases;
* numbers are Danish: text is preformatted in the data, and axis labels are built with
  Vega expressions, so a chart reads the same in the browser and in vl-convert's SVG
  whatever their locale;
* charts are deterministic (same input, same `to_dict()`): no selection parameters, no
  auto-numbered names, explicit width and height, layers named explicitly;
* colours come from the colour-blind safe ColorBrewer palettes of the Danmarkskort.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Final, Literal

import altair as alt
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from omglib import registry, stats
from omglib.figures import KeyFigures
from omglib.geo.classify import DIVERGING, FEW_CASES_COLOUR, NO_CASES_LABEL, SEQUENTIAL
from omglib.learning import analyses
from omglib.present import danish
from omglib.present.contrast import blend, hex_colour, readable_text_colour
from omglib.present.display import Figure

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
    "Afvist": FEW_CASES_COLOUR,
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


def _row_rate_text(row: pd.Series) -> str:
    return rate_text(
        float(row["omgoerelsesprocent"]), int(row["omgjort"]), int(row["realitetsbehandlede"])
    )


def _case_count(total: int) -> str:
    """A number of cases as text: "1 sag", "1.234 sager"."""
    return f"{danish.format_int(total)} {'sag' if total == 1 else 'sager'}"


def _kommuner(count: int) -> str:
    return f"{count} kommune" if count == 1 else f"{count} kommuner"


def _with_texts(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with Danish texts for tooltips and tables added: `rate_text`,
    `interval_text` and `sagsgrundlag` (whether the rate rests on few cases: the frame's
    own `faa_sager` flag where it has one, else fewer than `stats.DEFAULT_MIN_CASES`)."""
    few = (
        frame["faa_sager"].to_numpy(dtype=bool)
        if "faa_sager" in frame.columns
        else stats.few_cases(frame["realitetsbehandlede"].to_numpy())
    )
    return frame.assign(
        rate_text=[_row_rate_text(row) for _, row in frame.iterrows()],
        interval_text=[
            danish.format_interval(low, high)
            for low, high in zip(frame["omgoerelse_nedre"], frame["omgoerelse_oevre"], strict=True)
        ],
        sagsgrundlag=np.where(few, FEW_CASES, ENOUGH_CASES),
    )


def _rate_axis(title: str = RATE_TITLE) -> alt.Axis:
    return alt.Axis(title=title, labelExpr=PERCENT_LABELS, tickMinStep=0.01)


def _count_axis(title: str) -> alt.Axis:
    return alt.Axis(title=title, labelExpr=COUNT_LABELS, tickMinStep=1)


def _tooltips(*fields: tuple[str, str]) -> list[alt.Tooltip]:
    """Tooltips of preformatted text fields, given as (field, Danish title)."""
    return [alt.Tooltip(f"{field}:N", title=title) for field, title in fields]


def _legend(title: str | None = None) -> alt.Legend:
    return alt.Legend(title=title, orient="bottom")


def _national_label(rate: float) -> str:
    return f"{NATIONAL_TITLE} ({danish.format_pct(rate)})"


def _national_rule(rate: float, orient: Orient, dashes: alt.Scale | None = None) -> alt.Chart:
    """The national rate as a rule across the chart, dashed unless `dashes` (a scale
    shared with other lines of the chart) says otherwise, with a legend entry."""
    label = _national_label(rate)
    data = pd.DataFrame({"landsniveau": [rate], "serie": [label]})
    dash = alt.StrokeDash(
        "serie:N",
        scale=dashes or alt.Scale(domain=[label], range=[[6, 4]]),
        legend=_legend(),
    )
    rule = alt.Chart(data).mark_rule(color=NATIONAL_COLOUR, strokeWidth=1.5)
    if orient == "horizontal":
        rule = rule.encode(y=alt.Y("landsniveau:Q", axis=_rate_axis()), strokeDash=dash)
    else:
        rule = rule.encode(x=alt.X("landsniveau:Q", axis=_rate_axis()), strokeDash=dash)
    named: alt.Chart = rule.properties(name="landsniveau")
    return named


def _dots_with_intervals(
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
        x=alt.X("omgoerelsesprocent:Q", axis=_rate_axis()),
    )
    bars = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("omgoerelse_nedre:Q", axis=_rate_axis()),
        x2="omgoerelse_oevre:Q",
        color=alt.Color("gruppe:N", scale=groups, legend=legend),
        tooltip=tooltip,
    )
    discs = base.mark_point(filled=True, size=POINT_SIZE, opacity=1, color="#ffffff")
    points = base.mark_point(filled=True, size=POINT_SIZE, opacity=1).encode(
        color=alt.Color("gruppe:N", scale=groups, legend=legend),
        shape=alt.Shape(
            "sagsgrundlag:N",
            scale=alt.Scale(domain=[ENOUGH_CASES, FEW_CASES], range=["circle", RING]),
            legend=_legend("Sagsgrundlag"),
        ),
        tooltip=tooltip,
    )
    return [
        bars.properties(name="interval"),
        discs.properties(name="baggrund"),
        points.properties(name="punkter"),
    ]


def _band_fill() -> alt.Fill:
    """The interval band's fill, from the constant field `baand`, so the legend
    explains the band."""
    return alt.Fill(
        "baand:N",
        scale=alt.Scale(domain=[INTERVAL_TITLE], range=[BAND_COLOUR]),
        legend=alt.Legend(title=None, orient="bottom", symbolType="square"),
    )


def _message_figure(message: str, description: str, table: pd.DataFrame) -> Figure:
    """A figure without data to draw: the message as text, so a report never shows an
    empty frame."""
    chart = (
        alt.Chart(pd.DataFrame({"tekst": [message]}))
        .mark_text(fontSize=14, color=NATIONAL_COLOUR)
        .encode(text="tekst:N")
        .properties(width=WIDTH, height=60)
    )
    return Figure(chart, description, table)


def _area_text(area: str) -> str:
    """An area in running text: "børnehandicapområdet", but "SEL § 41" unchanged."""
    name = registry.area_name(area)
    return name.lower() if area in registry.areas() else name


def _with_cases(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["realitetsbehandlede"] > 0].reset_index(drop=True)


def _mark_chosen(cases: pd.DataFrame, kommune: int | None) -> tuple[pd.DataFrame, alt.Scale, bool]:
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


def _national_rate(table: pd.DataFrame) -> float | None:
    """The table's national rate; None where the data give none."""
    rates = table["landsniveau"].dropna()
    return None if rates.empty else float(rates.iloc[0])


def _rate_table(frame: pd.DataFrame, label_column: str, label_title: str) -> pd.DataFrame:
    """The Danish table behind a chart of rates: label, rate with counts, interval."""
    return pd.DataFrame(
        {
            label_title: frame[label_column].astype(str),
            RATE_TITLE: frame["rate_text"],
            INTERVAL_TITLE: frame["interval_text"],
        }
    ).reset_index(drop=True)


# --- 1. the kommune's trend ------------------------------------------------------------


def trend(key: KeyFigures) -> Figure:
    """The kommune's omgørelsesprocent per year as a line with points, its 95 % interval
    as a band and the national rate as a dashed line. Years without cases have no point
    and break the line and band, so no rate is suggested where there is none."""
    frame = _with_texts(key.trend).assign(
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
        y=alt.Y("omgoerelse_nedre:Q", axis=_rate_axis()),
        y2="omgoerelse_oevre:Q",
        fill=_band_fill(),
    )
    lines = [
        base.mark_line(strokeWidth=2 if layer == "kommune" else 1.5)
        .encode(
            y=alt.Y(f"{column}:Q", axis=_rate_axis()),
            color=alt.Color(f"{layer}_serie:N", scale=colours, legend=_legend()),
            strokeDash=alt.StrokeDash(f"{layer}_serie:N", scale=dashes, legend=_legend()),
        )
        .properties(name=layer)
        for *_, layer, column in reversed(series)  # the kommune's line on top
    ]
    points = base.mark_point(filled=True, size=50, color=KOMMUNE_COLOUR, opacity=1).encode(
        y=alt.Y("omgoerelsesprocent:Q", axis=_rate_axis()),
        tooltip=_tooltips(
            ("aar", "År"),
            ("rate_text", RATE_TITLE),
            ("interval_text", INTERVAL_TITLE),
            ("landsniveau_text", NATIONAL_TITLE),
        ),
    )
    chart = alt.layer(
        band.properties(name="interval"), *lines, points.properties(name="punkter")
    ).properties(width=WIDTH, height=HEIGHT)
    table = _rate_table(frame, "aar", "År").assign(**{NATIONAL_TITLE: frame["landsniveau_text"]})
    return Figure(chart, _trend_description(key), table)


def _trend_description(key: KeyFigures) -> str:
    subject = f"Omgørelsesprocenten for {key.kommune}, {_area_text(key.area)},"
    years = _with_cases(key.trend)
    if years.empty:
        return f"{subject} kan ikke vises, da der ikke er realitetsbehandlede sager i årene."
    first, last = years.iloc[0], years.iloc[-1]
    course = f"var {_row_rate_text(first)} i {int(first['aar'])}"
    if len(years) > 1:
        course += f" og {_row_rate_text(last)} i {int(last['aar'])}"
    if pd.notna(last["landsniveau"]):
        course += f" mod et landsniveau på {danish.format_pct(last['landsniveau'])}"
    return f"{subject} {course}: {key.trend_test.verdict}."


# --- 2. outcomes against the country --------------------------------------------------


def outcomes(distribution: pd.DataFrame) -> Figure:
    """The outcomes (udfald) of the kommune and of the whole country as horizontal 100 %
    bars, one per `hvem` in input order; shares with counts and 95 % intervals in the
    tooltips, the number of cases in each bar's label."""
    frame = _outcome_segments(distribution)
    kinds = list(dict.fromkeys(frame["udfald"]))
    base = alt.Chart(frame).encode(
        y=alt.Y("raekke:N", sort=list(dict.fromkeys(frame["raekke"])), title=None),
        tooltip=_tooltips(
            ("hvem", "Hvem"),
            ("udfald", "Udfald"),
            ("andel_text", "Andel"),
            ("interval_text", INTERVAL_TITLE),
        ),
    )
    bars = base.mark_bar(stroke=OUTLINE_COLOUR, strokeWidth=0.5).encode(
        x=alt.X("start:Q", axis=_rate_axis("Andel af sagerne"), scale=alt.Scale(domain=[0, 1])),
        x2="slut:Q",
        color=alt.Color(
            "udfald:N",
            scale=alt.Scale(domain=kinds, range=_outcome_colours(kinds)),
            legend=_legend("Udfald"),
        ),
    )
    labels = (
        base.transform_filter(f"datum.andel_i_bjaelken >= {MIN_LABELLED_SHARE}")
        .mark_text(fontSize=11)
        .encode(x="midte:Q", text="etiket:N", color=alt.Color("tekstfarve:N", scale=None))
    )
    who = list(dict.fromkeys(frame["hvem"]))
    chart = alt.layer(bars.properties(name="udfald"), labels.properties(name="etiketter"))
    chart = chart.properties(width=WIDTH, height=BAR_HEIGHT * len(who))
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
        raekke=[f"{who} ({_case_count(n)})" for who, n in zip(frame["hvem"], total, strict=True)],
        start=end - share,
        slut=end,
        midte=end - share / 2,
        andel_i_bjaelken=share,
        andel_text=[
            rate_text(a, int(k), int(n))
            for a, k, n in zip(frame["andel"], frame["antal"], total, strict=True)
        ],
        interval_text=[danish.format_interval(lo, hi) for lo, hi in zip(lower, upper, strict=True)],
        etiket=[danish.format_pct(a, decimals=0) for a in frame["andel"]],
        tekstfarve=[readable_text_colour(colours[kind]) for kind in frame["udfald"]],
    )


def _outcome_colours(kinds: Sequence[str]) -> list[str]:
    """Known outcomes get their fixed colour, any other label the next spare one."""
    spare = iter(SPARE_OUTCOME_COLOURS)
    unknown = {kind: next(spare) for kind in dict.fromkeys(kinds) if kind not in OUTCOME_COLOURS}
    return [OUTCOME_COLOURS.get(kind) or unknown[kind] for kind in kinds]


def _outcome_description(frame: pd.DataFrame) -> str:
    parts = [
        f"{who} ({_case_count(int(rows['sager_i_alt'].iloc[0]))}): "
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


# --- 3. provisions --------------------------------------------------------------------


def provisions(breakdown: pd.DataFrame) -> Figure:
    """The omgørelsesprocent per provision (paragraf, in input order) as a point with
    its 95 % interval, hollow where it rests on few cases, and the national rate for the
    same provision as a tick. Without a breakdown the figure says so."""
    frame = _with_texts(breakdown).assign(
        gruppe=KOMMUNE_SERIES,
        serie=PROVISION_NATIONAL,
        landsniveau_text=breakdown["landsniveau"].map(danish.format_pct),
    )
    table = _rate_table(frame, "paragraf", "Paragraf").assign(
        **{NATIONAL_TITLE: frame["landsniveau_text"], "Sagsgrundlag": frame["sagsgrundlag"]}
    )
    if frame.empty:
        return _message_figure(NO_PROVISIONS, f"{NO_PROVISIONS}.", table)
    tooltip = _tooltips(
        ("paragraf", "Paragraf"),
        ("rate_text", RATE_TITLE),
        ("interval_text", INTERVAL_TITLE),
        ("landsniveau_text", NATIONAL_TITLE),
    )
    groups = alt.Scale(
        domain=[KOMMUNE_SERIES, PROVISION_NATIONAL], range=[KOMMUNE_COLOUR, NATIONAL_COLOUR]
    )
    layers = _dots_with_intervals(
        frame, "paragraf", groups, _legend(), tooltip, alt.Axis(title="Paragraf")
    )
    ticks = (
        alt.Chart(frame)
        .mark_tick(thickness=2, size=ROW_HEIGHT)
        .encode(
            x=alt.X("landsniveau:Q", axis=_rate_axis()),
            y=alt.Y("paragraf:N", sort=list(frame["paragraf"])),
            color=alt.Color("serie:N", scale=groups, legend=_legend()),
            tooltip=tooltip,
        )
        .properties(name="landsniveau")
    )
    chart = alt.layer(*layers, ticks).properties(width=WIDTH, height=ROW_HEIGHT * 2 * len(frame))
    return Figure(chart, _provision_description(frame), table)


def _provision_description(frame: pd.DataFrame) -> str:
    with_cases = _with_cases(frame)
    if with_cases.empty:
        return f"Ingen af de {len(frame)} paragraffer har realitetsbehandlede sager."
    ordered = with_cases.sort_values("omgoerelsesprocent", kind="stable")
    low, high = ordered.iloc[0], ordered.iloc[-1]
    if len(with_cases) == 1:
        text = f"Omgørelsesprocenten ved {low['paragraf']} er {_row_rate_text(low)}"
    else:
        text = (
            f"Omgørelsesprocenten pr. paragraf går fra {_row_rate_text(low)} ved "
            f"{low['paragraf']} til {_row_rate_text(high)} ved {high['paragraf']}"
        )
    few = int((frame["sagsgrundlag"] == FEW_CASES).sum())
    return (
        f"{text}; {few} af {len(frame)} paragraffer har under "
        f"{stats.DEFAULT_MIN_CASES} sager (hule punkter)."
    )


# --- 4. funnel plot -------------------------------------------------------------------


def funnel(table: pd.DataFrame, kommune: int) -> Figure:
    """Funnel plot: every kommune with cases at (cases, rate), the national rate as a
    line and its 95 % and 99,8 % control limits as curves; `kommune` highlighted and
    labelled. A kommune outside the 95 % limits differs significantly from the national
    rate (the limits agree with `stats.compare_to_reference`)."""
    cases, groups, shown = _mark_chosen(_with_texts(_with_cases(table)), kommune)
    result = _rate_table(cases, "kommune", "Kommune").assign(**{VERDICT_TITLE: cases["vurdering"]})
    if cases.empty:
        return _message_figure(NO_KOMMUNER, f"{NO_KOMMUNER}.", result)
    national = _national_rate(table)
    layers = [] if national is None else _funnel_lines(national, cases)
    points = _funnel_points(cases, groups, kommune if shown else None)
    chart = alt.layer(*layers, *points).properties(width=WIDTH, height=HEIGHT)
    description = _funnel_description(cases, kommune, national, len(table) - len(cases))
    return Figure(chart, description, result)


def _funnel_points(cases: pd.DataFrame, groups: alt.Scale, kommune: int | None) -> list[alt.Chart]:
    """The kommuner as points coloured by `groups`; the chosen kommune drawn last (on
    top) and labelled with its name."""
    chosen = cases["kommunekode"] == kommune
    cases = pd.concat([cases[~chosen], cases[chosen]], ignore_index=True)
    x = alt.X("realitetsbehandlede:Q", axis=_count_axis(COUNT_TITLE))
    y = alt.Y("omgoerelsesprocent:Q", axis=_rate_axis())
    points = (
        alt.Chart(cases)
        .mark_point(filled=True, size=45, opacity=0.85, stroke=OUTLINE_COLOUR, strokeWidth=0.5)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "gruppe:N", scale=groups, legend=None if kommune is None else _legend()
            ),
            tooltip=_tooltips(
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
        .encode(x=x, y=y, text="kommune:N")
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
        domain=[_national_label(national), *(f"{label}-grænser" for *_, label, _ in FUNNEL_LEVELS)],
        range=[[1, 0], *(list(dash) for *_, dash in FUNNEL_LEVELS)],
    )
    curves: alt.Chart = (
        alt.Chart(lines)
        .mark_line(color=LIMIT_COLOUR, strokeWidth=1.2)
        .encode(
            x=alt.X("n:Q", axis=_count_axis(COUNT_TITLE)),
            y=alt.Y("graense:Q", axis=_rate_axis()),
            detail="linje:N",
            strokeDash=alt.StrokeDash("serie:N", scale=dashes, legend=_legend()),
        )
        .properties(name="kontrolgraenser")
    )
    return [curves, _national_rule(national, "horizontal", dashes)]


def _funnel_description(
    cases: pd.DataFrame, kommune: int, national: float | None, left_out: int
) -> str:
    shown = f"Tragtdiagrammet viser {_kommuner(len(cases))} med realitetsbehandlede sager"
    if left_out:
        shown += f" ({_kommuner(left_out)} uden sager er udeladt)"
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
    return (
        f"{shown} omkring landsniveauet på {danish.format_pct(national)}: {where}, og "
        f"{_kommuner(int(_outside(cases, national, inner, inner_tag).sum()))} ligger uden for "
        f"{inner_label}-grænserne, heraf {int(_outside(cases, national, outer, outer_tag).sum())} "
        f"uden for {outer_label}-grænserne."
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


def ranking(table: pd.DataFrame, highlight: int | None = None) -> Figure:
    """All kommuner with cases sorted by omgørelsesprocent, highest first, each as a
    point with its 95 % interval (hollow on few cases), the national rate as a line and
    `highlight` in a contrasting colour with its name in bold."""
    cases = _with_texts(_with_cases(table))
    cases = cases.sort_values(
        ["omgoerelsesprocent", "kommune"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
    cases.insert(0, "placering", cases["omgoerelsesprocent"].rank(method="min", ascending=False))
    cases, groups, shown = _mark_chosen(cases, highlight)
    name = None if highlight is None else registry.kommune_name(highlight)
    result = _rate_table(cases, "kommune", "Kommune").assign(**{VERDICT_TITLE: cases["vurdering"]})
    result.insert(0, "Nr.", [f"{int(rank)}." for rank in cases["placering"]])
    if cases.empty:
        return _message_figure(NO_KOMMUNER, f"{NO_KOMMUNER}.", result)
    tooltip = _tooltips(
        ("kommune", "Kommune"),
        ("rate_text", RATE_TITLE),
        ("interval_text", INTERVAL_TITLE),
        ("vurdering", VERDICT_TITLE),
    )
    layers = _dots_with_intervals(
        cases,
        "kommune",
        groups,
        _legend() if shown else None,
        tooltip,
        _name_axis(name if shown else None),
    )
    national = _national_rate(table)
    if national is not None:
        layers.append(_national_rule(national, "vertical"))
    chart = alt.layer(*layers).properties(width=WIDTH, height=ROW_HEIGHT * len(cases))
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
        f"Blandt {_kommuner(len(cases))} med realitetsbehandlede sager har {top['kommune']} "
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
        return _message_figure(message, f"{message}.", result)
    bars = (
        alt.Chart(bins)
        .mark_bar(color=KOMMUNE_COLOUR, stroke="#ffffff", strokeWidth=1)
        .encode(
            x=alt.X("start:Q", axis=_rate_axis(), scale=alt.Scale(domain=[0, 1])),
            x2="slut:Q",
            y=alt.Y("antal:Q", axis=_count_axis("Antal kommuner")),
            y2=alt.Y2Datum(0),
            tooltip=_tooltips(
                ("interval", RATE_TITLE), ("antal", "Antal kommuner"), ("kommuner", "Kommuner")
            ),
        )
        .properties(name="soejler")
    )
    national = _national_rate(table)
    layers = [bars] if national is None else [bars, _national_rule(national, "vertical")]
    chart = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT)
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
        f"Omgørelsesprocenten for de {_kommuner(len(enough))} med mindst "
        f"{stats.DEFAULT_MIN_CASES} realitetsbehandlede sager ligger mellem "
        f"{danish.format_pct(rates.min())} og {danish.format_pct(rates.max())} med en median "
        f"på {danish.format_pct(rates.median())}"
    )
    if national is not None:
        text += f" (landsniveau {danish.format_pct(national)})"
    return f"{text}; {_kommuner(len(table) - len(enough))} med færre sager er ikke med."


# --- 7. the national trend ------------------------------------------------------------


def national_trend(national: pd.DataFrame) -> Figure:
    """The national omgørelsesprocent per year as a line with points and its 95 %
    interval as a band; counts and what the figure rests on (`grundlag`) in tooltips."""
    frame = _with_texts(national).assign(baand=INTERVAL_TITLE)
    result = _rate_table(frame, "aar", "År").assign(Grundlag=frame["grundlag"])
    if frame.empty:
        return _message_figure(NO_NATIONAL, f"{NO_NATIONAL}.", result)
    base = alt.Chart(frame).encode(x=alt.X("aar:O", title="År", axis=alt.Axis(labelAngle=0)))
    y = alt.Y("omgoerelsesprocent:Q", axis=_rate_axis())
    band = base.mark_area(stroke=KOMMUNE_COLOUR, strokeWidth=1).encode(
        y=alt.Y("omgoerelse_nedre:Q", axis=_rate_axis()),
        y2="omgoerelse_oevre:Q",
        fill=_band_fill(),
    )
    line = base.mark_line(color=KOMMUNE_COLOUR, strokeWidth=2).encode(y=y)
    points = base.mark_point(filled=True, size=50, color=KOMMUNE_COLOUR, opacity=1).encode(
        y=y,
        tooltip=_tooltips(
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
    ).properties(width=WIDTH, height=HEIGHT)
    return Figure(chart, _national_trend_description(frame), result)


def _national_trend_description(frame: pd.DataFrame) -> str:
    years = _with_cases(frame)
    first, last = years.iloc[0], years.iloc[-1]
    text = (
        f"Landsniveauet for omgørelsesprocenten var {_row_rate_text(first)} i {int(first['aar'])}"
    )
    if len(years) > 1:
        ordered = years.sort_values("omgoerelsesprocent", kind="stable")
        low, high = ordered.iloc[0], ordered.iloc[-1]
        text += (
            f" og {_row_rate_text(last)} i {int(last['aar'])}; lavest "
            f"{danish.format_pct(low['omgoerelsesprocent'])} i {int(low['aar'])}, højest "
            f"{danish.format_pct(high['omgoerelsesprocent'])} i {int(high['aar'])}"
        )
    return f"{text}."


# --- the learning loop ------------------------------------------------------------------

NO_REASONS: Final = "Ingen omgjorte sager med registreret årsag"
NO_REMANDS: Final = "Ingen hjemviste sager"


def reasons(ranking: analyses.ReasonRanking) -> Figure:
    """Reasons for overturning as a Pareto chart: a bar per reason (cases naming it),
    most frequent first, and the cumulative share of all reasons named as a line."""
    frame = ranking.table.assign(
        sager_text=[danish.format_int(int(n)) for n in ranking.table["sager"]],
        andel_text=ranking.table["andel"].map(lambda a: danish.format_pct(a, 0)),
        kumuleret_text=ranking.table["kumuleret"].map(lambda a: danish.format_pct(a, 0)),
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
        return _message_figure(NO_REASONS, ranking.text, table)
    order = frame["aarsag"].tolist()
    base = alt.Chart(frame).encode(
        x=alt.X("aarsag:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30, labelLimit=220)),
        tooltip=_tooltips(
            ("aarsag", "Årsag"),
            ("sager_text", "Sager"),
            ("andel_text", "Andel"),
            ("kumuleret_text", "Kumuleret"),
        ),
    )
    bars = base.mark_bar(color=KOMMUNE_COLOUR, stroke=OUTLINE_COLOUR, strokeWidth=0.5).encode(
        y=alt.Y("sager:Q", axis=_count_axis("Omgjorte sager"))
    )
    line = base.mark_line(
        color=NATIONAL_COLOUR,
        strokeWidth=2,
        point=alt.OverlayMarkDef(color=NATIONAL_COLOUR, filled=True, size=40),
    ).encode(
        y=alt.Y("kumuleret:Q", axis=_rate_axis("Kumuleret andel"), scale=alt.Scale(domain=[0, 1]))
    )
    chart = (
        alt.layer(bars.properties(name="aarsager"), line.properties(name="kumuleret"))
        .resolve_scale(y="independent")
        .properties(width=WIDTH, height=HEIGHT)
    )
    return Figure(chart, ranking.text, table)


def follow_up(result: analyses.FollowUp) -> Figure:
    """What happened after the remands: a bar per follow-up in the coded order, with
    its count of the remands."""
    frame = result.table.assign(
        etiket=[
            f"{danish.format_int(int(n))} af {danish.format_int(result.remands)}"
            for n in result.table["sager"]
        ],
        andel_text=result.table["andel"].map(lambda a: danish.format_pct(a, 0)),
    )
    table = pd.DataFrame(
        {"Opfølgning": frame["opfoelgning"], "Sager": frame["etiket"], "Andel": frame["andel_text"]}
    )
    if result.remands == 0:
        return _message_figure(NO_REMANDS, result.text, table)
    base = alt.Chart(frame).encode(
        y=alt.Y("opfoelgning:N", sort=frame["opfoelgning"].tolist(), title=None),
        tooltip=_tooltips(
            ("opfoelgning", "Opfølgning"), ("etiket", "Sager"), ("andel_text", "Andel")
        ),
    )
    bars = base.mark_bar(color=KOMMUNE_COLOUR, stroke=OUTLINE_COLOUR, strokeWidth=0.5).encode(
        x=alt.X("sager:Q", axis=_count_axis("Hjemviste sager"))
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11, color=TEXT_COLOUR).encode(
        x="sager:Q", text="etiket:N"
    )
    chart = alt.layer(bars.properties(name="opfoelgning"), labels.properties(name="tal"))
    chart = chart.properties(width=WIDTH - 120, height=ROW_HEIGHT * 2 * len(frame))
    return Figure(chart, result.text, table)
