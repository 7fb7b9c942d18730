"""What adding or replacing a form from a spreadsheet would change, and whether it may.

Read before anything is saved (the preview shows it) and again inside the saving transaction
(records.services.forms), so what the page showed is what the save decides on. A form is
refused where replacing it would strand what units already entered: a field with values
removed or given another type, a choice in use removed, a personal field's sealed values
turned plain, files of a file field left without their column.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from evidence.models import Evidence
from plans.models import Plan, Programme
from records.fields import FieldDef
from records.formfile import FormSpec
from records.formsheet import FormSheet, form_sheet_read
from records.formsheet.layout import LATE_WORDS, TYPE_WORDS
from records.formsheet.stored import form_spec_json, form_spec_of, indicator_names
from records.imports.files import FileRefused
from records.models import FormDefinition, Record, RecordImport, RecordIndicator
from records.schema import _field_json

PLAN_CLOSED = "「{title}」已结束，统计表不能再添加或修改。"
OTHER_PROGRAMME = (
    "代码「{code}」已是专案{number}的统计表「{title}」：请换一个代码，或在专案{number}下导入。"
)
FIELD_REMOVED = (
    "字段「{label}」（{code}）已有 {n} 条记录填写了内容，不能删除；请保留该字段（可改为非必填）。"
)
FILES_REMOVED = "字段「{label}」（{code}）已有 {n} 个上传的文件，不能删除。"
FIELD_RETYPED = (
    "字段「{label}」（{code}）已有 {n} 条记录填写了内容，类型不能从「{old}」改为「{new}」。"
)
CHOICE_REMOVED = "字段「{label}」的选项「{choice}」已有 {n} 条记录选用，不能删除或改名。"
PERSONAL_REMOVED = "字段「{label}」已有 {n} 条记录加密保存，不能取消“个人信息”。"
COMPUTED_ELSEWHERE = "指标「{name}」已由统计表「{title}」计算，一个指标只能由一张表计算。"

# A field's declaration (records.schema._field_json) → what the summary calls it.
FIELD_PARTS = {
    "label": "名称",
    "required": "必填",
    "minimum": "范围",
    "maximum": "范围",
    "min_date": "范围",
    "max_date": "范围",
    "max_length": "字数",
    "choices": "选项",
    "help": "说明",
    "pattern": "格式",
    "pattern_message": "格式提示",
    "places": "小数位数",
    "compute": "计算公式",
    "unit_of_measure": "计量单位",
    "forward_only": "只能前移",
    "personal": "个人信息",
}
TEXT_PARTS = {"title": "名称", "attachment": "附件", "description": "说明", "source_text": "原文"}


@dataclass
class FormChange:
    """The form read from a sheet against the plan's: what changes in words, why it may not be
    saved, what stays as it was, and a digest of the stored form it was compared with."""

    spec: FormSpec
    current: FormDefinition | None
    order: int
    changes: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    base: str = ""

    @property
    def changed(self) -> bool:
        return self.current is None or bool(self.changes)

    @property
    def allowed(self) -> bool:
        return not self.refusals


@dataclass
class FormSheetPreview:
    """An uploaded workbook read and compared: its problems (the file refused, or cells that
    cannot be read), else the change it would make."""

    sheet: FormSheet
    change: FormChange | None = None

    @property
    def problems(self) -> list[str]:
        return self.sheet.problems

    @property
    def saveable(self) -> bool:
        return self.change is not None and self.change.allowed and self.change.changed


def form_sheet_preview(*, plan: Plan, programme: Programme, uploaded) -> FormSheetPreview:
    """Read `uploaded` and compare the form it defines with the plan's; nothing is saved."""
    try:
        sheet = form_sheet_read(uploaded, indicators=indicator_names(plan))
    except FileRefused as exc:
        return FormSheetPreview(sheet=FormSheet(problems=[str(exc)]))
    if sheet.problems:
        return FormSheetPreview(sheet=sheet)
    return FormSheetPreview(
        sheet=sheet, change=form_change(plan=plan, programme=programme, spec=sheet.spec)
    )


