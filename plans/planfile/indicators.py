"""Reading a programme's indicators and the allocation tables that share them out."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from plans.planfile.data import COMPARATORS, PERIODS, IndicatorSpec, RowSpec, TableSpec
from plans.planfile.printed import (
    COMPARATOR_WORDS,
    MAGNITUDES,
    Printed,
    PrintedInvalid,
    measure_matches,
    read_printed,
)


class IndicatorReading:
    """Part of the plan file's reader (`plans.planfile.spec`): its indicators and tables."""

    def indicator(self, value: Any, loc: str, order: int) -> IndicatorSpec:
        d = self._mapping(
            value,
            loc,
            {
                "code",
                "name",
                "measure",
                "target",
                "comparator",
                "due",
                "period",
                "per_unit",
                "source_text",
                "serves",
                "contributors",
            },
            {"code", "name", "measure"},
        )
        code = self._text(d.get("code"), f"{loc}.code")
        if code in self._indicator_codes:
            self.fail(f"{loc}.code", f"指标代码「{code}」重复")
        self._indicator_codes.add(code)
        measure = self._text(d.get("measure"), f"{loc}.measure")
        if measure[:1] in MAGNITUDES and measure[1:]:
            # Money is kept in 元, people in 人: a target of 200 in 万元 would be read as 200.
            self.fail(
                f"{loc}.measure",
                f"计量单位请写「{measure[1:]}」，不要写「{measure}」：数量按基本单位保存；"
                f"目标可照原文写，如 target: 200{measure}",
            )
        target, denominator, printed = self._target(d.get("target"), f"{loc}.target", measure)
        written = d.get("comparator")
        # The notice's own words are accepted for the comparator (以上, 超过, 左右…).
        written = COMPARATOR_WORDS.get(written, written) if isinstance(written, str) else written
        comparator = self._choice(written, f"{loc}.comparator", COMPARATORS, "eq")
        if printed is not None and printed.comparator:
            if written is None:
                comparator = printed.comparator
            elif written != printed.comparator:
                self.fail(
                    f"{loc}.comparator",
                    f"与 target「{d.get('target')}」中的限定词不一致"
                    f"（{written} ≠ {printed.comparator}）",
                )
        elif d.get("target") is not None and written is None and printed is None:
            self.fail(
                f"{loc}.comparator",
                "有目标值时必须写明比较方式（gte/gt/about/eq，或以上/超过/左右/无）",
            )
        per_unit = d.get("per_unit")
        per_min = per_max = None
        scope: list[str] = []
        if per_unit is not None:
            pu = self._mapping(per_unit, f"{loc}.per_unit", {"scope", "min", "max"}, {"scope"})
            per_min = self._number(pu.get("min"), f"{loc}.per_unit.min")
            per_max = self._number(pu.get("max"), f"{loc}.per_unit.max")
            scope = self._scope(pu.get("scope"), f"{loc}.per_unit.scope")
            if per_min is None and per_max is None:
                self.fail(f"{loc}.per_unit", "至少写明 min 或 max")
            if per_min is not None and per_max is not None and per_min > per_max:
                self.fail(f"{loc}.per_unit", "min 大于 max")
        if d.get("contributors") is not None:
            # A whole-city target every unit in scope helps reach, with no share each (全市
            # 筹集帮扶资金300万元): they report progress on it; nothing is judged per unit.
            if per_unit is not None:
                self.fail(f"{loc}.contributors", "per_unit 与 contributors 只能写一个")
            else:
                scope = self._scope(d.get("contributors"), f"{loc}.contributors")
                if not scope:
                    self.fail(f"{loc}.contributors", "请写明参与完成的单位范围")
        return IndicatorSpec(
            code=code,
            order=order,
            name=self._text(d.get("name"), f"{loc}.name"),
            measure=measure,
            target=target,
            target_denominator=denominator,
            comparator=comparator,
            due=self._date(d.get("due"), f"{loc}.due"),
            period=self._choice(d.get("period"), f"{loc}.period", PERIODS, "monthly"),
            per_unit_min=per_min,
            per_unit_max=per_max,
            per_unit_scope=scope,
            source_text=self._text(d.get("source_text"), f"{loc}.source_text", required=False),
            serves=self._text(d.get("serves"), f"{loc}.serves", required=False),
            comparator_given=written is not None or bool(printed and printed.comparator),
        )

    def _target(
        self, value: Any, loc: str, measure: str
    ) -> tuple[Decimal | None, int, Printed | None]:
        """A number, a fraction ("1/3"), or the figure as the notice prints it (1000万元,
        200项以上: plans.planfile.printed), with the printed measure checked."""
        if isinstance(value, str) and "/" not in value:
            try:
                Decimal(value.strip())
            except InvalidOperation:
                try:
                    printed = read_printed(value)
                except PrintedInvalid as exc:
                    self.fail(loc, str(exc))
                    return None, 1, None
                if not measure_matches(printed.measure, measure):
                    self.fail(
                        loc,
                        f"「{value}」的计量单位「{printed.measure}」与 measure「{measure}」不同",
                    )
                return printed.value, 1, printed
        target, denominator = self._fraction(value, loc)
        return target, denominator, None

    def table(
        self, value: Any, loc: str, order: int, own_codes: set[str], used: set[str]
    ) -> TableSpec:
        d = self._mapping(
            value,
            loc,
            {"code", "attachment", "title", "columns", "rows", "total", "note"},
            {"code", "title", "columns", "rows"},
        )
        columns: list[tuple[str, str]] = []
        for i, item in enumerate(self._list(d.get("columns"), f"{loc}.columns", required=True)):
            c = self._mapping(
                item, f"{loc}.columns[{i}]", {"indicator", "header"}, {"indicator", "header"}
            )
            code = self._text(c.get("indicator"), f"{loc}.columns[{i}].indicator")
            if code and code not in own_codes:
                self.fail(
                    f"{loc}.columns[{i}].indicator", f"指标「{code}」不在本专案的 indicators 中"
                )
            elif code in used:
                self.fail(f"{loc}.columns[{i}].indicator", f"指标「{code}」已在另一列使用")
            used.add(code)
            columns.append((code, self._text(c.get("header"), f"{loc}.columns[{i}].header")))
        width = len(columns)
        rows: list[RowSpec] = []
        units_seen: dict[str, int] = {}
        for i, item in enumerate(self._list(d.get("rows"), f"{loc}.rows", required=True)):
            row = self.row(item, f"{loc}.rows[{i}]", i + 1, width)
            if row.unit and row.unit in units_seen:
                self.fail(
                    f"{loc}.rows[{i}]",
                    f"单位「{row.unit}」在本表中重复（第 {units_seen[row.unit]} 行）",
                )
            if row.unit:
                units_seen[row.unit] = i + 1
            rows.append(row)
        total = None
        if "total" in d:
            total = [
                self._number(v, f"{loc}.total[{i}]")
                for i, v in enumerate(self._list(d.get("total"), f"{loc}.total"))
            ]
            if len(total) != width:
                self.fail(f"{loc}.total", f"合计应有 {width} 个值，实际 {len(total)} 个")
        return TableSpec(
            code=self._text(d.get("code"), f"{loc}.code"),
            order=order,
            attachment=self._text(d.get("attachment"), f"{loc}.attachment", required=False),
            title=self._text(d.get("title"), f"{loc}.title"),
            columns=columns,
            rows=rows,
            total=total,
            note=self._text(d.get("note"), f"{loc}.note", required=False),
        )

    def row(self, value: Any, loc: str, number: int, width: int) -> RowSpec:
        if isinstance(value, list):
            label = self._text(value[0] if value else None, f"{loc}[0]")
            raw_values, explicit, group, note = value[1:], False, "", ""
            unit = self._resolve(label, loc) if label else None
        else:
            d = self._mapping(
                value, loc, {"label", "values", "unit", "group", "note"}, {"label", "values"}
            )
            label = self._text(d.get("label"), f"{loc}.label")
            raw_values = self._list(d.get("values"), f"{loc}.values", required=True)
            group = self._text(d.get("group"), f"{loc}.group", required=False)
            note = self._text(d.get("note"), f"{loc}.note", required=False)
            explicit = "unit" in d
            if explicit and d["unit"] is None:
                unit = None  # declared deliberately: this row is not a unit
            elif explicit:
                unit = self._resolve(self._text(d["unit"], f"{loc}.unit"), f"{loc}.unit")
            else:
                unit = self._resolve(label, loc) if label else None
            if explicit and unit and self._directory.resolve(label).unit == unit:
                explicit = False  # the label names the unit already
        if len(raw_values) != width:
            self.fail(loc, f"应有 {width} 个数值（与列数相同），实际 {len(raw_values)} 个")
        values = [self._number(v, f"{loc}[{i + 1}]") for i, v in enumerate(raw_values)]
        return RowSpec(
            number=number,
            label=label,
            values=values,
            unit=unit,
            unit_assigned=explicit and unit is not None,
            group=group,
            note=note,
        )
