"""What apps above reporting add to the units' obligations, without reporting importing them.

Records sits above reporting (docs/architecture.md): a statistics form due on fixed dates or
every period makes obligations of its own kind (统计表报送), met by the unit's rows or its 本期无
rather than by a report. Records registers here, in its AppConfig.ready(), how to make them,
which of them a unit has acted on, and where a unit answers one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse


@dataclass(frozen=True)
class ObligationSource:
    kind: str  # the Obligation.Kind it makes
    # rows(plan=, units=, calendar=, reviewers=) → one dict of Obligation fields (attnames) per
    # obligation, with the keys obligations_generate matches its own by; called inside it.
    rows: Callable[..., list[dict]]
    # The obligations a unit has acted on (a 本期无 declared, even if withdrawn since): kept,
    # like those with a report, when the plan no longer asks for them.
    acted_on: Callable[[], Q]
    # Where the unit answers one (a reminder's link); the obligation's plan is loaded.
    url: Callable[[Any], str]
    # recount(obligation=, counts=, at=) → how many late items of the obligation now count
    # (or stop counting) from `at`, their figures computed again: an approved 补报申请, or its
    # revocation (reporting/services/late_requests.py). None: nothing beyond reports' figures.
    recount: Callable[..., int] | None = None


_sources: dict[str, ObligationSource] = {}


def obligation_source(source: ObligationSource) -> None:
    _sources[source.kind] = source


def obligation_sources() -> list[ObligationSource]:
    return list(_sources.values())


def obligation_recount(obligation, *, counts: bool, at) -> int:
    """The late items of an obligation of an app above (a form's rows) made to count, or not,
    from `at` by their source; 0 for a kind with none."""
    source = _sources.get(obligation.kind)
    if source is None or source.recount is None:
        return 0
    return source.recount(obligation=obligation, counts=counts, at=at)


def obligation_url(obligation) -> str:
    """Where the obligation's unit answers it: its report page, or its source's page."""
    source = _sources.get(obligation.kind)
    if source is None:
        return reverse("reporting:report", kwargs={"pk": obligation.pk})
    return source.url(obligation)
