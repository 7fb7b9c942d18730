"""PNG charts for the bulletin, drawn directly with Pillow.

Each chart has a bar per label, so callers pass what a reader can read on a printed page (the
14 programmes, the best and worst ten units), never every unit. matplotlib drew the same three
charts in about 220 ms, most of it laying out text; here every position is computed once from
the fonts' advance widths, FreeType draws each text once and the PNG is written from a small
palette, so the three take under 20 ms.

Chinese labels need a CJK font: `dashboards.chartfonts` finds one, or draws in Pillow's own.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageColor, ImageDraw, ImageFont

from dashboards import chartfonts
from dashboards.chartfonts import DPI

COMPLETION, ELAPSED = "#2F6FB3", "#B8C4D0"
ON_TIME, LATE, MISSING = "#3C9D5D", "#F0A030", "#D9534F"
BACKGROUND, TEXT, AXIS, GRID = "#FFFFFF", "#333333", "#888888", "#DDDDDD"
WIDTH = round(15.5 / 2.54 * DPI)
PNG_COMPRESSION = 1  # zlib level: on these mostly flat images higher levels save little
TITLE_SIZE, LABEL_SIZE, TICK_SIZE, VALUE_SIZE = 11, 8.5, 8, 7  # points
# Text is anti-aliased against these backgrounds; each pair gets a ramp of palette entries.
TEXT_ON = ((TEXT, BACKGROUND), (BACKGROUND, ON_TIME), (TEXT, LATE), (BACKGROUND, MISSING))
RAMP_STEPS = 24
# Palette entries at least this far apart (RGB distance): Pillow maps a colour to the nearest
# entry only to within a few levels, and a blend closer than that to white or a bar's colour
# would take the place of that colour.
PALETTE_SPACING = 12

PAD = 12  # px around the chart
UNIT_ROW, UNIT_BAR = 36, 24  # px: a row per unit and the bar in it
PAIR_ROW, PAIR_BAR = 56, 20  # px: a row per programme holds two bars, 2 px apart
LABEL_GAP = 8  # px between a label and the axis, and between a bar's end and its value

# -- drawing -------------------------------------------------------------------------------


@dataclass
class _Chart:
    """A canvas with its plot area: values from 0 to `limit` run from `left` to `right`,
    rows of `row` px from `top` down."""

    image: Image.Image
    draw: ImageDraw.ImageDraw
    left: int
    right: int
    top: int
    bottom: int
    row: int
    limit: float
    xlabel: str
    legend: Sequence[tuple[str, str]]

    def x(self, value: float) -> int:
        value = min(max(value, 0.0), self.limit)
        return self.left + round(value / self.limit * (self.right - self.left))

    def y(self, index: int) -> int:
        """The middle of row `index`."""
        return self.top + index * self.row + self.row // 2

    def bar(self, start: float, end: float, middle: int, thickness: int, colour: str) -> None:
        x0, x1 = self.x(start), self.x(end)
        if x1 > x0:
            top = middle - thickness // 2
            self.draw.rectangle((x0, top, x1 - 1, top + thickness - 1), fill=colour)


def _chart(
    labels: Sequence[str],
    limit: float,
    *,
    row: int,
    title: str,
    xlabel: str = "",
    legend: Sequence[tuple[str, str]] = (),
) -> _Chart:
    """A white canvas sized for its rows, with its title drawn; the plot sits right of the
    widest label (at most 45% of the width: a longer label is cut short with an ellipsis)."""
    label_font = chartfonts.font(LABEL_SIZE)
    widest = max((label_font.getlength(label) for label in labels), default=0)
    left = PAD + min(math.ceil(widest), int(WIDTH * 0.45)) + LABEL_GAP
    top = PAD + round(TITLE_SIZE * DPI / 72 * 1.5) + 8
    bottom = top + row * len(labels)
    below = 6 + _line(TICK_SIZE) + (_line(TICK_SIZE) if xlabel else 0)
    below += (_line(TICK_SIZE) + 10) if legend else 0
    image = Image.new("RGB", (WIDTH, bottom + below + PAD), BACKGROUND)
    draw = ImageDraw.Draw(image)
    chart = _Chart(image, draw, left, WIDTH - 3 * PAD, top, bottom, row, limit, xlabel, legend)
    _title(chart, title)
    return chart


def _line(points: float) -> int:
    """Pixels a line of text takes at this size, spacing included."""
    return round(points * DPI / 72 * 1.35)


def _title(chart: _Chart, title: str) -> None:
    """Centred over the whole width, as a figure caption; a long one is set smaller."""
    points, room = TITLE_SIZE, WIDTH - 2 * PAD
    while chartfonts.font(points, "bold").getlength(title) > room and points > LABEL_SIZE:
        points -= 0.5
    font = chartfonts.font(points, "bold")
    chart.draw.text((WIDTH // 2, PAD), _fit(title, font, room), fill=TEXT, font=font, anchor="mt")


def _fit(text: str, font: ImageFont.FreeTypeFont, room: float) -> str:
    if font.getlength(text) <= room:
        return text
    while text and font.getlength(text + "…") > room:
        text = text[:-1]
    return text + "…"


def _axes(chart: _Chart, ticks: Sequence[float], tick_text: Callable[[float], str]) -> None:
    """Thin vertical gridlines at the ticks (drawn first: the bars cover them), and the tick
    marks and numbers under the plot."""
    for tick in ticks[1:]:
        x = chart.x(tick)
        chart.draw.line((x, chart.top, x, chart.bottom), fill=GRID)
    font = chartfonts.font(TICK_SIZE)
    for tick in ticks:
        x = chart.x(tick)
        chart.draw.line((x, chart.bottom, x, chart.bottom + 4), fill=AXIS)
        chart.draw.text((x, chart.bottom + 6), tick_text(tick), fill=TEXT, font=font, anchor="mt")


def _value(chart: _Chart, value: float, middle: int, text: str) -> None:
    """The value just past the end of its bar."""
    x = chart.x(value) + LABEL_GAP // 2
    chart.draw.text((x, middle), text, fill=TEXT, font=chartfonts.font(VALUE_SIZE), anchor="lm")


def _finish(chart: _Chart, labels: Sequence[str]) -> bytes:
    """The axis lines over the bars' ends, the labels beside the rows (first on top), the axis
    label under the tick labels and the legend centred under everything; then the PNG."""
    draw, font = chart.draw, chartfonts.font(TICK_SIZE)
    draw.line((chart.left, chart.top, chart.left, chart.bottom), fill=AXIS)
    draw.line((chart.left, chart.bottom, chart.right, chart.bottom), fill=AXIS)
    label_font, room = chartfonts.font(LABEL_SIZE), chart.left - LABEL_GAP - PAD
    for index, label in enumerate(labels):
        text = _fit(label, label_font, room)
        draw.text((chart.left - LABEL_GAP, chart.y(index)), text, TEXT, label_font, anchor="rm")
    y = chart.bottom + 6 + _line(TICK_SIZE)
    if chart.xlabel:
        middle = (chart.left + chart.right) // 2
        draw.text((middle, y), chart.xlabel, fill=TEXT, font=font, anchor="mt")
        y += _line(TICK_SIZE)
    if chart.legend:
        _legend(chart, y + 10 + _line(TICK_SIZE) // 2)
    return _png(chart.image)


def _legend(chart: _Chart, middle: int) -> None:
    swatch, gap, spacing = 14, 6, 28
    font = chartfonts.font(TICK_SIZE)
    widths = [swatch + gap + font.getlength(text) for _colour, text in chart.legend]
    x = (WIDTH - sum(widths) - spacing * (len(widths) - 1)) / 2
    for (colour, text), width in zip(chart.legend, widths, strict=True):
        left, top = round(x), middle - swatch // 2
        chart.draw.rectangle((left, top, left + swatch - 1, top + swatch - 1), fill=colour)
        chart.draw.text((left + swatch + gap, middle), text, fill=TEXT, font=font, anchor="lm")
        x += width + spacing


def _number(value: float) -> str:
    """A tick's number as written: 20, 2.5, 1000 (never 1e+03)."""
    return f"{value:.10g}" if abs(value) < 1e10 else f"{value:.0f}"


