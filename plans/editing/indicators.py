"""Adding, changing and deleting an indicator of a plan, with the plan file reader's rules
(plans/planfile/indicators.py) and what units have reported kept safe.

A target is typed as the notice prints it (1000万元, 200项以上, 1/3: plans.planfile.printed);
the comparator may come from its words or be chosen. Reports, figures and forms are apps
above plans: `plans.extensions.indicator_uses` asks them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from audit.services import audit_record
from common.errors import ServiceError
from plans import extensions
from plans.editing.common import (
    EditResult,
    FieldRefused,
    changes,
    check_in_year,
    edit_finish,
    plan_open,
    programme_findings,
    text_of,
)
from plans.models import AllocationColumn, Indicator, Programme
from plans.planfile.printed import (
    DISPLAY_MEASURES,
    MAGNITUDES,
    PrintedInvalid,
    display_measure,
    measure_matches,
    read_printed,
)
from plans.selectors import format_number

EVENT_INDICATOR_ADDED = "plans.indicator.added"
EVENT_INDICATOR_UPDATED = "plans.indicator.updated"
EVENT_INDICATOR_DELETED = "plans.indicator.deleted"

COMPARATOR_WORDS = {
    Indicator.Comparator.GTE: "以上",
    Indicator.Comparator.GT: "超过",
    Indicator.Comparator.ABOUT: "左右",
    Indicator.Comparator.NEAR: "近",
    Indicator.Comparator.EQ: "无",
}
NAME_NEEDED = "请填写指标名称。"
MEASURE_NEEDED = "请填写计量单位（如 人、家、项、元）。"
MEASURE_MAGNITUDE = (
    "计量单位请写「{base}」，不要写「{measure}」：数量按基本单位保存；目标可照原文写，"
    "如 200{measure}。"
)
TARGET_MEASURE = "目标「{text}」的计量单位「{printed}」与本指标的「{measure}」不同。"
TARGET_PRECISION = "目标最多保留两位小数。"
TARGET_TOO_LARGE = "目标数值过大。"
FRACTION_BAD = "分数「{text}」应写成 1/3 这样：分子是数，分母是正整数。"
COMPARATOR_CLASH = "与目标「{text}」中的限定词不一致（{chosen} ≠ {printed}）：请只写一处。"
COMPARATOR_NEEDED = "有目标值时请选择比较方式（以上、超过、左右、近，或无）。"
PER_UNIT_ORDER = "每单位不超过的数（{high}）小于不少于的数（{low}）。"
PER_UNIT_SCOPE = "写了每单位要求，请选择适用于哪些单位。"
PART_NOT_HERE = "本专案没有代码为「{code}」的指标。"
PART_SELF = "一个指标不能是自己的其中项。"
PART_ONE_LEVEL = "「{whole}」本身是「{of}」的其中项：其中项只能有一层。"
PART_HAS_PARTS = "本指标下已有其中项（{parts}），不能再作为其他指标的其中项。"
PART_MEASURE = (
    "计量单位「{measure}」与所属指标「{whole}」的「{of}」不同：其中项应与所属指标同一计量单位。"
)
PART_LARGER = "其中项目标 {part} 大于所属指标「{whole}」的目标 {of}。"
PARTS_LARGER = "其中项（{parts}）的目标合计 {total} 大于「{whole}」的目标 {of}。"
WHOLE_MEASURE = "本指标有其中项（{parts}），其计量单位是「{of}」：所属指标与其中项须同一计量单位。"
MEASURE_FIGURES = "已有{uses}，不能再改计量单位（{old} → {new}）：已报的数字是按「{old}」填写的。"
DELETE_REFUSED = "不能删除指标「{name}」：{reasons}。"
DELETE_PARTS = "它有其中项（{parts}），请先删除其中项或改为不属于它"
DELETE_COLUMN = "它是任务分解表「{table}」中的一列，表的列只能通过方案文件修改"
DELETE_SERVED = "下级方案「{plans}」的指标服务于它"
DELETE_USES = "已有{uses}"
NOTHING_CHANGED = "没有修改任何内容"
MAX_TARGET = Decimal(10) ** 16
_FRACTION = re.compile(r"^(?P<top>\d+(?:\.\d+)?)/(?P<bottom>\d+)(?P<after>以上|左右)?$")


@dataclass(frozen=True)
class IndicatorInput:
    """An indicator as typed on the page."""

    name: str
    measure: str
    target: str = ""  # as the notice prints it; "" for none
    comparator: str = ""  # "" takes the target's own words (以上…); else a Comparator value
    due: dt.date | None = None
    period: str = Indicator.Period.MONTHLY
    per_unit_min: Decimal | None = None
    per_unit_max: Decimal | None = None
    per_unit_scope: list[str] = field(default_factory=list)
    part_of: str = ""  # the code of the indicator of the same programme it is a part of


@dataclass(frozen=True)
class Target:
    value: Decimal | None
    denominator: int
    comparator: str | None  # the target's own words, if any
    display: str  # 万元/亿元 for money printed so, else ""


def target_read(text: str, measure: str) -> Target:
    """The target typed as the notice prints it (plans.planfile.printed), or a fraction
    1/3; refused in Chinese (FieldRefused on "target") when it cannot be read."""
    compact = re.sub(r"\s+", "", text or "")
    if not compact:
        return Target(None, 1, None, "")
    fraction = _FRACTION.match(compact)
    if "/" in compact:
        if fraction is None or int(fraction["bottom"]) == 0:
            raise FieldRefused("target", FRACTION_BAD.format(text=text.strip()))
        value = _bounded(Decimal(fraction["top"]))
        after = {"以上": "gte", "左右": "about"}.get(fraction["after"] or "")
        return Target(value, int(fraction["bottom"]), after, "")
    try:
        printed = read_printed(compact)
    except PrintedInvalid as exc:
        raise FieldRefused("target", str(exc)) from exc
    if not measure_matches(printed.measure, measure):
        raise FieldRefused(
            "target",
            TARGET_MEASURE.format(text=text.strip(), printed=printed.measure, measure=measure),
        )
    return Target(_bounded(printed.value), 1, printed.comparator, display_measure(printed, measure))


def _bounded(value: Decimal) -> Decimal:
    if value >= MAX_TARGET:
        raise FieldRefused("target", TARGET_TOO_LARGE)
    if value != value.quantize(Decimal("0.01")):
        raise FieldRefused("target", TARGET_PRECISION)
    return value


def target_typed(indicator: Indicator) -> str:
    """The target as the page offers it for editing: as the notice prints it (1000万元)."""
    if indicator.target is None:
        return ""
    if indicator.target_denominator != 1:
        return f"{_plain(indicator.target)}/{indicator.target_denominator}"
    if indicator.display_measure in DISPLAY_MEASURES:
        return f"{_plain(indicator.shown(indicator.target))}{indicator.display_measure}"
    return _plain(indicator.target)


def _plain(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(value.normalize())


def _amount(value: Decimal, measure: str, display: str) -> str:
    """A target as the page shows it: 1,000 万元."""
    scale = DISPLAY_MEASURES.get(display, Decimal(1))
    return f"{format_number(value / scale)} {display or measure}"


def indicator_snapshot(indicator: Indicator) -> dict:
    """An indicator as the audit log keeps it."""
    return {
        "code": indicator.code,
        "name": indicator.name,
        "measure": indicator.measure,
        "target": target_typed(indicator) or None,
        "comparator": indicator.comparator,
        "display_measure": indicator.display_measure,
        "due": text_of(indicator.due_date),
        "period": indicator.period,
        "per_unit_min": text_of(indicator.per_unit_min),
        "per_unit_max": text_of(indicator.per_unit_max),
        "per_unit_scope": list(indicator.per_unit_scope),
        "part_of": indicator.part_of.code if indicator.part_of_id else None,
    }


# -- the checks ----------------------------------------------------------------------------


@dataclass
class _Checked:
    fields: dict  # the model's fields as they will be saved
    whole: Indicator | None


def _checked(
    plan, programme: Programme, values: IndicatorInput, current: Indicator | None
) -> _Checked:
    """The typed indicator checked as the plan file reader checks one, against the other
    indicators of its programme as they stand."""
    name = values.name.strip()
    if not name:
        raise FieldRefused("name", NAME_NEEDED)
    measure = values.measure.strip()
    if not measure:
        raise FieldRefused("measure", MEASURE_NEEDED)
    if measure[:1] in MAGNITUDES and measure[1:]:
        raise FieldRefused("measure", MEASURE_MAGNITUDE.format(base=measure[1:], measure=measure))
    target = target_read(values.target, measure)
    comparator = _comparator(values, target)
    if values.period not in Indicator.Period.values:
        raise FieldRefused("period", "请选择报送周期。")
    check_in_year(plan, "due", [values.due])
    low, high = values.per_unit_min, values.per_unit_max
    if low is not None and high is not None and low > high:
        raise FieldRefused(
            "per_unit_max", PER_UNIT_ORDER.format(low=format_number(low), high=format_number(high))
        )
    if (low is not None or high is not None) and not values.per_unit_scope:
        raise FieldRefused("per_unit_scope", PER_UNIT_SCOPE)
    siblings = {i.pk: i for i in programme.indicators.all()}
    own_parts = [i for i in siblings.values() if current and i.part_of_id == current.pk]
    whole = _whole(values.part_of, siblings, current, own_parts, measure)
    display = target.display
    if whole is not None and not display:
        display = whole.display_measure  # a part reads in its whole's measure (其中600万元)
    value = None if target.value is None else target.value / target.denominator
    if whole is not None:
        _part_fits(value, measure, display, whole, siblings, current)
    if own_parts:
        _parts_fit(value, measure, display, own_parts, name)
    return _Checked(
        fields={
            "name": name,
            "measure": measure,
            "target": target.value,
            "target_denominator": target.denominator,
            "comparator": comparator,
            "display_measure": display,
            "due_date": values.due,
            "period": values.period,
            "per_unit_min": low,
            "per_unit_max": high,
            "per_unit_scope": list(values.per_unit_scope),
            "part_of_id": whole.pk if whole else None,
        },
        whole=whole,
    )


def _comparator(values: IndicatorInput, target: Target) -> str:
    chosen = values.comparator
    if chosen and chosen not in Indicator.Comparator.values:
        raise FieldRefused("comparator", COMPARATOR_NEEDED)
    if target.comparator:
        # 无 is what the form shows for an indicator read without a word: the word typed in
        # the target (130名以上) says more. Two different words (超过 chosen, 以上 typed) clash.
        if chosen and chosen != Indicator.Comparator.EQ and chosen != target.comparator:
            raise FieldRefused(
                "comparator",
                COMPARATOR_CLASH.format(
                    text=values.target.strip(),
                    chosen=COMPARATOR_WORDS[chosen],
                    printed=COMPARATOR_WORDS[target.comparator],
                ),
            )
        return target.comparator
    if target.value is not None and not chosen:
        raise FieldRefused("comparator", COMPARATOR_NEEDED)
    return chosen or Indicator.Comparator.EQ


def _whole(code: str, siblings: dict, current, own_parts, measure: str) -> Indicator | None:
    if not code:
        return None
    whole = next((i for i in siblings.values() if i.code == code), None)
    if whole is None:
        raise FieldRefused("part_of", PART_NOT_HERE.format(code=code))
    if current is not None and whole.pk == current.pk:
        raise FieldRefused("part_of", PART_SELF)
    if whole.part_of_id is not None:
        of = siblings.get(whole.part_of_id)
        raise FieldRefused(
            "part_of", PART_ONE_LEVEL.format(whole=whole.name, of=of.name if of else "")
        )
    if own_parts:
        parts = "、".join(f"「{p.name}」" for p in own_parts)
        raise FieldRefused("part_of", PART_HAS_PARTS.format(parts=parts))
    if whole.measure != measure:
        raise FieldRefused(
            "measure", PART_MEASURE.format(measure=measure, whole=whole.name, of=whole.measure)
        )
    return whole


def _part_fits(value, measure, display, whole: Indicator, siblings: dict, current) -> None:
    """Neither the part's target nor the parts' together above the whole's."""
    of = whole.target_value
    if value is None or of is None:
        return
    shown = whole.display_measure
    if value > of:
        raise FieldRefused(
            "target",
            PART_LARGER.format(
                part=_amount(value, measure, display),
                whole=whole.name,
                of=_amount(of, whole.measure, shown),
            ),
        )
    others = [
        i
        for i in siblings.values()
        if i.part_of_id == whole.pk and (current is None or i.pk != current.pk)
    ]
    total = value + sum((i.target_value for i in others if i.target is not None), Decimal(0))
    if others and total > of:
        names = "、".join(f"「{i.name}」" for i in others)
        raise FieldRefused(
            "target",
            PARTS_LARGER.format(
                parts=f"{names}和本项",
                total=_amount(total, measure, shown),
                whole=whole.name,
                of=_amount(of, whole.measure, shown),
            ),
        )


