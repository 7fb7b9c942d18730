"""评分: the running department assigns scorers (评委) and closes scoring; a scorer gives each
admitted nominee points per item of the campaign's rubric, with an optional comment.

A scorer never scores a nominee of their own unit (orgs.access.scorer_conflicts). Scores are
entered only while scoring is open (campaigns.steps.scoring_refusal). Every change is audited
with the scorer's points before and after.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from audit.services import audit_record
from campaigns.models import Campaign, CampaignScorer, Nomination, Score
from campaigns.steps import close_refusal, departments_of, scoring_refusal
from common import clock
from common.errors import ServiceError
from orgs.access import BUSINESS_ROLES, require_campaign_runner, scorer_conflicts
from orgs.models import User
from plans.models import Criterion

NOT_SCORER = "您不是本次评选的评委。"
SCORER_NOT_BUSINESS = "只能指定本工会的业务人员或各单位人员担任评委。"
SCORER_ALREADY = "{name}已是本次评选的评委。"
SCORER_HAS_SCORES = "{name}已经评分，不能取消评委。"
OWN_UNIT = "不能为本单位的推荐对象评分（回避）。"
NOT_ADMITTED = "只能为已入围的推荐对象评分。"
NO_RUBRIC = "本次评选没有评分标准。"
POINTS_REQUIRED = "请为每一项打分。"
POINTS_RANGE = "「{item}」的得分应在 0 至 {max} 分之间。"
POINTS_PLACES = "「{item}」的得分最多保留两位小数。"
COMMENT_TOO_LONG = "评语不超过 500 字。"
ALREADY_CLOSED = "评分已经结束。"

EVENT_SCORED = "campaigns.score.saved"


def points_text(points: Decimal) -> str:
    """10.00 → "10", 2.50 → "2.5"."""
    return format(points.normalize(), "f")


class ScoreRefused(ServiceError):
    """A refusal of one item's points: `field` is the form field (`points_<criterion id>`)."""

    def __init__(self, message: str, *, field: str = ""):
        self.field = field
        super().__init__(message)


def rubric_items(campaign: Campaign) -> list[Criterion]:
    """The items a scorer gives points to (sections are headings only)."""
    if campaign.rubric_id is None:
        return []
    return [c for c in campaign.rubric.criteria.all() if not c.is_section]


def _runner(campaign: Campaign, actor: User) -> Campaign:
    campaign = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("plan", "programme")
        .get(pk=campaign.pk)
    )
    campaign.plan.require_open()
    require_campaign_runner(actor, departments_of(campaign))
    return campaign


@transaction.atomic
def scorer_assign(*, campaign: Campaign, actor: User, user: User) -> CampaignScorer:
    campaign = _runner(campaign, actor)
    if not user.is_active or user.role not in BUSINESS_ROLES:
        raise ServiceError(SCORER_NOT_BUSINESS)
    if user.federation_id != campaign.plan.issuer_id:
        raise ServiceError(SCORER_NOT_BUSINESS)
    if CampaignScorer.objects.filter(campaign=campaign, user=user).exists():
        raise ServiceError(SCORER_ALREADY.format(name=user.display_name or user.username))
    seat = CampaignScorer.objects.create(
        campaign=campaign, user=user, assigned_by=actor, assigned_at=clock.now()
    )
    audit_record(
        actor=actor,
        event="campaigns.scorer.assigned",
        target=campaign,
        after={"scorer": user.username},
    )
    return seat


@transaction.atomic
def scorer_unassign(*, campaign: Campaign, actor: User, seat: CampaignScorer) -> None:
    campaign = _runner(campaign, actor)
    user = seat.user
    if Score.objects.filter(nomination__campaign=campaign, scorer=user).exists():
        raise ServiceError(SCORER_HAS_SCORES.format(name=user.display_name or user.username))
    seat.delete()
    audit_record(
        actor=actor,
        event="campaigns.scorer.unassigned",
        target=campaign,
        before={"scorer": user.username},
    )


