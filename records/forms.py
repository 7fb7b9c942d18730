"""Web forms for records: a row's form generated from the form's schema, and the batch forms.

The row form only collects what was typed: every value is checked by the schema
(`FormSchema.check_row` through `records.services`), the same code that checks an uploaded
spreadsheet, so the web and Excel give the same Chinese reasons. Django-level fields are
therefore lenient (no `required`, no type coercion); the schema's reasons are put back next to
each field with `add_error`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing

from records.fields import FieldDef, Sealed
from records.models import FormDefinition, Record
from records.schema import FormSchema
from records.services import nil_returns
from reporting import workflow

# A generous cap so a pasted novel is refused before the schema reads it.
MAX_RAW = 5000
STALE_PAGE = "页面已过期，请刷新后重试。"


class RawField(forms.Field):
    """Returns what the widget read (text or a list of texts), unchanged, for the schema."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        texts = value if isinstance(value, (list, tuple)) else [value]
        if sum(len(str(t or "")) for t in texts) > MAX_RAW:
            raise forms.ValidationError(f"内容过长（不能超过 {MAX_RAW} 个字）")
        return value


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value or None


class DateRangeWidget(forms.MultiWidget):
    """Two date inputs (start, end), posted as `<name>_start` and `<name>_end`."""

    template_name = "records/_partials/date_range_widget.html"

    def __init__(self, attrs=None):
        super().__init__({"start": DateInput(), "end": DateInput()}, attrs)

    def decompress(self, value):
        if isinstance(value, (list, tuple)):
            return list(value)
        return [None, None]


YES_NO = [("是", "是"), ("否", "否")]
NUMERIC_MODES = {"integer": "numeric", "decimal": "decimal", "money": "decimal"}


def _widget(f: FieldDef, units: list[tuple[int, str]], unit_locked: bool) -> forms.Widget:
    attrs: dict[str, Any] = {"class": "form-control"}
    if f.type in NUMERIC_MODES:
        attrs["inputmode"] = NUMERIC_MODES[f.type]
        return forms.TextInput(attrs=attrs)
    if f.type == "date":
        return DateInput(attrs=attrs)
    if f.type == "date_range":
        return DateRangeWidget(attrs=attrs)
    if f.type == "choice":
        return forms.Select(
            attrs={"class": "form-select"}, choices=[("", "请选择")] + [(c, c) for c in f.choices]
        )
    if f.type == "multi_choice":
        return forms.CheckboxSelectMultiple(
            attrs={"class": "form-check-input"}, choices=[(c, c) for c in f.choices]
        )
    if f.type == "yes_no":
        return forms.RadioSelect(attrs={"class": "form-check-input"}, choices=YES_NO)
    if f.type == "unit":
        attrs = {"class": "form-select"}
        if unit_locked:
            attrs["disabled"] = True
        return forms.Select(attrs=attrs, choices=[("", "请选择")] + units)
    if f.type == "location":
        attrs["placeholder"] = "纬度，经度（如 33.7385,113.3081）"
        attrs["inputmode"] = "decimal"
        return forms.TextInput(attrs=attrs)
    if f.personal:
        # Never filled with the stored value (see RecordForm); browsers should not keep it.
        attrs["autocomplete"] = "off"
        if f.personal == "phone":
            attrs["inputmode"] = "tel"
        return forms.TextInput(attrs=attrs)
    if f.type == "text" and f.max_length > 200:
        attrs["rows"] = 3
        return forms.Textarea(attrs=attrs)
    return forms.TextInput(attrs=attrs)


def initial_value(f: FieldDef, value: Any) -> Any:
    """A stored (typed) value as the text a person would type back in; a personal value
    never: its input starts empty and left empty keeps what is stored."""
    if value is None or f.personal:
        return None
    if f.type == "date_range":
        return [value["start"].isoformat(), value["end"].isoformat()]
    if f.type in ("multi_choice", "unit"):
        return value
    return f.show(value)


