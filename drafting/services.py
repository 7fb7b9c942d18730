"""Writing drafts: making one from a notice, each reviewer decision, and the plan it becomes.

Each write locks the draft row, changes its JSON and records the item before and after in the
audit log, so two reviewers never overwrite each other's decisions and every correction can
be traced to who made it.
"""

from __future__ import annotations

import copy
import re

from django.db import transaction

from audit.services import audit_record
from common.errors import ServiceError
from drafting import review
from drafting.draft import described, draft_plan
from drafting.models import PlanDraft
from drafting.notice import Notice, Paragraph
from drafting.planfile import checks, plan_file_text
from drafting.selectors import federation_context
from plans.lifecycle import plan_status_set
from plans.models import Plan
from plans.planfile.spec import PlanFileInvalid, read_plan_bytes
from plans.services import plan_load

EVENT_CREATED = "drafting.draft.created"
EVENT_ITEM_CHANGED = "drafting.item.changed"
EVENT_ITEM_ADDED = "drafting.item.added"
EVENT_GENERATED = "drafting.draft.generated"
NOTHING_FOUND = "没有从该通知中识别出任何专案：请确认上传的是通知正文（含“一、……专案”等标题）。"
GONE = "该草稿已生成方案，不能再修改。"
NO_MEASURE = "专案{number} 指标「{name}」没有计量单位：请修改并填写（如 人、家、项、元）。"
UNDATED = "专案{number} 时间节点「{title}」还没有日期（原文“适时”）：请填写日期或删除。"


def _notice_blocks(notice: Notice) -> list[dict]:
    return [
        {"kind": "p", "index": b.index, "text": b.text}
        if isinstance(b, Paragraph)
        else {"kind": "table", "index": b.index, "rows": b.texts()}
        for b in notice.blocks
    ]


@transaction.atomic
def draft_create(*, actor, notice: Notice, name: str) -> PlanDraft:
    federation = actor.federation
    units, departments = federation_context(federation.code)
    content = draft_plan(notice, units=units, departments=departments)
    if not content["programmes"]:
        raise ServiceError(NOTHING_FOUND)
    content["plan"]["slug"] = f"{federation.code}-{content['plan']['year']}"
    content["plan"]["issuer"] = federation.name
    draft = PlanDraft.objects.create(
        federation=federation,
        created_by=actor,
        notice_name=name[:200],
        notice=_notice_blocks(notice),
        content=review.prepare(content),
    )
    audit_record(
        actor=actor,
        event=EVENT_CREATED,
        target=draft,
        after={"notice": draft.notice_name, "programmes": len(content["programmes"])},
    )
    return draft


def _locked(draft: PlanDraft) -> PlanDraft:
    draft = PlanDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.status != PlanDraft.Status.REVIEWING:
        raise ServiceError(GONE)
    return draft


@transaction.atomic
def draft_item_decide(
    *, actor, draft: PlanDraft, key: str, action: str, changes: dict | None = None
) -> PlanDraft:
    """`action`: accept, delete, restore, or correct (apply `changes`, then accept)."""
    draft = _locked(draft)
    found = review.find(draft.content, key)
    if found is None:
        raise ServiceError("该项已不存在，请刷新页面。")
    kind, item, _programme = found
    before = copy.deepcopy(item)
    if action == "accept":
        _require_acceptable(kind, item)
        item["state"] = review.ACCEPTED
    elif action == "delete":
        item["state"] = review.DELETED
    elif action == "restore":
        item["state"] = review.PENDING
    elif action == "correct":
        item.update(changes or {})
        if kind == "milestone":
            item["kind"], item["start"], item["end"], item["when"] = described(item.get("rule"))
        _require_acceptable(kind, item)
        item["state"] = review.ACCEPTED
        item["corrected"] = True
    else:
        raise ServiceError("无法识别的操作。")
    draft.save(update_fields=["content", "updated_at"])
    audit_record(actor=actor, event=EVENT_ITEM_CHANGED, target=draft,
                 before={key: before}, after={key: item})  # fmt: skip
    return draft


@transaction.atomic
def draft_accept_rest(*, actor, draft: PlanDraft, programme_key: str) -> tuple[PlanDraft, list]:
    """Accept every pending item of a programme that can be accepted as drafted; the others
    (a table with rows to decide, a step without a date…) stay pending and are returned with
    the reason. One audit entry lists the keys accepted."""
    draft = _locked(draft)
    found = review.find(draft.content, programme_key)
    if found is None or found[0] != "programme":
        raise ServiceError("该专案已不存在，请刷新页面。")
    accepted, left = [], []
    for kind, item, programme in review.items(draft.content):
        if programme is not found[1] or item["state"] != review.PENDING:
            continue
        try:
            _require_acceptable(kind, item)
        except ServiceError as exc:
            left.append((item["key"], exc.message))
            continue
        item["state"] = review.ACCEPTED
        accepted.append(item["key"])
    draft.save(update_fields=["content", "updated_at"])
    audit_record(actor=actor, event=EVENT_ITEM_CHANGED, target=draft,
                 before={"pending": accepted}, after={"accepted": accepted})  # fmt: skip
    return draft, left


