from django import forms

from common.forms import BoundedDateField


class AsOfForm(forms.Form):
    as_of = BoundedDateField(required=False)
    programme = forms.IntegerField(required=False, min_value=1)
