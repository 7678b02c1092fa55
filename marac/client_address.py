"""The client's address: one rule for the throttles, the audit trail and the admin login.

X-Forwarded-For is written by whoever sends the request, so only the entries our own
proxies appended can be believed. With MARAC_TRUSTED_PROXIES = N, REMOTE_ADDR is the
last proxy and the client is the N-th entry from the right of X-Forwarded-For; anything
to its left was supplied by the client and is never read. With N = 0 (the default)
X-Forwarded-For is ignored. A forwarded value that is not an IP address, or a list
shorter than N, falls back to REMOTE_ADDR: a header can never make the address fail.

Takes a Django HttpRequest or a DRF Request (both carry META), so api/, the admin and
any future web/ package read the same address.
"""

import ipaddress

from django.conf import settings


def canonical_ip(value) -> str | None:
    """`value` as a canonical IP address string, or None if it is not one (IPv4-mapped
    IPv6 becomes IPv4, so one client has one key; scoped IPv6 is refused because the
    database's inet type cannot hold it)."""
    if not isinstance(value, str):
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if address.version == 6:
        if address.scope_id is not None:
            return None
        if address.ipv4_mapped is not None:
            address = address.ipv4_mapped
    return str(address)


def forwarded_address(forwarded_for: str, trusted_proxies: int) -> str | None:
    """The N-th entry from the right of an X-Forwarded-For value, if there is one and it
    is an IP address."""
    if trusted_proxies <= 0 or not forwarded_for:
        return None
    entries = forwarded_for.split(",")
    if len(entries) < trusted_proxies:
        return None
    return canonical_ip(entries[-trusted_proxies])


def client_address(request, trusted_proxies: int | None = None) -> str | None:
    """The address of whoever sent `request` (None if even REMOTE_ADDR is not an IP,
    e.g. a Unix socket)."""
    if trusted_proxies is None:
        trusted_proxies = settings.MARAC_TRUSTED_PROXIES
    meta = request.META
    return (forwarded_address(meta.get("HTTP_X_FORWARDED_FOR", ""), trusted_proxies)
            or canonical_ip(meta.get("REMOTE_ADDR")))
