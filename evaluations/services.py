"""Writes of rubric scoring: the unit's self-assessment, the department's scores and the steps
of the one workflow. Each locks what it changes, checks access through the workflow's parties
(orgs/access.py) and writes its audit entry with the points before and after."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from audit.services import audit_record
from common import clock
from common.errors import ServiceError
from evaluations import selectors
from evaluations.kind import EVALUATION, EVENT_SCORED, EVENT_SELF_SAVED
from evaluations.models import CriterionScore, Evaluation, EvaluationResult
from evidence import services as evidence_services
from orgs.models import Unit, User
from plans.models import Criterion, Rubric
from reporting import workflow
from reporting.workflow import Party, Status

NOT_EVALUATED = "本单位不在该评分标准的评分范围内。"
NOT_EDITABLE = "该评分自评已报送或已通过，不能修改。"
NOT_SCORER = "只有该专案责任部门的工作人员可以评分。"
NOT_SCORING = "只有待部门审核的评分自评可以评分。"
STALE = "该评分自评刚刚已被他人修改，请查看最新内容后重试。"
OVER = "「{code}」最高 {points} 分，不能填 {value} 分。"
NEGATIVE = "「{code}」的分数不能为负数。"
UNSCORED = "还有 {n} 项未评分，请全部评分后再审核通过。"
REASON_REQUIRED = "请填写原因。"

Values = dict[int, tuple[Decimal | None, str]]  # criterion id → (points, note or comment)


class EvaluationRefused(ServiceError):
    """A refusal because of one input; `field` names it (a form field), "" for the page."""

    def __init__(self, message: str, *, field: str = ""):
        self.field = field
        super().__init__(message)


def _locked(evaluation: Evaluation, version: int | None) -> Evaluation:
    locked = (
        Evaluation.objects.select_for_update()
        .select_related("unit", "rubric__programme__plan")
        .get(pk=evaluation.pk)
    )
    if version is not None and locked.version != version:
        raise EvaluationRefused(STALE)
    return locked


def _check(criteria: dict[int, Criterion], values: Values) -> None:
    for pk, (points, _text) in values.items():
        c = criteria[pk]
        if points is None:
            continue
        if points < 0:
            raise EvaluationRefused(NEGATIVE.format(code=c.code), field=f"p_{pk}")
        if points > c.points:
            raise EvaluationRefused(
                OVER.format(code=c.code, points=_n(c.points), value=_n(points)), field=f"p_{pk}"
            )


def _n(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _typed(rubric: Rubric, unit: Unit) -> dict[int, Criterion]:
    """The criteria typed for `unit`: items and sections without items, not auto-scored."""
    criteria = selectors.criteria_of(rubric)
    autos = selectors.auto_points(
        plan=rubric.programme.plan, criteria=criteria, unit_ids={unit.pk}, as_of=clock.today()
    )
    return {
        c.pk: c
        for c in criteria
        if selectors.is_typed(c, criteria) and (unit.pk, c.pk) not in autos
    }


def _write(evaluation: Evaluation, values: Values, *, own: bool) -> tuple[dict, dict]:
    """Store the points (the unit's own or the department's) and say what changed."""
    scores = {s.criterion_id: s for s in evaluation.scores.select_related("criterion")}
    before, after = {}, {}
    points_field, text_field = ("self_points", "self_note") if own else ("points", "comment")
    for pk, (points, text) in values.items():
        score = scores.get(pk) or CriterionScore(evaluation=evaluation, criterion_id=pk)
        old = (getattr(score, points_field), getattr(score, text_field))
        if old == (points, text):
            continue
        code = score.criterion.code if score.pk else Criterion.objects.get(pk=pk).code
        before[code] = {"points": _j(old[0]), "text": old[1]}
        after[code] = {"points": _j(points), "text": text}
        setattr(score, points_field, points)
        setattr(score, text_field, text)
        score.save()
    return before, after


def _j(value: Decimal | None) -> str | None:
    return None if value is None else _n(value)


@transaction.atomic
def evaluation_self_save(
    *,
    rubric: Rubric,
    unit: Unit,
    actor: User,
    values: Values,
    files: list | None = None,
    version: int | None = None,
    submit: bool = False,
) -> Evaluation:
    """评分自评: the unit's points and note per item (auto items are not typed), and files.
    The first save makes the evaluation. With `submit` (保存并提交) what was typed is saved
    and then submitted (提交) in the same transaction: a refusal of either keeps neither."""
    plan = rubric.programme.plan
    if not selectors.unit_in_scope(unit, rubric.evaluated):
        raise EvaluationRefused(NOT_EVALUATED)
    evaluation, created = Evaluation.objects.get_or_create(
        rubric=rubric, unit=unit, defaults={"created_at": clock.now()}
    )
    evaluation = _locked(evaluation, None if created else version)
    if refusal := plan.closed_refusal:
        raise EvaluationRefused(refusal)
    if not workflow.can_edit(actor, evaluation, EVALUATION):
        raise EvaluationRefused(NOT_EDITABLE)
    typed = _typed(rubric, unit)
    values = {pk: v for pk, v in values.items() if pk in typed}
    _check(typed, values)
    before, after = _write(evaluation, values, own=True)
    stored = []
    try:
        if files:
            try:
                stored = evidence_services.evidence_add(
                    owner=evaluation, actor=actor, files=files, event_prefix=None
                )
            except ServiceError as exc:
                raise EvaluationRefused(exc.message, field="files") from exc
            after["files"] = [e.original_name for e in stored]
        if before or after:
            evaluation.version += 1
            evaluation.save(update_fields=["version"])
            audit_record(
                actor=actor, event=EVENT_SELF_SAVED, target=evaluation, before=before, after=after
            )
        if submit:
            evaluation = evaluation_move(evaluation=evaluation, action="submit", actor=actor)
    except Exception:
        for evidence in stored:
            evidence_services.evidence_path(evidence).unlink(missing_ok=True)
        raise
    return evaluation


@transaction.atomic
def evaluation_score(
    *,
    evaluation: Evaluation,
    actor: User,
    values: Values,
    version: int | None = None,
    approve: bool = False,
) -> Evaluation:
    """部门评分: the department's points and comment per item, while the evaluation waits for
    its review (待部门审核). With `approve` (保存评分并审核通过) what was typed is saved and
    then approved in the same transaction: a refusal of either keeps neither, and the typed
    points stay on the page."""
    evaluation = _locked(evaluation, version)
    if not EVALUATION.includes(Party.REVIEWER, actor, evaluation):
        raise EvaluationRefused(NOT_SCORER)
    if refusal := evaluation.rubric.programme.plan.closed_refusal:
        raise EvaluationRefused(refusal)
    if evaluation.status != Status.CONFIRMED:
        raise EvaluationRefused(NOT_SCORING)
    typed = _typed(evaluation.rubric, evaluation.unit)
    values = {pk: v for pk, v in values.items() if pk in typed}
    _check(typed, values)
    before, after = _write(evaluation, values, own=False)
    if before or after:
        evaluation.version += 1
        evaluation.save(update_fields=["version"])
        audit_record(actor=actor, event=EVENT_SCORED, target=evaluation, before=before, after=after)
    if approve:
        evaluation = evaluation_move(evaluation=evaluation, action="approve", actor=actor)
    return evaluation


@transaction.atomic
def evaluation_move(
    *,
    evaluation: Evaluation,
    action: str,
    actor: User,
    reason: str = "",
    version: int | None = None,
) -> Evaluation:
    """A step of the workflow: 提交, 确认并报送, 退回填报员, 审核通过, 退回修改, 撤销通过.
    Approving keeps the auto items' points and the final total (`EvaluationResult`);
    reopening ends that result's count."""
    evaluation = _locked(evaluation, version)
    if refusal := workflow.refusal(EVALUATION, evaluation, action, actor, today=clock.today()):
        raise EvaluationRefused(refusal)
    step = EVALUATION.transitions[action]
    reason = reason.strip()
    if step.needs_reason and not reason:
        raise EvaluationRefused(REASON_REQUIRED, field="reason")
    now = clock.now()
    before, after = {}, {}
    if action == "approve":
        before, after = _freeze(evaluation, now)
    if action == "reopen":
        EvaluationResult.objects.filter(evaluation=evaluation, reopened_at__isnull=True).update(
            reopened_at=now
        )
    workflow.apply(
        EVALUATION,
        evaluation,
        action,
        actor=actor,
        now=now,
        reason=reason[:500],
        before=before,
        after=after,
    )
    workflow.notify(EVALUATION, [evaluation], action, actor=actor, reason=reason[:500])
    return evaluation


def _freeze(evaluation: Evaluation, now) -> tuple[dict, dict]:
    """The auto items' points as at today stored as the department's, the total kept."""
    criteria = selectors.criteria_of(evaluation.rubric)
    autos = selectors.auto_points(
        plan=evaluation.rubric.programme.plan,
        criteria=criteria,
        unit_ids={evaluation.unit_id},
        as_of=clock.today(),
    )
    values: Values = {c: (a.points, a.basis) for (_u, c), a in autos.items()}
    before, after = _write(evaluation, values, own=False)
    filled = selectors.sheet(
        criteria=criteria, scores=list(evaluation.scores.all()), autos={}, frozen=True
    )
    if filled.unscored:
        raise EvaluationRefused(UNSCORED.format(n=filled.unscored))
    EvaluationResult.objects.create(
        evaluation=evaluation, total=filled.total, maximum=filled.maximum, approved_at=now
    )
    after["total"] = _j(filled.total)
    return before, after
