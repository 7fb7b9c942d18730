from decimal import Decimal

from django.db import models

from common.errors import ServiceError
from orgs.models import Department, Unit
from plans.groups import default_groups
from plans.planfile.printed import DISPLAY_MEASURES

VALUE = {"max_digits": 18, "decimal_places": 2}


class Plan(models.Model):
    class Status(models.TextChoices):
        """A plan's life: being prepared (units see nothing owed), running, then closed at the
        year's end: read-only, no reminders, no new obligations; its history stays."""

        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "执行中"
        CLOSED = "closed", "已结束"

    slug = models.SlugField("标识", max_length=80, unique=True)
    title = models.CharField("标题", max_length=300)
    year = models.PositiveSmallIntegerField("年度")
    issuer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="issued_plans")
    doc_number = models.CharField("文号", max_length=100, blank=True)
    doc_number_variants = models.JSONField("文中其他文号", default=list, blank=True)
    issued_on = models.DateField("印发日期")
    summary = models.TextField("总体要求", blank=True)
    units = models.ManyToManyField(Unit, related_name="plans", blank=True)
    # How units report progress (the federation's decision; notices rarely say).
    progress_from = models.DateField("进度填报起始月", null=True, blank=True)
    progress_due_day = models.PositiveSmallIntegerField("进度次月截止日", default=5)
    progress_late_policy = models.CharField("进度逾期处理", max_length=10, default="flag")
    source_sha256 = models.CharField(max_length=64, editable=False)
    loaded_at = models.DateTimeField("导入时间", auto_now=True)
    # Loaded plans run at once, as before plans had a life (`manage.py planstatus` moves it).
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    # The groups its programmes fall into, in order: [{"code", "name"}] (plans.groups).
    groups = models.JSONField("专案分组", default=default_groups)
    # The bulletin's own title and addressees, as the file gives them ({} or "": derived from
    # the groups and the units, dashboards.bulletin).
    bulletin = models.JSONField("通报", default=dict, blank=True)
    # The units ranked against each other, in order: [{"name", "kinds", "units"}]
    # (plans.ranking_groups); [] ranks every unit in one list.
    ranking_groups = models.JSONField("排名分组", default=list, blank=True)
    # 黄牌 / 红牌 as the plan file's `warnings` gives them: {"due_soon_workdays": 3,
    # "yellow_margin": 0.1, "red_margin": 0.3}, each optional ({}: the system's defaults;
    # reporting.warning_levels, dashboards.metrics.thresholds).
    warning_levels = models.JSONField("黄牌红牌", default=dict, blank=True)
    # 年终考核 as the plan file's `assessment` gives it: {"components": [{"kind": "completion",
    # "weight": 50}, …, {"kind": "rubric", "rubric": <rubric title>, "weight": 20}], "groups":
    # "ranking" | "all"} ({}: the plan sets no assessment; plans.planfile.assessment).
    assessment = models.JSONField("年终考核", default=dict, blank=True)
    # 督办单 are signed (签收) within this many working days after issue: the plan file's
    # `supervision.sign_days` (plans.planfile.supervision; supervision.notices).
    sign_days = models.PositiveSmallIntegerField("督办签收期限（工作日）", default=2)
    # The plan of the issuer's parent federation this one carries out (a county's plan under
    # its city's): its indicators may serve the parent's, their targets the issuer's shares.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="derived_plans",
        verbose_name="上级方案",
    )

    class Meta:
        ordering = ["-year", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sign_days__gte=1, sign_days__lte=30), name="plan_sign_days_range"
            )
        ]
        verbose_name = "工作方案"

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def closed_refusal(self) -> str:
        """Why nothing of the plan can change now ("" while it runs)."""
        if self.status == self.Status.CLOSED:
            return f"「{self.title}」已结束，只能查看，不能再填报、审核或修改。"
        if self.status == self.Status.DRAFT:
            return f"「{self.title}」尚未发布，还不能填报。"
        return ""

    def require_open(self) -> None:
        """For every write of the plan's reported data: refused unless the plan runs."""
        if refusal := self.closed_refusal:
            raise ServiceError(refusal)


class Programme(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="programmes")
    number = models.PositiveSmallIntegerField("序号")
    title = models.CharField("名称", max_length=200)
    # The code of one of the plan's groups (Plan.groups), checked when the file is read.
    category = models.CharField("类别", max_length=20)
    goal = models.TextField("目标任务", blank=True)
    measures = models.TextField("主要措施", blank=True)
    requirements = models.TextField("工作要求", blank=True)
    departments = models.ManyToManyField(
        Department, through="ProgrammeDepartment", related_name="programmes"
    )

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="programme_number_unique")
        ]
        verbose_name = "专案"

    def __str__(self) -> str:
        return self.title