def form_digest(spec: FormSpec | None) -> str:
    """Says whether a stored form is still the one a preview was compared with."""
    if spec is None:
        return ""
    text = json.dumps(form_spec_json(spec), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def form_change(
    *, plan: Plan, programme: Programme, spec: FormSpec, lock: bool = False
) -> FormChange:
    """Compare `spec` with the plan's form of the same code. `lock` (inside the saving
    transaction) holds the form's rows while their values are counted."""
    current = (
        FormDefinition.objects.filter(plan=plan, code=spec.code).select_related("programme").first()
    )
    if current is None:
        siblings = FormDefinition.objects.filter(programme=programme)
        order = max(siblings.values_list("order", flat=True), default=-1) + 1
    else:
        order = current.order
    change = FormChange(spec=spec, current=current, order=order)
    names = indicator_names(plan)
    if plan.is_closed:
        change.refusals.append(PLAN_CLOSED.format(title=plan.title))
    for other in RecordIndicator.objects.filter(
        form__plan=plan, indicator__code__in=[c.indicator for c in spec.computes]
    ).select_related("form", "indicator"):
        if current is None or other.form_id != current.pk:
            change.refusals.append(
                COMPUTED_ELSEWHERE.format(name=other.indicator.name, title=other.form.title)
            )
    if current is None:
        change.changes.append(_new_form(spec, names))
        return change
    if current.programme_id != programme.pk:
        change.refusals.append(
            OTHER_PROGRAMME.format(
                code=spec.code, number=current.programme.number, title=current.title
            )
        )
        return change
    old = form_spec_of(current)
    change.base = form_digest(old)
    change.changes = _differences(old, spec, names)
    if change.changes:
        _strandings(change, old, lock=lock)
        _notes(change, old)
    return change


def _type_word(kind: str) -> str:
    return TYPE_WORDS[kind][0]


def _new_form(spec: FormSpec, names: dict[str, str]) -> str:
    schema = spec.schema
    text = (
        f"新增统计表「{spec.title}」（代码 {spec.code}）：{len(schema.fields)} 个字段，"
        f"规则 {len(schema.rules)} 条，标准 {len(schema.standards)} 条"
    )
    if spec.computes:
        text += "，计入指标：" + "、".join(
            names.get(c.indicator, c.indicator) for c in spec.computes
        )
    return text


def _differences(old: FormSpec, new: FormSpec, names: dict[str, str]) -> list[str]:
    before, after = form_spec_json(old), form_spec_json(new)
    changes = [
        f"{label}：「{before[key] or '（空）'}」→「{after[key] or '（空）'}」"
        if key in ("title", "attachment")
        else f"{label}有改动"
        for key, label in TEXT_PARTS.items()
        if before[key] != after[key]
    ]
    changes += _field_differences(old.schema.fields, new.schema.fields)
    for kind, word in (("rules", "规则"), ("standards", "标准")):
        was = [(c.formula.source, c.message) for c in getattr(old.schema, kind)]
        now = [(c.formula.source, c.message) for c in getattr(new.schema, kind)]
        changes += [
            f"新增{word}：{message}" for source, message in now if (source, message) not in was
        ]
        changes += [
            f"删除{word}：{message}" for source, message in was if (source, message) not in now
        ]
        if was != now and sorted(was) == sorted(now):
            changes.append(f"{word}的顺序有调整")
    a, b = before["schema"], after["schema"]
    if a["key"] != b["key"]:
        keys = ["、".join(k) or "（全部字段）" for k in (a["key"], b["key"])]
        changes.append(f"识别字段：{keys[0]} → {keys[1]}")
    if a["date_field"] != b["date_field"]:
        changes.append(f"日期字段：{a['date_field'] or '（无）'} → {b['date_field'] or '（无）'}")
    if a["deadline"] != b["deadline"]:
        changes.append(
            f"截止日期：{old.schema.deadline.describe()} → {new.schema.deadline.describe()}"
        )
    if a["late_policy"] != b["late_policy"]:
        changes.append(
            f"逾期处理：{LATE_WORDS[a['late_policy']][0]} → {LATE_WORDS[b['late_policy']][0]}"
        )
    for bound, word in (("per_unit_min", "每单位最少条数"), ("per_unit_max", "每单位最多条数")):
        if a[bound] != b[bound]:
            changes.append(f"{word}：{a[bound] or '不限'} → {b[bound] or '不限'}")
    was = {c["indicator"]: c for c in before["computes"]}
    now = {c["indicator"]: c for c in after["computes"]}
    changes += [f"新增计入指标「{names.get(code, code)}」" for code in now if code not in was]
    changes += [f"不再计入指标「{names.get(code, code)}」" for code in was if code not in now]
    changes += [
        f"计入指标「{names.get(code, code)}」的计算方式有改动"
        for code in now
        if code in was and now[code] != was[code]
    ]
    return changes


def _field_differences(old: list[FieldDef], new: list[FieldDef]) -> list[str]:
    was = {f.code: f for f in old}
    now = {f.code: f for f in new}
    changes = [
        f"新增字段「{f.label}」（{f.code}，{_type_word(f.type)}）" for f in new if f.code not in was
    ]
    changes += [f"删除字段「{f.label}」（{f.code}）" for f in old if f.code not in now]
    for f in new:
        if f.code not in was:
            continue
        a, b = _field_json(was[f.code]), _field_json(f)
        parts = []
        if a["type"] != b["type"]:
            parts.append(f"类型 {_type_word(a['type'])} → {_type_word(b['type'])}")
        if a["required"] != b["required"]:
            parts.append("改为必填" if b["required"] else "改为非必填")
        for key, word in FIELD_PARTS.items():
            if key != "required" and a.get(key) != b.get(key) and word not in parts:
                parts.append(word)
        if parts:
            changes.append(f"字段「{f.label}」（{f.code}）：{'、'.join(parts)}有改动")
    common = [f.code for f in new if f.code in was]
    if common != [f.code for f in old if f.code in now]:
        changes.append("字段的顺序有调整")
    return changes


def _strandings(change: FormChange, old: FormSpec, *, lock: bool) -> None:
    """Refuse what would leave the form's stored values, choices or files without a home."""
    form = change.current
    rows = Record.objects.filter(form=form)
    if lock:
        rows = rows.select_for_update()
    filled: Counter[str] = Counter()
    chosen: dict[str, Counter[str]] = defaultdict(Counter)
    choice_codes = {f.code for f in old.schema.fields if f.type in ("choice", "multi_choice")}
    for data in rows.values_list("data", flat=True).iterator(chunk_size=2000):
        for code, value in (data or {}).items():
            if value in (None, "", []):
                continue
            filled[code] += 1
            if code in choice_codes:
                for choice in value if isinstance(value, list) else [value]:
                    chosen[code][choice] += 1
    files = {
        row["field_code"]: row["n"]
        for row in Evidence.objects.filter(record__form=form)
        .values("field_code")
        .annotate(n=Count("id"))
    }
    now = {f.code: f for f in change.spec.schema.fields}
    for f in old.schema.fields:
        n = files.get(f.code, 0) if f.type == "file" else filled[f.code]
        new = now.get(f.code)
        if new is None:
            if n:
                template = FILES_REMOVED if f.type == "file" else FIELD_REMOVED
                change.refusals.append(template.format(label=f.label, code=f.code, n=n))
            continue
        if n and new.type != f.type:
            change.refusals.append(
                FIELD_RETYPED.format(
                    label=f.label,
                    code=f.code,
                    n=n,
                    old=_type_word(f.type),
                    new=_type_word(new.type),
                )
            )
            continue
        for choice, used in chosen[f.code].items():
            if choice not in new.choices:
                change.refusals.append(CHOICE_REMOVED.format(label=f.label, choice=choice, n=used))
        if f.personal and not new.personal and n:
            change.refusals.append(PERSONAL_REMOVED.format(label=f.label, n=n))


def _notes(change: FormChange, old: FormSpec) -> None:
    """What the change leaves as it was, said before it is saved."""
    form = change.current
    new = change.spec.schema
    if Record.objects.filter(form=form).exists():
        if old.schema.deadline.to_json() != new.deadline.to_json():
            change.notes.append(
                "已填记录的截止日期和逾期判定不变，新的截止日期只用于此后填报的记录。"
            )
        if [c.to_json() for c in old.schema.standards] != [c.to_json() for c in new.standards]:
            change.notes.append("已填记录的达标情况在下次修改保存时按新的标准重新核对。")
        if old.schema.key_codes != new.key_codes:
            change.notes.append("识别字段改变后，已有记录再次导入时可能被当作新记录。")
    if [vars(c) for c in old.computes] != [vars(c) for c in change.spec.computes]:
        change.notes.append(
            "计入指标有变化：由已通过记录计算的数字将重新计算；各单位的进度填报任务如需相应调整，"
            "请重新生成报送任务。"
        )
    pending = RecordImport.objects.filter(form=form, status=RecordImport.Status.PREVIEW).count()
    if pending:
        change.notes.append(f"有 {pending} 个上传后待确认的导入将作废，需重新上传。")
