from demo.accounts import demo_accounts_create
from orgs.models import User


def test_in_development_demo_accounts_need_not_change_the_printed_password(plan_2022, settings):
    settings.UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE = False
    demo_accounts_create(plan=plan_2022)
    assert User.objects.filter(username="ruzhou").exists()
    assert not User.objects.filter(must_change_password=True).exists()


def test_with_the_production_rule_every_demo_account_must_change_it_first(plan_2022, settings):
    settings.UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE = True
    demo_accounts_create(plan=plan_2022)
    assert User.objects.filter(username="ruzhou", must_change_password=True).exists()
    assert not User.objects.filter(must_change_password=False).exists()
    assert not User.objects.filter(password_changed_at__isnull=True).exists()


def test_development_settings_do_not_force_the_change_unless_debug_is_off():
    from config.settings import base

    assert base.UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE is (not base.DEBUG)