@dataclass
class FieldRow:
    """One input of the form beside its definition (suffix, help, required) for the template."""

    field: forms.BoundField
    definition: FieldDef
    kept: str = ""  # a personal value already stored, masked: 已保存（138****5678）


class RecordForm(forms.Form):
    """The input fields of one form (files and computed fields are not typed in here)."""

    version = forms.IntegerField(
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"invalid": STALE_PAGE},
    )

    def __init__(
        self,
        *args,
        form: FormDefinition,
        unit_choices: list[tuple[int, str]],
        own_unit: int,
        record: Record | None = None,
        **kwargs,
    ):
        self.definition = form
        self.schema: FormSchema = form.schema
        self.own_unit = own_unit
        # Personal values already stored (sealed): shown masked beside their empty input.
        self.stored: dict[str, Sealed] = {}
        if record is not None:
            values = self.schema.load_values(record.data)
            initial = {f.code: initial_value(f, values.get(f.code)) for f in self.schema.fields}
            initial["version"] = record.version
            kwargs.setdefault("initial", initial)
            self.stored = {
                f.code: values[f.code]
                for f in self.schema.personal_fields
                if isinstance(values.get(f.code), Sealed)
            }
        super().__init__(*args, **kwargs)
        for f in self.schema.input_fields:
            field = RawField(label=f.label, help_text=f.help)
            field.widget = _widget(f, unit_choices, unit_locked=True)
            if f.type == "unit":
                # Never read from the post: a unit's rows belong to that unit (SECURITY.md).
                field.disabled = True
                self.initial[f.code] = own_unit
            self.fields[f.code] = field

    def rows(self) -> list[FieldRow]:
        for f in self.schema.input_fields:
            if self.is_bound and self.errors.get(f.code):
                widget = self.fields[f.code].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
        return [
            FieldRow(self[f.code], f, f.show(self.stored[f.code]) if f.code in self.stored else "")
            for f in self.schema.input_fields
        ]

    def raw(self) -> dict[str, Any]:
        """What was typed, by field code, as the schema reads it."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        for f in self.schema.input_fields:
            if f.type == "unit":
                data[f.code] = self.own_unit
            if f.code in self.stored and not str(data.get(f.code) or "").strip():
                data[f.code] = self.stored[f.code]  # left empty: keep the stored value
        return data

    def show_errors(self, errors: list[tuple[str, str]]) -> None:
        """Put the schema's reasons next to their fields; the rest above the form."""
        for code, reason in errors:
            self.add_error(code if code in self.fields else None, reason)


# -- batch actions ----------------------------------------------------------------------------

ROW_CHOICE = re.compile(r"^(\d{1,12})\.(\d{1,9})$")
MAX_BATCH = 500


class RowChoicesField(forms.Field):
    """Checked rows posted as `<pk>.<version>`: the version the user saw, so a row changed
    since the page was drawn is refused rather than acted on blindly."""

    widget = forms.MultipleHiddenInput

    def clean(self, value):
        items = value or []
        if not items:
            raise forms.ValidationError("请先选择记录。")
        if len(items) > MAX_BATCH:
            raise forms.ValidationError(f"一次最多处理 {MAX_BATCH} 条记录。")
        chosen: dict[int, int] = {}
        for item in items:
            match = ROW_CHOICE.match(str(item))
            if not match or int(match[2]) < 1:
                raise forms.ValidationError(STALE_PAGE)
            chosen[int(match[1])] = int(match[2])
        return chosen


ACTIONS = {t.action: t.label for t in workflow.TRANSITIONS.values()}
NEEDS_REASON = {t.action for t in workflow.TRANSITIONS.values() if t.needs_reason}


