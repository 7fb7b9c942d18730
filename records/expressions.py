"""The small formula language of form definitions: computed fields, row rules and standards.

A plan file says `children >= 20` or `attendance / (children * working_days) * 100`; field codes
are the names. Formulas are parsed once with Python's `ast` and interpreted here over a
whitelist of node types, never passed to `eval`, so a plan file cannot run code.

A formula that touches a blank field is *undecided* (`Undecided` is raised): a row rule then
does not apply, while a standard counts as not met, because a standard cannot be shown met by
a missing figure.
"""

from __future__ import annotations

import ast
import datetime as dt
from calendar import monthrange
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation
from typing import Any

ATTRIBUTES = {"start", "end", "lat", "lng"}


class FormulaError(ValueError):
    """The formula itself is wrong (reported with the plan file's location)."""


class Undecided(Exception):
    """A value the formula needs is blank, or it divides by zero."""

    def __init__(self, names: set[str]):
        self.names = names
        super().__init__(", ".join(sorted(names)))


def _number(value: Any) -> Any:
    """Integers become Decimal so arithmetic on counts and money mixes exactly."""
    return Decimal(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _count(value: Any) -> int:
    if value is None:
        return 0
    return len(value) if isinstance(value, (list, tuple)) else 1


def _has(value: Any, item: str) -> bool:
    return item in (value or [])


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _months_later(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or that month's last day when it is shorter."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    last = monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def _months(span: Mapping[str, dt.date]) -> int:
    """Whole calendar months a range covers, both ends included: 5月15日–7月14日 is two
    months, 5月15日–7月13日 one (the notice's 不少于2个月)."""
    start, end = span["start"], span["end"]
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    while months > 0 and _months_later(start, months) - dt.timedelta(days=1) > end:
        months -= 1
    return max(months, 0)


@dataclass(frozen=True)
class Function:
    call: Callable[..., Any]
    arity: int
    # Functions that see a blank argument as a value (count, present) rather than undecided.
    accepts_blank: bool = False
    needs_calendar: bool = False


FUNCTIONS: dict[str, Function] = {
    "present": Function(lambda v: v not in (None, "", [], {}), 1, accepts_blank=True),
    "blank": Function(lambda v: v in (None, "", [], {}), 1, accepts_blank=True),
    "count": Function(_count, 1, accepts_blank=True),
    "has": Function(_has, 2, accepts_blank=True),
    "days": Function(lambda r: (r["end"] - r["start"]).days + 1, 1),
    "working_days": Function(None, 1, needs_calendar=True),
    "months": Function(_months, 1),
    "date": Function(_date, 1),
    "min": Function(min, 2),
    "max": Function(max, 2),
}

_COMPARE = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_ARITHMETIC = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


class Formula:
    """A parsed formula and the field codes it reads."""

    def __init__(self, source: str, *, known_names: set[str] | None = None):
        self.source = str(source).strip()
        try:
            tree = ast.parse(self.source, mode="eval")
        except SyntaxError as exc:
            raise FormulaError(f"公式「{self.source}」写法有误") from exc
        self.names: set[str] = set()
        self._check(tree.body)
        if known_names is not None:
            unknown = sorted(self.names - known_names)
            if unknown:
                raise FormulaError(f"公式「{self.source}」用到了不存在的字段：{'、'.join(unknown)}")
        self._tree = tree.body

    def __repr__(self) -> str:
        return f"Formula({self.source!r})"

    # -- checking the shape once, at load time -----------------------------------------------
    def _check(self, node: ast.AST) -> None:
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                self._check(value)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
            self._check(node.operand)
        elif isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
            self._check(node.left)
            self._check(node.right)
        elif isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
            self._check(node.left)
            for comparator in node.comparators:
                self._check(comparator)
        elif isinstance(node, ast.Name):
            if node.id not in ("True", "False"):
                self.names.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool)):
            pass
        elif isinstance(node, (ast.List, ast.Tuple)):
            for element in node.elts:
                self._check(element)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.attr not in ATTRIBUTES:
                raise FormulaError(f"公式「{self.source}」中的「.{node.attr}」不可用")
            self._check(node.value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            function = FUNCTIONS.get(node.func.id)
            if function is None:
                raise FormulaError(
                    f"公式「{self.source}」中的函数「{node.func.id}」不可用"
                    f"（可用：{'、'.join(FUNCTIONS)}）"
                )
            if len(node.args) != function.arity or node.keywords:
                raise FormulaError(
                    f"公式「{self.source}」中的函数「{node.func.id}」需要 {function.arity} 个参数"
                )
            for arg in node.args:
                self._check(arg)
        else:
            raise FormulaError(f"公式「{self.source}」含有不支持的写法")

    # -- evaluating --------------------------------------------------------------------------
    def evaluate(self, values: Mapping[str, Any], *, calendar=None) -> Any:
        return _Evaluator(values, calendar).run(self._tree)


class _Evaluator:
    def __init__(self, values: Mapping[str, Any], calendar) -> None:
        self.values = values
        self.calendar = calendar

    def run(self, node: ast.AST) -> Any:
        value = self.visit(node)
        return value

    def visit(self, node: ast.AST, *, blank_ok: bool = False) -> Any:
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value)) if type(node.value) in (int, float) else node.value
        if isinstance(node, ast.Name):
            if node.id in ("True", "False"):
                return node.id == "True"
            value = self.values.get(node.id)
            if value in (None, "") and not blank_ok:
                raise Undecided({node.id})
            return (
                Decimal(value) if isinstance(value, int) and not isinstance(value, bool) else value
            )
        if isinstance(node, ast.Attribute):
            base = self.visit(node.value)
            if not isinstance(base, Mapping) or base.get(node.attr) is None:
                raise Undecided({getattr(node.value, "id", "?")})
            return base[node.attr]
        if isinstance(node, (ast.List, ast.Tuple)):
            return [self.visit(e) for e in node.elts]
        if isinstance(node, ast.UnaryOp):
            operand = self.visit(node.operand)
            return (not operand) if isinstance(node.op, ast.Not) else -operand
        if isinstance(node, ast.BoolOp):
            return self._bool(node)
        if isinstance(node, ast.BinOp):
            left, right = self.visit(node.left), self.visit(node.right)
            try:
                return _ARITHMETIC[type(node.op)](left, right)
            except (DivisionByZero, InvalidOperation, ZeroDivisionError) as exc:
                raise Undecided(set()) from exc
        if isinstance(node, ast.Compare):
            left = self.visit(node.left)
            for op, right_node in zip(node.ops, node.comparators, strict=True):
                right = self.visit(right_node)
                if not _COMPARE[type(op)](left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.Call):
            return self._call(node)
        raise FormulaError("unsupported node")  # _check already refused it

    def _bool(self, node: ast.BoolOp) -> bool:
        # `or` is decided as soon as one side is true, even if another side is undecided:
        # `mode == '线下' or present(platform)` holds for offline rows without a platform.
        undecided: set[str] = set()
        is_and = isinstance(node.op, ast.And)
        for value_node in node.values:
            try:
                value = bool(self.visit(value_node))
            except Undecided as exc:
                undecided |= exc.names
                continue
            if is_and and not value:
                return False
            if not is_and and value:
                return True
        if undecided:
            raise Undecided(undecided)
        return is_and

    def _call(self, node: ast.Call) -> Any:
        function = FUNCTIONS[node.func.id]
        args = [self.visit(a, blank_ok=function.accepts_blank) for a in node.args]
        if function.needs_calendar:
            (span,) = args
            if self.calendar is None:
                raise Undecided(set())
            return Decimal(self.calendar.working_days(span["start"], span["end"]))
        result = function.call(*args)
        return (
            Decimal(result) if isinstance(result, int) and not isinstance(result, bool) else result
        )
