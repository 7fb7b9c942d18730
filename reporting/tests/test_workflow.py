"""The one review workflow's table, walked state × action × person for both kinds it serves
(progress reports and rows of forms), against the rules written out here independently."""

import datetime as dt

import pytest

from orgs.models import User
from orgs.tests.factories import UserFactory, head_of, reporter_of, staff_of
from records.models import FormDefinition, Record
from records.services import record_create, records_confirm, records_submit
from records.services.flow import RECORD
from reporting import services, workflow
from reporting.models import Notification, Obligation, Report
from reporting.services import ValueInput

OPEN_DAY = dt.date(2022, 6, 1)
STATES = ["draft", "submitted", "confirmed", "returned", "approved"]
# Who may take each step, and from which states: the GLOSSARY's review flow.
RULES = {
    "submit": ({"draft", "returned"}, {"reporter", "head"}),
    "confirm": ({"submitted"}, {"head"}),
    "send_back": ({"submitted"}, {"head"}),
    "approve": ({"confirmed"}, {"staff"}),
    "return": ({"confirmed"}, {"staff"}),
    "reopen": ({"approved"}, {"staff"}),
}
TARGETS = {
    "submit": "submitted",
    "confirm": "confirmed",
    "send_back": "returned",
    "approve": "approved",
    "return": "returned",
    "reopen": "returned",
}
EVENTS = {
    "submit": "submitted",
    "confirm": "confirmed",
    "send_back": "sent_back",
    "approve": "approved",
    "return": "returned",
    "reopen": "reopened",
}


@pytest.fixture
def people(plan_2022):
    """汝州市's reporter and head; 郏县's; 劳动和经济工作部 reviews 专案1 and 专案3."""
    return {
        "reporter": reporter_of("ruzhou", username="wf-reporter"),
        "head": head_of("ruzhou", username="wf-head"),
        "other_reporter": reporter_of("jiaxian", username="wf-other"),
        "other_head": head_of("jiaxian", username="wf-other-head"),
        "staff": staff_of("劳动和经济工作部", username="wf-staff"),
        "other_staff": staff_of("组织部", username="wf-other-staff"),
        "leader": UserFactory(username="wf-leader", role=User.Role.LEADER),
        "system_admin": UserFactory(username="wf-sys", role=User.Role.SYSTEM_ADMIN),
        "audit_admin": UserFactory(username="wf-audit", role=User.Role.AUDIT_ADMIN),
    }


@pytest.fixture
def may_obligation(plan_2022):
    return Obligation.objects.get(
        unit__code="ruzhou", programme__number=3, kind="progress", period_end="2022-05-31"
    )


def thing(kind, plan, obligation, status):
    """An unsaved report or row of 汝州市 in `status`: the table only reads it."""
    if kind == "report":
        return services.REPORT, Report(obligation=obligation, status=status)
    form = FormDefinition.objects.get(plan=plan, code="competitions")  # 专案1
    return RECORD, Record(form=form, unit=obligation.unit, status=status)


@pytest.mark.parametrize("kind", ["report", "record"])
def test_each_step_is_open_to_exactly_the_people_and_states_the_rules_name(
    kind, people, plan_2022, may_obligation
):
    got, expected = {}, {}
    for state in STATES:
        reviewed, obj = thing(kind, plan_2022, may_obligation, state)
        for action, (sources, who) in RULES.items():
            for name, user in people.items():
                refused = workflow.refusal(reviewed, obj, action, user, today=OPEN_DAY)
                got[(state, action, name)] = not refused
                expected[(state, action, name)] = state in sources and name in who
    assert got == expected


def test_each_step_leads_to_its_state_and_is_logged_under_its_own_name():
    assert {a: t.target for a, t in workflow.TRANSITIONS.items()} == TARGETS
    assert {a: t.event for a, t in workflow.TRANSITIONS.items()} == EVENTS
    assert {a for a, t in workflow.TRANSITIONS.items() if t.needs_reason} == {
        "send_back",
        "return",
        "reopen",
    }


@pytest.mark.parametrize("kind", ["report", "record"])
def test_only_the_units_own_people_may_change_a_draft_or_a_returned_one(
    kind, people, plan_2022, may_obligation
):
    editable = set()
    for state in STATES:
        reviewed, obj = thing(kind, plan_2022, may_obligation, state)
        editable |= {
            (state, name)
            for name, user in people.items()
            if workflow.can_edit(user, obj, reviewed, today=OPEN_DAY)
        }
    assert editable == {(s, n) for s in ("draft", "returned") for n in ("reporter", "head")}


def test_the_buttons_follow_the_table_order_for_the_person_and_the_state(
    people, plan_2022, may_obligation
):
    def labels(name, state):
        reviewed, obj = thing("report", plan_2022, may_obligation, state)
        return [a.label for a in workflow.actions_for(people[name], obj, reviewed, today=OPEN_DAY)]

    assert labels("reporter", "draft") == ["提交单位负责人确认"]
    assert labels("reporter", "submitted") == []
    assert labels("head", "submitted") == ["确认并报送市总", "退回填报员"]
    assert labels("staff", "confirmed") == ["审核通过", "退回修改"]
    assert labels("staff", "approved") == ["撤销通过"]
    assert labels("leader", "confirmed") == []


