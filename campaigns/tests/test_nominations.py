"""推荐 and eligibility: a unit nominates an approved, up-to-standard 母婴室 with its materials,
its head recommends it within the unit's places, the department admits or refuses it."""

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from campaigns.models import CampaignQuota, Nomination
from campaigns.services import nominations as services
from common.errors import ServiceError
from orgs.tests.factories import head_of, reporter_of
from reporting.tests.files import JPG, upload

Status = Nomination.Status


@pytest.fixture
def ruzhou(plan_2022):
    return reporter_of("ruzhou", username="c-ruzhou"), head_of("ruzhou", username="c-ruzhou-head")


def _ready(campaign, reporter, record, name=None):
    """A draft with its 推荐表, submitted to the head."""
    nomination = services.nomination_create(
        campaign=campaign, actor=reporter, name=name or record.data["name"], record=record
    )
    services.nomination_files_add(
        nomination=nomination,
        actor=reporter,
        material="application",
        files=[upload("推荐表.jpg", JPG)],
    )
    return services.nomination_step(nomination=nomination, action="submit", actor=reporter)


def test_a_unit_nominates_a_room_its_head_recommends_and_the_department_admits_it(
    nursing_campaign, nursing_room, ruzhou, campaign_staff
):
    reporter, head = ruzhou
    nomination = _ready(nursing_campaign, reporter, nursing_room("ruzhou", "汝州市人民医院母婴室"))
    assert nomination.status == Status.SUBMITTED
    services.nomination_step(nomination=nomination, action="confirm", actor=head)
    services.nomination_step(nomination=nomination, action="admit", actor=campaign_staff)
    nomination.refresh_from_db()
    assert nomination.status == Status.APPROVED
    assert not nomination.is_late
    events = list(
        AuditEntry.objects.filter(object_type="campaigns.nomination", object_id=str(nomination.pk))
        .order_by("id")
        .values_list("event", "before", "after")
    )
    assert [e for e, _, _ in events] == [
        "campaigns.nomination.created",
        "campaigns.material.added",
        "campaigns.nomination.submitted",
        "campaigns.nomination.confirmed",
        "campaigns.nomination.admitted",
    ]
    assert events[-1][1] == {"status": "confirmed"} and events[-1][2] == {"status": "approved"}


def test_a_room_under_10_square_metres_cannot_be_nominated(nursing_campaign, nursing_room, ruzhou):
    small = nursing_room("ruzhou", "汝州市小母婴室", area="8")
    assert not small.is_compliant
    with pytest.raises(services.NominationRefused, match="面积不足10平方米") as refused:
        services.nomination_create(
            campaign=nursing_campaign, actor=ruzhou[0], name="汝州市小母婴室", record=small
        )
    assert refused.value.field == "record"
    assert not Nomination.objects.filter(campaign=nursing_campaign).exists()


def test_a_room_of_another_unit_or_not_yet_approved_cannot_be_nominated(
    nursing_campaign, nursing_room, ruzhou
):
    theirs = nursing_room("jiaxian", "郏县妇幼保健院母婴室")
    with pytest.raises(services.NominationRefused, match="只能推荐本单位已审核通过"):
        services.nomination_create(
            campaign=nursing_campaign, actor=ruzhou[0], name="借用", record=theirs
        )
    draft_row = nursing_room("ruzhou", "汝州市未审核母婴室")
    type(draft_row).objects.filter(pk=draft_row.pk).update(status="draft")
    with pytest.raises(services.NominationRefused, match="只能推荐本单位已审核通过"):
        services.nomination_create(
            campaign=nursing_campaign, actor=ruzhou[0], name="未审核", record=draft_row
        )


def test_a_room_is_nominated_once(nursing_campaign, nursing_room, ruzhou):
    room = nursing_room("ruzhou", "汝州市税务局母婴室")
    services.nomination_create(campaign=nursing_campaign, actor=ruzhou[0], name="一", record=room)
    with pytest.raises(services.NominationRefused, match="已被推荐"):
        services.nomination_create(
            campaign=nursing_campaign, actor=ruzhou[0], name="二", record=room
        )


def test_a_head_cannot_recommend_while_a_required_material_has_no_file(
    nursing_campaign, nursing_room, ruzhou
):
    reporter, head = ruzhou
    nomination = services.nomination_create(
        campaign=nursing_campaign,
        actor=reporter,
        name="汝州市人民医院母婴室",
        record=nursing_room("ruzhou", "汝州市人民医院母婴室"),
    )
    services.nomination_step(nomination=nomination, action="submit", actor=reporter)
    with pytest.raises(ServiceError, match="请先上传申报材料「推荐表」"):
        services.nomination_step(nomination=nomination, action="confirm", actor=head)
    assert Nomination.objects.get(pk=nomination.pk).status == Status.SUBMITTED


