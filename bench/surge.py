"""The deadline-day surge on one database (`make surge` runs it on SQLite, then PostgreSQL).

    .venv/bin/python -m bench.surge --database sqlite:///var/surge.sqlite3 --users 300 \\
        --locust .venv-locust/bin/locust

1. Set-up, from scratch each time: the database named by --database is emptied (the SQLite
   file deleted; the PostgreSQL database dropped and created) and migrated; `seed_demo` loads
   the 2022 plan with its demo data as it stood on --seed-day (14 April 2022), so nothing due on
   --deadline (5 May 2022: 194 items for 29 units, the plan's busiest deadline) has been
   started; --users reporter accounts are shared out over those units in proportion to what
   each owes that day (a known password, no forced change, one audit entry each).
2. gunicorn serves config.settings.surge (production's settings, over http on 127.0.0.1) with
   UNIONPLAN_TODAY set to the deadline; the static files are collected for WhiteNoise.
3. locust runs bench/surge_locustfile.py headless against it; every action the server
   acknowledged is written down by the client (var/surge-<db>-acks.jsonl).
4. With the server stopped, the checks: no failed request; every acknowledged submission is in
   the database, submitted, at the version after the one the reporter submitted, with the
   figures on the reporter's page and its files, with exactly one submission in the audit log
   (a double click makes no second one) and one audit entry for each version the report went
   through; every acknowledged save, upload and login has its audit entry; every upload's file
   is on disk with its checksum; every submitted report told its unit's heads in the bell,
   and every notification of the run to someone with an address was mailed (Django's file
   backend, var/surge-<db>-mail); every reporter finished, and every item due was submitted;
   the server's log has no traceback, no "database is locked" and no worker timeout.

Prints `SURGE db=<sqlite|postgresql> users=<n> requests=<r> failures=<f> rps=<x> p50_ms=<a>
p95_ms=<b> p99_ms=<c> submissions=<s> verified=<v>` (submissions: reports whose submission was
acknowledged; verified: those that passed every check), DETAIL lines, and exits 1 when any
check fails. Its files are var/surge-<db>-*: the server's and locust's logs, locust's
statistics (JSON), the accounts, the acknowledgements and the printed result.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

from bench.surge_checks import check, stats_read

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var"
LOCUSTFILE = BASE_DIR / "bench" / "surge_locustfile.py"
SETTINGS = "config.settings.surge"
# The surge's accounts share this password; they exist only in the surge's own database.
PASSWORD = "Surge@2022-05-05"  # noqa: S105 - a load-test account's password, on purpose
AUDIT_REASON = "截止日压力测试账号（make surge）"
READY_TIMEOUT_S = 60
SERVER_LOG_ALARMS = ("Traceback", "database is locked", "WORKER TIMEOUT")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="sqlite:///… or postgres://…")
    parser.add_argument("--users", type=int, default=300, help="reporter accounts and users")
    parser.add_argument("--spawn-rate", type=float, default=30, help="users started a second")
    parser.add_argument("--run-time", type=int, default=300, help="cap in seconds")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
    parser.add_argument("--deadline", type=dt.date.fromisoformat, default=dt.date(2022, 5, 5))
    parser.add_argument("--seed-day", type=dt.date.fromisoformat, default=dt.date(2022, 4, 14))
    parser.add_argument("--locust", default=str(BASE_DIR / ".venv-locust" / "bin" / "locust"))
    return parser.parse_args(argv)


# --- set-up --------------------------------------------------------------------------------


def surge_env(args: argparse.Namespace, uploads: Path, mail: Path) -> dict[str, str]:
    """The environment of every process of the run: production's settings with throwaway
    secrets, the surge's database and upload folder, and the deadline as today. The
    notification mail each step sends is written to files in `mail` (Django's file backend)
    instead of an SMTP server, so that the checks can count it."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("UNIONPLAN_")}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DATABASE_URL=args.database,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        UNIONPLAN_PERSONAL_KEYS=f"k1:{secrets.token_hex(16)},index:{secrets.token_hex(32)}",
        UNIONPLAN_UPLOAD_ROOT=str(uploads),
        UNIONPLAN_TODAY=args.deadline.isoformat(),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail),
    )
    return env


def database_recreate(url: str) -> None:
    import dj_database_url

    cfg = dj_database_url.parse(url)
    if "sqlite" in cfg["ENGINE"]:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{cfg['NAME']}{suffix}").unlink(missing_ok=True)
        return
    from bench.database import database_create

    database_create(cfg, fresh=True)


def manage(env: dict[str, str], *command: str, today: dt.date | None = None) -> None:
    if today is not None:
        env = {**env, "UNIONPLAN_TODAY": today.isoformat()}
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *command],
        cwd=BASE_DIR,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,  # seed_demo prints the demo accounts' passwords
    )


