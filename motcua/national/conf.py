"""Where and how to reach the national portal: read from Django settings, else the environment.

Read when `motcua sync national` runs, not at start-up: an installation that does not
synchronise needs no setting, and a bad value stops the command (exit 2), not the web site.

    MOTCUA_NATIONAL_URL       the portal's endpoint (http:// or https://), required
    MOTCUA_NATIONAL_TOKEN     bearer token sent as `Authorization: Bearer …` (may be empty)
    MOTCUA_NATIONAL_TIMEOUT   seconds to wait for the portal per request (default 10)
    MOTCUA_NATIONAL_BATCH     rows read per pass of the queue (default 100)
    MOTCUA_NATIONAL_BACKOFF   seconds before the first retry; doubled each time (default 60)
    MOTCUA_NATIONAL_BACKOFF_MAX  the longest wait between two retries (default 21600 = 6 h)
    MOTCUA_NATIONAL_LEASE     seconds a runner holds a row it sends (default 2 × timeout + 60)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


class ConfigError(Exception):
    """A missing or malformed synchronisation setting (the command exits with status 2)."""


@dataclass(frozen=True)
class PortalConfig:
    """The synchronisation settings, checked."""

    url: str
    token: str = ""
    timeout: float = 10.0
    batch_size: int = 100
    backoff: float = 60.0
    backoff_max: float = 21600.0
    lease: float | None = None

    @property
    def lease_seconds(self) -> float:
        """How long a runner holds a row it is sending (longer than any one request)."""
        return self.lease if self.lease is not None else 2 * self.timeout + 60


def _raw(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value).strip()


def _number(name: str, default: str, *, minimum: float, integer: bool = False) -> float:
    raw = _raw(name, default)
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: phải là một số") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r}: phải từ {minimum:g} trở lên")
    return value


def is_configured() -> bool:
    """True when an address of the portal is set (jobs then deliver after each change)."""
    return bool(_raw("MOTCUA_NATIONAL_URL"))


def load_config() -> PortalConfig:
    """The settings of the synchronisation, or ConfigError naming the bad one."""
    url = _raw("MOTCUA_NATIONAL_URL")
    if not url:
        raise ConfigError("chưa cấu hình địa chỉ Cổng Dịch vụ công quốc gia (MOTCUA_NATIONAL_URL)")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(f"MOTCUA_NATIONAL_URL={url!r}: phải là địa chỉ http:// hoặc https://")
    backoff = _number("MOTCUA_NATIONAL_BACKOFF", "60", minimum=0)
    backoff_max = _number("MOTCUA_NATIONAL_BACKOFF_MAX", "21600", minimum=0)
    if backoff_max < backoff:
        raise ConfigError("MOTCUA_NATIONAL_BACKOFF_MAX phải không nhỏ hơn MOTCUA_NATIONAL_BACKOFF")
    timeout = _number("MOTCUA_NATIONAL_TIMEOUT", "10", minimum=0.001)
    lease = None
    if _raw("MOTCUA_NATIONAL_LEASE"):
        lease = _number("MOTCUA_NATIONAL_LEASE", "", minimum=0.001)
        if lease <= timeout:
            raise ConfigError("MOTCUA_NATIONAL_LEASE phải lớn hơn MOTCUA_NATIONAL_TIMEOUT")
    return PortalConfig(
        url=url,
        token=_raw("MOTCUA_NATIONAL_TOKEN"),
        timeout=timeout,
        batch_size=int(_number("MOTCUA_NATIONAL_BATCH", "100", minimum=1, integer=True)),
        backoff=backoff,
        backoff_max=backoff_max,
        lease=lease,
    )
