"""A 补报申请 for the access matrices (tests/test_authorization.py, the page widths)."""

from common import clock
from evidence.services import evidence_add
from reporting import services
from reporting.models import LateSubmissionRequest, Obligation
from reporting.services.late_requests import lateness
from reporting.tests.files import JPG, upload


def late_request_for_matrix(reporter) -> LateSubmissionRequest:
    """A request, with a file, by 汝州市's reporter for its earliest 专案3 item (progress
    first) overdue or reported late, put under 逾期未报送不予统计 first."""
    candidates = Obligation.objects.filter(
        unit=reporter.unit, programme__number=3, due_date__lt=clock.today()
    ).order_by("-kind", "due_date")  # progress first, then forms and documents
    for obligation in candidates.select_related("report"):
        obligation.late_policy = "exclude"
        if not lateness(obligation, clock.today()):
            break
    else:
        # The demo reported every item on time: a request as one made while it was overdue.
        return _written(obligation, reporter)
    obligation.save(update_fields=["late_policy"])
    return services.late_request_create(
        obligation=obligation,
        actor=reporter,
        reason="汛期抗洪抢险，材料未能按时报送",
        files=[upload("说明.jpg", JPG)],
    )


def _written(obligation, reporter) -> LateSubmissionRequest:
    obligation.save(update_fields=["late_policy"])
    request = LateSubmissionRequest.objects.create(
        obligation=obligation,
        reason="汛期抗洪抢险，材料未能按时报送",
        requested_by=reporter,
        status="confirmed",
        is_late=True,
    )
    evidence_add(owner=request, actor=reporter, files=[upload("说明.jpg", JPG)], event_prefix=None)
    return request