def _parts_fit(value, measure, display, parts: list[Indicator], name: str) -> None:
    """A whole keeps its parts' measure, and a target no smaller than any of them or their
    sum."""
    names = "、".join(f"「{p.name}」" for p in parts)
    if any(p.measure != measure for p in parts):
        raise FieldRefused("measure", WHOLE_MEASURE.format(parts=names, of=parts[0].measure))
    if value is None:
        return
    for p in parts:
        if p.target is not None and p.target_value > value:
            raise FieldRefused(
                "target",
                PART_LARGER.format(
                    part=_amount(p.target_value, measure, display),
                    whole=name,
                    of=_amount(value, measure, display),
                ).replace("其中项目标", f"其中项「{p.name}」的目标"),
            )
    total = sum((p.target_value for p in parts if p.target is not None), Decimal(0))
    if total > value:
        raise FieldRefused(
            "target",
            PARTS_LARGER.format(
                parts=names,
                total=_amount(total, measure, display),
                whole=name,
                of=_amount(value, measure, display),
            ),
        )


def _uses_text(uses: list[extensions.Use]) -> str:
    return "、".join(u.text for u in uses)


# -- the services --------------------------------------------------------------------------


def _programme(plan, programme_id: int) -> Programme:
    """The programme with its indicators as they stand, for the checks."""
    return Programme.objects.prefetch_related("indicators").get(pk=programme_id, plan=plan)


