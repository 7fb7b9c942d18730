"""评选命名 from end to end in a browser (issue 17's "Done when"): a county nominates two 母婴室 and
the department refuses one at the eligibility check; two scorers are seated, one of them blocked
from the county's nominee (their own unit's); the other scores; the department closes scoring,
proposes the list and opens the 公示, which an anonymous visitor reads and objects to; the
department answers, names the list, downloads the decision that lists it, and the dashboard's
市级示范爱心母婴室 count rises as of the naming date."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from django.test import Client

from campaigns.models import Campaign, Nomination
from orgs.models import Unit
from orgs.tests.factories import head_of, reporter_of, staff_of
from orgs.tests.personas import force_login_verified
from plans.models import Criterion, Indicator, Rubric
from records.models import FormDefinition, Record
from records.services import record_create

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "pingdingshan-2022"
FACILITIES = [
    "①导向标识和铭牌标识",
    "②明亮私密、防滑地面和垃圾桶",
    "③桌子或储物橱柜",
    "④电源插座、空调、冰箱或冰柜、消毒柜",
    "⑤卫生间和洗手池",
    "⑥可容纳2人以上的椅子或沙发",
    "⑦母婴知识、“五期”保护等宣传品",
]
ROOMS = ("汝州市人民医院爱心母婴室", "汝州市汽车站爱心母婴室")


def signed_in(browser, live_server, user, width: int):
    client = Client()
    force_login_verified(client, user)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    cookie = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    return context


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def approved_room(plan, reporter, name: str) -> Record:
    record = record_create(
        form=FormDefinition.objects.get(plan=plan, code="nursing-rooms"),
        unit=reporter.unit,
        actor=reporter,
        raw={
            "name": name,
            "host": "汝州市某单位",
            "address": "汝州市人民路1号",
            "kind": "单位内部",
            "opened_on": "2022-03-01",
            "area": "15",
            "seats": "2",
            "facilities": FACILITIES,
            "has_staff": "是",
            "has_rules": "是",
        },
    )
    Record.objects.filter(pk=record.pk).update(status=Record.Status.APPROVED)
    return record


def nursing_campaign(plan) -> Campaign:
    rubric = Rubric.objects.create(
        programme=plan.programmes.get(number=11), order=90, title="示范母婴室评分表"
    )
    for position, (code, title, points) in enumerate(
        [("1", "建设标准", "40"), ("1.1", "面积与设施", "40"), ("2", "服务成效", "60")]
        + [("2.1", "使用率与满意度", "60")]
    ):
        Criterion.objects.create(
            rubric=rubric, code=code, position=position, title=title, points=Decimal(points)
        )
    return Campaign.objects.create(
        plan=plan,
        programme=plan.programmes.get(number=11),
        code="model-nursing-rooms",
        title="2022年市级示范爱心母婴室评选",
        named_as="市级示范爱心母婴室",
        quota=10,
        per_unit=2,
        indicator=Indicator.objects.get(plan=plan, code="P11-model-rooms"),
        nominate_by=dt.date(2022, 6, 30),
        publicity_days=5,
        form=FormDefinition.objects.get(plan=plan, code="nursing-rooms"),
        rubric=rubric,
    )


def model_rooms_on(page, live_server, as_of: str) -> str:
    page.goto(f"{live_server.url}/dashboards/{SLUG}/?as_of={as_of}")
    row = page.locator("#overview-table tr", has_text="市级示范爱心母婴室")
    return row.locator("td").nth(2).inner_text().strip()


def test_a_county_nominates_and_the_department_names_the_list_after_publicity(
    browser, live_server, plan_2022, settings, tmp_path
):
    settings.UNIONPLAN_TODAY = "2022-06-20"
    staff = staff_of("女职工部", username="women-naming")
    reporter = reporter_of("ruzhou", username="ruzhou-naming")
    head = head_of("ruzhou", username="ruzhou-head-naming")
    outside_scorer = staff_of("宣传教育部", username="scorer-naming")
    records = [approved_room(plan_2022, reporter, name) for name in ROOMS]
    campaign = nursing_campaign(plan_2022)
    campaign_url = f"{live_server.url}/campaigns/{campaign.pk}/"

    # 汝州市's reporter nominates both rooms on a phone and submits them; its head recommends.
    phone = signed_in(browser, live_server, reporter, 390)
    mobile = phone.new_page()
    for record, name in zip(records, ROOMS, strict=True):
        mobile.goto(campaign_url)
        mobile.locator("#nominate-link").click()
        mobile.locator("#record").select_option(str(record.pk))
        mobile.get_by_label("推荐对象名称").fill(name)
        mobile.get_by_role("button", name="保存").click()
        mobile.get_by_role("button", name="提交单位负责人推荐").click()
        mobile.get_by_text("等待单位负责人确认推荐").wait_for()
        assert fits(mobile)
    phone.close()
    phone = signed_in(browser, live_server, head, 390)
    mobile = phone.new_page()
    for nomination in Nomination.objects.filter(campaign=campaign):
        mobile.goto(f"{live_server.url}/campaigns/nominations/{nomination.pk}/")
        mobile.get_by_role("button", name="推荐", exact=True).click()
        mobile.get_by_text("等待资格审查").wait_for()
    phone.close()

    # 女职工部 admits one and refuses the other at the eligibility check, then seats two
    # scorers: 宣传教育部's staff and 汝州市's head.
    desk = signed_in(browser, live_server, staff, 1440)
    page = desk.new_page()
    page.goto(campaign_url)
    admitted_row = page.locator("#nomination-table tr", has_text=ROOMS[0])
    admitted_row.get_by_role("button", name="资格审查通过").click()
    page.get_by_text("已入围").first.wait_for()
    refused_row = page.locator("#nomination-table tr", has_text=ROOMS[1])
    refused_row.get_by_label("不符合条件的原因").fill("未对外开放，不符合示范条件")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    refused_row.get_by_role("button", name="不符合条件").click()
    page.get_by_text("未对外开放，不符合示范条件").first.wait_for()
    assert asked == [f"确定认定「{ROOMS[1]}」不符合条件吗？认定后不能撤回。"]
    for scorer in (outside_scorer, head):
        page.locator("#scorer-form select[name=user]").select_option(str(scorer.pk))
        page.get_by_role("button", name="指定评委").click()
        page.locator("#scorers", has_text=scorer.display_name or scorer.username).wait_for()

    # Scoring opens after the 推荐 deadline: 汝州市's head must not score 汝州市's room.
    settings.UNIONPLAN_TODAY = "2022-07-05"
    own = signed_in(browser, live_server, head, 390)
    mobile = own.new_page()
    mobile.goto(f"{campaign_url}score/")
    assert mobile.locator(".conflict").inner_text() == "本单位推荐对象，须回避，不能评分。"
    assert mobile.locator(".score-form").count() == 0
    own.close()
    other = signed_in(browser, live_server, outside_scorer, 1440)
    sheet = other.new_page()
    sheet.goto(f"{campaign_url}score/")
    sheet.get_by_label("1.1 面积与设施").fill("36")
    sheet.get_by_label("2.1 使用率与满意度").fill("52")
    sheet.get_by_role("button", name="保存评分").click()
    sheet.get_by_text("我的合计 88").wait_for()
    other.close()

    # The department closes scoring, proposes the top of the results and opens the 公示.
    page.goto(campaign_url)
    page.once("dialog", lambda dialog: dialog.accept())  # 确定结束评分吗？
    page.get_by_role("button", name="结束评分").click()
    page.get_by_text("评分已结束，评选结果已生成").wait_for()
    page.locator("#naming-link").click()
    assert page.get_by_label(f"{ROOMS[0]}（汝州市总工会）").is_checked()
    page.get_by_role("button", name="确定拟命名名单").click()
    page.get_by_text("已提出拟命名名单（1个）").wait_for()
    page.get_by_label("公示开始日期").fill("2022-07-05")
    page.get_by_role("button", name="开始公示").click()
    page.get_by_text("公示时间：2022-07-05 至 2022-07-09").wait_for()

    # Anyone, not signed in, reads the list on a phone and raises an objection.
    settings.UNIONPLAN_TODAY = "2022-07-07"
    public = browser.new_context(viewport={"width": 390, "height": 900}, locale="zh-CN")
    visitor = public.new_page()
    visitor.goto(f"{live_server.url}/campaigns/publicity/{SLUG}/{campaign.code}/")
    assert visitor.locator("#publicity-list").inner_text().count("汝州市总工会") == 1
    assert ROOMS[1] not in visitor.content()
    visitor.get_by_label("异议内容").fill("该母婴室周末不开放，请核实")
    visitor.get_by_label("联系方式（选填，仅评选部门可见）").fill("13812345678")
    visitor.get_by_role("button", name="提交异议").click()
    visitor.get_by_text("您的异议已提交").wait_for()
    assert fits(visitor)
    screenshot(visitor, "campaign-publicity-390")
    public.close()

    # After the 公示: naming waits for the answer; answered, the list is named.
    settings.UNIONPLAN_TODAY = "2022-07-11"
    page.reload()
    assert "138****5678" in page.locator("#objection-table").inner_text()
    page.get_by_label("命名日期").fill("2022-07-11")
    page.get_by_label("文号").fill("平工文〔2022〕35号")
    page.get_by_label("命名决定标题").fill("关于命名2022年市级示范爱心母婴室的决定")
    page.get_by_role("button", name="命名", exact=True).click()
    page.get_by_text("还有1条异议未答复").wait_for()
    assert page.get_by_label("文号").input_value() == "平工文〔2022〕35号"
    page.get_by_label("答复内容").fill("经核实，周末由值班人员开放，符合条件")
    page.get_by_role("button", name="答复").click()
    page.get_by_text("已答复该异议").wait_for()
    page.get_by_label("命名日期").fill("2022-07-11")
    page.get_by_label("文号").fill("平工文〔2022〕35号")
    page.get_by_label("命名决定标题").fill("关于命名2022年市级示范爱心母婴室的决定")
    page.get_by_role("button", name="命名", exact=True).click()
    page.get_by_text("已命名1个“市级示范爱心母婴室”").wait_for()
    screenshot(page, "campaign-naming-1440")

    with page.expect_download() as download:
        page.locator("#decision-docx").click()
    saved = tmp_path / "decision.docx"
    download.value.save_as(saved)
    text = [p.text for p in docx.Document(BytesIO(saved.read_bytes())).paragraphs]
    assert "平工文〔2022〕35号" in text
    assert text.index("一、汝州市总工会") < text.index(ROOMS[0])
    assert ROOMS[1] not in text

    # The dashboard counts the named room for 汝州市 from the naming date on.
    assert model_rooms_on(page, live_server, "2022-07-10") == "0"
    assert model_rooms_on(page, live_server, "2022-07-11") == "1"
    assert Unit.objects.get(code="ruzhou").designations.count() == 1
    desk.close()
