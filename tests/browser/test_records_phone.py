"""A unit reporter on a phone: fills a 托管班 row, sees the working days counted on the Chinese
calendar and what misses the standard; then imports an Excel template with errors, reads the
error list, fixes the file, uploads it again and saves."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from orgs.tests.factories import reporter_of
from records.imports.columns import template_headers
from records.imports.template import HEADER_ROW
from records.models import FormDefinition, Record
from reporting.calendar import calendar_rows_from_library
from reporting.models import CalendarDay, CalendarYear

from .conftest import screenshot
from .test_reporting_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SLUG = "pingdingshan-2022"
PHONE_WIDTH = 390


def filled(template: bytes, form: FormDefinition, rows: list[dict]) -> bytes:
    """The downloaded template with `rows` (field code → value; a date range as a pair)."""
    book = load_workbook(BytesIO(template))
    sheet = book.worksheets[0]
    columns = {sheet.cell(HEADER_ROW, c).value: c for c in range(1, sheet.max_column + 1)}
    for number, row in enumerate(rows, HEADER_ROW + 1):
        for f in form.schema.input_fields:
            if f.code not in row:
                continue
            values = row[f.code] if f.type == "date_range" else [row[f.code]]
            for header, value in zip(template_headers(f), values, strict=True):
                sheet.cell(number, columns[header], value)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def chinese_calendar(plan_2022):
    """The holiday calendar the migration seeds: an earlier transactional test may have emptied
    the database, and `plan_2022` loads the plan again but not the calendar."""
    if not CalendarDay.objects.filter(date__year=2022).exists():
        years, rows = calendar_rows_from_library()
        CalendarYear.objects.bulk_create(
            [CalendarYear(year=y, source="chinesecalendar") for y in years], ignore_conflicts=True
        )
        CalendarDay.objects.bulk_create(
            [CalendarDay(date=d, is_workday=w, name=n) for d, w, n in rows], ignore_conflicts=True
        )


def no_sideways_scrolling(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_a_reporter_fills_a_childcare_row_and_imports_a_corrected_template_on_a_phone(
    browser, live_server, plan_2022, chinese_calendar, settings, tmp_path
):
    settings.UNIONPLAN_TODAY = "2022-10-10"
    reporter_of("ruzhou", username="rz-care")
    form = FormDefinition.objects.get(plan=plan_2022, code="childcare")

    # The reporter finds the form from the hub and adds a row.
    page = login(browser, live_server, "rz-care", phone=True)
    try:
        fill_and_import(page, live_server, form, tmp_path)
    finally:
        page.context.close()


def fill_and_import(page, live_server, form, tmp_path):
    page.goto(f"{live_server.url}/records/{SLUG}/")
    page.get_by_role("link", name="暑期爱心托管班登记表").click()
    page.get_by_role("link", name="新增一条").click()
    page.get_by_label("托管班名称").fill("汝州市暑期爱心托管班")
    page.get_by_label("举办单位").fill("汝州市总工会")
    page.get_by_label("托管场地").fill("汝州市工人文化宫")
    # 1–30 September 2022: 中秋节 on the 12th is a holiday.
    page.get_by_label("开始日期").fill("2022-09-01")
    page.get_by_label("结束日期").fill("2022-09-30")
    page.get_by_label("托管人数").fill("25")
    page.get_by_label("累计出勤人次").fill("380")
    page.locator("#field-has_agreement").get_by_label("是").check()
    page.locator("#field-has_insurance").get_by_label("否").check()
    assert no_sideways_scrolling(page)
    page.get_by_role("button", name="保存").click()

    page.get_by_text("已保存，但未达标").wait_for()
    assert page.locator("#computed-working_days").inner_text().endswith("21 天")
    assert "72.4 %" in page.locator("#computed-attendance_rate").inner_text()  # 380 / (25 × 21)
    issues = page.locator("#issues").inner_text()
    assert "出勤率低于75%" in issues and "未为托管对象购买人身意外伤害保险" in issues
    assert "托管规模不足20人" not in issues
    screenshot(page, "phone-records-childcare-row")

    # A mistyped number is answered next to its field, in Chinese; the row keeps its values.
    page.get_by_label("托管人数").fill("二十五")
    page.get_by_role("button", name="保存").click()
    page.locator("#field-children .up-field-error").wait_for()
    assert "「二十五」不是数字" in page.locator("#field-children").inner_text()
    page.get_by_label("托管人数").fill("25")
    page.locator("#field-has_insurance").get_by_label("是").check()
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已保存，但未达标：出勤率低于75%").wait_for()

    # The rows list is a stack of cards on the phone.
    page.get_by_role("link", name="暑期爱心托管班登记表").first.click()
    page.locator("tr[id^=row-]").first.wait_for()
    assert no_sideways_scrolling(page)
    screenshot(page, "phone-records-childcare-list")

    # The Excel round trip: the unit's template, filled with one good row and one bad one.
    page.get_by_role("link", name="Excel 导入").click()
    template = page.request.get(
        live_server.url + page.locator("#template-link").get_attribute("href")
    ).body()
    good = {
        "name": "第二期托管班",
        "host": "汝州市总工会",
        "place": "汝州市职工之家",
        "period": ("2022-07-11", "2022-08-12"),
        "children": 30,
        "attendance": 700,
        "has_agreement": "是",
        "has_insurance": "是",
    }
    bad = dict(good, name="第三期托管班", children="三十", has_agreement="也许")
    bad["period"] = ("2022-08-20", "2022-08-01")
    broken = tmp_path / "托管班.xlsx"
    broken.write_bytes(filled(template, form, [good, bad]))
    page.set_input_files("#import-file", str(broken))
    page.get_by_role("button", name="上传并预览").click()

    errors = page.locator("#import-errors")
    errors.wait_for()
    text = errors.inner_text()
    assert "「三十」不是数字" in text
    assert "应填“是”或“否”" in text
    assert "结束日期不能早于开始日期" in text
    assert page.locator("#count-errors").inner_text() == "1"
    screenshot(page, "phone-records-import-errors")

    # The reporter fixes the bad row and uploads the file again.
    fixed = tmp_path / "托管班-改.xlsx"
    bad.update(children=28, attendance=600, has_agreement="是", period=("2022-08-01", "2022-08-31"))
    fixed.write_bytes(filled(template, form, [good, bad]))
    page.get_by_role("link", name="改好后重新上传").click()
    page.set_input_files("#import-file", str(fixed))
    page.get_by_role("button", name="上传并预览").click()
    page.locator("#import-counts").wait_for()
    assert page.locator("#count-errors").inner_text() == "0"
    assert page.locator("#count-new").inner_text() == "2"
    assert page.locator("#import-errors").count() == 0
    page.get_by_role("button", name="保存 2 条有效记录").click()

    page.get_by_text("已保存 2 条新记录").wait_for()
    assert page.locator("tr[id^=row-]").count() == 3
    screenshot(page, "phone-records-imported")
    names = set(Record.objects.filter(form=form).values_list("data__name", flat=True))
    assert names == {"汝州市暑期爱心托管班", "第二期托管班", "第三期托管班"}
