import pytest


@pytest.fixture
def submitted_report(ruzhou_reporter):
    """A report 汝州市's reporter has just submitted, with its entry in the log."""
    from audit.services import audit_record
    from reporting.models import Obligation, Report

    obligation = Obligation.objects.filter(unit__code="ruzhou").order_by("due_date", "pk").first()
    report = Report.objects.create(obligation=obligation, status=Report.Status.SUBMITTED)
    audit_record(actor=ruzhou_reporter, event="reporting.report.submitted", target=report)
    return report
