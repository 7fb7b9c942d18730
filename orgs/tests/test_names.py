from orgs.names import core_name, normalise_name


def test_spaces_inside_names_are_ignored():
    assert normalise_name("叶 县") == normalise_name("叶县")
    assert normalise_name("城乡一体化 示范区工会") == "城乡一体化示范区工会"


def test_full_width_characters_become_half_width():
    assert normalise_name("ＡＢＣ工会（筹）") == "ABC工会(筹)"


def test_traditional_variant_characters_are_standardised():
    assert normalise_name("郟 县") == "郏县"
    assert normalise_name("郟县總工會") == "郏县总工会"


def test_core_name_removes_organisation_endings():
    assert core_name("汝州市总工会") == "汝州"
    assert core_name("高新区工会联合会") == "高新"
    assert core_name("平顶山热力集团 公司工会") == "平顶山热力"


def test_core_name_keeps_at_least_two_characters():
    assert core_name("叶县总工会") == "叶县"
    assert core_name("郏县") == "郏县"
