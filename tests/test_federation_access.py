"""Two federations in one database: no role of the second reaches the first's plan, reports,
rows, figures, files or accounts (every URL pattern that names one answers 403 or 404), and
each sees only its own plans, units and departments."""

import textwrap

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from orgs.models import Department, Unit, User
from orgs.tests.factories import UserFactory, head_of, reporter_of
from orgs.tests.personas import force_login_verified, login_post
from plans.planfile.spec import read_plan_file
from plans.services import plan_load
from plans.tests.services.test_federations import SECOND_CITY
from reporting.services import obligations_generate
from tests.test_authorization import PUBLIC, RULES, objects, personas  # noqa: F401 - fixtures

SECOND = "xuchang-2022"


@pytest.fixture
def second_city(plan_2022, tmp_path):
    path = tmp_path / "second.yaml"
    path.write_text(
        textwrap.dedent(SECOND_CITY.replace("XC_PINGMEI", "xc-pingmei")), encoding="utf-8"
    )
    plan = plan_load(spec=read_plan_file(path)).plan
    obligations_generate(plan=plan)
    return plan


@pytest.fixture
def strangers(second_city):
    """Every role of the second city (许昌)."""
    federation = second_city.issuer
    labour = Department.objects.get(federation=federation, name="劳动和经济工作部")
    return {
        "reporter": reporter_of("xc-yuzhou", username="x-reporter"),
        "head": head_of("xc-yuzhou", username="x-head"),
        "staff": UserFactory(
            username="x-staff", role=User.Role.DEPARTMENT_STAFF, department=labour
        ),
        "leader": UserFactory(username="x-leader", federation=federation),
        **{
            role: UserFactory(username=f"x-{role}", role=role, federation=federation)
            for role in (
                User.Role.SYSTEM_ADMIN,
                User.Role.SECURITY_ADMIN,
                User.Role.AUDIT_ADMIN,
            )
        },
    }


class _Any:
    """Stands for any object a rule's address names: its pk and every `…_id` are 1, its code
    "any"."""

    pk = 1
    code = "any"

    def __getattr__(self, name):
        if name.endswith("_id"):
            return 1
        raise AttributeError(name)


def _names_an_object(name) -> bool:
    """The pattern's address names a plan or an object of the first federation."""
    _, kwargs, _ = RULES[name]
    return bool({"slug", "pk", "evidence_pk"} & set(kwargs(_Objects())))


class _Objects(dict):
    def __missing__(self, key):
        return _Any()


# A public page (公示) is open to anyone, another federation's people included.
@pytest.mark.parametrize(
    "name", sorted(n for n in RULES if _names_an_object(n) and n not in PUBLIC)
)
def test_no_role_of_another_federation_reaches_an_object_of_this_one(
    client, request, strangers, name
):
    # The first federation's report, rows, files and figures, as the URL matrix makes them.
    made = request.getfixturevalue("objects")
    method, kwargs, _ = RULES[name]
    url = reverse(name, kwargs=kwargs(made))
    got = {}
    for role, user in strangers.items():
        sid = transaction.savepoint()
        client.logout()
        force_login_verified(client, user)
        response = getattr(client, method)(url, {"version": 1, "reason": "测试"})
        if response.streaming:
            b"".join(response.streaming_content)
        got[role] = response.status_code
        transaction.savepoint_rollback(sid)
    assert set(got.values()) <= {403, 404}, got


def test_each_federations_leader_lists_and_lands_on_its_own_plans_only(
    client, plan_2022, second_city, strangers, leader
):
    client.force_login(strangers["leader"])
    listing = client.get(reverse("plans:list")).content.decode()
    assert second_city.title in listing and plan_2022.title not in listing
    assert client.get(reverse("home"))["Location"].endswith(f"/{SECOND}/")
    client.force_login(leader)
    listing = client.get(reverse("plans:list")).content.decode()
    assert plan_2022.title in listing and second_city.title not in listing
    assert client.get(reverse("plans:overview", args=[SECOND])).status_code == 404


def test_a_unit_user_sees_the_plans_its_unit_is_in_and_no_other(
    client, plan_2022, second_city, strangers
):
    client.force_login(strangers["reporter"])
    assert client.get(reverse("plans:overview", args=[SECOND])).status_code == 200
    assert client.get(reverse("plans:overview", args=[plan_2022.slug])).status_code == 404


def test_the_administrator_manages_and_picks_only_their_own_federations_people_and_units(
    client, plan_2022, second_city, strangers, leader
):
    admin = strangers[User.Role.SYSTEM_ADMIN]
    force_login_verified(client, admin)
    users = client.get(reverse("orgs:user_list")).content.decode()
    assert "x-reporter" in users and leader.username not in users
    form = client.get(reverse("orgs:user_create")).content.decode()
    assert "禹州市总工会" in form and "汝州市总工会" not in form
    own = Department.objects.get(federation=second_city.issuer, name="劳动和经济工作部")
    theirs = Department.objects.get(federation=plan_2022.issuer, name="劳动和经济工作部")
    assert f'value="{own.pk}"' in form and f'value="{theirs.pk}"' not in form
    assert client.get(reverse("orgs:user_edit", args=[leader.pk])).status_code == 404


def test_a_new_account_belongs_to_its_administrators_federation(client, second_city, strangers):
    force_login_verified(client, strangers[User.Role.SYSTEM_ADMIN])
    client.post(
        reverse("orgs:user_create"),
        {"username": "x-new-leader", "display_name": "新领导", "role": "leader"},
    )
    assert User.objects.get(username="x-new-leader").federation == second_city.issuer
    assert Unit.objects.get(code="xuchang") == second_city.issuer


def test_a_security_administrator_neither_sees_nor_ends_another_federations_login_lock(
    client, second_city, strangers, leader
):
    visitor = Client()
    for _ in range(5):
        login_post(visitor, leader.username, "wrong-Password1")
        login_post(visitor, "x-reporter", "wrong-Password1")
    force_login_verified(client, strangers[User.Role.SECURITY_ADMIN])
    locks = client.get(reverse("orgs:locked_list")).context["accounts"]
    assert {lock.username for lock in locks} == {"x-reporter"}
    response = client.post(
        reverse("orgs:account_unlock"), {"username": leader.username}, follow=True
    )
    assert f"没有账号 {leader.username} 的锁定可以解除" in response.content.decode()
    assert login_post(visitor, leader.username).status_code == 429
