"""A reminder run as a job (jobs/): what `manage.py remind` sends, for one plan and what its
starter may chase, sent by a worker while the chase page shows the progress. Cron keeps
calling the command, which sends in its own process."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from jobs.models import Job
from jobs.queue import task
from jobs.runner import job_run
from jobs.services import Output
from orgs.access import obligation_scope
from reporting.services import reminder_send, reminders_due

DAYS = 3  # as `remind`: due within three days, or overdue
PROGRESS_EVERY = 10  # reminders between two progress writes


@task()
def reminders_send(*, job_id: int) -> None:
    job_run(job_id=job_id, work=_reminders)


def _reminders(job: Job, progress) -> Output:
    today = dt.date.fromisoformat(job.params["today"])
    within = Q(plan=job.plan) & obligation_scope(job.started_by)
    reminders = reminders_due(today=today, days=job.params.get("days", DAYS), within=within)
    progress(done=0, total=len(reminders), stage="正在发送催报提醒")
    sent = 0
    for done, reminder in enumerate(reminders, start=1):
        sent += reminder_send(reminder=reminder, today=today)
        if done % PROGRESS_EVERY == 0:
            progress(done=done)
    already = len(reminders) - sent
    summary = f"已发送 {sent} 条提醒。" if reminders else "没有需要提醒的报送事项。"
    if already:
        summary += f"另有 {already} 条今天已由其他操作发送。"
    return Output(summary=summary, result={"due": len(reminders), "sent": sent})