def _require_acceptable(kind: str, item: dict) -> None:
    if kind == "table":
        open_rows = review.unresolved_rows(item)
        if open_rows:
            names = "、".join(r["label"] for r in open_rows)
            raise ServiceError(
                f"表中还有未对应到单位的行：{names}。请先为每行选择单位或标为“非单位”。"
            )
    if kind == "milestone" and not item.get("rule"):
        raise ServiceError(
            f"时间节点「{item['title']}」还没有日期（原文“适时”）：请填写日期或删除。"
        )
    if (
        kind == "indicator"
        and item.get("target") is None
        and not item.get("per_unit")
        and not item.get("table")
    ):
        raise ServiceError(f"指标「{item['name']}」既无目标值也无分解表：请填写目标或删除。")


@transaction.atomic
def draft_row_resolve(
    *, actor, draft: PlanDraft, table_key: str, row: int, unit: str | None, status: str,
    kind: str = "",
) -> PlanDraft:  # fmt: skip
    """A table row's unit as the reviewer decides: a unit of the federation (`chosen`), not a
    unit (`not_unit`: a label row kept), or a new unit named by the row (`new`)."""
    draft = _locked(draft)
    found = review.find(draft.content, table_key)
    if found is None or found[0] != "table" or not 0 <= row < len(found[1]["rows"]):
        raise ServiceError("该行已不存在，请刷新页面。")
    table = found[1]
    entry = table["rows"][row]
    before = copy.deepcopy(entry)
    entry["resolution"] = {**entry["resolution"], "status": status}
    entry["unit"] = unit if status == "chosen" else entry["label"] if status == "new" else None
    if status == "new":
        proposed = draft.content.setdefault("units", [])
        if not any(u.get("name") == entry["label"] for u in proposed):
            proposed.append({"name": entry["label"], "short_name": entry["label"],
                             "kind": kind or "other", "existing": False})  # fmt: skip
    _reallocate(table, draft.content)
    draft.save(update_fields=["content", "updated_at"])
    audit_record(actor=actor, event=EVENT_ITEM_CHANGED, target=draft,
                 before={f"{table_key}[{row + 1}]": before},
                 after={f"{table_key}[{row + 1}]": entry})  # fmt: skip
    return draft


def _reallocate(table: dict, content: dict) -> None:
    """Rebuild the allocations of the table's indicators from its rows."""
    by_code = {i["code"]: i for p in content["programmes"] for i in p["indicators"]}
    for column, code in enumerate(table["columns"]):
        indicator = by_code.get(code)
        if indicator is None:
            continue
        indicator["allocations"], indicator["unassigned"] = {}, {}
        for row in table["rows"]:
            value = row["values"][column] if column < len(row["values"]) else None
            if value is None:
                continue
            bucket = indicator["allocations"] if row["unit"] else indicator["unassigned"]
            bucket[row["unit"] or row["label"]] = value


@transaction.atomic
def draft_table_columns(*, actor, draft: PlanDraft, table_key: str, columns: list[str]):
    """Which indicator each column of a table allocates: one of its programme's, or a new
    indicator named by the column's header ("new")."""
    draft = _locked(draft)
    found = review.find(draft.content, table_key)
    if found is None or found[0] != "table" or len(columns) != len(found[1]["headers"]):
        raise ServiceError("该表已不存在或列数不符，请刷新页面。")
    _kind, table, programme = found
    before = list(table["columns"])
    by_code = {i["code"]: i for i in programme["indicators"]}
    chosen = [c for c in columns if c != "new"]
    if len(set(chosen)) != len(chosen) or any(c not in by_code for c in chosen):
        raise ServiceError("每一列须对应不同的指标。")
    for indicator in programme["indicators"]:
        if indicator.get("table") == table["code"]:
            indicator.update(table=None, declared_total=None, allocations={}, unassigned={})
    mapped = []
    for i, choice in enumerate(columns):
        if choice == "new":
            code = review.next_code(draft.content, programme, "P")
            header = table["headers"][i]
            indicator = {
                "code": code, "key": code, "name": _header_name(header),
                "measure": (table.get("measures") or [""] * len(columns))[i], "target": None,
                "comparator": None, "due": None, "period": None, "per_unit": None,
                "source": header, "printed": "", "paragraph": None,
                "state": review.ACCEPTED, "added": True,
            }  # fmt: skip
            programme["indicators"].append(indicator)
        else:
            indicator = by_code[choice]
        total = table.get("declared_total") or []
        indicator["table"] = table["code"]
        indicator["declared_total"] = total[i] if i < len(total) else None
        mapped.append(indicator["code"])
    table["columns"] = mapped
    _reallocate(table, draft.content)
    draft.save(update_fields=["content", "updated_at"])
    audit_record(actor=actor, event=EVENT_ITEM_CHANGED, target=draft,
                 before={f"{table_key}.columns": before},
                 after={f"{table_key}.columns": mapped})  # fmt: skip
    return draft


