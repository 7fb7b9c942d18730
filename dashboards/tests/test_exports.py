import datetime as dt
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from dashboards import exports, metrics, selectors
from orgs.models import Unit
from orgs.tests.factories import head_of
from reporting import services
from reporting.models import Obligation
from reporting.services import ValueInput

AS_OF = dt.date(2022, 6, 30)
# 专案3 from 2022-04-01 to the year's end: 91 of 275 days have passed on 30 June.
ELAPSED = Decimal(91) / Decimal(275)
RUZHOU = (5, 1, 40, 150, 50)  # half of each share (10, 2, 80, 300, 100)
JIAXIAN = (1, 0, 8, 30, 10)  # a tenth, and nothing for the studios


def approved(settings, *, unit, values, reporter, head, reviewer, day):
    """汝州市's or 郏县's May report for 专案3, confirmed and approved on `day`."""
    obligation = Obligation.objects.get(
        unit__code=unit, programme__number=3, kind="progress", period_end="2022-05-31"
    )
    settings.UNIONPLAN_TODAY = day.isoformat()
    at = dt.datetime.combine(day, dt.time(10), tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(at, tick=False):
        report = services.report_for(obligation=obligation)
        figures = [
            ValueInput(i.pk, str(v), "")
            for i, v in zip(obligation.indicators.order_by("order"), values, strict=True)
        ]
        report = services.report_save(
            report=report, actor=reporter, version=report.version, values=figures, note=""
        )
        report = services.report_submit(report=report, actor=reporter, version=report.version)
        report = services.report_confirm(report=report, actor=head, version=report.version)
        return services.report_approve(report=report, reviewer=reviewer, version=report.version)


def two_units_reported(settings, ruzhou_reporter, ruzhou_head, jiaxian_reporter, labour_staff):
    """汝州市 on time at half its shares, 郏县 two days late at a tenth."""
    jiaxian_head = head_of("jiaxian", username="jiaxian-head-test")
    approved(
        settings,
        unit="ruzhou",
        values=RUZHOU,
        reporter=ruzhou_reporter,
        head=ruzhou_head,
        reviewer=labour_staff,
        day=dt.date(2022, 6, 5),
    )
    approved(
        settings,
        unit="jiaxian",
        values=JIAXIAN,
        reporter=jiaxian_reporter,
        head=jiaxian_head,
        reviewer=labour_staff,
        day=dt.date(2022, 6, 8),
    )
    settings.UNIONPLAN_TODAY = AS_OF.isoformat()


@pytest.fixture
def reported(plan_2022, settings, ruzhou_reporter, ruzhou_head, jiaxian_reporter, labour_staff):
    two_units_reported(settings, ruzhou_reporter, ruzhou_head, jiaxian_reporter, labour_staff)
    return plan_2022


def sheet(data: bytes):
    return load_workbook(BytesIO(data)).active


def rows_by_first(ws, column: int, start: int = 4) -> dict:
    return {
        ws.cell(r, column).value: [c.value for c in ws[r]]
        for r in range(start, ws.max_row + 1)
        if ws.cell(r, column).value is not None
    }


def test_overview_lists_each_indicator_with_numbers_and_percentages(reported):
    ws = sheet(exports.overview_xlsx(selectors.city_overview(plan=reported, as_of=AS_OF)))
    assert ws["A1"].value == "2022年专案推进情况总览"
    assert ws["A2"].value == "数据截至 2022年6月30日"
    assert ws.freeze_panes == "A4"
    assert [c.value for c in ws[3]] == [
        "专案",
        "指标",
        "计量单位",
        "目标",
        "已完成（已审核）",
        "待审核",
        "完成率",
        "时间进度",
        "状态",
        "年底预计",
    ]
    rows = rows_by_first(ws, 2)
    training = rows["职业技能培训"]
    assert training[0] == "3. 深化产业工人队伍建设改革行动专案"
    assert training[3:6] == [8000, 180, 0]
    assert training[6] == pytest.approx(180 / 8000)
    assert training[7] == pytest.approx(float(ELAPSED))
    assert training[8] == "严重滞后"
    assert training[9] == round(180 / ELAPSED)
    assert rows["各级工会选树各类工匠人才"][3:5] == [125, 6]
    assert rows["各级工会选树各类工匠人才"][8] == "滞后"
    row = next(r for r in range(4, ws.max_row) if ws.cell(r, 2).value == "职业技能培训")
    assert ws.cell(row, 4).data_type == "n" and ws.cell(row, 4).number_format == "#,##0"
    assert ws.cell(row, 7).data_type == "n" and ws.cell(row, 7).number_format == "0.0%"
    assert ws.column_dimensions["B"].width == 44


def test_matrix_has_a_unit_column_frozen_and_three_figures_per_indicator(reported):
    matrix = selectors.programme_matrix(plan=reported, number=3, as_of=AS_OF)
    ws = sheet(exports.matrix_xlsx(matrix, AS_OF))
    assert ws["A1"].value == "专案3「深化产业工人队伍建设改革行动专案」各单位完成情况"
    assert ws["A2"].value == "数据截至 2022年6月30日"
    assert ws.freeze_panes == "B5"
    assert ws["B3"].value == "各级工会选树各类工匠人才（名）"
    assert [c.value for c in ws[4]][:4] == [None, "分解任务", "已完成", "完成率"]
    rows = rows_by_first(ws, 1, start=5)
    assert rows["汝州市"][:8] == ["汝州市", 10, 5, 0.5, 2, 1, 0.5, 80]
    assert rows["郏县"][4:7] == [2, 0, 0]
    elapsed = rows["时间进度"]
    assert elapsed[3] == pytest.approx(float(ELAPSED))
    assert ws["D5"].number_format == "0.0%"


def test_ranking_puts_the_unit_further_ahead_first(reported):
    ranking = selectors.unit_ranking(plan=reported, as_of=AS_OF)
    ws = sheet(exports.ranking_xlsx(ranking, reported, AS_OF))
    assert ws["A2"].value == "数据截至 2022年6月30日" and ws.freeze_panes == "A4"
    first, second = [c.value for c in ws[4]], [c.value for c in ws[5]]
    # The overall rank, then the unit's ranking group and its rank within it.
    assert [c.value for c in ws[3]][:4] == ["名次", "单位", "排名分组", "组内名次"]
    assert first[:4] == [1, "汝州市", "县（市、区）", 1]
    assert second[:4] == [2, "郏县", "县（市、区）", 2]
    assert first[4] == float(ranking[0].score) and first[4] > second[4] > 0
    assert first[5] == ranking[0].targets
    assert first[7] == pytest.approx(float(ranking[0].timeliness.completeness))
    assert ws["E4"].number_format == "0.0" and ws["H4"].number_format == "0.0%"


def test_ranking_of_one_programme_names_it_in_the_title(reported):
    ranking = selectors.unit_ranking(plan=reported, as_of=AS_OF, programme=3)
    ws = sheet(exports.ranking_xlsx(ranking, reported, AS_OF, programme=3))
    assert ws["A1"].value == "2022年各单位专案推进排名（专案3「深化产业工人队伍建设改革行动专案」）"
    assert [ws["B4"].value, ws["E4"].value] == ["汝州市", 50]
    assert [ws["B5"].value, ws["E5"].value] == ["郏县", 8]


def test_timeliness_counts_the_late_report_and_totals_every_unit(reported):
    by_unit = selectors.timeliness_by_unit(plan=reported, as_of=AS_OF)
    units = Unit.objects.filter(pk__in=by_unit).order_by("order")
    rows = [(u, by_unit[u.pk]) for u in units]
    ws = sheet(exports.timeliness_xlsx(rows, reported, AS_OF))
    assert ws["A2"].value == "数据截至 2022年6月30日" and ws.freeze_panes == "A4"
    body = rows_by_first(ws, 2)
    ruzhou, jiaxian = by_unit[units.get(code="ruzhou").pk], by_unit[units.get(code="jiaxian").pk]
    assert body["汝州市"][2:7] == [ruzhou.expected, 1, 1, 0, ruzhou.expected - 1]
    assert body["郏县"][2:7] == [jiaxian.expected, 1, 0, 1, jiaxian.expected - 1]
    assert body["郏县"][7] == pytest.approx(1 / jiaxian.expected)
    total = body["合计"]
    assert total[2:6] == [sum(t.expected for _, t in rows), 2, 1, 1]
    assert ws.cell(ws.max_row - 2, 3).font.bold is True


def test_warnings_list_each_lagging_indicator_of_a_unit(reported):
    warnings = selectors.early_warnings(plan=reported, as_of=AS_OF)
    ws = sheet(exports.warnings_xlsx(warnings, reported, AS_OF))
    assert ws["A2"].value == "数据截至 2022年6月30日" and ws.freeze_panes == "A4"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4, max_row=ws.max_row)]
    jiaxian = [r for r in rows if r[1] == "郏县"]
    assert jiaxian[0][2] == "县（市、区）"  # its ranking group
    assert (
        len(jiaxian)
        == jiaxian[0][3]
        == len(next(w for w in warnings if w.unit.code == "jiaxian").lagging)
    )
    training = next(r for r in jiaxian if r[5] == "职业技能培训")
    assert training[4] == "专案3"
    assert training[6:9] == pytest.approx([0.1, float(ELAPSED), float(ELAPSED) - 0.1])
    assert not [r for r in rows if r[1] == "汝州市" and r[3] == "专案3"]  # half done: ahead


