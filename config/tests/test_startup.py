"""A server process freezes its start-up heap: the view modules are loaded first, so they are
among the frozen objects, and later collections no longer walk them."""

import gc
import sys

import pytest

from config.startup import freeze_startup_heap


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the test run collects as usual


def test_start_up_loads_the_views_and_freezes_what_is_alive(unfrozen):
    frozen = freeze_startup_heap()
    # Frozen objects may still be freed and other threads allocate: no exact count, only the order.
    assert frozen > 10_000
    assert gc.get_freeze_count() > 10_000
    assert "dashboards.bulletin.document" in sys.modules  # a view's module, loaded before freezing
    module = sys.modules["dashboards.bulletin.document"]
    assert not any(obj is module.__dict__ for obj in gc.get_objects())  # frozen: not tracked


def test_the_wsgi_entry_point_freezes_the_heap(unfrozen, monkeypatch):
    monkeypatch.delitem(sys.modules, "config.wsgi", raising=False)
    import config.wsgi  # noqa: F401

    assert gc.get_freeze_count() > 10_000
