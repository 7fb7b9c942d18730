import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

BASE_DIR = Path(settings.BASE_DIR)
CSP = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(header: str) -> dict:
    parts = (p.strip().split(None, 1) for p in header.split(";") if p.strip())
    return dict(parts)


@pytest.mark.parametrize("path", ["/accounts/login/", "/no-such-page/"])
def test_every_response_carries_the_content_security_policy(client, db, path):
    response = client.get(path)
    assert directives(response["Content-Security-Policy"]) == CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_a_logged_in_page_carries_it_too(client, leader):
    client.force_login(leader)
    response = client.get(reverse("plans:list"))
    assert directives(response["Content-Security-Policy"]) == CSP


def templates():
    roots = [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]
    return [p for root in roots for p in root.rglob("*.html")]


def test_no_template_has_inline_script_style_or_event_handlers():
    assert len(templates()) > 10
    for path in templates():
        html = path.read_text()
        for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", html, re.S):
            assert "src=" in match.group(1) and not match.group(2).strip(), path
        assert not re.search(r"<style\b", html), path
        assert not re.search(r"\sstyle\s*=", html), path
        assert not re.search(r"\son[a-z]+\s*=", html), path
        assert "javascript:" not in html, path


def test_a_missing_page_answers_a_generic_chinese_404(client, leader):
    client.force_login(leader)
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404 and "页面不存在" in html
    assert "Traceback" not in html and "urlpatterns" not in html


def test_the_500_page_is_generic_chinese_without_a_traceback(db):
    request = RequestFactory().get("/")
    response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500 and "系统出现错误" in html
    assert "Traceback" not in html and "Exception" not in html


def test_a_csrf_failure_answers_a_chinese_403(leader):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(leader)
    response = client.post(reverse("logout"))
    assert response.status_code == 403 and "页面已过期" in response.content.decode()


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"path": "/accounts/login/", "HTTP_HOST": "evil.example"},  # not in ALLOWED_HOSTS
        {"path": "/accounts/login/?" + "&".join(f"f{n}=1" for n in range(1001))},
    ],
    ids=["bad-host", "too-many-fields"],
)
def test_a_bad_request_answers_a_generic_chinese_400(client, db, request_kwargs):
    assert settings.DEBUG is False
    response = client.get(**request_kwargs)
    html = response.content.decode()
    assert response.status_code == 400 and "请求无效" in html
    assert "Bad Request" not in html and "Traceback" not in html
    assert directives(response["Content-Security-Policy"]) == CSP


def test_a_post_with_too_many_fields_answers_the_chinese_400(client, db):
    data = {f"f{n}": "1" for n in range(1001)}
    response = client.post(reverse("login"), data)
    assert response.status_code == 400 and "请求无效" in response.content.decode()


@pytest.mark.parametrize("name", ["reporting:notifications_read", "logout"])
def test_a_wrong_method_answers_a_generic_chinese_405(client, leader, name):
    client.force_login(leader)
    response = client.get(reverse(name))
    html = response.content.decode()
    assert response.status_code == 405 and "请求方式不允许" in html
    assert "POST" in response["Allow"] and response["Content-Type"].startswith("text/html")
    assert directives(response["Content-Security-Policy"]) == CSP


def test_a_refusal_says_why_in_chinese(client, plan_2022):
    from orgs.models import User
    from orgs.tests.factories import UserFactory
    from orgs.tests.personas import force_login_verified

    force_login_verified(client, UserFactory(username="sys-403", role=User.Role.SYSTEM_ADMIN))
    response = client.get(reverse("plans:list"))
    assert response.status_code == 403
    assert "管理员账号不处理业务数据" in response.content.decode()
