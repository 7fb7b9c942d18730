"""Every event the code writes has a Chinese name and an area on the audit page, found by reading
the source rather than by a list someone must remember to extend."""

import ast
import itertools
import re
from collections import defaultdict
from pathlib import Path

from django.conf import settings

from audit.labels import EVENT_LABELS, event_area_label, event_choices

EVENT_SHAPE = re.compile(r"[a-z_]+(\.[a-z_]+){1,2}")
# Tests write made-up events; the rest is not this project's code.
SKIPPED = {".venv", "node_modules", "tests", "migrations", "staticfiles", "var", "test-artifacts"}


def _strings(node: ast.AST) -> set[str]:
    return {
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


class Scan:
    """Events the code writes: `event="…"` in any call (both sides of `a if c else b`),
    `EVENT_… = "…"` constants, strings passed by position to a helper taking an `event`
    parameter, and events composed in an f-string (`f"{kind.events}.{step.event}"`), whose
    placeholders take every string the code gives anywhere as `events=` and `event=`."""

    def __init__(self):
        self.events: dict[str, str] = {}  # event → where it is written first
        self.composed: list[tuple[ast.JoinedStr, str]] = []
        self.given: dict[str, set[str]] = defaultdict(set)  # strings by keyword or name

    def add(self, source: str, where: str) -> None:
        tree = ast.parse(source)
        positions = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in node.args.posonlyargs + node.args.args]
                if "event" in names:
                    positions[node.name] = names.index("event") - (names[0] in ("self", "cls"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg:
                        self.given[keyword.arg] |= _strings(keyword.value)
                    if keyword.arg == "event":
                        self._written(keyword.value, where)
                position = positions.get(_called_name(node))
                if position is not None and len(node.args) > position:
                    self._written(node.args[position], where)
            elif isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(
                node.value, ast.Constant
            ):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                        self.given[target.id].add(node.value.value)
                        # One name, one string: label mappings (EVENT_LABELS = {…}) write nothing.
                        if target.id.startswith("EVENT_"):
                            self._written(node.value, where)

    def _written(self, node: ast.AST, where: str) -> None:
        for n in ast.walk(node):
            if isinstance(n, ast.JoinedStr):
                self.composed.append((n, where))
            elif isinstance(n, ast.Constant) and EVENT_SHAPE.fullmatch(str(n.value)):
                self.events.setdefault(n.value, where)

    def resolve(self) -> list[str]:
        """Add the composed events; return where one could not be resolved."""
        unresolved = []
        for node, where in self.composed:
            parts = []
            for value in node.values:
                if isinstance(value, ast.Constant):
                    parts.append({value.value})
                    continue
                inner = value.value
                name = inner.attr if isinstance(inner, ast.Attribute) else getattr(inner, "id", "")
                parts.append(self.given.get(name, set()))
            events = {"".join(p) for p in itertools.product(*parts)}
            events = {e for e in events if EVENT_SHAPE.fullmatch(e)}
            if not events:
                unresolved.append(f"{where}:{node.lineno}")
            for event in events:
                self.events.setdefault(event, where)
        return unresolved


def scan_the_code() -> Scan:
    root = Path(settings.BASE_DIR)
    scan = Scan()
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if not SKIPPED & set(relative.parts[:-1]):
            scan.add(path.read_text(encoding="utf-8"), str(relative))
    return scan


def test_every_event_the_code_writes_has_a_chinese_name_and_an_area():
    scan = scan_the_code()
    assert scan.resolve() == [], "an event composed at run time that no literal explains"
    found = scan.events
    # A scan that finds nothing cannot pass.
    assert {
        "reporting.report.returned",
        "records.record.approved",
        "orgs.otp.verified",
        "reporting.city_figure.entered",
        "records.record.created",
    } <= set(found)
    unnamed = {e: where for e, where in found.items() if e not in EVENT_LABELS}
    assert unnamed == {}, "add a Chinese name in audit/labels.py"
    no_area = {e: where for e, where in found.items() if not event_area_label(e)}
    assert no_area == {}, "add the event's area to EVENT_GROUPS in audit/labels.py"


def test_the_scan_notices_an_event_written_in_each_way():
    scan = Scan()
    scan.add(
        """
EVENT_DONE = "plans.plan.done"
EVENT_LABELS = {"plans.plan.named": "已命名"}
PLAN = Kind(events="plans.plan")
STEPS = [Step(event="sealed"), Step(event="opened")]
def _move(item, actor, event, *, reason=""):
    audit_record(actor=actor, event=event, target=item)
def plan_publish(plan, actor, kind, step):
    _move(plan, actor, "plans.plan.published")
    audit_record(actor=actor, event="plans.plan.a" if plan else "plans.plan.b", target=plan)
    audit_record(actor=actor, event=EVENT_DONE)
    audit_record(actor=actor, event=f"{kind.events}.{step.event}")
""",
        "plans/services.py",
    )
    assert scan.resolve() == []
    assert set(scan.events) == {
        "plans.plan.done",
        "plans.plan.published",
        "plans.plan.a",
        "plans.plan.b",
        "plans.plan.sealed",
        "plans.plan.opened",
    }


def test_an_event_the_scan_cannot_work_out_is_reported_with_its_place():
    scan = Scan()
    scan.add('audit_record(actor=None, event=f"plans.{make()}")', "plans/views.py")
    assert scan.resolve() == ["plans/views.py:1"]


def test_every_named_event_is_in_chinese_and_offered_by_the_filter():
    offered = {value for _, group in event_choices()[1:] for value, _ in group}
    for event, label in EVENT_LABELS.items():
        assert not label.isascii(), event
        assert event in offered, event
