"""Workspace login lockouts: one account at one address, and one address across every account.

django-axes counts failures for each group of AXES_LOCKOUT_PARAMETERS (here the account at an
address, and the address alone) but holds every count to one limit. This handler gives the address
its own, higher limit: AXES_FAILURE_LIMIT failures of one account from one address lock that account
there (a forgotten password, a guess at one person); AXES_ADDRESS_FAILURE_LIMIT failures from one
address, whatever the accounts, lock the address (password spraying: a few guesses at each of many
accounts). Neither locks an account anywhere else, so one address cannot shut every regulator out.

A successful login clears only that account's failures at that address: a regulator's own typos stop
counting against the office's address, and someone holding one account cannot wipe the record of the
other accounts they tried by logging in with it.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

ADDRESS = "ip_address"  # the group of AXES_LOCKOUT_PARAMETERS that is the address alone


class LoginLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failures axes holds to AXES_FAILURE_LIMIT: the account's at this address, or the limit
        itself once the address alone reached AXES_ADDRESS_FAILURE_LIMIT."""
        limit = get_failure_limit(request, credentials)
        failures = 0
        each_group = get_lockout_parameters(request, credentials)
        groups = zip(each_group, self.get_user_attempts(request, credentials), strict=True)
        for parameters, attempts in groups:
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameters == ADDRESS:
                failures = max(failures, limit if count >= settings.AXES_ADDRESS_FAILURE_LIMIT else 0)
            else:
                failures = max(failures, count)
        return failures

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a success: the failures of this account at this address only."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count
