from django import forms


class AsOfForm(forms.Form):
    as_of = forms.DateField(required=False, error_messages={"invalid": "日期格式应为 YYYY-MM-DD。"})
    programme = forms.IntegerField(required=False, min_value=1)
