"""补报申请 on a form's obligation: the unit's late rows under 逾期未报送不予统计 are left out of
the figures the form computes until the department approves the request, and count from the
approval on — never as at a date before it."""

import datetime as dt

import pytest

from audit.models import AuditEntry
from dashboards.selectors.matrix import programme_matrix
from orgs.tests.factories import head_of, reporter_of, staff_of
from records.models import FormDefinition, Record
from records.services import record_create, records_approve, records_confirm, records_submit
from reporting.models import Obligation
from reporting.services import obligations_generate
from reporting.services.late_requests import (
    late_request_approve,
    late_request_create,
    late_request_revoke,
)
from reporting.tests.test_lateness import on

REASON = "汛期抗洪抢险，附件未能按时报送"


@pytest.fixture
def people(plan_2022):
    return {
        "reporter": reporter_of("ruzhou", username="lr-reporter"),
        "head": head_of("ruzhou", username="lr-head"),
        "staff": staff_of("权益保障部", username="lr-rights"),
    }


@pytest.fixture
def products(plan_2022):
    """附件1 (推荐产品, due 15 April, computing P14-products) under 逾期未报送不予统计, as 附件3
    is in the notice: 附件3 computes no indicator the dashboards show."""
    form = FormDefinition.objects.get(plan=plan_2022, code="products")
    form.late_policy = FormDefinition.LatePolicy.EXCLUDE
    form.save(update_fields=["late_policy"])
    obligations_generate(plan=plan_2022)
    return form


def sent(form, people, day: str, *products: str) -> list[Record]:
    """Rows of 汝州市 entered, confirmed by its head on `day` and approved that day."""
    reporter = people["reporter"]
    with on(day):
        rows = [
            record_create(
                form=form,
                unit=reporter.unit,
                actor=reporter,
                raw={"product": p, "recommender": "王五", "phone": "13800000000"},
            )
            for p in products
        ]
        records_submit(items=[(r, r.version) for r in rows], actor=reporter)
        records_confirm(items=[(r, None) for r in rows], actor=people["head"])
        return records_approve(items=[(r, None) for r in rows], reviewer=people["staff"])


def on_matrix(plan, day: str):
    """汝州市's 推荐农副产品 in the programme's matrix as at `day` (None: no figure)."""
    matrix = programme_matrix(plan=plan, number=14, as_of=dt.date.fromisoformat(day))
    column = next(i for i, ind in enumerate(matrix.indicators) if ind.code == "P14-products")
    cells = {unit.code: cells[column] for unit, cells in matrix.rows}
    return cells["ruzhou"].achieved if "ruzhou" in cells else None


def test_late_rows_count_on_the_dashboard_from_the_approval_of_the_units_request(
    plan_2022, products, people
):
    rows = sent(products, people, "2022-04-20", "郏县红牛肉", "宝丰酒")
    assert all(r.is_late for r in rows)
    assert on_matrix(plan_2022, "2022-04-30") is None  # late: left out

    obligation = Obligation.objects.get(
        kind=Obligation.Kind.FORM, form_code="products", unit__code="ruzhou"
    )
    with on("2022-04-22"):
        request = late_request_create(
            obligation=obligation, actor=people["reporter"], reason=REASON
        )
    assert on_matrix(plan_2022, "2022-04-24") is None  # asked, not yet approved
    with on("2022-04-25"):
        request = late_request_approve(
            request=request, reviewer=people["staff"], version=request.version
        )

    assert on_matrix(plan_2022, "2022-04-24") is None  # the past stays as it was
    assert on_matrix(plan_2022, "2022-04-25") == 2
    counted = AuditEntry.objects.get(event="reporting.late_request.counted")
    assert counted.after["rows"] == 2

    # A late row of the same period approved after the request counts as well.
    sent(products, people, "2022-04-27", "叶县岩盐")
    assert on_matrix(plan_2022, "2022-04-27") == 3

    # A revoked approval stops them counting from then on, not before.
    with on("2022-04-28"):
        late_request_revoke(
            request=request, reviewer=people["staff"], version=request.version, reason="材料不实"
        )
    assert on_matrix(plan_2022, "2022-04-28") in (None, 0)
    assert on_matrix(plan_2022, "2022-04-27") == 3
