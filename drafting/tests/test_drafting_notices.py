"""Drafting whole notices: the 2022 notice measured against the hand-written plan, and notices
of other shapes (a run-on list of another city, a province's Word file)."""

import io
import json
from pathlib import Path

import docx
import pytest
from django.core.management import CommandError, call_command

from drafting.compare import compare
from drafting.draft import draft_plan
from drafting.notice import read_notice, read_text
from drafting.selectors import federation_context

NOTICES = Path(__file__).parent / "notices"


@pytest.fixture
def draft_2022(plan_2022):
    units, departments = federation_context(plan_2022.issuer.code)
    notice = read_text((NOTICES / "pingdingshan-2022.txt").read_text())
    return draft_plan(notice, units=units, departments=departments)


def test_the_2022_notice_drafts_its_fourteen_programmes_in_order(draft_2022):
    assert [(p["number"], p["category"]) for p in draft_2022["programmes"]][:2] == [
        (1, "action"), (2, "action"),
    ]  # fmt: skip
    assert [p["number"] for p in draft_2022["programmes"]] == list(range(1, 15))
    assert draft_2022["plan"]["doc_number"] == "平工文〔2022〕14号"
    assert draft_2022["plan"]["issued_on"] == "2022-03-28"


def test_the_2022_draft_recovers_nine_in_ten_targets_and_nineteen_in_twenty_cells(
    draft_2022, plan_2022
):
    report = compare(draft_2022, plan_2022.slug)["recovered"]
    assert report["programmes"]["ratio"] == 1.0
    assert report["targets"]["ratio"] >= 0.9
    assert report["cells"]["ratio"] >= 0.95


def test_every_drafted_item_keeps_the_text_it_came_from(draft_2022):
    notice_text = (NOTICES / "pingdingshan-2022.txt").read_text()
    squashed = "".join(notice_text.replace("**", "").split())
    for programme in draft_2022["programmes"]:
        for item in programme["indicators"] + programme["milestones"]:
            assert "".join(item["source"].split()) in squashed, item
        for table in programme["tables"]:
            for row in table["rows"]:
                assert row["source"]


def test_table_rows_resolve_to_the_federations_units_or_say_why_not(draft_2022):
    rows = [r for p in draft_2022["programmes"] for t in p["tables"] for r in t["rows"]]
    by_label = {r["label"]: r for r in rows}
    assert by_label["郟县"]["unit"] == "郏县总工会"
    assert by_label["姚电公司"]["resolution"]["status"] == "resolved"
    assert by_label["其它"]["resolution"]["status"] == "not_unit"
    assert by_label["机关事业单位"]["unit"] is None


def test_a_step_names_who_acts_and_the_department_it_is_delivered_to(draft_2022):
    steps = draft_2022["programmes"][1]["milestones"]
    plan_step = next(s for s in steps if s["rule"] == {"due": "2022-04"})
    assert plan_step["actor"] == "units"
    assert "industry_union" in plan_step["actor_scope"]
    assert plan_step["deliver_to"] == "劳动和经济工作部"


def test_a_run_on_list_of_another_city_drafts_its_programmes_targets_and_sub_targets():
    notice = read_text((NOTICES / "heluo-2023.txt").read_text())
    draft = draft_plan(notice)
    assert draft["plan"]["year"] == 2023
    assert draft["plan"]["issuer"] == "河洛市总工会"
    assert [p["title"] for p in draft["programmes"]] == [
        "送温暖帮扶", "户外劳动者服务站点", "职工技能提升", "职工疗休养", "法律援助",
    ]  # fmt: skip
    funds, part = draft["programmes"][0]["indicators"][:2]
    assert (funds["target"], funds["measure"], funds["comparator"]) == (10_000_000, "元", "gte")
    assert (part["target"], part["part_of"]) == (3_000_000, funds["code"])
    stations = draft["programmes"][1]["indicators"][0]
    assert (stations["target"], stations["comparator"]) == (300, "near")
    # the annex at the end goes to the programme whose target is its printed total
    assert stations["declared_total"] == 300
    assert stations["unassigned"]["其他"] == 50
    new_units = {u["name"]: u for u in draft["units"]}
    assert new_units["嵩县总工会"]["kind"] == "county"
    assert new_units["嵩县总工会"]["short_name"] == "嵩县"
    assert "其他" not in new_units


def _province_docx() -> bytes:
    document = docx.Document()
    for text in [
        "河南省总工会",
        "豫工文〔2021〕8号",
        "2021年3月1日",
        "一、职工技能提升行动",
        "全省组织职工技能竞赛不少于1000场，投入竞赛奖励资金2亿元。",
        "各省辖市总工会于5月底前制定实施方案，报省总劳动和经济工作部。",
        "二、困难职工帮扶专项",
        "筹集帮扶资金近3亿元，年底前完成。",
    ]:
        document.add_paragraph(text)
    document.add_paragraph("附件")
    document.add_paragraph("职工技能竞赛任务分解表")
    table = document.add_table(rows=4, cols=2)
    for r, (a, b) in enumerate(
        [("单位", "竞赛（场）"), ("郑州市", "300"), ("洛阳市", "200"), ("合计", "1000")]
    ):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_provinces_word_file_drafts_cities_as_cities_and_money_in_yuan():
    draft = draft_plan(read_notice("通知.docx", _province_docx()))
    first, second = draft["programmes"]
    assert first["indicators"][1]["target"] == 200_000_000
    assert second["indicators"][0]["target"] == 300_000_000
    assert second["indicators"][0]["comparator"] == "near"
    step = first["milestones"][0]
    assert (step["rule"], step["actor"], step["actor_scope"]) == (
        {"due": "2021-05"},
        "units",
        ["city"],
    )
    assert {u["name"]: u["kind"] for u in draft["units"]} == {"郑州市": "city", "洛阳市": "city"}
    competitions = first["indicators"][0]
    assert competitions["unassigned"] == {"郑州市": 300, "洛阳市": 200}
    assert competitions["declared_total"] == 1000


def test_draftplan_prints_the_draft_as_json(tmp_path, capsys):
    path = tmp_path / "notice.txt"
    path.write_text((NOTICES / "heluo-2023.txt").read_text())
    call_command("draftplan", str(path))
    draft = json.loads(capsys.readouterr().out)
    assert draft["plan"]["doc_number"] == "河工〔2023〕5号"
    assert all("source" in i for p in draft["programmes"] for i in p["indicators"])


def test_draftplan_compares_a_draft_with_a_loaded_plan(plan_2022, capsys):
    call_command(
        "draftplan", str(NOTICES / "pingdingshan-2022.txt"),
        "--federation", plan_2022.issuer.code, "--compare", plan_2022.slug,
    )  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert report["recovered"]["targets"]["ratio"] >= 0.9


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.txt"], "无法读取文件"),
        (["notice.pdf"], ".docx"),
        (["notice.txt", "--federation", "nowhere"], "没有代码为「nowhere」的工会"),
    ],
)
def test_draftplan_says_in_chinese_what_is_wrong(tmp_path, monkeypatch, db, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notice.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "notice.txt").write_text("一、送温暖专案")
    with pytest.raises(CommandError, match=message):
        call_command("draftplan", *args)
