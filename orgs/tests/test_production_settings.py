"""Production settings, loaded in a subprocess as a deployment would load them."""

import json
import os
import secrets
import subprocess  # noqa: S404 - runs this project's own manage.py
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def production_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="unionplan.example.invalid",
        UNIONPLAN_PERSONAL_KEYS=f"k1:{secrets.token_hex(16)},index:{secrets.token_hex(32)}",
    )
    env.pop("UNIONPLAN_PERSONAL_KEYS_FILE", None)
    return env


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.fixture(scope="module")
def production():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'DEBUG', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', "
        "'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SECURE', "
        "'CSRF_COOKIE_SAMESITE', 'UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE', 'PASSWORD_HASHERS']}))"
    )
    result = run("-c", code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_is_https_only_with_a_year_of_hsts_and_safe_cookies(production):
    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == production["CSRF_COOKIE_SAMESITE"] == "Lax"


def test_production_forces_initial_passwords_to_be_changed_and_hashes_with_argon2(production):
    assert production["UNIONPLAN_FORCE_INITIAL_PASSWORD_CHANGE"] is True
    assert production["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")


def check_with(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = check_with(env)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_refuse_to_start_without_personal_data_keys():
    env = production_env()
    del env["UNIONPLAN_PERSONAL_KEYS"]
    result = check_with(env)
    assert result.returncode != 0
    assert "UNIONPLAN_PERSONAL_KEYS or UNIONPLAN_PERSONAL_KEYS_FILE is required" in result.stderr


def test_production_settings_refuse_the_public_development_keys():
    from config.settings.base import _DEV_PERSONAL_KEYS

    env = production_env()
    env["UNIONPLAN_PERSONAL_KEYS"] = _DEV_PERSONAL_KEYS
    result = check_with(env)
    assert result.returncode != 0 and "public development keys" in result.stderr
    assert _DEV_PERSONAL_KEYS.split(",")[0].split(":")[1] not in result.stderr


def test_production_settings_read_the_personal_data_keys_from_a_file(tmp_path):
    keys = tmp_path / "personal.keys"
    keys.write_text(
        f"# unionplan personal-data keys\nk2:{secrets.token_hex(16)}\nk1:{secrets.token_hex(16)}\n"
        f"index:{secrets.token_hex(32)}\n",
        encoding="utf-8",
    )
    env = production_env()
    del env["UNIONPLAN_PERSONAL_KEYS"]
    env["UNIONPLAN_PERSONAL_KEYS_FILE"] = str(keys)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(','.join(s.UNIONPLAN_PERSONAL_SEAL_KEYS), len(s.UNIONPLAN_PERSONAL_INDEX_KEY))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["k2,k1", "32"]
