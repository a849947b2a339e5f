"""Queue a notice and send it after the commit — gửi thông báo cho người dân.

`queue_notice` is called inside the transaction of the change the notice reports: the row is
written there, and the job that sends it (`jobs.deliver_notice`) is enqueued with
`transaction.on_commit`, so a change that rolls back sends nothing and a notice is never sent
about a change that did not happen.
`send_notice` takes a primary key, re-reads the row and sends only a pending notice, so it is
safe to run twice (a retry job may call it again for failed ones).
"""

from __future__ import annotations

import logging
import unicodedata

from django.utils import timezone

from motcua.lib.jobqueue import enqueue_on_commit
from motcua.lib.privacy import mask_personal
from motcua.notices.backends import OFF, backend_name, get_backend
from motcua.notices.choices import NoticeChannel, NoticeState
from motcua.notices.models import Notice

logger = logging.getLogger(__name__)


def mask_address(channel: str, address: str) -> str:
    """The address as it may be shown: b***@example.vn, *******678."""
    text = (address or "").strip()
    if channel == NoticeChannel.EMAIL:
        local, _, domain = text.partition("@")
        if domain:
            return f"{local[:1]}***@{domain}"
    return mask_personal(text)


def queue_notice(
    *,
    channel: str,
    address: str,
    subject: str,
    body: str,
    reference: str,
    topic: str = "",
) -> Notice | None:
    """Write a pending notice and send it once the current transaction commits.

    Returns None (and writes nothing) when there is no address or the channel is off.
    """
    if channel not in NoticeChannel.values:
        raise ValueError(f"unknown notice channel {channel!r}")
    raw = (address or "").strip()
    if not raw or backend_name(channel) == OFF:
        return None
    notice = Notice.objects.create(
        channel=channel,
        recipient=mask_address(channel, raw),
        address=raw,
        subject=unicodedata.normalize("NFC", subject)[:255],
        body=unicodedata.normalize("NFC", body),
        reference=reference[:80],
        topic=topic[:64],
        created_at=timezone.now(),
    )
    from motcua.notices.jobs import deliver_notice  # jobs imports this module

    enqueue_on_commit(deliver_notice, notice.pk)
    return notice


def send_notice(pk: int) -> bool:
    """Send one pending notice; True when sent. A failure is recorded, never raised."""
    notice = Notice.objects.filter(pk=pk, state__in=[NoticeState.PENDING]).first()
    if notice is None:
        return False
    backend = get_backend(notice.channel)
    if backend is None:
        return False
    try:
        backend.send(notice)
    except Exception as exc:  # a gateway failure must not undo the committed change
        logger.exception("notice %s (%s) failed", pk, notice.channel)
        Notice.objects.filter(pk=pk, state=NoticeState.PENDING).update(
            state=NoticeState.FAILED, error=type(exc).__name__[:255]
        )
        return False
    # The raw address is no longer needed once the message has left.
    Notice.objects.filter(pk=pk, state=NoticeState.PENDING).update(
        state=NoticeState.SENT, sent_at=timezone.now(), address=""
    )
    return True


def retry_failed_notices() -> int:
    """Put failed notices back to pending and send them again; the number sent."""
    sent = 0
    for pk in Notice.objects.filter(state=NoticeState.FAILED).values_list("pk", flat=True):
        Notice.objects.filter(pk=pk, state=NoticeState.FAILED).update(
            state=NoticeState.PENDING, error=""
        )
        sent += send_notice(pk)
    return sent


def list_notices(reference: str) -> list[Notice]:
    """The notices about `reference` (e.g. a dossier code), oldest first."""
    if not reference:
        return []
    return list(Notice.objects.filter(reference=reference).defer("address", "body"))
