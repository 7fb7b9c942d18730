"""The 督办 pages' forms: the list's filters, the issue form (prefilled from a warning or a
missing report by a link's query), and the unit's and the department's steps."""

from django import forms

from common.forms import BoundedDateField
from supervision.forms import LARGEST_ID, RefusalShown
from supervision.models import SupervisionNotice
from supervision.notice_selectors import ALL_OPEN

STALE_PAGE = "页面已过期，请刷新后重试。"


class NoticeFilterForm(forms.Form):
    STATES = [("", "全部状态"), (ALL_OPEN, "未办结"), *SupervisionNotice.Status.choices]

    state = forms.ChoiceField(
        choices=STATES, required=False, error_messages={"invalid_choice": "没有这种状态。"}
    )
    unit = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "没有这个单位。"},
    )
    overdue = forms.BooleanField(required=False)

    def __init__(self, data=None, *, units, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["unit"].choices = [("", "全部单位")] + [(u.pk, u.short_name) for u in units]


class NoticeIssueForm(RefusalShown, forms.Form):
    """下发督办单: to whom (one or more units), what, why, by when. A link from a warning or
    from 催报 fills it in (`initial` from the query); the person may change everything."""

    units = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={"required": "请至少选择一个督办单位。", "invalid_choice": "没有这个单位。"},
    )
    subject = forms.CharField(
        max_length=200,
        error_messages={"required": "请填写督办事项。", "max_length": "督办事项不超过 200 字。"},
    )
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写督办原因。", "max_length": "督办原因不超过 1000 字。"},
    )
    due_date = BoundedDateField(error_messages={"required": "请填写办理期限。"})
    source = forms.ChoiceField(
        choices=SupervisionNotice.Source.choices,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "督办来源不正确。"},
    )
    indicator = forms.IntegerField(
        required=False, min_value=1, max_value=LARGEST_ID, widget=forms.HiddenInput
    )
    programme = forms.IntegerField(
        required=False, min_value=1, max_value=99, widget=forms.HiddenInput
    )
    period_end = BoundedDateField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, units, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["units"].choices = [(u.pk, u.short_name) for u in units]


class NoticePrefillForm(forms.Form):
    """What a link to the issue form may say (a warning's unit and indicator, 催报's units,
    programme and period); anything it cannot read is left blank, never a 500."""

    source = forms.ChoiceField(choices=SupervisionNotice.Source.choices, required=False)
    unit = forms.CharField(required=False, max_length=200)
    indicator = forms.IntegerField(required=False, min_value=1, max_value=LARGEST_ID)
    programme = forms.IntegerField(required=False, min_value=1, max_value=99)
    period_end = BoundedDateField(required=False)
    subject = forms.CharField(required=False, max_length=200)
    reason = forms.CharField(required=False, max_length=1000)


class NoticeVersionForm(RefusalShown, forms.Form):
    version = forms.IntegerField(
        min_value=1,
        error_messages={"required": STALE_PAGE, "invalid": STALE_PAGE, "min_value": STALE_PAGE},
    )


class NoticeReplyForm(NoticeVersionForm):
    """办理: what was done; files are read from the request and checked by the service."""

    measures = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "请填写办理情况（采取的措施和结果）。",
            "max_length": "办理情况不超过 2000 字。",
        },
    )
    files = forms.Field(required=False)  # shown with the service's reason, never parsed here


class NoticeReturnForm(NoticeVersionForm):
    reason = forms.CharField(
        max_length=500,
        error_messages={"required": "请填写退回原因。", "max_length": "退回原因不超过 500 字。"},
    )
