"""Loading a plan file's campaigns: part of `plans.services.plan_load`, in its transaction.

Campaigns are matched by code, so a reload updates them in place (their nominations, scores
and designations keep pointing at them) and an unchanged file writes nothing. A file that drops
a campaign someone has nominated to is refused, as records refuses to drop a form with rows.
"""

from __future__ import annotations

from django.db.models import Q

from campaigns.models import Campaign, CampaignQuota, Nomination
from common.errors import ServiceError
from common.sync import SyncCounter, sync_rows
from orgs.models import Unit
from plans.extensions import FORM, Use
from plans.models import Indicator, Plan, Programme, Rubric
from records.models import FormDefinition


def sync_campaigns(
    *,
    spec,
    plan: Plan,
    programmes: dict[tuple, Programme],
    indicators: dict[tuple, Indicator],
    counts: SyncCounter,
) -> None:
    """The plan file's `campaigns:` (campaigns.campaignfile) as the plan's `Campaign` rows and
    their units' own numbers (`CampaignQuota`)."""
    wanted = [(p, c) for p in spec.programmes for c in p.sections.get("campaigns", [])]
    dropped = (
        Nomination.objects.filter(campaign__plan=plan)
        .exclude(campaign__code__in=[c.code for _p, c in wanted])
        .values_list("campaign__title", flat=True)
        .distinct()
    )
    if dropped:
        raise ServiceError(
            f"计划文件删除了已有推荐的评选：{'、'.join(dropped)}。请在计划文件中保留这些评选。"
        )
    _refuse_reported_indicators(wanted, indicators)
    forms = {f.code: f.pk for f in FormDefinition.objects.filter(plan=plan)}
    rubrics = {
        (r.programme.number, r.order): r.pk
        for r in Rubric.objects.filter(programme__plan=plan).select_related("programme")
    }
    campaigns = sync_rows(
        Campaign.objects.filter(plan=plan),
        key=("code",),
        counter=counts,
        rows=[
            {
                "plan_id": plan.pk,
                "programme_id": programmes[(p.number,)].pk,
                "code": c.code,
                "order": c.order,
                "title": c.title,
                "named_as": c.named_as,
                "quota": c.quota,
                "indicator_id": indicators[(c.indicator,)].pk if c.indicator else None,
                "nominators": c.nominators,
                "per_unit": c.per_unit,
                "nominate_by": c.nominate_by,
                "score_by": c.score_by,
                "publicity_days": c.publicity_days,
                "name_by": c.name_by,
                "form_id": forms[c.form] if c.form else None,
                "compliant_only": c.compliant_only,
                "materials": c.materials,
                "rubric_id": rubrics[c.rubric] if c.rubric else None,
                "combine": c.combine,
                "source_text": c.source_text,
            }
            for p, c in wanted
        ],
    )
    codes = {u.name: u.code for u in spec.units}
    units = {
        u.code: u.pk
        for u in Unit.objects.filter(
            code__in=[codes[name] for _p, c in wanted for name in c.quotas]
        )
    }
    sync_rows(
        CampaignQuota.objects.filter(campaign__plan=plan),
        key=("campaign_id", "unit_id"),
        counter=counts,
        rows=[
            {
                "campaign_id": campaigns[(c.code,)].pk,
                "unit_id": units[codes[name]],
                "count": count,
            }
            for _p, c in wanted
            for name, count in c.quotas.items()
        ],
    )


def _refuse_reported_indicators(wanted, indicators: dict[tuple, Indicator]) -> None:
    """A campaign's namings are the one source of its indicator's figures: an indicator that
    units report (shares, a per-unit rule) or a form computes would be counted twice."""
    counted = {indicators[(c.indicator,)].pk: c.title for _p, c in wanted if c.indicator}
    reported = (
        Indicator.objects.filter(pk__in=counted)
        .filter(
            Q(allocations__isnull=False)
            | Q(per_unit_min__isnull=False)
            | Q(per_unit_max__isnull=False)
            | Q(record_source__isnull=False)
        )
        .distinct()
    )
    problems = [
        f"评选「{counted[i.pk]}」计入的指标 {i.code} 已由各单位报送或由统计表计算" for i in reported
    ]
    if problems:
        raise ServiceError(
            "；".join(problems) + "。命名计数的指标只能由命名计数，请删去评选的 indicator。"
        )


def indicator_uses(*, indicator_ids: set[int]) -> dict[int, list[Use]]:
    """Per indicator: the campaigns whose named items count toward it (editing a running plan
    does not delete it from under them). One query."""
    found: dict[int, list[Use]] = {}
    counted = Campaign.objects.filter(indicator_id__in=list(indicator_ids))
    for pk, title in counted.values_list("indicator_id", "title"):
        found.setdefault(pk, []).append(Use(FORM, f"评选「{title}」的命名计入此指标"))
    return found
