"""Every account and audit page × every persona: who gets the page, who gets 403, and that
anonymous visitors are sent to the login page. A new page in these namespaces without a row
here fails `test_every_account_and_audit_page_has_a_row`."""

import pytest
from django.urls import get_resolver, reverse

from orgs.models import User
from orgs.tests.factories import UserFactory
from orgs.tests.personas import force_login_verified

PERSONAS = [
    "leader",
    "labour_staff",
    "ruzhou_reporter",
    "unit_head",
    "system_admin",
    "security_admin",
    "audit_admin",
]

# (url name, method, the personas that may use it, the status they get)
PAGES = [
    ("orgs:password_change", "get", set(PERSONAS), 200),
    ("orgs:otp_settings", "get", set(PERSONAS), 200),
    ("orgs:otp_enrol", "get", set(PERSONAS), 200),
    ("orgs:otp_qr", "get", set(PERSONAS), 200),
    ("orgs:otp_verify", "get", set(PERSONAS), 302),  # nothing left to verify: home
    ("orgs:user_list", "get", {"system_admin"}, 200),
    ("orgs:user_create", "get", {"system_admin"}, 200),
    ("orgs:user_edit", "get", {"system_admin"}, 200),
    ("orgs:user_active_set", "post", {"system_admin"}, 302),
    ("orgs:user_password_reset", "post", {"system_admin"}, 200),
    ("orgs:unit_accounts_plans", "get", {"system_admin"}, 200),
    ("orgs:unit_accounts_preview", "get", {"system_admin"}, 200),
    ("orgs:unit_accounts_create", "post", {"system_admin"}, 302),  # no preview confirmed
    # 群机器人; the test message goes to 127.0.0.1:9, where nothing listens: back to the list.
    ("orgs:robot_list", "get", {"system_admin"}, 200),
    ("orgs:robot_create", "get", {"system_admin"}, 200),
    ("orgs:robot_edit", "get", {"system_admin"}, 200),
    ("orgs:robot_delete", "post", {"system_admin"}, 302),
    ("orgs:robot_test", "post", {"system_admin"}, 302),
    ("orgs:role_list", "get", {"security_admin"}, 200),
    ("orgs:role_change", "get", {"security_admin"}, 200),
    ("orgs:locked_list", "get", {"security_admin"}, 200),
    ("orgs:account_unlock", "post", {"security_admin"}, 302),
    ("orgs:policy", "get", {"security_admin"}, 200),
    ("orgs:otp_reset", "get", {"security_admin"}, 200),
    ("audit:entry_list", "get", {"audit_admin"}, 200),
    ("audit:entry_export", "get", {"audit_admin"}, 200),
]


@pytest.fixture
def unit_head(plan_2022):
    from orgs.models import Unit

    return UserFactory(
        username="ruzhou-head-test", role=User.Role.UNIT_HEAD, unit=Unit.objects.get(code="ruzhou")
    )


@pytest.fixture
def target(db):
    return UserFactory(username="target-test")


@pytest.fixture
def robot(plan_2022, system_admin):
    from orgs.models import Unit
    from orgs.robot_services import robot_create

    return robot_create(
        actor=system_admin,
        unit=Unit.objects.get(code="ruzhou"),
        kind="wecom",
        webhook_url="http://127.0.0.1:9/cgi-bin/webhook/send?key=k",
    )


ROBOT_PAGES = {"orgs:robot_edit", "orgs:robot_delete", "orgs:robot_test"}


def url_for(name, target, robot=None):
    if name in ROBOT_PAGES:  # anonymous visitors never reach the lookup: any number will do
        return reverse(name, kwargs={"pk": robot.pk if robot else target.pk})
    needs_pk = name in {
        "orgs:user_edit",
        "orgs:user_active_set",
        "orgs:user_password_reset",
        "orgs:role_change",
        "orgs:otp_reset",
    }
    if name.startswith("orgs:unit_accounts_") and name != "orgs:unit_accounts_plans":
        return reverse(name, kwargs={"slug": "pingdingshan-2022"})
    return reverse(name, kwargs={"pk": target.pk} if needs_pk else None)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name, method, allowed, status", PAGES)
def test_each_page_answers_each_persona(
    client, request, plan_2022, target, robot, persona, name, method, allowed, status
):
    force_login_verified(client, request.getfixturevalue(persona))
    data = {"username": "nobody"} if name == "orgs:account_unlock" else {}
    response = getattr(client, method)(url_for(name, target, robot), data)
    assert response.status_code == (status if persona in allowed else 403)


@pytest.mark.parametrize("name, method, allowed, status", PAGES)
def test_anonymous_visitors_are_sent_to_login(client, target, name, method, allowed, status):
    response = getattr(client, method)(url_for(name, target))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_every_account_and_audit_page_has_a_row():
    resolver = get_resolver()
    names = {
        f"{namespace}:{name}"
        for namespace in ("orgs", "audit")
        for name in get_resolver(resolver.namespace_dict[namespace][1].urlconf_module).reverse_dict
        if isinstance(name, str)
    }
    assert names == {row[0] for row in PAGES}
