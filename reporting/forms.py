from dataclasses import dataclass
from typing import Any

from django import forms

from common.errors import ServiceError
from common.forms import BoundedDateField
from reporting.services.reports import ValueInput, parse_value


class VersionForm(forms.Form):
    """Every write carries the version the user saw, so a stale page cannot overwrite."""

    version = forms.IntegerField(min_value=1)


STALE_PAGE = "页面已过期，请刷新后重试。"


def _typed(value) -> str:
    """A stored figure as a person would type it back: 120, not 120.00."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class FigureRow:
    """One indicator on the report page: what the selectors know beside its two inputs."""

    row: Any  # reporting.selectors.ValueRow
    value: forms.BoundField
    explanation: forms.BoundField


class FiguresForm(forms.Form):
    """The report page's form: one figure and one explanation per indicator, the note.

    Every button of the page (保存草稿, 上传, 提交) sends all of it, so whatever is pressed,
    a refusal comes back with everything as typed and each reason beside its field. A figure
    is read by the same `parse_value` the service checks it with; what needs the database
    (a figure below the last approved one) comes back from the service (`show_refusal`).
    """

    version = forms.IntegerField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"required": STALE_PAGE, "invalid": STALE_PAGE, "min_value": STALE_PAGE},
    )
    note = forms.CharField(
        required=False, max_length=2000, error_messages={"max_length": "说明不超过 2000 字。"}
    )

    def __init__(
        self, data=None, *, obligation, report=None, needs_version=True, prefill=None, **kwargs
    ):
        self.indicators = list(obligation.indicators.all())
        stored = {v.indicator_id: v for v in report.values.all()} if report else {}
        initial = {
            "version": report.version if report else 1,
            "note": report.note if report else "",
        }
        for i in self.indicators:
            value = stored.get(i.pk)
            # A figure never entered starts from what the unit's own plan has approved of it
            # (reporting.selectors.derived_figures): no number typed twice.
            initial[f"value_{i.pk}"] = (
                _typed(value.value) if value else _typed((prefill or {}).get(i.pk))
            )
            initial[f"explanation_{i.pk}"] = value.explanation if value else ""
        super().__init__(data, initial=initial, **kwargs)
        self.fields["version"].required = needs_version
        for i in self.indicators:
            self.fields[f"value_{i.pk}"] = forms.CharField(
                required=False,
                max_length=40,
                label=i.name,
                error_messages={"max_length": f"「{i.name}」数值过长。"},
            )
            self.fields[f"explanation_{i.pk}"] = forms.CharField(
                required=False,
                max_length=500,
                error_messages={"max_length": "说明不超过 500 字。"},
            )

    def clean(self):
        data = super().clean()
        for i in self.indicators:
            key = f"value_{i.pk}"
            if key in data:
                try:
                    parse_value(data[key], measure=i.measure, name=i.name)
                except ServiceError as exc:
                    self.add_error(key, exc.message)
        return data

    def _sent(self, key: str) -> bool:
        # A field the post left out is left as stored (a script that posts only the version).
        return self.data is not None and key in self.data

    def values(self) -> list[ValueInput]:
        return [
            ValueInput(
                i.pk,
                self.cleaned_data.get(f"value_{i.pk}", ""),
                self.cleaned_data.get(f"explanation_{i.pk}", ""),
            )
            for i in self.indicators
            if self._sent(f"value_{i.pk}")
        ]

    def note_value(self) -> str | None:
        return self.cleaned_data.get("note", "") if self._sent("note") else None

    def show_refusal(self, exc: ServiceError) -> None:
        """Each figure's reason beside its field; any other reason above the form."""
        errors = getattr(exc, "errors", None)
        if not errors or getattr(exc, "summary", ""):
            self.add_error(None, exc.message)
        if not errors:
            return
        for indicator_id, reason in errors.items():
            key = f"value_{indicator_id}"
            self.add_error(key if key in self.fields else None, reason)

    def rows(self, rows) -> list[FigureRow]:
        return [
            FigureRow(r, self[f"value_{r.indicator.pk}"], self[f"explanation_{r.indicator.pk}"])
            for r in rows
        ]


class ReasonForm(VersionForm):
    reason = forms.CharField(max_length=500, error_messages={"required": "请填写原因。"})


class ChaseFilterForm(forms.Form):
    programme = forms.IntegerField(required=False, min_value=1)
    until = BoundedDateField(required=False)


class CityFigureForm(forms.Form):
    """A city figure (市总统计): new, or the correction of one. The value is read by the same
    `parse_value` the service checks it with; what needs the database (a date that already has
    a figure, a figure below an earlier one) comes back from the service (`show_refusal`).
    A refusal shows the page again with this form bound: everything as typed."""

    period_end = BoundedDateField(
        error_messages={
            "required": "请填写数据截至日期。",
            "invalid": "数据截至日期格式应为 YYYY-MM-DD。",
        }
    )
    value = forms.CharField(
        max_length=40,
        error_messages={"required": "请填写累计完成数。", "max_length": "累计完成数过长。"},
    )
    note = forms.CharField(
        max_length=200,
        error_messages={
            "required": "请填写来源说明。",
            "max_length": "来源说明不超过 200 字。",
        },
    )
    # Required when the figure is below the latest one of an earlier date (the service decides).
    explanation = forms.CharField(
        required=False, max_length=200, error_messages={"max_length": "说明不超过 200 字。"}
    )
    # The entry being corrected; 0 for a date without a figure.
    version = forms.IntegerField(
        min_value=0,
        required=False,
        error_messages={"invalid": STALE_PAGE, "min_value": STALE_PAGE},
    )

    def __init__(self, data=None, *, indicator, day=None, correcting=None, **kwargs):
        """`day` is the date offered for a new figure; `correcting`, the entry being corrected,
        whose figures the form starts from."""
        self.indicator = indicator
        if correcting is not None:
            initial = {
                "period_end": correcting.period_end.isoformat(),
                "value": _typed(correcting.value),
                "note": correcting.note,
                "explanation": correcting.explanation,
                "version": correcting.version,
            }
        else:
            initial = {"period_end": day.isoformat() if day else "", "version": 0}
        super().__init__(data, initial=initial, **kwargs)

    def clean_value(self):
        raw = self.cleaned_data["value"]
        try:
            parse_value(raw, measure=self.indicator.measure, name=self.indicator.name)
        except ServiceError as exc:
            raise forms.ValidationError(exc.message) from None
        return raw

    def show_refusal(self, exc: ServiceError) -> None:
        """The service's reason beside the input it is about, any other above the form."""
        field = getattr(exc, "field", None)
        self.add_error(field if field in self.fields else None, exc.message)


class LateRequestForm(forms.Form):
    """补报申请: the reason (4–500 characters) and optional files (checked by the service)."""

    reason = forms.CharField(
        label="补报理由",
        min_length=4,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "请填写补报理由。",
            "min_length": "补报理由至少 4 个字。",
            "max_length": "补报理由不超过 500 字。",
        },
    )


class LateDecisionForm(forms.Form):
    """Approve, reject or revoke a 补报申请: the version seen, and a reason where needed."""

    version = forms.IntegerField(
        min_value=1,
        error_messages={"required": STALE_PAGE, "invalid": STALE_PAGE, "min_value": STALE_PAGE},
    )
    reason = forms.CharField(
        required=False, max_length=500, error_messages={"max_length": "原因不超过 500 字。"}
    )
