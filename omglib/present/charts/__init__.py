"""The report's charts: tidy frames in, `Figure` values out.

Every function takes a frame with canonical columns (from `omglib.figures`, or the
outcome and provision breakdowns) and returns a `Figure`: an altair chart, one Danish
sentence on what it shows with its key numbers, and the numbers behind it as Danish
text. Nothing here saves, shows or prints; the notebook displays, the report decides
the format.

Conventions, kept by the helpers in `common`:

* every rate comes with its counts ("47,1 % (16 af 34)") in tooltips and tables, and
  with its 95 % interval drawn as a band or an error bar, because a kommune's rate often
  rests on a handful of cases;
* numbers are Danish: text is preformatted in the data, and axis labels are built with
  Vega expressions, so a chart reads the same in the browser and in vl-convert's SVG
  whatever their locale;
* charts are deterministic (same input, same `to_dict()`): no selection parameters, no
  auto-numbered names, explicit width and height, layers named explicitly;
* colours come from the colour-blind safe ColorBrewer palettes of the Danmarkskort.

One module per report section: `trends` (the kommune's and the national trend),
`outcome_shares`, `provision_rates` and `comparison` (funnel, ranking, distribution);
`common` holds the shared pieces. Every chart and every constant is importable from
`omglib.present.charts`. The learning loop's charts are `omglib.learning.charts`.
"""

from __future__ import annotations

from omglib.present.charts.common import (
    ALL_KOMMUNER,
    BAND_COLOUR,
    BAR_HEIGHT,
    COUNT_LABELS,
    COUNT_TITLE,
    ENOUGH_CASES,
    FEW_CASES,
    FUNNEL_LEVELS,
    FUNNEL_POINTS,
    HEIGHT,
    HIGHLIGHT_COLOUR,
    HIGHLIGHT_TEXT_COLOUR,
    HISTOGRAM_BINS,
    INTERVAL_TITLE,
    KOMMUNE_COLOUR,
    KOMMUNE_SERIES,
    LIMIT_COLOUR,
    MIN_LABELLED_SHARE,
    NATIONAL_COLOUR,
    NATIONAL_TITLE,
    NO_KOMMUNER,
    NO_NATIONAL,
    NO_PROVISIONS,
    OTHER_KOMMUNER,
    OUTCOME_COLOURS,
    OUTLINE_COLOUR,
    PERCENT_LABELS,
    POINT_SIZE,
    PROVISION_NATIONAL,
    RATE_TITLE,
    RING,
    ROW_HEIGHT,
    SPARE_OUTCOME_COLOURS,
    TEXT_COLOUR,
    VERDICT_TITLE,
    WIDTH,
)
from omglib.present.charts.comparison import distribution, funnel, ranking
from omglib.present.charts.outcome_shares import outcomes
from omglib.present.charts.provision_rates import provisions
from omglib.present.charts.trends import national_trend, trend

__all__ = [
    "ALL_KOMMUNER",
    "BAND_COLOUR",
    "BAR_HEIGHT",
    "COUNT_LABELS",
    "COUNT_TITLE",
    "ENOUGH_CASES",
    "FEW_CASES",
    "FUNNEL_LEVELS",
    "FUNNEL_POINTS",
    "HEIGHT",
    "HIGHLIGHT_COLOUR",
    "HIGHLIGHT_TEXT_COLOUR",
    "HISTOGRAM_BINS",
    "INTERVAL_TITLE",
    "KOMMUNE_COLOUR",
    "KOMMUNE_SERIES",
    "LIMIT_COLOUR",
    "MIN_LABELLED_SHARE",
    "NATIONAL_COLOUR",
    "NATIONAL_TITLE",
    "NO_KOMMUNER",
    "NO_NATIONAL",
    "NO_PROVISIONS",
    "OTHER_KOMMUNER",
    "OUTCOME_COLOURS",
    "OUTLINE_COLOUR",
    "PERCENT_LABELS",
    "POINT_SIZE",
    "PROVISION_NATIONAL",
    "RATE_TITLE",
    "RING",
    "ROW_HEIGHT",
    "SPARE_OUTCOME_COLOURS",
    "TEXT_COLOUR",
    "VERDICT_TITLE",
    "WIDTH",
    "distribution",
    "funnel",
    "national_trend",
    "outcomes",
    "provisions",
    "ranking",
    "trend",
]
