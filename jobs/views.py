from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from common.errors import ServiceError
from common.partials import render_panel
from evidence.serving import file_response
from jobs.selectors import job_get
from jobs.services import job_file_take

PARTIAL = "jobs/_partials/job.html"


@require_GET
def job(request, pk):
    """A job's status and progress (orgs.access.job_scope: its starter, and for a plan's job
    the plan's department staff and leaders). The page polls this partial every 2 s until the
    job has finished; opened on its own, the partial comes inside a page."""
    job = job_get(actor=request.user, pk=pk)
    return render_panel(request, PARTIAL, {"job": job}, title=job.get_kind_display())


@require_GET
def download(request, pk):
    """The file a finished job made (the bulletin's .docx), to whoever may see the job."""
    job = job_get(actor=request.user, pk=pk)
    try:
        path = job_file_take(job=job, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("jobs:job", pk=job.pk)
    return file_response(path, filename=job.file_label, content_type=job.result["content_type"])
