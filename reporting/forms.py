from django import forms


class VersionForm(forms.Form):
    """Every write carries the version the user saw, so a stale page cannot overwrite."""

    version = forms.IntegerField(min_value=1)


class ReportForm(VersionForm):
    note = forms.CharField(required=False, max_length=2000)


class ReasonForm(VersionForm):
    reason = forms.CharField(max_length=500, error_messages={"required": "请填写原因。"})


class ChaseFilterForm(forms.Form):
    programme = forms.IntegerField(required=False, min_value=1)
    until = forms.DateField(required=False)
