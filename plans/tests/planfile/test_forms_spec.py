"""Forms in a plan file: a broken form definition is reported with its location, like the
rest of the file, and a good one loads, reloads unchanged, and updates in place."""

from plans.planfile.spec import read_plan_file
from plans.services import plan_load
from plans.tests.planfile.test_spec import GOOD_HEAD, problems_of, write
from records.models import FormDefinition

INDICATORS = """
programmes:
  - number: 1
    title: 专案一
    category: action
    indicators:
      - {code: P1, name: 活动, measure: 场, target: 10, comparator: gte}
      - {code: P2, name: 人次, measure: 人次}
"""


def test_broken_forms_are_reported_with_their_location(tmp_path):
    path = write(
        tmp_path,
        GOOD_HEAD
        + INDICATORS
        + """
    milestones:
      - {title: 报送, when: {due: 2030-06}, actor: units, actor_scope: [county], form: nosuch}
    forms:
      - code: events
        title: 活动登记表
        key: [name, missing]
        date_field: name
        deadline: {every: weekly}
        late_policy: sometimes
        fields:
          - {code: name, label: 名称, type: txt}
          - {code: Size, label: 人数, type: integer, colour: red}
          - {code: mode, label: 方式, type: choice}
          - {code: rate, label: 比例, type: text, compute: "size * 2"}
          - {code: pattern, label: 代码, type: text, pattern: "[a-"}
        rules:
          - {check: "open(name)", message: 不行}
          - {check: "size >=", message: 不行}
        standards:
          - {check: "name == 'x'"}
        computes:
          - {indicator: P9, count: true}
          - {indicator: P2, sum: name}
          - {indicator: P1}
      - code: events
        title: 重复
        fields: [{code: a, label: 甲, type: text}]
        computes:
          - {indicator: P1, count: true}
""",
    )
    text = "\n".join(problems_of(path))
    at = "programmes[0].forms[0]"
    assert f"{at}.fields[0].type: 「txt」不是字段类型" in text
    assert f"{at}.fields[1].code: 字段代码应为小写英文字母开头" in text
    assert f"{at}.fields[1]: 未知的键「colour」" in text
    assert f"{at}.fields[2].choices: 单选、多选字段须列出选项" in text
    assert f"{at}.fields[3].compute: 只有数字、金额、是/否字段可以由公式计算" in text
    assert "公式「size * 2」用到了不存在的字段：size" in text
    assert f"{at}.fields[4].pattern: 不是有效的正则表达式" in text
    assert f"{at}.rules[0].check: 公式「open(name)」中的函数「open」不可用" in text
    assert f"{at}.rules[1].check: 公式「size >=」写法有误" in text
    assert f"{at}.standards[0]: 缺少「message」" in text
    assert f"{at}.key: 应为字段代码的列表" in text
    assert f"{at}.date_field: 「name」不是日期字段" in text
    assert f"{at}.deadline.every: 应为 monthly、quarterly、half_year 之一" in text
    assert f"{at}.late_policy: 应为 flag、exclude 之一" in text
    assert f"{at}.computes[0].indicator: 没有指标「P9」" in text
    assert f"{at}.computes[1].sum: 「name」不是本表的数字字段" in text
    assert f"{at}.computes[2]: 应写 count: true 或 sum: <数字字段>" in text
    assert "programmes[0].forms[1].code: 表单代码「events」重复" in text
    assert "programmes[0].forms[1].computes: 指标「P1」已由另一张表计算" in text
    assert "programmes[0].milestones[0].form: 本专案没有代码为「nosuch」的统计表" in text


GOOD_FORM = """
    forms:
      - code: events
        title: 活动登记表
        key: [name]
        date_field: held_on
        deadline: {every: quarterly, days_after: 5, by: held_on}
        fields:
          - {code: name, label: 名称, type: text, required: true}
          - {code: held_on, label: 日期, type: date, required: true}
          - {code: people, label: 人次, type: integer, min: 0}
        standards:
          - {check: "people >= 50", message: 人次不足50}
        computes:
          - {indicator: P1, count: true}
          - {indicator: P2, sum: people}
"""


def test_a_good_form_loads_and_reloading_changes_nothing(tmp_path, db):
    path = write(tmp_path, GOOD_HEAD + INDICATORS + GOOD_FORM)
    plan_load(spec=read_plan_file(path))
    form = FormDefinition.objects.get(code="events")
    assert form.schema.deadline.describe() == "每季度结束后 5 日内报送"
    assert [f.label for f in form.schema.input_fields] == ["名称", "日期", "人次"]
    assert set(form.computes.values_list("indicator__code", "aggregate")) == {
        ("P1", "count"),
        ("P2", "sum"),
    }
    assert not plan_load(spec=read_plan_file(path)).changed
    write(tmp_path, GOOD_HEAD + INDICATORS + GOOD_FORM.replace("人次不足50", "人次不足60"))
    result = plan_load(spec=read_plan_file(path))
    # The plan row records the file's new checksum; the form is updated in place.
    assert dict(result.counts) == {"plan.updated": 1, "formdefinition.updated": 1}
    assert FormDefinition.objects.get(code="events").pk == form.pk


def test_a_personal_field_is_text_of_a_known_kind_and_stays_out_of_formulas(tmp_path):
    path = write(
        tmp_path,
        GOOD_HEAD
        + INDICATORS
        + """
    forms:
      - code: members
        title: 困难会员登记表
        fields:
          - {code: name, label: 姓名, type: text, required: true}
          - {code: id_number, label: 身份证号, type: text, personal: id_number}
          - {code: phone, label: 电话, type: text, personal: fax}
          - {code: income, label: 家庭年收入, type: money, personal: text}
          - {code: size, label: 家庭人口, type: integer}
        rules:
          - {check: "present(id_number)", message: 须填身份证号}
        standards:
          - {check: "size >= 1", message: 须填家庭人口}
        computes:
          - {indicator: P1, count: true, where: "id_number != ''"}
""",
    )
    text = "\n".join(problems_of(path))
    at = "programmes[0].forms[0]"
    assert f"{at}.fields[2].personal: 应为 phone、id_number、text 之一" in text
    assert f"{at}.fields[3].personal: 只有文字字段可以是个人信息" in text
    assert f"{at}.rules[0].check: 个人信息字段（id_number）不能用于公式" in text
    assert f"{at}.computes[0].where: 个人信息字段（id_number）不能用于公式" in text
    assert "standards" not in text and "fields[1]" not in text


def test_a_personal_field_loads_and_its_definition_says_so(tmp_path, db):
    name = "          - {code: name,"
    contact = "          - {code: contact, label: 联系电话, type: text, personal: phone}\n"
    form = GOOD_FORM.replace(name, contact + name)
    path = write(tmp_path, GOOD_HEAD + INDICATORS + form)
    plan_load(spec=read_plan_file(path))
    schema = FormDefinition.objects.get(code="events").schema
    assert [f.code for f in schema.personal_fields] == ["contact"]
    assert schema.by_code["contact"].personal == "phone"
