import pytest
from django.test import RequestFactory

from common.redirects import local_path, redirect_back


@pytest.mark.parametrize("target", ["/records/pingdingshan-2022/", "/reporting/review/?page=2"])
def test_a_path_on_this_site_is_kept(target):
    assert local_path(target) == target


@pytest.mark.parametrize(
    "target",
    [
        "x",  # a bare word: redirect() would look it up as a URL name
        "home",
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        '<object data="javascript:alert(1)">',
        "/ok\r\nSet-Cookie: a=b",
        "/ok\x00",
        "/" + "a" * 3000,
        "",
        None,
    ],
)
def test_anything_else_is_dropped(target):
    assert local_path(target) is None


def test_a_refused_next_sends_the_user_to_the_default_page():
    request = RequestFactory().post("/", {"next": "x"})
    assert redirect_back(request, "/home/")["Location"] == "/home/"
    request = RequestFactory().post("/", {"next": "/records/"})
    assert redirect_back(request, "/home/")["Location"] == "/records/"
