"""Every page of every role, on a phone (390 px) and a desktop (1440 px), with the demo's data:
no page is wider than the window (wide tables scroll inside their own box), and a role sees the
same menu on every page.

The pages are the GET patterns of the URL × role matrix (tests/test_authorization.py) that answer
200 for the role there; the demo accounts stand in for its personas (汝州市's reporter and head,
劳动和经济工作部's staff), so the same objects are theirs to see.
"""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from campaigns.tests.matrix_helpers import nominated_campaign
from campaigns.tests.naming_helpers import named_campaign
from demo.accounts import demo_accounts_create
from demo.evaluations import demo_evaluations_create
from demo.records import demo_records_create
from demo.reports import demo_city_figures_create, demo_reports_create
from demo.steps import demo_steps_create
from drafting.notice import read_text
from drafting.services import draft_create
from evaluations.models import Evaluation
from jobs.models import Job
from jobs.services import job_enqueue
from jobs.tests.tasks import file_made
from orgs.models import User
from orgs.robot_delivery import robot_result_record
from orgs.robot_services import robot_create
from orgs.tests.personas import force_login_verified
from plans.models import Plan
from records.models import FormDefinition
from records.services.imports import record_import_preview
from records.tests.web import competition_row
from reporting.models import Obligation
from reporting.tests.files import upload
from reporting.tests.late import late_request_for_matrix
from supervision.models import StepCompletion
from supervision.tests.notice_helpers import replied
from tests.test_authorization import COMPETITION_CSV, RULES, SLUG

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_TODAY = dt.date(2022, 7, 20)
WIDTHS = (390, 1440)
# The matrix's personas, as demo accounts.
ROLES = {
    "reporter": "ruzhou",
    "head": "ruzhou-head",
    "staff": "staff01",
    "leader": "leader",
    "system_admin": "sysadmin",
    "security_admin": "secadmin",
    "audit_admin": "auditadmin",
}
# Answers that are files, and fragments htmx puts into a page: nothing a person opens alone. A new
# download missing here fails the walk ("Download is starting"): name it here.
NOT_PAGES = {
    "assessment:export_docx",
    "assessment:export_xlsx",
    "audit:entry_export",
    "campaigns:certificates_xlsx",
    "campaigns:decision_docx",
    "campaigns:nomination_file",
    "dashboards:bulletin",
    "drafting:plan_file",
    "evaluations:file",
    "evaluations:results_export",
    "dashboards:cell_history",
    "dashboards:export",
    "dashboards:matrix_export",
    "jobs:download",
    "orgs:otp_qr",
    "plans:table_export",
    "records:attachment",
    "records:evidence_download",
    "records:export",
    "records:formsheet_export",
    "records:formsheet_template",
    "records:import_errors",
    "records:import_template",
    "reporting:calendar_status",
    "reporting:chase_export",
    "reporting:city_figure_evidence",
    "reporting:evidence_download",
    "reporting:late_file",
    "reporting:programme_progress",
    "supervision:completion_file",
    "supervision:notice_file",
    "supervision:unit_notices",
}
# A few pages to look at, not only to measure.
SCREENSHOTS = {
    ("leader", "records:review"),
    ("leader", "dashboards:ranking"),
    ("staff", "records:rows"),
    ("system_admin", "orgs:user_list"),
    ("security_admin", "orgs:policy"),
}
MENU = "#nav .navbar-nav a"
# One item of each role's menu, so that the same short menu everywhere does not pass.
IN_MENU = {
    "reporter": "本单位清单",
    "head": "本单位清单",
    "staff": "记录审核",
    "leader": "记录审核",
    "system_admin": "用户管理",
    "security_admin": "安全策略",
    "audit_admin": "审计日志",
}


