from django.shortcuts import get_object_or_404

from jobs.models import Job
from orgs.access import job_scope


def job_get(*, actor, pk: int) -> Job:
    """The job, if `actor` may follow it (orgs.access.job_scope); anyone else's is a 404."""
    return get_object_or_404(Job.objects.filter(job_scope(actor)).select_related("plan"), pk=pk)
