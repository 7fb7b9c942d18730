"""Every URL pattern, as a user allowed on it, with hostile values of the parameters the
application reads: the answer may refuse them (4xx, a form error, a redirect), never a 500.

The parameter names are every field of every form the views use, plus the few read from the
request by hand; the values are what a crafted link or a tampered form would send: dates outside
what Python and the databases hold, numbers past 64 bits, URLs and scripts where a path is
expected, control characters, very long text, lists where one value is expected.
"""

import sys
from contextlib import ExitStack, contextmanager
from unittest import mock

import pytest
from django import forms
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgs.tests.personas import force_login_verified
from tests.test_authorization import PERSONAS, RULES, objects, personas  # noqa: F401

HAND_READ = ["next", "page", "correct", "rows", "active", "username", "action", "values"]

HOSTILE_TEXT = [
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "2022-02-30",
    "-1",
    "0",
    "9" * 30,
    "-" + "9" * 30,
    "1e309",
    "NaN",
    "Infinity",
    "0x10",
    "１２",
    "x",
    "javascript:alert(1)",
    '<object data="javascript:alert(1)">',
    "//evil.example/",
    "/\\evil.example",
    "https://evil.example/",
    "\x00",
    "a\r\nLocation: /x",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "é" * 5000,
    "",
]


def _form_field_names() -> list[str]:
    # Importing the apps' form modules is what registers their Form classes as subclasses.
    import dashboards.forms  # noqa: F401
    import orgs.audit_views  # noqa: F401
    import orgs.forms  # noqa: F401
    import records.forms  # noqa: F401
    import reporting.forms  # noqa: F401
    import supervision.forms  # noqa: F401

    names = set(HAND_READ)
    pending = [forms.Form, forms.ModelForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        names.update(getattr(cls, "base_fields", {}))
    return sorted(names)


PARAMETERS = _form_field_names()
values = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(str),
    st.text(max_size=40),
)


def _allowed_persona(expected: dict) -> str | None:
    for persona in PERSONAS:
        if expected[persona] in (200, 302) and persona != "anonymous":
            return persona
    return None


WALKED = sorted(n for n, (_m, _k, e) in RULES.items() if _allowed_persona(e))


def test_the_walk_covers_most_patterns():
    # A pattern nobody may use cannot be walked; every other one is.
    assert len(WALKED) >= len(RULES) - 2


BUILDING = MultiValueDict.setlistdefault.__code__


@contextmanager
def keys_read():
    """The names a request's handling looked up in GET or POST (forms call `data.get`)."""
    seen = set()
    wrapped = {}
    for method in ("get", "getlist", "__getitem__", "__contains__"):
        original = getattr(MultiValueDict, method)

        def spy(self, key, *args, _original=original, **kwargs):
            # Building a QueryDict asks `key in self` of every key it is given; only the
            # handling's own lookups count as reads.
            building = sys._getframe(1).f_code is BUILDING
            if isinstance(self, QueryDict) and not building:
                seen.add(key)
            return _original(self, key, *args, **kwargs)

        wrapped[method] = spy
    with ExitStack() as stack:
        for method, spy in wrapped.items():
            stack.enter_context(mock.patch.object(MultiValueDict, method, spy))
        yield seen


def test_only_the_keys_a_handler_looks_up_count_as_read():
    with keys_read() as seen:
        query = QueryDict("as_of=2022-07-20&page=2&unused=1")
        query.get("as_of")
        "page" in query  # noqa: B015
    assert seen == {"as_of", "page"}


# The values that broke pages before, each sent alone to every parameter a page reads.
PROBES = ["9999-12-31", "0001-01-01", "9" * 30, "x", '<object data="javascript:alert(1)">']


@pytest.mark.parametrize("name", WALKED)
def test_no_hostile_parameter_gives_a_server_error(client, personas, objects, name):  # noqa: F811
    method, kwargs, expected = RULES[name]
    url = reverse(name, kwargs=kwargs(objects))
    force_login_verified(client, personas[_allowed_persona(expected)])
    call = getattr(client, method)

    def ask(query):
        # The test client raises what the view raised, so a 500 fails here with its traceback.
        sid = transaction.savepoint()
        try:
            response = call(url, query)
            if response.streaming:
                b"".join(response.streaming_content)
            assert response.status_code < 500, (query, response.status_code)
        finally:
            transaction.savepoint_rollback(sid)

    with keys_read() as seen:
        ask(dict.fromkeys(PARAMETERS, "1"))
    read = sorted(k for k in seen if isinstance(k, str) and k != "csrfmiddlewaretoken")
    read = read or ["next"]
    for key in read:
        for value in PROBES:
            ask({key: value})

    @settings(
        max_examples=4,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        query=st.dictionaries(
            st.sampled_from(read),
            st.one_of(values, st.lists(values, min_size=2, max_size=3)),
            max_size=4,
        )
    )
    def walk(query):
        ask(query)

    walk()
