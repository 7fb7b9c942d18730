"""What `make surge` (bench/surge.py) verifies after the run: locust's statistics summed up,
and every acknowledged action checked against the database, the audit log and the files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path


def percentile(times: Counter, share: float) -> int:
    """The response time (ms, as locust rounds it) that `share` of the requests stayed
    within."""
    wanted, seen = math.ceil(share * sum(times.values())), 0
    for ms in sorted(times):
        seen += times[ms]
        if seen >= wanted:
            return ms
    return 0


def summary(entries: list[dict]) -> dict:
    """Requests, failures, requests a second over the run, percentiles and maximum (ms)."""
    times = Counter()
    for e in entries:
        times.update({int(ms): n for ms, n in e["response_times"].items()})
    start = min(e["start_time"] for e in entries)
    end = max(e["last_request_timestamp"] or start for e in entries)
    requests = sum(e["num_requests"] for e in entries)
    return {
        "requests": requests,
        "failures": sum(e["num_failures"] for e in entries),
        "rps": requests / max(end - start, 1e-9),
        "p50": percentile(times, 0.50),
        "p95": percentile(times, 0.95),
        "p99": percentile(times, 0.99),
        "max": max(e["max_response_time"] for e in entries),
    }


def stats_read(path: Path) -> dict[str, dict]:
    """Locust's final statistics (--json-file) by request name, and all of them as "total"."""
    entries = json.loads(path.read_text("utf-8"))
    return {**{e["name"]: summary([e]) for e in entries}, "total": summary(entries)}


def figures(values: dict) -> dict[str, Decimal]:
    return {str(k): Decimal(v) for k, v in values.items() if v not in (None, "")}


def mails_written(folder: Path) -> int:
    """Messages Django's file backend wrote into `folder` (one header block each)."""
    if not folder.exists():
        return 0
    return sum(
        line.startswith("Message-ID:")
        for path in folder.iterdir()
        for line in path.read_text("utf-8", errors="replace").splitlines()
    )


def notifications_check(reports: list, *, mail: Path, since: dt.datetime) -> list[str]:
    """Each submitted report told its unit's heads (in the bell), and every notification of
    the run to someone with an address went out by mail."""
    from django.urls import reverse

    from orgs.models import User
    from reporting.models import Notification

    problems = []
    notes = list(Notification.objects.filter(created_at__gte=since).values_list("user_id", "url"))
    heads = defaultdict(set)
    for pk, unit_id in User.objects.filter(role=User.Role.UNIT_HEAD, is_active=True).values_list(
        "pk", "unit_id"
    ):
        heads[unit_id].add(pk)
    told = defaultdict(set)
    for user_id, url in notes:
        told[url].add(user_id)
    for report in reports:
        url = reverse("reporting:report", kwargs={"pk": report.obligation_id})
        if not heads[report.obligation.unit_id] <= told[url]:
            problems.append(f"report {report.pk}: submitted, but its unit's heads were not told")
    with_address = set(
        User.objects.filter(is_active=True).exclude(email="").values_list("pk", flat=True)
    )
    wanted = sum(user_id in with_address for user_id, _ in notes)
    sent = mails_written(mail)
    if sent != wanted:
        problems.append(f"{wanted} notifications to people with an address, {sent} mails")
    return problems


