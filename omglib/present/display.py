"""Values that display themselves in JupyterLab and in the rendered reports.

A report notebook's cell returns one of these and the rest follows: JupyterLab shows it
(Markdown, an HTML table, an altair chart), and the report template renders it without
the code. Figures travel under their own MIME type, `FIGURE_MIME`, carrying the
Vega-Lite spec, a one-sentence Danish description and the numbers behind the figure, so
the HTML report can draw them interactively, the PDF statically, and both give readers
who cannot see the chart the same information.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, ParamSpec, TypeVar

import pandas as pd

from omglib.present.html import render

if TYPE_CHECKING:
    import altair as alt

P = ParamSpec("P")
R = TypeVar("R")

FIGURE_MIME = "application/vnd.omg.figure+json"
VEGALITE_MIME = "application/vnd.vegalite.v5+json"
"""The Vega-Lite MIME type JupyterLab renders itself (its own bundle: no CDN, no network);
it knows Vega-Lite 5, so a figure's spec goes to it under the v5 schema."""
VEGALITE_V5_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
ATTACHMENT_MIME = "application/vnd.omg.attachments+json"
"""Files a notebook output carries for the batch to write beside the report, as
{file suffix: base64 content}, e.g. the knowledge bank's CSV and XLSX."""


class Markdown(str):
    """Report text in Markdown; a plain `str` everywhere else."""

    __slots__ = ()

    def _repr_markdown_(self) -> str:
        return str(self)


class Html(str):
    """A fragment of report HTML; a plain `str` everywhere else."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


LOCALE: Final = "da-DK"
"""The locale of numbers and dates in figures."""


def table_html(frame: pd.DataFrame, caption: str | None = None, label: str = "Tabel") -> Html:
    """A table of already formatted values (Danish numbers as text) as plain, accessible
    HTML: column headers as `<th scope="col">`, no index, no styling ids, so the same
    frame always gives the same bytes. It sits in a region named by the caption (or by
    `label` without one) that scrolls when the table is wider than the screen."""
    return Html(
        render(
            "table.html.j2",
            caption=caption or None,
            label=label,
            columns=[_text(column) for column in frame.columns],
            rows=[[_text(value) for value in row] for row in frame.itertuples(index=False)],
            css=None,
        )
    )


def _text(value: Any) -> str:
    """A cell's text: empty for a missing value."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


@dataclass(frozen=True)
class Figure:
    """A chart with what it shows in words and the numbers behind it.

    `table` holds the figure's numbers as the reader should see them (Danish column
    names, formatted values); `description` is one Danish sentence for screen readers
    and for anyone skimming."""

    chart: alt.TopLevelMixin
    description: str
    table: pd.DataFrame

    def spec(self) -> dict[str, Any]:
        """The Vega-Lite spec, with the data inlined and the description as the chart's
        own, which Vega gives screen readers as the drawing's label."""
        spec = chart_spec(self.chart)
        spec.setdefault("description", self.description)
        return spec

    def payload(self, spec: dict[str, Any] | None = None) -> dict[str, Any]:
        """What the report template needs to draw the figure."""
        return {"spec": spec if spec is not None else self.spec(), **self._words()}

    def _words(self) -> dict[str, str]:
        label = f"Tallene bag figuren: {self.description}"
        return {
            "description": self.description,
            "table_html": str(table_html(self.table, label=label)),
        }

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Any:
        """The figure for JupyterLab's own Vega-Lite renderer (interactive, offline, with
        Danish number formats) and for the report template; never altair's default HTML,
        which loads Vega from a CDN. The spec is in the notebook once, as JupyterLab takes
        it; the report's payload says how to get the figure's own spec back from it
        (`figure_spec`), which halves what every report's notebook carries."""
        spec = self.spec()
        return {
            VEGALITE_MIME: lab_spec(spec),
            FIGURE_MIME: {"from_lab": _lab_changes(spec), **self._words()},
            "text/plain": self.description,
        }


def _lab_changes(spec: dict[str, Any]) -> dict[str, Any]:
    """What `figure_spec` needs to undo `lab_spec`: the spec's own schema and the keys
    (in their order) of the spec and of the parts `lab_spec` adds to."""
    return {
        "schema": spec.get("$schema"),
        "keys": list(spec),
        "config": list(spec.get("config", {})),
        "usermeta": list(spec.get("usermeta", {})),
    }


