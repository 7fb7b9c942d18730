"""The report page: one form for figures, note and files, and the workflow's steps.

Save, upload and submit send the whole form, so a refusal shows the page again with every
figure as typed and each reason beside its field (nothing is saved then). Which steps a person
is offered, and may post, is the workflow's table (reporting/workflow.py).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from common import clock
from common.errors import ServiceError
from plans.levels import plan_level
from reporting import late_selectors, selectors, services, workflow
from reporting.forms import FiguresForm, ReasonForm, VersionForm
from reporting.models import Obligation, Report
from reporting.services.late_requests import late_request_refusal


def _saved_report(obligation) -> Report | None:
    report = getattr(obligation, "report", None)
    # Building the draft below caches it on the obligation, unsaved.
    return report if report is not None and report.pk else None


def _subject(obligation) -> Report:
    """The obligation's report, or the draft it would become: what the workflow is asked
    about before anything was saved (never written by this)."""
    return _saved_report(obligation) or Report(obligation=obligation)


def _page(request, obligation, form: FiguresForm | None = None, file_error: str = ""):
    report = _saved_report(obligation)
    subject = _subject(obligation)
    today = clock.today()
    actions = workflow.actions_for(request.user, subject, services.REPORT, today=today)
    rows = selectors.report_rows(obligation=obligation, report=report)
    form = form or FiguresForm(
        obligation=obligation,
        report=report,
        prefill={r.indicator.pk: r.from_derived.value for r in rows if r.from_derived},
    )
    return render(
        request,
        "reporting/report.html",
        {
            "obligation": obligation,
            "report": report,
            "today": today,
            "form": form,
            "rows": form.rows(rows),
            "file_error": file_error,
            # The inputs sit among the page's other parts and join this form by its id.
            "form_id": "report-form"
            if obligation.kind == Obligation.Kind.PROGRESS
            else "document-form",
            "history": selectors.report_history(report=report),
            "can_edit": workflow.can_edit(request.user, subject, services.REPORT, today=today),
            # Why nothing can be filled in: the plan has ended, or the period not begun.
            "not_open": services.REPORT.frozen(subject) or services.REPORT.not_open(subject, today),
            # Sending it now would make it late: the unit is warned, others told the fact.
            "late_if_sent_now": workflow.late_if_sent_now(subject, services.REPORT, today),
            "for_unit": services.REPORT.includes(workflow.Party.UNIT_MEMBER, request.user, subject),
            # 提交 sends the figures, so it belongs to the form; the other steps have their own.
            "submit": next((a for a in actions if a.action == "submit"), None),
            "steps": [a for a in actions if a.action != "submit"],
            # 补报申请: the obligation's requests, and whether this user may ask now.
            "late_requests": late_selectors.late_requests_of(obligation=obligation),
            "may_request_late": not late_request_refusal(
                obligation=obligation, actor=request.user, today=today
            ),
        },
    )


@require_GET
def report_page(request, pk):
    return _page(request, selectors.obligation_get(actor=request.user, pk=pk))


def _back(pk):
    return redirect("reporting:report", pk=pk)


def _allowed(request, obligation, party: workflow.Party) -> None:
    """Who may take a step is the workflow's table; whether the state allows it, the service's."""
    if not services.REPORT.includes(party, request.user, _subject(obligation)):
        raise PermissionDenied("您不能对该填报进行此操作")


def _with_figures(request, pk, *, party, call, done, needs_files=False, needs_version=True):
    """Save, upload and submit: the page's form with every figure typed. A refusal shows the
    page again with everything as typed, each reason beside its field, and nothing saved."""
    obligation = selectors.obligation_get(actor=request.user, pk=pk)
    _allowed(request, obligation, party)
    report = _saved_report(obligation)
    form = FiguresForm(
        request.POST, obligation=obligation, report=report, needs_version=needs_version
    )
    files = request.FILES.getlist("files")
    file_error = "请选择要上传的文件。" if needs_files and not files else ""
    if form.is_valid() and not file_error:
        try:
            saved = call(report=_subject(obligation), form=form, files=files)
        except services.FilesRefused as exc:
            file_error = exc.message
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            for message in done(saved, report, files):
                messages.success(request, message)
            return _back(pk)
    if files and not file_error:
        # A browser cannot keep a chosen file across pages: say so rather than drop it quietly.
        file_error = f"文件（{len(files)} 个）未上传：请先改正上面的内容，再重新选择文件。"
    # Read again: the refused step wrote nothing, and the page shows what is stored.
    obligation = selectors.obligation_get(actor=request.user, pk=pk)
    return _page(request, obligation, form, file_error)


def _saved_messages(saved, report, files) -> list[str]:
    changed = saved.version != (report.version if report else 1)
    uploaded = [f"已上传 {len(files)} 个文件。"] if files else []
    return (["已保存。"] if changed or not files else []) + uploaded


def _save(request):
    return lambda report, form, files: services.report_save(
        report=report,
        actor=request.user,
        version=form.cleaned_data["version"],
        values=form.values(),
        note=form.note_value(),
        files=files,
    )


@require_POST
def report_save(request, pk):
    return _with_figures(
        request,
        pk,
        party=workflow.Party.UNIT_MEMBER,
        done=_saved_messages,
        call=_save(request),
    )


@require_POST
def evidence_upload(request, pk):
    """上传 saves the figures typed beside the files as a draft first: a reporter who typed,
    then attached a photo, finds both kept."""
    return _with_figures(
        request,
        pk,
        party=workflow.Party.UNIT_MEMBER,
        needs_files=True,
        # A post of files alone (no figures) changes no figure and needs no version.
        needs_version=False,
        done=_saved_messages,
        call=_save(request),
    )


@require_POST
def report_submit(request, pk):
    step = workflow.transition("submit")
    return _with_figures(
        request,
        pk,
        party=step.party,
        done=lambda saved, report, files: [step.done.format(n="")],
        call=lambda report, form, files: services.report_submit(
            report=report,
            actor=request.user,
            version=form.cleaned_data["version"],
            values=form.values(),
            note=form.note_value(),
            files=files,
        ),
    )


def _step(request, pk, action, *, form_class, call):
    """Confirm, send back, approve, return, reopen: one step of the workflow's table."""
    obligation = selectors.obligation_get(actor=request.user, pk=pk)
    step = workflow.transition(action, level=plan_level(obligation.plan))
    _allowed(request, obligation, step.party)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return _back(pk)
    try:
        call(report=_subject(obligation), data=form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, step.done.format(n=""))
    return _back(pk)