class BatchForm(forms.Form):
    action = forms.ChoiceField(
        choices=list(ACTIONS.items()), error_messages={"invalid_choice": "未知的操作。"}
    )
    rows = RowChoicesField()
    reason = forms.CharField(required=False, max_length=500)
    next = forms.CharField(required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if data.get("action") in NEEDS_REASON and not (data.get("reason") or "").strip():
            self.add_error("reason", "请填写退回原因。")
        return data


class DeleteForm(forms.Form):
    version = forms.IntegerField(min_value=1, error_messages={"invalid": STALE_PAGE})


class ListFilterForm(forms.Form):
    """The unit and status filters of the rows list and the hub (federation users)."""

    unit = forms.ChoiceField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", "全部状态"), *Record.Status.choices])

    def __init__(self, *args, units: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部单位"), *units]
        for name in self.fields:
            self.fields[name].widget.attrs["class"] = "form-select"

    def value(self, name: str) -> str:
        return self.cleaned_data.get(name, "") if self.is_valid() else ""


# -- personal information ---------------------------------------------------------------------

REASON_MIN, REASON_MAX = 4, 200


class RevealForm(forms.Form):
    """查看完整信息: which personal field of the row, and why (kept in the audit log)."""

    field = forms.ChoiceField(
        error_messages={"required": "请选择要查看的信息。", "invalid_choice": "该栏不是个人信息。"}
    )
    reason = forms.CharField(
        min_length=REASON_MIN,
        max_length=REASON_MAX,
        error_messages={
            "required": "请说明查看原因。",
            "min_length": f"查看原因至少 {REASON_MIN} 个字，请写明用途（如：联系推荐人核实信息）。",
            "max_length": f"查看原因不能超过 {REASON_MAX} 个字。",
        },
    )

    def __init__(self, *args, fields: list[FieldDef], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [(f.code, f.label) for f in fields]
        self.fields["field"].widget.attrs["class"] = "form-select"


class NilReturnForm(forms.Form):
    """本期无: why the unit has no rows of the form for the period (kept in the audit log)."""

    reason = forms.CharField(
        min_length=nil_returns.REASON_MIN,
        max_length=nil_returns.REASON_MAX,
        error_messages={
            "required": nil_returns.REASON_LENGTH,
            "min_length": nil_returns.REASON_LENGTH,
            "max_length": nil_returns.REASON_LENGTH,
        },
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": "本期无的原因"}
        ),
    )


# -- a form's definition as a spreadsheet -------------------------------------------------------

FORMSHEET_SALT = "records.formsheet.preview"
FORMSHEET_MAX_AGE = 2 * 60 * 60  # seconds a preview may be confirmed in
FORMSHEET_EXPIRED = "预览已超过 2 小时，请重新上传文件。"


class FormSheetUploadForm(forms.Form):
    """Which programme the form goes to, and the workbook that defines it."""

    programme = forms.TypedChoiceField(
        label="专案", coerce=int, error_messages={"required": "请选择专案。"}
    )
    file = forms.FileField(
        label="Excel 文件（xlsx）", error_messages={"required": "请选择要上传的 xlsx 文件。"}
    )

    def __init__(self, *args, programmes: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", "请选择专案"), *programmes]
        self.fields["programme"].widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs.update({"class": "form-control", "accept": ".xlsx"})


class FormSheetSaveForm(forms.Form):
    """The confirmation of a preview: what was read and checked, signed so it comes back as it
    was shown (the save checks it all again)."""

    token = forms.CharField(widget=forms.HiddenInput, error_messages={"required": STALE_PAGE})

    @staticmethod
    def token_for(payload: dict) -> str:
        return signing.dumps(payload, salt=FORMSHEET_SALT, compress=True)

    def __init__(self, *args, plan_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_id = plan_id

    def clean_token(self) -> dict:
        try:
            payload = signing.loads(
                self.cleaned_data["token"], salt=FORMSHEET_SALT, max_age=FORMSHEET_MAX_AGE
            )
        except signing.SignatureExpired:
            raise forms.ValidationError(FORMSHEET_EXPIRED) from None
        except signing.BadSignature:
            raise forms.ValidationError(STALE_PAGE) from None
        if payload.get("plan") != self.plan_id:
            raise forms.ValidationError(STALE_PAGE)
        return payload
