"""Every URL pattern × every role: the expected answer, so no view escapes its access rule.

A pattern missing from RULES fails `test_every_url_pattern_has_an_access_rule`: a new view must
say who may use it. Each persona's request runs inside a savepoint that is rolled back, so one
persona's action never changes what the next one sees.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from campaigns.tests.matrix_helpers import nominated_campaign
from campaigns.tests.naming_helpers import named_campaign
from drafting.notice import read_text
from drafting.services import draft_create
from evaluations import services as evaluation_services
from evidence.services import evidence_add
from jobs.models import Job
from jobs.services import job_enqueue
from jobs.tests.tasks import file_made
from orgs.models import User
from orgs.robot_services import robot_create
from orgs.tests.factories import UserFactory, head_of, reporter_of, staff_of
from orgs.tests.personas import force_login_verified
from plans.models import Indicator, Milestone, Plan, Rubric
from records.models import FormDefinition
from records.services import record_create
from records.services.evidence import record_evidence_add
from records.services.imports import record_import_preview
from records.services.nil_returns import nil_return_declare
from records.tests.web import competition_row
from reporting import services
from reporting.models import Notification, Obligation
from reporting.tests.files import JPG, upload
from reporting.tests.late import late_request_for_matrix
from supervision import notice_services
from supervision.services import step_complete

COMPETITION_CSV = (
    "竞赛项目名称,竞赛级别,竞赛类别,组织单位,当前阶段,竞赛起止日期（开始）,竞赛起止日期（结束）\n"
    "技能比武,市级,职工技能竞赛,汝州市总工会,申报,2022-05-01,2022-06-30\n"
    "坏行,省级,职工技能竞赛,汝州市总工会,申报,2022-05-01,2022-06-30\n"
)
PERSONAS = [
    "anonymous",
    "reporter",
    "head",
    "other_unit",
    "staff",
    "other_staff",
    "leader",
    "system_admin",
    "security_admin",
    "audit_admin",
]
ADMINS = {"system_admin": 403, "security_admin": 403, "audit_admin": 403}
SLUG = "pingdingshan-2022"


def everyone(status, **overrides):
    expected = {p: status for p in PERSONAS if p != "anonymous"}
    expected["anonymous"] = "login"
    expected.update(overrides)
    return expected


# The report under test belongs to 汝州市 (reporter, head); "other_unit" is 郏县; "staff" is
# 劳动和经济工作部 (reviews 专案3), "other_staff" is 组织部.
IN_UNIT_READ = everyone(200, other_unit=404, other_staff=404, **ADMINS)
UNIT_WRITE = everyone(302, other_unit=404, staff=403, other_staff=404, leader=403, **ADMINS)
# Submitting or uploading with nothing filled in: refused, and the page comes back with the
# reasons beside the fields (200) rather than a redirect that would drop what was typed.
UNIT_WRITE_REFUSED = {**UNIT_WRITE, "reporter": 200, "head": 200}
HEAD_WRITE = everyone(403, head=302, other_unit=404, other_staff=404, **ADMINS)
REVIEW_WRITE = everyone(403, staff=302, other_unit=404, other_staff=404, **ADMINS)
STAFF_PAGES = everyone(403, staff=200, other_staff=200, leader=200)
LATE_ASK = everyone(403, reporter=200, head=200, other_unit=404, other_staff=404, **ADMINS)
UNIT_OWN = everyone(403, reporter=200, head=200, other_unit=200)
UPLOADER = everyone(403, reporter=200, head=404, other_unit=404)
# The plan and its figures: everyone but the three administrators (三权分立).
BUSINESS = everyone(200, **ADMINS)
# City-wide figures: department staff and leaders.
DASHBOARD = STAFF_PAGES
# Writing a plan's content: its federation's department staff; leaders only read.
PLAN_AUTHOR = everyone(403, staff=200, other_staff=200)
JOB = everyone(404, staff=200, other_staff=200, leader=200)
# Running a campaign's proposal, 公示 and naming: its programme's departments.
CAMPAIGN_RUN = everyone(403, staff=200)
# A 督办单 to 汝州市: its unit's people and the federation's staff and leaders.
NOTICE_READ = everyone(200, other_unit=404, **ADMINS)

RULES = {
    # name: (method, kwargs builder, expected per persona)
    "home": ("get", lambda c: {}, everyone(302)),
    "login": ("get", lambda c: {}, everyone(200, anonymous=200)),
    "logout": ("post", lambda c: {}, everyone(302)),
    "plans:list": ("get", lambda c: {}, BUSINESS),
    # Drafting a plan from a notice: the federation's department staff.
    "drafting:list": ("get", lambda c: {}, PLAN_AUTHOR),
    # Publishing: a page saying what it will do, then the button (a published plan: "不需要再发布").
    "reporting:plan_publish": ("get", lambda c: {"slug": SLUG}, PLAN_AUTHOR),
    "drafting:review": ("get", lambda c: {"pk": c["draft"].pk}, PLAN_AUTHOR),
    "drafting:header": ("post", lambda c: {"pk": c["draft"].pk}, PLAN_AUTHOR),
    "drafting:plan_file": ("get", lambda c: {"pk": c["draft"].pk}, PLAN_AUTHOR),
    "drafting:generate": ("post", lambda c: {"pk": c["draft"].pk}, PLAN_AUTHOR),
    "drafting:accept_rest": (
        "post",
        lambda c: {"pk": c["draft"].pk, "key": "p1"},
        everyone(403, staff=302, other_staff=302),
    ),
    "drafting:decide": ("post", lambda c: {"pk": c["draft"].pk, "key": "P01-1"}, PLAN_AUTHOR),
    "drafting:edit": ("get", lambda c: {"pk": c["draft"].pk, "key": "P01-1"}, PLAN_AUTHOR),
    "drafting:add": (
        "get",
        lambda c: {"pk": c["draft"].pk, "key": "p1", "kind": "indicator"},
        PLAN_AUTHOR,
    ),
    "drafting:columns": ("get", lambda c: {"pk": c["draft"].pk, "key": "T01a"}, PLAN_AUTHOR),
    "drafting:row": ("get", lambda c: {"pk": c["draft"].pk, "key": "T01a", "row": 0}, PLAN_AUTHOR),
    "plans:overview": ("get", lambda c: {"slug": SLUG}, BUSINESS),
    "plans:programme": ("get", lambda c: {"slug": SLUG, "number": 3}, BUSINESS),
    "plans:units": ("get", lambda c: {"slug": SLUG}, STAFF_PAGES),
    "plans:unit": (
        "get",
        lambda c: {"slug": SLUG, "code": "ruzhou"},
        everyone(200, other_unit=404, **ADMINS),
    ),
    "plans:consistency": ("get", lambda c: {"slug": SLUG}, STAFF_PAGES),
    "plans:table_export": ("get", lambda c: {"slug": SLUG, "code": "T02"}, BUSINESS),
    # Excel imports of a table or the unit list: the issuing federation's department staff
    # (any department); a confirmation carrying no preview shows the upload page again (200).
    "plans:table_import": ("get", lambda c: {"slug": SLUG, "code": "T02"}, PLAN_AUTHOR),
    "plans:table_import_confirm": ("post", lambda c: {"slug": SLUG, "code": "T02"}, PLAN_AUTHOR),
    "plans:unit_import": ("get", lambda c: {"slug": SLUG}, PLAN_AUTHOR),
    # Editing the running plan in the browser: the issuing federation's department staff.
    "plans:programme_edit": ("get", lambda c: {"slug": SLUG, "number": 3}, PLAN_AUTHOR),
    "plans:indicator_add": ("get", lambda c: {"slug": SLUG, "number": 3}, PLAN_AUTHOR),
    "plans:indicator_edit": ("get", lambda c: {"slug": SLUG, "code": "P03-craftsmen"}, PLAN_AUTHOR),
    "plans:indicator_delete": (
        "get",
        lambda c: {"slug": SLUG, "code": "P03-craftsmen"},
        PLAN_AUTHOR,
    ),
    "plans:milestone_add": ("get", lambda c: {"slug": SLUG, "number": 2}, PLAN_AUTHOR),
    "plans:milestone_edit": (
        "get",
        lambda c: {"slug": SLUG, "number": 2, "order": 0},
        PLAN_AUTHOR,
    ),
    "plans:milestone_delete": (
        "get",
        lambda c: {"slug": SLUG, "number": 2, "order": 0},
        PLAN_AUTHOR,
    ),
    "plans:table_edit": ("get", lambda c: {"slug": SLUG, "code": "T02"}, PLAN_AUTHOR),
    "plans:unit_import_confirm": ("post", lambda c: {"slug": SLUG}, PLAN_AUTHOR),
    "reporting:todo": ("get", lambda c: {}, everyone(403, reporter=200, head=200, other_unit=200)),
    "reporting:report": ("get", lambda c: {"pk": c["obligation"].pk}, IN_UNIT_READ),
    "reporting:report_save": ("post", lambda c: {"pk": c["obligation"].pk}, UNIT_WRITE),
    "reporting:report_submit": ("post", lambda c: {"pk": c["obligation"].pk}, UNIT_WRITE_REFUSED),
    "reporting:report_confirm": ("post", lambda c: {"pk": c["obligation"].pk}, HEAD_WRITE),
    "reporting:report_send_back": ("post", lambda c: {"pk": c["obligation"].pk}, HEAD_WRITE),
    "reporting:report_approve": ("post", lambda c: {"pk": c["obligation"].pk}, REVIEW_WRITE),
    "reporting:report_return": ("post", lambda c: {"pk": c["obligation"].pk}, REVIEW_WRITE),
    "reporting:report_reopen": ("post", lambda c: {"pk": c["obligation"].pk}, REVIEW_WRITE),
    "reporting:evidence_upload": (
        "post",
        lambda c: {"pk": c["obligation"].pk},
        UNIT_WRITE_REFUSED,
    ),
    "reporting:evidence_download": (
        "get",
        lambda c: {"evidence_pk": c["evidence"].pk},
        IN_UNIT_READ,
    ),
    "reporting:evidence_delete": ("post", lambda c: {"evidence_pk": c["evidence"].pk}, UNIT_WRITE),
    "reporting:review": ("get", lambda c: {}, STAFF_PAGES),
    # 补报申请: asked by the unit (its request already open, the form answers 200 with why not),
    # decided by the reviewing department.
    "reporting:late_new": (
        "get",
        lambda c: {"pk": c["late_request"].obligation_id},
        LATE_ASK,
    ),
    "reporting:late_requests": ("get", lambda c: {}, BUSINESS),
    "reporting:late_request": ("get", lambda c: {"pk": c["late_request"].pk}, IN_UNIT_READ),
    "reporting:late_approve": ("post", lambda c: {"pk": c["late_request"].pk}, REVIEW_WRITE),
    "reporting:late_reject": ("post", lambda c: {"pk": c["late_request"].pk}, REVIEW_WRITE),
    "reporting:late_revoke": ("post", lambda c: {"pk": c["late_request"].pk}, REVIEW_WRITE),
    "reporting:late_file": (
        "get",
        lambda c: {"pk": c["late_request"].pk, "evidence_pk": c["late_file"].pk},
        IN_UNIT_READ,
    ),
    "reporting:chase": ("get", lambda c: {"slug": SLUG}, STAFF_PAGES),
    "reporting:chase_export": ("get", lambda c: {"slug": SLUG}, STAFF_PAGES),
    # 发送催报提醒 (a job): department staff, for their programmes; leaders read only.
    "reporting:chase_remind": (
        "post",
        lambda c: {"slug": SLUG},
        everyone(403, staff=302, other_staff=302),
    ),
    "reporting:programme_progress": ("get", lambda c: {"slug": SLUG, "number": 3}, BUSINESS),
    "reporting:calendar_status": ("get", lambda c: {"slug": SLUG}, BUSINESS),
    # 市总统计: 专案8's 免费健康体检 is 劳动和经济工作部's ("staff"); the others read only.
    "reporting:city_figures": ("get", lambda c: {"slug": SLUG}, STAFF_PAGES),
    "reporting:city_figure_history": (
        "get",
        lambda c: {"slug": SLUG, "code": "P08-checkups"},
        STAFF_PAGES,
    ),
    # The post carries no figure: refused, the page comes back with the reasons (200).
    "reporting:city_figure_enter": (
        "post",
        lambda c: {"slug": SLUG, "code": "P08-checkups"},
        everyone(403, staff=200),
    ),
    "reporting:city_figure_evidence": ("get", lambda c: {"pk": c["city_figure"].pk}, STAFF_PAGES),
    "reporting:city_figure_withdraw": (
        "post",
        lambda c: {"pk": c["city_figure"].pk},
        everyone(403, staff=302),
    ),
    "reporting:notifications": ("get", lambda c: {}, everyone(200)),
    "reporting:notifications_read": ("post", lambda c: {}, everyone(302)),
    "reporting:notification_open": (
        "get",
        lambda c: {"pk": c["notification"].pk},
        everyone(404, reporter=302),
    ),
    "dashboards:overview": ("get", lambda c: {"slug": SLUG}, DASHBOARD),
    "dashboards:matrix": ("get", lambda c: {"slug": SLUG, "number": 3}, DASHBOARD),
    "dashboards:cell_history": (
        "get",
        lambda c: {"slug": SLUG, "number": 3, "code": "ruzhou"},
        DASHBOARD,
    ),
    "dashboards:ranking": ("get", lambda c: {"slug": SLUG}, DASHBOARD),
    "dashboards:timeliness": ("get", lambda c: {"slug": SLUG}, DASHBOARD),
    "dashboards:milestones": ("get", lambda c: {"slug": SLUG}, DASHBOARD),
    "dashboards:warnings": ("get", lambda c: {"slug": SLUG}, DASHBOARD),
    "dashboards:export": ("get", lambda c: {"slug": SLUG, "what": "ranking"}, DASHBOARD),
    "dashboards:matrix_export": ("get", lambda c: {"slug": SLUG, "number": 3}, DASHBOARD),
    "dashboards:bulletin": ("get", lambda c: {"slug": SLUG}, DASHBOARD),
    # 考核结果: every unit's for department staff and leaders (and the exports); one unit's also
    # for that unit's own people, another unit's answers 404.
    "assessment:results": ("get", lambda c: {"slug": SLUG}, DASHBOARD),
    "assessment:unit": (
        "get",
        lambda c: {"slug": SLUG, "code": "ruzhou"},
        everyone(200, other_unit=404, **ADMINS),
    ),
    "assessment:export_xlsx": ("get", lambda c: {"slug": SLUG}, DASHBOARD),
    "assessment:export_docx": ("get", lambda c: {"slug": SLUG}, DASHBOARD),
    # 生成通报 as a job (jobs/): whoever reads the dashboards; a plain post goes to the job.
    "dashboards:bulletin_start": (
        "post",
        lambda c: {"slug": SLUG},
        everyone(403, staff=302, other_staff=302, leader=302),
    ),
    # A job is its starter's ("staff" made the bulletin under test) and, being the plan's, its
    # federation's department staff and leaders'; anyone else's answers 404.
    "jobs:job": ("get", lambda c: {"pk": c["job"].pk}, JOB),
    "jobs:download": ("get", lambda c: {"pk": c["job"].pk}, JOB),
    "orgs:password_change": ("get", lambda c: {}, everyone(200)),
    # The second factor: everyone's own; "verify" has nothing left to ask of these sessions.
    "orgs:otp_settings": ("get", lambda c: {}, everyone(200)),
    "orgs:otp_enrol": ("get", lambda c: {}, everyone(200)),
    "orgs:otp_qr": ("get", lambda c: {}, everyone(200)),
    "orgs:otp_verify": ("get", lambda c: {}, everyone(302)),
    "orgs:otp_reset": (
        "get",
        lambda c: {"pk": c["target"].pk},
        everyone(403, security_admin=200),
    ),
    "orgs:user_list": ("get", lambda c: {}, everyone(403, system_admin=200)),
    "orgs:user_create": ("get", lambda c: {}, everyone(403, system_admin=200)),
    "orgs:user_edit": ("get", lambda c: {"pk": c["target"].pk}, everyone(403, system_admin=200)),
    "orgs:user_active_set": (
        "post",
        lambda c: {"pk": c["target"].pk},
        everyone(403, system_admin=302),
    ),
    "orgs:user_password_reset": (
        "post",
        lambda c: {"pk": c["target"].pk},
        everyone(403, system_admin=200),
    ),
    # A reporter and a head for every unit of a plan; a refused confirmation goes back to the
    # preview (302), the accepted one answers with the file of temporary passwords.
    "orgs:unit_accounts_plans": ("get", lambda c: {}, everyone(403, system_admin=200)),
    "orgs:unit_accounts_preview": (
        "get",
        lambda c: {"slug": SLUG},
        everyone(403, system_admin=200),
    ),
    "orgs:unit_accounts_create": (
        "post",
        lambda c: {"slug": SLUG},
        everyone(403, system_admin=302),
    ),
    # 群机器人: the system administrator's; 发送测试消息 posts to the robot (here nothing listens
    # on 127.0.0.1:9, so the error is kept) and goes back to the list.
    "orgs:robot_list": ("get", lambda c: {}, everyone(403, system_admin=200)),
    "orgs:robot_create": ("get", lambda c: {}, everyone(403, system_admin=200)),
    "orgs:robot_edit": ("get", lambda c: {"pk": c["robot"].pk}, everyone(403, system_admin=200)),
    "orgs:robot_delete": (
        "post",
        lambda c: {"pk": c["robot"].pk},
        everyone(403, system_admin=302),
    ),
    "orgs:robot_test": ("post", lambda c: {"pk": c["robot"].pk}, everyone(403, system_admin=302)),
    "orgs:role_list": ("get", lambda c: {}, everyone(403, security_admin=200)),
    "orgs:role_change": (
        "get",
        lambda c: {"pk": c["target"].pk},
        everyone(403, security_admin=200),
    ),
    "orgs:locked_list": ("get", lambda c: {}, everyone(403, security_admin=200)),
    "orgs:account_unlock": ("post", lambda c: {}, everyone(403, security_admin=302)),
    "orgs:policy": ("get", lambda c: {}, everyone(403, security_admin=200)),
    # Rows of forms: the record under test is 汝州市's, on 专案1's form (劳动和经济工作部).
    "records:hub": ("get", lambda c: {"slug": SLUG}, everyone(200, **ADMINS)),
    "records:rows": (
        "get",
        lambda c: {"slug": SLUG, "code": "competitions"},
        everyone(200, other_staff=404, **ADMINS),
    ),
    "records:row_new": (
        "get",
        lambda c: {"slug": SLUG, "code": "competitions"},
        everyone(403, reporter=200, head=200, other_unit=200, other_staff=404, **ADMINS),
    ),
    "records:row": ("get", lambda c: {"slug": SLUG, "pk": c["record"].pk}, IN_UNIT_READ),
    "records:row_delete": ("post", lambda c: {"slug": SLUG, "pk": c["record"].pk}, UNIT_WRITE),
    # 查看完整信息 of a 附件1 row's phone (专案14, 权益保障部: "staff" does not see it): whoever
    # sees the row, with a reason; never the administrators.
    "records:row_reveal": (
        "post",
        lambda c: {"slug": SLUG, "pk": c["products_row"].pk},
        everyone(200, other_unit=404, staff=404, other_staff=404, **ADMINS),
    ),
    "records:evidence_upload": (
        "post",
        lambda c: {"slug": SLUG, "pk": c["record"].pk, "field": "summary"},
        UNIT_WRITE,
    ),
    "records:evidence_download": ("get", lambda c: {"pk": c["record_file"].pk}, IN_UNIT_READ),
    "records:evidence_delete": ("post", lambda c: {"pk": c["record_file"].pk}, UNIT_WRITE),
    "records:review": ("get", lambda c: {}, STAFF_PAGES),
    # Without checked rows the step only gets as far as the role check.
    "records:act": (
        "post",
        lambda c: {"action": "approve"},
        everyone(403, staff=302, other_staff=302),
    ),
    # The Excel round trip: a unit's own work (the unit comes from the account, so 郏县's
    # reporter gets 郏县's template); an upload is seen by its uploader only.
    "records:import_template": ("get", lambda c: {"slug": SLUG, "code": "competitions"}, UNIT_OWN),
    "records:import_upload": ("get", lambda c: {"slug": SLUG, "code": "competitions"}, UNIT_OWN),
    "records:import_preview": ("get", lambda c: {"slug": SLUG, "pk": c["import"].pk}, UPLOADER),
    "records:import_errors": ("get", lambda c: {"slug": SLUG, "pk": c["import"].pk}, UPLOADER),
    "records:import_save": (
        "post",
        lambda c: {"slug": SLUG, "pk": c["import"].pk},
        {**UPLOADER, "reporter": 302},
    ),
    "records:import_cancel": (
        "post",
        lambda c: {"slug": SLUG, "pk": c["import"].pk},
        {**UPLOADER, "reporter": 302},
    ),
    # Exports: 专案1's form is 劳动和经济工作部's ("staff"); 附件3 is 权益保障部's.
    "records:export": (
        "get",
        lambda c: {"slug": SLUG, "code": "competitions"},
        everyone(200, other_staff=404, **ADMINS),
    ),
    "records:attachment": (
        "get",
        lambda c: {"slug": SLUG, "code": "consumption"},
        everyone(200, staff=404, other_staff=404, **ADMINS),
    ),
    # A form's definition as a spreadsheet: the issuing federation's department staff, whichever
    # department runs the programme (require_plan_author); without a preview's token the save
    # goes back to the upload page.
    "records:formsheet_upload": (
        "get",
        lambda c: {"slug": SLUG},
        everyone(403, staff=200, other_staff=200),
    ),
    "records:formsheet_template": (
        "get",
        lambda c: {"slug": SLUG},
        everyone(403, staff=200, other_staff=200),
    ),
    "records:formsheet_export": (
        "get",
        lambda c: {"slug": SLUG, "code": "competitions"},
        everyone(403, staff=200, other_staff=200),
    ),
    "records:formsheet_save": (
        "post",
        lambda c: {"slug": SLUG},
        everyone(403, staff=302, other_staff=302),
    ),
    # 本期无 on 汝州市's periods of 专案14's forms (权益保障部: neither "staff" sees them): the
    # unit's own word; leaders see the period but may not speak for the unit.
    "records:nil_return_declare": (
        "post",
        lambda c: {"slug": SLUG, "code": "consumption", "pk": c["form_obligation"].pk},
        everyone(302, other_unit=404, staff=404, other_staff=404, leader=403, **ADMINS),
    ),
    "records:nil_return_withdraw": (
        "post",
        lambda c: {"slug": SLUG, "code": "products", "pk": c["nil_obligation"].pk},
        everyone(302, other_unit=404, staff=404, other_staff=404, leader=403, **ADMINS),
    ),
    # 本部门工作节点: the step under test is 专案1's 安排部署, 劳动和经济工作部's ("staff"); the
    # other department's staff and leaders read; a post without a date comes back refused (200).
    "supervision:steps": ("get", lambda c: {"slug": SLUG}, STAFF_PAGES),
    "supervision:step": ("get", lambda c: {"slug": SLUG, "pk": c["step"].pk}, STAFF_PAGES),
    "supervision:step_complete": (
        "post",
        lambda c: {"slug": SLUG, "pk": c["step"].pk},
        everyone(403, staff=200),
    ),
    "supervision:step_schedule": (
        "post",
        lambda c: {"slug": SLUG, "pk": c["step"].pk},
        everyone(403, staff=200),
    ),
    "supervision:completion_undo": (
        "post",
        lambda c: {"pk": c["completion"].pk},
        everyone(403, staff=302),
    ),
    "supervision:completion_file": ("get", lambda c: {"pk": c["completion"].pk}, STAFF_PAGES),
    # 督办单 to 汝州市 from 劳动和经济工作部 ("staff"): unit users read their own unit's (the
    # list is scoped, so 郏县's is empty), staff and leaders of the federation read all; the head
    # signs, a reporter or the head replies (empty: refused, 200), the issuing department closes
    # or returns (the replied notice is at version 3, so version 1 is a stale page: refused, 200).
    "supervision:notices": ("get", lambda c: {"slug": SLUG}, BUSINESS),
    "supervision:notice_issue": ("get", lambda c: {"slug": SLUG}, PLAN_AUTHOR),
    "supervision:unit_notices": (
        "get",
        lambda c: {"slug": SLUG, "code": "ruzhou"},
        STAFF_PAGES,
    ),
    "supervision:notice": ("get", lambda c: {"pk": c["notice"].pk}, NOTICE_READ),
    "supervision:notice_sign": (
        "post",
        lambda c: {"pk": c["notice"].pk},
        everyone(403, head=302, other_unit=404, **ADMINS),
    ),
    "supervision:notice_reply": (
        "post",
        lambda c: {"pk": c["signed_notice"].pk},
        everyone(403, reporter=200, head=200, other_unit=404, **ADMINS),
    ),
    "supervision:notice_close": (
        "post",
        lambda c: {"pk": c["replied_notice"].pk},
        everyone(403, staff=200, other_unit=404, **ADMINS),
    ),
    "supervision:notice_return": (
        "post",
        lambda c: {"pk": c["replied_notice"].pk},
        everyone(403, staff=200, other_unit=404, **ADMINS),
    ),
    "supervision:notice_file": ("get", lambda c: {"pk": c["notice_file"].pk}, NOTICE_READ),
    # 评分 against 专案2's rubric (劳动和经济工作部, "staff"): 汝州市's self-assessment in draft
    # at version 1. Units fill their own (郏县 its own: 200); staff of every department and
    # leaders read lists, results and the scoring page (a unit's own people are sent to their
    # 评分自评: 302); a step by the right party in the wrong state is refused on the page (200).
    "evaluations:index": ("get", lambda c: {"slug": SLUG}, BUSINESS),
    "evaluations:self": ("get", lambda c: {"slug": SLUG, "rubric": c["rubric"].pk}, UNIT_OWN),
    "evaluations:list": ("get", lambda c: {"slug": SLUG, "rubric": c["rubric"].pk}, STAFF_PAGES),
    "evaluations:results": (
        "get",
        lambda c: {"slug": SLUG, "rubric": c["rubric"].pk},
        STAFF_PAGES,
    ),
    "evaluations:results_export": (
        "get",
        lambda c: {"slug": SLUG, "rubric": c["rubric"].pk},
        STAFF_PAGES,
    ),
    "evaluations:evaluation": (
        "get",
        lambda c: {"pk": c["evaluation"].pk},
        everyone(200, reporter=302, head=302, other_unit=404, **ADMINS),
    ),
    "evaluations:submit": (
        "post",
        lambda c: {"pk": c["evaluation"].pk},
        everyone(403, reporter=302, head=302, other_unit=404, **ADMINS),
    ),
    "evaluations:confirm": (
        "post",
        lambda c: {"pk": c["evaluation"].pk},
        everyone(403, head=200, other_unit=404, **ADMINS),
    ),
    "evaluations:send_back": (
        "post",
        lambda c: {"pk": c["evaluation"].pk},
        everyone(403, head=200, other_unit=404, **ADMINS),
    ),
    "evaluations:approve": (
        "post",
        lambda c: {"pk": c["evaluation"].pk},
        everyone(403, staff=200, other_unit=404, **ADMINS),
    ),
    "evaluations:return": (
        "post",
        lambda c: {"pk": c["evaluation"].pk},
        everyone(403, staff=200, other_unit=404, **ADMINS),
    ),
    "evaluations:reopen": (
        "post",
        lambda c: {"pk": c["evaluation"].pk},
        everyone(403, staff=200, other_unit=404, **ADMINS),
    ),
    "evaluations:file": ("get", lambda c: {"pk": c["evaluation_file"].pk}, NOTICE_READ),
    # 评选 (campaigns.views.nominations, scoring): a campaign of 专案3 run by "staff"'s
    # department, 汝州市's nomination recommended (version 3, so version 1 is a stale page:
    # refused, 200) and the leader its scorer. Units nominate (郏县 too: 200), read their own
    # (郏县 → 404); the federation reads recommended ones; a unit's edit of a recommended one is
    # refused on the page (200); an empty scorer form comes back (200); closing before the
    # deadline is refused with a message (302).
    "campaigns:list": ("get", lambda c: {"slug": SLUG}, BUSINESS),
    "campaigns:campaign": ("get", lambda c: {"pk": c["campaign"].pk}, BUSINESS),
    "campaigns:nominate": ("get", lambda c: {"pk": c["campaign"].pk}, UNIT_OWN),
    "campaigns:nomination": ("get", lambda c: {"pk": c["nomination"].pk}, NOTICE_READ),
    "campaigns:nomination_edit": (
        "get",
        lambda c: {"pk": c["nomination"].pk},
        everyone(403, reporter=200, head=200, other_unit=404, **ADMINS),
    ),
    "campaigns:nomination_files": (
        "post",
        lambda c: {"pk": c["nomination"].pk},
        everyone(403, reporter=200, head=200, other_unit=404, **ADMINS),
    ),
    "campaigns:nomination_file": (
        "get",
        lambda c: {"pk": c["nomination_file"].pk},
        NOTICE_READ,
    ),
    "campaigns:nomination_file_remove": (
        "post",
        lambda c: {"pk": c["nomination_file"].pk},
        everyone(403, reporter=302, head=302, other_unit=404, **ADMINS),
    ),
    "campaigns:nomination_step": (
        "post",
        lambda c: {"pk": c["nomination"].pk, "action": "admit"},
        everyone(403, staff=200, other_unit=404, **ADMINS),
    ),
    "campaigns:scorer_assign": (
        "post",
        lambda c: {"pk": c["campaign"].pk},
        everyone(403, staff=200, **ADMINS),
    ),
    "campaigns:scorer_unassign": (
        "post",
        lambda c: {"pk": c["seat"].pk},
        everyone(403, staff=302, **ADMINS),
    ),
    "campaigns:score": ("get", lambda c: {"pk": c["campaign"].pk}, everyone(403, leader=200)),
    "campaigns:scoring_close": (
        "post",
        lambda c: {"pk": c["campaign"].pk},
        everyone(403, staff=302, **ADMINS),
    ),
    # 评选命名 (campaigns.views.naming): the campaign of 专案3 run by "staff"'s department; a
    # post with its form empty comes back with the reasons (200). The 公示 page needs no login.
    "campaigns:naming": ("get", lambda c: {"pk": c["naming_campaign"].pk}, BUSINESS),
    "campaigns:propose": ("post", lambda c: {"pk": c["naming_campaign"].pk}, CAMPAIGN_RUN),
    "campaigns:publicity_open": (
        "post",
        lambda c: {"pk": c["naming_campaign"].pk},
        CAMPAIGN_RUN,
    ),
    "campaigns:objection_answer": (
        "post",
        lambda c: {"pk": c["naming_campaign"].pk, "objection_pk": c["objection"].pk},
        CAMPAIGN_RUN,
    ),
    "campaigns:name": ("post", lambda c: {"pk": c["naming_campaign"].pk}, CAMPAIGN_RUN),
    "campaigns:decision_docx": ("get", lambda c: {"pk": c["naming_campaign"].pk}, STAFF_PAGES),
    "campaigns:certificates_xlsx": (
        "get",
        lambda c: {"pk": c["naming_campaign"].pk},
        STAFF_PAGES,
    ),
    "campaigns:designation_withdraw": (
        "post",
        lambda c: {"pk": c["designation"].pk},
        everyone(403, staff=200, other_unit=404),
    ),
    "campaigns:publicity": (
        "get",
        lambda c: {"slug": SLUG, "code": c["naming_campaign"].code},
        everyone(200, anonymous=200),
    ),
    "audit:entry_list": ("get", lambda c: {}, everyone(403, audit_admin=200)),
    "audit:entry_export": ("get", lambda c: {}, everyone(403, audit_admin=200)),
}


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else str(pattern.pattern)


def test_every_url_pattern_has_an_access_rule():
    missing = sorted(set(url_names()) - set(RULES))
    assert not missing, f"URL patterns without an access rule in RULES: {missing}"


@pytest.fixture
def personas(plan_2022):
    return {
        "anonymous": None,
        "reporter": reporter_of("ruzhou", username="m-reporter"),
        "head": head_of("ruzhou", username="m-head"),
        "other_unit": reporter_of("jiaxian", username="m-other"),
        "staff": staff_of("劳动和经济工作部", username="m-staff"),
        "other_staff": staff_of("组织部", username="m-other-staff"),
        "leader": UserFactory(username="m-leader", role=User.Role.LEADER),
        "system_admin": UserFactory(username="m-sys", role=User.Role.SYSTEM_ADMIN),
        "security_admin": UserFactory(username="m-sec", role=User.Role.SECURITY_ADMIN),
        "audit_admin": UserFactory(username="m-audit", role=User.Role.AUDIT_ADMIN),
    }


@pytest.fixture
def objects(personas, settings):
    settings.UNIONPLAN_TODAY = "2022-06-01"
    obligation = Obligation.objects.get(
        unit__code="ruzhou", programme__number=3, kind="progress", period_end="2022-05-31"
    )
    report = services.report_for(obligation=obligation)
    [evidence] = services.evidence_add(
        report=report, actor=personas["reporter"], files=[upload("照片.jpg", JPG)]
    )
    notification = Notification.objects.create(
        user=personas["reporter"], message="测试", url="/reporting/todo/"
    )
    record = competition_row(Plan.objects.get(slug=SLUG), personas["reporter"], "岗位练兵")
    form_obligation, nil_obligation = (
        Obligation.objects.get(unit__code="ruzhou", kind="form", form_code=code, period_end=end)
        for code, end in (("consumption", "2022-06-15"), ("products", "2022-04-15"))
    )
    nil_return_declare(obligation=nil_obligation, actor=personas["reporter"], reason="暂无推荐产品")
    products_row = record_create(
        form=FormDefinition.objects.get(plan__slug=SLUG, code="products"),
        unit=personas["reporter"].unit,
        actor=personas["reporter"],
        raw={"product": "汝州粉条", "recommender": "张三", "phone": "13812345678"},
    )
    [record_file] = record_evidence_add(
        record=record,
        actor=personas["reporter"],
        field_code="summary",
        files=[upload("总结.jpg", JPG)],
    )
    record_import = record_import_preview(
        form=FormDefinition.objects.get(plan__slug=SLUG, code="competitions"),
        unit=personas["reporter"].unit,
        actor=personas["reporter"],
        uploaded=upload("竞赛.csv", COMPETITION_CSV.encode("utf-8")),
    )
    city_figure = services.city_figure_enter(
        indicator=Indicator.objects.get(plan__slug=SLUG, code="P08-checkups"),
        actor=personas["staff"],
        period_end=dt.date(2022, 5, 31),
        raw_value="3000",
        note="据体检机构汇总",
        evidence=upload("体检汇总.jpg", JPG),
    )
    job = job_enqueue(
        actor=personas["staff"],
        kind=Job.Kind.BULLETIN,
        task=file_made,
        plan=Plan.objects.get(slug=SLUG),
        params={"as_of": "2022-05-31"},
    )
    draft = draft_create(
        actor=personas["staff"],
        notice=read_text(
            "一、送温暖专案\n\n慰问职工600户以上，4月底前各县（市、区）总工会制定方案。\n\n"
            "单位\t户数 (户)\n汝州市\t300\n叶县\t300\n合计\t600\n"
        ),
        name="通知.txt",
    )
    step = Milestone.objects.get(
        programme__plan__slug=SLUG, programme__number=1, title__startswith="安排部署"
    )
    completion = step_complete(
        milestone=step,
        actor=personas["staff"],
        due_date=dt.date(2022, 4, 30),
        done_on=dt.date(2022, 4, 20),
        note="联合印发竞赛通知",
        file=upload("通知.jpg", JPG),
    )
    late_request = late_request_for_matrix(personas["reporter"])
    notices = [
        notice_services.notice_issue(
            plan=Plan.objects.get(slug=SLUG),
            actor=personas["staff"],
            units=[personas["reporter"].unit],
            subject=subject,
            reason="专案3进度滞后",
            due_date=dt.date(2022, 6, 20),
        )[0]
        for subject in ("待签收", "待办理", "待办结")
    ]
    for notice in notices[1:]:
        notice_services.notice_sign(notice=notice, actor=personas["head"])
    replied_notice = notice_services.notice_reply(
        notice=notices[2],
        actor=personas["reporter"],
        measures="已召开推进会",
        files=[upload("推进会.jpg", JPG)],
    )
    rubric = Rubric.objects.get(programme__plan__slug=SLUG, programme__number=2)
    evaluation = evaluation_services.evaluation_self_save(
        rubric=rubric, unit=personas["reporter"].unit, actor=personas["reporter"], values={}
    )
    [evaluation_file] = evidence_add(
        owner=evaluation,
        actor=personas["reporter"],
        files=[upload("自评.jpg", JPG)],
        event_prefix=None,
    )
    robot = robot_create(
        actor=personas["system_admin"],
        unit=personas["reporter"].unit,
        kind="wecom",
        webhook_url="http://127.0.0.1:9/cgi-bin/webhook/send?key=k",
    )
    return {
        "robot": robot,
        "rubric": rubric,
        "evaluation": evaluation,
        "evaluation_file": evaluation_file,
        "notice": notices[0],
        "signed_notice": notices[1],
        "replied_notice": replied_notice,
        "notice_file": replied_notice.evidence.get(),
        "late_request": late_request,
        "late_file": late_request.evidence.get(),
        "step": step,
        "completion": completion,
        "draft": draft,
        "city_figure": city_figure,
        "import": record_import,
        "job": job,
        "record": record,
        "products_row": products_row,
        "form_obligation": form_obligation,
        "nil_obligation": nil_obligation,
        "record_file": record_file,
        "obligation": obligation,
        "evidence": evidence,
        "notification": notification,
        "target": personas["other_unit"],
        **named_campaign(
            plan=Plan.objects.get(slug=SLUG),
            staff=personas["staff"],
            nominator=personas["reporter"],
        ),
        **nominated_campaign(
            plan=Plan.objects.get(slug=SLUG),
            staff=personas["staff"],
            reporter=personas["reporter"],
            head=personas["head"],
            leader=personas["leader"],
        ),
    }


@pytest.mark.parametrize("name", sorted(RULES))
def test_each_role_gets_the_expected_answer(client, personas, objects, name):
    method, kwargs, expected = RULES[name]
    url = reverse(name, kwargs=kwargs(objects))
    data = (
        {
            "version": 1,
            "reason": "测试原因",
            "field": "phone",
            "username": "nobody",
            "is_active": "0",
        }
        if method == "post"
        else {}
    )
    got, kept = {}, []
    for persona in PERSONAS:
        sid = transaction.savepoint()
        client.logout()
        if personas[persona] is not None:
            force_login_verified(client, personas[persona])
        response = getattr(client, method)(url, data)
        if response.streaming:
            # Reading to the end closes the file; the test client's wrapper does so without
            # firing request_finished, which would close the test's database connection.
            b"".join(response.streaming_content)
        status = response.status_code
        if status == 302 and response["Location"].startswith(reverse("login") + "?next="):
            status = "login"
        got[persona] = status
        if status == 200 and persona != "anonymous" and not _no_store(response):
            kept.append(persona)
        transaction.savepoint_rollback(sid)
    assert got == expected
    # Whatever a signed-in user is shown, no browser or proxy keeps a copy.
    assert kept == []


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize("name", sorted(n for n, (m, _, _) in RULES.items() if m == "post"))
def test_write_views_refuse_get(client, personas, objects, name):
    _method, kwargs, _expected = RULES[name]
    client.force_login(personas["reporter"])
    assert client.get(reverse(name, kwargs=kwargs(objects))).status_code == 405


# Pages an administrator may open: their own work, their account, their notifications.
ADMINISTRATION = ("orgs:", "audit:", "otp:", "login", "logout", "home", "reporting:notification")
# Pages open to anyone, signed in or not: the 公示 of a campaign's proposed list.
PUBLIC = ("campaigns:publicity",)


def test_no_administrator_is_allowed_a_business_page():
    # The matrix above proves each expectation; this proves none of them lets an administrator
    # read plans, figures, rows or their exports (三权分立).
    allowed = {
        (name, persona)
        for name, (_m, _k, expected) in RULES.items()
        for persona in ADMINS
        if expected[persona] in (200, 302) and not name.startswith(ADMINISTRATION + PUBLIC)
    }
    assert allowed == set()


@pytest.mark.parametrize(
    ("persona", "page"),
    [
        ("system_admin", "orgs:user_list"),
        ("security_admin", "orgs:role_list"),
        ("audit_admin", "audit:entry_list"),
    ],
)
def test_an_administrator_lands_on_their_own_work(client, personas, persona, page):
    force_login_verified(client, personas[persona])
    assert client.get(reverse("home"))["Location"] == reverse(page)


# With the password alone, an administrator may only set up or enter the second factor, log
# in or out, and (while setting it up) change a password the policy demands.
OPEN_WITHOUT_SECOND_FACTOR = {
    False: {
        "login",
        "logout",
        "orgs:otp_enrol",
        "orgs:otp_qr",
        "orgs:password_change",
    },
    True: {"login", "logout", "orgs:otp_verify"},
}


@pytest.mark.parametrize("enrolled", [False, True], ids=["not_enrolled", "enrolled"])
@pytest.mark.parametrize("persona", sorted(ADMINS))
def test_an_administrator_without_the_second_factor_reaches_no_other_page(
    client, personas, objects, persona, enrolled
):
    admin = personas[persona]
    if enrolled:
        TOTPDevice.objects.create(user=admin, name="测试", confirmed=True)
    sent_to = reverse("orgs:otp_verify") + "?next=" if enrolled else reverse("orgs:otp_enrol")
    reached = set()
    for name, (method, kwargs, _expected) in RULES.items():
        sid = transaction.savepoint()
        client.force_login(admin)  # the password only
        response = getattr(client, method)(reverse(name, kwargs=kwargs(objects)))
        if response.streaming:
            b"".join(response.streaming_content)
        if not (response.status_code == 302 and response["Location"].startswith(sent_to)):
            reached.add(name)
        transaction.savepoint_rollback(sid)
    assert reached == OPEN_WITHOUT_SECOND_FACTOR[enrolled]
