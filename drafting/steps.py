"""Dated steps as notices write them, turned into the plan file's date rules (`when`).

4月15日前 → {due: 2022-04-15}; 4月底前 → {due: 2022-04}; 年底前 → {due: 2022};
5月中下旬 → {start: 2022-05-mid, end: 2022-05-late}; 3月至5月 → {start: 2022-03, end: 2022-05};
全年 → the whole year; 每季度 → quarterly; 单项活动结束后一周内 → 7 days after each activity;
适时 → a step without a date (kept, to be dated by the department). The year is the plan's
unless the text prints one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_Y = r"(?:(?P<{n}y>\d{{4}})年)?"
_PARTS = "上中旬|中下旬|上旬|中旬|下旬|初|中|底|末|份"
_P = r"(?P<{n}m>\d{{1,2}})月(?:(?P<{n}d>\d{{1,2}})[日号]|(?P<{n}p>" + _PARTS + "))?"
_DAY = r"(?P<{n}d>\d{{1,2}})[日号]"


def _point(n: str) -> str:
    return _Y.format(n=n) + _P.format(n=n)


RANGE = re.compile(
    _point("a") + r"\s*(?:至|到|—|－|-|~|～|–)\s*(?:" + _point("b") + "|" + _DAY.format(n="c") + ")"
)
# 6月15日、11月25日前: several deadlines, one 前 for all.
DATE_LIST = re.compile(r"\d{1,2}月\d{1,2}日(?:、\d{1,2}月\d{1,2}日)+之?前")
DEADLINE = re.compile(_point("a") + r"(?P<before>前后|之?前)")
POINT = re.compile(_point("a"))
YEAR_END = re.compile(r"(?:(?P<y>\d{4})\s*年)?(?:年底前|年底|年内|年末)")
WHOLE_YEAR = re.compile(r"(?:(?P<y>\d{4})\s*年)?全年")
QUARTERLY = re.compile(r"每季度|每个季度")
MONTHLY = re.compile(r"每月")
RELATIVE = re.compile(r"结束后(?:(?P<n>\d+)日|一周|(?P<w>\d+)周)内")
TIMELY = re.compile(r"适时")
STARTING = re.compile(r"(?P<m>\d{1,2})月(?:份)?(?:开始|起)")
PART = {"上旬": "early", "初": "early", "中旬": "mid", "中": "mid", "下旬": "late", "底": "late",
        "末": "late", "份": None, None: None, "上中旬": "early", "中下旬": "mid"}  # fmt: skip
PART_END = {"上中旬": "mid", "中下旬": "late"}


@dataclass
class DraftStep:
    when: dict | None  # the plan file's rule; None for 适时
    printed: str  # the date as printed
    start: int  # where in the sentence the date is
    end: int


def _pt(match: re.Match, n: str, year: int, *, as_end: bool) -> str:
    y = int(match[f"{n}y"]) if match[f"{n}y"] else year
    m = int(match[f"{n}m"])
    if not 1 <= m <= 12:
        raise ValueError
    if match[f"{n}d"]:
        return f"{y}-{m:02d}-{int(match[f'{n}d']):02d}"
    part_word = match[f"{n}p"]
    part = PART_END.get(part_word) if as_end and part_word in PART_END else PART.get(part_word)
    if part_word in ("底", "末") and as_end:
        part = None  # the end of the month is the month's end
    return f"{y}-{m:02d}" + (f"-{part}" if part else "")


def dates_in(sentence: str, year: int) -> list[DraftStep]:
    """Every date expression of a sentence, left to right, without overlaps."""
    found: list[DraftStep] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match, when: dict | None) -> None:
        if any(s < match.end() and match.start() < e for s, e in taken):
            return
        taken.append((match.start(), match.end()))
        found.append(DraftStep(when, match.group(), match.start(), match.end()))

    for match in DATE_LIST.finditer(sentence):
        y = year
        days = [
            f"{y}-{int(m):02d}-{int(d):02d}"
            for m, d in re.findall(r"(\d{1,2})月(\d{1,2})日", match.group())
        ]
        add(match, {"dates": days})
    for match in RANGE.finditer(sentence):
        try:
            start = _pt(match, "a", year, as_end=False)
            if match["cd"]:
                y = int(match["ay"]) if match["ay"] else year
                end = f"{y}-{int(match['am']):02d}-{int(match['cd']):02d}"
            else:
                end = _pt(match, "b", int(match["ay"] or year), as_end=True)
        except ValueError:
            continue
        add(match, {"start": start, "end": end})
    for match in DEADLINE.finditer(sentence):
        try:
            point = _pt(match, "a", year, as_end=True)
        except ValueError:
            continue
        if match["before"] == "前后":
            around = _pt(match, "a", year, as_end=False)
            add(match, {"start": around, "end": around})
        else:
            add(match, {"due": point})
    for match in STARTING.finditer(sentence):
        add(match, {"start": f"{year}-{int(match['m']):02d}", "end": f"{year}-12"})
    for match in POINT.finditer(sentence):
        if sentence[match.end() : match.end() + 1] in ("日", "号"):
            continue
        try:
            start = _pt(match, "a", year, as_end=False)
            end = _pt(match, "a", year, as_end=True)
        except ValueError:
            continue
        if match["ap"] in ("底", "末", "初"):
            add(match, {"due": end if match["ap"] != "初" else start})  # 10月底完成, 4月初印发
            continue
        add(match, {"start": start, "end": end})
    for match in YEAR_END.finditer(sentence):
        add(match, {"due": int(match["y"] or year)})
    for match in WHOLE_YEAR.finditer(sentence):
        y = int(match["y"] or year)
        add(match, {"start": f"{y}-01", "end": f"{y}-12"})
    for match in QUARTERLY.finditer(sentence):
        begin = STARTING.search(sentence[: match.start()]) or re.search(
            r"从(?P<m>\d{1,2})月", sentence
        )
        first = f"{year}-{int(begin['m']):02d}" if begin else f"{year}-01"
        add(match, {"recurring": "quarterly", "start": first, "end": f"{year}-12"})
    for match in MONTHLY.finditer(sentence):
        add(match, {"recurring": "monthly", "start": f"{year}-01", "end": f"{year}-12"})
    for match in RELATIVE.finditer(sentence):
        days = int(match["n"]) if match["n"] else 7 * int(match["w"] or 1)
        add(match, {"relative": "activity_end", "days": days})
    if not found:  # 5月至9月…要适时进行检查: the sentence is dated; 适时 says how often
        for match in TIMELY.finditer(sentence):
            add(match, None)
    found.sort(key=lambda step: step.start)
    for i, step in enumerate(found):
        # 6月开始全面推进，11月初进行总结: the work runs until the next date the sentence names
        if step.when and "起" not in step.printed and step.printed.endswith("开始"):
            later = next((s.when for s in found[i + 1 :] if s.when), None)
            point = later and (later.get("start") or later.get("due"))
            if isinstance(point, str):
                step.when["end"] = point
    if any(step.when and "recurring" in step.when for step in found):
        # 从4月起…每季度: the start belongs to the recurrence, it is not a step of its own
        found = [
            s
            for s in found
            if not (
                s.when
                and s.when.get("end") == f"{year}-12"
                and "recurring" not in s.when
                and "起" in s.printed
            )
        ]
    return sorted(found, key=lambda step: step.start)
