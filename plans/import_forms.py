"""Forms of the allocation-table and unit-list imports (plans/import_views.py)."""

from __future__ import annotations

from django import forms

from plans.table_import import LABEL_CHOICE


class UploadForm(forms.Form):
    file = forms.FileField(
        label="选择文件（xlsx）",
        error_messages={
            "required": "请选择要上传的文件。",
            "empty": "上传的文件是空的。",
            "invalid": "没有收到文件，请重新选择。",
        },
    )


class PreviewForm(forms.Form):
    """What a preview's confirming form carries: the file as read (signed) and the preview's
    fingerprint; `confirm` is the 确认导入 button (absent: show the preview again)."""

    preview = forms.CharField(widget=forms.HiddenInput, max_length=2_000_000)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm = forms.BooleanField(required=False)


class RowChoicesForm(forms.Form):
    """The unit chosen for each row the resolver did not find (`row-<index>`: "", "label" or
    a unit's id among `units`) and whether its label becomes an alias (`alias-<index>`).
    A row whose select was not posted keeps what the preview proposes."""

    def __init__(self, data, *, count: int, units, **kwargs):
        super().__init__(data, **kwargs)
        options = [("", "请选择"), (LABEL_CHOICE, "不是单位")] + [
            (str(u.pk), u.name) for u in units
        ]
        self.posted = [i for i in range(count) if f"row-{i}" in (data or {})]
        for i in self.posted:
            self.fields[f"row-{i}"] = forms.ChoiceField(choices=options, required=False)
            self.fields[f"alias-{i}"] = forms.BooleanField(required=False)

    def choices(self) -> dict[int, str]:
        """The valid choices; one that is not (a unit of no such id) counts as none made."""
        cleaned = getattr(self, "cleaned_data", {})
        return {i: cleaned.get(f"row-{i}", "") for i in self.posted}

    def aliases(self) -> set[int]:
        cleaned = getattr(self, "cleaned_data", {})
        return {i for i in self.posted if cleaned.get(f"alias-{i}")}
