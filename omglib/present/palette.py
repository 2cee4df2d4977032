"""The colours every chart and map shares: the class palettes, the two special classes
(no cases, few cases) and the outline of a map's kommuner.

One palette for charts and the Danmarkskort, so an orange in a chart means what it
means on the map; contrast against the page is checked in `omglib.present.contrast`.
"""

from __future__ import annotations

#: ColorBrewer YlGnBu (5 classes), safe for colour-blind readers and in greyscale print.
SEQUENTIAL = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
#: ColorBrewer PuOr (5 classes), colour-blind safe; orange = fall, purple = rise.
DIVERGING = ("#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99")
#: Greys outside both palettes, so neither special class can be read as a rate class
#: (the change map's middle class is near-white, so "no cases" must not be white).
NO_CASES_COLOUR = "#737373"
FEW_CASES_COLOUR = "#cccccc"
NO_CASES_LABEL = "Ingen sager"
#: Every kommune is outlined in this grey: 4:1 against the white page, so even the
#: lightest classes (#ffffcc, #f7f7f7) stand out as shapes (WCAG 1.4.11 asks 3:1); the
#: class itself is named in the legend, the tooltip and the table under the map.
OUTLINE_COLOUR = "#7f7f7f"
