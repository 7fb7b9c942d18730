"""What a server process does once, after Django is set up and before its first request.

`freeze_startup_heap()` loads the URLconf (and with it every view and the modules they use)
and moves everything alive then into the collector's permanent generation (`gc.freeze`).
Python's full collections walk every tracked object; at start-up that is about 95,000 of
Django's, the apps' and the libraries', none of which is ever garbage. A request that
allocates much, like the Word bulletin at 1,000 units (tens of thousands of figures), set off
full collections that walked them all again: 20-55 ms of it. Frozen, they are skipped.
It also keeps pre-forked workers from copying memory pages the collector would otherwise
write to (the reason the Python documentation gives for `gc.freeze`).
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Load the URLconf, collect once, freeze what is left; returns how many were frozen."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module now, not per request
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
