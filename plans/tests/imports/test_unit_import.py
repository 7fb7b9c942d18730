"""Importing units into a plan's unit list: the preview of every row, and the write."""

import textwrap

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from common.errors import ServiceError
from orgs.models import Department, Unit, UnitAlias, User
from orgs.tests.factories import UserFactory
from plans.importing import sheet_read
from plans.lifecycle import plan_status_set
from plans.planfile.spec import read_plan_file
from plans.services import plan_load
from plans.tests.imports.sheets import units_preview, xlsx
from plans.tests.services.test_federations import SECOND_CITY
from plans.unit_import import plan_units_import, plan_units_preview, unit_sheet_read

HEADER = ["名称", "简称", "类型", "上级", "代码", "别名"]


def confirm(plan, preview, actor):
    return plan_units_import(
        actor=actor, plan=plan, sheet=preview.sheet, fingerprint=preview.fingerprint
    )


def rows_of(preview):
    return {r.name: r for r in preview.rows}


def test_new_units_are_made_with_codes_in_pinyin_kinds_from_words_and_parents(
    plan_2022, labour_staff
):
    upload = xlsx(
        [
            ["单位名单"],
            HEADER,
            ["平顶山市卫生健康工会", "卫健工会", "产业工会", "", "", "卫健委工会、卫生工会"],
            ["市第一人民医院工会", "市一院", "基层工会", "卫健工会", "", ""],
            ["平顶山市邮政工会", "邮政工会", "直属企业工会", "平顶山市总工会", "pds-post", ""],
        ]
    )
    preview = units_preview(plan_2022, upload)
    rows = rows_of(preview)
    health = rows["平顶山市卫生健康工会"]
    assert (health.action, health.code, health.code_generated) == ("new", "weijiangonghui", True)
    assert health.parent.code == "pds" and health.parent_default
    assert rows["市第一人民医院工会"].parent_row == 0
    assert rows["平顶山市邮政工会"].code == "pds-post"
    assert preview.ready and preview.counts["new"] == 3
    done = confirm(plan_2022, preview, labour_staff)
    assert done.created == 3
    made = Unit.objects.get(code="weijiangonghui")
    assert (made.name, made.short_name, made.kind) == (
        "平顶山市卫生健康工会",
        "卫健工会",
        "industry_union",
    )
    assert made.federation == plan_2022.issuer and made.parent == plan_2022.issuer
    assert sorted(a.alias for a in made.aliases.all()) == ["卫健委工会", "卫生工会"]
    hospital = Unit.objects.get(name="市第一人民医院工会")
    assert hospital.parent == made and hospital.kind == "grassroots"
    assert set(plan_2022.units.filter(code__in=["weijiangonghui", "pds-post"])) == {
        made,
        Unit.objects.get(code="pds-post"),
    }
    assert AuditEntry.objects.filter(event="plans.units.created").count() == 3
    summary = AuditEntry.objects.get(event="plans.units.imported")
    assert summary.after["created"] == ["weijiangonghui", "shiyiyuan", "pds-post"]


def test_an_existing_unit_is_found_through_the_resolver_and_only_gains_what_is_new(
    plan_2022, labour_staff
):
    jiaxian = Unit.objects.get(code="jiaxian")
    aliases = sorted(a.alias for a in jiaxian.aliases.all())
    upload = xlsx(
        [
            HEADER,
            ["郏县总工会", "", "", "", "", "郟县工会、郟 县"],
            ["汝州", "汝州市", "县级市", "", "", ""],
            ["舞钢市总工会", "舞钢", "", "", "", ""],
        ]
    )
    preview = units_preview(plan_2022, upload)
    rows = rows_of(preview)
    assert (rows["郏县总工会"].action, rows["郏县总工会"].aliases) == ("update", ["郟县工会"])
    assert (rows["汝州"].action, rows["汝州"].via, rows["汝州"].unit.code) == (
        "same",
        "core",
        "ruzhou",
    )
    assert rows["舞钢市总工会"].changes == ["简称 舞钢市 → 舞钢"]
    confirm(plan_2022, preview, labour_staff)
    jiaxian.refresh_from_db()
    assert sorted(a.alias for a in jiaxian.aliases.all()) == sorted([*aliases, "郟县工会"])
    assert Unit.objects.get(code="wugang").short_name == "舞钢"
    entry = AuditEntry.objects.get(event="plans.units.updated", object_id=str(jiaxian.pk))
    assert entry.before["aliases"] == aliases and "郟县工会" in entry.after["aliases"]


