"""The system administrator creates a reporter and a head for every unit of a plan that lacks
them, and gets their temporary passwords once, as an Excel file."""

from io import BytesIO
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from common.errors import ServiceError
from orgs import services
from orgs.models import Unit, User
from orgs.tests.factories import UserFactory
from orgs.tests.personas import force_login_verified, login_post
from orgs.unit_accounts import UNIT_ACCOUNTS_CHANGED
from plans.services import plan_load
from plans.tests.services.test_federations import SECOND_CITY, SECOND_PINGMEI, spec_of

SLUG = "pingdingshan-2022"
PLANS = reverse("orgs:unit_accounts_plans")
PREVIEW = reverse("orgs:unit_accounts_preview", args=[SLUG])
CREATE = reverse("orgs:unit_accounts_create", args=[SLUG])
UNIT_ROLES = [User.Role.UNIT_REPORTER, User.Role.UNIT_HEAD]
HEADERS = ["单位全称", "单位代码", "角色", "用户名", "临时密码"]


@pytest.fixture
def sys_client(client, system_admin, plan_2022):
    force_login_verified(client, system_admin)
    return client


def confirm(client, preview=PREVIEW, create=CREATE):
    """Open the preview and confirm what it shows."""
    fingerprint = client.get(preview).context["form"].initial["fingerprint"]
    return client.post(create, {"fingerprint": fingerprint})


def file_rows(response) -> list[dict]:
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in sheet[3]] == HEADERS
    rows = []
    for values in sheet.iter_rows(min_row=4, values_only=True):
        if values[1] is None:  # the notes below the table
            break
        rows.append(dict(zip(HEADERS, values, strict=True)))
    return rows


def unit_accounts(plan):
    return {
        (code, role)
        for code, role in User.objects.filter(
            unit__in=plan.units.all(), role__in=UNIT_ROLES
        ).values_list("unit__code", "role")
    }


def test_the_user_list_leads_to_the_action_for_the_federations_own_plans(sys_client, plan_2022):
    assert PLANS in sys_client.get(reverse("orgs:user_list")).content.decode()
    html = sys_client.get(PLANS).content.decode()
    assert plan_2022.title in html and PREVIEW in html


def test_the_preview_lists_units_lacking_accounts_and_not_those_having_them(
    sys_client, ruzhou_reporter, ruzhou_head, jiaxian_reporter
):
    response = sys_client.get(PREVIEW)
    rows = {row.unit.code: row for row in response.context["preview"].rows}
    assert "ruzhou" not in rows and "pds" not in rows  # complete; the issuer's own unit
    assert (rows["jiaxian"].reporter, rows["jiaxian"].head) == (None, "jiaxian-head")
    assert (rows["wugang"].reporter, rows["wugang"].head) == ("wugang", "wugang-head")
    html = response.content.decode()
    assert "wugang-head" in html and "平顶山市总工会</td>" not in html
    assert not User.objects.filter(username="wugang").exists()  # a preview changes nothing


def test_confirming_creates_the_missing_accounts_and_keeps_the_existing_ones(
    sys_client, plan_2022, ruzhou_reporter, ruzhou_head, jiaxian_reporter
):
    response = confirm(sys_client)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    rows = file_rows(response)
    units = plan_2022.units.exclude(pk=plan_2022.issuer_id)
    # Every unit now has exactly one reporter and one head, the issuer's unit none.
    assert unit_accounts(plan_2022) == {(u.code, r) for u in units for r in UNIT_ROLES}
    for unit in units:
        for role in UNIT_ROLES:
            assert User.objects.filter(unit=unit, role=role).count() == 1
    assert not User.objects.filter(unit=plan_2022.issuer, role__in=UNIT_ROLES).exists()
    assert User.objects.get(unit__code="jiaxian", role="unit_reporter") == jiaxian_reporter
    made = {(r["单位代码"], r["角色"], r["用户名"]) for r in rows}
    assert ("jiaxian", "单位负责人", "jiaxian-head") in made
    assert ("wugang", "单位填报员", "wugang") in made
    assert not {code for code, _, _ in made} & {"ruzhou", "pds"}
    assert len(made) == 2 * units.count() - 3
    wugang = User.objects.get(username="wugang")
    assert wugang.federation == plan_2022.issuer and wugang.must_change_password
    assert wugang.display_name == "舞钢市填报员"
    assert next(r for r in rows if r["用户名"] == "wugang")["单位全称"] == wugang.unit.name