def figure_spec(data: dict[str, Any]) -> dict[str, Any]:
    """A figure's own spec from a notebook output's data: the payload's spec, or the
    spec beside it for JupyterLab (`VEGALITE_MIME`) with `lab_spec`'s changes undone."""
    figure = data[FIGURE_MIME]
    if "spec" in figure:
        own: dict[str, Any] = figure["spec"]
        return own
    lab, changes = data[VEGALITE_MIME], figure["from_lab"]
    spec = {key: lab[key] for key in changes["keys"]}
    if changes["schema"] is not None:
        spec["$schema"] = changes["schema"]
    for part in ("config", "usermeta"):
        if part in spec:
            spec[part] = {key: lab[part][key] for key in changes[part]}
    return spec


SHAPES_KEPT: Final = 4096
"""Spec shapes a process remembers as validated (a report has a handful of figure kinds)."""
_validated_shapes: set[Hashable] = set()


def chart_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """A chart's Vega-Lite spec, validated against the Vega-Lite schema the first time a
    spec of its shape (`spec_shape`) is seen in the process, as altair's own `to_dict()`
    validates it.

    A batch makes the same figures for every kommune, and validating each spec cost more
    than making it. Specs of one shape differ only in their data and in the text and
    numbers their code fills in (titles, labels, domains, positions), where the schema
    asks for a string or a number; the properties whose schema allows only some values
    (mark types, encodings' types, alignments, sizes) are constants of the chart's code,
    and each chart kind is validated by the tests."""
    spec: dict[str, Any] = chart.to_dict(validate=False)
    shape = spec_shape(spec)
    if shape not in _validated_shapes:
        spec = chart.to_dict()  # raises altair's SchemaValidationError on an invalid spec
        if len(_validated_shapes) >= SHAPES_KEPT:
            _validated_shapes.clear()
        _validated_shapes.add(shape)
    return spec


def built_unchecked(build: Callable[P, R]) -> Callable[P, R]:
    """Decorator for a function that builds a chart: altair then does not check each part
    against the Vega-Lite schema as it is made (its debug mode, which costs a report's
    figures about a tenth of their time). The chart is still validated whole when it
    becomes a spec (`chart_spec`); a mistake is only reported there, not at its part."""

    @functools.wraps(build)
    def built(*args: P.args, **kwargs: P.kwargs) -> R:
        from altair.utils.schemapi import debug_mode

        with debug_mode(False):
            return build(*args, **kwargs)

    return built


def spec_shape(value: Any, key: str = "") -> Hashable:
    """A spec's structure: its keys, nesting and value types, without the data (the
    top-level `datasets`, a data block's `values`) or the values of texts and numbers."""
    if isinstance(value, dict):
        return tuple(
            sorted(
                (
                    name,
                    "data"
                    if name == "datasets" or (key == "data" and name == "values")
                    else spec_shape(item, name),
                )
                for name, item in value.items()
            )
        )
    if isinstance(value, list):
        return ("list", frozenset(spec_shape(item, key) for item in value))
    return type(value).__name__


def lab_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A figure's spec as JupyterLab's Vega-Lite 5 renderer takes it: the v5 schema, the
    Danish number and date formats (d3's da-DK locale) in its config, and SVG rather than
    a canvas (vega-embed's `usermeta.embedOptions`), as in the reports: text a screen
    reader and a search can find."""
    import vl_convert

    config = {
        **spec.get("config", {}),
        "locale": {
            "number": vl_convert.get_format_locale(LOCALE),
            "time": vl_convert.get_time_format_locale(LOCALE),
        },
    }
    usermeta = {**spec.get("usermeta", {}), "embedOptions": {"renderer": "svg", "actions": False}}
    return {**spec, "$schema": VEGALITE_V5_SCHEMA, "config": config, "usermeta": usermeta}


def danish_style(frame: pd.DataFrame, precision: int = 1) -> Any:
    """A pandas Styler that shows numbers the Danish way (1.234,5) and no index, for
    tables in JupyterLab; the frame itself is left as it is."""
    return frame.style.format(decimal=",", thousands=".", precision=precision, na_rep="–").hide(
        axis="index"
    )
