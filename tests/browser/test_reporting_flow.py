import pytest

from orgs.tests.factories import head_of, reporter_of, staff_of
from reporting.models import Obligation, Report

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def login(browser, live_server, username, *, phone=False):
    context = browser.new_context(
        viewport=PHONE if phone else {"width": 1280, "height": 900},
        locale="zh-CN",
        is_mobile=phone,
        has_touch=phone,
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("Test@pass123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    return page


def test_report_travels_from_a_phone_through_confirmation_return_and_approval(
    browser, live_server, plan_2022, settings, tmp_path
):
    settings.UNIONPLAN_TODAY = "2022-06-01"
    reporter_of("ruzhou", username="rz-reporter")
    head_of("ruzhou", username="rz-head")
    staff_of("劳动和经济工作部", username="labour")
    obligation = Obligation.objects.get(
        unit__code="ruzhou", programme__number=3, kind="progress", period_end="2022-05-31"
    )
    photo = tmp_path / "培训现场.jpg"
    photo.write_bytes(JPG)

    # The reporter, on a phone, finds the May report among the to-dos and fills it in.
    page = login(browser, live_server, "rz-reporter", phone=True)
    page.goto(f"{live_server.url}/reporting/todo/")
    page.get_by_text("专案3「深化产业工人队伍建设改革行动专案」2022年5月进度").click()
    inputs = page.locator("input[name^='value_']")
    for i, value in enumerate(["4", "1", "30", "120", "40"]):
        inputs.nth(i).fill(value)
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("已保存。").wait_for()
    page.set_input_files("input[type=file]", str(photo))
    page.get_by_role("button", name="上传").click()
    page.get_by_text("已上传 1 个文件").wait_for()
    screenshot(page, "phone-report")
    page.get_by_role("button", name="提交单位负责人确认").click()
    page.get_by_text("已提交，等待单位负责人确认").wait_for()
    page.context.close()

    page = login(browser, live_server, "rz-head", phone=True)
    page.goto(f"{live_server.url}/reporting/obligations/{obligation.pk}/")
    page.get_by_role("button", name="确认并报送市总").click()
    page.get_by_text("已确认并报送市总工会").wait_for()
    page.context.close()

    page = login(browser, live_server, "labour")
    page.goto(f"{live_server.url}/reporting/review/")
    page.get_by_role("link", name=obligation.title).click()
    page.get_by_placeholder("退回原因").fill("职业技能培训人数请附签到表")
    page.get_by_role("button", name="退回修改").click()
    page.get_by_text("已退回单位修改").wait_for()
    page.context.close()

    page = login(browser, live_server, "rz-reporter", phone=True)
    page.goto(f"{live_server.url}/reporting/obligations/{obligation.pk}/")
    assert "职业技能培训人数请附签到表" in page.locator(".alert-danger").inner_text()
    page.locator("input[name^='value_']").nth(3).fill("150")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("已保存。").wait_for()
    page.get_by_role("button", name="提交单位负责人确认").click()
    page.get_by_text("已提交").first.wait_for()
    page.context.close()

    page = login(browser, live_server, "rz-head", phone=True)
    page.goto(f"{live_server.url}/reporting/obligations/{obligation.pk}/")
    page.get_by_role("button", name="确认并报送市总").click()
    page.get_by_text("已确认并报送市总工会").wait_for()
    page.context.close()

    page = login(browser, live_server, "labour")
    page.goto(f"{live_server.url}/reporting/obligations/{obligation.pk}/")
    page.get_by_role("button", name="审核通过").click()
    page.get_by_text("已审核通过").wait_for()
    assert Report.objects.get(obligation=obligation).status == Report.Status.APPROVED

    page.goto(f"{live_server.url}/plans/{plan_2022.slug}/programmes/3/")
    progress = page.locator("#approved-progress")
    progress.wait_for()
    row = progress.locator("tr", has_text="汝州市")
    assert "150" in row.inner_text()
    screenshot(page, "programme-3-approved")
    page.context.close()