@pytest.fixture
def demo(plan_2022, settings):
    """The demo's accounts, reports, rows and 市总统计 as of 20 July, and the objects the
    matrix's URLs need."""
    settings.UNIONPLAN_TODAY = DEMO_TODAY.isoformat()
    settings.UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE = False
    demo_accounts_create(plan=plan_2022)
    demo_reports_create(plan=plan_2022, today=DEMO_TODAY)
    demo_records_create(plan=plan_2022, today=DEMO_TODAY)
    demo_city_figures_create(plan=plan_2022, today=DEMO_TODAY)
    demo_steps_create(plan=plan_2022, today=DEMO_TODAY)
    demo_evaluations_create(plan=plan_2022, today=DEMO_TODAY)
    evaluation = Evaluation.objects.get(unit__code="ruzhou")
    reporter = User.objects.get(username=ROLES["reporter"])
    late_request = late_request_for_matrix(reporter)
    completion = StepCompletion.objects.filter(
        milestone__programme__plan=plan_2022, undone_at__isnull=True
    ).first()
    # A 企业微信 robot of 汝州市 (群机器人), with a delivery error to show; disabled, so that the
    # steps taken below post nothing outside.
    robot = robot_create(
        actor=User.objects.get(username=ROLES["system_admin"]),
        unit=reporter.unit,
        kind="wecom",
        name="汝州市填报群",
        webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=demo",
        enabled=False,
    )
    robot_result_record(robot, "错误码 93000：invalid webhook url, hint: [1658301234_abcdefgh]")
    # A 督办单 to 汝州市, signed and answered with a photo (its page shows every part).
    notice = replied(
        plan_2022,
        User.objects.get(username=ROLES["staff"]),
        User.objects.get(username=ROLES["head"]),
        reporter,
    )
    # A campaign of 专案3 named in May, its objection answered (评选命名).
    naming = named_campaign(
        plan=plan_2022, staff=User.objects.get(username=ROLES["staff"]), nominator=reporter
    )
    # A campaign of 专案3 with 汝州市's nomination recommended, the leader its scorer (评选).
    nominating = nominated_campaign(
        plan=plan_2022,
        staff=User.objects.get(username=ROLES["staff"]),
        reporter=reporter,
        head=User.objects.get(username=ROLES["head"]),
        leader=User.objects.get(username=ROLES["leader"]),
    )
    return {
        **naming,
        **nominating,
        # 汝州市's 评分自评, submitted (demo/evaluations.py).
        "rubric": evaluation.rubric,
        "evaluation": evaluation,
        "evaluation_file": None,
        "notice": notice,
        "notice_file": notice.evidence.get(),
        "robot": robot,
        "late_request": late_request,
        "late_file": late_request.evidence.get(),
        # A federation step its department marked done (本部门工作节点).
        "step": completion.milestone,
        "completion": completion,
        "obligation": Obligation.objects.get(
            unit__code="ruzhou", programme__number=3, kind="progress", period_end="2022-05-31"
        ),
        # 本期无's periods (posts only, named for the matrix's rules).
        "form_obligation": Obligation.objects.get(
            unit__code="ruzhou", kind="form", form_code="consumption", period_end="2022-06-15"
        ),
        "nil_obligation": Obligation.objects.get(
            unit__code="ruzhou", kind="form", form_code="products", period_end="2022-04-15"
        ),
        "record": competition_row(Plan.objects.get(slug=SLUG), reporter, "岗位练兵"),
        "import": record_import_preview(
            form=FormDefinition.objects.get(plan__slug=SLUG, code="competitions"),
            unit=reporter.unit,
            actor=reporter,
            uploaded=upload("竞赛.csv", COMPETITION_CSV.encode("utf-8")),
        ),
        "target": User.objects.get(username="jiaxian"),
        "draft": draft_create(
            actor=User.objects.get(username=ROLES["staff"]),
            notice=read_text(
                "一、送温暖专案\n\n慰问职工600户以上，4月底前各县（市、区）总工会制定方案。\n\n"
                "单位\t户数 (户)\n汝州市\t300\n叶县\t300\n合计\t600\n"
            ),
            name="通知.txt",
        ),
        "job": job_enqueue(
            actor=User.objects.get(username=ROLES["staff"]),
            kind=Job.Kind.BULLETIN,
            task=file_made,
            plan=plan_2022,
        ),
    }


def pages_of(role: str, objects: dict) -> list[tuple[str, str]]:
    return [
        (name, reverse(name, kwargs=kwargs(objects)))
        for name, (method, kwargs, expected) in sorted(RULES.items())
        if method == "get" and expected[role] == 200 and name not in NOT_PAGES
    ]


def session_cookie(live_server, username: str) -> dict:
    client = Client()
    force_login_verified(client, User.objects.get(username=username))
    name = django_settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": live_server.url}


def walk(browser, live_server, role: str, pages, width: int) -> tuple[list[str], dict]:
    """Each page at one width: the ones wider than the window, and the menu each shows."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    context.add_cookies([session_cookie(live_server, ROLES[role])])
    page = context.new_page()
    too_wide, menus = [], {}
    for name, url in pages:
        response = page.goto(live_server.url + url)
        assert response.status == 200, f"{role} {url}: {response.status}"
        # htmx loads part of some pages after the load event.
        expect(page.locator(".htmx-request")).to_have_count(0)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        inner_width = page.evaluate("window.innerWidth")
        if scroll_width > inner_width:
            too_wide.append(f"{url} at {width} px: {scroll_width} px")
        menus[url] = tuple(t.strip() for t in page.locator(MENU).all_text_contents())
        if (role, name) in SCREENSHOTS:
            screenshot(page, f"width-{role}-{name.replace(':', '-')}-{width}")
    context.close()
    return too_wide, menus


def test_no_page_is_wider_than_the_window_and_each_role_keeps_its_menu(browser, live_server, demo):
    too_wide, menus_differ = [], []
    for role in ROLES:
        pages = pages_of(role, demo)
        menus = {}
        for width in WIDTHS:
            wide, seen = walk(browser, live_server, role, pages, width)
            too_wide += wide
            menus.update({(url, width): menu for url, menu in seen.items()})
        shown = {menu: page for page, menu in menus.items()}  # each menu, with a page showing it
        if len(shown) != 1 or IN_MENU[role] not in next(iter(shown)):
            menus_differ.append(f"{role}: {shown}")
    assert {"too wide": too_wide, "menus differ": menus_differ} == {
        "too wide": [],
        "menus differ": [],
    }
