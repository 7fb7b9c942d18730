"""Cutting a notice into its programmes (专案) and their sections.

Notices number their programmes with headings (一、… 专案; or （一）… under a 主要任务
heading) or run them on in one paragraph separated by ；. A heading is a short line; a
paragraph that starts like a heading but goes on with sentences (一、总体要求。坚持…) is
body text. Requirements and standards sections (工作要求, 建设标准) are kept apart: they
describe how, not how much, so targets are not drafted from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drafting.notice import Notice, Paragraph, Table
from drafting.numerals import chinese_int

L1 = re.compile(r"^([一二三四五六七八九十]+)、\s*(.+)$")
L2 = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*(.+)$")
L3 = re.compile(r"^(\d+)[.．、]\s*(.+)$")
# Words that name a programme in a heading.
PROGRAMME_WORDS = ("专案", "行动", "实事", "工程", "项目", "活动", "计划", "专项")
# A section whose heading says it is about manner, not amount.
MANNER_WORDS = ("要求", "原则", "标准", "保障")
RUN_ON_ITEM = re.compile(r"(?:^|[；;：:]\s*)[（(]?([一二三四五六七八九十\d]+)[）)、.．]\s*")


@dataclass
class Passage:
    """A paragraph of a programme, with the section it stands in."""

    paragraph: Paragraph
    section: str  # the heading of the section (and sub-section), "" before the first
    manner: bool  # in a requirements or standards section


@dataclass
class Segment:
    number: int
    title: str
    heading: Paragraph
    passages: list[Passage] = field(default_factory=list)
    tables: list[tuple[Table, str, str]] = field(default_factory=list)  # table, label, title

    @property
    def text(self) -> str:
        return "\n".join(p.paragraph.text for p in self.passages)

    def mentions(self, title: str) -> bool:
        """The programme's text names `title` (a table's), other than as its caption."""
        wanted = _squash(title)
        return any(
            wanted in _squash(p.paragraph.text) and _squash(p.paragraph.text) != wanted
            for p in self.passages
        )


def heading_title(text: str, pattern: re.Pattern) -> str | None:
    """The title of a heading line, or None when the line is a paragraph of body text."""
    match = pattern.match(text)
    if not match:
        return None
    title = match[2].strip().rstrip("。")
    if len(title) > 60 or "。" in title:
        return None
    return title


def _numeral(text: str) -> int | None:
    return int(text) if text.isdigit() else chinese_int(text)


def segment(notice: Notice) -> list[Segment]:
    for pattern in (L1, L2):
        segments = _by_headings(notice, pattern)
        if len(segments) >= 2:
            return _place_tables(notice, segments)
    run_on = _run_on(notice)
    if run_on:
        return run_on
    return _place_tables(notice, _by_headings(notice, L1, any_title=True))


def _by_headings(notice: Notice, pattern: re.Pattern, any_title: bool = False) -> list[Segment]:
    segments: list[Segment] = []
    current: Segment | None = None
    sections = {"l2": "", "l3": ""}
    manner = {"l2": False, "l3": False}
    for block in notice.blocks:
        if isinstance(block, Table):
            continue
        title = heading_title(block.text, pattern)
        if title is not None:
            is_programme = any_title or any(w in title for w in PROGRAMME_WORDS)
            number = _numeral(pattern.match(block.text)[1])
            if is_programme and number is not None:
                current = Segment(number=number, title=title, heading=block)
                segments.append(current)
                sections.update(l2="", l3="")
                manner.update(l2=False, l3=False)
                continue
            if pattern is L1 or segments:
                current = None if pattern is L1 else current
        if current is None:
            continue
        sub = heading_title(block.text, L2) if pattern is L1 else None
        if sub is not None:
            sections.update(l2=sub, l3="")
            manner.update(l2=any(w in sub for w in MANNER_WORDS), l3=False)
        else:
            small = heading_title(block.text, L3)
            if small is not None and len(small) <= 16:
                sections["l3"] = small
                manner["l3"] = any(w in small for w in MANNER_WORDS)
        section = " ".join(s for s in (sections["l2"], sections["l3"]) if s)
        current.passages.append(
            Passage(paragraph=block, section=section, manner=manner["l2"] or manner["l3"])
        )
    return segments


def _run_on(notice: Notice) -> list[Segment]:
    """One paragraph listing the programmes: （一）…；（二）…； or 1.…；2.…"""
    for block in notice.paragraphs:
        items = list(RUN_ON_ITEM.finditer(block.text))
        if len(items) < 3:
            continue
        segments = []
        for i, match in enumerate(items):
            end = items[i + 1].start() if i + 1 < len(items) else len(block.text)
            body = block.text[match.end() : end].strip("；;。 ")
            number = _numeral(match[1])
            if number is None or not body:
                continue
            title = re.split(r"[，,：:。]", body, maxsplit=1)[0]
            piece = Paragraph(index=block.index, text=body)
            segment = Segment(number=number, title=title, heading=piece)
            segment.passages.append(Passage(paragraph=piece, section="", manner=False))
            segments.append(segment)
        numbers = [s.number for s in segments]
        if len(segments) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers))):
            return _place_tables(notice, segments)
    return []


ATTACHMENT = re.compile(r"^附件\s*[:：]?\s*(\d*)\s*$")


def _place_tables(notice: Notice, segments: list[Segment]) -> list[Segment]:
    """Each table goes to the programme that names it (its title or 附件N), else to the
    programme it stands in."""
    if not segments:
        return segments
    starts = [s.heading.index for s in segments]
    for position, block in enumerate(notice.blocks):
        if not isinstance(block, Table):
            continue
        label, title = _caption(notice, position)
        owner = None
        if title:
            named = [s for s in segments if s.mentions(title)]
            if len(named) == 1:
                owner = named[0]
        if owner is None:
            before = [s for s, start in zip(segments, starts, strict=True) if start < block.index]
            owner = before[-1] if before else segments[0]
        owner.tables.append((block, label, title))
    return segments


def _caption(notice: Notice, position: int) -> tuple[str, str]:
    """The 附件 label and the title printed above a table (up to three lines up)."""
    label, title = "", ""
    for block in reversed(notice.blocks[max(0, position - 3) : position]):
        if not isinstance(block, Paragraph):
            break
        match = ATTACHMENT.match(block.text)
        if match:
            label = f"附件{match[1]}"
            break
        if title or len(block.text) > 60 or re.search(r"[。；]", block.text):
            break
        title = block.text
    return label, title


def _squash(text: str) -> str:
    return re.sub(r"[\s“”\"《》]", "", text)
