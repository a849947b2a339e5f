"""Background work on notices: send one notice, retried with back-off — gửi thông báo.

`queue_notice` enqueues `deliver_notice` after the commit of the change the notice reports.
The job re-reads the row: a notice already sent is left alone (safe to run twice); a gateway
failure marks the notice failed and raises, so `retrying` puts the next attempt in the queue.
"""

from __future__ import annotations

from django_tasks import task

from motcua.lib.jobqueue import retrying
from motcua.notices.choices import NoticeState
from motcua.notices.models import Notice
from motcua.notices.services import send_notice


class NoticeNotSent(Exception):
    """The gateway refused or failed; the notice stays failed until the next attempt."""


@task()
@retrying(max_attempts=5, base_delay=60.0, max_delay=3600.0)
def deliver_notice(notice_id: int, attempt: int = 1) -> bool:
    """Send notice `notice_id` if it is still to be sent; True when this run sent it."""
    # A retry (or the administrator's "Chạy lại"): the last attempt left it failed.
    Notice.objects.filter(pk=notice_id, state=NoticeState.FAILED).update(
        state=NoticeState.PENDING, error=""
    )
    if send_notice(notice_id):
        return True
    if Notice.objects.filter(pk=notice_id, state=NoticeState.FAILED).exists():
        raise NoticeNotSent(f"notice {notice_id} failed (attempt {attempt})")
    return False  # already sent, gone, or its channel switched off
