"""The Danmarkskort: the 98 kommuner coloured by their omgørelsesprocent.

`danmarkskort(...)` returns a value — the classified GeoDataFrame with its legend, title
and source line — that draws itself either as a static matplotlib figure (PNG, SVG, PDF)
or as an interactive altair chart (HTML, with Danish tooltips), from the same classes.
Nothing here saves or shows: the notebook displays, the CLI and the batch decide formats.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import altair as alt
import geopandas as gpd
import pandas as pd

from omglib import memo, registry, stats
from omglib.dataset import Dataset
from omglib.errors import OmgError
from omglib.figures import kommune_table
from omglib.geo.classify import (
    Classes,
    Scheme,
    classify_change,
    classify_level,
)
from omglib.geo.embedded import ATTRIBUTION, embedded_boundaries
from omglib.geo.insets import Inset, capital_inset, place_bornholm
from omglib.geo.interactive import CLASS_TITLE, TOOLTIP_FIELDS, interactive_chart
from omglib.geo.static import static_figure
from omglib.geo.tiles import tile_map
from omglib.present import danish
from omglib.present.display import Figure as ReportFigure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Kind = Literal["level", "change"]
TILE_SOURCE = "omglibs flisekort (én lige stor flise pr. kommune)"
EMBEDDED_SOURCE = "kommunegrænser fra DAGI, forenklet (følger med omglib)"


@dataclass(frozen=True)
class Danmarkskort:
    """A classified map of the kommuner, ready to draw as a figure or a chart.

    `frame` holds one row per kommune (geometry, tooltip fields, `klasse`, `farve`);
    on a geographic map `enlarged` holds the Copenhagen-area kommuner once more, enlarged
    into their inset, and `insets` the framed insets (Bornholm, Copenhagen)."""

    frame: gpd.GeoDataFrame
    legend: tuple[tuple[str, str], ...]
    title: str
    legend_title: str
    source_line: str
    map_source_line: str
    notice: str | None = None
    highlight: int | None = None
    insets: tuple[Inset, ...] = ()
    enlarged: gpd.GeoDataFrame | None = field(default=None)
    attribution: str | None = None
    tiles: bool = False

    @property
    def layers(self) -> list[gpd.GeoDataFrame]:
        """The kommune shapes to draw: the map, and the enlarged inset when there is one."""
        return [self.frame, *([self.enlarged] if self.enlarged is not None else [])]

    @property
    def credits(self) -> list[str]:
        """The lines under the map: the data's source, the boundaries' source and
        attribution, the notice."""
        given = (self.attribution, self.notice)
        return [self.source_line, self.map_source_line, *[t for t in given if t]]

    def highlighted_name(self) -> str | None:
        if self.highlight is None:
            return None
        return registry.kommune_name(self.highlight)

    def extent(self) -> tuple[float, float, float, float]:
        """The bounds of everything on the map, kommuner and insets (x0, y0, x1, y1)."""
        bounds = [tuple(self.frame.total_bounds), *(inset.bounds for inset in self.insets)]
        return (
            float(min(b[0] for b in bounds)),
            float(min(b[1] for b in bounds)),
            float(max(b[2] for b in bounds)),
            float(max(b[3] for b in bounds)),
        )

    def figure(self, width: float = 7.0, height: float | None = None, dpi: int = 100) -> Figure:
        """A static matplotlib figure (for PNG, SVG and PDF); without a height, the
        map's proportions decide it."""
        return static_figure(self, width, height, dpi)

    def chart(self, width: int = 520, height: int | None = None) -> alt.LayerChart:
        """An interactive altair chart with Danish tooltips (for HTML); without a
        height, the map's own proportions decide it (no empty bands on the tile map)."""
        return interactive_chart(self, width, height)

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
        inset = next((i for i in self.insets if i.label.startswith("København")), None)
        shown = f" {inset.label.capitalize()} er vist i et udsnit." if inset else ""
        return f"{self.title}: antal kommuner i hver klasse – {classes}.{chosen}{shown}"

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
    any of them the kommune boundaries that ship with omglib are drawn (DAGI,
    `omglib.geo.embedded`), with Bornholm and an enlarged Copenhagen area in insets.
    `tiles=True` draws the tile map instead (every kommune equally large)."""
    area = registry.resolve_area(area)
    if tiles and boundaries is not None:
        raise OmgError("Vælg enten en grænsefil eller flisekortet, ikke begge.")
    geometry, map_source = (tile_map(), TILE_SOURCE) if tiles else _geometry(boundaries)
    classify = functools.partial(
        _classified, data, area, year, geometry, map_source, kind, scheme, base_year, tiles
    )
    given = isinstance(boundaries, gpd.GeoDataFrame)
    geometry_key = None if given else _geometry_key(geometry, tiles)
    if geometry_key is None:
        kort = classify()
    else:
        key = ("danmarkskort", area, year, geometry_key, map_source, kind, scheme, base_year, tiles)
        kort = memo.kept(data, key, classify)
    return replace(kort, highlight=None if highlight is None else registry.kommune_code(highlight))


def _classified(
    data: Dataset,
    area: str,
    year: int,
    geometry: gpd.GeoDataFrame,
    map_source: str,
    kind: Kind,
    scheme: Scheme,
    base_year: int | None,
    tiles: bool,
) -> Danmarkskort:
    """The map of `danmarkskort` without a highlighted kommune: the same for every
    report of a batch on the area and year, so it is made once (`memo.kept`)."""
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
    insets: list[Inset] = []
    enlarged = None
    if not tiles:
        frame, bornholm = place_bornholm(frame)
        enlarged, capital = capital_inset(frame)
        insets = [inset for inset in (bornholm, capital) if inset is not None]
    return Danmarkskort(
        frame=frame,
        legend=classes.legend,
        title=title,
        legend_title=legend_title,
        source_line=_source_line(data),
        map_source_line=f"Kortgrundlag: {map_source}",
        notice=danish.SYNTHETIC_NOTICE if data.provenance.synthetic else None,
        insets=tuple(insets),
        enlarged=enlarged if enlarged is not None and len(enlarged) else None,
        attribution=ATTRIBUTION if geometry.attrs.get("embedded") else None,
        tiles=tiles,
    )


def _source_line(data: Dataset) -> str:
    """The map's credit for its numbers: the data file with the date of its extract, or
    that the file does not state it."""
    extract = danish.extract_date_text(data.provenance.extract_date)
    return f"Kilde: Ankestyrelsen ({data.provenance.file}, {extract})"


def _geometry_key(geometry: gpd.GeoDataFrame, tiles: bool) -> tuple[str, ...] | None:
    """What boundaries omglib itself loaded are, by content: the tile map, the embedded
    boundaries, or a prepared boundary file by its SHA-256 and simplification."""
    attrs = geometry.attrs
    if tiles:
        return ("tiles",)
    if attrs.get("embedded"):
        return ("embedded",)
    if "source_sha256" in attrs:
        return ("file", str(attrs["source_sha256"]), str(attrs.get("tolerance_m")))
    return None


def _geometry(boundaries: gpd.GeoDataFrame | str | Path | None) -> tuple[gpd.GeoDataFrame, str]:
    """The boundaries to draw and how the map's credit names them: a GeoDataFrame or
    file given, else `OMG_BOUNDARIES`, else the embedded DAGI boundaries."""
    if isinstance(boundaries, gpd.GeoDataFrame):
        return boundaries, str(boundaries.attrs.get("source", "brugerens grænsefil"))
    path = boundaries if boundaries is not None else os.environ.get("OMG_BOUNDARIES")
    if path:
        from omglib.geo.boundaries import load_boundaries

        loaded = load_boundaries(path)
        return loaded, Path(path).name
    return embedded_boundaries(), EMBEDDED_SOURCE


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


def check_kind(kind: str) -> Kind:
    """The map kind from a CLI value."""
    if kind not in ("level", "change"):
        raise OmgError(f"Ukendt korttype '{kind}' – forventede 'level' eller 'change'")
    return "level" if kind == "level" else "change"
