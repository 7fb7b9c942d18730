"""Targets as notices print them: 200项以上, 超过70万人, 300万元以上, 1000名左右, 三分之一以上,
每个单位至少组织一场, 各县（市、区）总工会组织5-10场.

A target is a number with a measure word. What the number counts is the phrase around it;
how it is read is the word before or after it (以上, 不少于, 超过, 左右, 近, 约). A sentence
that gives a number to each unit (每个单位, 各县（市、区）, 各地) drafts a per-unit rule, not a
plan-wide target. Limits (不超过2000元), durations (2个月) and dates are not targets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from drafting.numerals import NUMERAL_CHARS, number

# Longest first, so 人次 is not read as 人.
MEASURES = (
    "万元", "亿元", "人次", "场次", "平方米", "元", "人", "名", "家", "个", "项", "份", "场",
    "次", "户", "支", "所", "篇", "期", "批", "样", "处", "座", "套", "件", "条", "场所",
)  # fmt: skip
BEFORE = {
    "不少于": "gte", "不低于": "gte", "至少": "gte", "超过": "gt", "约": "about", "近": "near",
    "达到": "eq", "力争": "eq",
}  # fmt: skip
AFTER = {"以上": "gte", "左右": "about"}
_NUM = rf"\d[\d,，]*(?:\.\d+)?|[{NUMERAL_CHARS}]+"
_MEASURE = "|".join(sorted(MEASURES, key=len, reverse=True))
TARGET = re.compile(
    rf"(?<![不得])(?P<before>{'|'.join(BEFORE)})?\s*"
    rf"(?:(?P<low>{_NUM})\s*[-—－~～至到]\s*)?"
    rf"(?P<num>{_NUM})\s*(?P<mag>[万亿](?!元))?\s*"
    rf"(?P<measure>{_MEASURE})(?P<after>以上|左右)?"
)
RATIO = re.compile(
    rf"(?P<before>{'|'.join(BEFORE)})?(?P<num>[一二三四五六七八九十]+)分之(?P<part>[一二三四五六七八九十]+)"
    r"(?P<after>以上|左右)?|(?P<pct>\d+(?:\.\d+)?)[%％](?P<pafter>以上|左右)?"
)
# Not a target when the measure word is followed by these (2个月, 20个工作日, 1名工会干部…).
NOT_COUNT_AFTER = ("月", "工作日", "小时", "年", "季度", "星期", "周", "以内", "同时")
LIMIT_WORDS = ("不超过", "不高于", "不得超过", "以内")
PER_UNIT = re.compile(
    r"(每个单位|每家单位|每单位|每个县[（(]市、区[）)]|各县[（(]市、区[）)]总工会|各县[（(]市、区[）)]"
    r"|各县区|各地|各单位)"
)
SCOPE_OF = {
    "每个单位": None, "每家单位": None, "每单位": None, "各单位": None,
    "各地": ("county_city", "county", "district"),
    "各县区": ("county_city", "county", "district"),
}  # fmt: skip
# Clauses end at punctuation; a comma between digits is a thousands separator (8,500).
CLAUSE = re.compile(r"(?:[^，。；：,;:]|(?<=\d)[,，](?=\d{3}))+")
QUALIFIED = ("企业", "新建企业", "单位", "规模")
LIST_HEAD = re.compile(r"^\s*(?:\d+[.．、]|[（(]\d+[）)])\s*")
# 在二、三、四季度各举办一场: one in each of the periods listed.
EACH_PERIOD = re.compile(
    r"(?P<periods>[一二三四](?:、[一二三四])+)季度各[^，。；]{0,8}?(?P<num>[一两二三\d])(?P<measure>场|次|期)"
)


@dataclass
class DraftTarget:
    name: str
    measure: str
    target: Decimal | None
    denominator: int
    comparator: str
    per_unit: dict | None
    source: str  # the clause the target was read from
    printed: str  # the figure as printed (200项以上)


def _scope(word: str) -> list[str] | None:
    if word.startswith(("各县", "每个县")):
        return ["county_city", "county", "district"]
    scope = SCOPE_OF.get(word)
    return list(scope) if scope else None


def targets_in(sentence: str) -> list[DraftTarget]:
    found: list[DraftTarget] = []
    for clause_match in CLAUSE.finditer(sentence):
        clause = LIST_HEAD.sub("", clause_match.group()).strip()
        each = EACH_PERIOD.search(clause)
        if each:
            count = (len(each["periods"].split("、"))) * int(number(each["num"]))
            found.append(
                DraftTarget(
                    name=clause[each.end() :].strip() or clause,
                    measure=each["measure"],
                    target=Decimal(count),
                    denominator=1,
                    comparator="eq",
                    per_unit=None,
                    source=clause,
                    printed=each.group(),
                )
            )
            continue
        found.extend(_ratio_targets(clause))
        for match in TARGET.finditer(clause):
            target = _read(clause, match, sentence)
            if target is not None:
                found.append(target)
    return found


def _read(clause: str, match: re.Match, sentence: str) -> DraftTarget | None:
    rest = clause[match.end() :]
    if rest.startswith(NOT_COUNT_AFTER) or match["measure"] == "个" and rest.startswith("月"):
        return None
    head = clause[: match.start()]
    if head.endswith(LIMIT_WORDS) or rest.startswith("以内"):
        return None
    value = number(match["num"])
    if value is None:
        return None
    arabic = match["num"][0].isdigit()
    per = PER_UNIT.search(head)
    if match["after"] and rest.startswith(QUALIFIED):
        return None  # 25人以上企业: a size that qualifies a noun, not a target
    if re.search(r"分\s*$", head) and match["measure"] == "批":
        return None  # 分3批: how it is done, not how much
    if not arabic and not (per or match["before"]):
        return None  # 一场讲座, 一批基地: words, not a target, unless a rule says so
    if match["mag"]:
        value *= Decimal(10_000 if match["mag"] == "万" else 100_000_000)
    measure = match["measure"]
    if measure in ("万元", "亿元"):
        value *= Decimal(10_000 if measure == "万元" else 100_000_000)
        measure = "元"
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value
    if measure == "元" and value < 1:
        return None  # a fare or a price (0.01元乘车), not an amount to reach
    comparator = BEFORE.get(match["before"] or "") or AFTER.get(match["after"] or "") or "eq"
    if match["after"] and match["before"] in (None, "力争", "达到"):
        comparator = AFTER[match["after"]]
    name = _name(head, rest, match)
    per_unit = None
    low = number(match["low"]) if match["low"] else None
    if per or low is not None:
        rule: dict = {}
        if low is not None:
            rule = {"min": _plain(low), "max": _plain(value)}
        elif comparator in ("gte", "gt") or re.search(r"至少|不少于|不低于", head):
            rule = {"min": _plain(value)}
        else:
            rule = {"min": _plain(value), "max": _plain(value)}
        scope = _scope(per[1]) if per else None
        if scope:
            rule["scope"] = scope
        per_unit = rule
    return DraftTarget(
        name=name,
        measure=measure,
        target=None if per_unit else value,
        denominator=1,
        comparator="eq" if per_unit else comparator,
        per_unit=per_unit,
        source=clause,
        printed=match.group().strip(),
    )


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


_LEAD = re.compile(
    r"^(?:\d{4}年(?:度)?|全年|全市|全市工会系统|全市各级工会|全市工会|各级工会|市总本级|市总工会|"
    r"市总|年内|今年|进一步|继续|推动|力争|组织开展|组织|开展|实现|完成|动员|帮助|支持|"
    r"在全市范围内|累计|新|共|的)+"
)


def _name(head: str, rest: str, match: re.Match) -> str:
    """What the number counts: the phrase after the figure (200项以上技能竞赛), else the one
    before it (各类竞赛覆盖职工超过70万人)."""
    after = re.sub(r"^(的|以上)", "", rest).strip()
    before = _LEAD.sub("", head.strip()).strip()
    before = re.sub(r"(?:，|、)$", "", before)
    if len(after) >= 2:
        return after if not before or len(before) > 12 else f"{before}{after}"
    return before or after or match.group()


def _ratio_targets(clause: str) -> list[DraftTarget]:
    found = []
    for match in RATIO.finditer(clause):
        if match["pct"]:
            head = clause[: match.start()]
            if head.endswith(LIMIT_WORDS) or re.search(r"不高于|不超过", head[-8:]):
                continue
            value, denominator = Decimal(match["pct"]), 100
            comparator = AFTER.get(match["pafter"] or "", "eq")
        else:
            parts, whole = number(match["part"]), number(match["num"])
            if parts is None or whole is None:
                continue
            value, denominator = parts, int(whole)
            comparator = (
                BEFORE.get(match["before"] or "") if match["before"] not in (None, "力争") else None
            ) or AFTER.get(match["after"] or "", "eq")
        head, rest = clause[: match.start()], clause[match.end() :]
        name = _LEAD.sub("", head).strip() + re.sub(r"^(以上|左右)", "", rest).strip()
        found.append(
            DraftTarget(
                name=name or match.group(),
                measure="比例",
                target=value,
                denominator=denominator,
                comparator=comparator,
                per_unit=None,
                source=clause,
                printed=match.group(),
            )
        )
    return found
