"""Forms of a campaign's part after scoring: proposal, 公示, objections, naming, withdrawal.

A service's refusal is shown above the form (`show_refusal`) with everything as typed."""

from django import forms

from common.forms import BoundedDateField


class RefusalShown:
    def show_refusal(self, exc) -> None:
        self.add_error(None, exc.message)


class ProposeForm(RefusalShown, forms.Form):
    """拟命名名单: the admitted nominees chosen (ticked boxes)."""

    nominations = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": "请至少选择一个拟命名对象。",
            "invalid_choice": "只能从已入围的推荐对象中选择。",
        },
    )

    def __init__(self, data=None, *, admitted, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["nominations"].choices = [(n.pk, n.name) for n in admitted]


class PublicityForm(RefusalShown, forms.Form):
    starts_on = BoundedDateField(error_messages={"required": "请填写公示开始日期。"})


class ObjectionForm(RefusalShown, forms.Form):
    """异议 on the public page: the text, and a way to reach whoever raises it (optional)."""

    nomination = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "请从公示名单中选择异议对象。"},
    )
    text = forms.CharField(
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "请填写异议内容。", "max_length": "异议内容不超过 2000 字。"},
    )
    contact = forms.CharField(
        max_length=100,
        required=False,
        error_messages={"max_length": "联系方式不超过 100 字。"},
    )

    def __init__(self, data=None, *, proposed, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["nomination"].choices = [("", "（不针对某一对象）")] + [
            (n.pk, n.name) for n in proposed
        ]


class AnswerForm(RefusalShown, forms.Form):
    answer = forms.CharField(
        max_length=2000,
        error_messages={"required": "请填写答复内容。", "max_length": "答复不超过 2000 字。"},
    )


class NameForm(RefusalShown, forms.Form):
    named_on = BoundedDateField(error_messages={"required": "请填写命名日期。"})
    decision_number = forms.CharField(
        max_length=60,
        error_messages={"required": "请填写命名文号。", "max_length": "文号不超过 60 字。"},
    )
    decision_title = forms.CharField(
        max_length=200,
        error_messages={"required": "请填写命名决定的标题。", "max_length": "标题不超过 200 字。"},
    )


class WithdrawForm(RefusalShown, forms.Form):
    withdrawn_on = BoundedDateField(error_messages={"required": "请填写撤销日期。"})
    reason = forms.CharField(
        max_length=300,
        error_messages={"required": "请填写撤销原因。", "max_length": "撤销原因不超过 300 字。"},
    )
