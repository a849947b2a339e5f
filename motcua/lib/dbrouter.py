"""Read replica routing: statistics, index and report pages read from a streaming replica.

With `MOTCUA_REPLICA_DATABASE_URL` set, settings add a `replica` database alias (a PostgreSQL
hot standby of the primary). `ReplicaRouter` sends a read there only while a request runs
under `replica_reads()` — the middleware opens it for GET/HEAD requests whose path starts
with one of `MOTCUA_REPLICA_READ_PATHS` — and never inside a transaction on the primary, so a
service that locks rows (`select_for_update`) or reads what it has just written always sees
the primary. Every write goes to the primary. Without a replica alias the router answers
None everywhere and Django uses `default` (docs/deployment.md).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
_replica_reads: ContextVar[bool] = ContextVar("motcua_replica_reads", default=False)

# Pages and API reads that only count: statistics, the 766 index, the PAR Index, reports.
DEFAULT_READ_PATHS = (
    "/thong-ke/",
    "/chi-so/",
    "/chi-so-cchc/",
    "/bao-cao/",
    "/api/v1/stats/",
    "/api/v1/index/",
)


def has_replica() -> bool:
    """True when settings define the `replica` database alias."""
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def replica_reads() -> Iterator[None]:
    """Within this block, reads outside a primary transaction go to the replica (if any)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reads_go_to_replica() -> bool:
    """Whether a read issued now would be sent to the replica."""
    if not _replica_reads.get() or not has_replica():
        return False
    # A read inside an open transaction on the primary belongs to that transaction: a
    # service's locked rows, or what it has just written, are not on the replica yet.
    return not connections["default"].in_atomic_block


class ReplicaRouter:
    """Django database router: counting reads to the replica, everything else to `default`."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        """The replica inside `replica_reads()`, else Django's default choice."""
        return REPLICA if reads_go_to_replica() else None

    def db_for_write(self, model: type, **hints: Any) -> str:
        """Writes always go to the primary (a hot standby refuses them)."""
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        """Both aliases hold the same rows (physical replication): relations are fine."""
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        """Migrate the primary only; the replica receives the schema through replication."""
        return db != REPLICA


class ReplicaReadsMiddleware:
    """Open `replica_reads()` around GET/HEAD requests of the counting pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.paths = tuple(getattr(settings, "MOTCUA_REPLICA_READ_PATHS", DEFAULT_READ_PATHS))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            has_replica()
            and request.method in ("GET", "HEAD")
            and request.path.startswith(self.paths)
        ):
            with replica_reads():
                return self.get_response(request)
        return self.get_response(request)
