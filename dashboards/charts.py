"""PNG charts for the bulletin, drawn with matplotlib's Agg canvas (no pyplot, no display).

Each chart has a bar per label, so callers pass what a reader can read on a printed page (the
14 programmes, the best and worst ten units), never every unit: at 1,000 units one chart took
seconds to lay out and was a grey smear. Margins are set from the longest label instead of by
constrained layout, which measures every text again on each pass.

Chinese labels need a CJK font: the first installed family of `CJK_FAMILIES` (Debian's
fonts-noto-cjk gives "Noto Sans CJK SC"). Without one the charts are still drawn, with a logged
warning, and Chinese characters show as boxes. Nothing is ever downloaded.
"""

from __future__ import annotations

import functools
import logging
import warnings
from io import BytesIO

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

logger = logging.getLogger(__name__)

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
)
COMPLETION, ELAPSED = "#2F6FB3", "#B8C4D0"
ON_TIME, LATE, MISSING = "#3C9D5D", "#F0A030", "#D9534F"
# Drawn at the size it is printed (15.5 cm wide in the bulletin) at 150 dpi: fonts print at
# their point size and no pixel is drawn only to be scaled away.
WIDTH = 15.5 / 2.54
DPI = 150
PNG_COMPRESSION = 3  # zlib level: PIL's default 6 takes twice as long for 3% fewer bytes
LABEL_SIZE = 8.5


@functools.cache
def cjk_family() -> str | None:
    """The first installed font family of `CJK_FAMILIES`, or None (with a warning)."""
    for family in CJK_FAMILIES:
        try:
            font_manager.findfont(
                font_manager.FontProperties(family=family), fallback_to_default=False
            )
        except ValueError:
            continue
        return family
    logger.warning(
        "No CJK font found (tried %s): chart labels in Chinese will not show. "
        "Install one, e.g. Debian's fonts-noto-cjk.",
        ", ".join(CJK_FAMILIES),
    )
    return None


def _font(size: float = 9, weight: str = "normal") -> font_manager.FontProperties:
    return _font_of(cjk_family(), size, weight)


@functools.cache
def _font_of(family: str | None, size: float, weight: str) -> font_manager.FontProperties:
    """Made once per family, size and weight; matplotlib copies what it keeps."""
    return font_manager.FontProperties(
        family=[family, "DejaVu Sans"] if family else ["DejaVu Sans"], size=size, weight=weight
    )


def _png(fig: Figure) -> bytes:
    buffer = BytesIO()
    with warnings.catch_warnings():
        # Only without a CJK font: each missing glyph would warn; the fallback is documented.
        warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
        FigureCanvasAgg(fig).print_png(
            buffer, metadata={"Software": None}, pil_kwargs={"compress_level": PNG_COMPRESSION}
        )
    return buffer.getvalue()


def _text_width(text: str, size: float) -> float:
    """Inches a label takes: a CJK character is one em wide, anything else about 0.6 em."""
    ems = sum(1.0 if ord(c) >= 0x2E80 else 0.6 for c in text)
    return ems * size / 72


def _figure(labels: list[str], rows: float, *, legend: bool, xlabel: bool):
    """A figure with one horizontal axes, its margins fixed from what it will carry: the
    labels at the left, the tick labels, the axis label and the legend below."""
    height = max(2.4, 0.9 + 0.24 * rows)
    fig = Figure(figsize=(WIDTH, height), dpi=DPI)
    left = max((_text_width(label, LABEL_SIZE) for label in labels), default=0) + 0.2
    bottom = 0.3 + 0.22 * xlabel + 0.3 * legend
    fig.subplots_adjust(
        left=min(left, WIDTH * 0.45) / WIDTH,
        right=1 - 0.4 / WIDTH,
        top=1 - 0.4 / height,
        bottom=bottom / height,
    )
    return fig, fig.add_subplot()


def _finish(
    fig: Figure,
    ax,
    labels: list[str],
    *,
    title: str,
    xlabel: str = "",
    legend: list[str] = (),
) -> bytes:
    """Labels down the side (first on top), light vertical grid, legend below.

    Every position is given, so that drawing measures no text twice: the labels are plain
    texts beside the axes rather than ticks, and the title and the axis label have fixed
    places (left to matplotlib, each is placed by measuring every tick label).
    """
    ax.set_yticks([])
    ax.set_ylim(len(labels) - 0.5, -0.5)  # first label on top
    beside = ax.get_yaxis_transform()  # x in axes fractions, y in data
    for y, label in enumerate(labels):
        ax.text(
            -0.012,
            y,
            label,
            transform=beside,
            ha="right",
            va="center",
            fontproperties=_font(LABEL_SIZE),
        )
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, fontproperties=_font(11, "bold"), y=1.0, pad=8)
    if xlabel:
        ax.set_xlabel(xlabel, fontproperties=_font(8))
        tall = fig.get_figheight() * ax.get_position().height
        ax.xaxis.set_label_coords(0.5, -0.24 / tall)  # under the tick labels
        ax.xaxis.label.set_verticalalignment("top")
    if legend:
        fig.legend(legend, loc="lower center", ncol=len(legend), prop=_font(8), frameon=False)
    return _png(fig)


def progress_chart(
    labels: list[str], completion: list[float], elapsed: list[float], *, title: str
) -> bytes:
    """Completion against time elapsed (percentages), one pair of bars per label."""
    fig, ax = _figure(labels, len(labels) * 1.6, legend=True, xlabel=False)
    ys = range(len(labels))
    bars = ax.barh([y - 0.2 for y in ys], completion, height=0.4, color=COMPLETION)
    ax.barh([y + 0.2 for y in ys], elapsed, height=0.4, color=ELAPSED)
    ax.bar_label(bars, fmt="%.1f%%", padding=2, fontsize=7)
    ax.set_xlim(0, max(100.0, *completion, *elapsed) * 1.1)
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    return _finish(fig, ax, labels, title=title, legend=["完成率", "时间进度"])


def ranking_chart(
    labels: list[str], scores: list[float], *, title: str, split: int | None = None
) -> bytes:
    """Scores out of 100, best first. With `split`, a dashed line marks the gap between the
    first `split` labels (the best) and the rest (the worst)."""
    fig, ax = _figure(labels, len(labels), legend=False, xlabel=True)
    bars = ax.barh(range(len(labels)), scores, height=0.65, color=COMPLETION)
    ax.bar_label(bars, fmt="%.1f", padding=2, fontsize=7)
    ax.set_xlim(0, 108)
    ax.set_xticks(range(0, 101, 20))
    if split:
        ax.axhline(split - 0.5, color="#888888", linewidth=0.8, linestyle=(0, (4, 3)))
    return _finish(fig, ax, labels, title=title, xlabel="得分（满分100）")


def timeliness_chart(
    labels: list[str], on_time: list[int], late: list[int], missing: list[int], *, title: str
) -> bytes:
    """Reports due per unit, split into on time, late and missing."""
    fig, ax = _figure(labels, len(labels), legend=True, xlabel=True)
    ys = range(len(labels))
    ax.barh(ys, on_time, height=0.65, color=ON_TIME)
    ax.barh(ys, late, left=on_time, height=0.65, color=LATE)
    ax.barh(
        ys,
        missing,
        left=[a + b for a, b in zip(on_time, late, strict=True)],
        height=0.65,
        color=MISSING,
    )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return _finish(
        fig, ax, labels, title=title, xlabel="应报任务（份）", legend=["按时", "逾期", "未报"]
    )
