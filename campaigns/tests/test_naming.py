"""Proposal, 公示, objections, naming and withdrawal of a campaign (评选命名), and the named
counting toward the indicator on the dashboards as of the naming date."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaigns import documents
from campaigns.models import Campaign, Designation, Nomination, Objection
from campaigns.selectors import naming as selectors
from campaigns.services import naming as services
from common.errors import ServiceError
from dashboards.selectors import city_overview
from orgs.models import Unit
from orgs.tests.factories import reporter_of, staff_of
from orgs.tests.personas import force_login_verified
from personal import crypto
from plans.models import Indicator
from records.models import FormDefinition

MODEL_ROOMS = "P11-model-rooms"
ROOMS = {
    "ruzhou": ["汝州市人民医院母婴室", "汝州市税务局母婴室"],
    "jiaxian": ["郏县妇幼保健院母婴室"],
}


@pytest.fixture
def women_staff(plan_2022):
    return staff_of("女职工部", username="women-staff-test")


@pytest.fixture
def campaign(plan_2022, settings):
    settings.UNIONPLAN_TODAY = "2022-07-20"
    return Campaign.objects.create(
        plan=plan_2022,
        programme=plan_2022.programmes.get(number=11),
        code="model-nursing-rooms",
        title="2022年市级示范爱心母婴室评选",
        named_as="市级示范爱心母婴室",
        quota=2,
        indicator=Indicator.objects.get(plan=plan_2022, code=MODEL_ROOMS),
        nominate_by=dt.date(2022, 6, 30),
        publicity_days=5,
        form=FormDefinition.objects.get(plan=plan_2022, code="nursing-rooms"),
    )


@pytest.fixture
def nominees(campaign, plan_2022):
    """Three admitted 母婴室 of two units, and one refused."""
    made = []
    for code, names in ROOMS.items():
        reporter = reporter_of(code, username=f"{code}-nominator")
        made += [
            Nomination.objects.create(
                campaign=campaign,
                unit=reporter.unit,
                name=name,
                status=Nomination.Status.APPROVED,
                created_by=reporter,
                created_at=timezone.now(),
            )
            for name in names
        ]
    made.append(
        Nomination.objects.create(
            campaign=campaign,
            unit=Unit.objects.get(code="ruzhou"),
            name="面积不足的母婴室",
            status=Nomination.Status.REFUSED,
            created_by=made[0].created_by,
            created_at=timezone.now(),
        )
    )
    return made


def close_scoring(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(scoring_closed_at=timezone.now())
    campaign.refresh_from_db()


def proposed_and_publicised(campaign, staff, nominees, settings, *, starts="2022-07-20"):
    close_scoring(campaign)
    services.campaign_propose(campaign=campaign, actor=staff, nominations=nominees[1:3])
    settings.UNIONPLAN_TODAY = starts
    return services.campaign_publicity_open(
        campaign=campaign, actor=staff, starts_on=dt.date.fromisoformat(starts)
    )


def named(campaign, staff, nominees, settings, *, on="2022-07-26"):
    campaign = proposed_and_publicised(campaign, staff, nominees, settings)
    settings.UNIONPLAN_TODAY = on
    services.campaign_name(
        campaign=campaign,
        actor=staff,
        named_on=dt.date.fromisoformat(on),
        decision_number="平工文〔2022〕30号",
        decision_title="关于命名2022年市级示范爱心母婴室的决定",
    )
    campaign.refresh_from_db()
    return campaign


def achieved(plan, as_of: str) -> Decimal:
    overview = city_overview(plan=plan, as_of=dt.date.fromisoformat(as_of))
    return next(r.achieved for r in overview.rows if r.indicator.code == MODEL_ROOMS)


# -- refusals in the wrong phase ---------------------------------------------------------------


def test_the_list_cannot_be_proposed_while_scoring_is_open(campaign, women_staff, nominees):
    with pytest.raises(ServiceError, match="评分尚未结束"):
        services.campaign_propose(campaign=campaign, actor=women_staff, nominations=nominees[:2])


def test_the_proposal_holds_at_most_the_quota_of_admitted_nominees(campaign, women_staff, nominees):
    close_scoring(campaign)
    with pytest.raises(ServiceError, match="超过本次评选的命名数量（2个）"):
        services.campaign_propose(campaign=campaign, actor=women_staff, nominations=nominees[:3])
    with pytest.raises(ServiceError, match="已入围"):
        services.campaign_propose(campaign=campaign, actor=women_staff, nominations=nominees[2:])
    services.campaign_propose(campaign=campaign, actor=women_staff, nominations=nominees[:2])
    assert [n.name for n in nominees[:2]] == list(
        Nomination.objects.filter(campaign=campaign, proposed=True).values_list("name", flat=True)
    )


def test_the_publicity_needs_a_proposal_and_opens_once(campaign, women_staff, nominees, settings):
    with pytest.raises(ServiceError, match="尚未提出拟命名名单"):
        services.campaign_publicity_open(
            campaign=campaign, actor=women_staff, starts_on=dt.date(2022, 7, 20)
        )
    campaign = proposed_and_publicised(campaign, women_staff, nominees, settings)
    # Five calendar days, the first one included.
    assert (campaign.publicity_from, campaign.publicity_until) == (
        dt.date(2022, 7, 20),
        dt.date(2022, 7, 24),
    )
    with pytest.raises(ServiceError, match="不能重复开始"):
        services.campaign_publicity_open(
            campaign=campaign, actor=women_staff, starts_on=dt.date(2022, 7, 21)
        )
    with pytest.raises(ServiceError, match="公示已开始"):
        services.campaign_propose(campaign=campaign, actor=women_staff, nominations=nominees[:1])


def test_an_objection_is_refused_outside_the_publicity(campaign, women_staff, nominees, settings):
    close_scoring(campaign)
    with pytest.raises(ServiceError, match="不在公示期内"):
        services.objection_raise(campaign=campaign, text="有异议")
    proposed_and_publicised(campaign, women_staff, nominees, settings)
    settings.UNIONPLAN_TODAY = "2022-07-25"
    with pytest.raises(ServiceError, match="不在公示期内"):
        services.objection_raise(campaign=campaign, text="有异议")


def test_naming_waits_for_the_end_of_the_publicity(campaign, women_staff, nominees, settings):
    campaign = proposed_and_publicised(campaign, women_staff, nominees, settings)
    kwargs = {"decision_number": "平工文〔2022〕30号", "decision_title": "关于命名的决定"}
    settings.UNIONPLAN_TODAY = "2022-07-24"
    with pytest.raises(ServiceError, match="公示期尚未结束"):
        services.campaign_name(
            campaign=campaign, actor=women_staff, named_on=dt.date(2022, 7, 24), **kwargs
        )
    settings.UNIONPLAN_TODAY = "2022-07-26"
    with pytest.raises(ServiceError, match="命名日期应在公示结束（2022-07-24）之后"):
        services.campaign_name(
            campaign=campaign, actor=women_staff, named_on=dt.date(2022, 7, 24), **kwargs
        )
    with pytest.raises(ServiceError, match="不能晚于今天"):
        services.campaign_name(
            campaign=campaign, actor=women_staff, named_on=dt.date(2022, 7, 27), **kwargs
        )
    services.campaign_name(
        campaign=campaign, actor=women_staff, named_on=dt.date(2022, 7, 26), **kwargs
    )
    with pytest.raises(ServiceError, match="已经命名"):
        services.campaign_name(
            campaign=campaign, actor=women_staff, named_on=dt.date(2022, 7, 26), **kwargs
        )


def test_an_unanswered_objection_blocks_naming_until_it_is_answered(
    campaign, women_staff, nominees, settings
):
    campaign = proposed_and_publicised(campaign, women_staff, nominees, settings)
    objection = services.objection_raise(
        campaign=campaign, text="该母婴室面积不足", contact="13812345678", nomination=nominees[1]
    )
    assert crypto.open(objection.contact) == "13812345678"
    settings.UNIONPLAN_TODAY = "2022-07-26"
    kwargs = {
        "named_on": dt.date(2022, 7, 26),
        "decision_number": "平工文〔2022〕30号",
        "decision_title": "关于命名的决定",
    }
    with pytest.raises(ServiceError, match="还有1条异议未答复"):
        services.campaign_name(campaign=campaign, actor=women_staff, **kwargs)
    services.objection_answer(objection=objection, actor=women_staff, answer="经核实面积达标")
    with pytest.raises(ServiceError, match="已经答复"):
        services.objection_answer(objection=objection, actor=women_staff, answer="再答一次")
    named_now = services.campaign_name(campaign=campaign, actor=women_staff, **kwargs)
    assert sorted(d.name for d in named_now) == sorted(n.name for n in nominees[1:3])


def test_a_withdrawal_needs_a_date_after_naming_and_happens_once(
    campaign, women_staff, nominees, settings
):
    campaign = named(campaign, women_staff, nominees, settings)
    designation = Designation.objects.filter(campaign=campaign).first()
    with pytest.raises(ServiceError, match="不能早于命名日期"):
        services.designation_withdraw(
            designation=designation,
            actor=women_staff,
            withdrawn_on=dt.date(2022, 7, 25),
            reason="不符合标准",
        )
    services.designation_withdraw(
        designation=designation, actor=women_staff, withdrawn_on=dt.date(2022, 7, 26), reason="x"
    )
    with pytest.raises(ServiceError, match="已经撤销"):
        services.designation_withdraw(
            designation=designation,
            actor=women_staff,
            withdrawn_on=dt.date(2022, 7, 26),
            reason="x",
        )


# -- the indicator on the dashboards --------------------------------------------------------


def test_the_named_count_toward_the_indicator_from_the_naming_date_until_withdrawn(
    campaign, women_staff, nominees, settings, plan_2022
):
    before = achieved(plan_2022, "2022-07-25")
    campaign = named(campaign, women_staff, nominees, settings, on="2022-07-26")
    assert achieved(plan_2022, "2022-07-25") == before
    assert achieved(plan_2022, "2022-07-26") == before + 2
    settings.UNIONPLAN_TODAY = "2022-09-10"
    jiaxian_room = Designation.objects.get(campaign=campaign, unit__code="jiaxian")
    services.designation_withdraw(
        designation=jiaxian_room,
        actor=women_staff,
        withdrawn_on=dt.date(2022, 9, 1),
        reason="检查发现已不符合建设标准",
    )
    assert achieved(plan_2022, "2022-08-31") == before + 2
    assert achieved(plan_2022, "2022-09-01") == before + 1
    assert achieved(plan_2022, "2022-07-26") == before + 2


# -- the decision and the certificate list --------------------------------------------------


def test_the_decision_lists_the_named_by_unit(campaign, women_staff, nominees, settings):
    campaign = named(campaign, women_staff, nominees, settings)
    content = documents.decision_docx(campaign, selectors.named_by_unit(campaign))
    text = [p.text for p in docx.Document(BytesIO(content)).paragraphs]
    assert "平工文〔2022〕30号" in text
    assert "关于命名2022年市级示范爱心母婴室的决定" in text
    assert "2022年7月26日" in text
    assert text.index("一、汝州市总工会") < text.index("汝州市税务局母婴室")
    assert text.index("二、郏县总工会") < text.index("郏县妇幼保健院母婴室")
    assert "汝州市人民医院母婴室" not in text  # not proposed


def test_the_certificate_list_has_a_row_per_named_room(campaign, women_staff, nominees, settings):
    campaign = named(campaign, women_staff, nominees, settings)
    content = documents.certificates_xlsx(campaign, selectors.certificate_rows(campaign))
    sheet = load_workbook(BytesIO(content)).active
    rows = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert rows[0] == ["序号", "命名对象", "推荐单位", "称号", "命名日期", "文号"]
    named_as, day, number = "市级示范爱心母婴室", "2022-07-26", "平工文〔2022〕30号"
    assert rows[1:] == [
        [1, "汝州市税务局母婴室", "汝州市总工会", named_as, day, number],
        [2, "郏县妇幼保健院母婴室", "郏县总工会", named_as, day, number],
    ]


# -- pages ----------------------------------------------------------------------------------


def publicity_url(campaign):
    return reverse("campaigns:publicity", args=[campaign.plan.slug, campaign.code])


def test_the_publicity_page_is_not_found_before_the_publicity(client, campaign, nominees):
    close_scoring(campaign)
    assert client.get(publicity_url(campaign)).status_code == 404


def test_an_anonymous_visitor_sees_the_list_and_raises_an_objection(
    client, campaign, women_staff, nominees, settings
):
    proposed_and_publicised(campaign, women_staff, nominees, settings)
    page = client.get(publicity_url(campaign))
    assert page.status_code == 200
    html = page.content.decode()
    assert "汝州市税务局母婴室" in html and "郏县总工会" in html
    assert "汝州市人民医院母婴室" not in html
    refused = client.post(publicity_url(campaign), {"contact": "13812345678", "text": ""})
    assert refused.status_code == 200
    assert "请填写异议内容" in refused.content.decode()
    assert 'value="13812345678"' in refused.content.decode()
    sent = client.post(publicity_url(campaign), {"text": "该母婴室未对外开放", "contact": ""})
    assert sent.status_code == 302
    assert Objection.objects.get(campaign=campaign).text == "该母婴室未对外开放"


def test_the_publicity_page_says_it_has_ended_after_its_last_day(
    client, campaign, women_staff, nominees, settings
):
    proposed_and_publicised(campaign, women_staff, nominees, settings)
    settings.UNIONPLAN_TODAY = "2022-07-25"
    page = client.get(publicity_url(campaign)).content.decode()
    assert "公示已结束" in page
    assert "汝州市税务局母婴室" not in page
    assert client.post(publicity_url(campaign), {"text": "迟到的异议"}).status_code == 200
    assert not Objection.objects.filter(campaign=campaign).exists()


def test_too_many_objections_from_one_address_are_refused(
    client, campaign, women_staff, nominees, settings
):
    proposed_and_publicised(campaign, women_staff, nominees, settings)
    for i in range(services.OBJECTIONS_PER_ADDRESS_HOUR):
        assert client.post(publicity_url(campaign), {"text": f"异议{i}"}).status_code == 302
    refused = client.post(publicity_url(campaign), {"text": "再一条"})
    assert "提交过于频繁" in refused.content.decode()


def test_the_department_names_the_list_from_its_page(
    client, campaign, women_staff, nominees, settings
):
    campaign = proposed_and_publicised(campaign, women_staff, nominees, settings)
    settings.UNIONPLAN_TODAY = "2022-07-26"
    force_login_verified(client, women_staff)
    url = reverse("campaigns:name", args=[campaign.pk])
    refused = client.post(url, {"named_on": "2022-07-22", "decision_number": "平工文〔2022〕30号"})
    html = refused.content.decode()
    assert refused.status_code == 200 and "请填写命名决定的标题" in html
    assert 'value="平工文〔2022〕30号"' in html
    done = client.post(
        url,
        {
            "named_on": "2022-07-26",
            "decision_number": "平工文〔2022〕30号",
            "decision_title": "决定",
        },
    )
    assert done.status_code == 302
    page = client.get(reverse("campaigns:naming", args=[campaign.pk])).content.decode()
    assert "郏县妇幼保健院母婴室" in page and "撤销命名" in page
    download = client.get(reverse("campaigns:decision_docx", args=[campaign.pk]))
    assert download["Content-Disposition"].startswith("attachment")


def test_a_unit_sees_only_its_own_designations(client, campaign, women_staff, nominees, settings):
    campaign = named(campaign, women_staff, nominees, settings)
    force_login_verified(client, reporter_of("jiaxian", username="jiaxian-viewer"))
    page = client.get(reverse("campaigns:naming", args=[campaign.pk])).content.decode()
    assert "郏县妇幼保健院母婴室" in page
    assert "汝州市税务局母婴室" not in page
    ruzhou_room = Designation.objects.get(campaign=campaign, unit__code="ruzhou")
    withdraw = reverse("campaigns:designation_withdraw", args=[ruzhou_room.pk])
    assert client.post(withdraw, {"withdrawn_on": "2022-07-26", "reason": "x"}).status_code == 404


def test_the_naming_page_reads_a_fixed_number_of_queries(
    campaign, women_staff, nominees, settings, django_assert_max_num_queries
):
    campaign = proposed_and_publicised(campaign, women_staff, nominees, settings)
    for nominee in nominees[1:3]:
        services.objection_raise(campaign=campaign, text="异议", nomination=nominee)
    with django_assert_max_num_queries(5):
        page = selectors.naming_page(campaign=campaign, actor=women_staff)
    assert len(page.objections) == 2 and len(page.admitted) == 3


def test_the_suggested_proposal_is_the_top_quota_and_reads_a_fixed_number_of_queries(
    campaign, women_staff, nominees, django_assert_max_num_queries
):
    close_scoring(campaign)
    with django_assert_max_num_queries(7):
        page = selectors.naming_page(campaign=campaign, actor=women_staff)
    # Nobody scored: no total to rank by, so nothing is ticked for the department.
    assert page.suggested == [] and page.can_run
    assert len(page.admitted) == 3


def test_the_publicity_page_is_titled_by_the_title_and_names_the_federation_and_window(
    client, campaign, women_staff, nominees, settings
):
    proposed_and_publicised(campaign, women_staff, nominees, settings)
    html = client.get(publicity_url(campaign)).content.decode()
    assert "「市级示范爱心母婴室」拟命名名单公示" in html
    assert "平顶山市总工会" in html and "2022-07-20 至 2022-07-24" in html
    assert "命名拟命名" not in html and "名单的公示" not in html
