"""Checking an uploaded sheet as a job: a 10,000-row file is read by a task worker, not by the
request, while the page shows its progress (jobs/). The upload is kept as received until the
worker has read it, then deleted; what the check found is the import's preview, as before.
"""

from __future__ import annotations

from pathlib import PurePath

from django.core.files.base import ContentFile
from django.urls import reverse

from common import filestore
from common.uploads import XLSX, FileKind
from jobs.models import Job
from jobs.queue import task
from jobs.runner import job_run
from jobs.services import Output
from records.models import FormDefinition
from records.services.imports import record_import_preview

PENDING_FOLDER = "imports-pending"  # uploads waiting for a worker, deleted once read
CSV = FileKind(".csv", "text/csv")


def upload_keep(uploaded) -> str:
    """The upload as received, in the file store, until the worker reads it; its stored name."""
    suffix = PurePath(uploaded.name or "").suffix.lower()
    kind = CSV if suffix in (".csv", ".txt") else XLSX
    return filestore.store(uploaded, kind, PENDING_FOLDER).stored_name


@task()
def import_check(*, job_id: int) -> None:
    job_run(job_id=job_id, work=_check)


def _check(job: Job, progress) -> Output:
    form = FormDefinition.objects.select_related("plan").get(pk=job.params["form"])
    name = job.params["file"]
    path = filestore.folder(PENDING_FOLDER) / PurePath(job.params["stored"]).name
    progress(done=0, total=1, stage=f"正在检查「{name}」")
    try:
        uploaded = ContentFile(path.read_bytes(), name=name)
        checked = record_import_preview(
            form=form, unit=job.started_by.unit, actor=job.started_by, uploaded=uploaded
        )
    finally:
        path.unlink(missing_ok=True)
    return Output(
        summary=f"「{name}」已检查完：{len(checked.rows)} 行，{len(checked.errors)} 处问题。",
        result={
            "import": checked.pk,
            "url": reverse("records:import_preview", args=[form.plan.slug, checked.pk]),
            "link": "查看检查结果",
        },
    )
