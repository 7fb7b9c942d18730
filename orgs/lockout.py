"""The login lockout (AXES_HANDLER): a lock that an attacker cannot turn against the owner.

Usernames are unit codes and easy to guess, so a lock on the username alone would let anyone
keep any account (the three administrators included) locked with five requests every half
hour. Failures are therefore counted per AXES_LOCKOUT_PARAMETERS group, each with its own limit:

- (username, address): AXES_FAILURE_LIMIT. The address the failures came from is locked out
  of that account; the owner, from their own address, is not.
- address alone: UNIONPLAN_LOGIN_ADDRESS_FAILURE_LIMIT failures across every username, so one
  address cannot spray a few guesses at each of hundreds of accounts. It is set well above
  one person's typos, so that a unit's office behind one NAT address is not stopped by them.

Axes itself compares the largest count of any group with one limit; this handler keeps its
storage and signals and only changes how the counts are weighed and what a success forgets.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum

ADDRESS = "ip_address"
USERNAME = "username"


def _fields(group: str | list[str]) -> tuple[str, ...]:
    return (group,) if isinstance(group, str) else tuple(group)


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failures that count against this attempt, as axes compares them with
        AXES_FAILURE_LIMIT: an address past its own limit counts as a full lock. Marks the
        request `unionplan_address_locked` for the lockout page and the audit log."""
        limit = get_failure_limit(request, credentials)
        groups = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        failures, address_locked = 0, False
        for group, attempts in zip(groups, attempts_list, strict=True):
            count = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if _fields(group) == (ADDRESS,):
                if count >= settings.UNIONPLAN_LOGIN_ADDRESS_FAILURE_LIMIT:
                    address_locked = True
                    failures = max(failures, limit)
            else:
                failures = max(failures, count)
        request.unionplan_address_locked = address_locked
        return failures

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a login, forget only that username's failures from this address. Axes would
        also clear the address group, which would let someone holding one account wipe the
        address's count (and their guesses at others) by logging in between guesses."""
        groups = get_lockout_parameters(request, credentials)
        attempts_list = self.filter_user_attempts(request, credentials)
        count = 0
        for group, attempts in zip(groups, attempts_list, strict=True):
            if USERNAME in _fields(group):
                count += attempts.delete()[0]
        return count
