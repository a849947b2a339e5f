"""Guessing budgets: fixed-window counters shared by every worker, in the database.

Public look-ups (dossier status, feedback follow-up, ratings) answer a guessed code with the
same "not found" as a wrong one, and sign-in answers a wrong password like an unknown account;
the budgets are what make guessing slow. A budget counts hits of one `who` under one scope name
in fixed windows of `seconds`: per client address (`hit`), or per any other key such as an
account name or a dossier code (`hit_key`, `used_up`).

The counters are rows of `people.GuessCounter`, incremented by one atomic upsert
(INSERT … ON CONFLICT … DO UPDATE … RETURNING, SQLite ≥ 3.35 and PostgreSQL), so two gunicorn
workers and two application servers see one count. Rows of ended windows are purged whenever a
new window starts. The model is looked up through the app registry: this module sits on the
lowest floor and imports no app.

The client address is REMOTE_ADDR, or — only when REMOTE_ADDR is one of the configured
`MOTCUA_TRUSTED_PROXIES` — the right-most `X-Forwarded-For` address that is not itself a trusted
proxy (anything to its left was written by the client and may be forged).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from motcua.lib.proxies import Network


@dataclass(frozen=True)
class Limit:
    """At most `count` hits per `seconds` for one client (or key) under one `scope` name."""

    scope: str
    count: int
    seconds: int


# -- trusted proxies -----------------------------------------------------------------------------


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = value.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51000"
        text = text.split(":", 1)[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _trusted(value: str, proxies: Iterable[Network]) -> bool:
    ip = _ip(value)
    return ip is not None and any(ip in network for network in proxies)


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind a trusted proxy the right-most
    `X-Forwarded-For` hop that is not a trusted proxy itself."""
    remote = str(request.META.get("REMOTE_ADDR") or "unknown")
    proxies: tuple[Network, ...] = getattr(settings, "MOTCUA_TRUSTED_PROXIES", ())
    if not proxies or not _trusted(remote, proxies):
        return remote  # a direct peer: its X-Forwarded-For is whatever it chose to write
    hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    hops = [h for h in hops if h]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            ip = _ip(hop)
            return str(ip) if ip is not None else hop
    return hops[0] if hops else remote


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


# -- counting ------------------------------------------------------------------------------------


def _digest(who: str) -> str:
    return hashlib.sha256(who.encode()).hexdigest()


def _window(limit: Limit) -> int:
    return int(timezone.now().timestamp()) // limit.seconds


def _counter_model() -> Any:
    return apps.get_model("people", "GuessCounter")


def purge_expired(*, now: Any = None) -> int:
    """Delete the counters of windows that have ended; the number of rows deleted."""
    deleted, _ = _counter_model().objects.filter(expires_at__lt=now or timezone.now()).delete()
    return int(deleted)


def _increment(limit: Limit, who: str) -> int:
    """Add one hit to `who`'s current window and return the window's count (one statement)."""
    model = _counter_model()
    window = _window(limit)
    expires = dt.datetime.fromtimestamp((window + 1) * limit.seconds, tz=dt.UTC)
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    count = q("count")
    # Only quoted model names are interpolated; the values are parameters.
    sql = (
        f"INSERT INTO {table} ({q('scope')}, {q('key')}, {q('window')}, {count}, "  # noqa: S608
        f"{q('expires_at')}) VALUES (%s, %s, %s, 1, %s) "
        f"ON CONFLICT ({q('scope')}, {q('key')}, {q('window')}) "
        f"DO UPDATE SET {count} = {table}.{count} + 1 RETURNING {count}"
    )
    expires_value = connection.ops.adapt_datetimefield_value(expires)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [limit.scope, _digest(who), window, expires_value])
        value = int(cursor.fetchone()[0])
    if value == 1:  # a new window began: the ended ones can go
        purge_expired()
    return value


def count(limit: Limit, who: str) -> int:
    """Hits counted for `who` in the current window (nothing is counted)."""
    row = (
        _counter_model()
        .objects.filter(scope=limit.scope, key=_digest(who), window=_window(limit))
        .values_list("count", flat=True)
        .first()
    )
    return int(row or 0)


def hit_key(limit: Limit, who: str) -> bool:
    """Count one hit for `who` (an account name, a dossier code…); False once used up."""
    return _increment(limit, who) <= limit.count


def used_up(limit: Limit, who: str) -> bool:
    """True when `who` has no hit left in the current window (nothing is counted)."""
    return count(limit, who) >= limit.count


def hit(request: HttpRequest, limit: Limit) -> bool:
    """Count one hit for the request's client (`client_key`); False when the limit is used up."""
    return hit_key(limit, "client:" + client_key(request))


def retry_after(limit: Limit) -> int:
    """Seconds until the current window ends (for the Retry-After header)."""
    now = int(timezone.now().timestamp())
    return limit.seconds - now % limit.seconds
