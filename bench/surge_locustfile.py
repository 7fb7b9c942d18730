"""The deadline-day surge's reporters, for locust (`make surge` runs it through bench/surge.py).

    SURGE_ACCOUNTS=var/surge-sqlite-accounts.json SURGE_ACKS=var/surge-sqlite-acks.jsonl \\
    .venv-locust/bin/locust -f bench/surge_locustfile.py --headless -u 300 -r 30 -t 300s \\
        --host http://127.0.0.1:8000

Each simulated user is one reporter account of SURGE_ACCOUNTS (written by bench/surge.py) and
does what a browser does on the deadline day: loads the login page and its style sheets and
scripts (an empty cache), logs in through the real form with its CSRF token, opens 我的待办
and works through the unit's items due that day, starting from its own place in the list:
opens the report page, saves cumulative figures (进度填报), attaches a PDF (required for
材料报送; one progress report in four as well), submits, one submission in five double-clicked
(two POSTs at once), and goes back to the list. When nothing due that day is left open it logs
out and waits; when every reporter has, the run ends. Think time 0.5-2 s between steps.

A colleague may take the same item: a save or a submission refused as stale, or an item a
colleague has just submitted, is the application's lost-update protection at work, not a
failure; the reporter reloads the page and carries on (at most 4 attempts per item).

Every action the server acknowledged (its success message on the page it redirects to) is
appended to SURGE_ACKS, one JSON line each, for bench/surge.py to look up afterwards, and so is
every failed request and every exception in this scenario. A request fails on a status of 400
or more, a connection error, a timeout (60 s, a reverse proxy's usual limit; nothing is
retried), or a redirect or form missing where the page must have one. After a failure the
reporter waits a moment and tries that step again, as a person would.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import gevent
from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

ATTEMPTS = 4
EVIDENCE_SHARE = 0.25  # progress reports that attach a file although none is required
DOUBLE_CLICK_SHARE = 0.2
THINK = (0.5, 2.0)
SAVED = "已保存。"
SUBMITTED = "已提交，等待单位负责人确认。"
UPLOADED = "已上传 1 个文件。"
# Refusals that mean a colleague got there first (reporting/services/reports.py, evidence.py).
CONFLICTS = ("已被他人修改", "只有草稿或已退回的填报")
OPEN_BADGES = ("未填报", "草稿", "已退回")
NOTES = ("截至本月底累计数。", "已按分解表口径统计。", "")

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MESSAGE = re.compile(r'<div class="alert alert-(\w+)">([^<]*)</div>')
# A refused save, upload or submission comes back as the page itself (200), with what was typed
# and the reasons above the form (reporting/templates/reporting/report.html).
FORM_ERRORS = re.compile(r'id="form-errors">(.*?)\n')
FORM_ERROR = re.compile(r"<div>([^<]*)</div>")
SHOWN = "shown:"  # post(): the answer was the page itself, kept in `Reporter.shown`
ASSET = re.compile(r'<link rel="stylesheet" href="([^"]+)"|<script src="([^"]+)"')
TODO_ITEM = re.compile(r'href="/reporting/obligations/(\d+)/">(.*?)</a>', re.DOTALL)
BADGE = re.compile(r'<span class="badge [^"]*">([^<]*)</span>')
VERSION = re.compile(r'name="version" value="(\d+)"')
VALUE = re.compile(r'id="value_(\d+)" name="value_\d+" value="([^"]*)"')
PREVIOUS = re.compile(r"上期已审核：([^<]*)<")
EVIDENCE_LINK = re.compile(r'href="/reporting/evidence/\d+/"')
REPORT_PATH = re.compile(r"^/reporting/obligations/\d+/$")

_config: dict = {}
_accounts: list[dict] = []
_ended = 0  # users that stopped (finished, or stopped by a failure)


def config() -> dict:
    if not _config:
        _config.update(json.loads(Path(os.environ["SURGE_ACCOUNTS"]).read_text("utf-8")))
        _accounts.extend(reversed(_config["accounts"]))
    return _config


def ack(kind: str, **fields) -> None:
    """One line per acknowledged action (or conflict), written at once: a run cut short keeps
    every line written before the cut."""
    with Path(os.environ["SURGE_ACKS"]).open("a", encoding="utf-8") as acks:
        acks.write(json.dumps({"kind": kind, **fields}, ensure_ascii=False) + "\n")


@events.request.add_listener
def _failure_noted(request_type, name, exception=None, **_kwargs) -> None:
    if exception is not None:
        ack("failure", name=name, error=repr(exception)[:300])


@events.user_error.add_listener
def _error_noted(user_instance, exception, tb, **_kwargs) -> None:
    """An exception in the scenario itself: it must be fixed, so it fails the run too."""
    ack("error", user=getattr(user_instance, "username", ""), error=repr(exception)[:300])


def request_name(method: str, path: str) -> str:
    """Group the statistics by page, not by obligation."""
    if path.startswith("/static/"):
        return "GET static"
    if REPORT_PATH.match(path):
        return f"{method} report"
    for marker, name in (
        ("/save/", "save"),
        ("/submit/", "submit"),
        ("/evidence/", "evidence"),
        ("/reporting/todo/", "todo"),
        ("/accounts/login/", "login"),
        ("/accounts/logout/", "logout"),
    ):
        if marker in path:
            return f"{method} {name}"
    return f"{method} {path}"


def messages(html: str) -> list[tuple[str, str]]:
    found = MESSAGE.findall(html)
    block = FORM_ERRORS.search(html)
    if block:
        found += [("danger", text) for text in FORM_ERROR.findall(block[1])]
    return found


def badge(block: str) -> str:
    match = BADGE.search(block)
    return match[1] if match else ""


def number(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        return Decimal(0)  # "—": nothing approved before


def pdf(label: str) -> bytes:
    """A small PDF of its own (about 8 KB), different for each upload."""
    filler = hashlib.sha256(label.encode()).hexdigest() * 128
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
        b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n%"
        + filler.encode()
        + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


class Reporter(FastHttpUser):
    wait_time = between(*THINK)
    # A reverse proxy's usual limit (nginx's proxy_read_timeout); a browser waits longer.
    network_timeout = 60.0
    connection_timeout = 60.0
    max_retries = 0  # a failure must show, not be retried away
    concurrency = 4

    def on_start(self) -> None:
        self.finished = False
        settings = config()
        if not _accounts:
            raise StopUser()  # more users than accounts
        self.account = _accounts.pop()
        self.username = self.account["username"]
        self.due = settings["due_text"]
        self.rng = random.Random(self.username)  # noqa: S311 - load-test choices, not secrets
        self.done: set[str] = set()
        self.logged_in = False
        self.shown = ""
        # Redirects are never followed by the client: each is a request of its own (and the
        # session's per-request switch for it is not safe for a double click's two requests
        # at once, which then saw the second one's redirect followed).
        self.client.client.redirect_response_codes = frozenset()

    def on_stop(self) -> None:
        if not self.finished:  # stopped by a failure (or by the end of the run)
            self.end()

    def end(self) -> None:
        """This reporter is done; when every one is, the run ends."""
        global _ended
        _ended += 1
        if _ended == self.environment.parsed_options.num_users:
            gevent.spawn(self.environment.runner.quit)

    # --- HTTP, the way a browser does it ---------------------------------------------------

    def get(self, path: str) -> tuple[int, str, str]:
        """GET `path`, following redirects one request at a time: (status, final path, html);
        status 0 for a request that got no answer."""
        for _ in range(5):
            with self.client.get(
                path, name=request_name("GET", path), allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code in (301, 302, 303):
                    path = response.headers["Location"]
                    continue
                return response.status_code, path, response.text or ""
        return 0, path, ""

    def post(self, path: str, data: dict, files: dict | None = None) -> str | None:
        """POST a form; the redirect target, SHOWN for a refusal shown on the page itself
        (kept in `self.shown`), or None (a failure locust has recorded)."""
        with self.client.post(
            path,
            data=data,
            files=files,
            name=request_name("POST", path),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                return response.headers["Location"]
            if response.status_code == 200 and FORM_ERRORS.search(response.text or ""):
                self.shown = response.text
                return SHOWN
            if 0 < response.status_code < 400:
                response.failure(f"expected a redirect, got {response.status_code}")
            return None

    def think(self) -> None:
        gevent.sleep(self.rng.uniform(*THINK))

    def token(self, html: str) -> str:
        """The form's CSRF token; a page without one is a failure, and the user stops."""
        match = CSRF.search(html)
        if match is None:
            self.environment.events.request.fire(
                request_type="PAGE",
                name="no CSRF token",
                response_time=0,
                response_length=0,
                exception=AssertionError("a form without its CSRF token"),
            )
            raise StopUser()
        return match[1]

    # --- the reporter's day ---------------------------------------------------------------

    @task
    def work(self) -> None:
        if self.finished:
            gevent.sleep(5)
        elif not self.logged_in:
            self.logged_in = self.login()
        else:
            self.next_item()

    def login(self) -> bool:
        status, _, html = self.get("/accounts/login/")
        if status != 200:
            return False
        for css, script in ASSET.findall(html):
            self.get(css or script)  # an empty cache, once
        self.think()
        with self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": self.token(html),
                "username": self.username,
                "password": config()["password"],
                "next": "",
            },
            name="POST login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                if 0 < response.status_code < 400:
                    response.failure("login refused")
                return False
            location = response.headers["Location"]
        status, path, _ = self.get(location)
        if status == 200 and path == "/reporting/todo/":
            ack("login", user=self.username)
        return True  # logged in, whether or not the first page came back

    def next_item(self) -> None:
        status, _, html = self.get("/reporting/todo/")
        if status != 200:
            return
        open_items = [
            pk
            for pk, block in TODO_ITEM.findall(html)
            if f"截止 {self.due}" in block and badge(block) in OPEN_BADGES and pk not in self.done
        ]
        if not open_items:
            self.logout(html)
            return
        # Reporters of one unit start at different places in the same list.
        pk = open_items[self.account["slot"] % len(open_items)]
        self.think()
        self.work_on(pk)
        self.done.add(pk)

    def work_on(self, pk: str) -> None:
        base = f"/reporting/obligations/{pk}/"
        for _ in range(ATTEMPTS):
            status, _, page = self.get(base)
            if status != 200:
                continue
            if f'action="{base}submit/"' not in page:
                return  # a colleague submitted it meanwhile
            self.think()
            if 'id="report-form"' in page:
                page = self.save(pk, page)
                if page is None:
                    continue
            if not EVIDENCE_LINK.search(page) and (
                'id="report-form"' not in page or self.rng.random() < EVIDENCE_SHARE
            ):
                self.think()
                page = self.upload(pk, page)
                if page is None:
                    continue
            self.think()
            if self.submit(pk, page):
                return
        ack("gave_up", user=self.username, obligation=int(pk))

    def outcome(self, pk: str, step: str, location: str | None, success: str) -> str | None:
        """The page the action redirected to, when it shows `success`; else None, and a
        refusal is written down (a conflict, or one the scenario did not expect)."""
        if location is None:
            return None
        if location == SHOWN:
            page = self.shown
        else:
            status, _, page = self.get(location)
            if status != 200:
                return None
        shown = messages(page)
        if ("success", success) in shown:
            return page
        text = "；".join(m for _, m in shown) or "no message"
        kind = "conflict" if any(c in text for c in CONFLICTS) else "refused"
        ack(kind, user=self.username, obligation=int(pk), step=step, message=text)
        return None

    def save(self, pk: str, page: str) -> str | None:
        """Cumulative figures a little above the last approved ones, as a unit reports them."""
        values = {}
        for match in re.finditer(r'for="value_(\d+)"', page):
            previous = PREVIOUS.search(page, match.end())
            base = number(previous[1]) if previous else Decimal(0)
            values[match[1]] = f"{base + self.rng.randint(1, 30):f}"
        version = int(VERSION.search(page)[1])
        data = {
            "csrfmiddlewaretoken": self.token(page),
            "version": version,
            "note": self.rng.choice(NOTES),
        }
        for indicator, value in values.items():
            data[f"value_{indicator}"] = value
            data[f"explanation_{indicator}"] = ""
        location = self.post(f"/reporting/obligations/{pk}/save/", data)
        page = self.outcome(pk, "save", location, SAVED)
        if page is not None:
            ack("save", user=self.username, obligation=int(pk), version=version, values=values)
        return page

    def upload(self, pk: str, page: str) -> str | None:
        name = f"佐证材料-{self.username}-{pk}.pdf"
        content = pdf(f"{name}-{self.rng.getrandbits(64)}")
        location = self.post(
            f"/reporting/obligations/{pk}/evidence/",
            {"csrfmiddlewaretoken": self.token(page)},
            files={"files": (name, content, "application/pdf")},
        )
        page = self.outcome(pk, "evidence", location, UPLOADED)
        if page is not None:
            sha256 = hashlib.sha256(content).hexdigest()
            ack("evidence", user=self.username, obligation=int(pk), name=name, sha256=sha256)
        return page

    def submit(self, pk: str, page: str) -> bool:
        found = VERSION.search(page)
        if found is None:
            return False  # a colleague submitted it between the upload and its page
        version = int(found[1])
        shown = dict(VALUE.findall(page))
        data = {"csrfmiddlewaretoken": self.token(page), "version": version}
        path = f"/reporting/obligations/{pk}/submit/"
        double = self.rng.random() < DOUBLE_CLICK_SHARE
        if double:  # both POSTs leave before either answers, as a double click sends them
            clicks = [gevent.spawn(self.post, path, data) for _ in range(2)]
            gevent.joinall(clicks)
            location = next((c.value for c in clicks if c.value), None)
        else:
            location = self.post(path, data)
        if self.outcome(pk, "submit", location, SUBMITTED) is None:
            return False
        ack(
            "submit",
            user=self.username,
            obligation=int(pk),
            version=version,
            values=shown,
            evidence=len(EVIDENCE_LINK.findall(page)),
            double=double,
        )
        return True

    def logout(self, html: str) -> None:
        location = self.post("/accounts/logout/", {"csrfmiddlewaretoken": self.token(html)})
        if location is None:
            return  # tried again from the list
        self.get(location)
        ack("logout", user=self.username)
        self.finished = True
        self.end()
