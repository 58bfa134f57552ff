"""Charts drawn on the server as SVG from our own templates (reports/_chart.html): no chart library, no
script. This module works out where every shape and label goes; the template only writes them out.

Every chart is drawn 320 units wide, the width of the narrowest phone, and scales up to the column it is
in, so its text is never smaller than on that phone. Bars are one row each: the name on its own line (or
two), then the bar with its value written at its end. Lines are labelled at their points (the last,
highest, lowest and first first, then any others with room) and by name at their end; a reference line
(England's figure) carries its own label. Nothing is told by colour alone (reports.palette)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

from safehub.reports.measures.tiles import ChartKind, ChartSpec
from safehub.reports.palette import GRID, TEXT, colour

WIDTH = 320
LINE = 19  # a line of label text
BAR = 20
GAP = 10
INLINE_GAP = 6
INLINE_CHARACTERS = 16  # a name this short goes on its bar's line ("Week from 31 Aug")
MIN_BAR_ROOM = 90  # ...when that leaves the bars this much room
LABEL_CHARACTERS = 36  # what fits on one line at 320 units
CHARACTER = 8.5  # a generous width of one character of the names and values (16-unit text)
LABEL_SPACE = 42  # the least room between two values written along a line
NAME_CHARACTERS = 9  # a line's name, in the right-hand margin  # up to this many points a line has every one labelled


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"
    bold: bool = False
    fill: str = TEXT


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True)
class Segment:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    dashed: bool = False


@dataclass(frozen=True)
class Polyline:
    points: str
    stroke: str


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    fill: str


@dataclass
class Drawing:
    """What the template writes: a chart's title and description, its height, and its shapes."""

    title: str
    description: str
    height: float = 0
    texts: list[Text] = field(default_factory=list)
    rects: list[Rect] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    polylines: list[Polyline] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)

    @property
    def width(self) -> int:
        return WIDTH


def _wrapped(label: str) -> list[str]:
    return textwrap.wrap(label, LABEL_CHARACTERS) or [""]


def bar_drawing(spec: ChartSpec) -> Drawing:
    """Short names (days, months, agencies) go on the bar's own line, in a column before the bars;
    longer ones (referral sources) on a line or two of their own above it."""
    drawing = Drawing(spec.title, spec.description)
    series = spec.series[0]
    values = [value or 0 for value in series.values]
    top = 1.0 if spec.percent else max([*values, 1])
    reserve = min(170, CHARACTER * max((len(text) for text in series.texts), default=1) + 8)
    longest = max((len(name) for name in spec.categories), default=0)
    start = CHARACTER * longest + 8
    inline = longest <= INLINE_CHARACTERS and WIDTH - reserve - start >= MIN_BAR_ROOM
    start = start if inline else 0
    room = WIDTH - reserve - start
    y = 4.0
    fill = colour(0)
    for name, value, text in zip(spec.categories, values, series.texts, strict=True):
        if inline:
            drawing.texts.append(Text(0, y + BAR - 5, name))
        else:
            for line in _wrapped(name):
                y += LINE
                drawing.texts.append(Text(0, y - 4, line))
        width = room * value / top if top else 0
        drawing.rects.append(Rect(start, y, round(max(width, 1 if value else 0), 1), BAR, fill))
        drawing.texts.append(Text(round(start + width + 4, 1), y + BAR - 5, text, bold=True))
        y += BAR + (INLINE_GAP if inline else GAP)
    drawing.segments.append(Segment(start, 4, start, y - (INLINE_GAP if inline else GAP), GRID))
    drawing.height = y
    return drawing


def _axis_value(value: float, percent: bool) -> str:
    return f"{value:.0%}" if percent else f"{value:,.0f}"


def line_drawing(spec: ChartSpec) -> Drawing:
    drawing = Drawing(spec.title, spec.description)
    left, right, top, bottom, height = 44, WIDTH - 84, 22, 180, 224
    drawing.height = height
    known = [value for s in spec.series for value in s.values if value is not None]
    if spec.reference is not None:
        known.append(spec.reference[1])
    highest = 1.0 if spec.percent else max([*known, 1])
    count = len(spec.categories)

    def x(i: int) -> float:
        return left + (right - left) * (i / (count - 1) if count > 1 else 0.5)

    def y(value: float) -> float:
        return bottom - (bottom - top) * value / highest

    for level in (0, highest / 2, highest):
        drawing.segments.append(Segment(left, y(level), right, y(level), GRID if level == 0 else "#b1b4b6"))
        drawing.texts.append(Text(left - 4, y(level) + 4, _axis_value(level, spec.percent), anchor="end"))
    if count:
        drawing.texts.append(Text(left, bottom + 20, spec.categories[0], anchor="start"))
        if count > 1:
            drawing.texts.append(Text(right, bottom + 40, spec.categories[-1], anchor="end"))
    if spec.reference is not None:
        label, value = spec.reference
        drawing.segments.append(Segment(left, y(value), right, y(value), GRID, dashed=True))
        lines = textwrap.wrap(label, NAME_CHARACTERS)
        for number, line in enumerate(lines):  # above the line, in the right-hand margin
            drawing.texts.append(
                Text(right + 6, y(value) - 6 - LINE * (len(lines) - 1 - number), line, bold=True, fill=GRID)
            )
    for index, series in enumerate(spec.series):
        stroke = colour(index)
        points = [(i, value) for i, value in enumerate(series.values) if value is not None]
        # A point with nothing to count (a day without contacts) breaks the line: nothing is drawn through it.
        runs: list[list[tuple[int, float]]] = []
        for i, value in points:
            if runs and runs[-1][-1][0] == i - 1:
                runs[-1].append((i, value))
            else:
                runs.append([(i, value)])
        for run in runs:
            if len(run) > 1:
                drawing.polylines.append(Polyline(" ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in run), stroke))
        shown = _labelled(points, x)
        for i, value in points:
            drawing.dots.append(Dot(x(i), y(value), stroke))
            if i in shown:
                drawing.texts.append(Text(x(i), y(value) - 8, series.texts[i], anchor="middle", bold=True))
        if points:
            # The line's name at its end, below its last value, in the margin on the right.
            last = y(points[-1][1])
            for number, line in enumerate(textwrap.wrap(series.name, NAME_CHARACTERS)):
                drawing.texts.append(Text(right + 6, last + 16 + LINE * number, line))
    return drawing


def _labelled(points: list[tuple[int, float]], x: Callable[[int], float]) -> set[int]:
    """Which points have their value written: the last, the highest, the lowest and the first, then
    the others in order, leaving out any that would crowd one already chosen (a table beside the
    chart has every value)."""
    if not points:
        return set()
    wanted = [points[-1][0], max(points, key=lambda p: p[1])[0], min(points, key=lambda p: p[1])[0], points[0][0]]
    wanted += [i for i, _ in points if i not in wanted]
    chosen: list[int] = []
    for i in wanted:
        if all(abs(x(i) - x(j)) >= LABEL_SPACE for j in chosen):
            chosen.append(i)
    return set(chosen)


def drawing(spec: ChartSpec) -> Drawing:
    return bar_drawing(spec) if spec.kind == ChartKind.BARS else line_drawing(spec)
