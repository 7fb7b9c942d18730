"""Campaigns in the plan file (`campaigns:`): each key checked with its place, the 2022 notice's
campaigns loaded as printed, a reload that keeps what has been nominated, and the programme
page listing them."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, CampaignQuota, Nomination
from common.errors import ServiceError
from conftest import PLAN_2022_FILE
from orgs.models import Unit
from orgs.tests.factories import reporter_of, staff_of
from plans import extensions
from plans.models import Indicator
from plans.planfile.data import PlanFileInvalid
from plans.planfile.spec import read_plan_bytes
from plans.services import plan_load

D = dt.date
# Programme 4 is the file's fourth programme: its campaigns are at programmes[3].campaigns.
P04 = "    campaigns:\n      - code: p04-model-sites\n"


def with_campaigns(extra: str, text: str | None = None) -> str:
    """The 2022 file with `extra` (campaign items, indented as list items of programme 4's
    `campaigns:`) before its own campaign, which becomes the last of the list."""
    text = text or PLAN_2022_FILE.read_text(encoding="utf-8")
    assert P04 in text
    return text.replace(P04, "    campaigns:\n" + extra + "      - code: p04-model-sites\n")


def problems_of(text: str) -> str:
    with pytest.raises(PlanFileInvalid) as caught:
        read_plan_bytes(text.encode())
    return "\n".join(caught.value.problems)


def campaign(code: str, **keys: str) -> str:
    """One campaign item: a valid one unless `keys` say otherwise (None-like "" drops a key)."""
    values = {
        "code": code,
        "title": f"{code} 评选",
        "named_as": "示范点",
        "nominate_by": "2022-05",
    } | keys
    lines = [f"{key}: {value}" for key, value in values.items() if value != ""]
    return "      - " + "\n        ".join(lines) + "\n"


# -- each key, checked --------------------------------------------------------------------------


def test_a_campaigns_unknown_and_missing_keys_and_bad_code_are_refused_with_their_place():
    text = with_campaigns(
        campaign("first", named_as="", colour="红")
        + campaign("P04 Sites")
        + campaign("p11-model-rooms")  # programme 11 has it already
    )
    problems = problems_of(text)
    assert "programmes[3].campaigns[0]: 未知的键「colour」" in problems
    assert "programmes[3].campaigns[0]: 缺少「named_as」（专案4 第1个评选）" in problems
    assert "programmes[3].campaigns[1].code: 代码「P04 Sites」只能用小写英文字母" in problems
    assert "评选代码「p11-model-rooms」重复" in problems


def test_counts_must_be_whole_numbers_in_range():
    text = with_campaigns(
        campaign("a", quota="0", per_unit="-1", publicity_days="31")
        + campaign("b", quota="十", publicity_days="0")
    )
    problems = problems_of(text)
    assert "programmes[3].campaigns[0].quota: 应为不小于 1 的整数" in problems
    assert "programmes[3].campaigns[0].per_unit: 应为不小于 1 的整数" in problems
    assert "programmes[3].campaigns[0].publicity_days: 应为 1–30 之间的整数" in problems
    assert "programmes[3].campaigns[1].quota: 应为不小于 1 的整数" in problems
    assert "programmes[3].campaigns[1].publicity_days: 应为 1–30 之间的整数" in problems


def test_indicator_nominators_and_quotas_must_name_what_the_plan_declares():
    text = with_campaigns(
        campaign("a", indicator="P99-nope", nominators="[县（市、区）, 火星市]")
        + campaign("b", quotas="{火星市: 2, 汝州市: 很多}")
        + campaign("c", quotas="[汝州市]")
    )
    problems = problems_of(text)
    assert "programmes[3].campaigns[0].indicator: 没有指标「P99-nope」" in problems
    assert "programmes[3].campaigns[0].nominators[1]:" in problems
    assert "范围可写单位名称" in problems
    assert "programmes[3].campaigns[1].quotas.火星市:" in problems
    assert "programmes[3].campaigns[1].quotas.汝州市: 应为不小于 0 的整数" in problems
    assert "programmes[3].campaigns[2].quotas: 应为「单位名称: 推荐名额」的映射" in problems


def test_dates_are_plan_file_dates_in_the_order_nominate_score_name():
    text = with_campaigns(
        campaign("a", nominate_by="2022-13")
        + campaign("b", nominate_by="2022-06", score_by="2022-05")
        + campaign("c", nominate_by="2022-05", score_by="2022-07", name_by="2022-06-15")
        + campaign("d", nominate_by="2022-07", name_by="2022-06")
    )
    problems = problems_of(text)
    assert "programmes[3].campaigns[0].nominate_by: 月份不正确：「2022-13」" in problems
    assert (
        "programmes[3].campaigns[1].score_by: 评选截止（2022-05-31）早于推荐截止（2022-06-30）"
        in problems
    )
    assert (
        "programmes[3].campaigns[2].name_by: 命名截止（2022-06-15）早于评选截止（2022-07-31）"
        in problems
    )
    assert (
        "programmes[3].campaigns[3].name_by: 命名截止（2022-06-30）早于推荐截止（2022-07-31）"
        in problems
    )


def test_form_rubric_materials_and_combine_are_checked():
    text = with_campaigns(
        campaign("a", form="nope-rooms", rubric="不存在的评分表", combine="median")
        + campaign("b", compliant_only="false")
        + campaign(
            "c",
            materials="[推荐表, 推荐表, {code: Photos, label: 照片}, {label: 无代码}]",
        )
    )
    problems = problems_of(text)
    assert "programmes[3].campaigns[0].form: 没有代码为「nope-rooms」的统计表" in problems
    assert (
        "programmes[3].campaigns[0].rubric: 没有标题为「不存在的评分表」的评分标准"
        "（可用：平顶山市乡村振兴劳模出彩行动评分标准）"
    ) in problems
    assert "programmes[3].campaigns[0].combine: 「median」不是可选值" in problems
    assert "programmes[3].campaigns[1].compliant_only: compliant_only 只用于写了 form 的评选" in (
        problems
    )
    assert "programmes[3].campaigns[2].materials[1]: 材料「推荐表」重复" in problems
    assert "programmes[3].campaigns[2].materials[2].code: 代码「Photos」只能用小写" in problems
    assert "programmes[3].campaigns[2].materials[3]: 缺少「code」" in problems


def test_loadplan_check_reports_a_bad_campaign_with_its_place_and_loads_nothing(
    tmp_path, db, capsys
):
    path = tmp_path / "plan.yaml"
    path.write_text(with_campaigns(campaign("late", nominate_by="2022-07", score_by="2022-06")))
    with pytest.raises(CommandError, match="未导入"):
        call_command("loadplan", str(path), "--check")
    err = capsys.readouterr().err
    assert "programmes[3].campaigns[0].score_by: 评选截止（2022-06-30）早于推荐截止" in err
    assert "（专案4 第1个评选）" in err
    assert not Campaign.objects.filter(code="late").exists()


# -- the 2022 notice's campaigns ----------------------------------------------------------------


def test_the_2022_file_loads_each_campaign_the_notice_names_with_its_numbers_and_windows(
    plan_2022,
):
    loaded = {
        c.code: (
            c.programme.number,
            c.named_as,
            c.quota,
            c.indicator.code if c.indicator else None,
            c.nominators,
            c.nominate_by,
            c.score_by,
            c.name_by,
            c.form.code if c.form else None,
        )
        for c in Campaign.objects.filter(plan=plan_2022).select_related(
            "programme", "indicator", "form"
        )
    }
    year_end, counties = D(2022, 12, 31), ["county_city", "county", "district"]
    assert loaded == {
        "p01-competition-collectives": (
            1, "竞赛先进集体", None, None, [], year_end, None, year_end, None
        ),
        "p01-competition-individuals": (
            1, "竞赛先进个人", None, None, [], year_end, None, year_end, None
        ),
        "p02-model-bases": (
            2, "乡村振兴劳模出彩示范基地", None, None, [], year_end, None, year_end, None
        ),
        "p03-model-studios": (
            3, "平顶山市示范性劳模和工匠人才创新工作室", None, None, [], year_end, None,
            year_end, None,
        ),
        "p03-eagle-city-craftsmen": (
            3, "鹰城大工匠", None, None, [], year_end, None, year_end, None
        ),
        "p04-model-sites": (
            4, "市级基层工会规范化建设示范点", 50, "P04-model-sites", counties,
            D(2022, 5, 31), D(2022, 6, 30), D(2022, 6, 30), None,
        ),
        "p05-enterprise-demo-sites": (
            5, "企业集体协商示范点", None, None, counties,
            D(2022, 9, 30), None, D(2022, 9, 30), None,
        ),
        "p05-industry-demo-sites": (
            5, "行业（区域）集体协商示范点", None, None, counties,
            D(2022, 9, 30), None, D(2022, 9, 30), None,
        ),
        "p09-model-stations": (
            9, "河南工会示范性户外劳动者爱心驿站", None, None, [], D(2022, 9, 30),
            D(2022, 10, 31), D(2022, 10, 31), "stations",
        ),
        "p11-model-classes": (
            11, "市级示范爱心托管班", 10, "P11-model-classes", [], D(2022, 10, 31),
            D(2022, 11, 30), D(2022, 11, 30), "childcare",
        ),
        "p11-model-rooms": (
            11, "市级示范爱心母婴室", 10, "P11-model-rooms", [], D(2022, 10, 31),
            D(2022, 11, 30), D(2022, 11, 30), "nursing-rooms",
        ),
    }  # fmt: skip
    rooms = Campaign.objects.get(plan=plan_2022, code="p11-model-rooms")
    assert rooms.compliant_only and rooms.publicity_days == 5 and rooms.combine == "mean"
    assert "面积" not in rooms.source_text and "资金补贴" in rooms.source_text
    bases = Campaign.objects.get(plan=plan_2022, code="p02-model-bases")
    assert bases.rubric.title == "平顶山市乡村振兴劳模出彩行动评分标准"
    assert sum(c.points for c in bases.rubric.criteria.all() if c.is_section) == 100
    assert "年底前命名一批" in bases.source_text


def test_quotas_per_unit_and_materials_load_and_follow_a_reload(plan_2022):
    item = campaign(
        "p04-test-quotas",
        per_unit="1",
        quotas="{汝州市: 3, 舞钢市: 2}",
        materials="[推荐表, {code: photos, label: 现场照片, required: false}]",
        combine="trimmed_mean",
        publicity_days="7",
    )
    plan_load(spec=read_plan_bytes(with_campaigns(item).encode()))
    loaded = Campaign.objects.get(plan=plan_2022, code="p04-test-quotas")
    assert loaded.programme.number == 4 and loaded.order == 0
    assert loaded.per_unit == 1 and loaded.publicity_days == 7
    assert loaded.combine == Campaign.Combine.TRIMMED_MEAN
    assert loaded.materials == [
        {"code": "tuijianbiao", "label": "推荐表", "required": True},
        {"code": "photos", "label": "现场照片", "required": False},
    ]
    assert {(q.unit.short_name, q.count) for q in loaded.quotas.select_related("unit")} == {
        ("汝州市", 3),
        ("舞钢市", 2),
    }

    fewer = campaign("p04-test-quotas", per_unit="1", quotas="{汝州市: 4}")
    result = plan_load(spec=read_plan_bytes(with_campaigns(fewer).encode()))
    assert Campaign.objects.get(code="p04-test-quotas").pk == loaded.pk
    assert list(CampaignQuota.objects.filter(campaign=loaded).values_list("count", flat=True)) == [
        4
    ]
    assert result.counts["campaignquota.deleted"] == 1


def nominate(campaign: Campaign, unit_code: str) -> Nomination:
    unit = Unit.objects.get(code=unit_code)
    return Nomination.objects.create(
        campaign=campaign,
        unit=unit,
        name=f"{unit.short_name}示范母婴室",
        created_by=reporter_of(unit_code),
        created_at=timezone.now(),
    )


def test_a_reload_keeps_a_campaign_with_nominations_and_refuses_to_drop_it(plan_2022):
    rooms = Campaign.objects.get(plan=plan_2022, code="p11-model-rooms")
    nomination = nominate(rooms, "ruzhou")
    text = PLAN_2022_FILE.read_text(encoding="utf-8")

    again = plan_load(spec=read_plan_bytes(text.encode()))
    assert not any(key.startswith("campaign") for key in again.counts)
    nomination.refresh_from_db()
    assert nomination.campaign_id == rooms.pk

    start = text.index("      - code: p11-model-rooms")
    end = text.index("\n  - number: 12")
    dropped = text[:start] + text[end:]
    with pytest.raises(ServiceError) as refused:
        plan_load(spec=read_plan_bytes(dropped.encode()))
    assert "计划文件删除了已有推荐的评选：2022年市级工会示范母婴室评选" in refused.value.message
    assert Campaign.objects.filter(pk=rooms.pk).exists()


def test_a_reload_without_a_campaign_nobody_nominated_to_removes_it(plan_2022):
    text = PLAN_2022_FILE.read_text(encoding="utf-8")
    start = text.index("      - code: p11-model-rooms")
    end = text.index("\n  - number: 12")
    result = plan_load(spec=read_plan_bytes((text[:start] + text[end:]).encode()))
    assert result.counts["campaign.deleted"] == 1
    assert not Campaign.objects.filter(plan=plan_2022, code="p11-model-rooms").exists()
    assert Campaign.objects.filter(plan=plan_2022, code="p11-model-classes").exists()


def test_an_indicator_a_campaign_counts_toward_is_in_use(plan_2022):
    rooms = Indicator.objects.get(plan=plan_2022, code="P11-model-rooms")
    uses = extensions.indicator_uses(indicator_ids={rooms.pk})[rooms.pk]
    assert "评选「2022年市级工会示范母婴室评选」的命名计入此指标" in [u.text for u in uses]


# -- shown ----------------------------------------------------------------------------------


def test_the_programme_page_lists_its_campaigns_with_numbers_windows_and_eligibility(
    client, plan_2022
):
    client.force_login(staff_of("女职工部"))
    page = client.get(reverse("plans:programme", args=[plan_2022.slug, 11])).content.decode()
    assert "评选命名" in page
    assert "2022年市级工会示范母婴室评选" in page and "2022年市级工会示范爱心托管班评选" in page
    assert "命名 10 个" in page
    assert "2022年10月31日前推荐；2022年11月30日前评选；公示 5 天；2022年11月30日前命名" in page
    assert "「爱心母婴室登记表」中已审核通过的记录，须符合建设标准" in page
    rooms = Campaign.objects.get(plan=plan_2022, code="p11-model-rooms")
    assert reverse("campaigns:campaign", args=[rooms.pk]) in page

    county = client.get(reverse("plans:programme", args=[plan_2022.slug, 4])).content.decode()
    assert "命名 50 个" in county and '推荐单位</dt><dd class="col-sm-9">县（市、区）' in county
    none = client.get(reverse("plans:programme", args=[plan_2022.slug, 6])).content.decode()
    assert "评选命名" not in none


def test_a_campaign_cannot_count_toward_an_indicator_the_units_report(db):
    """Namings and the units' own reports of one indicator would be counted twice."""
    text = with_campaigns(campaign("twice", indicator="P02-bases"))
    with pytest.raises(ServiceError) as refused:
        plan_load(spec=read_plan_bytes(text.encode()))
    assert "P02-bases 已由各单位报送" in str(refused.value)
