"""Writes of jobs: starting one (its row, its audit entry and its task in one transaction), the
steps the runner records as the work goes, and handing out the file it made."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from common import filestore
from common.errors import ServiceError
from common.uploads import FileKind
from jobs.models import Job
from jobs.queue import Task
from orgs.models import User
from plans.models import Plan

FOLDER = "jobs"  # the file store's folder of generated files
NO_FILE = "该任务没有可下载的文件。"


@dataclass(frozen=True)
class Output:
    """What a job's work hands back: a sentence for the page, counts, and maybe a file."""

    summary: str
    result: dict[str, Any] = field(default_factory=dict)
    content: bytes | None = None
    filename: str = ""  # the name it downloads as
    file_kind: FileKind | None = None


@transaction.atomic
def job_enqueue(
    *,
    actor: User,
    kind: str,
    task: Task,
    plan: Plan | None = None,
    params: dict[str, Any] | None = None,
) -> Job:
    """Record the job and queue its task, which is called with `job_id=`."""
    params = params or {}
    job = Job.objects.create(
        kind=kind,
        started_by=actor,
        plan=plan,
        federation_id=plan.issuer_id if plan is not None else actor.federation_id,
        params=params,
    )
    audit_record(
        actor=actor,
        event="jobs.job.started",
        target=job,
        after={"kind": kind, "plan": plan.slug if plan is not None else "", **params},
    )
    # Queued inside the transaction: with the database backend the task's row commits with the
    # job's, so a worker never finds a task whose job is missing, and a start that rolls back
    # queues nothing. (With the immediate backend of the tests the work runs here and then.)
    queued = task.enqueue(job_id=job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(queued.id)[:64])
    job.refresh_from_db()
    return job


@transaction.atomic
def job_begin(*, job_id: int) -> Job | None:
    """Queued → running; None when the job is gone or has run already (a task delivered
    twice runs its work once)."""
    job = Job.objects.select_for_update().filter(pk=job_id, status=Job.Status.QUEUED).first()
    if job is None:
        return None
    job.status, job.started_at = Job.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    return job


def job_progress(
    *, job: Job, done: int | None = None, total: int | None = None, stage: str | None = None
) -> None:
    """Where the work has got to, for the page polling it. One UPDATE, committed at once when
    a worker runs it (progress is not audited: the start is, and the outcome is on the row)."""
    changes: dict[str, Any] = {}
    if total is not None:
        changes["total"] = job.total = total
    if done is not None:
        changes["done"] = job.done = min(done, job.total)
    if stage is not None:
        changes["stage"] = job.stage = stage[:100]
    if changes:
        Job.objects.filter(pk=job.pk).update(**changes)


def job_succeed(*, job: Job, output: Output) -> Job:
    """Done: the file (written complete before the row names it), the counts, the sentence."""
    job.result = {**output.result, "summary": output.summary}
    fields = ["status", "done", "stage", "result", "finished_at"]
    if output.content is not None and output.file_kind is not None:
        stored = filestore.store(
            ContentFile(output.content, name=output.filename), output.file_kind, FOLDER
        )
        job.file_name, job.file_label = stored.stored_name, stored.original_name
        job.result["content_type"] = output.file_kind.content_type
        fields += ["file_name", "file_label"]
    job.status, job.done, job.stage = Job.Status.DONE, job.total, ""
    job.finished_at = timezone.now()
    job.save(update_fields=fields)
    return job


def job_fail(*, job: Job, error: str) -> Job:
    job.status, job.error, job.finished_at = Job.Status.FAILED, error[:500], timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


@transaction.atomic
def job_file_take(*, job: Job, actor: User) -> Path:
    """The generated file's path, for a user who may see the job; the download is audited."""
    if job.status != Job.Status.DONE or not job.file_name:
        raise ServiceError(NO_FILE)
    audit_record(
        actor=actor,
        event="jobs.file.downloaded",
        target=job,
        after={"kind": job.kind, "file": job.file_label, **job.params},
    )
    return filestore.folder(FOLDER) / job.file_name
