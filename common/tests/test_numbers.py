"""One reading of typed numbers for progress reports and form rows alike."""

from decimal import Decimal

import pytest

from common import numbers
from common.numbers import NumberInvalid, read_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", Decimal(12)),
        ("１２．５", Decimal("12.5")),
        ("1,234", Decimal(1234)),
        ("1，234", Decimal(1234)),
        (" 3 000 ", Decimal(3000)),
        ("\u30007", Decimal(7)),
        (12, Decimal(12)),
        (0.1, Decimal("0.1")),
        (Decimal("2.50"), Decimal("2.50")),
    ],
)
def test_numbers_are_read_as_people_type_them(raw, expected):
    assert read_number(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000"])
def test_a_blank_value_is_no_number(raw):
    assert read_number(raw) is None


@pytest.mark.parametrize("raw", ["十二", "12个", "inf", "NaN", True, "1.2.3"])
def test_words_and_non_numbers_are_refused(raw):
    with pytest.raises(NumberInvalid) as caught:
        read_number(raw)
    assert caught.value.reason == numbers.NOT_A_NUMBER


def test_a_number_beyond_any_figure_is_refused_as_too_large():
    with pytest.raises(NumberInvalid) as caught:
        read_number("1e400")
    assert caught.value.reason == numbers.TOO_LARGE


def test_negatives_fractions_and_extra_places_are_refused_only_when_asked():
    assert read_number("-3") == Decimal(-3)
    for raw, options, reason in [
        ("-3", {"negative": False}, numbers.NEGATIVE),
        ("60.5", {"whole": True}, numbers.NOT_WHOLE),
        ("1.234", {"places": 2}, numbers.TOO_PRECISE),
    ]:
        with pytest.raises(NumberInvalid) as caught:
            read_number(raw, **options)
        assert caught.value.reason == reason


def test_a_whole_number_written_with_zero_decimals_is_whole():
    assert read_number("60.0", whole=True, places=0) == Decimal("60.0")


def test_a_trailing_unit_is_dropped_only_when_named():
    assert read_number("1,200元", suffix="元") == Decimal(1200)
    with pytest.raises(NumberInvalid):
        read_number("1,200元")
