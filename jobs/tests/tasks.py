"""Small tasks for tests of the job machinery, standing in for the real work (a bulletin,
a reminder run) where only the machinery is under test."""

from common.errors import ServiceError
from common.uploads import DOCX
from jobs.queue import task
from jobs.runner import job_run
from jobs.services import Output

CONTENT = b"PK\x03\x04 a small file standing in for a bulletin"
REFUSAL = "该方案还没有已审核的数据，不能生成。"


@task()
def file_made(*, job_id: int) -> None:
    job_run(job_id=job_id, work=_file)


def _file(job, progress) -> Output:
    progress(done=1, total=2, stage="正在写文件")
    return Output(summary="文件已生成。", content=CONTENT, filename="测试文件.docx", file_kind=DOCX)


@task()
def crashing(*, job_id: int) -> None:
    job_run(job_id=job_id, work=_crash)


def _crash(job, progress) -> Output:
    raise RuntimeError("a bug, not the user's fault")


@task()
def refusing(*, job_id: int) -> None:
    job_run(job_id=job_id, work=_refuse)


def _refuse(job, progress) -> Output:
    raise ServiceError(REFUSAL)
