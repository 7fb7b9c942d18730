"""A form definition in words, for the programme page and the template's instructions sheet."""

from __future__ import annotations

from records.fields import FieldDef, _plain
from records.models import FormDefinition


def field_limits(f: FieldDef) -> str:
    """What the field accepts, e.g. 「≥ 0；单位：人」 or 「可选：线上、线下、线上线下结合」."""
    parts: list[str] = []
    if f.computed:
        parts.append(f"自动计算：{f.compute.source}")
    if f.minimum is not None:
        parts.append(f"≥ {_plain(f.minimum)}")
    if f.maximum is not None:
        parts.append(f"≤ {_plain(f.maximum)}")
    if f.min_date:
        parts.append(f"不早于 {f.min_date.isoformat()}")
    if f.max_date:
        parts.append(f"不晚于 {f.max_date.isoformat()}")
    if f.type == "decimal":
        parts.append(f"最多 {f.places} 位小数")
    if f.type == "text" and f.max_length != 200:
        parts.append(f"不超过 {f.max_length} 字")
    if f.pattern_message:
        parts.append(f.pattern_message)
    if f.choices:
        parts.append(("可多选：" if f.type == "multi_choice" else "可选：") + "、".join(f.choices))
    if f.forward_only:
        parts.append("只能按顺序前移")
    if f.personal:
        parts.append("个人信息：加密保存，页面和导出只显示脱敏后的值")
    if f.unit_of_measure:
        parts.append(f"单位：{f.unit_of_measure}")
    if f.help:
        parts.append(f.help)
    return "；".join(parts)


def programme_forms(*, programme) -> list[dict]:
    """The programme's forms in words: fields with what they accept, rules, standards, and the
    indicators counted from their rows (two queries)."""
    forms = FormDefinition.objects.filter(programme=programme).prefetch_related(
        "computes__indicator"
    )
    return [
        {
            "form": form,
            "schema": form.schema,
            "fields": [(f, field_limits(f)) for f in form.schema.fields],
            "computes": [
                (c, form.schema.by_code[c.field].label if c.field else "")
                for c in form.computes.all()
            ],
        }
        for form in forms
    ]
