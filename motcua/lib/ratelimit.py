"""Fixed-window rate limits per client address, on Django's cache.

Public lookups (dossier status, feedback follow-up, ratings) answer a guessed code with the
same "not found" as a wrong one; the limit is what makes guessing slow. The window counter
lives in the default cache: per process with the in-memory cache of a single server, shared
when the deployment configures a shared cache (docs/configuration.md).
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone


@dataclass(frozen=True)
class Limit:
    """At most `count` hits per `seconds` for one client under one `scope` name."""

    scope: str
    count: int
    seconds: int


def client_address(request: HttpRequest) -> str:
    """The client's address as the server saw it (a proxy in front must set REMOTE_ADDR)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


# One IPv6 subscriber holds a whole /64 (often more): counted per address, a guesser would
# take a fresh address for every try. Counted per /64, that subscriber is one client.
IPV6_PREFIX = 64


def client_key(request: HttpRequest) -> str:
    """Who a limit counts: the IPv4 address, or the /64 network of an IPv6 address."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, IPV6_PREFIX), strict=False))
    return str(ip)


def _key(limit: Limit, who: str, window: int) -> str:
    digest = hashlib.sha256(who.encode()).hexdigest()[:32]
    return f"ratelimit:{limit.scope}:{digest}:{window}"


def hit(request: HttpRequest, limit: Limit) -> bool:
    """Count one hit for the request's client (`client_key`); False when the limit is used up."""
    window = int(timezone.now().timestamp()) // limit.seconds
    key = _key(limit, client_key(request), window)
    if cache.add(key, 1, timeout=limit.seconds + 1):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=limit.seconds + 1)
        return True
    return count <= limit.count


def retry_after(limit: Limit) -> int:
    """Seconds until the current window ends (for the Retry-After header)."""
    now = int(timezone.now().timestamp())
    return limit.seconds - now % limit.seconds
