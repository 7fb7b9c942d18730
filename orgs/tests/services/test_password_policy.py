import pytest
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from demo.accounts import DEMO_PASSWORD, demo_accounts_create
from orgs.models import PasswordHistory, User
from orgs.passwords import character_classes, temporary_password_generate
from orgs.services import (
    administrator_create,
    user_create,
    user_password_change,
    user_password_reset,
)
from orgs.tests.factories import UserFactory


def messages_for(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def test_a_password_of_three_classes_and_eight_characters_is_accepted(db):
    assert messages_for("Gongh8ui") == []
    assert messages_for("gonghui8!") == []


def test_a_password_shorter_than_eight_characters_is_refused_in_chinese(db):
    assert "密码太短，至少需要 8 个字符。" in messages_for("Gh8ui!x")


def test_a_password_longer_than_128_characters_is_refused_but_128_are_accepted(db):
    assert messages_for("Aa1!" * 32) == []
    assert "密码太长，最多 128 个字符。" in messages_for("Aa1!" * 32 + "x")


@pytest.mark.parametrize("password", ["gonghuiwork", "gonghui2024", "GONGHUI2024", "gonghui!@#$"])
def test_a_password_of_two_character_classes_is_refused(db, password):
    assert character_classes(password) < 3
    assert any("至少 3 类" in m for m in messages_for(password))


def test_the_four_classes_are_upper_lower_digit_and_symbol():
    assert character_classes("Aa1!") == 4
    assert character_classes("Aa1 ") == 4
    assert character_classes("aaaa") == 1


def test_a_password_containing_the_username_is_refused_whatever_its_case(db):
    user = UserFactory.build(username="ruzhou")
    assert "密码不能是用户名，也不能包含用户名。" in messages_for("RuZhou@2024", user)
    assert "密码不能是用户名，也不能包含用户名。" not in messages_for("Pingding@2024", user)


@pytest.mark.parametrize("password", ["P@ssw0rd", "Password123", "Admin@123"])
def test_a_common_password_is_refused_even_with_three_classes(db, password):
    assert "该密码过于常见，请换一个。" in messages_for(password)


def test_none_of_the_last_five_passwords_may_be_used_again(db):
    user = UserFactory()
    passwords = [f"Gonghui#{n}x" for n in range(6)]
    for password in passwords:
        user = user_password_change(user=user, new_password=password)
    for recent in passwords[1:]:  # the current one and the four before it
        assert "不能使用最近 5 次用过的密码。" in messages_for(recent, user)
    assert messages_for(passwords[0], user) == []  # six changes ago: allowed again
    assert PasswordHistory.objects.filter(user=user).count() == 5


def _seeded(plan):
    demo_accounts_create(plan=plan)
    return User.objects.get(username="ruzhou"), DEMO_PASSWORD


def _created(plan):
    return user_create(
        actor=None, username="zhang", display_name="张", email="", role=User.Role.LEADER
    )


def _reset(plan):
    user = UserFactory()
    return user, user_password_reset(actor=None, user=user)


def _administrator(plan):
    user, password, _ = administrator_create(username="secadmin2", role=User.Role.SECURITY_ADMIN)
    return user, password


@pytest.mark.parametrize("given", [_seeded, _created, _reset, _administrator])
def test_a_password_someone_else_set_is_in_the_history(plan_2022, given):
    user, password = given(plan_2022)
    assert any(check_password(password, h.password) for h in user.password_history.all())
    user = user_password_change(user=user, new_password="Xinmima#2026")
    assert "不能使用最近 5 次用过的密码。" in messages_for(password, user)


def test_the_current_password_counts_even_if_it_was_set_before_history_was_kept(db):
    user = UserFactory()  # password set directly, no history row
    assert "不能使用最近 5 次用过的密码。" in messages_for("Test@pass123", user)


def test_a_temporary_password_meets_the_policy(db):
    user = UserFactory()
    for _ in range(20):
        password = temporary_password_generate()
        assert len(password) == 14 and character_classes(password) == 4
        assert messages_for(password, user) == []


def test_passwords_are_hashed_with_argon2_outside_tests():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
