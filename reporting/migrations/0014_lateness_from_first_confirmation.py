"""Reports confirmed again after a return get back the standing of their first confirmation.

Before this, every confirmation stamped `confirmed_at` and judged lateness anew, so a report
reported on time and returned by the department after the deadline became late (逾期) when
confirmed again. Now lateness is judged once, at the first confirmation, which `confirmed_at`
keeps (reporting/workflow.py, `apply`). No field is added: `confirmed_at` and `is_late` take
that meaning, and the audit log, which records every confirmation with the lateness judged
then (`after["is_late"]`), says what the first one was.

For each report with more than one confirmation in the log: `confirmed_at` and `confirmed_by`
become the first one's where it is earlier (on a demo or training date the log keeps the real
time, later than the business date: then `confirmed_at` is left as it is), and a report late
only by a later confirmation is no longer late, nor are its official figures (which count
again under 逾期未报送不予统计). Where the first confirmation's entry was purged (older than the
log's retention) it cannot be told apart and nothing changes. Records (records.Record) follow
the same rule from now on; their rows and the figures computed from them are not repaired here.
"""

from collections import Counter

from django.db import migrations

CHUNK = 500
EVENT_CORRECTED = "reporting.report.lateness_corrected"
REASON = "逾期改按首次报送判定：单位按时报送后被退回、再次报送的，不算逾期"


def settle(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    Report = apps.get_model("reporting", "Report")
    OfficialValue = apps.get_model("reporting", "OfficialValue")

    confirmations: Counter[str] = Counter()
    first: dict[str, tuple] = {}
    entries = (
        AuditEntry.objects.filter(event="reporting.report.confirmed", result="ok")
        .order_by("at", "id")
        .values_list("object_id", "at", "actor_id", "after")
    )
    for object_id, at, actor_id, after in entries.iterator():
        confirmations[object_id] += 1
        first.setdefault(object_id, (at, actor_id, after or {}))
    again = sorted(int(pk) for pk, n in confirmations.items() if n > 1 and pk.isdigit())
    for start in range(0, len(again), CHUNK):
        reports = Report.objects.filter(pk__in=again[start : start + CHUNK]).values_list(
            "pk", "confirmed_at", "is_late"
        )
        for pk, confirmed_at, is_late in reports:
            at, actor_id, after = first[str(pk)]
            changes = {}
            if confirmed_at is None or at < confirmed_at:
                changes["confirmed_at"] = at
                if actor_id is not None:
                    changes["confirmed_by_id"] = actor_id
            if is_late and after.get("is_late") is False:
                changes["is_late"] = False
                OfficialValue.objects.filter(report_id=pk).update(is_late=False, counts=True)
            if changes:
                Report.objects.filter(pk=pk).update(**changes)
                # A change of reported data is on record, with what it was before.
                AuditEntry.objects.create(
                    actor_username="manage.py migrate",
                    event=EVENT_CORRECTED,
                    object_type="reporting.report",
                    object_id=str(pk),
                    before={
                        "confirmed_at": confirmed_at.isoformat() if confirmed_at else None,
                        "is_late": is_late,
                    },
                    after={
                        "confirmed_at": changes.get("confirmed_at", confirmed_at).isoformat(),
                        "is_late": changes.get("is_late", is_late),
                    },
                    reason=REASON,
                )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0013_remove_cityfigure_evidence_fields"),
        ("audit", "0003_no_erasing"),
    ]

    operations = [migrations.RunPython(settle, migrations.RunPython.noop)]