def _ticks(top: float, *, most: int = 6, integer: bool = False) -> list[float]:
    """0 and round steps (1, 2, 2.5 or 5 times a power of ten) up to `top`, at most `most`
    steps; whole steps only when counting."""
    magnitude = 10 ** math.floor(math.log10(max(top, 1) / most))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if top / step <= most and not (integer and step != int(step)):
            break
    count = math.floor(top / step + 1e-9)
    return [i * step for i in range(count + 1)]


@functools.cache
def _palette() -> Image.Image:
    """Every colour the charts use, and anti-aliased text's blends with its background.

    An RGB PNG costs about 10 ms to write, most of it in choosing a filter for each of its
    three bytes a pixel; mapped onto this palette (under 1 ms) it is written in 2 ms.
    """
    flat = [BACKGROUND, TEXT, AXIS, GRID, COMPLETION, ELAPSED, ON_TIME, LATE, MISSING]
    colours = [ImageColor.getrgb(colour) for colour in flat]
    for ink, paper in TEXT_ON:
        fg, bg = ImageColor.getrgb(ink), ImageColor.getrgb(paper)
        for step in range(1, RAMP_STEPS):
            t = step / RAMP_STEPS
            blend = tuple(round(f * t + b * (1 - t)) for f, b in zip(fg, bg, strict=True))
            if all(math.dist(blend, c) >= PALETTE_SPACING for c in colours):
                colours.append(blend)
    palette = Image.new("P", (1, 1))
    palette.putpalette([channel for colour in colours for channel in colour])
    return palette