def test_the_action_and_each_account_are_in_the_audit_log(sys_client, plan_2022):
    rows = file_rows(confirm(sys_client))
    created = AuditEntry.objects.filter(event="orgs.user.created")
    assert {e.after["username"] for e in created} == {r["用户名"] for r in rows}
    [action] = AuditEntry.objects.filter(event="orgs.user.bulk_created")
    units = plan_2022.units.exclude(pk=plan_2022.issuer_id).count()
    assert action.actor_username == "sysadmin-test" and action.object_repr == plan_2022.title
    assert action.after == {
        "plan": SLUG,
        "units": units,
        "reporters": units,
        "heads": units,
        "accounts": len(rows),
    }
    [export] = AuditEntry.objects.filter(event="orgs.user.passwords_exported")
    assert export.after["rows"] == len(rows)


def test_the_passwords_in_the_file_log_in_and_must_be_changed_first(sys_client):
    rows = file_rows(confirm(sys_client))
    for row in (rows[0], rows[1]):  # a reporter and a head
        visitor = Client()
        assert login_post(visitor, row["用户名"], row["临时密码"]).status_code == 302
        assert visitor.get(reverse("home"))["Location"] == reverse("orgs:password_change")
        assert "请先修改密码" in visitor.get(reverse("orgs:password_change")).content.decode()


def test_the_file_is_handed_out_once_and_its_passwords_are_kept_nowhere(sys_client):
    fingerprint = sys_client.get(PREVIEW).context["form"].initial["fingerprint"]
    passwords = [
        r["临时密码"] for r in file_rows(sys_client.post(CREATE, {"fingerprint": fingerprint}))
    ]
    # The same confirmation again: no file, nothing new.
    again = sys_client.post(CREATE, {"fingerprint": fingerprint}, follow=True)
    assert "Content-Disposition" not in again
    assert "没有创建新账号" in again.content.decode()
    assert AuditEntry.objects.filter(event="orgs.user.bulk_created").count() == 1
    pages = (
        sys_client.get(PREVIEW).content.decode()
        + sys_client.get(reverse("orgs:user_list")).content.decode()
    )
    log = str(list(AuditEntry.objects.values()))
    sessions = str([s.get_decoded() for s in Session.objects.all()])
    users = str(list(User.objects.values()))
    for password in passwords:
        assert password not in pages + log + sessions + users


def test_a_second_run_creates_nothing(sys_client, plan_2022):
    confirm(sys_client)
    before = unit_accounts(plan_2022), User.objects.count()
    response = confirm(sys_client)
    assert response.status_code == 302 and response["Location"] == PREVIEW
    assert (unit_accounts(plan_2022), User.objects.count()) == before
    assert "没有需要创建的账号" in sys_client.get(PREVIEW).content.decode()


def test_nothing_is_created_when_one_account_fails_midway(sys_client, plan_2022):
    real, calls = services.user_create, []

    def fails_at_the_fifth(**kwargs):
        calls.append(kwargs["username"])
        if len(calls) == 5:
            raise ServiceError("该用户名已被使用（用户名不区分大小写）")
        return real(**kwargs)

    before = User.objects.count()
    with mock.patch.object(services, "user_create", side_effect=fails_at_the_fifth):
        response = confirm(sys_client)
    assert response.status_code == 302 and len(calls) == 5
    assert User.objects.count() == before and unit_accounts(plan_2022) == set()
    assert not AuditEntry.objects.filter(event__startswith="orgs.user.").exists()
    assert "该用户名已被使用" in sys_client.get(PREVIEW).content.decode()