class ProgrammeDepartment(models.Model):
    class Source(models.TextChoices):
        TEXT = "text", "通知明确"
        ASSIGNED = "assigned", "市总指定"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE)
    department = models.ForeignKey(Department, on_delete=models.PROTECT)
    source = models.CharField(max_length=10, choices=Source.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "department"], name="programme_department_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department_id}（{self.get_source_display()}）"


class Indicator(models.Model):
    class Comparator(models.TextChoices):
        GTE = "gte", "以上"
        GT = "gt", "超过"
        ABOUT = "about", "左右"
        # 近: nearly so much, not more (近300人); 左右 may fall either side.
        NEAR = "near", "近"
        EQ = "eq", "（无限定）"

    class Period(models.TextChoices):
        MONTHLY = "monthly", "每月"
        QUARTERLY = "quarterly", "每季度"
        HALF_YEAR = "half_year", "每半年"
        YEAR = "year", "每年"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField("代码", max_length=60)
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField("指标", max_length=200)
    measure = models.CharField("计量单位", max_length=20)
    # A fraction target (三分之一以上) is kept exactly as target / target_denominator.
    target = models.DecimalField("目标", null=True, blank=True, **VALUE)
    target_denominator = models.PositiveIntegerField(default=1)
    comparator = models.CharField(
        "比较", max_length=5, choices=Comparator.choices, default=Comparator.EQ
    )
    due_date = models.DateField("完成时限", null=True, blank=True)
    period = models.CharField(
        "报送周期", max_length=10, choices=Period.choices, default=Period.MONTHLY
    )
    per_unit_min = models.DecimalField("每单位不少于", null=True, blank=True, **VALUE)
    per_unit_max = models.DecimalField("每单位不超过", null=True, blank=True, **VALUE)
    per_unit_scope = models.JSONField("每单位要求适用范围", default=list, blank=True)
    source_text = models.TextField("原文", blank=True)
    # The parent plan's indicator this one serves (plans.cascade): the issuer's approved
    # total of it is what the issuer reports upward. PROTECT: a parent's reload cannot drop
    # an indicator a child serves (plans.cascade.derived_problems says so first).
    serves = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="served_by",
        verbose_name="服务上级指标",
    )
    # True when the file gave no target and the issuer's share in the parent's table is it.
    target_from_parent = models.BooleanField("目标来自上级分解", default=False)
    # The indicator of the same programme this one is a part of (筹集资金1000万元，其中200万元
    # 用于…): one level only, same measure (checked when the file is read). SET_NULL: a
    # reload that drops the whole sets the part's link anew in the same transaction.
    part_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name="其中项所属指标",
    )
    # The measure the target is shown in when the notice prints money in 万元 or 亿元 (the
    # target itself is kept in 元); "" shows `measure`.
    display_measure = models.CharField("显示单位", max_length=10, blank=True)

    class Meta:
        ordering = ["programme__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique"),
            models.CheckConstraint(
                name="indicator_target_non_negative",
                condition=models.Q(target__isnull=True) | models.Q(target__gte=0),
            ),
        ]
        verbose_name = "指标"

    def __str__(self) -> str:
        return self.name

    @property
    def target_value(self) -> Decimal | None:
        if self.target is None:
            return None
        return self.target / self.target_denominator

    @property
    def shown_measure(self) -> str:
        """The measure targets and figures are shown in: 万元 for money printed so."""
        return self.display_measure or self.measure

    def shown(self, value: Decimal | None) -> Decimal | None:
        """`value` (in `measure`) in the shown measure: 10,000,000 元 is 1,000 万元."""
        scale = DISPLAY_MEASURES.get(self.display_measure)
        if value is None or scale is None:
            return value
        return value / scale


class AllocationTable(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tables")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tables")
    code = models.CharField("代码", max_length=40)
    order = models.PositiveSmallIntegerField(default=0)
    attachment = models.CharField("附件", max_length=20, blank=True)
    title = models.CharField("表名", max_length=300)
    has_total_row = models.BooleanField("有合计行", default=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["programme__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="allocation_table_code_unique")
        ]
        verbose_name = "任务分解表"

    def __str__(self) -> str:
        return self.title


class AllocationColumn(models.Model):
    """One value column of a table; `declared_total` is the printed 合计, kept as printed."""

    table = models.ForeignKey(AllocationTable, on_delete=models.CASCADE, related_name="columns")
    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="column")
    order = models.PositiveSmallIntegerField(default=0)
    header = models.CharField("表头", max_length=200)
    declared_total = models.DecimalField("合计（印发）", null=True, blank=True, **VALUE)

    class Meta:
        ordering = ["table", "order"]

    def __str__(self) -> str:
        return self.header


