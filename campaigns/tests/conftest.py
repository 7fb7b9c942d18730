"""Shared campaign fixtures: the 2022 plan's 母婴室 campaign (专案11, run by 女职工部) over the
爱心母婴室登记表 with a small rubric, approved 母婴室 rows, admitted nominees and scorers.

Until the plan file's campaigns are loaded, the tests create their Campaign rows here."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns.models import Campaign, CampaignScorer, Nomination
from orgs.models import Unit, User
from orgs.tests.factories import UserFactory, head_of, reporter_of, staff_of
from plans.models import Criterion, Rubric
from records.models import FormDefinition, Record
from records.services import record_create

FACILITIES = [
    "①导向标识和铭牌标识",
    "②明亮私密、防滑地面和垃圾桶",
    "③桌子或储物橱柜",
    "④电源插座、空调、冰箱或冰柜、消毒柜",
    "⑤卫生间和洗手池",
    "⑥可容纳2人以上的椅子或沙发",
    "⑦母婴知识、“五期”保护等宣传品",
]


@pytest.fixture
def campaign_staff(plan_2022):
    """女职工部, which runs 专案11 and so the 母婴室 campaign."""
    return staff_of("女职工部", username="campaign-staff")


@pytest.fixture
def small_rubric(plan_2022):
    """Two sections, three items: 1.1 (20), 1.2 (20), 2.1 (60); 100 points in all."""
    rubric = Rubric.objects.create(
        programme=plan_2022.programmes.get(number=11), order=90, title="示范母婴室评分表"
    )
    rows = [
        ("1", "建设标准", "40"),
        ("1.1", "面积与布局", "20"),
        ("1.2", "配套设施", "20"),
        ("2", "服务成效", "60"),
        ("2.1", "使用率与满意度", "60"),
    ]
    for position, (code, title, points) in enumerate(rows):
        Criterion.objects.create(
            rubric=rubric, code=code, position=position, title=title, points=Decimal(points)
        )
    return rubric


@pytest.fixture
def nursing_campaign(plan_2022, small_rubric, settings):
    """推荐 by 30 June 2022 (today is 20 June), two per unit, a 推荐表 required."""
    settings.UNIONPLAN_TODAY = "2022-06-20"
    return Campaign.objects.create(
        plan=plan_2022,
        programme=plan_2022.programmes.get(number=11),
        code="c-test-nursing-rooms",
        title="2022年市级示范爱心母婴室评选（测试）",
        named_as="市级示范爱心母婴室",
        quota=10,
        per_unit=2,
        nominate_by=dt.date(2022, 6, 30),
        form=FormDefinition.objects.get(plan=plan_2022, code="nursing-rooms"),
        compliant_only=True,
        materials=[
            {"code": "application", "label": "推荐表"},
            {"code": "photos", "label": "现场照片", "required": False},
        ],
        rubric=small_rubric,
    )


@pytest.fixture
def nursing_room(plan_2022):
    """make(unit code, name, area="12") → an approved row of 爱心母婴室登记表, checked against
    its standards (under 10㎡ it is kept, marked 面积不足10平方米)."""
    form = FormDefinition.objects.get(plan=plan_2022, code="nursing-rooms")

    def make(code: str, name: str, area: str = "12") -> Record:
        unit = Unit.objects.get(code=code)
        actor = reporter_of(code, username=f"room-{code}-{Record.objects.count()}")
        record = record_create(
            form=form,
            unit=unit,
            actor=actor,
            raw={
                "name": name,
                "host": f"{unit.short_name}某单位",
                "address": f"{unit.short_name}人民路1号",
                "kind": "单位内部",
                "opened_on": "2022-03-01",
                "area": area,
                "seats": "2",
                "facilities": FACILITIES,
                "has_staff": "是",
                "has_rules": "是",
            },
        )
        Record.objects.filter(pk=record.pk).update(status=Record.Status.APPROVED)
        record.refresh_from_db()
        return record

    return make


@pytest.fixture
def admitted(nursing_campaign):
    """make(unit code, name) → a nominee of the campaign already admitted to scoring."""

    def make(code: str, name: str, campaign: Campaign | None = None) -> Nomination:
        unit = Unit.objects.get(code=code)
        return Nomination.objects.create(
            campaign=campaign or nursing_campaign,
            unit=unit,
            name=name,
            status=Nomination.Status.APPROVED,
            created_by=reporter_of(code, username=f"nom-{code}-{Nomination.objects.count()}"),
            created_at=timezone.now(),
            confirmed_at=timezone.now(),
        )

    return make


@pytest.fixture
def seat(nursing_campaign, campaign_staff):
    """make(user) → the user made a scorer of the campaign (directly, as the department would)."""

    def make(user: User, campaign: Campaign | None = None) -> User:
        CampaignScorer.objects.create(
            campaign=campaign or nursing_campaign,
            user=user,
            assigned_by=campaign_staff,
            assigned_at=timezone.now(),
        )
        return user

    return make


@pytest.fixture
def outside_scorers(plan_2022):
    """Three scorers of no nominating unit: staff of other departments."""
    return [
        staff_of(name, username=f"scorer-{i}")
        for i, name in enumerate(("宣传教育部", "权益保障部", "组织部"))
    ]


@pytest.fixture
def ruzhou_scorer(plan_2022):
    """A scorer from 汝州市 (its union's head), who must never score 汝州市's nominees."""
    return head_of("ruzhou", username="ruzhou-scorer")


@pytest.fixture
def campaign_leader(plan_2022):
    return UserFactory(username="campaign-leader", role=User.Role.LEADER)
