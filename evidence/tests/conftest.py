import pytest

from records.models import Record
from records.services.evidence import record_evidence_add
from records.tests.web import childcare_row
from reporting import services
from reporting.models import Obligation, Report
from reporting.tests.files import JPG, PDF, upload


@pytest.fixture
def may_reform(plan_2022):
    """汝州市's progress for 专案3, May 2022 (the same obligation reporting's tests use)."""
    return Obligation.objects.get(
        unit__code="ruzhou", programme__number=3, kind="progress", period_end="2022-05-31"
    )


@pytest.fixture
def report(may_reform) -> Report:
    return services.report_for(obligation=may_reform)


@pytest.fixture
def row(plan_2022, ruzhou_reporter) -> Record:
    return childcare_row(plan_2022, ruzhou_reporter)


@pytest.fixture
def report_photo(report, ruzhou_reporter):
    [evidence] = services.evidence_add(
        report=report, actor=ruzhou_reporter, files=[upload("活动照片.jpg", JPG)]
    )
    return evidence


@pytest.fixture
def row_policy(row, ruzhou_reporter):
    [evidence] = record_evidence_add(
        record=row, actor=ruzhou_reporter, field_code="documents", files=[upload("保单.pdf", PDF)]
    )
    return evidence
