"""The audit administrator's pages: search the audit log, export what was found.

Here beside the other administrators' pages (users, roles, policy) rather than in the audit
app, which every app writes to and so must not depend on orgs' access rules."""

from __future__ import annotations

import re
from io import BytesIO
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from audit import labels
from audit.models import AuditEntry
from audit.services import audit_record
from common.excel import XLSX_CONTENT_TYPE, safe_cell
from common.forms import BoundedDateField
from orgs import audit_selectors as selectors
from orgs.access import require_audit_admin

ENTRIES_PER_PAGE = 50
EXPORT_MAX_ROWS = 100_000
EVENT_EXPORTED = "audit.exported"


# An event or model code, or the start of one (`reporting.report.`), as the log stores them.
CODE = re.compile(r"[a-z_]+(\.[a-z_]*)*")
CODE_MAX_LENGTH = 60
SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})


class CodeChoiceField(forms.ChoiceField):
    """A select of Chinese names that also takes any code or code prefix a link may carry
    (`?event=auth.account`), so links keep working and prefixes stay searchable."""

    default_error_messages = {"invalid_choice": "请从列表中选择。"}

    def __init__(self, **kwargs):
        super().__init__(required=False, widget=SELECT, **kwargs)

    def valid_value(self, value) -> bool:
        return super().valid_value(value) or (
            len(value) <= CODE_MAX_LENGTH and bool(CODE.fullmatch(value))
        )

    def offer(self, value) -> None:
        """Add a valid value that no choice names, so the select shows what is filtered by."""
        if value and not forms.ChoiceField.valid_value(self, value) and self.valid_value(value):
            self.choices = [*self.choices, ("其他", [(value, value)])]


class AuditFilterForm(forms.Form):
    username = forms.CharField(label="用户名", required=False, max_length=150)
    event = CodeChoiceField(label="事件")
    date_from = BoundedDateField(label="起始日期", required=False)
    date_to = BoundedDateField(label="截止日期", required=False)
    object_type = CodeChoiceField(label="对象类型")
    object_id = forms.CharField(label="对象编号", required=False, max_length=40)
    result = forms.ChoiceField(
        label="结果",
        required=False,
        choices=[("", "全部"), *AuditEntry.Result.choices],
        widget=SELECT,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = labels.event_choices()
        self.fields["object_type"].choices = labels.object_type_choices()
        for name in ("event", "object_type"):
            self.fields[name].offer(self.data.get(name, "") if self.is_bound else "")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期早于起始日期，请改正。")
        return data

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


@require_GET
def entry_list(request):
    require_audit_admin(request.user)
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    entries = selectors.audit_entry_list(actor=request.user, **filters)
    if form.is_bound and not form.is_valid():
        # The whole log under a search the user got wrong would read as its result.
        entries = entries.none()
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    for entry in page:  # the page keeps the list it read: no second query
        entry.shared_label = selectors.shared_label(entry)
    context = {
        "form": form,
        "page": page,
        "query": urlencode({k: str(v) for k, v in filters.items()}),
    }
    return render(request, "orgs/audit_entry_list.html", context)


@require_GET
def entry_export(request):
    require_audit_admin(request.user)
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # Exporting everything instead of what was asked for would be worse than nothing.
        messages.error(request, "筛选条件有误，请改正后再导出。")
        return redirect(f"{reverse('audit:entry_list')}?{request.GET.urlencode()}")
    filters = form.filters()
    entries = selectors.audit_entry_list(actor=request.user, **filters)
    count = entries.count()
    if count > EXPORT_MAX_ROWS:
        messages.error(request, f"符合条件的记录超过 {EXPORT_MAX_ROWS} 条，请缩小范围后再导出。")
        return redirect(f"{reverse('audit:entry_list')}?{request.GET.urlencode()}")
    content = _xlsx(selectors.audit_entry_rows(entries))
    audit_record(
        actor=request.user,
        event=EVENT_EXPORTED,
        after={"filters": {k: str(v) for k, v in filters.items()}, "rows": count},
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    name = f"audit-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _xlsx(rows) -> bytes:
    """A write-only workbook: bounded memory; every cell through `safe_cell` (no formulas)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("审计日志")
    ws.append([safe_cell(h) for h in selectors.EXPORT_HEADERS])
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