def test_every_problem_of_a_row_is_said_and_nothing_is_written(plan_2022, labour_staff):
    upload = xlsx(
        [
            HEADER,
            ["汝州新区工会", "汝州市", "县（市、区）", "", "", ""],
            ["某某工会", "某某", "工会", "不存在的上级", "Bad_Code", ""],
            ["舞钢", "", "", "", "", ""],
            ["新建单位", "", "", "", "ruzhou", ""],
        ]
    )
    preview = units_preview(plan_2022, upload)
    problems = [(p.line, p.column, p.reason) for p in preview.sheet.problems]
    assert (
        2,
        "类型",
        "「县（市、区）」包含几种类型，请写其中一种：县级市总工会、县总工会、区总工会",
    ) in problems
    assert (
        3,
        "类型",
        "无法识别类型「工会」（可写：" + "、".join(label for _, label in Unit.Kind.choices) + "）",
    ) in problems
    assert any(line == 3 and column == "代码" for line, column, _ in problems)
    rows = rows_of(preview)
    assert "「汝州市」已是单位「汝州市总工会」的名称或别名" in rows["汝州新区工会"].problems
    assert "无法识别上级单位「不存在的上级」" in rows["某某工会"].problems
    assert rows["舞钢"].problems == [
        "「舞钢」有歧义，可能是：舞钢市总工会、舞阳钢铁有限责任公司；请写单位全称"
    ]
    assert (
        rows["新建单位"]
        .problems[-1]
        .startswith("代码「ruzhou」已被本工会的单位「汝州市总工会」使用")
    )
    assert not preview.ready
    with pytest.raises(ServiceError):
        confirm(plan_2022, preview, labour_staff)
    assert not Unit.objects.filter(name__in=["汝州新区工会", "某某工会", "新建单位"]).exists()


@pytest.fixture
def second_city(plan_2022, tmp_path):
    path = tmp_path / "second.yaml"
    path.write_text(textwrap.dedent(SECOND_CITY.replace("XC_PINGMEI", "xc-pingmei")), "utf-8")
    return plan_load(spec=read_plan_file(path)).plan


def test_a_code_another_federations_unit_has_is_refused_and_names_its_owner(
    plan_2022, second_city, labour_staff
):
    upload = xlsx([HEADER, ["汝州市新单位", "新单位", "基层工会", "", "xc-yuzhou", ""]])
    row = units_preview(plan_2022, upload).rows[0]
    assert row.problems == [
        "代码「xc-yuzhou」已被许昌市总工会的单位「禹州市总工会」使用，请换一个代码（或留空自动生成）；"
        "其他工会的单位只能在方案文件中以 existing: true 引用"
    ]


def test_a_unit_of_the_same_name_as_another_federations_is_the_federations_own_new_one(
    plan_2022, second_city
):
    # 许昌 has a 中国平煤神马集团 of its own; Pingdingshan's is not 许昌's to find.
    upload = xlsx([HEADER, ["中国平煤神马集团", "平煤", "直属企业工会", "", "", ""]])
    row = units_preview(second_city, upload).rows[0]
    assert row.unit.code == "xc-pingmei" and row.action == "update"


