"""Official figures are written and withdrawn by reporting/services/official.py alone: a test
over every module's syntax tree finds any other code that creates, changes or deletes
`OfficialValue` rows, so a new writer fails here instead of bypassing the one service."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
THE_WRITER = "reporting/services/official.py"
# Modules that write the table without the service, and why they may.
EXEMPT = {
    # Synthetic benchmark plans: a million figures written by COPY and deleted by plain SQL,
    # never the figure of an approval.
    "demo/bench.py",
}
SKIPPED_DIRS = {".venv", "node_modules", "migrations", "tests", "static", "staticfiles", "var"}
WRITES = {
    "create",
    "bulk_create",
    "get_or_create",
    "update_or_create",
    "update",
    "bulk_update",
    "delete",
    "save",
}
# Where the rows are reached from: the model, and the reverse accessor of a report.
ROOTS = {"OfficialValue", "official_values"}
RAW_SQL = re.compile(
    r"\b(insert\s+into|update|delete\s+from|copy)\s+\"?reporting_officialvalue\b", re.I
)


# Calls that take the model class without writing rows: type checks and relations to it.
NOT_WRITERS = {"isinstance", "issubclass", "ForeignKey", "OneToOneField", "ManyToManyField"}


def _name(func: ast.AST) -> str:
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _reaches_rows(node: ast.AST, aliases: set[str]) -> bool:
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        if isinstance(node, ast.Attribute) and node.attr in ROOTS:
            return True
        node = node.value if not isinstance(node, ast.Call) else node.func
    return isinstance(node, ast.Name) and (node.id in ROOTS or node.id in aliases)


def _names(target: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def _aliases(tree: ast.AST) -> set[str]:
    """Names bound to rows or querysets of the table (`old = OfficialValue.objects.get()`,
    `for v in report.official_values.all()`), followed until nothing new is found."""
    aliases: set[str] = set()
    while True:
        found = set(aliases)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.NamedExpr) and node.value:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if _reaches_rows(node.value, found):
                    found |= set().union(*(_names(t) for t in targets))
            elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension) and _reaches_rows(
                node.iter, found
            ):
                found |= _names(node.target)
        if found == aliases:
            return aliases
        aliases = found


def official_writes(source: str) -> list[str]:
    """Where `source` writes official figures other than through the service."""
    tree = ast.parse(source)
    aliases = _aliases(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "OfficialValue":
                found.append(f"line {node.lineno}: builds OfficialValue rows")
            elif (
                isinstance(func, ast.Attribute)
                and func.attr in WRITES
                and _reaches_rows(func.value, aliases)
            ):
                found.append(f"line {node.lineno}: .{func.attr}() on official figures")
            elif _name(func) not in NOT_WRITERS and any(
                isinstance(a, ast.Name) and a.id == "OfficialValue" for a in node.args
            ):
                found.append(f"line {node.lineno}: hands the OfficialValue model to a writer")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and RAW_SQL.search(node.value)
        ):
            found.append(f"line {node.lineno}: SQL writing reporting_officialvalue")
    return found


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIPPED_DIRS & set(relative.parts[:-1]) or relative.name == "conftest.py":
            continue
        yield relative.as_posix(), path


def test_no_module_but_the_official_figures_service_writes_official_figures():
    writers = {
        name: found
        for name, path in _modules()
        if name != THE_WRITER and name not in EXEMPT
        for found in [official_writes(path.read_text(encoding="utf-8"))]
        if found
    }
    assert writers == {}


def test_the_service_itself_is_found_writing():
    assert official_writes((ROOT / THE_WRITER).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "source",
    [
        "OfficialValue.objects.create(unit=u, value=1)",
        "OfficialValue.objects.filter(report=r).update(withdrawn_at=now)",
        "rows = OfficialValue.objects.filter(unit=u)\nrows.delete()",
        "for v in report.official_values.all():\n    v.withdrawn_at = now\n    v.save()",
        "values = [OfficialValue(unit=u) for u in units]",
        "_insert(OfficialValue, COLUMNS, rows)",
        "cursor.execute('UPDATE reporting_officialvalue SET withdrawn_at = %s', [now])",
    ],
)
def test_each_way_of_writing_official_figures_is_found(source):
    assert official_writes(source)


@pytest.mark.parametrize(
    "source",
    [
        "OfficialValue.objects.filter(unit=u).values_list('value', flat=True)",
        "official_withdraw(OfficialValue.objects.filter(report=r), at=now)",
        "Report.objects.filter(pk__in=OfficialValue.objects.values('report')).update(x=1)",
        "isinstance(obj, OfficialValue)",
        "official = models.OneToOneField(OfficialValue, on_delete=models.PROTECT)",
    ],
)
def test_reading_official_figures_or_calling_the_service_is_not_writing(source):
    assert official_writes(source) == []
