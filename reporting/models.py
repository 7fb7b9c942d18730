from django.conf import settings
from django.db import models

from evidence.models import evidence_relation
from orgs.models import Department, Unit
from plans.models import VALUE, Indicator, Milestone, Plan, Programme
from reporting import workflow


class CalendarYear(models.Model):
    """A year whose statutory holidays and make-up working days are known."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=60)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = "节假日年度"

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that breaks the Monday–Friday rule: a holiday on a weekday or a make-up workday."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    name = models.CharField("名称", max_length=40, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日调整"

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '休息'} {self.name}"


class Obligation(models.Model):
    """What one unit owes: progress for a period, or a document, due on a date."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", "进度填报"
        DOCUMENT = "document", "材料报送"
        # Rows of a statistics form due on fixed dates or every period (records), met by the
        # unit's rows or its 本期无, never by a report (records/services/obligations.py).
        FORM = "form", "统计表报送"

    # Indexed with the id (Meta.indexes): a plan's obligation ids are read from the index alone.
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="obligations", db_index=False
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="obligations")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="obligations")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, null=True, blank=True, related_name="obligations"
    )
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="obligations")
    period = models.CharField("周期", max_length=10, choices=Indicator.Period.choices, blank=True)
    period_start = models.DateField("期间开始", null=True, blank=True)
    period_end = models.DateField("期间结束")
    title = models.CharField("名称", max_length=300)
    rule_due_date = models.DateField("规则截止日")
    # The rule's date moved off statutory holidays and weekends (民法典 第二百零三条).
    due_date = models.DateField("截止日期", db_index=True)
    late_policy = models.CharField(
        max_length=10, choices=Milestone.LatePolicy.choices, default=Milestone.LatePolicy.FLAG
    )
    reviewer_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A form's obligation names its form by code (records sits above reporting), and is met
    # when the unit first sends a row of the period to the federation (its head's first
    # confirmation) or declares 本期无; late when that was after the due date. A report's
    # obligation is met by its report and leaves these empty.
    # Database defaults too: the bench data (demo/bench.py) write obligations as plain rows.
    form_code = models.CharField("统计表", max_length=40, blank=True, default="", db_default="")
    met_at = models.DateTimeField("报送时间", null=True, blank=True)
    met_late = models.BooleanField("逾期报送", default=False, db_default=False)
    # A report's first confirmation and its lateness, copied here by the workflow when the
    # report is first sent (workflow.Reviewed.first_reported): the dashboards count what was
    # sent by a date from the obligations alone. Joining every plan's reports for that made
    # the overview's cost grow with the whole database (docs/benchmarks.md).
    reported_at = models.DateTimeField("首次报送时间", null=True, blank=True)
    reported_late = models.BooleanField("填报逾期", default=False, db_default=False)
    # An approved 补报申请 (LateSubmissionRequest): its late figures count despite
    # 逾期未报送不予统计, while it stays late (is_late, met_late). Set and cleared only by
    # reporting/services/late_requests.py.
    late_approved = models.BooleanField("已批准补报", default=False, db_default=False)

    class Meta:
        ordering = ["due_date", "programme__number", "unit__order"]
        indexes = [models.Index(fields=["plan", "id"], name="obligation_plan")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "programme", "period", "period_end"],
                condition=models.Q(kind="progress"),
                name="one_progress_obligation_per_period",
            ),
            models.UniqueConstraint(
                fields=["unit", "milestone", "period_end"],
                condition=models.Q(kind="document"),
                name="one_document_obligation_per_date",
            ),
            models.UniqueConstraint(
                fields=["unit", "programme", "form_code", "period_end"],
                condition=models.Q(kind="form"),
                name="one_form_obligation_per_period",
            ),
        ]
        verbose_name = "报送任务"

    def __str__(self) -> str:
        return f"{self.unit} · {self.title}"


def _actor(**options):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", **options
    )


