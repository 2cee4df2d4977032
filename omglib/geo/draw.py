"""The Danmarkskort: the 98 kommuner coloured by their omgørelsesprocent.

`danmarkskort(...)` returns a value — the classified GeoDataFrame with its legend, title
and source line — that draws itself either as a static matplotlib figure (PNG, SVG, PDF)
or as an interactive altair chart (HTML, with Danish tooltips), from the same classes.
Nothing here saves or shows: the notebook displays, the CLI and the batch decide formats.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import altair as alt
import geopandas as gpd
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from shapely import affinity

from omglib import registry, stats
from omglib.dataset import Dataset
from omglib.errors import OmgError
from omglib.figures import kommune_table
from omglib.geo.classify import (
    Classes,
    Scheme,
    classify_change,
    classify_level,
)
from omglib.geo.tiles import tile_map
from omglib.present import danish
from omglib.present.display import Figure as ReportFigure
from omglib.present.palette import NO_CASES_LABEL, OUTLINE_COLOUR

Kind = Literal["level", "change"]
BORNHOLM = 400
#: Where Bornholm is moved on a geographic map (metres, EPSG:25832): into a framed inset
#: north-east of Zealand, so the map keeps a sensible aspect ratio.
BORNHOLM_OFFSET = (-95_000.0, 160_000.0)
TILE_SOURCE = "omglibs flisekort (én lige stor flise pr. kommune)"


@dataclass(frozen=True)
class Danmarkskort:
    """A classified map of the kommuner, ready to draw as a figure or a chart."""

    frame: gpd.GeoDataFrame
    legend: tuple[tuple[str, str], ...]
    title: str
    legend_title: str
    source_line: str
    notice: str | None = None
    highlight: int | None = None
    inset: tuple[float, float, float, float] | None = field(default=None)

    def figure(self, width: float = 7.0, height: float = 8.5, dpi: int = 100) -> Figure:
        """A static matplotlib figure (for PNG, SVG and PDF)."""
        figure = Figure(figsize=(width, height), dpi=dpi)
        FigureCanvasAgg(figure)
        axes = figure.add_axes((0.02, 0.08, 0.96, 0.82))
        self.frame.plot(ax=axes, color=self.frame["farve"], edgecolor=OUTLINE_COLOUR, linewidth=0.3)
        no_cases = self.frame[self.frame["klasse"] == NO_CASES_LABEL]
        if len(no_cases):
            no_cases.plot(ax=axes, facecolor="none", edgecolor="#d9d9d9", hatch="////", linewidth=0)
        if self.highlight is not None:
            chosen = self.frame[self.frame["kommunekode"] == self.highlight]
            chosen.boundary.plot(ax=axes, color="#000000", linewidth=2.0)
        if self.inset is not None:
            x0, y0, x1, y1 = self.inset
            axes.add_patch(
                Rectangle(
                    (x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=OUTLINE_COLOUR, linewidth=0.6
                )
            )
        axes.set_axis_off()
        axes.set_aspect("equal")
        handles = [
            Patch(
                facecolor=c,
                edgecolor=OUTLINE_COLOUR,
                label=label,
                hatch="////" if label == NO_CASES_LABEL else None,
            )
            for label, c in self.legend
        ]
        axes.legend(
            handles=handles,
            title=self.legend_title,
            loc="upper right",
            frameon=False,
            fontsize=8,
            title_fontsize=9,
        )
        figure.suptitle(self.title, fontsize=12, x=0.02, ha="left")
        if self.notice:
            figure.text(0.02, 0.925, self.notice, fontsize=8, color="#b30000")
        figure.text(0.02, 0.02, self.source_line, fontsize=7, color="#404040")
        return figure

    def chart(self, width: int = 520, height: int | None = None) -> alt.Chart:
        """An interactive altair chart with Danish tooltips (for HTML); without a
        height, the map's own proportions decide it (no empty bands on the tile map)."""
        if height is None:
            x0, y0, x1, y1 = self.frame.total_bounds
            height = int(min(max(width * (y1 - y0) / (x1 - x0), 300), 700))
        domain = [label for label, _ in self.legend]
        colours = [colour for _, colour in self.legend]
        features = json.loads(
            self.frame[[*TOOLTIP_FIELDS, "klasse", "kommunekode", "geometry"]].to_json()
        )
        highlight = -1 if self.highlight is None else self.highlight
        subtitle = [self.source_line, *([self.notice] if self.notice else [])]
        chart: alt.Chart = (
            alt.Chart(alt.Data(values=features["features"]))  # type: ignore[no-untyped-call]
            .mark_geoshape(stroke=OUTLINE_COLOUR)
            .encode(
                color=alt.Color(
                    "properties.klasse:N",
                    scale=alt.Scale(domain=domain, range=colours),
                    legend=alt.Legend(title=self.legend_title),
                    sort=domain,
                ),
                strokeWidth=alt.condition(
                    f"datum.properties.kommunekode == {highlight}", alt.value(2.5), alt.value(0.4)
                ),
                tooltip=[
                    alt.Tooltip(f"properties.{name}:N", title=name) for name in TOOLTIP_FIELDS
                ],
            )
            .project(type="identity", reflectY=True)
            .properties(
                width=width,
                height=height,
                title=alt.TitleParams(self.title, subtitle=subtitle, anchor="start"),
            )
        )
        return chart

    def description(self) -> str:
        """The map in one Danish sentence, for screen readers and the report caption."""
        counts = self.frame["klasse"].value_counts()
        classes = "; ".join(
            f"{label}: {danish.format_int(int(counts.get(label, 0)))}" for label, _ in self.legend
        )
        chosen = ""
        if self.highlight is not None:
            row = self.frame[self.frame["kommunekode"] == self.highlight].iloc[0]
            chosen = f" {row['Kommune']} er fremhævet ({row['klasse']})."
        return f"{self.title}: antal kommuner i hver klasse – {classes}.{chosen}"

    def table(self) -> pd.DataFrame:
        """The numbers behind the map, one row per kommune: the tooltip's fields and the
        class whose colour the kommune has, so the map can be read without colours."""
        ordered = self.frame.sort_values("kommunekode")
        table = ordered[list(TOOLTIP_FIELDS)].assign(**{CLASS_TITLE: ordered["klasse"]})
        return pd.DataFrame(table).reset_index(drop=True)

    def as_figure(self) -> ReportFigure:
        """The interactive map as a report figure, with its description and numbers."""
        return ReportFigure(self.chart(), self.description(), self.table())

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Any:
        return self.as_figure()._repr_mimebundle_(include, exclude)


