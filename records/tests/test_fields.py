"""Each field type reads what people type on the web, in Excel, WPS or a csv."""

import datetime as dt
from decimal import Decimal

import pytest

from personal import crypto
from records.fields import FieldDef, FieldInvalid, Kept, Sealed, read_date

D = dt.date


def field(type_, **kwargs):
    return FieldDef(code="f", label="字段", type=type_, **kwargs)


def test_text_is_trimmed_and_limited():
    assert field("text").parse("  汝州市  ") == "汝州市"
    with pytest.raises(FieldInvalid, match="不能超过 5 个字"):
        field("text", max_length=5).parse("一二三四五六")


def test_text_pattern_gives_the_declared_message():
    phone = field("text", pattern=r"1\d{10}", pattern_message="请填写11位手机号")
    assert phone.parse("13800000000") == "13800000000"
    with pytest.raises(FieldInvalid, match="请填写11位手机号"):
        phone.parse("12345")


def test_a_personal_value_is_stored_sealed_loaded_unopened_and_shown_masked():
    phone = field("text", personal="phone")
    stored = phone.dump(phone.parse(" 13812345678 "))
    assert crypto.is_token(stored) and crypto.open(stored) == "13812345678"
    loaded = phone.load(stored)
    assert loaded == Sealed(stored)
    assert phone.show(loaded) == "138****5678"
    assert phone.reveal(loaded) == "13812345678"
    # Stored again unchanged: the same token, not a new one.
    assert phone.dump(phone.parse(loaded)) == stored


def test_a_personal_mask_reads_as_keep_the_stored_value_and_cannot_be_stored():
    phone = field("text", personal="phone", pattern=r"1\d{10}", pattern_message="请填写手机号")
    assert phone.parse("138****5678") == Kept("138****5678")
    with pytest.raises(ValueError, match="a mask cannot be stored"):
        phone.dump(Kept("138****5678"))


def test_a_personal_value_that_does_not_open_is_shown_as_unreadable():
    phone = field("text", personal="phone")
    assert phone.show(Sealed("sm4gcm1:dev1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")) == "（无法解密）"


def test_blank_is_none_for_every_type():
    for kind in ("text", "integer", "decimal", "money", "date", "choice", "yes_no", "location"):
        assert field(kind, choices=["甲"]).parse("  ") is None
    assert field("date_range").parse(("", "")) is None


@pytest.mark.parametrize("raw", ["12", 12, 12.0, "１２", "1,2"])
def test_integer_accepts_cells_and_text(raw):
    assert field("integer").parse(raw) == 12


def test_integer_refuses_fractions_words_and_limits():
    with pytest.raises(FieldInvalid, match="应为整数"):
        field("integer").parse("2.5")
    with pytest.raises(FieldInvalid, match="不是数字"):
        field("integer").parse("二十")
    with pytest.raises(FieldInvalid, match="不能小于 0"):
        field("integer", minimum=Decimal(0)).parse("-1")
    with pytest.raises(FieldInvalid, match="应为数字"):
        field("integer").parse(True)


def test_decimal_keeps_its_places_exactly():
    area = field("decimal", places=1)
    assert area.parse("10.5") == Decimal("10.5")
    assert area.parse(9.95 + 0.05) == Decimal("10.0")
    with pytest.raises(FieldInvalid, match="最多 1 位小数"):
        area.parse("10.55")


def test_money_is_yuan_to_the_fen_and_never_negative():
    money = field("money")
    assert money.parse("1,234.5元") == Decimal("1234.50")
    assert money.dump(money.parse(0.1 + 0.2 - 0.0000000000000000555)) == "0.30"
    with pytest.raises(FieldInvalid, match="最多到分"):
        money.parse("1.005")
    with pytest.raises(FieldInvalid, match="不能为负数"):
        money.parse("-3")


@pytest.mark.parametrize(
    "raw",
    [
        "2022-07-11",
        "2022/7/11",
        "2022.7.11",
        "2022年7月11日",
        "２０２２－０７－１１",
        dt.datetime(2022, 7, 11, 0, 0),  # noqa: DTZ001  (spreadsheet cells are naive)
        D(2022, 7, 11),
        44753,  # Excel's serial number for 2022-07-11
        "2022-07-11 00:00:00",
    ],
)
def test_dates_from_every_way_they_arrive(raw):
    assert read_date(raw) == D(2022, 7, 11)


def test_impossible_and_out_of_range_dates_are_refused():
    with pytest.raises(FieldInvalid, match="不是有效日期"):
        read_date("2022-02-30")
    with pytest.raises(FieldInvalid, match="不是日期"):
        read_date("下周一")
    with pytest.raises(FieldInvalid, match="不能早于 2022年1月1日"):
        field("date", min_date=D(2022, 1, 1)).parse("2021-12-31")


def test_date_range_reads_two_cells_or_one_text_and_checks_the_order():
    span = field("date_range")
    expected = {"start": D(2022, 7, 11), "end": D(2022, 8, 12)}
    assert span.parse(("2022-07-11", "2022-08-12")) == expected
    assert span.parse("2022-07-11 至 2022-08-12") == expected
    assert span.load(span.dump(expected)) == expected
    with pytest.raises(FieldInvalid, match="结束日期不能早于开始日期"):
        span.parse(("2022-08-12", "2022-07-11"))
    with pytest.raises(FieldInvalid, match="开始和结束两个日期"):
        span.parse(("2022-07-11", ""))


def test_choice_must_be_one_of_the_list():
    mode = field("choice", choices=["线上", "线下", "线上线下结合"])
    assert mode.parse(" 线 下") == "线下"
    with pytest.raises(FieldInvalid, match="不是可选项（可选：线上、线下、线上线下结合）"):
        mode.parse("现场")


def test_multi_choice_splits_on_chinese_and_latin_separators_in_list_order():
    six = field("multi_choice", choices=["甲", "乙", "丙"])
    assert six.parse("丙、甲，乙") == ["甲", "乙", "丙"]
    assert six.parse(["乙", "乙"]) == ["乙"]
    assert six.show(["甲", "丙"]) == "甲、丙"
    with pytest.raises(FieldInvalid, match="「丁」不是可选项"):
        six.parse("甲;丁")


@pytest.mark.parametrize(
    "raw,value",
    [("是", True), ("否", False), ("有", True), ("√", True), (False, False), ("N", False)],
)
def test_yes_no(raw, value):
    assert field("yes_no").parse(raw) is value


def test_yes_no_refuses_anything_else():
    with pytest.raises(FieldInvalid, match="应填“是”或“否”"):
        field("yes_no").parse("也许")


def test_unit_goes_through_the_resolver_given():
    names = {"汝州市": 7}

    def resolve(name):
        if name not in names:
            raise FieldInvalid(f"无法识别单位「{name}」")
        return names[name]

    assert field("unit").parse("汝州市", resolve_unit=resolve) == 7
    with pytest.raises(FieldInvalid, match="无法识别单位「乙县」"):
        field("unit").parse("乙县", resolve_unit=resolve)


def test_location_is_latitude_then_longitude():
    where = field("location")
    assert where.parse("33.7385，113.3081") == {
        "lat": Decimal("33.7385"),
        "lng": Decimal("113.3081"),
    }
    assert where.show(where.parse("33.7 113.3")) == "33.7,113.3"
    with pytest.raises(FieldInvalid, match="纬度应在 -90 到 90 之间"):
        where.parse("113.3,33.7")
    with pytest.raises(FieldInvalid, match="纬度，经度|纬度,经度"):
        where.parse("平顶山")
