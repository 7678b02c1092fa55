"""Rate limits, keyed by the one client-address rule (marac.client_address).

DRF's own get_ident reads the whole X-Forwarded-For header when NUM_PROXIES is unset,
so a client that sends a new value each time gets a new bucket each time. Every throttle
here identifies an anonymous caller by `client_address` instead. Logins are limited per
address and per username, so neither rotating addresses nor rotating usernames gets an
attacker more guesses. The same classes guard `/api/v1/auth/token/` and `/admin/login/`
with the same cache keys, so attempts on either count together.
"""

import hashlib
import math
import unicodedata

from rest_framework import throttling
from rest_framework.exceptions import APIException

from .client_address import client_address


class ClientAddressIdentMixin:
    def get_ident(self, request):
        return client_address(request) or request.META.get("REMOTE_ADDR") or ""


class AnonRateThrottle(ClientAddressIdentMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressIdentMixin, throttling.UserRateThrottle):
    pass


class LoginAddressThrottle(ClientAddressIdentMixin, throttling.SimpleRateThrottle):
    """Login attempts per client address (MARAC_THROTTLE_LOGIN)."""

    scope = "login"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view):
        allowed = super().allow_request(request, view)
        if not allowed:
            setattr(request, ADDRESS_SPENT, True)
        return allowed


# Set on a request the address throttle refused: its 429 answers, whatever the body holds.
ADDRESS_SPENT = "_marac_login_address_spent"


def normalise_username(value) -> str | None:
    """The form every spelling of one account's username shares: the token endpoint
    strips whitespace and accepts numbers, and case is folded so that "Alice" and
    "alice" share one budget (None when no username was sent)."""
    if value is None or isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    username = unicodedata.normalize("NFKC", str(value)).strip().casefold()
    return username or None


def submitted_username(request):
    """The username in a login POST: DRF's parsed body or a Django form's POST."""
    data = request.data if hasattr(request, "data") else request.POST
    return data.get("username") if hasattr(data, "get") else None


class LoginUsernameThrottle(throttling.SimpleRateThrottle):
    """Login attempts per username, from any address (MARAC_THROTTLE_LOGIN_USERNAME)."""

    scope = "login_username"

    def get_cache_key(self, request, view):
        try:
            username = normalise_username(submitted_username(request))
        except APIException:
            # A body the parser refuses names no account. Once the address throttle has
            # refused the attempt, its 429 answers; until then the parser's 400 does.
            if getattr(request, ADDRESS_SPENT, False):
                return None
            raise
        if username is None:
            return None
        # Hashed: a key of fixed length and alphabet, whatever was typed.
        digest = hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


LOGIN_THROTTLES = (LoginAddressThrottle, LoginUsernameThrottle)


def login_throttle_wait(request) -> int | None:
    """For login views outside DRF (the admin): record the attempt against every login
    throttle, as DRF's check_throttles does, and return the seconds to wait (for
    Retry-After) if any refuses it, else None."""
    waits = []
    for throttle_class in LOGIN_THROTTLES:
        throttle = throttle_class()
        if not throttle.allow_request(request, None):
            wait = throttle.wait()
            waits.append(throttle.duration if wait is None else wait)
    return max(1, math.ceil(max(waits))) if waits else None