def test_a_name_taken_after_the_preview_is_refused_and_nothing_is_created(sys_client, plan_2022):
    fingerprint = sys_client.get(PREVIEW).context["form"].initial["fingerprint"]
    UserFactory(username="WUGANG")  # the same name as the preview's, in other letters' case
    response = sys_client.post(CREATE, {"fingerprint": fingerprint}, follow=True)
    assert UNIT_ACCOUNTS_CHANGED in response.content.decode()
    assert unit_accounts(plan_2022) == set()
    assert "wugang-2" in response.content.decode()  # the new preview avoids it


def test_usernames_avoid_the_taken_ones_ignoring_case(sys_client):
    UserFactory(username="Wugang")
    UserFactory(username="wugang-2")
    rows = {row.unit.code: row for row in sys_client.get(PREVIEW).context["preview"].rows}
    assert (rows["wugang"].reporter, rows["wugang"].head) == ("wugang-3", "wugang-head")


@pytest.mark.parametrize(
    "role", [User.Role.LEADER, User.Role.SECURITY_ADMIN, User.Role.AUDIT_ADMIN]
)
def test_no_other_role_may_preview_or_run_it(client, plan_2022, role):
    force_login_verified(client, UserFactory(role=role))
    assert client.get(PLANS).status_code == 403
    assert client.get(PREVIEW).status_code == 403
    assert client.post(CREATE, {"fingerprint": "x"}).status_code == 403
    assert unit_accounts(plan_2022) == set()


def test_a_unit_user_may_not_run_it(client, ruzhou_reporter, plan_2022):
    client.force_login(ruzhou_reporter)
    assert client.get(PREVIEW).status_code == 403
    assert client.post(CREATE, {"fingerprint": "x"}).status_code == 403


def test_anonymous_goes_to_the_login_and_a_get_cannot_confirm(client, sys_client):
    assert sys_client.get(CREATE).status_code == 405
    anonymous = Client()
    assert anonymous.get(PREVIEW)["Location"].startswith(reverse("login"))


@pytest.fixture
def second_city(plan_2022, tmp_path):
    """A second city whose plan names one of Pingdingshan's units (平煤) as existing."""
    text = SECOND_CITY.replace(
        SECOND_PINGMEI.replace("xc-pingmei", "XC_PINGMEI"),
        "{code: pingmei, name: 中国平煤神马集团, short_name: 平煤, kind: enterprise_union,"
        " existing: true,",
    )
    return plan_load(spec=spec_of(tmp_path, text)).plan


@pytest.fixture
def second_admin(second_city):
    return UserFactory(username="x-sys", role=User.Role.SYSTEM_ADMIN, federation=second_city.issuer)


def test_another_federations_administrator_gets_404_and_creates_nothing(
    client, plan_2022, second_admin
):
    force_login_verified(client, second_admin)
    assert client.get(PREVIEW).status_code == 404
    assert client.post(CREATE, {"fingerprint": "x"}).status_code == 404
    assert plan_2022.title not in client.get(PLANS).content.decode()
    assert unit_accounts(plan_2022) == set()


def test_a_unit_another_federation_owns_gets_no_account_from_this_one(
    client, second_city, second_admin
):
    force_login_verified(client, second_admin)
    preview = reverse("orgs:unit_accounts_preview", args=[second_city.slug])
    create = reverse("orgs:unit_accounts_create", args=[second_city.slug])
    shown = client.get(preview).context["preview"]
    assert [row.unit.code for row in shown.rows] == ["xc-yuzhou"]
    assert [unit.code for unit in shown.foreign] == ["pingmei"]
    rows = file_rows(confirm(client, preview, create))
    assert {r["用户名"] for r in rows} == {"xc-yuzhou", "xc-yuzhou-head"}
    yuzhou = User.objects.get(username="xc-yuzhou-head")
    assert yuzhou.federation == second_city.issuer == yuzhou.unit.federation
    assert not User.objects.filter(unit=Unit.objects.get(code="pingmei")).exists()