def _header_name(header: str) -> str:
    return re.sub(r"[（(][^）)]*[）)]$", "", header) or header


@transaction.atomic
def draft_item_add(*, actor, draft: PlanDraft, programme_key: str, kind: str, values: dict):
    """Something the draft missed: a target or a step, added to a programme as accepted."""
    draft = _locked(draft)
    found = review.find(draft.content, programme_key)
    if found is None or found[0] != "programme":
        raise ServiceError("该专案已不存在，请刷新页面。")
    programme = found[1]
    if kind == "indicator":
        code = review.next_code(draft.content, programme, "P")
        item = {"code": code, "key": code, "table": None, "declared_total": None,
                "allocations": {}, "unassigned": {}, "due": None, "period": None,
                "source": "", "printed": "", "paragraph": None, **values}  # fmt: skip
        _require_acceptable("indicator", item)
        programme["indicators"].append(item)
    elif kind == "milestone":
        key = review.next_code(draft.content, programme, "S")
        kind_, start, end, when = described(values.get("rule"))
        item = {"key": key, "kind": kind_, "start": start, "end": end, "dates": [], "when": when,
                "actor_departments": [], "late_policy": "flag", "source": "", "printed": "",
                **values}  # fmt: skip
        _require_acceptable("milestone", item)
        programme["milestones"].append(item)
    else:
        raise ServiceError("无法识别的类型。")
    item["state"] = review.ACCEPTED
    item["added"] = True
    draft.save(update_fields=["content", "updated_at"])
    audit_record(actor=actor, event=EVENT_ITEM_ADDED, target=draft, after={item["key"]: item})
    return draft


@transaction.atomic
def draft_header_set(*, actor, draft: PlanDraft, values: dict) -> PlanDraft:
    draft = _locked(draft)
    before = {k: draft.content["plan"].get(k) for k in values}
    draft.content["plan"].update(values)
    draft.save(update_fields=["content", "updated_at"])
    audit_record(actor=actor, event=EVENT_ITEM_CHANGED, target=draft,
                 before={"plan": before}, after={"plan": values})  # fmt: skip
    return draft


def blockers(draft: PlanDraft, checked: tuple[list[str], list[str]] | None = None) -> list[str]:
    """Why the draft cannot become a plan yet: items to decide, then the plan file's checks
    (`checked`: those checks' result when the caller has it already)."""
    waiting = review.pending(draft.content)
    found = []
    if waiting:
        found.append(f"还有 {len(waiting)} 项待确认：每一项须确认、修改或删除。")
    found += [
        UNDATED.format(number=programme["number"], title=step["title"])
        for _kind, step, programme in review.live(draft.content, "milestone")
        if not step.get("rule")
    ]
    found += [
        NO_MEASURE.format(number=programme["number"], name=item["name"])
        for _kind, item, programme in review.live(draft.content, "indicator")
        if not item.get("measure")
    ]
    problems, _warnings = checked if checked is not None else checks(draft)
    return found + problems


def column_warnings(draft: PlanDraft) -> list[str]:
    """A table column whose header's measure is not its indicator's (户 into 元): allowed,
    since notices print 个 where the text says 家, but said, so a wrong choice is seen."""
    found = []
    for _kind, table, programme in review.live(draft.content, "table"):
        by_code = {i["code"]: i for i in programme["indicators"]}
        for n, code in enumerate(table["columns"]):
            indicator = by_code.get(code)
            measures = table.get("measures") or []
            measure = measures[n] if n < len(measures) else ""
            if (
                indicator
                and measure
                and indicator.get("measure")
                and measure != indicator["measure"]
            ):
                found.append(
                    f"{table['title'] or table['code']} 第{n + 1}列以「{measure}」计，"
                    f"所对应的指标「{indicator['name']}」以「{indicator['measure']}」计：请核对。"
                )
    return found


@transaction.atomic
def draft_generate(*, actor, draft: PlanDraft) -> Plan:
    """The reviewed draft becomes a plan in the draft state (units see nothing owed yet)."""
    draft = _locked(draft)
    problems = blockers(draft)
    if problems:
        raise ServiceError("还不能生成方案：" + "；".join(problems[:5]))
    slug = draft.content["plan"]["slug"]
    existing = Plan.objects.filter(slug=slug).first()
    if existing is not None:
        raise ServiceError(f"已有代码为「{slug}」的方案：请修改方案代码。")
    try:
        spec = read_plan_bytes(plan_file_text(draft).encode("utf-8"))
    except PlanFileInvalid as exc:  # blockers() read the same text: kept for safety
        raise ServiceError("；".join(exc.problems[:5])) from exc
    plan = plan_load(spec=spec).plan
    plan = plan_status_set(plan=plan, status=Plan.Status.DRAFT, actor=actor)
    draft.status = PlanDraft.Status.GENERATED
    draft.plan = plan
    draft.save(update_fields=["status", "plan", "updated_at"])
    audit_record(actor=actor, event=EVENT_GENERATED, target=draft, after={"plan": plan.slug})
    return plan
