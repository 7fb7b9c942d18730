"""评选: selecting and naming model sites or people (选树命名).

A plan file declares each campaign of a programme (`campaigns:`): what is named and how many,
who may nominate and how many each, the windows (推荐, 评选, 公示, 命名), what makes a nominee
eligible, the materials required and the rubric its scorers use. A unit's candidate is a
`Nomination`; it moves through the one workflow (reporting/workflow.py) with the campaign's
own table of steps (campaigns/steps.py): drafted by the unit's reporter, recommended by its
head (推荐), then the department checks eligibility and admits it to scoring or refuses it
with a reason. Assigned scorers (`CampaignScorer`) give each admitted nominee points per
criterion (`Score`); the campaign combines them (mean or trimmed mean), the department
proposes the list, which is public for the publicity days (公示) with objections
(`Objection`) the department answers, then names it by a decision with a date and a document
number: each named nominee becomes a `Designation`, which counts toward the campaign's
indicator from its naming date until withdrawn.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from evidence.models import evidence_relation
from orgs.models import Unit
from plans.models import Criterion, Indicator, Plan, Programme, Rubric
from records.models import FormDefinition, Record

POINTS = {"max_digits": 6, "decimal_places": 2}


class Campaign(models.Model):
    class Combine(models.TextChoices):
        MEAN = "mean", "平均分"
        TRIMMED_MEAN = "trimmed_mean", "去掉一个最高分和一个最低分后的平均分"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="campaigns")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="campaigns")
    code = models.SlugField("代码", max_length=60)
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField("评选名称", max_length=200)  # 2022年市级示范爱心母婴室评选
    named_as = models.CharField("命名称号", max_length=100)  # 市级示范爱心母婴室
    # How many are named: None for "一批" (a batch with no number).
    quota = models.PositiveIntegerField("命名数量", null=True, blank=True)
    # Named items count toward this indicator, for the nominating unit, from the naming date.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="campaigns"
    )
    # Who may nominate: unit labels and kinds as in `unit_rules: scope` (empty: every unit of
    # the plan); how many each may, unless `CampaignQuota` gives the unit its own number.
    nominators = models.JSONField("推荐单位范围", default=list, blank=True)
    per_unit = models.PositiveIntegerField("每单位推荐上限", null=True, blank=True)
    nominate_by = models.DateField("推荐截止")
    score_by = models.DateField("评选截止", null=True, blank=True)
    publicity_days = models.PositiveSmallIntegerField("公示天数", default=5)
    name_by = models.DateField("命名截止", null=True, blank=True)
    # Eligibility: a nominee is an approved row of this form that meets its standards (a
    # 母婴室 under 10㎡ cannot be nominated); without a form, the nomination describes itself.
    form = models.ForeignKey(
        FormDefinition, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    compliant_only = models.BooleanField("须符合建设标准", default=True)
    materials = models.JSONField("申报材料", default=list, blank=True)  # [{code, label}]
    rubric = models.ForeignKey(
        Rubric, on_delete=models.SET_NULL, null=True, blank=True, related_name="campaigns"
    )
    combine = models.CharField(
        "计分方法", max_length=20, choices=Combine.choices, default=Combine.MEAN
    )
    source_text = models.TextField("原文", blank=True)

    # The campaign's own progress, set by its department (each stamp audited).
    scoring_closed_at = models.DateTimeField(null=True, blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    publicity_from = models.DateField("公示开始", null=True, blank=True)
    publicity_until = models.DateField("公示截止", null=True, blank=True)
    named_on = models.DateField("命名日期", null=True, blank=True)
    decision_number = models.CharField("命名文号", max_length=60, blank=True)
    decision_title = models.CharField("命名决定", max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "programme__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="campaign_code_unique")
        ]
        verbose_name = "评选"

    def __str__(self) -> str:
        return self.title


class CampaignQuota(models.Model):
    """A unit's own number of nominations (an allocation table of 推荐名额)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="quotas")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField("推荐名额")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="one_quota_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.unit}: {self.count}"


class CampaignScorer(models.Model):
    """A person assigned to score a campaign's nominees (评委); never scores one of their own
    unit's nominees."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="scorers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="one_scorer_seat")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.user}"


class Nomination(models.Model):
    """推荐: a unit's candidate in a campaign, with its materials (`evidence`, each file's
    `field_code` the material's code)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待单位负责人确认"
        CONFIRMED = "confirmed", "待资格审查"
        RETURNED = "returned", "已退回"
        APPROVED = "approved", "已入围"  # admitted to scoring
        REFUSED = "refused", "不符合条件"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="nominations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="nominations")
    name = models.CharField("推荐对象", max_length=200)
    description = models.TextField("主要事迹/基本情况", max_length=3000, blank=True)
    record = models.ForeignKey(
        Record, on_delete=models.PROTECT, null=True, blank=True, related_name="nominations"
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_late = models.BooleanField(default=False)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_reason = models.TextField("退回/不予受理原因", blank=True)
    proposed = models.BooleanField("拟命名", default=False)
    evidence = evidence_relation("nomination")

    class Meta:
        ordering = ["campaign", "unit__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "record"],
                condition=models.Q(record__isnull=False),
                name="one_nomination_per_record",
            )
        ]
        verbose_name = "推荐"

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class Score(models.Model):
    """One scorer's points for one nominee on one item of the campaign's rubric."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("得分", **POINTS)
    comment = models.CharField("评语", max_length=500, blank=True)
    scored_at = models.DateTimeField()

    class Meta:
        verbose_name = "评选评分"
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "scorer", "criterion"], name="one_score_per_item"
            ),
            models.CheckConstraint(name="score_not_negative", condition=models.Q(points__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.nomination} · {self.criterion.code}: {self.points}"


class Objection(models.Model):
    """异议: raised by anyone during the publicity period; the department must answer."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="objections")
    nomination = models.ForeignKey(
        Nomination, on_delete=models.PROTECT, null=True, blank=True, related_name="objections"
    )
    text = models.TextField("异议内容", max_length=2000)
    # A way to reach whoever raised it, sealed like other personal data (personal.crypto).
    contact = models.TextField("联系方式", blank=True)
    raised_at = models.DateTimeField()
    answer = models.TextField("答复", blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["raised_at", "id"]
        verbose_name = "异议"

    def __str__(self) -> str:
        return f"{self.campaign} · 异议 {self.pk}"


class Designation(models.Model):
    """命名: a nominee named by the campaign's decision; counts toward the campaign's
    indicator for its unit from `named_on` until `withdrawn_on` (撤销命名, with a reason)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="designations")
    nomination = models.OneToOneField(
        Nomination, on_delete=models.PROTECT, related_name="designation"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="designations")
    name = models.CharField("命名对象", max_length=200)
    named_on = models.DateField("命名日期")
    decision_number = models.CharField("命名文号", max_length=60)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_on = models.DateField("撤销日期", null=True, blank=True)
    withdraw_reason = models.CharField("撤销原因", max_length=300, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["campaign", "named_on", "id"]
        verbose_name = "命名"

    def __str__(self) -> str:
        return self.name
