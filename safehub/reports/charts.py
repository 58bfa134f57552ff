"""Charts drawn on the server as SVG from our own templates (reports/_chart.html): no chart library, no
script. This module works out where every shape and label goes; the template only writes them out.

A bar chart is drawn 320 units wide, the width of the narrowest phone; a line chart as wide again as its
points need, from 320 units up to a limit, so that a year of days or five years of months is not drawn
in the room of a week. Each is shown up to 1.25 pixels a unit and scales down (its viewBox) to the column
it is in, never wider. Bars are one row each: the name on its own line (or two), or in a column before
the bars, clear of them; then the bar (one for each series) with its value written at its end. Lines
have every point's value written above it when they all have room, else only the last, highest, lowest
and first, none over another or outside the lines' area; each line is named at its end, and a reference
line (England's figure) carries its own label. Nothing is told by colour alone (reports.palette)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

from safehub.reports.measures.tiles import ChartKind, ChartSpec, Series
from safehub.reports.palette import GRID, TEXT, colour

WIDTH = 320
SCALE = 1.25  # the most pixels a unit is shown: a 320-unit chart is at most 400 pixels wide
LINE = 19  # a line of label text
BAR = 20
BAR_GAP = 2  # between the bars of one row
GAP = 10
INLINE_GAP = 6
INLINE_CHARACTERS = 16  # a name this short goes on its bar's line ("Week from 31 Aug")
MIN_BAR_ROOM = 90  # ...when that leaves the bars this much room
NAME_GAP = 8  # between a name in the column before the bars and the bars
LABEL_CHARACTERS = 36  # what fits on one line at 320 units
CHARACTER = 8.5  # a generous width of a lower-case letter of the names and values (16-unit text)
NAME_CHARACTERS = 9  # a line's name, in the right-hand margin
# A line chart: its values' axis on the left, the lines' names on the right, and the room between points.
LEFT = 52
RIGHT_MARGIN = 84
TOP = 28  # room above the highest point for its value
BOTTOM = 186
POINT_GAP = 16
MOST_PLOT_WIDTH = 640
LABEL_PADDING = 4  # the least room between two values written on a chart


def text_width(text: str) -> float:
    """A generous width of `text` in the charts' 16-unit type, bold or not: capitals, 'm', 'w' and '%'
    are wider than other letters ('MASH' is 46 units in Arial), 'i', 'l', spaces and stops narrower."""
    return sum(_character_width(character) for character in text)


def _character_width(character: str) -> float:
    if character == "%":
        return 15
    if character in "MWmw":
        return 14
    if character.isupper():
        return 12
    if character.isdigit():
        return 9.5
    if character in " .,:;'’()-/ijlrtf":
        return 6
    return CHARACTER


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"
    bold: bool = False
    fill: str = TEXT
    halo: bool = False  # a value written over a line: edged in the page's white to stay readable

    @property
    def left(self) -> float:
        """Where the text starts, by its generous width (text_width)."""
        offset = {"start": 0.0, "middle": 0.5, "end": 1.0}[self.anchor]
        return self.x - text_width(self.text) * offset

    @property
    def right(self) -> float:
        return self.left + text_width(self.text)


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
    """What the template writes: a chart's title and description, its size in units, and its shapes."""

    title: str
    description: str
    height: float = 0
    width: float = WIDTH
    texts: list[Text] = field(default_factory=list)
    rects: list[Rect] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    polylines: list[Polyline] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)

    @property
    def shown_width(self) -> int:
        """Its width on the page, in pixels, at most (the page's column makes it narrower)."""
        return round(self.width * SCALE)

    @property
    def shown_height(self) -> int:
        return round(self.height * SCALE)


def _wrapped(label: str) -> list[str]:
    return textwrap.wrap(label, LABEL_CHARACTERS) or [""]


def bar_drawing(spec: ChartSpec) -> Drawing:
    """Short names (days, months, agencies, teams) go on the bar's own line, in a column before the bars
    and clear of them; longer ones (referral sources) on a line or two of their own above it. A chart of
    several series has a bar for each in every row, in the palette's colours, its value naming it."""
    drawing = Drawing(spec.title, spec.description)
    values = [[value or 0 for value in series.values] for series in spec.series]
    top = 1.0 if spec.percent else max([*(value for row in values for value in row), 1])
    texts = [text for series in spec.series for text in series.texts]
    reserve = min(170, max((text_width(text) for text in texts), default=CHARACTER) + 8)
    start = max((text_width(name) for name in spec.categories), default=0) + NAME_GAP
    longest = max((len(name) for name in spec.categories), default=0)
    inline = longest <= INLINE_CHARACTERS and WIDTH - reserve - start >= MIN_BAR_ROOM
    start = start if inline else 0
    room = WIDTH - reserve - start
    after = INLINE_GAP if inline and len(spec.series) == 1 else GAP  # between rows
    y = 4.0
    for row, name in enumerate(spec.categories):
        if inline:
            drawing.texts.append(Text(0, y + BAR - 5, name))
        else:
            for line in _wrapped(name):
                y += LINE
                drawing.texts.append(Text(0, y - 4, line))
        for index, series in enumerate(spec.series):
            value = values[index][row]
            width = room * value / top if top else 0
            drawing.rects.append(Rect(start, y, round(max(width, 1 if value else 0), 1), BAR, colour(index)))
            drawing.texts.append(Text(round(start + width + 4, 1), y + BAR - 5, series.texts[row], bold=True))
            y += BAR + (BAR_GAP if index < len(spec.series) - 1 else after)
    drawing.segments.append(Segment(start, 4, start, y - after, GRID))
    drawing.height = y
    return drawing


