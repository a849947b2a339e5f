"""What every state-change service shares: the error family, the instant check, the row lock,
the optimistic version write and the order of the timeline (STYLE.md, "One place for every
state change"). Dossiers and feedback items each name their own errors and words."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

M = TypeVar("M", bound=models.Model)


class ServiceError(Exception):
    """A change that cannot be done; `field` names the bad input if there is one (HTTP 400)."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def checked_instant(at: Any, error: type[ServiceError]) -> dt.datetime:
    """`at` as given (aware, not in the future), or now when None; `error` otherwise."""
    if at is None:
        return timezone.now()
    if not isinstance(at, dt.datetime) or timezone.is_naive(at):
        raise error("thời điểm phải có múi giờ", field="at")
    if at > timezone.now() + dt.timedelta(minutes=1):
        raise error("không thể ghi nhận một thời điểm trong tương lai", field="at")
    return at


def lock_fresh(row: M, related: tuple[str, ...], conflict: ServiceError) -> M:
    """Re-read `row` under a lock (PostgreSQL); `conflict` if its state or version moved."""
    fresh: Any = (
        type(row)
        ._default_manager.select_for_update(of=("self",))
        .select_related(*related)
        .get(pk=row.pk)
    )
    seen: Any = row
    if (fresh.state, fresh.lock_version) != (seen.state, seen.lock_version):
        raise conflict
    return fresh


def save_versioned(row: M, expected: int, changes: dict[str, Any], conflict: ServiceError) -> None:
    """Write `changes` only if the row is still at version `expected` (portable optimistic lock)."""
    changes = {**changes, "lock_version": expected + 1, "updated_at": timezone.now()}
    updated = type(row)._default_manager.filter(pk=row.pk, lock_version=expected).update(**changes)
    if updated != 1:
        raise conflict
    for name, value in changes.items():
        setattr(row, name, value)


def check_not_before(events: models.QuerySet[Any], at: dt.datetime, error: ServiceError) -> None:
    """`error` if `at` is earlier than the latest entry of the timeline `events`."""
    last = events.order_by("-at").values_list("at", flat=True).first()
    if last is not None and at < last:
        raise error
