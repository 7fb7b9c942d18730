"""The scoring pages' forms: points and a note (the unit's) or a comment (the department's)
per typed item, each within 0 and the item's points; a step's reason; the results' date."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from common.forms import BoundedDateField
from plans.models import Criterion

STALE_PAGE = "页面已过期，请刷新后重试。"


class RefusalShown:
    """A service's refusal beside the input it names (`field`), else above the form."""

    def show_refusal(self, exc) -> None:
        field = getattr(exc, "field", None)
        self.add_error(field if field in self.fields else None, exc.message)


class VersionForm(RefusalShown, forms.Form):
    version = forms.IntegerField(
        min_value=1,
        required=False,
        error_messages={"invalid": STALE_PAGE, "min_value": STALE_PAGE},
    )


class PointsForm(VersionForm):
    """One points field (`p_<id>`) and one text field (`n_<id>`) per typed item."""

    def __init__(self, *args, criteria: list[Criterion], text_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            top = format(c.points.normalize(), "f")
            self.fields[f"p_{c.pk}"] = forms.DecimalField(
                label=f"{c.code} 得分",
                required=False,
                min_value=Decimal(0),
                max_value=c.points,
                max_digits=6,
                decimal_places=2,
                error_messages={
                    "invalid": f"「{c.code}」请填写数字。",
                    "min_value": f"「{c.code}」的分数不能为负数。",
                    "max_value": f"「{c.code}」最高 {top} 分。",
                    "max_digits": f"「{c.code}」最高 {top} 分。",
                    "max_whole_digits": f"「{c.code}」最高 {top} 分。",
                    "max_decimal_places": f"「{c.code}」最多保留两位小数。",
                },
                widget=forms.NumberInput(
                    attrs={"step": "0.01", "min": "0", "max": top, "class": "form-control"}
                ),
            )
            self.fields[f"n_{c.pk}"] = forms.CharField(
                label=f"{c.code} {text_label}",
                required=False,
                max_length=500,
                error_messages={"max_length": f"「{c.code}」的{text_label}不超过 500 字。"},
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def values(self) -> dict[int, tuple[Decimal | None, str]]:
        data = self.cleaned_data
        return {
            c.pk: (data.get(f"p_{c.pk}"), data.get(f"n_{c.pk}", "").strip()) for c in self.criteria
        }

    def pair(self, criterion: Criterion):
        return self[f"p_{criterion.pk}"], self[f"n_{criterion.pk}"]


class ReasonForm(VersionForm):
    reason = forms.CharField(
        max_length=500,
        required=False,
        error_messages={"max_length": "原因不超过 500 字。"},
    )


class AsOfForm(forms.Form):
    as_of = BoundedDateField(required=False, label="截至日期")
