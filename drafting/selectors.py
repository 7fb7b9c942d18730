"""What the drafter knows of a federation: its units (to resolve table rows) and departments."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404

from drafting import review
from drafting.models import PlanDraft
from orgs.models import Department, Unit


def federation_context(code: str | None) -> tuple[list | None, list[tuple[str, list[str]]]]:
    """(units with aliases, [(department, aliases)]) of the federation with unit code `code`;
    (None, []) without one. Raises LookupError with a Chinese message for an unknown code."""
    if not code:
        return None, []
    federation = Unit.objects.filter(code=code).first()
    if federation is None:
        raise LookupError(f"没有代码为「{code}」的工会")
    units = list(
        Unit.objects.filter(federation=federation).prefetch_related("aliases").order_by("pk")
    )
    departments = [
        (d.name, list(d.aliases)) for d in Department.objects.filter(federation=federation)
    ]
    return units, departments


def draft_list(*, actor):
    """The drafts of `actor`'s federation, newest first (plans are written by its staff)."""
    return PlanDraft.objects.filter(federation_id=actor.federation_id).select_related(
        "created_by", "plan"
    )


def draft_get(*, actor, pk: int):
    """One draft of `actor`'s federation; another federation's draft is a 404."""
    return get_object_or_404(draft_list(actor=actor), pk=pk)


@dataclass
class Highlight:
    text: str
    key: str = ""  # the item this piece of the notice is the source of


@dataclass
class NoticeBlock:
    index: int
    kind: str  # p | table
    pieces: list[Highlight] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # every item drafted from this block


def notice_view(draft: PlanDraft) -> tuple[list[NoticeBlock], dict[str, str]]:
    """The notice with each item's source marked, and each item's anchor in it: its mark
    (`src-KEY`) or, where two sources overlap, the paragraph (`para-N`)."""
    sources = [
        (item["key"], item.get("source") or "", item.get("block"))
        for kind, item, _p in review.live(draft.content)
        if kind in ("indicator", "milestone", "table")
    ]
    blocks, anchors = [], {}
    for raw in draft.notice:
        block = NoticeBlock(index=raw["index"], kind=raw["kind"], rows=raw.get("rows") or [])
        if raw["kind"] == "table":
            block.keys = [key for key, _s, at in sources if at == raw["index"]]
            for key in block.keys:
                anchors.setdefault(key, f"para-{raw['index']}")
            blocks.append(block)
            continue
        text = raw["text"]
        spans = []
        for key, source, _at in sources:
            start = text.find(source) if source else -1
            if start >= 0:
                spans.append((start, start + len(source), key))
                block.keys.append(key)
        chosen: list[tuple[int, int, str]] = []
        for span in sorted(spans, key=lambda s: s[1] - s[0]):  # the narrowest first
            if all(span[1] <= c[0] or span[0] >= c[1] for c in chosen):
                chosen.append(span)
        position = 0
        for start, end, key in sorted(chosen):
            block.pieces.append(Highlight(text[position:start]))
            block.pieces.append(Highlight(text[start:end], key))
            anchors[key] = f"src-{key}"
            position = end
        block.pieces.append(Highlight(text[position:]))
        for key in block.keys:
            anchors.setdefault(key, f"para-{raw['index']}")
        blocks.append(block)
    return blocks, anchors


def review_counts(draft: PlanDraft) -> dict[str, int]:
    counts = dict.fromkeys(review.STATES, 0)
    for _kind, item, programme in review.items(draft.content):
        state = review.DELETED if programme["state"] == review.DELETED else item["state"]
        counts[state] += 1
    return counts


def federation_units(draft: PlanDraft) -> list[Unit]:
    return list(Unit.objects.filter(federation_id=draft.federation_id).order_by("pk"))


def federation_departments(draft: PlanDraft) -> list[str]:
    return list(
        Department.objects.filter(federation_id=draft.federation_id)
        .order_by("pk")
        .values_list("name", flat=True)
    )