def test_a_unit_another_federation_owns_is_never_changed_from_a_plan_it_is_in(ruzhou_plan):
    # 汝州市总工会 issues its own plan, but its unit is Pingdingshan's.
    department = Department.objects.get(federation=ruzhou_plan.issuer, name="经济技术工作部")
    staff = UserFactory(role=User.Role.DEPARTMENT_STAFF, department=department)
    assert staff.federation == ruzhou_plan.issuer
    same = units_preview(ruzhou_plan, xlsx([HEADER, ["汝州市总工会", "", "", "", "", ""]]))
    assert same.rows[0].action == "other" and not same.writes
    changed = units_preview(
        ruzhou_plan, xlsx([HEADER, ["汝州市总工会", "汝州", "", "", "", "汝工"]])
    )
    assert changed.rows[0].problems == [
        "「汝州市总工会」是平顶山市总工会的单位，本工会不能修改"
        "（简称 汝州市 → 汝州；新增别名 汝工）"
    ]
    with pytest.raises(ServiceError):
        confirm(ruzhou_plan, changed, staff)
    assert Unit.objects.get(code="ruzhou").short_name == "汝州市"
    new = units_preview(
        ruzhou_plan,
        xlsx([HEADER, ["汝州市钟楼街道工会", "钟楼街道", "乡镇（街道）工会", "", "", ""]]),
    )
    confirm(ruzhou_plan, new, staff)
    made = Unit.objects.get(name="汝州市钟楼街道工会")
    assert made.federation == ruzhou_plan.issuer and made.parent == ruzhou_plan.issuer


def test_a_unit_may_not_become_a_child_of_its_own_child(plan_2022):
    upload = xlsx([HEADER, ["平顶山市总工会", "", "", "郏县总工会", "", ""]])
    row = units_preview(plan_2022, upload).rows[0]
    assert row.problems == ["上级关系成环：单位不能是自己的上级，也不能在自己的下级之下"]


def test_a_closed_plan_takes_no_units(plan_2022, labour_staff):
    preview = units_preview(plan_2022, xlsx([HEADER, ["新工会", "新工会", "基层工会", "", "", ""]]))
    plan_status_set(plan=plan_2022, status="closed", reason="年度结束")
    with pytest.raises(ServiceError) as refused:
        confirm(plan_2022, preview, labour_staff)
    assert "已结束" in refused.value.message
    assert not Unit.objects.filter(name="新工会").exists()


def test_units_changed_since_the_preview_are_not_overwritten(plan_2022, labour_staff):
    preview = units_preview(plan_2022, xlsx([HEADER, ["舞钢市总工会", "舞钢", "", "", "", ""]]))
    UnitAlias(unit=Unit.objects.get(code="wugang"), alias="舞钢市工会").save()
    with pytest.raises(ServiceError) as refused:
        confirm(plan_2022, preview, labour_staff)
    assert "自预览以来" in refused.value.message
    assert Unit.objects.get(code="wugang").short_name == "舞钢市"


def test_a_list_with_nothing_new_has_nothing_to_confirm(plan_2022, labour_staff):
    preview = units_preview(plan_2022, xlsx([HEADER, ["汝州市总工会", "汝州市", "", "", "", ""]]))
    assert preview.ready and not preview.writes
    with pytest.raises(ServiceError) as refused:
        confirm(plan_2022, preview, labour_staff)
    assert refused.value.message == "文件中的单位都已在本方案中且没有变化，无需导入。"


def test_a_preview_takes_as_many_queries_for_one_unit_as_for_thirty(plan_2022):
    def queries(n):
        rows = [[f"测试单位{i}工会", f"测试{i}", "基层工会", "", "", f"测{i}"] for i in range(n)]
        sheet = unit_sheet_read(sheet=sheet_read(xlsx([HEADER, *rows])), file="t.xlsx")
        with CaptureQueriesContext(connection) as done:
            plan_units_preview(plan=plan_2022, sheet=sheet)
        return len(done)

    assert queries(1) == queries(30)
