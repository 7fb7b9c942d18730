from django import forms

from common.forms import BoundedDateField
from supervision import selectors

LARGEST_ID = 2**63 - 1  # a BigAutoField's: a larger number is refused, not sent to the database


class RefusalShown:
    """A service's refusal beside the input it names (`field`), else above the form."""

    def show_refusal(self, exc) -> None:
        field = getattr(exc, "field", None)
        self.add_error(field if field in self.fields else None, exc.message)


class StepFilterForm(forms.Form):
    """本部门工作节点's filters: state, department (staff start from their own) and the date."""

    STATES = [
        ("", "全部状态"),
        (selectors.OVERDUE, "逾期未完成"),
        (selectors.OPEN, "待完成（含未开始）"),
        (selectors.DONE, "已完成"),
        (selectors.UNDATED, "未定日期"),
    ]

    state = forms.ChoiceField(
        choices=STATES, required=False, error_messages={"invalid_choice": "没有这种状态。"}
    )
    department = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "没有这个部门。"},
    )
    as_of = BoundedDateField(required=False)

    def __init__(self, data=None, *, departments, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["department"].choices = [("", "全部部门")] + [
            (d.pk, d.name) for d in departments
        ]


class StepCompleteForm(RefusalShown, forms.Form):
    """标记完成: which time (its due date), when it was done, what was done and delivered. What
    needs the database comes back from the service (`show_refusal`), with everything as typed;
    only the file must be chosen again (a browser keeps no file across pages)."""

    due_date = BoundedDateField(error_messages={"required": "请选择要标记完成的一次（截止日期）。"})
    done_on = BoundedDateField(error_messages={"required": "请填写完成日期。"})
    note = forms.CharField(
        max_length=500,
        error_messages={"required": "请填写完成情况。", "max_length": "完成情况不超过 500 字。"},
    )
    file = forms.FileField(
        required=False,
        allow_empty_file=True,  # refused in Chinese by the upload check (common.uploads)
        error_messages={
            "invalid": "没有收到文件，请重新选择。",
            "missing": "没有收到文件，请重新选择。",
            "max_length": "文件名过长，请改短后再上传。",
            "contradiction": "请重新选择文件。",
        },
    )
    record = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=LARGEST_ID,
        error_messages={
            "invalid": "记录编号应为数字（统计表记录页上的“第 N 条”）。",
            "min_value": "记录编号应为正整数。",
            "max_value": "没有这个编号的记录。",
        },
    )
    names = forms.CharField(
        required=False, max_length=5000, error_messages={"max_length": "名单不超过 5000 字。"}
    )


class StepScheduleForm(RefusalShown, forms.Form):
    due_date = BoundedDateField(error_messages={"required": "请填写日期。"})


class StepUndoForm(RefusalShown, forms.Form):
    reason = forms.CharField(
        max_length=200,
        error_messages={"required": "请填写撤销原因。", "max_length": "撤销原因不超过 200 字。"},
    )
