"""Login throttling that a stranger cannot turn against an account (attack pass, issue 11).

allauth counts failed logins per account ("key": the e-mail address) from all addresses: five
wrong passwords locked the account, the pact office's included, for everyone for five minutes. Here
allauth's "key" is the account *from one client address*, so the strict limit (5 in 5 minutes)
binds the one who guesses, not the owner logging in from elsewhere. A wide limit per account from
all addresses (action "login_failed_account", e.g. 100 per hour) still stops a slow guess spread
over many addresses; reaching it takes that many addresses' worth of attempts. settings.py
ACCOUNT_RATE_LIMITS holds the rates; docs/security.md the reasoning."""

from __future__ import annotations

from typing import Any

from allauth.core.internal import ratelimit
from django.http import HttpRequest

ACCOUNT_ACTION = "login_failed_account"


class LoginThrottleMixin:
    """For the allauth account adapter (klimapakt/core/adapters.py)."""

    def _account_key(self, request: HttpRequest, **credentials: Any) -> str:
        return super()._get_login_attempts_cache_key(request, **credentials)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth's "login_failed" rates "…/key": per account and client address (IPv6: its /64).
        return f"{self._account_key(request, **credentials)}:{ratelimit.get_ip(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        usage = ratelimit.consume(request, app="allauth.account", action=ACCOUNT_ACTION,
                                  key=self._account_key(request, **credentials))
        if not usage:
            raise self.validation_error("too_many_login_attempts")
        # A successful login rolls back both counts (allauth: _rollback_login_failed_rl_usage).
        self._login_failed_rl_usage = ratelimit.RateLimitUsage(
            usage=[*self._login_failed_rl_usage.usage, *usage.usage])

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        # After a password reset: the account's counts start afresh.
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(request, app="allauth.account", action=ACCOUNT_ACTION,
                        key=self._account_key(request, **credentials))
