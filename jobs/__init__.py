"""Long work off the request: a `Job` row the pages read, run by a django-tasks task.

A view starts a job through `services.job_enqueue` (the row and its task in one transaction);
a worker (`manage.py db_worker`) runs the task, whose body goes through `runner.job_run`: it
marks the job running, lets the work report its progress, keeps its result (counts, or a file
in the file store) and turns any failure into a Chinese message. The page polls
`jobs:job` until the download link or the message appears. The work itself lives in the app
whose concept it is (`dashboards/tasks.py`, `reporting/tasks.py`).
"""
