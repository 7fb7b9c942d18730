"""The review page's forms: the notice to draft from, and each kind of item in Chinese choices."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms

from common.forms import BoundedDateField
from common.uploads import MAX_FILE_BYTES, UploadRejected, sniff
from drafting.notice import NoticeUnreadable, read_docx, read_text
from drafting.review import COMPARATOR_CHOICES
from orgs.models import Unit
from plans.planfile.dates import DateRuleError, parse_rule
from plans.planfile.printed import PrintedInvalid, read_printed

UNIT_KINDS = [(k, label) for k, label in Unit.Kind.choices if k not in ("province", "federation")]
STEP_KINDS = (
    ("deadline", "截止（……前）"),
    ("window", "期间（……至……）"),
    ("quarterly", "每季度"),
    ("monthly", "每月"),
    ("half_year", "每半年"),
    ("relative", "单项活动结束后若干日内"),
)
ACTORS = (("federation", "本级（市总各部门）"), ("units", "各单位"))


class NoticeForm(forms.Form):
    file = forms.FileField(label="通知文件（.docx 或 .txt）", required=False)
    text = forms.CharField(
        label="或粘贴通知全文", required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if not upload and not text:
            raise forms.ValidationError("请上传通知文件，或粘贴通知全文。")
        try:
            if upload:
                data["notice"], data["name"] = _read_upload(upload), upload.name
            else:
                data["notice"], data["name"] = read_text(text), "粘贴的通知"
        except (UploadRejected, NoticeUnreadable) as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


def _read_upload(upload):
    name = upload.name or ""
    if name.lower().endswith(".txt"):
        if upload.size > MAX_FILE_BYTES:
            raise UploadRejected(f"「{name}」超过 20 MB。")
        raw = upload.read()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return read_text(raw.decode(encoding))
            except UnicodeDecodeError:
                continue
        raise NoticeUnreadable("无法识别文件的文字编码：请另存为 UTF-8 文本或 .docx")
    if not name.lower().endswith(".docx"):
        raise UploadRejected(
            f"「{name}」不是 .docx 或 .txt 文件：请另存为 .docx 后上传，或粘贴全文。"
        )
    sniff(upload)
    return read_docx(upload.read())


class HeaderForm(forms.Form):
    title = forms.CharField(label="方案名称", max_length=300)
    slug = forms.SlugField(
        label="方案代码",
        max_length=60,
        help_text="英文字母、数字和连字符，出现在网址中，如 pds-2023",
        error_messages={"invalid": "方案代码只能包含英文字母、数字和连字符。"},
    )
    year = forms.IntegerField(label="年度", min_value=1990, max_value=2100)
    issued_on = BoundedDateField(label="印发日期", widget=forms.DateInput(attrs={"type": "date"}))
    doc_number = forms.CharField(label="文号", max_length=100, required=False)


class ProgrammeForm(forms.Form):
    title = forms.CharField(label="专案名称", max_length=200)
    category = forms.ChoiceField(label="分组")

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = list(groups)


def _target(text: str) -> tuple[int | float | str | None, str, str | None]:
    """A target as typed: a printed figure (1000万元, 200项以上) or a share (1/3, 90%)."""
    text = text.strip()
    if not text:
        return None, "", None
    share = re.fullmatch(r"(\d+)\s*/\s*(\d+)", text)
    if share and int(share[2]) == 0:
        raise PrintedInvalid(f"「{text}」的分母不能为 0")
    if share:
        return f"{share[1]}/{share[2]}", "比例", None
    percent = re.fullmatch(r"(\d+(?:\.\d+)?)\s*[%％]", text)
    if percent:
        return f"{percent[1]}/100", "比例", None
    printed = read_printed(text)
    value = printed.value
    number = int(value) if value == value.to_integral_value() else float(value)
    measure = "元" if printed.measure in ("万元", "亿元", "元") else printed.measure
    return number, measure, printed.comparator


class IndicatorForm(forms.Form):
    name = forms.CharField(label="指标名称", max_length=200)
    target = forms.CharField(
        label="目标",
        required=False,
        max_length=40,
        help_text="照原文填写，如 200、1000万元、1/3、90%",
    )
    measure = forms.CharField(label="计量单位", max_length=20, required=False)
    comparator = forms.ChoiceField(label="限定词", choices=COMPARATOR_CHOICES, initial="eq")
    per_unit_min = forms.DecimalField(label="每单位不少于", required=False, min_value=0)
    per_unit_max = forms.DecimalField(label="每单位不超过", required=False, min_value=0)
    per_unit_scope = forms.MultipleChoiceField(
        label="每单位要求适用于", choices=UNIT_KINDS, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        try:
            target, measure, comparator = _target(data.get("target") or "")
        except PrintedInvalid as exc:
            self.add_error("target", str(exc))
            return data
        data["target_value"] = target
        data["measure"] = (data.get("measure") or "").strip() or measure
        if measure and data["measure"] not in (measure, "万元", "亿元") and measure != "比例":
            self.add_error(
                "measure", f"目标写的是「{measure}」，计量单位却是「{data['measure']}」。"
            )
        if data["measure"] in ("万元", "亿元"):
            data["measure"] = "元"  # the money is kept in 元; 万元 is how it is shown
        if comparator and data.get("comparator") == "eq":
            data["comparator"] = comparator
        low, high = data.get("per_unit_min"), data.get("per_unit_max")
        if low is not None and high is not None and high < low:
            self.add_error("per_unit_max", "每单位上限小于下限。")
        if (low is not None or high is not None) and not data.get("per_unit_scope"):
            self.add_error("per_unit_scope", "请选择每单位要求适用于哪些单位。")
        if target is None and low is None and high is None:
            raise forms.ValidationError("请填写目标，或每单位要求。")
        if not data["measure"]:
            self.add_error("measure", "请填写计量单位（如 人、家、项、元）。")
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        per_unit = None
        if data.get("per_unit_min") is not None or data.get("per_unit_max") is not None:
            per_unit = {"scope": data["per_unit_scope"]}
            for key, field in (("min", "per_unit_min"), ("max", "per_unit_max")):
                if data.get(field) is not None:
                    per_unit[key] = _plain(data[field])
        return {
            "name": data["name"].strip(),
            "target": None if per_unit and data["target_value"] is None else data["target_value"],
            "measure": data["measure"],
            "comparator": None if data["target_value"] is None else data["comparator"],
            "per_unit": per_unit,
        }


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


class StepForm(forms.Form):
    title = forms.CharField(label="事项", max_length=200)
    kind = forms.ChoiceField(label="时间类型", choices=STEP_KINDS)
    start = BoundedDateField(
        label="开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = BoundedDateField(
        label="截止 / 结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    days = forms.IntegerField(label="活动结束后几日内", required=False, min_value=0, max_value=366)
    actor = forms.ChoiceField(label="承办", choices=ACTORS)
    actor_scope = forms.MultipleChoiceField(
        label="承办单位类型", choices=UNIT_KINDS, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    deliverable = forms.CharField(label="报送材料", max_length=200, required=False)
    deliver_to = forms.ChoiceField(label="报送给", required=False)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deliver_to"].choices = [("", "（不报送）"), ("federation", "本级工会")] + [
            (d, d) for d in departments
        ]

    def clean(self):
        data = super().clean()
        kind, start, end = data.get("kind"), data.get("start"), data.get("end")
        rule: dict | None = None
        if kind == "deadline":
            if not end:
                self.add_error("end", "请填写截止日期。")
            else:
                rule = {"due": end.isoformat()}
        elif kind in ("window", "quarterly", "monthly", "half_year"):
            if not start or not end:
                self.add_error("end" if start else "start", "请填写开始和结束日期。")
            elif kind == "window":
                rule = {"start": start.isoformat(), "end": end.isoformat()}
            else:
                rule = {"recurring": kind, "start": f"{start:%Y-%m}", "end": f"{end:%Y-%m}"}
        elif kind == "relative":
            if data.get("days") is None:
                self.add_error("days", "请填写天数。")
            else:
                rule = {"relative": "activity_end", "days": data["days"]}
        if rule is not None:
            try:
                parse_rule(rule)
            except DateRuleError as exc:
                self.add_error("end", str(exc))
        if data.get("actor") == "units" and not data.get("actor_scope"):
            self.add_error("actor_scope", "请选择承办的单位类型。")
        data["rule"] = rule
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "rule": data["rule"],
            "actor": data["actor"],
            "actor_scope": data["actor_scope"] if data["actor"] == "units" else [],
            "deliverable": data["deliverable"].strip(),
            "deliver_to": data["deliver_to"],
        }


def step_initial(step: dict) -> dict:
    """The form's fields from a drafted step's rule."""
    initial = {key: step.get(key) for key in ("title", "actor", "actor_scope", "deliverable",
                                              "deliver_to")}  # fmt: skip
    rule = step.get("rule")
    if not rule:
        return {**initial, "kind": "deadline"}
    try:
        parsed = parse_rule(rule)
    except DateRuleError:
        return {**initial, "kind": "deadline"}
    kind = {"deadline": "deadline", "window": "window", "relative": "relative"}.get(
        parsed.kind, parsed.recurrence or "deadline"
    )
    return {**initial, "kind": kind, "start": parsed.start, "end": parsed.end,
            "days": parsed.relative_days}  # fmt: skip


def indicator_initial(indicator: dict) -> dict:
    per_unit = indicator.get("per_unit") or {}
    target = indicator.get("target")
    return {
        "name": indicator.get("name"),
        "target": "" if target is None else str(target),
        "measure": indicator.get("measure"),
        "comparator": indicator.get("comparator") or "eq",
        "per_unit_min": per_unit.get("min"),
        "per_unit_max": per_unit.get("max"),
        "per_unit_scope": per_unit.get("scope") or [],
    }


class RowForm(forms.Form):
    choice = forms.ChoiceField(label="对应单位")
    kind = forms.ChoiceField(label="新单位类型", choices=UNIT_KINDS, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = (
            [("", "请选择…")]
            + [(f"unit:{u.name}", u.name) for u in units]
            + [("not_unit", "不是单位（保留为标签行）"), ("new", "新增单位（按本行名称）")]
        )

    def clean(self):
        data = super().clean()
        choice = data.get("choice") or ""
        if choice == "new" and not data.get("kind"):
            self.add_error("kind", "请选择新单位的类型。")
        if choice.startswith("unit:"):
            data["status"], data["unit"] = "chosen", choice[5:]
        else:
            data["status"], data["unit"] = choice, None
        return data


class ColumnsForm(forms.Form):
    """One choice per column of a table: which of the programme's indicators it allocates."""

    def __init__(self, *args, table: dict, programme: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (i["code"], f"{i['code']} {i['name']}")
            for i in programme["indicators"]
            if i["state"] != "deleted"
        ] + [("new", "新指标（以表头为名称）")]
        for n, header in enumerate(table["headers"]):
            current = table["columns"][n] if n < len(table["columns"]) else "new"
            self.fields[f"column_{n}"] = forms.ChoiceField(
                label=f"第{n + 1}列「{header}」", choices=choices, initial=current
            )

    def clean(self):
        data = super().clean()
        chosen = [v for k, v in data.items() if k.startswith("column_") and v != "new"]
        if len(set(chosen)) != len(chosen):
            raise forms.ValidationError("两列不能对应同一个指标。")
        return data

    def columns(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.fields]