class ReviewedObject(models.Model):
    """What every object that goes through the one review workflow (reporting/workflow.py)
    keeps: its state, a version against lost updates, and who moved it on and when."""

    Status = workflow.Status

    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Every save increments it; a save that carries an older number was made on stale data.
    version = models.PositiveIntegerField(default=1)
    # Reported after its due date, judged once at the first confirmation (workflow.apply).
    is_late = models.BooleanField("逾期报送", default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # When and by whom it was first sent to the federation (确认并报送市总): kept through a
    # return and a later confirmation, which the audit log records.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = _actor(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = _actor(null=True, blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def editable(self) -> bool:
        return self.status in workflow.EDITABLE


class Report(ReviewedObject):
    # PROTECT: a plan change must never delete what a unit has reported.
    obligation = models.OneToOneField(Obligation, on_delete=models.PROTECT, related_name="report")
    note = models.TextField("说明", blank=True)
    submitted_by = _actor(null=True, blank=True)
    evidence = evidence_relation("report")

    class Meta:
        verbose_name = "填报"
        constraints = [
            models.CheckConstraint(
                name="report_version_positive", condition=models.Q(version__gte=1)
            ),
        ]
        # The reports waiting for review, by obligation: a plan's are found by joining its
        # obligations (their plan index) with this one, read alone, whatever the other plans'
        # (dashboards.selectors.official.pending_values).
        indexes = [
            models.Index(
                fields=["obligation", "id"],
                condition=models.Q(status="confirmed"),
                name="report_waiting",
            )
        ]

    def __str__(self) -> str:
        return f"{self.obligation} [{self.get_status_display()}]"

    @property
    def counts_officially(self) -> bool:
        """Approved, and not a late report under 逾期未报送不予统计 (unless its 补报申请 was
        approved)."""
        obligation = self.obligation
        return self.status == self.Status.APPROVED and not (
            self.is_late
            and obligation.late_policy == Milestone.LatePolicy.EXCLUDE
            and not obligation.late_approved
        )


class LateSubmissionRequest(ReviewedObject):
    """补报申请: a unit asks that a late item of one obligation (a report, or a form's rows)
    count despite 逾期未报送不予统计; the department that reviews the obligation decides.

    It goes through the one workflow (reporting/workflow.py) from 待部门审核 (CONFIRMED: made by
    the unit's reporter or head, it is already with the federation) to 已批准 (APPROVED) or
    已驳回 (RETURNED, with a reason); an approval can be revoked (reopen, with a reason), which
    also closes it. One open (pending or approved) request per obligation.
    """

    LABELS = {
        workflow.Status.CONFIRMED: "待审核",
        workflow.Status.APPROVED: "已批准",
        workflow.Status.RETURNED: "已驳回",
    }

    obligation = models.ForeignKey(
        Obligation, on_delete=models.PROTECT, related_name="late_requests"
    )
    reason = models.TextField("补报理由")
    requested_by = _actor()
    evidence = evidence_relation("latesubmissionrequest")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "补报申请"
        constraints = [
            models.UniqueConstraint(
                fields=["obligation"],
                condition=models.Q(status__in=["confirmed", "approved"]),
                name="one_open_late_request_per_obligation",
            ),
            models.CheckConstraint(
                name="late_request_version_positive", condition=models.Q(version__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"补报申请 {self.obligation} [{self.label}]"

    @property
    def label(self) -> str:
        return self.LABELS.get(self.status, self.get_status_display())

    @property
    def is_open(self) -> bool:
        return self.status in (workflow.Status.CONFIRMED, workflow.Status.APPROVED)


class ProgressValue(models.Model):
    """Cumulative amount achieved to date for one indicator, as reported."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField("累计完成", null=True, blank=True, **VALUE)
    explanation = models.TextField("说明", blank=True)
    flags = models.JSONField("提示", default=list, blank=True)

    class Meta:
        verbose_name = "填报数值"
        ordering = ["indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="progress_value_unique"),
            models.CheckConstraint(
                name="progress_value_non_negative",
                condition=models.Q(value__isnull=True) | models.Q(value__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}={self.value}"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField("内容", max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = "站内通知"

    def __str__(self) -> str:
        return self.message


class ReminderLog(models.Model):
    """One reminder per obligation, kind and day, however often `remind` runs."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "即将到期"
        OVERDUE = "overdue", "已逾期"

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_on = models.DateField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "kind", "sent_on"], name="one_reminder_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.obligation_id} {self.kind} {self.sent_on}"


class OfficialValue(models.Model):
    """An approved figure, valid from its approval until a reviewer reopens the report.

    Dashboards read figures "as at" a date from these rows, so an as-of view stays
    reproducible after later approvals or reopenings.
    """

    # Null for a figure computed from a form's approved records (records.figures).
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="official_values"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    period_end = models.DateField()
    value = models.DecimalField(**VALUE)
    approved_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    is_late = models.BooleanField(default=False)
    # False for a late report under 逾期未报送不予统计: kept, shown, not counted.
    counts = models.BooleanField(default=True)

    class Meta:
        verbose_name = "正式数据"
        indexes = [
            # Every dashboard looks up a unit's current figure: newest period first on
            # (indicator, unit, period_end), then validity and value. With those in the key
            # the index alone answers (no table row read per figure): the overview at 1,000
            # units went from 200 to 140 ms on SQLite (docs/benchmarks.md).
            models.Index(
                fields=[
                    "indicator",
                    "unit",
                    "period_end",
                    "counts",
                    "approved_at",
                    "withdrawn_at",
                    "value",
                ],
                name="official_current_figure",
            ),
            models.Index(fields=["approved_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.indicator_id}@{self.period_end}={self.value}"


class CityFigure(models.Model):
    """A figure the federation counts itself (市总统计), entered by the responsible department.

    Each entry is kept: a correction adds a new entry for the same date and withdraws the
    previous one, so an as-at view stays reproducible. The figure reaches the dashboards as
    `official`, an `OfficialValue` of the federation's own unit, valid from entry until
    withdrawal.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="city_figures")
    period_end = models.DateField("数据截至")
    # The entry's number among the entries for this indicator and date: a form carries the
    # number it corrects, so a stale page cannot overwrite a newer figure.
    version = models.PositiveIntegerField(default=1)
    value = models.DecimalField("累计完成", **VALUE)
    note = models.CharField("来源说明", max_length=200)
    # Why the figure is below the latest one of an earlier date (required then, as for a
    # unit's figure below its last approved one: reporting.services.reports.unexplained_fall).
    explanation = models.CharField("说明", max_length=200, blank=True)
    official = models.OneToOneField(
        OfficialValue, on_delete=models.PROTECT, related_name="city_figure"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # An optional evidence file (佐证材料), at most one, entered with the figure.
    evidence = evidence_relation("cityfigure")

    class Meta:
        ordering = ["-period_end", "-version"]
        verbose_name = "市总统计数"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_end", "version"], name="city_figure_version_unique"
            ),
            models.UniqueConstraint(
                fields=["indicator", "period_end"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_current_city_figure_per_date",
            ),
            models.CheckConstraint(
                name="city_figure_non_negative", condition=models.Q(value__gte=0)
            ),
            models.CheckConstraint(
                name="city_figure_version_positive", condition=models.Q(version__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}@{self.period_end}={self.value}"
