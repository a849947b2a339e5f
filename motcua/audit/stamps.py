"""Per-process caches that are never stale: keyed by a token the database itself replaces.

Every request used to read the whole unit graph and the working calendars (four queries and
several milliseconds of CPU, issue 16). They change a few times a year. A process now keeps
what it built from them with the token of `audit.ChangeStamp` it read at the time; a trigger
on each source table writes a new random token in the same statement as any insert, update
or delete — ORM saves, `bulk_create`, `QuerySet.update()`, raw SQL and imports alike — so a
changed table is seen on the very next read, in every process. A write rolled back restores
the old token with the old rows, which is exactly what the cache holds for it.

When no token is there (a database just flushed, or the triggers not installed yet) nothing
is cached.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import connection

T = TypeVar("T")
TABLE = "audit_changestamp"

# The groups of tables and the token each writes.
UNITS = "units"
CALENDAR = "calendar"
FIELDS = "fields"  # the fields of procedures (lĩnh vực), offered by every queue's filter


def trigger_sql(vendor: str, table: str, name: str) -> list[str]:
    """Statements that make every write to `table` replace the token `name`."""
    if vendor == "postgresql":
        function = "audit_changestamp_bump"
        return [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "  # noqa: S608 (constants)
            f"BEGIN INSERT INTO {TABLE} (name, token) VALUES (TG_ARGV[0], "
            "md5(random()::text || clock_timestamp()::text || txid_current()::text)) "
            "ON CONFLICT (name) DO UPDATE SET token = EXCLUDED.token; RETURN NULL; END $$",
            f"DROP TRIGGER IF EXISTS {table}_stamp ON {table}",
            f"CREATE TRIGGER {table}_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}('{name}')",
        ]
    # SQLite has row triggers only; these tables are written rarely and a few rows at a time.
    bump = (
        f"INSERT INTO {TABLE} (name, token) VALUES ('{name}', lower(hex(randomblob(16)))) "  # noqa: S608 (constants)
        "ON CONFLICT (name) DO UPDATE SET token = excluded.token;"
    )
    return [
        *drop_sql(vendor, table),
        *(
            f"CREATE TRIGGER {table}_stamp_{event[:3].lower()} AFTER {event} ON {table} "
            f"BEGIN {bump} END"
            for event in ("INSERT", "UPDATE", "DELETE")
        ),
    ]


def drop_sql(vendor: str, table: str) -> list[str]:
    """Statements that remove the triggers of `table`."""
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_stamp ON {table}"]
    return [f"DROP TRIGGER IF EXISTS {table}_stamp_{e}" for e in ("ins", "upd", "del")]


def install(schema_editor: Any, tables: Iterable[str], name: str) -> None:
    """Install the triggers (in a migration) and write a first token."""
    vendor = schema_editor.connection.vendor
    for table in tables:
        for statement in trigger_sql(vendor, table, name):
            schema_editor.execute(statement)
    bump(name, using=schema_editor.connection)


def uninstall(schema_editor: Any, tables: Iterable[str]) -> None:
    """Remove the triggers (a migration's reverse)."""
    for table in tables:
        for statement in drop_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(statement)


def bump(name: str, *, using: Any = None) -> None:
    """Write a new token for `name` by hand (what the triggers do on every write)."""
    import secrets

    conn = using or connection
    with conn.cursor() as cursor:
        token = secrets.token_hex(16)
        cursor.execute(f"DELETE FROM {TABLE} WHERE name = %s", [name])  # noqa: S608 (constant)
        cursor.execute(f"INSERT INTO {TABLE} (name, token) VALUES (%s, %s)", [name, token])  # noqa: S608


# Within a GET or HEAD request the tokens are read once (`RequestTokensMiddleware`): such a
# request writes none of the stamped tables, so what it read first is still current for it.
_request = threading.local()


def tokens(*names: str) -> tuple[str | None, ...]:
    """The current tokens of `names` (None for a token not written yet).

    One query for every token (a handful of rows), without the ORM: it runs several times on
    every page. Inside a read-only request, once per request.
    """
    found = getattr(_request, "tokens", None)
    if found is None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT name, token FROM {TABLE}")  # noqa: S608 (constant)
            found = dict(cursor.fetchall())
        if getattr(_request, "active", False):
            _request.tokens = found
    return tuple(found.get(n) for n in names)


class RequestTokensMiddleware:
    """Read the change tokens at most once per GET or HEAD request (see `tokens`)."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        _request.active, _request.tokens = True, None
        try:
            return self.get_response(request)
        finally:
            _request.active, _request.tokens = False, None


class StampedCache:
    """One value per key, kept while the tokens it was built under are current."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[Any, tuple[tuple[str | None, ...], Any]] = {}

    def get(self, key: Any, stamp: tuple[str | None, ...], build: Callable[[], T]) -> T:
        """The value of `key` built under `stamp`, building it if missing or outdated."""
        if None in stamp:
            return build()
        entry = self._entries.get(key)
        if entry is not None and entry[0] == stamp:
            return entry[1]
        value = build()
        with self._lock:
            self._entries[key] = (stamp, value)
        return value

    def get_many(
        self,
        keys: Iterable[Any],
        stamp: tuple[str | None, ...],
        build: Callable[[list[Any]], dict[Any, T]],
    ) -> dict[Any, T]:
        """The values of `keys` under `stamp`; the missing or outdated ones built in one call."""
        keys = list(keys)
        if None in stamp:
            return build(keys)
        result: dict[Any, T] = {}
        missing = []
        for key in keys:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == stamp:
                result[key] = entry[1]
            else:
                missing.append(key)
        if missing:
            built = build(missing)
            with self._lock:
                for key, value in built.items():
                    self._entries[key] = (stamp, value)
            result.update(built)
        return result

    def clear(self) -> None:
        """Forget everything (tests)."""
        with self._lock:
            self._entries.clear()
