"""The Danmarkskort as a static matplotlib figure (PNG, SVG, PDF): the kommuner in their
class colours, the insets framed and named, the highlighted kommune outlined and named,
the legend, and under the map its sources and the boundaries' attribution."""

from __future__ import annotations

from typing import TYPE_CHECKING

from omglib.present.palette import NO_CASES_LABEL, OUTLINE_COLOUR

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from omglib.geo.draw import Danmarkskort

HIGHLIGHT_COLOUR = "#000000"
LABEL_COLOUR = "#1a1a1a"
CREDIT_COLOUR = "#404040"


TITLE_INCHES = 0.6
CREDIT_INCHES = 0.2


def static_figure(kort: Danmarkskort, width: float, height: float | None, dpi: int) -> Figure:
    """The map as a matplotlib figure `width` inches wide; without a height, the map's
    own proportions decide it (with room for the title above and the credits below).
    matplotlib is imported here, when a static map is drawn, not by every report kernel
    that draws only the interactive one (0,3 s)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    credits = kort.credits
    below = CREDIT_INCHES * (len(credits) + 1)
    if height is None:
        x0, y0, x1, y1 = kort.extent()
        height = 0.96 * width * (y1 - y0) / (x1 - x0) + TITLE_INCHES + below
    figure = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.02, below / height, 0.96, 1 - (below + TITLE_INCHES) / height))
    for layer in kort.layers:
        layer.plot(ax=axes, color=layer["farve"], edgecolor=OUTLINE_COLOUR, linewidth=0.3)
        no_cases = layer[layer["klasse"] == NO_CASES_LABEL]
        if len(no_cases):
            no_cases.plot(ax=axes, facecolor="none", edgecolor="#d9d9d9", hatch="////", linewidth=0)
    for inset in kort.insets:
        x0, y0, x1, y1 = inset.bounds
        axes.add_patch(
            Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=OUTLINE_COLOUR, lw=0.6)
        )
        axes.text(x0, y1 + 2_000, inset.label, fontsize=7, color=LABEL_COLOUR, va="bottom")
    _highlight(kort, axes)
    axes.set_axis_off()
    axes.set_aspect("equal")
    _legend(kort, axes)
    figure.suptitle(kort.title, fontsize=12, x=0.02, y=1 - 0.15 / height, ha="left", va="top")
    for number, line in enumerate(credits):
        colour = "#b30000" if line == kort.notice else CREDIT_COLOUR
        at = CREDIT_INCHES * (len(credits) - number - 0.5) / height
        figure.text(0.02, at, line, fontsize=7, color=colour)
    return figure


def _highlight(kort: Danmarkskort, axes: Axes) -> None:
    """The chosen kommune: a thick outline wherever it is drawn, and its name on a white
    label beside it (beside its enlarged shape when it is in the Copenhagen inset)."""
    if kort.highlight is None:
        return
    for layer in kort.layers:
        chosen = layer[layer["kommunekode"] == kort.highlight]
        if len(chosen):
            chosen.boundary.plot(ax=axes, color=HIGHLIGHT_COLOUR, linewidth=2.0)
    axes.annotate(
        str(kort.highlighted_name()),
        xy=highlight_point(kort),
        xytext=(8, 8),
        textcoords="offset points",
        fontsize=10,
        fontweight="bold",
        color=LABEL_COLOUR,
        bbox={"boxstyle": "square,pad=0.3", "facecolor": "#ffffff", "edgecolor": HIGHLIGHT_COLOUR},
        arrowprops={"arrowstyle": "-", "color": HIGHLIGHT_COLOUR, "lw": 1.0},
    )


def highlight_point(kort: Danmarkskort) -> tuple[float, float]:
    """Where the highlighted kommune's label points: inside its shape, in its enlarged
    inset when it has one."""
    layer = kort.enlarged if kort.enlarged is not None else kort.frame
    chosen = layer[layer["kommunekode"] == kort.highlight]
    if chosen.empty:
        chosen = kort.frame[kort.frame["kommunekode"] == kort.highlight]
    point = chosen.geometry.iloc[0].representative_point()
    return point.x, point.y


def _legend(kort: Danmarkskort, axes: Axes) -> None:
    from matplotlib.patches import Patch

    handles = [
        Patch(
            facecolor=colour,
            edgecolor=OUTLINE_COLOUR,
            label=label,
            hatch="////" if label == NO_CASES_LABEL else None,
        )
        for label, colour in kort.legend
    ]
    axes.legend(
        handles=handles,
        title=kort.legend_title,
        loc="upper right",
        frameon=False,
        fontsize=8,
        title_fontsize=9,
    )
