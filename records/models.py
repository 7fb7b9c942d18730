from functools import cached_property

from django.conf import settings
from django.db import models

from evidence.models import evidence_relation
from orgs.models import Unit
from plans.models import Indicator, Plan, Programme
from records.schema import FormSchema
from reporting.models import Obligation, ReviewedObject


class FormDefinition(models.Model):
    """A table units fill row by row (统计表 / 登记表), declared in the plan file."""

    class LatePolicy(models.TextChoices):
        FLAG = "flag", "逾期标记"
        EXCLUDE = "exclude", "逾期不予统计"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="forms")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="forms")
    code = models.CharField("代码", max_length=40)
    order = models.PositiveSmallIntegerField(default=0)
    attachment = models.CharField("附件", max_length=20, blank=True)
    title = models.CharField("名称", max_length=200)
    description = models.TextField("说明", blank=True)
    source_text = models.TextField("原文", blank=True)
    # Fields, rules, standards, key and deadline as JSON: `schema` turns them into objects.
    spec = models.JSONField()
    late_policy = models.CharField(
        max_length=10, choices=LatePolicy.choices, default=LatePolicy.FLAG
    )

    class Meta:
        ordering = ["programme__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="form_code_unique"),
        ]
        verbose_name = "统计表"

    def __str__(self) -> str:
        return self.title

    @cached_property
    def schema(self) -> FormSchema:
        return FormSchema.from_json(self.spec)


class RecordIndicator(models.Model):
    """An indicator whose figures are counted or summed from a form's approved rows."""

    class Aggregate(models.TextChoices):
        COUNT = "count", "条数"
        SUM = "sum", "合计"

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="record_source"
    )
    form = models.ForeignKey(FormDefinition, on_delete=models.CASCADE, related_name="computes")
    aggregate = models.CharField(max_length=5, choices=Aggregate.choices)
    field = models.CharField(max_length=40, blank=True)
    where = models.CharField("条件", max_length=300, blank=True)
    compliant_only = models.BooleanField("只计达标记录", default=False)

    def __str__(self) -> str:
        return f"{self.indicator} ← {self.form}"


class UnitRule(models.Model):
    """A rule each unit in its scope must meet (每单位要求), declared in the plan file's
    `unit_rules:` and judged per unit as of a date by `records.selectors.rules`."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="unit_rules")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="unit_rules")
    code = models.CharField("代码", max_length=60)
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField("要求", max_length=300)
    source_text = models.TextField("原文", blank=True)
    # Scope, counts, sources, periods and deadline as the reader normalised them.
    spec = models.JSONField()

    class Meta:
        ordering = ["programme__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unit_rule_code_unique"),
        ]
        verbose_name = "每单位要求"

    def __str__(self) -> str:
        return self.text


class Record(ReviewedObject):
    """One row of a form, owned by a unit; it goes through the same flow as a report."""

    class Source(models.TextChoices):
        WEB = "web", "网页填写"
        IMPORT = "import", "Excel 导入"

    form = models.ForeignKey(FormDefinition, on_delete=models.PROTECT, related_name="records")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="records")
    # The same row uploaded twice finds this key and is not added again.
    row_key = models.CharField(max_length=40)
    data = models.JSONField("内容")
    is_compliant = models.BooleanField("达标", default=True)
    issues = models.JSONField("未达标原因", default=list, blank=True)
    # The row's own date (an activity's day), for as-of figures; else the day it was entered.
    reference_date = models.DateField(null=True, blank=True)
    due_date = models.DateField("截止日期", null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    evidence = evidence_relation("record")

    class Meta:
        ordering = ["form", "unit", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "unit", "row_key"], name="record_row_unique"),
            models.CheckConstraint(
                name="record_version_positive", condition=models.Q(version__gte=1)
            ),
        ]
        indexes = [models.Index(fields=["form", "unit", "status"])]
        verbose_name = "记录"

    def __str__(self) -> str:
        return f"{self.form} #{self.pk}"

    @property
    def counts_officially(self) -> bool:
        return self.status == self.Status.APPROVED and not (
            self.is_late and self.form.late_policy == FormDefinition.LatePolicy.EXCLUDE
        )


class RecordApproval(models.Model):
    """A record's approved content, valid from approval until a reviewer reopens it.

    Indicators computed from records read these rows as at a date, like `OfficialValue`, so a
    figure "as at 30 June" stays the same after later approvals or reopenings.
    """

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="approvals")
    form = models.ForeignKey(FormDefinition, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField()
    is_compliant = models.BooleanField()
    reference_date = models.DateField()
    approved_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # False for a late row under 逾期未报送不予统计: kept, shown, not counted.
    counts = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["form", "unit", "approved_at"])]

    def __str__(self) -> str:
        return f"{self.record_id}@{self.approved_at}"


class RecordImport(models.Model):
    """An uploaded spreadsheet checked and waiting for its uploader to save or cancel it.

    The valid rows are kept as prepared (`rows`), so saving writes exactly what the preview
    showed without reading the file again; `errors` lists (row, column, reason) for the page.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", "待确认"
        SAVED = "saved", "已保存"
        CANCELLED = "cancelled", "已取消"
        EXPIRED = "expired", "已过期"

    form = models.ForeignKey(FormDefinition, on_delete=models.CASCADE, related_name="imports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PREVIEW)
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    new_count = models.PositiveIntegerField("新增", default=0)
    update_count = models.PositiveIntegerField("更新", default=0)
    unchanged_count = models.PositiveIntegerField("无变化", default=0)
    error_count = models.PositiveIntegerField("出错行数", default=0)
    noncompliant_count = models.PositiveIntegerField("未达标", default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "导入"

    def __str__(self) -> str:
        return f"{self.original_name}（{self.get_status_display()}）"

    @property
    def saveable_count(self) -> int:
        return self.new_count + self.update_count


class NilReturn(models.Model):
    """本期无: a unit's statement that it has no rows of a form for one period, with its reason.

    It meets the period's obligation (reporting's Obligation of kind form) as a row sent would.
    The unit may withdraw it while the plan runs; a withdrawn one is kept, with who and when.
    """

    # PROTECT: an obligation a unit has declared on is kept when the plan stops asking for it.
    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="nil_returns")
    reason = models.CharField("原因", max_length=200)
    declared_at = models.DateTimeField("声明时间")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-declared_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_current_nil_return",
            ),
        ]
        verbose_name = "本期无声明"

    def __str__(self) -> str:
        return f"{self.obligation} · 本期无"
