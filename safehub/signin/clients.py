"""Which client a request comes from, for the sign-in throttle (ADR 0023).

Without a proxy in front of Safehub the client is the connection's address (REMOTE_ADDR), and
X-Forwarded-For is ignored: anyone can send one. Behind proxies, SAFEHUB_TRUSTED_PROXIES says how
many: each proxy appends the address it was connected from to X-Forwarded-For, so with N trusted
proxies the client is the N-th entry from the right (the address the outermost proxy saw); entries
further left were written by the client and are not believed. An IPv6 client is throttled by its
/64 network, since one household or office is given a whole /64 to pick addresses from.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "unknown"


def client_address(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.SAFEHUB_TRUSTED_PROXIES
    address = remote
    if proxies > 0:
        hops = [hop.strip() for hop in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if hop.strip()]
        # Fewer entries than proxies: the request did not come through them all. Fall back to the
        # connection's address, which throttles more (everyone behind that proxy together), not less.
        if len(hops) >= proxies:
            address = hops[-proxies]
    return normalised(address)


def normalised(address: str) -> str:
    """An IPv4 address as it is, an IPv6 one as its /64 network; `unknown` for anything else."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return UNKNOWN
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)