def test_recommending_one_more_than_the_units_places_is_refused(
    nursing_campaign, nursing_room, ruzhou
):
    reporter, head = ruzhou
    ready = [
        _ready(nursing_campaign, reporter, nursing_room("ruzhou", f"汝州市母婴室{i}"))
        for i in range(3)
    ]
    for nomination in ready[:2]:
        services.nomination_step(nomination=nomination, action="confirm", actor=head)
    with pytest.raises(ServiceError, match="最多推荐 2 个"):
        services.nomination_step(nomination=ready[2], action="confirm", actor=head)


def test_a_units_own_quota_replaces_the_campaigns_number(nursing_campaign, nursing_room, ruzhou):
    reporter, head = ruzhou
    CampaignQuota.objects.create(campaign=nursing_campaign, unit=reporter.unit, count=1)
    first, second = (
        _ready(nursing_campaign, reporter, nursing_room("ruzhou", f"汝州市母婴室{i}"))
        for i in range(2)
    )
    services.nomination_step(nomination=first, action="confirm", actor=head)
    with pytest.raises(ServiceError, match="最多推荐 1 个"):
        services.nomination_step(nomination=second, action="confirm", actor=head)


def test_a_recommendation_after_the_deadline_is_late_and_none_after_scoring_closed(
    nursing_campaign, nursing_room, ruzhou, settings
):
    reporter, head = ruzhou
    late, later = (
        _ready(nursing_campaign, reporter, nursing_room("ruzhou", f"汝州市母婴室{i}"))
        for i in range(2)
    )
    settings.UNIONPLAN_TODAY = "2022-07-05"
    services.nomination_step(nomination=late, action="confirm", actor=head)
    assert Nomination.objects.get(pk=late.pk).is_late
    nursing_campaign.scoring_closed_at = timezone.now()
    nursing_campaign.save()
    with pytest.raises(ServiceError, match="推荐已截止"):
        services.nomination_step(nomination=later, action="confirm", actor=head)


def test_refusing_needs_a_reason_and_is_final(
    nursing_campaign, nursing_room, ruzhou, campaign_staff
):
    reporter, head = ruzhou
    nomination = _ready(nursing_campaign, reporter, nursing_room("ruzhou", "汝州市母婴室"))
    services.nomination_step(nomination=nomination, action="confirm", actor=head)
    with pytest.raises(services.NominationRefused, match="请填写原因"):
        services.nomination_step(nomination=nomination, action="refuse", actor=campaign_staff)
    services.nomination_step(
        nomination=nomination, action="refuse", actor=campaign_staff, reason="现场核查面积不符"
    )
    nomination.refresh_from_db()
    assert (nomination.status, nomination.return_reason) == (Status.REFUSED, "现场核查面积不符")
    for action, actor in (("admit", campaign_staff), ("submit", reporter)):
        with pytest.raises(ServiceError):
            services.nomination_step(nomination=nomination, action=action, actor=actor)


def test_only_the_campaigns_department_checks_eligibility(
    nursing_campaign, nursing_room, ruzhou, labour_staff
):
    reporter, head = ruzhou
    nomination = _ready(nursing_campaign, reporter, nursing_room("ruzhou", "汝州市母婴室"))
    services.nomination_step(nomination=nomination, action="confirm", actor=head)
    with pytest.raises(ServiceError, match="您不能对该推荐对象执行「资格审查通过」"):
        services.nomination_step(nomination=nomination, action="admit", actor=labour_staff)


def test_a_unit_outside_the_nominators_cannot_nominate(nursing_campaign, ruzhou):
    nursing_campaign.nominators = ["郏县"]
    nursing_campaign.form = None
    nursing_campaign.save()
    with pytest.raises(ServiceError, match="不在「.*」的推荐范围内"):
        services.nomination_create(campaign=nursing_campaign, actor=ruzhou[0], name="汝州市某室")


def test_the_demo_nominates_a_room_of_two_units_one_waiting_for_its_head(
    nursing_campaign, nursing_room, plan_2022
):
    import datetime as dt

    from demo.nominations import demo_nominations_create

    for code in ("ruzhou", "jiaxian"):
        nursing_room(code, f"{code}母婴室")
        head_of(code, username=f"demo-{code}-head")
    assert demo_nominations_create(plan=plan_2022, today=dt.date(2022, 6, 20)) == 2
    states = dict(
        Nomination.objects.filter(campaign__plan=plan_2022).values_list("unit__code", "status")
    )
    assert states == {"ruzhou": Status.SUBMITTED, "jiaxian": Status.CONFIRMED}
    assert demo_nominations_create(plan=plan_2022, today=dt.date(2022, 6, 20)) == 0