CLASS_TITLE = "Klasse på kortet"
TOOLTIP_FIELDS = (
    "Kommune",
    "Omgørelsesprocent",
    "Sager",
    "95 %-interval",
    "Landsniveau",
    "Vurdering",
)


def danmarkskort(
    data: Dataset,
    area: str,
    year: int,
    boundaries: gpd.GeoDataFrame | str | Path | None = None,
    kind: Kind = "level",
    highlight: int | str | None = None,
    scheme: Scheme = "fixed",
    base_year: int | None = None,
    tiles: bool = False,
) -> Danmarkskort:
    """The map of one area and year: the level of the omgørelsesprocent, or its change
    from `base_year` (default the year before). `boundaries` is a GeoDataFrame from
    `load_boundaries`, a path, or else the OMG_BOUNDARIES environment variable; without
    any of them, or with `tiles=True`, the embedded tile map is drawn (every kommune
    equally large, so the small ones around Copenhagen can be read too)."""
    area = registry.resolve_area(area)
    if tiles and boundaries is not None:
        raise OmgError("Vælg enten en grænsefil eller flisekortet, ikke begge.")
    geometry, map_source = (tile_map(), TILE_SOURCE) if tiles else _geometry(boundaries)
    table = kommune_table(data, area, year)
    few_label = f"Under {stats.DEFAULT_MIN_CASES} sager"
    if kind == "level":
        values = table.set_index("kommunekode")
        values["vaerdi"] = values["omgoerelsesprocent"]
        shown = _level_fields(values)
        classes_for = _reindexed(values, geometry)
        classes = classify_level(
            classes_for["rate"], classes_for["few"], classes_for["none"], scheme, few_label
        )
        legend_title = "Omgørelsesprocent"
        title = f"Omgørelsesprocent, {registry.area_text(area)} {year}"
    else:
        base = base_year if base_year is not None else year - 1
        values = _change_values(table, kommune_table(data, area, base))
        shown = _change_fields(values, base, year)
        classes_for = _reindexed(values, geometry)
        classes = classify_change(
            classes_for["rate"], classes_for["few"], classes_for["none"], few_label
        )
        legend_title = f"Ændring {base}-{year}"
        title = f"Ændring i omgørelsesprocent, {registry.area_text(area)} {base}-{year}"
    frame = _join(geometry, shown, classes)
    frame, inset = _place_bornholm(frame) if map_source != TILE_SOURCE else (frame, None)
    return Danmarkskort(
        frame=frame,
        legend=classes.legend,
        title=title,
        legend_title=legend_title,
        source_line=f"Kilde: Ankestyrelsen ({data.provenance.file}); kortgrundlag: {map_source}",
        notice=danish.SYNTHETIC_NOTICE if data.provenance.synthetic else None,
        highlight=None if highlight is None else registry.kommune_code(highlight),
        inset=inset,
    )


def _geometry(boundaries: gpd.GeoDataFrame | str | Path | None) -> tuple[gpd.GeoDataFrame, str]:
    if isinstance(boundaries, gpd.GeoDataFrame):
        return boundaries, str(boundaries.attrs.get("source", "brugerens grænsefil"))
    path = boundaries if boundaries is not None else os.environ.get("OMG_BOUNDARIES")
    if path:
        from omglib.geo.boundaries import load_boundaries

        loaded = load_boundaries(path)
        return loaded, Path(path).name
    return tile_map(), TILE_SOURCE


