"""What a plan file says, as plain data: `read_plan_file` (plans.planfile.spec) builds it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from orgs.models import Unit
from plans.groups import DEFAULT_GROUPS
from plans.planfile.dates import DateRule
from plans.planfile.supervision import DEFAULT_SIGN_DAYS

UNIT_KINDS = tuple(Unit.Kind.values)
# The words notices use for groups of units, as `actor_scope` and `per_unit.scope` accept them.
SCOPE_WORDS = {
    "县（市、区）": ("county_city", "county", "district"),
    "县市区": ("county_city", "county", "district"),
    "各县（市、区）": ("county_city", "county", "district"),
    "设区市": ("city",),
    "功能区": ("zone",),
    "产业工会": ("industry_union",),
    "市直工会": ("organ_union",),
    "直属企业工会": ("enterprise_union",),
    "市总直属企业工会": ("enterprise_union",),
    "乡镇（街道）": ("township",),
    "基层工会": ("grassroots",),
} | {label: (code,) for code, label in Unit.Kind.choices}
SCOPE_HELP = "、".join(f"{code}（{label}）" for code, label in Unit.Kind.choices)
COMPARATORS = ("gte", "gt", "about", "near", "eq")
PERIODS = ("monthly", "quarterly", "half_year", "year")
DEPARTMENT_SOURCES = ("text", "assigned")
ACTORS = ("federation", "units")
LATE_POLICIES = ("flag", "exclude")
# How an auto-scored rubric item turns figures into points (completion: figure ÷ allocation).
AUTO_BASES = ("completion",)


class PlanFileInvalid(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"计划文件有 {len(problems)} 处问题")


@dataclass
class UnitSpec:
    code: str
    name: str
    short_name: str
    kind: str
    parent: str | None
    aliases: list[str]
    # Named as a unit that is already in the database, owned by another federation: this
    # file uses it and changes nothing of it (matched by code).
    existing: bool = False

    def spellings(self) -> list[str]:
        return [self.name, self.short_name, *self.aliases]

    def __str__(self) -> str:
        return self.short_name


@dataclass
class DepartmentSpec:
    name: str
    aliases: list[str]


@dataclass
class IndicatorSpec:
    code: str
    order: int
    name: str
    measure: str
    target: Decimal | None
    target_denominator: int
    comparator: str
    due: dt.date | None
    period: str
    per_unit_min: Decimal | None
    per_unit_max: Decimal | None
    per_unit_scope: list[str]
    source_text: str
    serves: str = ""  # the parent plan's indicator code (plans.cascade)
    # The file wrote a comparator; else a target taken from the parent takes the parent's.
    comparator_given: bool = True
    part_of: str = ""  # the code of the indicator this one is a part of (其中)
    # 万元 or 亿元 for money the notice prints so (target: 1000万元, or shown_in): kept in 元.
    display_measure: str = ""


@dataclass
class RowSpec:
    number: int
    label: str
    values: list[Decimal | None]
    unit: str | None  # canonical unit name
    unit_assigned: bool
    group: str
    note: str


@dataclass
class TableSpec:
    code: str
    order: int
    attachment: str
    title: str
    columns: list[tuple[str, str]]  # (indicator code, header)
    rows: list[RowSpec]
    total: list[Decimal | None] | None
    note: str


@dataclass
class MilestoneSpec:
    order: int
    title: str
    rule: DateRule
    rule_raw: dict
    actor: str
    actor_departments: list[str]
    actor_scope: list[str]
    deliverable: str
    deliver_to: str
    late_policy: str
    source_text: str
    form: str = ""  # the code of the form whose rows are this step's deliverable


@dataclass
class CriterionSpec:
    code: str
    title: str
    points: Decimal
    # Scored from the plan's figures (evaluations app): {"indicator": code, "basis": ...}.
    auto: dict | None = None


@dataclass
class RubricSpec:
    order: int
    title: str
    attachment: str
    criteria: list[CriterionSpec]
    # The units scored against it (unit kinds or names, as `actor_scope`); [] for none.
    evaluated: list[str] = field(default_factory=list)


@dataclass
class ProgrammeSpec:
    number: int
    title: str
    category: str
    departments: list[tuple[str, str]]  # (department name, source)
    goal: str
    measures: str
    requirements: str
    indicators: list[IndicatorSpec] = field(default_factory=list)
    tables: list[TableSpec] = field(default_factory=list)
    milestones: list[MilestoneSpec] = field(default_factory=list)
    rubrics: list[RubricSpec] = field(default_factory=list)
    # What readers other apps register read (plans.planfile.sections), by programme key.
    sections: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def forms(self) -> list[Any]:
        """The programme's forms (统计表), read by the records app's reader."""
        return self.sections.get("forms", [])


@dataclass
class PlanSpec:
    slug: str
    title: str
    year: int
    issuer: str
    doc_number: str
    doc_number_variants: list[str]
    issued_on: dt.date
    summary: str
    progress_from: dt.date | None
    progress_due_day: int
    progress_late_policy: str
    departments: list[DepartmentSpec]
    units: list[UnitSpec]
    programmes: list[ProgrammeSpec]
    sha256: str
    parent: str = ""  # the slug of the parent federation's plan this one carries out
    # What may be a slip but loads (a date outside the plan's year): said, never refused.
    warnings: list[str] = field(default_factory=list)
    # The programmes' groups, (code, name) in order: the file's `groups`, else 2022's two.
    groups: list[tuple[str, str]] = field(default_factory=lambda: list(DEFAULT_GROUPS))
    # The bulletin's title and addressees as the file gives them (`bulletin`); absent: derived.
    bulletin: dict[str, str] = field(default_factory=dict)
    # The units ranked against each other (`ranking_groups`), in order: [{"name", "kinds",
    # "units"}] as `Plan.ranking_groups` keeps them (plans.ranking_groups); [] ranks all in one.
    ranking_groups: list[dict] = field(default_factory=list)
    # 黄牌 / 红牌 as the file's `warnings` gives them: {"due_soon_workdays", "yellow_margin",
    # "red_margin"}, each optional ({}: the system's defaults; plans.planfile.warning_levels).
    warning_levels: dict = field(default_factory=dict)
    # 年终考核 as the file's `assessment` gives it: {"components": [{"kind", "weight",
    # "rubric"?}], "groups"} ({}: none; plans.planfile.assessment).
    assessment: dict = field(default_factory=dict)
    # 督办单's 签收期限 in working days after issue, as the file's `supervision.sign_days` gives
    # it (plans.planfile.supervision; default 2).
    sign_days: int = DEFAULT_SIGN_DAYS
