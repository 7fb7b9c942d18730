"""The body every job's task runs: begin, work with progress, keep the outcome.

    @task()
    def bulletin_generate(*, job_id: int) -> None:
        job_run(job_id=job_id, work=_bulletin)

The work gets the job and `progress(done=, total=, stage=)` and returns an `Output`. A
`ServiceError` fails the job with its own Chinese message; anything else fails it with
`FAILED` (the trace goes to the log, and the task is marked failed too), never a 500 on a page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import nullcontext
from functools import partial

from django.db import transaction

from common.errors import ServiceError
from jobs.models import Job
from jobs.services import Output, job_begin, job_fail, job_progress, job_succeed

logger = logging.getLogger(__name__)

FAILED = "任务执行失败：系统出错，已记录。请稍后重试，或联系系统管理员。"

Work = Callable[[Job, Callable[..., None]], Output]


def job_run(*, job_id: int, work: Work) -> None:
    job = job_begin(job_id=job_id)
    if job is None:
        return
    # A worker runs in autocommit, so each progress step is seen by the page at once. Run
    # inside a transaction (the immediate backend, in a request or a test), the work gets a
    # savepoint, so that a failed statement rolls back and the failure can still be recorded.
    # A refusal (ServiceError) keeps what the work recorded before it, as the same call in a
    # request would: a refused upload stays in the audit log.
    inside = transaction.get_connection().in_atomic_block
    refusal = None
    try:
        with transaction.atomic() if inside else nullcontext():
            try:
                output = work(job, partial(job_progress, job=job))
            except ServiceError as exc:
                refusal = exc
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        job_fail(job=job, error=FAILED)
        raise
    else:
        if refusal is not None:
            job_fail(job=job, error=refusal.message)
        else:
            job_succeed(job=job, output=output)
