"""Reading a programme's indicators and the allocation tables that share them out."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from plans.planfile.data import (
    COMPARATORS,
    PERIODS,
    IndicatorSpec,
    ProgrammeSpec,
    RowSpec,
    TableSpec,
)
from plans.planfile.printed import (
    COMPARATOR_WORDS,
    DISPLAY_MEASURES,
    MAGNITUDES,
    MONEY,
    Printed,
    PrintedInvalid,
    display_measure,
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
                "part_of",
                "shown_in",
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
            part_of=self._text(d.get("part_of"), f"{loc}.part_of", required=False),
            display_measure=self._shown_in(d.get("shown_in"), loc, measure, printed, d),
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

    def parts(self, programmes: list[ProgrammeSpec]) -> None:
        """`part_of` (其中): 筹集资金1000万元，其中200万元用于… The whole is an indicator of the
        same programme, in the same measure, itself no part (one level); neither a part's target
        nor the parts' together may exceed the whole's. A part is shown in its whole's measure
        (万元) unless its own target says otherwise."""
        found: dict[str, tuple[int, int, IndicatorSpec]] = {}
        for pi, p in enumerate(programmes):
            for j, i in enumerate(p.indicators):
                found.setdefault(i.code, (pi, j, i))
        parts: dict[str, list[IndicatorSpec]] = {}
        for pi, p in enumerate(programmes):
            for j, i in enumerate(p.indicators):
                if not i.part_of:
                    continue
                loc = f"programmes[{pi}].indicators[{j}]"
                if i.part_of not in found:
                    self.fail(f"{loc}.part_of", f"没有代码为「{i.part_of}」的指标")
                    continue
                wpi, _wj, whole = found[i.part_of]
                if cycle := _cycle(i, {code: spec for code, (_a, _b, spec) in found.items()}):
                    self.fail(
                        f"{loc}.part_of",
                        f"其中项首尾相连（{' → '.join(cycle)}）：一个指标不能是自己的其中项",
                    )
                elif whole.part_of:
                    self.fail(
                        f"{loc}.part_of",
                        f"指标「{whole.code}」本身是「{whole.part_of}」的其中项，其中项只能有一层"
                        f"（可写 part_of: {whole.part_of}）",
                    )
                elif wpi != pi:
                    self.fail(
                        f"{loc}.part_of",
                        f"指标「{whole.code}」在专案{programmes[wpi].number}中：其中项应与所属"
                        "指标写在同一专案",
                    )
                elif whole.measure != i.measure:
                    self.fail(
                        f"{loc}.measure",
                        f"计量单位「{i.measure}」与所属指标「{whole.code}」的「{whole.measure}」"
                        "不同：其中项应与所属指标同一计量单位",
                    )
                else:
                    parts.setdefault(whole.code, []).append(i)
                    # A part is shown beside its whole, in the same measure (其中600万元).
                    i.display_measure = i.display_measure or whole.display_measure
                    part, of = _value(i), _value(whole)
                    if part is not None and of is not None and part > of:
                        self.fail(
                            f"{loc}.target",
                            f"其中项目标 {_amount(part, i)} 大于所属指标"
                            f"「{whole.code}」的目标 {_amount(of, whole)}",
                        )
        for code, items in parts.items():
            wpi, wj, whole = found[code]
            values = [v for i in items if (v := _value(i)) is not None]
            if len(values) > 1 and _value(whole) is not None and sum(values) > _value(whole):
                self.fail(
                    f"programmes[{wpi}].indicators[{wj}].target",
                    f"其中项（{'、'.join(i.code for i in items)}）的目标合计 "
                    f"{_amount(sum(values), whole)} 大于本指标目标 {_amount(_value(whole), whole)}",
                )

    def _shown_in(
        self, value: Any, loc: str, measure: str, printed: Printed | None, d: dict
    ) -> str:
        """The measure the target is shown in: 万元 or 亿元 as the target is printed
        (1000万元), or as `shown_in` says for a target written in 元; "" for `measure`."""
        from_target = display_measure(printed, measure) if printed is not None else ""
        if value is None:
            return from_target
        shown = self._text(value, f"{loc}.shown_in")
        if not shown:
            return ""  # said by _text
        choices = "或".join(f"「{m}」" for m in DISPLAY_MEASURES)
        if measure != MONEY:
            self.fail(
                f"{loc}.shown_in",
                f"只有 measure 为「{MONEY}」的金额指标可写 shown_in（{choices}），"
                f"本指标的计量单位是「{measure}」",
            )
            return ""
        if shown not in DISPLAY_MEASURES:
            self.fail(f"{loc}.shown_in", f"「{shown}」不能作显示单位：只能写{choices}")
            return ""
        if isinstance(d.get("target"), str) and "/" in d["target"]:
            self.fail(f"{loc}.shown_in", "分数目标没有计量单位可换算，请去掉 shown_in")
            return ""
        if from_target and shown != from_target:
            self.fail(
                f"{loc}.shown_in",
                f"与 target「{d.get('target')}」的写法不一致（{shown} ≠ {from_target}）："
                "请只写一处",
            )
        return shown

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


def _value(spec: IndicatorSpec) -> Decimal | None:
    """The target as one number (a fraction divided out); None without one."""
    return None if spec.target is None else spec.target / spec.target_denominator


def _amount(value: Decimal, spec: IndicatorSpec) -> str:
    """`value` as the notice prints it, in the indicator's shown measure: 1,000 万元."""
    shown = value / DISPLAY_MEASURES.get(spec.display_measure, Decimal(1))
    text = f"{int(shown):,}" if shown == shown.to_integral_value() else f"{shown.normalize():,}"
    return f"{text} {spec.display_measure or spec.measure}"


def _cycle(spec: IndicatorSpec, by_code: dict[str, IndicatorSpec]) -> list[str]:
    """The codes round a loop of `part_of` that returns to `spec` ([] when none does)."""
    codes = [spec.code]
    current = spec
    while current.part_of in by_code and len(codes) <= len(by_code):
        current = by_code[current.part_of]
        codes.append(current.code)
        if current.code == spec.code:
            return codes
    return []
