"""Masks show enough of a value to recognise it and hide at least four characters."""

import pytest

from personal.masks import is_masked, mask


@pytest.mark.parametrize(
    "text, kind, shown",
    [
        ("13812345678", "phone", "138****5678"),
        ("0375-37996380", "phone", "0375-****6380"),
        ("0375-3799638", "phone", "0375-*****38"),
        ("410402199001011234", "id_number", "410402********1234"),
        ("41040290010112X", "id_number", "410402*****112X"),
        ("家庭年收入 2.1 万元，患慢性病", "text", "******"),
        ("12345", "phone", "****5"),
        ("", "phone", ""),
    ],
)
def test_a_value_is_shown_masked_by_its_kind(text, kind, shown):
    assert mask(text, kind) == shown
    assert text == "" or shown.count("*") >= 4


@pytest.mark.parametrize(
    "text, kind",
    [("13812345678", "phone"), ("0375-3799638", "phone"), ("410402199001011234", "id_number")],
)
def test_a_mask_masks_to_itself_and_is_recognised_as_one(text, kind):
    shown = mask(text, kind)
    assert mask(shown, kind) == shown
    assert is_masked(shown, kind)
    assert not is_masked(text, kind)
