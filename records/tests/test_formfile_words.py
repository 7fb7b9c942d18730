"""Yes and no in a form's definition, as people write them."""

from records.formfile import FormReader


def read(field: dict):
    problems: list[str] = []
    forms = FormReader(problems, set()).read(
        [{"code": "rooms", "title": "母婴室登记表", "fields": [{"code": "name", "label": "名称",
          "type": "text", **field}]}],
        "forms",
    )  # fmt: skip
    return forms, problems


def test_no_written_in_chinese_means_not_required():
    forms, problems = read({"required": "否"})
    assert problems == []
    assert forms[0].schema.fields[0].required is False


def test_yes_written_in_chinese_means_required():
    forms, _problems = read({"required": "是"})
    assert forms[0].schema.fields[0].required is True


def test_a_word_that_is_neither_yes_nor_no_is_a_problem_not_a_yes():
    _forms, problems = read({"required": "可能"})
    assert any("「可能」应为 true 或 false" in p for p in problems)