def _new_code(plan, programme: Programme) -> str:
    taken = set(Indicator.objects.filter(plan=plan).values_list("code", flat=True))
    n = programme.indicators.count() + 1
    while f"P{programme.number:02d}-{n}" in taken:
        n += 1
    return f"P{programme.number:02d}-{n}"


@transaction.atomic
def indicator_add(*, actor, programme: Programme, values: IndicatorInput) -> EditResult:
    """A new indicator at the end of the programme's list; audited with what it is."""
    plan = plan_open(programme.plan)
    programme = _programme(plan, programme.pk)
    checked = _checked(plan, programme, values, None)
    before = programme_findings(plan=plan, number=programme.number)
    last = max((i.order for i in programme.indicators.all()), default=-1)
    indicator = Indicator.objects.create(
        plan=plan,
        programme=programme,
        code=_new_code(plan, programme),
        order=last + 1,
        **checked.fields,
    )
    result = edit_finish(
        plan=plan,
        number=programme.number,
        before=before,
        done=f"已在专案{programme.number}添加指标「{indicator.name}」",
        target=indicator,
    )
    audit_record(
        actor=actor,
        event=EVENT_INDICATOR_ADDED,
        target=indicator,
        after={**indicator_snapshot(indicator), **result.audited},
    )
    return result


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, values: IndicatorInput) -> EditResult:
    """The indicator as typed; its measure stays once figures are reported in it. Audited
    with what changed, before and after."""
    plan = plan_open(indicator.plan)
    indicator = (
        Indicator.objects.select_for_update(of=("self",))
        .select_related("part_of")
        .get(pk=indicator.pk, plan=plan)
    )
    programme = _programme(plan, indicator.programme_id)
    checked = _checked(plan, programme, values, indicator)
    fields = checked.fields
    if fields["measure"] != indicator.measure:
        figures = [
            u
            for u in extensions.indicator_uses(indicator_ids={indicator.pk}).get(indicator.pk, [])
            if u.kind == extensions.FIGURES
        ]
        if figures:
            raise FieldRefused(
                "measure",
                MEASURE_FIGURES.format(
                    uses=_uses_text(figures), old=indicator.measure, new=fields["measure"]
                ),
            )
    old = indicator_snapshot(indicator)
    changed = [f for f, v in fields.items() if getattr(indicator, f) != v]
    if not changed:
        return EditResult(done=NOTHING_CHANGED, target=indicator)
    before = programme_findings(plan=plan, number=programme.number)
    if {"target", "target_denominator"} & set(changed) and indicator.target_from_parent:
        # Typed here, the target is no longer the parent plan's share (plans.cascade).
        indicator.target_from_parent = False
        changed.append("target_from_parent")
    for f in changed:
        if f != "target_from_parent":
            setattr(indicator, f, fields[f])
    indicator.save(update_fields=changed)
    indicator.part_of = checked.whole
    was, now = changes(old, indicator_snapshot(indicator))
    result = edit_finish(
        plan=plan,
        number=programme.number,
        before=before,
        done=f"已修改指标「{indicator.name}」",
        target=indicator,
    )
    audit_record(
        actor=actor,
        event=EVENT_INDICATOR_UPDATED,
        target=indicator,
        before=was,
        after={**now, **result.audited},
    )
    return result


