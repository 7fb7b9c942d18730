"""PNG charts for the bulletin, drawn with matplotlib's Agg canvas (no pyplot, no display).

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
DPI = 150


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
    family = cjk_family()
    return font_manager.FontProperties(
        family=[family, "DejaVu Sans"] if family else ["DejaVu Sans"], size=size, weight=weight
    )


def _png(fig: Figure) -> bytes:
    buffer = BytesIO()
    with warnings.catch_warnings():
        # Only without a CJK font: each missing glyph would warn; the fallback is documented.
        warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
        FigureCanvasAgg(fig).print_png(buffer, metadata={"Software": None})
    return buffer.getvalue()


def _figure(rows: int, width: float = 7.2) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, max(2.4, 0.9 + 0.24 * rows)), dpi=DPI, layout="constrained")
    return fig, fig.add_subplot()


def _finish(fig: Figure, ax, labels: list[str], *, title: str, legend: list[str] = ()) -> bytes:
    """Unit labels down the side (first on top), light vertical grid, legend below."""
    ax.set_yticks(range(len(labels)), labels=labels, fontproperties=_font(8.5))
    ax.invert_yaxis()
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, fontproperties=_font(11, "bold"))
    if legend:
        fig.legend(
            legend, loc="outside lower center", ncol=len(legend), prop=_font(8), frameon=False
        )
    return _png(fig)


def progress_chart(
    labels: list[str], completion: list[float], elapsed: list[float], *, title: str
) -> bytes:
    """Completion against time elapsed (percentages), one pair of bars per label."""
    fig, ax = _figure(len(labels) * 1.6)
    ys = range(len(labels))
    bars = ax.barh([y - 0.2 for y in ys], completion, height=0.4, color=COMPLETION)
    ax.barh([y + 0.2 for y in ys], elapsed, height=0.4, color=ELAPSED)
    ax.bar_label(bars, fmt="%.1f%%", padding=2, fontsize=7)
    ax.set_xlim(0, max(100.0, *completion, *elapsed) * 1.1)
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    return _finish(fig, ax, labels, title=title, legend=["完成率", "时间进度"])


def ranking_chart(labels: list[str], scores: list[float], *, title: str) -> bytes:
    """Units' scores out of 100, best first."""
    fig, ax = _figure(len(labels))
    bars = ax.barh(range(len(labels)), scores, height=0.65, color=COMPLETION)
    ax.bar_label(bars, fmt="%.1f", padding=2, fontsize=7)
    ax.set_xlim(0, 108)
    ax.set_xlabel("得分（满分100）", fontproperties=_font(8))
    return _finish(fig, ax, labels, title=title)


def timeliness_chart(
    labels: list[str], on_time: list[int], late: list[int], missing: list[int], *, title: str
) -> bytes:
    """Reports due per unit, split into on time, late and missing."""
    fig, ax = _figure(len(labels))
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
    ax.set_xlabel("应报任务（份）", fontproperties=_font(8))
    return _finish(fig, ax, labels, title=title, legend=["按时", "逾期", "未报"])