def test_a_list_of_rows_offers_each_person_the_steps_of_their_part(people, plan_2022):
    form = FormDefinition.objects.get(plan=plan_2022, code="competitions")
    departments = {d.pk for d in form.programme.departments.all()}
    ruzhou = people["reporter"].unit_id

    def actions(name, unit_id):
        found = workflow.batch_actions(people[name], unit_id=unit_id, department_ids=departments)
        return [a.action for a in found]

    assert actions("reporter", ruzhou) == ["submit"]
    assert actions("head", ruzhou) == ["submit", "confirm", "send_back"]
    assert actions("staff", None) == ["approve", "return", "reopen"]
    assert actions("other_staff", None) == []
    assert actions("other_reporter", ruzhou) == []


def test_a_period_not_yet_begun_can_be_neither_changed_nor_submitted(people, plan_2022):
    december = Obligation.objects.get(
        unit__code="ruzhou", programme__number=2, kind="progress", period_end="2022-12-31"
    )
    report = Report(obligation=december, status="draft")
    july = dt.date(2022, 7, 20)
    reporter = people["reporter"]
    refused = workflow.refusal(services.REPORT, report, "submit", reporter, today=july)
    assert refused == "该期（2022年12月）尚未开始，12月1日起可填报。"
    assert not workflow.can_edit(reporter, report, services.REPORT, today=july)
    assert workflow.actions_for(reporter, report, services.REPORT, today=july) == []
    first_day = dt.date(2022, 12, 1)
    assert not workflow.refusal(services.REPORT, report, "submit", reporter, today=first_day)


# -- notifications ----------------------------------------------------------------------------


def inbox(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("message", flat=True))


def test_each_step_of_a_report_tells_the_people_who_act_next(people, may_obligation, settings):
    settings.UNIONPLAN_TODAY = "2022-06-01"
    reporter, head, staff = people["reporter"], people["head"], people["staff"]
    report = Report(obligation=may_obligation)
    values = [ValueInput(i.pk, "5") for i in may_obligation.indicators.all()]
    report = services.report_submit(report=report, actor=reporter, version=1, values=values)
    assert inbox(head) == [
        "汝州市：专案3「深化产业工人队伍建设改革行动专案」2022年5月进度已提交，请确认并报送市总。"
    ]
    assert inbox(reporter) == [] and inbox(staff) == []

    report = services.report_confirm(report=report, actor=head, version=report.version)
    assert len(inbox(staff)) == 1 and "请审核" in inbox(staff)[0]
    assert inbox(people["other_staff"]) == []

    services.report_return(
        report=report, reviewer=staff, version=report.version, reason="请附签到表"
    )
    assert any(m.endswith("进度被退回修改，原因：请附签到表") for m in inbox(reporter))
    assert any(m.endswith("进度被退回修改，原因：请附签到表") for m in inbox(head))
    assert inbox(people["other_reporter"]) == []


def test_a_batch_of_rows_sends_one_notification_per_person(people, plan_2022, settings):
    settings.UNIONPLAN_TODAY = "2022-05-12"
    form = FormDefinition.objects.get(plan=plan_2022, code="culture")
    rows = [
        record_create(
            form=form,
            unit=people["reporter"].unit,
            actor=people["reporter"],
            raw={
                "name": f"活动{i}",
                "kind": "送电影",
                "held_on": "2022-05-10",
                "place": "工地",
                "audience": "80",
            },
        )
        for i in range(3)
    ]
    records_submit(items=[(r, 1) for r in rows], actor=people["reporter"])
    [message] = inbox(people["head"])
    assert (
        message
        == f"汝州市：“五送”文化活动登记表第 {rows[0].pk} 条等 3 条记录已提交，请确认并报送市总。"
    )
    culture_staff = staff_of("宣传教育部", username="wf-culture")
    records_confirm(items=[(r, None) for r in rows], actor=people["head"])
    assert len(inbox(culture_staff)) == 1


def test_a_refused_step_tells_no_one(people, may_obligation, settings):
    settings.UNIONPLAN_TODAY = "2022-06-01"
    report = Report(obligation=may_obligation)
    with pytest.raises(services.FiguresRefused):
        services.report_submit(report=report, actor=people["reporter"], version=1, values=[])
    assert inbox(people["head"]) == []
    assert not Report.objects.filter(obligation=may_obligation).exists()


def test_no_notification_nests_brackets_inside_brackets(people, may_obligation, settings):
    """A title that holds its own 「」 is never wrapped in another pair, whatever the step."""
    settings.UNIONPLAN_TODAY = "2022-06-01"
    reporter, head, staff = people["reporter"], people["head"], people["staff"]
    values = [ValueInput(i.pk, "5") for i in may_obligation.indicators.all()]
    report = services.report_submit(
        report=Report(obligation=may_obligation), actor=reporter, version=1, values=values
    )
    report = services.report_confirm(report=report, actor=head, version=report.version)
    report = services.report_approve(report=report, reviewer=staff, version=report.version)
    messages = list(Notification.objects.values_list("message", flat=True))
    assert len(messages) >= 3
    for message in messages:
        assert message.startswith("汝州市：专案3「深化产业工人队伍建设改革行动专案」2022年5月进度")
        assert message.count("「") == 1 and message.count("」") == 1