def _reindexed(values: pd.DataFrame, geometry: gpd.GeoDataFrame) -> pd.DataFrame:
    """Rate, few-cases and no-cases flags per kommune on the map (no data = no cases)."""
    codes = geometry["kommunekode"].to_numpy()
    values = values.reindex(codes)
    cases = values["realitetsbehandlede"].fillna(0)
    return pd.DataFrame(
        {
            "rate": values["vaerdi"],
            "none": (cases == 0) | values["vaerdi"].isna(),
            "few": (cases > 0) & stats.few_cases(cases.to_numpy()),
        },
        index=codes,
    )


def _level_fields(values: pd.DataFrame) -> pd.DataFrame:
    fields: dict[str, Any] = {
        "Kommune": values["kommune"],
        "Omgørelsesprocent": values["omgoerelsesprocent"].map(danish.format_pct),
        "Sager": [
            danish.format_counts(int(k), int(n))
            for k, n in zip(values["omgjort"], values["realitetsbehandlede"], strict=True)
        ],
        "95 %-interval": [danish.interval_text(row) for _, row in values.iterrows()],
        "Landsniveau": values["landsniveau"].map(danish.format_pct),
        "Vurdering": danish.verdict_phrases(values["vurdering"]),
    }
    return values.assign(**fields)


def _change_values(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """Both years side by side; the change is only a value when both rest on enough cases."""
    merged = now.merge(
        before[["kommunekode", "omgjort", "realitetsbehandlede", "omgoerelsesprocent"]],
        on="kommunekode",
        how="left",
        suffixes=("", "_foer"),
    ).set_index("kommunekode")
    before_cases = merged["realitetsbehandlede_foer"].fillna(0)
    enough_before = ~stats.few_cases(before_cases.to_numpy())
    merged["vaerdi"] = (merged["omgoerelsesprocent"] - merged["omgoerelsesprocent_foer"]).where(
        enough_before
    )
    merged["realitetsbehandlede"] = merged["realitetsbehandlede"].where(enough_before, 0)
    return merged


def _change_fields(values: pd.DataFrame, base: int, year: int) -> pd.DataFrame:
    rate_before = values["omgoerelsesprocent_foer"].map(danish.format_pct)
    rate_now = values["omgoerelsesprocent"].map(danish.format_pct)
    fields: dict[str, Any] = {
        "Kommune": values["kommune"],
        "Omgørelsesprocent": [f"{a} → {b}" for a, b in zip(rate_before, rate_now, strict=True)],
        "Sager": [
            f"{int(a or 0)} i {base}, {int(b)} i {year}"
            for a, b in zip(
                values["realitetsbehandlede_foer"].fillna(0),
                values["realitetsbehandlede"],
                strict=True,
            )
        ],
        "95 %-interval": values["vaerdi"].map(danish.format_pp),
        "Landsniveau": values["landsniveau"].map(danish.format_pct),
        "Vurdering": danish.verdict_phrases(values["vurdering"]),
    }
    return values.assign(**fields)


def _join(geometry: gpd.GeoDataFrame, shown: pd.DataFrame, classes: Classes) -> gpd.GeoDataFrame:
    frame = geometry[["kommunekode", "geometry"]].copy()
    fields = shown.reindex(frame["kommunekode"].to_numpy())
    for name in TOOLTIP_FIELDS:
        frame[name] = fields[name].fillna(danish.NO_VALUE).to_numpy()
    frame["Kommune"] = frame["kommunekode"].map(registry.kommune_name)
    frame["Sager"] = frame["Sager"].replace(danish.NO_VALUE, "ingen sager")
    frame["klasse"] = classes.labels.to_numpy()
    frame["farve"] = classes.colours.to_numpy()
    return frame


def _place_bornholm(
    frame: gpd.GeoDataFrame,
) -> tuple[gpd.GeoDataFrame, tuple[float, float, float, float] | None]:
    """Move Bornholm into a framed inset; returns the frame's bounds."""
    is_bornholm = frame["kommunekode"] == BORNHOLM
    if not is_bornholm.any():
        return frame, None
    frame = frame.copy()
    dx, dy = BORNHOLM_OFFSET
    moved = frame.loc[is_bornholm, "geometry"].map(lambda g: affinity.translate(g, dx, dy))
    frame.loc[is_bornholm, "geometry"] = moved
    x0, y0, x1, y1 = gpd.GeoSeries(moved).total_bounds
    margin = 6_000.0
    return frame, (x0 - margin, y0 - margin, x1 + margin, y1 + margin)


def check_kind(kind: str) -> Kind:
    """The map kind from a CLI value."""
    if kind not in ("level", "change"):
        raise OmgError(f"Ukendt korttype '{kind}' – forventede 'level' eller 'change'")
    return "level" if kind == "level" else "change"
