"""Delivery of the outbox to the national portal — gửi hộp thư đi lên Cổng Dịch vụ công quốc gia.

Guarantees (docs/national-sync.md):

- **In order per dossier.** Only the head of a dossier's queue (its pending row with the
  lowest sequence) is ever sent; a later row waits until every earlier one is delivered.
- **At least once, applied once.** A row is claimed (a lease, `claimed_until`), sent with its
  `Idempotency-Key`, then marked delivered. A crash between the portal's answer and the mark
  leaves the row pending; after the lease it is sent again with the same key and the portal
  applies it once. A delivered row is never sent again.
- **Two runners never send the same row at once.** The claim is one conditional UPDATE (only
  one runner's update matches); on PostgreSQL the candidate is first locked with
  `SELECT … FOR UPDATE SKIP LOCKED`, so runners pass each other's rows without waiting.
  SQLite has no row locks: its single writer makes the conditional UPDATE atomic.
- **Retries with exponential back-off.** A failure keeps the error, counts the attempt and
  sets the next attempt `backoff × 2^(attempts−1)` later, capped at `backoff_max`.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from motcua.national.choices import OutboxState
from motcua.national.conf import PortalConfig
from motcua.national.models import OutboxRow

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class Answer:
    """What came of one attempt: delivered, or the reason it was not (in Vietnamese)."""

    ok: bool
    error: str = ""


class Portal(Protocol):
    """Something that takes one outbox row to the national portal."""

    def send(self, row: OutboxRow) -> Answer:
        """Send `row` once; never raises for a network or portal failure."""
        ...


def request_body(row: OutboxRow) -> dict[str, Any]:
    """The JSON document sent for a row (the portal keys its de-duplication on `MaGiaoDich`)."""
    return {
        "MaGiaoDich": str(row.idempotency_key),
        "MaHoSo": row.dossier.code,
        "SoThuTu": row.sequence,
        "TrangThaiHoSo": row.status_code,
        "ThoiDiemThayDoi": row.created_at.isoformat(),
        "DuLieu": row.payload,
    }


class HttpPortal:
    """The national portal over HTTP: one JSON POST per row with bearer token and key."""

    def __init__(self, config: PortalConfig) -> None:
        self.config = config

    def send(self, row: OutboxRow) -> Answer:
        """POST the row; a 2xx answer means the portal has it."""
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": str(row.idempotency_key),
        }
        if self.config.token:
            headers["Authorization"] = f"Bearer {self.config.token}"
        data = json.dumps(request_body(row), ensure_ascii=False).encode()
        # conf.load_config admits http:// and https:// URLs only.
        request = urllib.request.Request(  # noqa: S310
            self.config.url, data=data, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout) as response:  # noqa: S310
                response.read()
            return Answer(True)
        except urllib.error.HTTPError as exc:
            return Answer(False, f"Cổng trả lời lỗi HTTP {exc.code}")
        except TimeoutError:
            return Answer(False, self._timeout())
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                return Answer(False, self._timeout())
            log.warning("national portal unreachable: %s", exc.reason)
            return Answer(False, "không kết nối được Cổng")
        except (http.client.HTTPException, ConnectionError, OSError) as exc:
            log.warning("national portal dropped the connection: %r", exc)
            return Answer(False, "mất kết nối với Cổng trước khi nhận được trả lời")

    def _timeout(self) -> str:
        return f"Cổng không trả lời trong {self.config.timeout:g} giây"


def backoff_delay(attempts: int, config: PortalConfig) -> dt.timedelta:
    """Wait before the next attempt after `attempts` failed ones: base × 2^(n−1), capped."""
    seconds = config.backoff * (2 ** max(attempts - 1, 0))
    return dt.timedelta(seconds=min(seconds, config.backoff_max))


def due_heads(now: dt.datetime) -> QuerySet[OutboxRow]:
    """Pending rows that may be sent now: due, not held by a runner, first of their dossier."""
    earlier = OutboxRow.objects.filter(
        dossier_id=OuterRef("dossier_id"),
        sequence__lt=OuterRef("sequence"),
        state=OutboxState.PENDING,
    )
    return (
        OutboxRow.objects.filter(state=OutboxState.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
        .exclude(Exists(earlier))
    )


def claim(pk: int, now: dt.datetime, config: PortalConfig) -> bool:
    """Take row `pk` for sending if it is still a due head nobody holds; count the attempt."""
    with transaction.atomic():
        candidate = due_heads(now).filter(pk=pk)
        locking = connection.features.has_select_for_update_skip_locked
        if locking and not candidate.select_for_update(skip_locked=True).values_list("pk"):
            return False  # another runner holds it, or it is no longer due
        lease = now + dt.timedelta(seconds=config.lease_seconds)
        taken = candidate.update(
            claimed_until=lease, attempts=F("attempts") + 1, last_attempt_at=now
        )
        return taken == 1


@dataclass
class Failure:
    """One failed attempt, for the report."""

    dossier: str
    sequence: int
    error: str
    next_attempt_at: dt.datetime


@dataclass
class SyncReport:
    """What one run did."""

    delivered: int = 0
    failures: list[Failure] = field(default_factory=list)
    waiting: int = 0  # pending rows left (not yet due, behind a failed row, or held)

    @property
    def failed(self) -> int:
        """Attempts that failed in this run."""
        return len(self.failures)

    @property
    def exit_code(self) -> int:
        """0 when every attempt succeeded, 1 when some failed."""
        return 1 if self.failures else 0


def deliver_pending(
    *,
    config: PortalConfig,
    portal: Portal | None = None,
    now: Clock = timezone.now,
    limit: int | None = None,
) -> SyncReport:
    """One pass over the queue: send every row due now, in order per dossier.

    Heads are walked in creation order with a cursor; after a head is delivered, its
    dossier's next row follows at once (it is the new head), until one fails or none is
    due. So each row is attempted at most once per pass. `limit` caps the attempts.
    """
    portal = portal or HttpPortal(config)
    report = SyncReport()
    cursor = 0
    attempts = 0
    stopped: set[int] = set()  # dossiers whose row failed in this pass (even with no back-off)

    def room() -> bool:
        return limit is None or attempts < limit

    while room():
        heads = list(
            due_heads(now())
            .filter(pk__gt=cursor)
            .order_by("pk")
            .values_list("pk", "dossier_id")[: config.batch_size]
        )
        if not heads:
            break
        for pk, dossier_id in heads:
            cursor = pk
            if dossier_id in stopped:
                continue
            next_pk: int | None = pk
            while next_pk is not None and room():
                if not claim(next_pk, now(), config):
                    break  # another runner has it, or it is no longer due
                attempts += 1
                row = OutboxRow.objects.select_related("dossier").get(pk=next_pk)
                if not _settle(row, portal.send(row), now(), config, report):
                    stopped.add(dossier_id)
                    break
                following = due_heads(now()).filter(dossier_id=dossier_id).order_by("sequence")
                next_pk = following.values_list("pk", flat=True).first()
            if not room():
                break
    report.waiting = OutboxRow.objects.filter(state=OutboxState.PENDING).count()
    return report


def _settle(
    row: OutboxRow, answer: Answer, at: dt.datetime, config: PortalConfig, report: SyncReport
) -> bool:
    """Mark the row delivered (True), or keep the error and set its next attempt (False)."""
    mine = OutboxRow.objects.filter(pk=row.pk, state=OutboxState.PENDING)
    if answer.ok:
        mine.update(
            state=OutboxState.DELIVERED,
            delivered_at=at,
            claimed_until=None,
            next_attempt_at=None,
            last_error="",
        )
        report.delivered += 1
        return True
    next_at = at + backoff_delay(row.attempts, config)
    mine.update(last_error=answer.error[:500], next_attempt_at=next_at, claimed_until=None)
    report.failures.append(Failure(row.dossier.code or "", row.sequence, answer.error, next_at))
    return False
