"""Colour contrast as WCAG 2.1 defines it, so the reports' colours can be chosen and
checked against the accessibility requirement (WCAG 2.1 AA, the Danish
web-accessibility law): text needs 4.5:1 against its background (success criterion
1.4.3), the graphical parts of a chart 3:1 (1.4.11).

The browser tests measure the drawn pages with the same formula; the chart code uses
`readable_text_colour` to put labels on coloured bars.
"""

from __future__ import annotations

from typing import Final

TEXT_MINIMUM: Final = 4.5
"""Minimum contrast of normal-size text against its background (WCAG 1.4.3)."""
GRAPHICS_MINIMUM: Final = 3.0
"""Minimum contrast of a chart's meaningful graphics against their neighbours (1.4.11)."""
WHITE: Final = "#ffffff"
BLACK: Final = "#000000"

RGB = tuple[float, float, float]


def parse_colour(colour: str) -> RGB:
    """A `#rgb` or `#rrggbb` colour as red, green and blue in 0–255."""
    digits = colour.strip().removeprefix("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    if len(digits) != 6 or any(d not in "0123456789abcdefABCDEF" for d in digits):
        raise ValueError(f"Ukendt farve {colour!r}: forventede #rgb eller #rrggbb.")
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return float(red), float(green), float(blue)


def blend(colour: str | RGB, opacity: float, background: str | RGB = WHITE) -> RGB:
    """The colour a reader sees when `colour` is painted with `opacity` on `background`."""
    top = parse_colour(colour) if isinstance(colour, str) else colour
    below = parse_colour(background) if isinstance(background, str) else background
    mixed = (opacity * t + (1 - opacity) * b for t, b in zip(top, below, strict=True))
    return tuple(mixed)  # type: ignore[return-value]


def hex_colour(colour: RGB) -> str:
    """Red, green and blue in 0–255 as `#rrggbb`."""
    return "#" + "".join(f"{round(channel):02x}" for channel in colour)


def relative_luminance(colour: str | RGB) -> float:
    """WCAG 2.1 relative luminance: 0 for black, 1 for white."""
    channels = parse_colour(colour) if isinstance(colour, str) else colour

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in channels)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str | RGB, second: str | RGB) -> float:
    """WCAG contrast ratio between two colours, from 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)))[::-1]
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_colour(background: str) -> str:
    """Black or white, whichever reads better on `background` (at least 4.5:1 for
    every colour, since one of the two always reaches it)."""
    return max((BLACK, WHITE), key=lambda text: contrast_ratio(text, background))
