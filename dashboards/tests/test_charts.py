"""The bulletin's charts, read back pixel by pixel: sizes, bars, labels, the ranking's split."""

import logging
import re
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageColor

from dashboards import chartfonts, charts

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
PROGRAMMES = ["1. 职工技能提升行动", "2. 困难职工帮扶救助与解困脱困行", "3. 职工书屋建设"]
UNITS = ["1. 汝州市总工会", "2. 郏县总工会", "999. 宝丰县", "1000. 叶县总工会"]


def image(png: bytes) -> Image.Image:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(BytesIO(png)).convert("RGB")


def mask(im: Image.Image, colour: str) -> bytes:
    """One byte a pixel, row after row: 255 where the pixel is exactly `colour`."""
    diff = ImageChops.difference(im, Image.new("RGB", im.size, ImageColor.getrgb(colour)))
    red, green, blue = diff.split()
    largest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    return largest.point(lambda v: 255 if v == 0 else 0).tobytes()


def runs(im: Image.Image, colour: str) -> list[list[tuple[int, int]]]:
    """For each row, the (start, length) of each run of `colour`."""
    pixels, width = mask(im, colour), im.width
    return [
        [(m.start(), m.end() - m.start()) for m in re.finditer(rb"\xff+", pixels[y : y + width])]
        for y in range(0, len(pixels), width)
    ]


def axis_row(im: Image.Image) -> int:
    """The x axis: the first row drawn in the axis colour across most of the plot."""
    rows = runs(im, charts.AXIS)
    return next(y for y, row in enumerate(rows) if any(n > im.width / 3 for _x, n in row))


def bars(im: Image.Image, colour: str) -> list[tuple[int, int, int, int]]:
    """(left, length, top, bottom) of each bar of `colour` above the x axis, top to bottom:
    its longest run of pixels, since a count written inside a bar breaks some rows. A bar from
    0 shows a pixel short, under the y axis, so lengths compare to within 2 px."""
    found, current = [], None
    for y, row in enumerate(runs(im, colour)[: axis_row(im)]):
        if row:
            x, n = max(row, key=lambda run: run[1])
            top = current[2] if current else y
            current = (x, n, top, y) if current is None or n > current[1] else (*current[:3], y)
        elif current:
            found.append(current)
            current = None
    return found


def dashed_rows(im: Image.Image) -> list[int]:
    """Rows crossed by a dashed line in the axis colour (many short runs)."""
    return [y for y, row in enumerate(runs(im, charts.AXIS)) if len(row) >= 20]


def draw_ranking(labels=UNITS, scores=(95.0, 80.0, 30.0, 10.0), **options) -> Image.Image:
    scores = list(scores)
    return image(charts.ranking_chart(labels, scores, title="图2 各单位得分排名", **options))


@pytest.mark.parametrize(
    "draw",
    [
        lambda: charts.progress_chart(
            PROGRAMMES, [12.5, 48.0, 101.2], [55.1, 55.1, 55.1], title="图1 各专案完成率与时间进度"
        ),
        lambda: charts.ranking_chart(UNITS, [98.5, 97.3, 12.0, 7.5], title="图2", split=2),
        lambda: charts.timeliness_chart(
            ["汝州市", "郏县"], [10, 8], [2, 3], [6, 5], title="图3 未报送及逾期报送较多的单位"
        ),
    ],
    ids=["progress", "ranking", "timeliness"],
)
def test_each_chart_is_a_png_as_wide_as_15_5_cm_at_150_dpi_on_white(draw):
    png = draw()
    im = Image.open(BytesIO(png))
    assert im.format == "PNG"
    assert im.width == round(15.5 / 2.54 * 150) == 915
    assert 200 < im.height < 1000
    assert im.info["dpi"] == pytest.approx((150, 150), abs=0.1)
    assert im.convert("RGB").getpixel((0, 0)) == (255, 255, 255)


def test_a_bar_is_as_long_as_its_value():
    im = draw_ranking(UNITS[:2], (100.0, 50.0))
    (left, full, *_), (left_half, half, *_) = bars(im, charts.COMPLETION)
    assert left == left_half
    assert half == pytest.approx(full / 2, abs=2)
    progress = image(charts.progress_chart(PROGRAMMES[:2], [100.0, 50.0], [25.0, 0.0], title="图1"))
    (_, done, *_), (_, half_done, *_) = bars(progress, charts.COMPLETION)
    [(_, elapsed, *_)] = bars(progress, charts.ELAPSED)  # none drawn for 0%
    assert half_done == pytest.approx(done / 2, abs=2)
    assert elapsed == pytest.approx(done / 4, abs=2)