def indicator_delete_blockers(*, indicator: Indicator) -> list[str]:
    """Why the indicator may not be deleted, each in Chinese; [] when it may. A fixed number
    of queries (plans' own three, and each app's finder)."""
    reasons = []
    parts = list(Indicator.objects.filter(part_of=indicator).values_list("name", flat=True))
    if parts:
        reasons.append(DELETE_PARTS.format(parts="、".join(f"「{p}」" for p in parts)))
    column = AllocationColumn.objects.filter(indicator=indicator).select_related("table").first()
    if column is not None:
        reasons.append(DELETE_COLUMN.format(table=column.table.title))
    served = sorted(
        set(Indicator.objects.filter(serves=indicator).values_list("plan__title", flat=True))
    )
    if served:
        reasons.append(DELETE_SERVED.format(plans="」「".join(served)))
    uses = extensions.indicator_uses(indicator_ids={indicator.pk}).get(indicator.pk, [])
    if uses:
        reasons.append(DELETE_USES.format(uses=_uses_text(uses)))
    return reasons


@transaction.atomic
def indicator_delete(*, actor, indicator: Indicator) -> EditResult:
    """The indicator gone, unless anything of it is at stake (indicator_delete_blockers);
    audited with what it was."""
    plan = plan_open(indicator.plan)
    indicator = (
        Indicator.objects.select_for_update(of=("self",))
        .select_related("part_of", "programme")
        .get(pk=indicator.pk, plan=plan)
    )
    reasons = indicator_delete_blockers(indicator=indicator)
    if reasons:
        raise ServiceError(DELETE_REFUSED.format(name=indicator.name, reasons="；".join(reasons)))
    number = indicator.programme.number
    before = programme_findings(plan=plan, number=number)
    audit_record(
        actor=actor,
        event=EVENT_INDICATOR_DELETED,
        target=indicator,
        before=indicator_snapshot(indicator),
    )
    name = indicator.name
    indicator.delete()
    return edit_finish(
        plan=plan, number=number, before=before, done=f"已删除指标「{name}」", target=None
    )
