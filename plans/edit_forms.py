"""Forms of editing a plan in the browser (plans/edit_views.py), in the notice's words: 以上,
超过, 左右 for comparators, 截止, 期间, 每季度 for date rules, unit kinds by their Chinese names."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from common.forms import BoundedDateField
from orgs.models import Department, Unit
from plans.editing import IndicatorInput, MilestoneInput, ProgrammeInput, target_typed
from plans.groups import group_pairs
from plans.levels import plan_level
from plans.models import Indicator, Milestone, Programme

COMPARATOR_CHOICES = [
    ("", "按目标的写法"),
    ("gte", "以上（不少于）"),
    ("gt", "超过"),
    ("about", "左右"),
    ("near", "近"),
    ("eq", "无（不加限定）"),
]
WHEN_CHOICES = [
    ("deadline", "截止（……前）"),
    ("window", "期间（……至……）"),
    ("quarterly", "每季度"),
    ("monthly", "每月"),
    ("half_year", "每半年"),
    ("relative", "活动结束后N日内"),
    ("dates", "多个截止日"),
]
RECURRING = ("quarterly", "monthly", "half_year")
LATE_CHOICES = [
    ("flag", "逾期仍可报送，标记逾期"),
    ("exclude", "逾期未报送不予统计"),
]
DATE = {"widget": forms.DateInput(attrs={"type": "date"}), "required": False}
TEXTAREA = forms.Textarea(attrs={"rows": 5})
DATES_BAD = "「{text}」不是日期：多个截止日请写成 2022-06-30、2022-12-31。"


class ProgrammeForm(forms.Form):
    title = forms.CharField(label="专案名称", max_length=200)
    category = forms.ChoiceField(label="分组")
    goal = forms.CharField(label="目标任务", required=False, max_length=20_000, widget=TEXTAREA)
    measures = forms.CharField(label="主要措施", required=False, max_length=20_000, widget=TEXTAREA)
    requirements = forms.CharField(
        label="工作要求", required=False, max_length=20_000, widget=TEXTAREA
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = group_pairs(plan)

    @staticmethod
    def initial_of(programme: Programme) -> dict:
        return {
            "title": programme.title,
            "category": programme.category,
            "goal": programme.goal,
            "measures": programme.measures,
            "requirements": programme.requirements,
        }

    def values(self) -> ProgrammeInput:
        return ProgrammeInput(**{name: self.cleaned_data[name] for name in self.fields})


class ScopeFields(forms.Form):
    """Which units a rule applies to: unit kinds by their Chinese names, or named units."""

    scope_field = "scope"

    def scope_choices(self, plan, current: list[str]) -> None:
        units = list(plan.units.order_by("order", "id"))
        kinds = {u.kind for u in units} | {k for k in current if k in Unit.Kind.values}
        names = [u.name for u in units] + [
            n for n in current if n not in Unit.Kind.values and n not in {u.name for u in units}
        ]
        self.fields["scope_kinds"].choices = [
            (k, label) for k, label in Unit.Kind.choices if k in kinds
        ]
        self.fields["scope_units"].choices = [(n, n) for n in names]

    @staticmethod
    def scope_initial(scope: list[str]) -> dict:
        return {
            "scope_kinds": [s for s in scope if s in Unit.Kind.values],
            "scope_units": [s for s in scope if s not in Unit.Kind.values],
        }

    def scope(self) -> list[str]:
        data = self.cleaned_data
        return list(data.get("scope_kinds") or []) + list(data.get("scope_units") or [])


def _scope_fields(label: str):
    return (
        forms.MultipleChoiceField(
            label=f"{label}（单位类型）", required=False, widget=forms.CheckboxSelectMultiple
        ),
        forms.MultipleChoiceField(
            label=f"{label}（具体单位）", required=False, widget=forms.CheckboxSelectMultiple
        ),
    )


class IndicatorForm(ScopeFields):
    name = forms.CharField(label="指标名称", max_length=200)
    target = forms.CharField(
        label="目标",
        required=False,
        max_length=40,
        help_text="照通知写：125、8000人以上、1000万元、4.6万、1/3；不写表示没有总目标",
    )
    measure = forms.CharField(
        label="计量单位",
        max_length=20,
        help_text="人、家、项、份；金额写「元」（目标可写 1000万元）",
    )
    comparator = forms.ChoiceField(label="比较方式", choices=COMPARATOR_CHOICES, required=False)
    due = BoundedDateField(label="完成时限", **DATE)
    period = forms.ChoiceField(label="进度报送周期", choices=Indicator.Period.choices)
    per_unit_min = forms.DecimalField(
        label="每单位不少于", required=False, min_value=0, max_digits=18, decimal_places=2
    )
    per_unit_max = forms.DecimalField(
        label="每单位不超过", required=False, min_value=0, max_digits=18, decimal_places=2
    )
    scope_kinds, scope_units = _scope_fields("每单位要求适用于")
    part_of = forms.ChoiceField(label="其中项", required=False)

    def __init__(self, *args, plan, programme: Programme, indicator: Indicator | None = None,
                 **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.scope_choices(plan, list(indicator.per_unit_scope) if indicator else [])
        wholes = [
            i
            for i in programme.indicators.all()
            if i.part_of_id is None and (indicator is None or i.pk != indicator.pk)
        ]
        self.fields["part_of"].choices = [("", "不是其中项")] + [
            (i.code, f"其中项，属于「{i.name}」") for i in wholes
        ]

    @classmethod
    def initial_of(cls, indicator: Indicator) -> dict:
        return {
            "name": indicator.name,
            "target": target_typed(indicator),
            "measure": indicator.measure,
            "comparator": indicator.comparator if indicator.target is not None else "",
            "due": indicator.due_date,
            "period": indicator.period,
            "per_unit_min": _plain(indicator.per_unit_min),
            "per_unit_max": _plain(indicator.per_unit_max),
            "part_of": indicator.part_of.code if indicator.part_of_id else "",
            **cls.scope_initial(list(indicator.per_unit_scope)),
        }

    def values(self) -> IndicatorInput:
        data = self.cleaned_data
        return IndicatorInput(
            name=data["name"],
            measure=data["measure"],
            target=data["target"],
            comparator=data["comparator"],
            due=data["due"],
            period=data["period"],
            per_unit_min=data["per_unit_min"],
            per_unit_max=data["per_unit_max"],
            per_unit_scope=self.scope(),
            part_of=data["part_of"],
        )


class MilestoneForm(ScopeFields):
    title = forms.CharField(label="事项", max_length=200)
    when_kind = forms.ChoiceField(label="时间", choices=WHEN_CHOICES)
    start = BoundedDateField(label="开始日期", **DATE)
    end = BoundedDateField(label="截止 / 结束日期", **DATE)
    days = forms.IntegerField(label="活动结束后几日内", required=False, min_value=0, max_value=366)
    dates = forms.CharField(
        label="各个截止日", required=False, max_length=500, help_text="如 2022-06-30、2022-12-31"
    )
    actor = forms.ChoiceField(label="承办")
    actor_departments = forms.MultipleChoiceField(
        label="承办部门", required=False, widget=forms.CheckboxSelectMultiple
    )
    scope_kinds, scope_units = _scope_fields("承办单位")
    deliverable = forms.CharField(label="报送材料", max_length=300, required=False)
    deliver_to = forms.ChoiceField(label="报送给", required=False)
    late_policy = forms.ChoiceField(label="逾期处理", choices=LATE_CHOICES)

    def __init__(self, *args, plan, milestone: Milestone | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        level = plan_level(plan)
        departments = list(
            Department.objects.filter(federation_id=plan.issuer_id)
            .order_by("pk")
            .values_list("name", flat=True)
        )
        self.fields["actor"].choices = [
            ("federation", f"{level.federation_full}（本级）"),
            ("units", "各单位"),
        ]
        self.fields["actor_departments"].choices = [(d, d) for d in departments]
        self.fields["deliver_to"].choices = [
            ("", "不报送"),
            ("federation", level.federation_full),
        ] + [(d, d) for d in departments]
        self.scope_choices(plan, list(milestone.actor_scope) if milestone else [])

    @classmethod
    def initial_of(cls, milestone: Milestone) -> dict:
        kind = milestone.kind
        when = {
            Milestone.Kind.DEADLINE: "deadline",
            Milestone.Kind.WINDOW: "window",
            Milestone.Kind.RELATIVE: "relative",
            Milestone.Kind.DATES: "dates",
        }.get(kind, milestone.recurrence or "deadline")
        return {
            "title": milestone.title,
            "when_kind": when,
            "start": milestone.start_date,
            "end": milestone.end_date,
            "days": milestone.relative_days,
            "dates": "、".join(milestone.dates),
            "actor": milestone.actor,
            "actor_departments": [d.name for d in milestone.actor_departments.all()],
            "deliverable": milestone.deliverable,
            "deliver_to": milestone.deliver_to,
            "late_policy": milestone.late_policy,
            **cls.scope_initial(list(milestone.actor_scope)),
        }

    def clean(self):
        data = super().clean()
        kind, start, end = data.get("when_kind"), data.get("start"), data.get("end")
        when: dict | None = None
        if kind == "deadline":
            if end:
                when = {"due": end.isoformat()}
            else:
                self.add_error("end", "请填写截止日期。")
        elif kind in ("window", *RECURRING):
            if not start or not end:
                self.add_error("end" if start else "start", "请填写开始和结束日期。")
            elif kind == "window":
                when = {"start": start.isoformat(), "end": end.isoformat()}
            else:
                when = {"recurring": kind, "start": start.isoformat(), "end": end.isoformat()}
        elif kind == "relative":
            if data.get("days") is None:
                self.add_error("days", "请填写活动结束后几日内。")
            else:
                when = {"relative": "activity_end", "days": data["days"]}
        elif kind == "dates":
            when = self._dates(data.get("dates") or "")
        data["when"] = when
        return data

    def _dates(self, text: str) -> dict | None:
        parts = [p for p in text.replace("，", "、").replace(",", "、").split("、") if p.strip()]
        if not parts:
            self.add_error("dates", "请填写各个截止日。")
            return None
        for part in parts:
            try:
                BoundedDateField().clean(part.strip())
            except forms.ValidationError:
                self.add_error("dates", DATES_BAD.format(text=part.strip()))
                return None
        return {"dates": [p.strip() for p in parts]}

    def values(self) -> MilestoneInput:
        data = self.cleaned_data
        return MilestoneInput(
            title=data["title"],
            when=data["when"],
            actor=data["actor"],
            actor_departments=list(data["actor_departments"]),
            actor_scope=self.scope() if data["actor"] == "units" else [],
            deliverable=data["deliverable"],
            deliver_to=data["deliver_to"],
            late_policy=data["late_policy"],
        )


def _plain(value: Decimal | None) -> str:
    """A number as an input shows it: 5, not 5.00."""
    if value is None:
        return ""
    return str(
        value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    )


class GridForm(forms.Form):
    """What the grid page carries besides its cells: the preview's fingerprint, and whether
    the 确认保存 button was pressed (absent: show what would change)."""

    fingerprint = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False)