@require_POST
def report_confirm(request, pk):
    return _step(
        request,
        pk,
        "confirm",
        form_class=VersionForm,
        call=lambda report, data: services.report_confirm(
            report=report, actor=request.user, version=data["version"]
        ),
    )


@require_POST
def report_send_back(request, pk):
    return _step(
        request,
        pk,
        "send_back",
        form_class=ReasonForm,
        call=lambda report, data: services.report_send_back(
            report=report, actor=request.user, version=data["version"], reason=data["reason"]
        ),
    )


@require_POST
def report_approve(request, pk):
    return _step(
        request,
        pk,
        "approve",
        form_class=VersionForm,
        call=lambda report, data: services.report_approve(
            report=report, reviewer=request.user, version=data["version"]
        ),
    )


@require_POST
def report_return(request, pk):
    return _step(
        request,
        pk,
        "return",
        form_class=ReasonForm,
        call=lambda report, data: services.report_return(
            report=report, reviewer=request.user, version=data["version"], reason=data["reason"]
        ),
    )


@require_POST
def report_reopen(request, pk):
    return _step(
        request,
        pk,
        "reopen",
        form_class=ReasonForm,
        call=lambda report, data: services.report_reopen(
            report=report, reviewer=request.user, version=data["version"], reason=data["reason"]
        ),
    )
