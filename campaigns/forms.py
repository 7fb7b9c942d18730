"""The campaign pages' forms: a nomination, its materials, a step, a scorer, a scoring sheet."""

from __future__ import annotations

from django import forms

from campaigns.services.scoring import points_text
from supervision.forms import LARGEST_ID, RefusalShown


class NominationForm(RefusalShown, forms.Form):
    """推荐对象: its name, what it did, and the form row it is (when the campaign has a form)."""

    name = forms.CharField(
        max_length=200,
        error_messages={"required": "请填写推荐对象名称。", "max_length": "名称不超过 200 字。"},
    )
    description = forms.CharField(
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "主要事迹/基本情况不超过 3000 字。"},
    )
    record = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "只能选择本单位已审核通过、尚未推荐的记录。"},
    )
    version = forms.IntegerField(
        required=False, min_value=1, max_value=LARGEST_ID, widget=forms.HiddenInput
    )

    def __init__(self, data=None, *, records=(), label=str, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["record"].choices = [("", "请选择")] + [(r.pk, label(r)) for r in records]


class MaterialForm(RefusalShown, forms.Form):
    material = forms.ChoiceField(error_messages={"required": "请选择材料类别。"})
    files = forms.CharField(required=False)  # the files come from request.FILES

    def __init__(self, data=None, *, materials=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["material"].choices = [
            (m["code"], m.get("label") or m["code"]) for m in materials
        ]
        self.fields["material"].error_messages["invalid_choice"] = "没有这项申报材料。"


class StepForm(RefusalShown, forms.Form):
    reason = forms.CharField(
        required=False, max_length=500, error_messages={"max_length": "原因不超过 500 字。"}
    )
    version = forms.IntegerField(
        min_value=1,
        max_value=LARGEST_ID,
        widget=forms.HiddenInput,
        error_messages={"required": "页面已过期，请刷新后重试。"},
    )


class ScorerForm(RefusalShown, forms.Form):
    user = forms.TypedChoiceField(
        coerce=int, error_messages={"required": "请选择评委。", "invalid_choice": "没有这个人员。"}
    )

    def __init__(self, data=None, *, candidates=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["user"].choices = [("", "请选择")] + [
            (u.pk, f"{u.display_name or u.username}（{_where(u)}）") for u in candidates
        ]


def _where(user) -> str:
    if user.unit_id:
        return user.unit.short_name
    if user.department_id:
        return user.department.name
    return user.get_role_display()


class ScoreForm(RefusalShown, forms.Form):
    """One nominee's points per item (`points_<id>`) and comments (`comment_<id>`)."""

    nomination = forms.IntegerField(min_value=1, max_value=LARGEST_ID, widget=forms.HiddenInput)

    def __init__(self, data=None, *, items=(), **kwargs):
        super().__init__(data, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"points_{item.pk}"] = forms.DecimalField(
                label=item.title,
                min_value=0,
                max_value=item.points,
                max_digits=6,
                decimal_places=2,
                error_messages={
                    "required": "请打分。",
                    "invalid": "请填写数字。",
                    "min_value": "不能小于 0。",
                    "max_value": f"不能超过 {points_text(item.points)} 分。",
                    "max_digits": "数字太长。",
                    "max_decimal_places": "最多两位小数。",
                    "max_whole_digits": "数字太大。",
                },
            )
            self.fields[f"comment_{item.pk}"] = forms.CharField(
                required=False, max_length=500, error_messages={"max_length": "评语不超过 500 字。"}
            )

    def rows(self):
        """(item, points field, comment field) for the template."""
        return [(i, self[f"points_{i.pk}"], self[f"comment_{i.pk}"]) for i in self.items]

    def points(self) -> dict[int, object]:
        return {i.pk: self.cleaned_data[f"points_{i.pk}"] for i in self.items}

    def comments(self) -> dict[int, str]:
        return {i.pk: self.cleaned_data[f"comment_{i.pk}"] for i in self.items}