def test_milestones_give_dates_as_dates_and_the_state(reported):
    states = selectors.milestone_states(plan=reported, as_of=AS_OF)
    ws = sheet(exports.milestones_xlsx(states, reported, AS_OF))
    assert ws["A2"].value == "数据截至 2022年6月30日" and ws.freeze_panes == "A4"
    assert ws.max_row >= 3 + len(states)
    first = states[0]
    assert ws["B4"].value == first.milestone.title
    assert ws["F4"].value == first.state_label
    assert ws["E4"].value.date() == first.milestone.end_date
    assert ws["E4"].is_date and ws["E4"].number_format == "yyyy-mm-dd"


def test_a_unit_name_that_looks_like_a_formula_is_written_as_text(reported):
    Unit.objects.filter(code="jiaxian").update(short_name='=HYPERLINK("http://x.invalid","郏县")')
    ranking = selectors.unit_ranking(plan=reported, as_of=AS_OF)
    ws = sheet(exports.ranking_xlsx(ranking, reported, AS_OF))
    assert ws["B5"].value == '\'=HYPERLINK("http://x.invalid","郏县")'
    assert ws["B5"].data_type == "s"
    warnings = selectors.early_warnings(plan=reported, as_of=AS_OF)
    ws = sheet(exports.warnings_xlsx(warnings, reported, AS_OF))
    names = {c.value for c in ws["B"]}
    assert '\'=HYPERLINK("http://x.invalid","郏县")' in names
    assert not any(isinstance(n, str) and n.startswith("=") for n in names)


def test_exports_read_nothing_more_from_the_database(reported, django_assert_num_queries):
    overview = selectors.city_overview(plan=reported, as_of=AS_OF)
    matrix = selectors.programme_matrix(plan=reported, number=3, as_of=AS_OF)
    states = selectors.milestone_states(plan=reported, as_of=AS_OF)
    warnings = selectors.early_warnings(plan=reported, as_of=AS_OF)
    assert reported.issuer.name  # the views' plan comes with its issuer (plans.selectors)
    with django_assert_num_queries(0):
        exports.overview_xlsx(overview)
        exports.matrix_xlsx(matrix, AS_OF)
        exports.milestones_xlsx(states, reported, AS_OF)
        exports.warnings_xlsx(warnings, reported, AS_OF)


def test_status_labels_are_the_dashboards(reported):
    overview = selectors.city_overview(plan=reported, as_of=AS_OF)
    ws = sheet(exports.overview_xlsx(overview))
    counts = ws.cell(ws.max_row - 1, 1).value
    for status in (metrics.DONE, metrics.ON_TRACK, metrics.BEHIND, metrics.FAR_BEHIND):
        assert f"{metrics.STATUS_LABELS[status]} {overview.count(status)} 项" in counts
