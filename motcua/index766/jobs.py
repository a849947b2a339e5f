"""`motcua index warn`: send each early warning once — gửi cảnh báo sớm hồ sơ sắp quá hạn.

Two rungs, as the feedback reminders: `handler` when the dossier has at most N working hours
left (to its assignee, else the specialists of the unit holding it) and `leader` when it has at
most N ÷ 2 left (to the leaders of the unit the index counts it under, else its parent's), with
the points that unit loses this month if its at-risk dossiers turn late.

Safe to run twice and from two workers at once: a warning fires exactly once per (dossier,
rung, due instant). Its ledger row (`EarlyWarning`, unique on those keys) is inserted in the
same savepoint as the notices it queues in the outbox (`motcua.notices`, sent after the
commit), so the worker that loses the race gets an IntegrityError and queues nothing. A new
due instant (a supplement, an extension of the statutory time) re-arms the ladder.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from motcua.dossiers.models import Dossier
from motcua.index766.choices import WarningRung
from motcua.index766.early import (
    DEFAULT_HOURS,
    AtRisk,
    UnitRisk,
    at_risk,
    points_lost,
    risk_by_unit,
)
from motcua.index766.models import EarlyWarning
from motcua.notices.choices import NoticeChannel
from motcua.notices.services import queue_notice
from motcua.people.choices import Role
from motcua.people.models import Membership
from motcua.workcalendar.engine import format_instant, to_local

logger = logging.getLogger(__name__)
TOPIC = "index766.early_warning"

SUBJECTS = {
    WarningRung.HANDLER: "Hồ sơ {code} sắp quá hạn giải quyết ({due})",
    WarningRung.LEADER: "Hồ sơ {code} của {unit} sắp quá hạn giải quyết ({due})",
}


@dataclass
class WarnReport:
    """What one run did."""

    fired: int = 0
    notices: int = 0
    at_risk: int = 0

    def __str__(self) -> str:
        return (
            f"{self.at_risk} hồ sơ sắp quá hạn; đã gửi {self.fired} cảnh báo ({self.notices} thư)"
        )


def rungs_for(minutes_left: int, hours: int) -> list[str]:
    """The rungs a dossier with `minutes_left` working minutes has reached."""
    rungs: list[str] = []
    if 0 < minutes_left <= hours * 60:
        rungs.append(WarningRung.HANDLER)
    if 0 < minutes_left <= hours * 30:
        rungs.append(WarningRung.LEADER)
    return rungs


def _members(unit_ids: list[int | None], role: str, day: dt.date) -> list[Any]:
    ids = [i for i in unit_ids if i is not None]
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


def recipients(dossier: Dossier, rung: str, unit: Any, day: dt.date) -> list[Any]:
    """Who a rung reaches (see the module docstring)."""
    if rung == WarningRung.HANDLER:
        if dossier.assignee is not None and dossier.assignee.is_active:
            return [dossier.assignee]
        holder = dossier.current_unit_id or dossier.receiving_unit_id
        return _members([holder], Role.SPECIALIST, day)
    return _members([unit.pk], Role.LEADER, day) or _members([unit.parent_id], Role.LEADER, day)


def _body(item: AtRisk, group: UnitRisk, rung: str) -> str:
    dossier = item.dossier
    lines = [
        f"Hồ sơ {dossier.code} — {dossier.procedure.name}",
        f"Hạn giải quyết: {format_instant(item.due)} ({item.left_text}).",
        f"Đơn vị: {group.unit.name}.",
    ]
    if item.counts_this_month and group.denominator:
        lines.append(
            f"Nếu hồ sơ quá hạn, đơn vị mất "
            f"{points_lost(1, group.denominator)} điểm tiến độ (Chỉ số 766) tháng này; "
            f"{group.counted} hồ sơ của đơn vị sắp quá hạn, nếu tất cả quá hạn: mất "
            f"{group.points} điểm."
        )
    lines.append(f"Xem tại: {settings.MOTCUA_PUBLIC_URL}/ho-so/{dossier.code}/")
    return "\n".join(lines) + "\n"


def _fire(item: AtRisk, group: UnitRisk, rung: str, now: dt.datetime) -> int | None:
    """Fire one rung for one dossier; the number of notices, or None when it already fired."""
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure", "assignee")
            .filter(pk=item.dossier.pk, statutory_due=item.due)
            .first()
        )
        if dossier is None:  # moved on since it was read: the next run decides
            return None
        item.dossier = dossier
        people = recipients(dossier, rung, group.unit, to_local(now).date())
        listed = [{"id": u.pk, "username": u.get_username()} for u in people]
        try:
            with transaction.atomic():
                EarlyWarning.objects.create(
                    dossier=dossier,
                    rung=rung,
                    due=item.due,
                    fired_at=now,
                    unit=group.unit,
                    recipients=listed,
                    points_at_risk=group.points if item.counts_this_month else None,
                )
                subject = SUBJECTS[WarningRung(rung)].format(
                    code=dossier.code, unit=group.unit.name, due=format_instant(item.due)
                )
                body = _body(item, group, rung)
                queued = 0
                for person in people:
                    notice = queue_notice(
                        channel=NoticeChannel.EMAIL,
                        address=person.email,
                        subject=subject,
                        body=body,
                        reference=dossier.code or "",
                        topic=TOPIC,
                    )
                    queued += notice is not None
        except IntegrityError:
            return None
    return queued


def send_warnings(*, now: dt.datetime | None = None, hours: int = DEFAULT_HOURS) -> WarnReport:
    """Fire every early-warning rung that has come due; see the module docstring."""
    now = now or timezone.now()
    items = at_risk(Dossier.objects.all(), now=now, hours=hours)
    report = WarnReport(at_risk=len(items))
    if not items:
        return report
    groups = {g.unit.pk: g for g in risk_by_unit(items, now=now)}
    done = set(
        EarlyWarning.objects.filter(dossier_id__in=[i.dossier.pk for i in items]).values_list(
            "dossier_id", "rung", "due"
        )
    )
    for item in items:
        group = groups.get(item.unit_id)
        if group is None:
            continue
        for rung in rungs_for(item.minutes_left, hours):
            if (item.dossier.pk, rung, item.due) in done:
                continue
            queued = _fire(item, group, rung, now)
            if queued is not None:
                report.fired += 1
                report.notices += queued
    return report


# Queue entry point (motcua/worker/schedule.py enqueues it; `motcua index warn` still runs the
# same function from cron). Safe to run twice: a rung fires once (EarlyWarning).
@task()
def warn_at_risk() -> dict[str, int]:
    """The early warnings of dossiers about to be late, as a queued job."""
    report = send_warnings()
    return {"at_risk": report.at_risk, "fired": report.fired, "notices": report.notices}
