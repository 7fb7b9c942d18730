from decimal import Decimal

from common.excel import safe_cell


def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe():
    for text in ("=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\rx"):
        assert safe_cell(text) == "'" + text


def test_ordinary_values_are_unchanged_and_decimals_become_numbers():
    assert safe_cell("汝州市") == "汝州市"
    assert safe_cell(Decimal("3.00")) == 3
    assert safe_cell(Decimal("2.50")) == 2.5
    assert safe_cell(-2) == -2
