"""The audit administrator's pages: search the audit log, export what was found."""

from __future__ import annotations

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

from audit import selectors
from audit.models import AuditEntry
from audit.services import audit_record
from common.excel import XLSX_CONTENT_TYPE, safe_cell
from common.forms import BoundedDateField
from orgs.access import require_audit_admin

ENTRIES_PER_PAGE = 50
EXPORT_MAX_ROWS = 100_000
EVENT_EXPORTED = "audit.exported"


class AuditFilterForm(forms.Form):
    username = forms.CharField(label="用户名", required=False, max_length=150)
    event = forms.CharField(label="事件（前缀匹配）", required=False, max_length=60)
    date_from = BoundedDateField(label="起始日期", required=False)
    date_to = BoundedDateField(label="截止日期", required=False)
    object_type = forms.CharField(label="对象类型", required=False, max_length=60)
    object_id = forms.CharField(label="对象编号", required=False, max_length=40)
    result = forms.ChoiceField(
        label="结果", required=False, choices=[("", "全部"), *AuditEntry.Result.choices]
    )

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


@require_GET
def entry_list(request):
    require_audit_admin(request.user)
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    entries = selectors.audit_entry_list(**filters)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": urlencode({k: str(v) for k, v in filters.items()}),
        "event_labels": selectors.EVENT_LABELS,
    }
    return render(request, "audit/entry_list.html", context)


@require_GET
def entry_export(request):
    require_audit_admin(request.user)
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # Exporting everything instead of what was asked for would be worse than nothing.
        messages.error(request, "筛选条件有误，请改正后再导出。")
        return redirect(f"{reverse('audit:entry_list')}?{request.GET.urlencode()}")
    filters = form.filters()
    entries = selectors.audit_entry_list(**filters)
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
