"""Environment-variable parsing that fails loudly on malformed values."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    """Return the variable's value, or the default when it is unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Parse a boolean variable (1/0, true/false, yes/no, on/off)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """Parse an integer variable."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}")
    return value


def env_date(name: str, default: str) -> dt.date:
    """Parse an ISO date variable (YYYY-MM-DD)."""
    raw = os.environ.get(name, default)
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a date (YYYY-MM-DD)") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """Parse a comma-separated list variable."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# Writers wait for each other instead of failing at once, and take the write lock when the
# transaction begins, so that two concurrent services never deadlock on a lock upgrade.
SQLITE_OPTIONS = {"timeout": 30, "transaction_mode": "IMMEDIATE"}


def redact_url(url: str) -> str:
    """The URL with its password replaced by ***, safe for messages and logs."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        return "<unparseable URL>"


def database_config(
    url: str | None, *, var_dir: Path, variable: str = "DATABASE_URL", conn_max_age: int = 0
) -> dict:
    """Turn a database URL into a Django DATABASES entry, rejecting unsupported schemes."""
    import dj_database_url

    if not url:
        var_dir.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(var_dir / "motcua.sqlite3"),
            "OPTIONS": SQLITE_OPTIONS,
        }
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{variable}={redact_url(url)!r}: unsupported scheme {scheme!r} "
            "(use sqlite:////abs/path.sqlite3 or postgres://user:pass@host:port/name)"
        )
    try:
        config = dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
    except Exception as exc:  # dj-database-url raises several exception types
        raise ImproperlyConfigured(f"{variable}={redact_url(url)!r} is malformed") from exc
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{variable}={redact_url(url)!r} names no database")
    if scheme == "sqlite":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
        name = str(config.get("NAME") or "")
        if name and name != ":memory:":
            Path(name).parent.mkdir(parents=True, exist_ok=True)
    return config


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def env_log_level(name: str, default: str) -> str:
    """Parse a logging level name (case-insensitive)."""
    raw = os.environ.get(name, default)
    level = raw.strip().upper()
    if level not in LOG_LEVELS:
        raise ImproperlyConfigured(f"{name}={raw!r} is not one of {', '.join(LOG_LEVELS)}")
    return level
