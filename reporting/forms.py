from django import forms

from common.forms import BoundedDateField


class VersionForm(forms.Form):
    """Every write carries the version the user saw, so a stale page cannot overwrite."""

    version = forms.IntegerField(min_value=1)


class ReportForm(VersionForm):
    note = forms.CharField(required=False, max_length=2000)


class ReasonForm(VersionForm):
    reason = forms.CharField(max_length=500, error_messages={"required": "请填写原因。"})


class ChaseFilterForm(forms.Form):
    programme = forms.IntegerField(required=False, min_value=1)
    until = BoundedDateField(required=False)


class CityFigureForm(forms.Form):
    """A city figure (市总统计); the value is checked by the service (number, not negative)."""

    period_end = BoundedDateField(
        error_messages={
            "required": "请填写数据截至日期。",
            "invalid": "数据截至日期格式应为 YYYY-MM-DD。",
        }
    )
    value = forms.CharField(max_length=40, error_messages={"required": "请填写累计完成数。"})
    note = forms.CharField(
        max_length=200,
        error_messages={
            "required": "请填写来源说明。",
            "max_length": "来源说明不超过 200 字。",
        },
    )
    # The entry being corrected; 0 for a date without a figure.
    version = forms.IntegerField(min_value=0, required=False)