def check(
    acks: list[dict], deadline: dt.date, upload_root: Path, *, mail: Path, since: dt.datetime
) -> tuple[int, int, list[str]]:
    """(acknowledged submissions, verified submissions, problems)."""
    from audit.models import AuditEntry
    from reporting.models import Obligation, Report

    problems: list[str] = []
    by_kind = defaultdict(list)
    for a in acks:
        by_kind[a["kind"]].append(a)

    reports = {
        r.obligation_id: r
        for r in Report.objects.filter(obligation__due_date=deadline)
        .select_related("obligation")
        .prefetch_related("values", "evidence")
    }
    entries = defaultdict(list)  # report id → its audit entries, oldest first
    for e in AuditEntry.objects.filter(
        object_type="reporting.report", object_id__in=[str(r.pk) for r in reports.values()]
    ).order_by("at", "id"):
        entries[int(e.object_id)].append(e)

    def events(report, event):
        return [e for e in entries[report.pk] if e.event == event]

    # Every version a report went through has its audit entry, and no double click made a
    # second submission.
    for report in reports.values():
        saved = events(report, "reporting.report.saved")
        submitted = events(report, "reporting.report.submitted")
        if len(submitted) > 1:
            problems.append(f"report {report.pk}: {len(submitted)} submissions in the audit log")
        if report.version != 1 + len(saved) + len(submitted):
            problems.append(
                f"report {report.pk}: version {report.version} but {len(saved)} saves and "
                f"{len(submitted)} submissions in the audit log"
            )

    submits = defaultdict(list)
    for a in by_kind["submit"]:
        submits[a["obligation"]].append(a)
    verified = 0
    for obligation_id, claims in submits.items():
        before = len(problems)
        report = reports.get(obligation_id)
        if report is None:
            problems.append(f"obligation {obligation_id}: acknowledged, but no report")
            continue
        if len({c["version"] for c in claims}) > 1:
            problems.append(f"report {report.pk}: submissions acknowledged at two versions")
        claim = claims[0]
        if report.status != Report.Status.SUBMITTED:
            problems.append(f"report {report.pk}: acknowledged, but status {report.status}")
        if report.version != claim["version"] + 1:
            problems.append(
                f"report {report.pk}: submitted at version {claim['version']}, "
                f"now at {report.version}"
            )
        stored = {str(v.indicator_id): v.value for v in report.values.all() if v.value is not None}
        if stored != figures(claim["values"]):
            problems.append(f"report {report.pk}: figures {stored} != shown {claim['values']}")
        if len(report.evidence.all()) < claim["evidence"]:
            problems.append(f"report {report.pk}: fewer files than the reporter saw")
        submitted = events(report, "reporting.report.submitted")
        if len(submitted) != 1 or (submitted[0].after or {}).get("status") != "submitted":
            problems.append(f"report {report.pk}: no single submission in the audit log")
        saved = events(report, "reporting.report.saved")
        if report.obligation.kind == Obligation.Kind.PROGRESS and (
            not saved or figures(saved[-1].after["figures"]) != stored
        ):
            problems.append(f"report {report.pk}: the last saved figures are not in the audit log")
        verified += len(problems) == before

    for a in by_kind["save"]:
        report = reports.get(a["obligation"])
        wanted = figures(a["values"])
        if report is None or not any(
            e.actor_username == a["user"] and figures(e.after["figures"]) == wanted
            for e in events(report, "reporting.report.saved")
        ):
            problems.append(f"obligation {a['obligation']}: a save by {a['user']} is not audited")

    for a in by_kind["evidence"]:
        report = reports.get(a["obligation"])
        files = [e for e in report.evidence.all() if e.sha256 == a["sha256"]] if report else []
        if len(files) != 1 or files[0].original_name != a["name"]:
            problems.append(f"obligation {a['obligation']}: upload {a['name']} not stored once")
            continue
        path = upload_root / "evidence" / files[0].stored_name
        if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != a["sha256"]:
            problems.append(f"obligation {a['obligation']}: file of {a['name']} missing or bad")
        if not any(
            (e.after or {}).get("sha256") == a["sha256"]
            for e in events(report, "reporting.evidence.added")
        ):
            problems.append(f"obligation {a['obligation']}: upload {a['name']} not audited")

    logins = Counter(
        AuditEntry.objects.filter(
            event="auth.login.succeeded", actor_username__startswith="surge-"
        ).values_list("actor_username", flat=True)
    )
    for user, n in Counter(a["user"] for a in by_kind["login"]).items():
        if logins[user] < n:
            problems.append(f"{user}: {n} logins, {logins[user]} in the audit log")

    problems.extend(
        f"obligation {a['obligation']}: {a['step']} refused: {a['message']}"
        for a in by_kind["refused"]
    )
    # Every reporter logged out only when nothing due was left open: each item was submitted,
    # and each submission was acknowledged to someone.
    if by_kind["logout"] and len(by_kind["logout"]) == len({a["user"] for a in by_kind["login"]}):
        due = Obligation.objects.filter(due_date=deadline).count()
        in_db = sum(r.status == Report.Status.SUBMITTED for r in reports.values())
        if not len(submits) == in_db == due:
            problems.append(
                f"{due} items due, {in_db} submitted in the database, {len(submits)} acknowledged"
            )
    submitted = [r for r in reports.values() if r.status == Report.Status.SUBMITTED]
    problems.extend(notifications_check(submitted, mail=mail, since=since))
    return len(submits), verified, problems
