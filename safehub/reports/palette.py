"""The dashboard's chart colours. Each reaches a contrast ratio of at least 3:1 against the white page
(WCAG 2.2, 1.4.11 non-text contrast), and so does every pair of colours next to each other in the list,
the last and the first included (a chart with more series than colours starts again): alternately a
mid tone and a dark one. Nothing is told by colour alone: every bar and line is labelled on the chart.

Contrast is the WCAG ratio (L1 + 0.05) / (L2 + 0.05) of the relative luminances, the lighter first."""

from __future__ import annotations

from typing import Final

WHITE: Final = "#ffffff"
TEXT: Final = "#0b0c0c"  # GOV.UK text colour, for labels
GRID: Final = "#505a5f"  # GOV.UK secondary text colour, for axes and reference lines

PALETTE: Final[tuple[str, ...]] = (
    "#003078",  # dark blue
    "#28a197",  # turquoise
    "#6e1509",  # dark red
    "#5694ca",  # light blue
    "#0b0c0c",  # black
    "#b58840",  # ochre
    "#4c2c92",  # purple
    "#d87a2e",  # orange
)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a '#rrggbb' colour."""
    digits = colour.lstrip("#")
    if len(digits) != 6:
        raise ValueError(f"Not a #rrggbb colour: {colour!r}")
    red, green, blue = (_channel(int(digits[i : i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def colour(index: int) -> str:
    """The colour of the `index`-th series: the palette in order, starting again after the last."""
    return PALETTE[index % len(PALETTE)]
