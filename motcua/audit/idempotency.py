"""Remembering write requests once: claim a key, then record its answer or release it.

The API's `Idempotency-Key` header and the one-time token of an HTML form both come here
(`motcua.lib.idempotency` holds the DRF mixin and the view decorator). A key is claimed in
its own short transaction, committed before the write runs, so that a concurrent repeat sees
it: the repeat then waits or answers 409 instead of acting a second time.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from motcua.audit.models import IdempotencyKey

logger = logging.getLogger(__name__)

# A claim older than this that never completed belongs to a process that died mid-request.
ABANDONED_AFTER = dt.timedelta(minutes=10)
RELEASE_ATTEMPTS = 5


class KeyReused(Exception):
    """The key was used before for another request (other method, path or body)."""


class KeyInProgress(Exception):
    """The first request with this key is still running."""


def key_lifetime() -> dt.timedelta:
    """How long a key is remembered (setting `MOTCUA_IDEMPOTENCY_TTL_HOURS`, 24 by default)."""
    return dt.timedelta(hours=getattr(settings, "MOTCUA_IDEMPOTENCY_TTL_HOURS", 24))


def claim_key(
    *,
    user: Any,
    key: str,
    method: str,
    path: str,
    fingerprint: str = "",
    now: dt.datetime | None = None,
) -> tuple[IdempotencyKey, bool]:
    """Claim `key` for this request: (row, False) to go ahead, (row, True) to replay its answer.

    Raises `KeyReused` when the key belongs to a different request and `KeyInProgress` while
    the first request is still running. Expired and abandoned keys are forgotten first.
    """
    now = now or timezone.now()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    user=user,
                    key=key,
                    method=method,
                    path=path[:500],
                    fingerprint=fingerprint,
                    created_at=now,
                )
        except IntegrityError:
            existing = IdempotencyKey.objects.filter(user=user, key=key).first()
            if existing is None:  # released between our insert and our read: try again
                continue
            expired = existing.created_at < now - key_lifetime()
            abandoned = (
                existing.completed_at is None and existing.created_at < now - ABANDONED_AFTER
            )
            if expired or abandoned:
                IdempotencyKey.objects.filter(
                    pk=existing.pk, completed_at=existing.completed_at
                ).delete()
                continue
            if (existing.method, existing.path, existing.fingerprint) != (
                method,
                path[:500],
                fingerprint,
            ):
                raise KeyReused(key) from None
            if existing.completed_at is None:
                raise KeyInProgress(key) from None
            return existing, True
        else:
            try:
                with transaction.atomic():
                    forget_expired_keys(user=user, now=now)
            except OperationalError:
                # Housekeeping only: a busy database must not fail the request, nor leave
                # the claim just committed in place with nobody to complete or release it.
                logger.warning("idempotency: expired keys not forgotten (database busy)")
            return row, False
    raise KeyInProgress(key)


def complete_key(
    row: IdempotencyKey, *, status_code: int, body: Any = None, location: str = ""
) -> None:
    """Record the answer of the request that claimed `row`: repeats will get it back."""
    IdempotencyKey.objects.filter(pk=row.pk).update(
        completed_at=timezone.now(),
        status_code=status_code,
        body=body,
        location=location[:500],
    )


def release_key(row: IdempotencyKey) -> None:
    """Forget a claim whose request did not act (failed or refused): a retry may run again.

    The request often failed because the database was busy; a release lost to the same
    cause would leave every retry answered "still running" until the claim is abandoned,
    so it is tried a few times.
    """
    for attempt in range(RELEASE_ATTEMPTS):
        try:
            IdempotencyKey.objects.filter(pk=row.pk, completed_at__isnull=True).delete()
            return
        except OperationalError:
            if attempt == RELEASE_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def forget_expired_keys(*, user: Any = None, now: dt.datetime | None = None) -> int:
    """Delete keys older than their lifetime (of one user, or of everyone); return how many."""
    now = now or timezone.now()
    rows = IdempotencyKey.objects.filter(created_at__lt=now - key_lifetime())
    if user is not None:
        rows = rows.filter(user=user)
    return rows.delete()[0]