class AllocationRow(models.Model):
    """A printed row of a table: its label as printed and the unit it was resolved to."""

    table = models.ForeignKey(AllocationTable, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveSmallIntegerField("行号")
    label = models.CharField("单位（原文）", max_length=100)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="allocation_rows"
    )
    # True when the plan file assigned the unit because the label names none.
    unit_assigned = models.BooleanField(default=False)
    group = models.CharField("合并单元格", max_length=50, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["table", "number"]
        constraints = [
            models.UniqueConstraint(fields=["table", "number"], name="allocation_row_unique"),
            models.UniqueConstraint(fields=["table", "unit"], name="one_row_per_unit_per_table"),
        ]

    def __str__(self) -> str:
        return self.label


class Allocation(models.Model):
    """One unit's share of one indicator (the cell of a task-decomposition table)."""

    row = models.ForeignKey(AllocationRow, on_delete=models.CASCADE, related_name="allocations")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="allocations")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    value = models.DecimalField("分解任务", **VALUE)

    class Meta:
        ordering = ["row__number", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["row", "indicator"], name="allocation_cell_unique"),
            models.UniqueConstraint(
                fields=["indicator", "unit"], name="one_allocation_per_unit_and_indicator"
            ),
            models.CheckConstraint(
                name="allocation_non_negative", condition=models.Q(value__gte=0)
            ),
        ]
        verbose_name = "分解任务"

    def __str__(self) -> str:
        return f"{self.row_id}/{self.indicator_id}={self.value}"


class Milestone(models.Model):
    class Kind(models.TextChoices):
        DEADLINE = "deadline", "截止"
        WINDOW = "window", "时段"
        RECURRING = "recurring", "周期"
        RELATIVE = "relative", "相对"
        DATES = "dates", "多个截止日"

    class Actor(models.TextChoices):
        FEDERATION = "federation", "市总工会"
        UNITS = "units", "各单位"

    class LatePolicy(models.TextChoices):
        FLAG = "flag", "逾期可报，标记逾期"
        EXCLUDE = "exclude", "逾期未报送不予统计"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField("事项", max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    start_date = models.DateField("开始", null=True, blank=True)
    end_date = models.DateField("截止/结束", null=True, blank=True)
    dates = models.JSONField("截止日", default=list, blank=True)
    recurrence = models.CharField(max_length=10, blank=True)
    relative_event = models.CharField(max_length=40, blank=True)
    relative_days = models.PositiveSmallIntegerField(null=True, blank=True)
    rule = models.JSONField("时间规则（原样）", default=dict)
    actor = models.CharField("承办", max_length=12, choices=Actor.choices)
    actor_departments = models.ManyToManyField(Department, blank=True, related_name="milestones")
    actor_scope = models.JSONField("承办单位范围", default=list, blank=True)
    deliverable = models.CharField("报送材料", max_length=300, blank=True)
    deliver_to = models.CharField("报送对象", max_length=100, blank=True)
    # The code of the form (records) whose rows are this step's deliverable: units send
    # rows, not a document, so no document obligation is made for it.
    form_code = models.CharField("统计表", max_length=40, blank=True)
    late_policy = models.CharField(
        max_length=10, choices=LatePolicy.choices, default=LatePolicy.FLAG
    )
    source_text = models.TextField("原文", blank=True)

    class Meta:
        ordering = ["programme__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "order"], name="milestone_order_unique")
        ]
        verbose_name = "时间节点"

    def __str__(self) -> str:
        return self.title


class Rubric(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="rubrics")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField("名称", max_length=200)
    attachment = models.CharField("附件", max_length=20, blank=True)
    # The units scored against it (the evaluations app): unit kinds or names, as `actor_scope`.
    evaluated = models.JSONField("评分单位范围", default=list, blank=True)

    class Meta:
        ordering = ["programme__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "order"], name="rubric_order_unique")
        ]
        verbose_name = "评分标准"

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    # "2" is the second section, "2.3" its third item; sorting by `position` keeps print order.
    code = models.CharField(max_length=10)
    position = models.PositiveIntegerField(default=0)
    title = models.CharField("项目", max_length=300)
    points = models.DecimalField("分值", max_digits=6, decimal_places=2)
    # An item scored from figures: {"indicator": "P02-bases", "basis": "completion"}.
    auto = models.JSONField("自动计分", null=True, blank=True)

    class Meta:
        ordering = ["rubric", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="criterion_code_unique")
        ]
        verbose_name = "评分项目"

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_section(self) -> bool:
        return "." not in self.code