def reporters_share(due: dict[int, int], users: int) -> dict[int, int]:
    """Reporters per unit in proportion to the items it owes, at least one each (largest
    remainder, so that the shares add up to `users`)."""
    if users < len(due):
        raise SystemExit(f"--users {users}: at least one reporter per unit needs {len(due)}.")
    total = sum(due.values())
    exact = {unit: users * n / total for unit, n in due.items()}
    share = {unit: max(1, math.floor(x)) for unit, x in exact.items()}
    by_remainder = sorted(due, key=lambda u: (share[u] - exact[u], -due[u]))
    while sum(share.values()) < users:
        for unit in by_remainder:
            if sum(share.values()) == users:
                break
            share[unit] += 1
    while sum(share.values()) > users:  # the minimum of one pushed the total over
        unit = max(share, key=lambda u: (share[u] - exact[u], share[u]))
        share[unit] -= 1
    return share


def reporters_create(*, deadline: dt.date, users: int) -> list[dict]:
    """The reporter accounts, in an order that reaches every unit early (locust starts its
    users in this order); each knows its place among its unit's reporters ("slot")."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from audit.services import audit_record_many
    from orgs.models import Unit, User
    from orgs.services import EVENT_USER_CREATED, user_snapshot
    from reporting.models import Obligation

    due = {
        row["unit_id"]: row["n"]
        for row in Obligation.objects.filter(due_date=deadline)
        .values("unit_id")
        .annotate(n=Count("id"))
    }
    if not due:
        raise SystemExit(f"Nothing of the 2022 plan is due on {deadline}.")
    share = reporters_share(due, users)
    units = list(Unit.objects.filter(pk__in=due).order_by("order"))
    password = make_password(PASSWORD)  # one argon2 hash, every account's password
    now = timezone.now()
    accounts, rows = [], []
    for slot in range(max(share.values())):
        for unit in units:
            if slot >= share[unit.pk]:
                continue
            username = f"surge-{unit.code}-{slot + 1:02d}"
            accounts.append({"username": username, "unit": unit.code, "slot": slot})
            rows.append(
                User(
                    username=username,
                    display_name=f"{unit.short_name}填报员{slot + 1}",
                    role=User.Role.UNIT_REPORTER,
                    unit=unit,
                    federation_id=unit.federation_id,
                    password=password,
                    password_changed_at=now,
                    must_change_password=False,
                )
            )
    with transaction.atomic():
        created = User.objects.bulk_create(rows)
        audit_record_many(
            actor=None,
            event=EVENT_USER_CREATED,
            changes=[(user, None, user_snapshot(user)) for user in created],
            reason=AUDIT_REASON,
        )
    return accounts


# --- the run -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_start(args, env, port: int, log) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={args.workers}",
        "--worker-class=gthread",
        f"--threads={args.threads}",
        # Longer than any pause between a reporter's requests: no keep-alive connection is
        # closed by the server just as the client reuses it.
        "--keep-alive=75",
        "--timeout=60",
        "--graceful-timeout=15",
        "--log-level=warning",
    ]
    server = subprocess.Popen(  # noqa: S603 - gunicorn from our own environment
        command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}; see {log.name}")
        try:
            url = f"http://127.0.0.1:{port}/accounts/login/"
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local http
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server_stop(server)
    raise SystemExit(f"gunicorn did not answer within {READY_TIMEOUT_S} s; see {log.name}")


def children_cpu_s() -> float:
    """CPU seconds (user + system) of the processes this one has started and seen end,
    each with the children it waited for (gunicorn's workers count towards gunicorn)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def server_stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def locust_run(args, port: int, files: dict[str, Path]) -> tuple[int, float]:
    env = {
        **os.environ,
        "SURGE_ACCOUNTS": str(files["accounts"]),
        "SURGE_ACKS": str(files["acks"]),
    }
    command = [
        args.locust,
        f"--locustfile={LOCUSTFILE}",
        "--headless",
        f"--users={args.users}",
        f"--spawn-rate={args.spawn_rate}",
        f"--run-time={args.run_time}s",
        f"--host=http://127.0.0.1:{port}",
        "--only-summary",
        f"--json-file={files['stats']}",
    ]
    started = time.monotonic()
    with files["locust_log"].open("w") as log:
        done = subprocess.run(  # noqa: S603 - locust from the surge's own environment
            command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, check=False
        )
    return done.returncode, time.monotonic() - started


# --- the checks ----------------------------------------------------------------------------


# --- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    vendor = "postgresql" if args.database.startswith("postgres") else "sqlite"
    VAR.mkdir(exist_ok=True)
    files = {
        "accounts": VAR / f"surge-{vendor}-accounts.json",
        "acks": VAR / f"surge-{vendor}-acks.jsonl",
        "stats": VAR / f"surge-{vendor}-stats",  # locust adds .json
        "server_log": VAR / f"surge-{vendor}-server.log",
        "locust_log": VAR / f"surge-{vendor}-locust.log",
        "result": VAR / f"surge-{vendor}-result.txt",
    }
    uploads = VAR / f"surge-{vendor}-uploads"
    mail = VAR / f"surge-{vendor}-mail"
    env = surge_env(args, uploads, mail)

    started = time.monotonic()
    database_recreate(args.database)
    shutil.rmtree(uploads, ignore_errors=True)
    shutil.rmtree(mail, ignore_errors=True)
    files["acks"].unlink(missing_ok=True)
    Path(f"{files['stats']}.json").unlink(missing_ok=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo", "--force", today=args.seed_day)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection, connections

    accounts = reporters_create(deadline=args.deadline, users=args.users)
    d = args.deadline
    files["accounts"].write_text(
        json.dumps(
            {
                "password": PASSWORD,
                "due_text": f"{d.year}年{d.month}月{d.day}日",
                "accounts": accounts,
            },
            ensure_ascii=False,
        ),
        "utf-8",
    )
    journal = ""
    if vendor == "sqlite":
        with connection.cursor() as cursor:
            journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    connections.close_all()
    print(f"set-up: {time.monotonic() - started:.0f} s, {len(accounts)} reporters", flush=True)

    # Notifications written from here on are the run's (seed_demo wrote its own before).
    run_started = dt.datetime.now(dt.UTC)
    port = free_port()
    cpu = [children_cpu_s()]
    with files["server_log"].open("w") as log:
        server = server_start(args, env, port, log)
        try:
            code, seconds = locust_run(args, port, files)
            cpu.append(children_cpu_s())  # locust has ended
        finally:
            server_stop(server)
    cpu.append(children_cpu_s())  # and gunicorn with its workers

    stats = stats_read(Path(f"{files['stats']}.json"))
    total = stats.pop("total")
    acks = [json.loads(line) for line in files["acks"].read_text("utf-8").splitlines()]
    submissions, verified, problems = check(
        acks, args.deadline, uploads, mail=mail, since=run_started
    )
    requests, failures = total["requests"], total["failures"]
    noted = Counter(
        f"{a['kind']}: {a.get('name', a.get('user'))}: {a['error']}"
        for a in acks
        if a["kind"] in ("failure", "error")
    )
    problems[:0] = [f"{n} × {what}" for what, n in noted.most_common()]
    server_log = files["server_log"].read_text("utf-8", errors="replace")
    for alarm in SERVER_LOG_ALARMS:
        if alarm in server_log:
            problems.append(f"the server's log has {server_log.count(alarm)} × {alarm!r}")
    kinds = Counter(a["kind"] for a in acks)
    if kinds["logout"] != args.users:
        problems.append(f"{kinds['logout']} of {args.users} reporters finished in {seconds:.0f} s")
    if code not in (0, 1) or requests == 0:
        problems.append(f"locust exited with {code} after {requests} requests; see its log")
    if submissions == 0:
        problems.append("no submission was acknowledged")

    lines = [
        f"SURGE db={vendor} users={args.users} requests={requests} failures={failures} "
        f"rps={total['rps']:.1f} p50_ms={total['p50']} p95_ms={total['p95']} "
        f"p99_ms={total['p99']} submissions={submissions} verified={verified}",
        f"DETAIL db={vendor} duration_s={seconds:.0f} logins={kinds['login']} "
        f"saves={kinds['save']} uploads={kinds['evidence']} "
        f"double_clicks={sum(1 for a in acks if a.get('double'))} "
        f"conflicts={kinds['conflict']} gave_up={kinds['gave_up']} "
        f"cpu_s_server={cpu[2] - cpu[1]:.0f} cpu_s_locust={cpu[1] - cpu[0]:.0f} "
        f"server=gunicorn-gthread workers={args.workers} threads={args.threads}"
        + (f" journal_mode={journal}" if journal else ""),
    ]
    lines += [
        f"DETAIL {name:<13} requests={row['requests']} failures={row['failures']} "
        f"p50_ms={row['p50']} p95_ms={row['p95']} p99_ms={row['p99']} max_ms={row['max']:.0f}"
        for name, row in sorted(stats.items())
    ]
    if problems:
        lines.append(f"FAILED: {len(problems)} problems (logs: var/surge-{vendor}-*)")
        lines += [f"  {problem}" for problem in problems[:30]]
    print("\n".join(lines))
    files["result"].write_text("\n".join(lines) + "\n", "utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
