"""`MOTCUA_TRUSTED_PROXIES`: the reverse proxies whose X-Forwarded-For is believed.

Parsed at start-up by the settings (a malformed entry stops the server); used by
`motcua.lib.ratelimit.client_address`. Imports nothing of Django but the exception.
"""

from __future__ import annotations

import ipaddress

from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(value: str) -> tuple[Network, ...]:
    """`MOTCUA_TRUSTED_PROXIES`: a comma list of addresses or CIDR networks (empty: none).

    A malformed entry raises ImproperlyConfigured (the server does not start)."""
    networks: list[Network] = []
    for raw in value.split(","):
        item = raw.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"MOTCUA_TRUSTED_PROXIES: {item!r} is not an IP address or CIDR network"
            ) from exc
    return tuple(networks)