def _png(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image = image.quantize(palette=_palette(), dither=Image.Dither.NONE)
    image.save(buffer, "PNG", compress_level=PNG_COMPRESSION, dpi=(DPI, DPI))
    return buffer.getvalue()


# -- the three charts ----------------------------------------------------------------------


def progress_chart(
    labels: list[str], completion: list[float], elapsed: list[float], *, title: str
) -> bytes:
    """Completion against time elapsed (percentages), one pair of bars per label."""
    top = max([100.0, *completion, *elapsed])
    legend = [(COMPLETION, "完成率"), (ELAPSED, "时间进度")]
    chart = _chart(labels, top * 1.1, row=PAIR_ROW, title=title, legend=legend)
    _axes(chart, _ticks(top * 1.1), lambda tick: f"{_number(tick)}%")
    for index, (done, gone) in enumerate(zip(completion, elapsed, strict=True)):
        middle = chart.y(index)
        upper, lower = middle - 1 - PAIR_BAR // 2, middle + 1 + PAIR_BAR // 2
        chart.bar(0, done, upper, PAIR_BAR, COMPLETION)
        chart.bar(0, gone, lower, PAIR_BAR, ELAPSED)
        _value(chart, done, upper, f"{done:.1f}%")
    return _finish(chart, labels)


def ranking_chart(
    labels: list[str], scores: list[float], *, title: str, split: int | None = None
) -> bytes:
    """Scores out of 100, best first. With `split`, a dashed line marks the gap between the
    first `split` labels (the best) and the rest (the worst)."""
    top = max([100.0, *scores])
    chart = _chart(labels, top * 1.08, row=UNIT_ROW, title=title, xlabel="得分（满分100）")
    _axes(chart, _ticks(top), _number)
    for index, score in enumerate(scores):
        chart.bar(0, score, chart.y(index), UNIT_BAR, COMPLETION)
        _value(chart, score, chart.y(index), f"{score:.1f}")
    if split:
        y = chart.top + split * chart.row
        for x in range(chart.left, chart.right, 13):  # 8 px dashes, 5 px apart
            chart.draw.line((x, y, min(x + 7, chart.right), y), fill=AXIS, width=2)
    return _finish(chart, labels)


def timeliness_chart(
    labels: list[str], on_time: list[int], late: list[int], missing: list[int], *, title: str
) -> bytes:
    """Reports due per unit, split into on time, late and missing, each part with its count
    when the number fits inside it."""
    parts = list(zip(on_time, late, missing, strict=True))
    most = max((sum(counts) for counts in parts), default=0)
    ticks = _ticks(most or 1, integer=True)
    if ticks[-1] < most:
        ticks.append(2 * ticks[-1] - ticks[-2])
    legend = [(ON_TIME, "按时"), (LATE, "逾期"), (MISSING, "未报")]
    chart = _chart(
        labels, ticks[-1], row=UNIT_ROW, title=title, xlabel="应报任务（份）", legend=legend
    )
    _axes(chart, ticks, _number)
    font = chartfonts.font(VALUE_SIZE)
    inks = (BACKGROUND, TEXT, BACKGROUND)  # the darker the part, the lighter its count
    for index, counts in enumerate(parts):
        middle, start = chart.y(index), 0
        for count, (colour, _name), ink in zip(counts, legend, inks, strict=True):
            chart.bar(start, start + count, middle, UNIT_BAR, colour)
            x0, x1 = chart.x(start), chart.x(start + count)
            if count and font.getlength(str(count)) + 6 <= x1 - x0:
                chart.draw.text(((x0 + x1) // 2, middle), str(count), ink, font, anchor="mm")
            start += count
    return _finish(chart, labels)