def _axis_value(value: float, percent: bool) -> str:
    return f"{value:.0%}" if percent else f"{value:,.0f}"


def line_width(points: int) -> float:
    """A line chart's width: room for POINT_GAP between points, from 320 units up to a limit."""
    plot = min(MOST_PLOT_WIDTH, max(WIDTH - LEFT - RIGHT_MARGIN, (points - 1) * POINT_GAP))
    return LEFT + plot + RIGHT_MARGIN


def line_drawing(spec: ChartSpec) -> Drawing:
    count = len(spec.categories)
    width = line_width(count)
    left, right, top, bottom = LEFT, width - RIGHT_MARGIN, TOP, BOTTOM
    drawing = Drawing(spec.title, spec.description, height=bottom + 44, width=width)
    known = [value for s in spec.series for value in s.values if value is not None]
    if spec.reference is not None:
        known.append(spec.reference[1])
    highest = 1.0 if spec.percent else max([*known, 1])

    def x(i: int) -> float:
        return left + (right - left) * (i / (count - 1) if count > 1 else 0.5)

    def y(value: float) -> float:
        return bottom - (bottom - top) * value / highest

    for level in (0, highest / 2, highest):
        drawing.segments.append(Segment(left, y(level), right, y(level), GRID if level == 0 else "#b1b4b6"))
        drawing.texts.append(Text(left - 6, y(level) + 5, _axis_value(level, spec.percent), anchor="end"))
    if count:
        drawing.texts.append(Text(left, bottom + 20, spec.categories[0], anchor="start"))
        if count > 1:
            drawing.texts.append(Text(right, bottom + 40, spec.categories[-1], anchor="end"))
    margin: list[Text] = []  # the names written in the right-hand margin so far
    if spec.reference is not None:
        label, value = spec.reference
        drawing.segments.append(Segment(left, y(value), right, y(value), GRID, dashed=True))
        lines = textwrap.wrap(label, NAME_CHARACTERS)
        for number, line in enumerate(lines):  # above the line, in the right-hand margin
            margin.append(Text(right + 6, y(value) - 6 - LINE * (len(lines) - 1 - number), line, bold=True, fill=GRID))
    taken: list[Text] = []  # the values written so far, on every line
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
        for i, value in points:
            drawing.dots.append(Dot(x(i), y(value), stroke))

        def point_label(i: int, value: float, series: Series = series) -> Text:
            """The point's value above it, within the lines' area (not over the axis's values)."""
            half = text_width(series.texts[i]) / 2 + 1  # and a unit to spare for the rounding
            middle = min(max(x(i), left + half), right - half)
            return Text(
                round(middle, 1), round(y(value) - 9, 1), series.texts[i], anchor="middle", bold=True, halo=True
            )

        written = _point_labels(points, point_label, taken)
        taken += written
        drawing.texts += written
        if points:
            margin += _name_at_end(textwrap.wrap(series.name, NAME_CHARACTERS), right + 6, y(points[-1][1]), margin)
    drawing.texts += margin
    return drawing


def _name_at_end(lines: list[str], x: float, last: float, margin: list[Text]) -> list[Text]:
    """A line's name at its end, in the right-hand margin: below its last value, else above it, else below
    every name already there (the reference line's, another line's), so that none is written over another."""
    below = [Text(x, last + 16 + LINE * number, line) for number, line in enumerate(lines)]
    above = [Text(x, last - 10 - LINE * (len(lines) - 1 - number), line) for number, line in enumerate(lines)]
    for place in (below, above):
        if not any(crowds(text, other) for text in place for other in margin):
            return place
    lowest = max(text.y for text in margin)
    return [Text(x, max(last + 16, lowest + LINE) + LINE * number, line) for number, line in enumerate(lines)]


def crowds(first: Text, second: Text) -> bool:
    """Whether two texts written on a chart would touch: side by side, closer than LABEL_PADDING, and nearer
    one above the other than two lines of a name (LINE)."""
    across = first.left < second.right + LABEL_PADDING and second.left < first.right + LABEL_PADDING
    return across and abs(first.y - second.y) < LINE


def _point_labels(
    points: list[tuple[int, float]], label: Callable[[int, float], Text], taken: list[Text]
) -> list[Text]:
    """Every point's value when none would crowd another (or one already written); else only the last,
    the highest, the lowest and the first, leaving out any that would crowd one chosen before it (a
    table beside the chart has every value)."""
    every = [label(i, value) for i, value in points]
    if all(not crowds(a, b) for n, a in enumerate(every) for b in [*every[n + 1 :], *taken]):
        return every
    if not points:
        return []
    wanted = [points[-1], max(points, key=lambda p: p[1]), min(points, key=lambda p: p[1]), points[0]]
    chosen: list[Text] = []
    for i, value in dict.fromkeys(wanted):
        text = label(i, value)
        if not any(crowds(text, other) for other in [*chosen, *taken]):
            chosen.append(text)
    return chosen


def drawing(spec: ChartSpec) -> Drawing:
    return bar_drawing(spec) if spec.kind == ChartKind.BARS else line_drawing(spec)
