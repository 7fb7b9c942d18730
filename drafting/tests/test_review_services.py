"""Reviewing a draft: each decision recorded, nothing generated while an item is open, and the
generated plan in the draft state, loading again unchanged."""

from pathlib import Path

import pytest

from audit.models import AuditEntry
from common.errors import ServiceError
from drafting import review
from drafting.models import PlanDraft
from drafting.notice import read_text
from drafting.planfile import plan_file_text
from drafting.services import (
    blockers,
    draft_create,
    draft_generate,
    draft_header_set,
    draft_item_decide,
    draft_row_resolve,
)
from plans.models import Plan
from plans.planfile.spec import read_plan_bytes
from plans.services import plan_load

NOTICES = Path(__file__).parent / "notices"
SHORT_NOTICE = (NOTICES / "pingdingshan-2023-short.txt").read_text()


@pytest.fixture
def draft(plan_2022, labour_staff):
    return draft_create(actor=labour_staff, notice=read_text(SHORT_NOTICE), name="通知.txt")


def test_a_draft_belongs_to_the_staffs_federation_and_starts_with_every_item_pending(draft):
    assert draft.federation.code == "pds"
    assert draft.content["plan"]["slug"] == "pds-2023"
    assert {i["state"] for _k, i, _p in review.items(draft.content)} == {review.PENDING}
    assert AuditEntry.objects.filter(
        event="drafting.draft.created", object_id=str(draft.pk)
    ).exists()


def test_nothing_is_generated_while_an_item_is_pending(draft, labour_staff):
    assert any("待确认" in b for b in blockers(draft))
    with pytest.raises(ServiceError, match="还不能生成方案"):
        draft_generate(actor=labour_staff, draft=draft)


def test_a_table_with_a_row_naming_no_unit_cannot_be_accepted_until_the_row_is_decided(
    draft, labour_staff
):
    table = draft.content["programmes"][0]["tables"][0]
    with pytest.raises(ServiceError, match="某某县"):
        draft_item_decide(actor=labour_staff, draft=draft, key=table["key"], action="accept")
    row = next(i for i, r in enumerate(table["rows"]) if r["label"] == "某某县")
    draft = draft_row_resolve(
        actor=labour_staff, draft=draft, table_key=table["key"], row=row, unit=None,
        status="not_unit",
    )  # fmt: skip
    draft = draft_item_decide(actor=labour_staff, draft=draft, key=table["key"], action="accept")
    assert review.find(draft.content, table["key"])[1]["state"] == review.ACCEPTED


def test_an_undated_step_must_be_given_a_date_or_deleted(draft, labour_staff):
    step = next(s for s in draft.content["programmes"][0]["milestones"] if s["rule"] is None)
    with pytest.raises(ServiceError, match="适时"):
        draft_item_decide(actor=labour_staff, draft=draft, key=step["key"], action="accept")
    draft = draft_item_decide(
        actor=labour_staff, draft=draft, key=step["key"], action="correct",
        changes={"rule": {"due": "2023-09"}},
    )  # fmt: skip
    assert review.find(draft.content, step["key"])[1]["rule"] == {"due": "2023-09"}


def test_every_decision_is_in_the_audit_log_with_the_item_before_and_after(draft, labour_staff):
    indicator = draft.content["programmes"][0]["indicators"][0]
    draft_item_decide(
        actor=labour_staff, draft=draft, key=indicator["key"], action="correct",
        changes={"name": "送温暖资金"},
    )  # fmt: skip
    entry = AuditEntry.objects.filter(event="drafting.item.changed").latest("pk")
    assert entry.before[indicator["key"]]["name"] != "送温暖资金"
    assert entry.after[indicator["key"]]["name"] == "送温暖资金"
    assert entry.actor == labour_staff


def _decide_everything(draft, actor):
    for _kind, item, _p in list(review.items(draft.content)):
        if _kind == "table":
            for i, row in enumerate(item["rows"]):
                if row["resolution"]["status"] not in review.RESOLVED_ROW:
                    draft = draft_row_resolve(actor=actor, draft=draft, table_key=item["key"],
                                              row=i, unit=None, status="not_unit")  # fmt: skip
        if _kind == "milestone" and item["rule"] is None:
            draft = draft_item_decide(actor=actor, draft=draft, key=item["key"], action="delete")
            continue
        draft = draft_item_decide(actor=actor, draft=draft, key=item["key"], action="accept")
    return draft


def test_the_reviewed_draft_becomes_a_plan_in_the_draft_state_and_loads_again_unchanged(
    draft, labour_staff
):
    draft = _decide_everything(draft, labour_staff)
    assert blockers(draft) == ["方案名称：不能为空"]  # the notice prints no title line
    draft = draft_header_set(actor=labour_staff, draft=draft, values={"title": "2023年送温暖专案"})
    assert blockers(draft) == []
    plan = draft_generate(actor=labour_staff, draft=draft)
    assert plan.status == Plan.Status.DRAFT
    assert plan.issuer.code == "pds"
    assert plan.indicators.get(target=6_000_000).measure == "元"
    draft.refresh_from_db()
    assert draft.status == PlanDraft.Status.GENERATED
    again = plan_load(spec=read_plan_bytes(plan_file_text(draft).encode("utf-8")))
    assert not again.changed


def test_the_2022_notice_reviewed_without_corrections_gives_a_plan_that_passes_the_checks(
    plan_2022, labour_staff
):
    notice = read_text((NOTICES / "pingdingshan-2022.txt").read_text())
    draft = draft_create(actor=labour_staff, notice=notice, name="2022.txt")
    draft = _decide_everything(draft, labour_staff)
    PlanDraft.objects.filter(pk=draft.pk).update(
        content={**draft.content, "plan": {**draft.content["plan"], "slug": "pds-2022-draft"}}
    )
    draft.refresh_from_db()
    assert blockers(draft) == []


def test_a_column_given_an_indicator_of_another_measure_is_said_and_one_without_is_refused(
    draft, labour_staff
):
    from drafting.services import column_warnings, draft_table_columns

    programme = draft.content["programmes"][0]
    table = programme["tables"][0]
    funds = next(i for i in programme["indicators"] if i["measure"] == "元")
    draft = draft_table_columns(
        actor=labour_staff, draft=draft, table_key=table["key"], columns=[funds["code"]]
    )
    assert any("以「户」计" in w and "以「元」计" in w for w in column_warnings(draft))
    draft = draft_table_columns(
        actor=labour_staff, draft=draft, table_key=table["key"], columns=["new"]
    )
    new = draft.content["programmes"][0]["indicators"][-1]
    assert new["measure"] == "户"  # from the column's header
    draft = draft_item_decide(
        actor=labour_staff, draft=draft, key=new["key"], action="correct", changes={"measure": ""}
    )
    assert any("没有计量单位" in b for b in blockers(draft))
