"""The bulletin as a job: the same Word file as `dashboards:bulletin`, made by a worker and
kept in the file store, while the page shows its progress (jobs/)."""

from __future__ import annotations

import datetime as dt

from common.uploads import DOCX
from dashboards.bulletin import bulletin_docx
from jobs.models import Job
from jobs.queue import task
from jobs.runner import job_run
from jobs.services import Output


def bulletin_filename(*, slug: str, as_of: dt.date) -> str:
    return f"{slug}-bulletin-{as_of}.docx"


@task()
def bulletin_generate(*, job_id: int) -> None:
    job_run(job_id=job_id, work=_bulletin)


def _bulletin(job: Job, progress) -> Output:
    plan, as_of = job.plan, dt.date.fromisoformat(job.params["as_of"])
    progress(done=0, total=2, stage="正在汇总数据、生成通报")
    content = bulletin_docx(plan=plan, as_of=as_of)
    progress(done=1, stage="正在保存文件")
    return Output(
        summary="通报已生成。",
        content=content,
        filename=bulletin_filename(slug=plan.slug, as_of=as_of),
        file_kind=DOCX,
    )