def test_completion_above_100_percent_extends_the_axis():
    usual = image(charts.progress_chart(PROGRAMMES[:2], [100.0, 50.0], [50.0, 50.0], title="图1"))
    over = image(charts.progress_chart(PROGRAMMES[:2], [250.0, 50.0], [50.0, 50.0], title="图1"))
    (_, hundred, *_), (_, fifty, *_) = bars(usual, charts.COMPLETION)
    (_, most, *_), (_, fifty_over, *_) = bars(over, charts.COMPLETION)
    assert most / fifty_over == pytest.approx(5, rel=0.02)  # 250% is drawn at its length
    assert most == pytest.approx(hundred, abs=2)  # on an axis that reaches past it
    assert fifty_over < fifty * 0.5


def test_the_parts_of_a_units_reports_are_stacked_in_proportion():
    im = image(charts.timeliness_chart(["汝州市"], [6], [3], [3], title="图3"))
    [(x_on, on_time, *_)] = bars(im, charts.ON_TIME)
    [(x_late, late, *_)] = bars(im, charts.LATE)
    [(x_missing, missing, *_)] = bars(im, charts.MISSING)
    assert on_time == pytest.approx(late + missing, abs=2)
    assert late == pytest.approx(missing, abs=1)
    assert x_late == x_on + on_time
    assert x_missing == x_late + late


def test_the_ranking_marks_where_the_best_meet_the_worst_only_when_told():
    split = draw_ranking(split=2)
    _, (*_, second_ends), (*_, third_starts, _), _ = bars(split, charts.COMPLETION)
    lines = dashed_rows(split)
    assert lines
    assert all(second_ends < y < third_starts for y in lines)
    assert not dashed_rows(draw_ranking())
    assert not dashed_rows(draw_ranking(split=None))


@pytest.mark.skipif(chartfonts.cjk_family() is None, reason="no CJK font installed")
def test_chinese_labels_are_drawn_in_the_cjk_font():
    """Different characters give different ink: a font without them would draw the same
    empty box for each."""
    one = draw_ranking(["1. 汝州市", "2. 郏县"])
    other = draw_ranking(["1. 汝州市", "2. 宝丰"])
    [_, (plot_left, _, bar_top, bar_bottom)] = bars(one, charts.COMPLETION)
    changed = ImageChops.difference(one, other).getbbox()
    assert changed is not None
    _left, top, right, bottom = changed
    assert right <= plot_left  # only the label changed, beside its own bar
    assert bar_top - 6 <= top < bottom <= bar_bottom + 6
    label = one.crop((0, top, plot_left - 1, bottom)).convert("L")
    assert label.getextrema()[0] < 100  # dark ink, not a faint smear


@pytest.mark.skipif(chartfonts.cjk_family() is None, reason="no CJK font installed")
def test_a_label_too_long_for_its_column_is_cut_short():
    long = "1. " + "职工技能提升行动" * 6
    im = draw_ranking([long, "2. 郏县"], (90.0, 80.0))
    [(plot_left, *_), _] = bars(im, charts.COMPLETION)
    assert plot_left < im.width / 2
    margin = im.crop((0, 0, 10, im.height)).convert("L")
    assert margin.getextrema() == (255, 255)  # cut short, not running off the left edge


@pytest.fixture
def fresh_fonts():
    """Font look-ups made again in the test and again after it."""
    caches = (
        chartfonts.cjk_family,
        chartfonts._face,
        chartfonts._scanned_faces,
        chartfonts._font_of,
    )
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


@pytest.mark.skipif(not NOTO.exists(), reason="Debian's fonts-noto-cjk is not installed")
@pytest.mark.parametrize("fontconfig", [True, False], ids=["fc-match", "scan"])
def test_the_simplified_chinese_face_is_found_with_or_without_fontconfig(
    fresh_fonts, monkeypatch, fontconfig
):
    if not fontconfig:
        monkeypatch.setattr(chartfonts.shutil, "which", lambda _name: None)
    elif chartfonts.shutil.which("fc-match") is None:
        pytest.skip("fontconfig's fc-match is not installed")
    assert chartfonts.cjk_family() == "Noto Sans CJK SC"
    assert chartfonts.font(9).getname() == ("Noto Sans CJK SC", "Regular")
    assert chartfonts.font(11, "bold").getname() == ("Noto Sans CJK SC", "Bold")
    assert chartfonts._face("No Such Font For Tests", "regular") is None


def test_without_a_cjk_font_the_warning_is_logged_once(fresh_fonts, monkeypatch, caplog):
    monkeypatch.setattr(chartfonts, "CJK_FAMILIES", ("No Such Font For Tests",))
    with caplog.at_level(logging.WARNING, logger="dashboards.chartfonts"):
        first = draw_ranking()
        image(charts.timeliness_chart(["汝州市"], [1], [1], [1], title="图3"))
    assert chartfonts.cjk_family() is None
    assert caplog.text.count("No CJK font found") == 1
    assert first.width == 915
    assert len(bars(first, charts.COMPLETION)) == len(UNITS)
