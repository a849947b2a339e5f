"""Background work on feedback: the reminder ladder and closing after the rating window.

Both are safe to run twice and from two workers at once. A reminder fires exactly once per
(item, rung, due instant): its ledger row (`FeedbackReminder`, unique on those keys) is
inserted in the same savepoint as the `feedback.reminder_sent` event and the e-mails (sent
after the commit), so the worker that loses the race gets an IntegrityError and skips.
A changed due instant (a new category norm, another unit's calendar) re-arms the ladder.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import task

from motcua.feedback.choices import FeedbackState, Kind, ReminderRung
from motcua.feedback.clock import reminder_due, working_days_after, working_days_before
from motcua.feedback.models import Feedback, FeedbackEntry, FeedbackReminder
from motcua.people.choices import Role
from motcua.people.models import Membership
from motcua.workcalendar.engine import WorkCalendar, format_instant, to_local
from motcua.workcalendar.selectors import get_calendar

logger = logging.getLogger(__name__)

S = FeedbackState
# Items the unit still has to act on. An item waiting for the sender's supplement is not
# reminded; when the supplement arrives, any rung that has come due fires then.
REMINDED_STATES = frozenset({S.RECEIVED, S.SUPPLEMENTED, S.PROCESSING})
BEFORE_DAYS = 2
OVERDUE_DAYS = 3
# Two working days before a due instant can be up to ~12 calendar days before (Tết).
_HORIZON = dt.timedelta(days=21)

RUNG_TEXT = {
    ReminderRung.HANDLER_BEFORE: "Phản ánh {code} sắp đến hạn xử lý ({due})",
    ReminderRung.LEADER_AT_DUE: "Phản ánh {code} đến hạn xử lý ({due})",
    ReminderRung.LEADER_OVERDUE: "Phản ánh {code} đã quá hạn xử lý ({due}) 3 ngày làm việc",
}


def rung_instants(cal: WorkCalendar, due: dt.datetime) -> dict[str, dt.datetime]:
    """When each rung of the ladder fires for a due instant.

    `handler_before` 2 working days before it, `leader_at_due` at it, `leader_overdue`
    3 working days after it.
    """
    return {
        ReminderRung.HANDLER_BEFORE: working_days_before(cal, due, BEFORE_DAYS),
        ReminderRung.LEADER_AT_DUE: to_local(due),
        ReminderRung.LEADER_OVERDUE: working_days_after(cal, due, OVERDUE_DAYS),
    }


def rungs_due(cal: WorkCalendar, due: dt.datetime, now: dt.datetime) -> list[str]:
    """The rungs that should have fired by `now`, without those a later rung supersedes.

    A job that did not run for a while does not send "due soon" after the due instant, nor
    "due now" once the overdue rung (which reaches the same leaders) has come.
    """
    at = rung_instants(cal, due)
    result: list[str] = []
    if at[ReminderRung.HANDLER_BEFORE] <= now < at[ReminderRung.LEADER_AT_DUE]:
        result.append(ReminderRung.HANDLER_BEFORE)
    if at[ReminderRung.LEADER_AT_DUE] <= now < at[ReminderRung.LEADER_OVERDUE]:
        result.append(ReminderRung.LEADER_AT_DUE)
    if at[ReminderRung.LEADER_OVERDUE] <= now:
        result.append(ReminderRung.LEADER_OVERDUE)
    return result


def _members(unit_ids: Iterable[int | None], role: str, day: dt.date) -> list[Any]:
    ids = [i for i in unit_ids if i is not None]
    if not ids:
        return []
    rows = (
        Membership.objects.active_on(day)
        .filter(unit_id__in=ids, role=role, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    seen: dict[int, Any] = {}
    for m in rows:
        seen.setdefault(m.user_id, m.user)
    return list(seen.values())


def reminder_recipients(feedback: Feedback, rung: str, day: dt.date) -> list[Any]:
    """Who a rung reaches: the handler (else the unit's specialists) before the due instant;
    the unit's leaders (else its parent's) at it; leaders of the unit and its parent after."""
    unit = feedback.unit
    if rung == ReminderRung.HANDLER_BEFORE:
        handler = feedback.handler
        if handler is not None and handler.is_active:
            return [handler]
        return _members([unit.pk], Role.SPECIALIST, day)
    if rung == ReminderRung.LEADER_AT_DUE:
        return _members([unit.pk], Role.LEADER, day) or _members([unit.parent_id], Role.LEADER, day)
    return _members([unit.pk, unit.parent_id], Role.LEADER, day)


def _fire(feedback_id: int, rung: str, due: dt.datetime, now: dt.datetime) -> bool:
    """Fire one rung for one item; False when it already fired or the item moved on."""
    with transaction.atomic():
        item = (
            Feedback.objects.select_for_update(of=("self",))
            .select_related("unit", "handler")
            .filter(pk=feedback_id, kind=Kind.PAKN, state__in=REMINDED_STATES)
            .first()
        )
        if item is None or reminder_due(item) != due:
            return False
        people = reminder_recipients(item, rung, to_local(now).date())
        listed = [{"id": u.pk, "username": u.get_username()} for u in people]
        try:
            with transaction.atomic():
                FeedbackReminder.objects.create(
                    feedback=item, rung=rung, due=due, fired_at=now, recipients=listed
                )
                subject = RUNG_TEXT[ReminderRung(rung)].format(
                    code=item.code, due=format_instant(due)
                )
                FeedbackEntry.objects.create(
                    feedback=item,
                    kind="feedback.reminder_sent",
                    at=now,
                    actor_name="system",
                    unit=item.unit,
                    from_state=item.state,
                    to_state=item.state,
                    note=subject,
                    data={
                        "rung": rung,
                        "due": to_local(due).isoformat(),
                        "recipients": [r["username"] for r in listed],
                    },
                )
                addresses = [u.email for u in people if u.email]
                body = (
                    f"{subject}.\n\nTiêu đề: {item.title}\nĐơn vị xử lý: {item.unit.name}\n"
                    f"Xem tại: {settings.MOTCUA_PUBLIC_URL}/pakn/\n"
                )
                if addresses:
                    transaction.on_commit(lambda: _mail(subject, body, addresses, item.code))
        except IntegrityError:
            return False
    return True


def _mail(subject: str, body: str, addresses: list[str], code: str) -> None:
    for address in addresses:
        try:
            send_mail(subject, body, None, [address])
        except Exception:  # a mail server failure must not stop the other reminders
            logger.exception("feedback %s: reminder e-mail failed", code)


def send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """Fire every reminder rung that has come due; return how many fired."""
    now = now or timezone.now()
    rdue = Coalesce("norm_due", "handle_due")
    done = FeedbackReminder.objects.filter(
        feedback=OuterRef("pk"), rung=ReminderRung.LEADER_OVERDUE, due=OuterRef("rdue")
    )
    candidates = (
        Feedback.objects.filter(kind=Kind.PAKN, state__in=REMINDED_STATES)
        .filter(Q(norm_due__isnull=False) | Q(handle_due__isnull=False))
        .annotate(rdue=rdue)
        .filter(rdue__lte=now + _HORIZON)
        .exclude(Exists(done))
        .select_related("unit")
        .order_by("rdue", "pk")
    )
    calendars: dict[int, WorkCalendar] = {}
    work: list[tuple[int, str, dt.datetime]] = []
    for item in candidates:
        due = reminder_due(item)
        assert due is not None
        cal = calendars.get(item.unit_id)
        if cal is None:
            cal = calendars[item.unit_id] = get_calendar(item.unit)
        for rung in rungs_due(cal, due, now):
            work.append((item.pk, rung, due))
    if not work:
        return 0
    fired_before = set(
        FeedbackReminder.objects.filter(feedback_id__in={w[0] for w in work}).values_list(
            "feedback_id", "rung", "due"
        )
    )
    fired = 0
    for pk, rung, due in work:
        if (pk, rung, due) in fired_before:
            continue
        if _fire(pk, rung, due, now):
            fired += 1
    return fired


def rating_window() -> dt.timedelta:
    """How long an answered item stays open for rating (MOTCUA_FEEDBACK_RATING_DAYS)."""
    return dt.timedelta(days=int(getattr(settings, "MOTCUA_FEEDBACK_RATING_DAYS", 7)))


def close_due(*, now: dt.datetime | None = None) -> int:
    """Close published and approved items whose rating window has passed; return how many.

    The window runs from publication, or from approval for an item not (yet) published.
    """
    from motcua.feedback.services import FeedbackError, close_feedback

    now = now or timezone.now()
    limit = now - rating_window()
    rows = Feedback.objects.filter(
        Q(state=S.PUBLISHED, published_at__lte=limit)
        | Q(state=S.ANSWER_APPROVED, resolved_at__lte=limit)
    ).order_by("pk")
    closed = 0
    for item in rows:
        try:
            close_feedback(feedback=item, actor=None, at=now)
        except FeedbackError as exc:  # changed meanwhile, or a later event: next run
            logger.info("feedback %s not closed: %s", item.code, exc.message)
            continue
        closed += 1
    return closed


# Queue entry points (motcua/worker/schedule.py enqueues them; `motcua feedback …` still runs
# the same functions from cron). Both are safe to run twice (the ledgers above).
@task()
def remind_feedback() -> int:
    """The reminder ladder of feedback, as a queued job; how many rungs fired."""
    return send_due_reminders()


@task()
def close_feedback_due() -> int:
    """Close feedback whose rating window has passed, as a queued job; how many closed."""
    return close_due()
