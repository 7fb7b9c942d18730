import datetime as dt

from plans.models import Milestone
from reporting.models import Obligation, Report
from reporting.services import obligations_generate

D = dt.date


def test_generating_again_changes_nothing(plan_2022):
    result = obligations_generate(plan=plan_2022)
    assert not result.counts.changed, dict(result.counts)


def test_each_unit_owes_monthly_progress_for_programmes_it_has_shares_in(plan_2022):
    ruzhou = Obligation.objects.filter(unit__code="ruzhou", kind="progress", period="monthly")
    # 专案9, 11 and 14's shares are counted from their forms' records, not typed in again.
    assert set(ruzhou.values_list("programme__number", flat=True)) == {2, 3, 5, 12}
    may = ruzhou.get(programme__number=3, period_end=D(2022, 5, 31))
    assert may.indicators.count() == 5
    assert may.title == "专案3「深化产业工人队伍建设改革行动专案」2022年5月进度"
    # due the 5th of the next month; 2022-06-05 was a Sunday
    assert (may.rule_due_date, may.due_date) == (D(2022, 6, 5), D(2022, 6, 6))


def test_indicators_counted_from_records_are_not_asked_as_progress(plan_2022):
    asked = set(
        Obligation.indicators.through.objects.filter(obligation__plan=plan_2022).values_list(
            "indicator__code", flat=True
        )
    )
    assert "P12-training" in asked
    assert not asked & {"P12-activities", "P13-five-deliveries", "P09-stations", "P14-products"}


def test_quarterly_indicators_are_reported_each_quarter(plan_2022):
    culture = Obligation.objects.filter(
        unit__code="ruzhou", kind="progress", programme__number=13
    ).order_by("period_end")
    assert [o.period_end for o in culture] == [D(2022, 6, 30), D(2022, 9, 30), D(2022, 12, 31)]


def test_documents_the_text_asks_of_units_are_owed_by_each_unit_in_scope(plan_2022):
    plan_doc = Obligation.objects.get(unit__code="ruzhou", kind="document", programme__number=2)
    assert plan_doc.rule_due_date == D(2022, 4, 30)
    assert plan_doc.due_date == D(2022, 5, 5)
    assert plan_doc.reviewer_department.name == "劳动和经济工作部"
    assert not Obligation.objects.filter(
        unit__code="jianghe", programme__number=2, kind="document"
    ).exists()


def test_a_document_owed_is_named_with_its_programme(plan_2022):
    """In 我的待办 two programmes' 实施方案 must not read alike."""
    documents = Obligation.objects.filter(unit__code="ruzhou", kind="document")
    assert documents.exists()
    for document in documents.select_related("programme", "milestone"):
        programme = document.programme
        assert document.title.startswith(f"专案{programme.number}「{programme.title}」")
        assert document.title.endswith(document.milestone.deliverable or document.milestone.title)


def test_steps_delivered_as_form_rows_are_not_owed_again_as_documents(plan_2022):
    # 附件1–3 of 专案十四 are forms: units enter rows (due 6月15日 and 11月25日 for 附件3,
    # late rows not counted: records/tests/test_forms_2022.py), not a document upload.
    statistics = Milestone.objects.get(programme__plan=plan_2022, kind="dates")
    assert statistics.form_code == "consumption"
    assert statistics.late_policy == "exclude"
    assert not Obligation.objects.filter(milestone__form_code__gt="").exists()
    assert Obligation.objects.filter(unit__code="ruzhou", kind="document").exists()


def test_relative_deadlines_wait_for_the_event(plan_2022):
    relative = Milestone.objects.get(programme__plan=plan_2022, kind="relative")
    assert not Obligation.objects.filter(milestone=relative).exists()


def test_an_obligation_with_a_report_survives_a_plan_change(plan_2022, may_reform):
    Report.objects.create(obligation=may_reform)
    plan_2022.progress_due_day = 10
    plan_2022.save()
    obligations_generate(plan=plan_2022)
    may_reform.refresh_from_db()
    assert may_reform.rule_due_date == D(2022, 6, 10)
    plan_2022.progress_from = D(2022, 7, 1)
    plan_2022.save()
    result = obligations_generate(plan=plan_2022)
    assert may_reform in result.kept_with_reports
    assert Obligation.objects.filter(pk=may_reform.pk).exists()


def test_units_contributing_to_a_whole_city_target_owe_progress_on_it_without_a_share(tmp_path, db):
    from plans.planfile.spec import read_plan_file
    from plans.selectors import unit_checklist
    from plans.services import plan_load
    from plans.tests.planfile.test_spec import GOOD_HEAD, write
    from reporting.services import obligations_generate

    path = write(
        tmp_path,
        GOOD_HEAD
        + """
programmes:
  - number: 1
    title: 专案一
    category: practical_matter
    indicators:
      - {code: F, name: 筹集帮扶资金, measure: 元, target: 300万元以上,
         contributors: [县（市、区）]}
""",
    )
    plan = plan_load(spec=read_plan_file(path)).plan
    obligations_generate(plan=plan)
    owed = Obligation.objects.filter(plan=plan, kind="progress")
    assert set(owed.values_list("unit__code", flat=True)) == {"a"}
    assert owed.first().indicators.get().code == "F"
    [duty] = unit_checklist(plan=plan, unit=owed.first().unit).targets
    assert duty.allocation is None and duty.per_unit == "共同完成，不分解到单位"