def _points(item: Criterion, raw) -> Decimal:
    field = f"points_{item.pk}"
    if raw is None or raw == "":
        raise ScoreRefused(POINTS_REQUIRED, field=field)
    try:
        points = Decimal(str(raw))
    except ArithmeticError as exc:
        raise ScoreRefused(POINTS_REQUIRED, field=field) from exc
    if not points.is_finite() or points < 0 or points > item.points:
        raise ScoreRefused(
            POINTS_RANGE.format(item=item.title, max=points_text(item.points)), field=field
        )
    if points != points.quantize(Decimal("0.01")):
        raise ScoreRefused(POINTS_PLACES.format(item=item.title), field=field)
    return points.quantize(Decimal("0.01"))


@transaction.atomic
def score_save(
    *,
    nomination: Nomination,
    actor: User,
    points: dict[int, object],
    comments: dict[int, str] | None = None,
) -> list[Score]:
    """A scorer's points for every item of the rubric for one nominee (replacing their
    earlier ones), each within 0..the item's maximum, with optional comments."""
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("campaign__plan", "campaign__rubric")
        .get(pk=nomination.pk)
    )
    campaign = nomination.campaign
    campaign.plan.require_open()
    if not CampaignScorer.objects.filter(campaign=campaign, user=actor).exists():
        raise ServiceError(NOT_SCORER)
    if scorer_conflicts(actor, nomination.unit_id):
        raise ServiceError(OWN_UNIT)
    if nomination.status != Nomination.Status.APPROVED:
        raise ServiceError(NOT_ADMITTED)
    if refused := scoring_refusal(campaign, clock.today()):
        raise ServiceError(refused)
    items = rubric_items(campaign)
    if not items:
        raise ServiceError(NO_RUBRIC)
    comments = comments or {}
    typed = {item.pk: _points(item, points.get(item.pk)) for item in items}
    notes = {}
    for item in items:
        note = (comments.get(item.pk) or "").strip()
        if len(note) > 500:
            raise ScoreRefused(COMMENT_TOO_LONG, field=f"comment_{item.pk}")
        notes[item.pk] = note
    existing = {
        s.criterion_id: s for s in Score.objects.filter(nomination=nomination, scorer=actor)
    }
    by_code = {item.pk: item.code for item in items}
    before = {by_code.get(s.criterion_id, str(s.criterion_id)): _kept(s) for s in existing.values()}
    now = clock.now()
    saved = []
    for item in items:
        score = existing.get(item.pk) or Score(nomination=nomination, scorer=actor, criterion=item)
        score.points, score.comment, score.scored_at = typed[item.pk], notes[item.pk], now
        score.save()
        saved.append(score)
    after = {item.code: _kept(s) for item, s in zip(items, saved, strict=True)}
    audit_record(
        actor=actor,
        event=EVENT_SCORED,
        target=nomination,
        before=before or None,
        after=after,
    )
    return saved


def _kept(score: Score) -> dict:
    kept = {"points": str(score.points)}
    if score.comment:
        kept["comment"] = score.comment
    return kept


@transaction.atomic
def scoring_close(*, campaign: Campaign, actor: User) -> Campaign:
    """结束评分: no more scores; the combined results are shown to everyone concerned."""
    campaign = _runner(campaign, actor)
    if campaign.scoring_closed_at is not None:
        raise ServiceError(ALREADY_CLOSED)
    if refused := close_refusal(campaign, clock.today()):
        raise ServiceError(refused)
    campaign.scoring_closed_at = clock.now()
    campaign.version += 1
    campaign.save(update_fields=["scoring_closed_at", "version"])
    audit_record(
        actor=actor,
        event="campaigns.campaign.scoring_closed",
        target=campaign,
        before={"scoring_closed": False},
        after={"scoring_closed": True},
    )
    return campaign
