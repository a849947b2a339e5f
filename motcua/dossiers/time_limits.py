"""A dossier's time limit as written: the start event, the ceiling, the planned stages.

The limit of the dossier's channel is frozen at receipt (`procedures.time_limits`). Two
events of the procedure's wording are recorded here, each in one transaction with its timeline
event, like every other change of a dossier:

- `record_clock_start` — the event the clock starts at ("kể từ ngày nhận được văn bản đề nghị
  của Sở Tư pháp"): until it is recorded the dossier has no due instant; afterwards the clock
  starts at that instant, snapped like a receipt (deadlines.md §2(d)).
- `invoke_time_limit_ceiling` — the conditional ceiling ("trường hợp phức tạp … không quá 60
  ngày"): once, with a reason, only before the statutory due has passed; the ceiling replaces
  the budget (the apology's extension, dossiers.md §4, is a separate, later step).

`stage_plan` lays the stages of the wording ("50 ngày, trong đó: …") end to end from the clock
start: each stage starts at the previous stage's due.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.dossiers.choices import RECEIVED_OPEN_STATES
from motcua.dossiers.clock import dossier_clock, due_fields
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import (
    ActionForbidden,
    DossierError,
    TransitionNotAllowed,
    _locked,
    _not_before_last_event,
    _now,
    _require_text,
    _save,
    _units_of,
)
from motcua.lib.vntext import nfc
from motcua.people.policy import Action, can
from motcua.procedures.time_limits import reading_text
from motcua.workcalendar.engine import CalendarError, WorkCalendar, compute_due, to_local
from motcua.workcalendar.selectors import get_calendar

CLOCK_STARTED = "dossier.clock_started"
CEILING_INVOKED = "dossier.time_limit_ceiling_invoked"


def _spec(dossier: Dossier) -> dict[str, Any]:
    data = dossier.procedure_version.data or {}
    return dict(data.get("time_limit_spec") or {})


def ceiling_of(dossier: Dossier) -> dict[str, Any] | None:
    """The ceiling of the procedure version the dossier was received under (None if none)."""
    ceiling = _spec(dossier).get("ceiling")
    if not ceiling or not ceiling.get("unit") or not ceiling.get("amount"):
        return None
    return dict(ceiling)


def _write_event(
    dossier: Dossier, kind: str, *, at: dt.datetime, actor: Any, note: str, data: dict[str, Any]
) -> None:
    user = actor if getattr(actor, "is_authenticated", False) else None
    DossierEvent.objects.create(
        dossier=dossier,
        kind=kind,
        at=at,
        actor=user,
        actor_name=user.get_username() if user else str(actor or "system"),
        unit=dossier.current_unit or dossier.receiving_unit,
        from_state=dossier.state,
        to_state=dossier.state,
        note=note,
        data=data,
    )


def _check(actor: Any, dossier: Dossier, actions: tuple[Action, ...], what: str) -> None:
    if actor is None:
        return
    if not any(can(actor, a, u) for a in actions for u in _units_of(dossier)):
        raise ActionForbidden(f"bạn không có quyền {what} của hồ sơ này")


def may_record_clock_start(actor: Any, dossier: Dossier) -> bool:
    """Whether the page offers "Ghi nhận sự kiện bắt đầu tính thời hạn" to `actor`."""
    return (
        dossier.state in RECEIVED_OPEN_STATES
        and bool(dossier.clock_start_event)
        and dossier.clock_started_at is None
        and any(
            can(actor, a, u) for a in (Action.RECEIVE, Action.PROCESS) for u in _units_of(dossier)
        )
    )


def may_invoke_ceiling(actor: Any, dossier: Dossier, now: dt.datetime | None = None) -> bool:
    """Whether the page offers "Áp dụng thời hạn tối đa" to `actor`."""
    now = now or timezone.now()
    due = dossier.statutory_due
    return (
        dossier.state in RECEIVED_OPEN_STATES
        and ceiling_of(dossier) is not None
        and dossier.time_limit_extended_at is None
        and (due is None or due >= now)
        and any(can(actor, Action.APPROVE, u) for u in _units_of(dossier))
    )


def record_clock_start(
    dossier: Dossier, *, actor: Any, at: dt.datetime | None = None, note: str = ""
) -> Dossier:
    """Record the event the dossier's clock starts at; the due instant is computed from it."""
    at = _now(at)
    with transaction.atomic():
        dossier = _locked(dossier)
        _check(actor, dossier, (Action.RECEIVE, Action.PROCESS), "ghi nhận sự kiện bắt đầu")
        if dossier.state not in RECEIVED_OPEN_STATES:
            raise TransitionNotAllowed(
                "chỉ ghi nhận sự kiện bắt đầu tính thời hạn với hồ sơ đang giải quyết"
            )
        if not dossier.clock_start_event:
            raise TransitionNotAllowed("thời hạn của hồ sơ này tính từ khi tiếp nhận")
        if dossier.clock_started_at is not None:
            raise TransitionNotAllowed(
                "đã ghi nhận sự kiện bắt đầu tính thời hạn lúc "
                f"{to_local(dossier.clock_started_at):%d/%m/%Y %H:%M}"
            )
        assert dossier.received_at is not None
        if at < dossier.received_at:
            raise DossierError(
                "sự kiện bắt đầu tính thời hạn không thể trước khi tiếp nhận hồ sơ", field="at"
            )
        _not_before_last_event(dossier, at)
        dossier.clock_started_at = at
        _save(dossier, dossier.lock_version, clock_started_at=at, **_clock(dossier))
        _write_event(
            dossier,
            CLOCK_STARTED,
            at=at,
            actor=actor,
            note=nfc(note or ""),
            data={
                "event": dossier.clock_start_event,
                "statutory_due": _iso(dossier.statutory_due),
            },
        )
        return dossier


def invoke_time_limit_ceiling(
    dossier: Dossier, *, actor: Any, reason: str, at: dt.datetime | None = None
) -> Dossier:
    """Apply the procedure's conditional ceiling: its amount and unit replace the budget."""
    at = _now(at)
    reason = _require_text(reason, "reason", "cần ghi lý do áp dụng thời hạn tối đa")
    with transaction.atomic():
        dossier = _locked(dossier)
        _check(actor, dossier, (Action.APPROVE,), "áp dụng thời hạn tối đa")
        if dossier.state not in RECEIVED_OPEN_STATES:
            raise TransitionNotAllowed("chỉ áp dụng thời hạn tối đa với hồ sơ đang giải quyết")
        ceiling = ceiling_of(dossier)
        if ceiling is None:
            raise TransitionNotAllowed("thủ tục không quy định thời hạn tối đa cho trường hợp này")
        if dossier.time_limit_extended_at is not None:
            raise TransitionNotAllowed(
                "đã áp dụng thời hạn tối đa lúc "
                f"{to_local(dossier.time_limit_extended_at):%d/%m/%Y %H:%M}; chỉ áp dụng một lần"
            )
        _not_before_last_event(dossier, at)
        current = dossier_clock(dossier, explain=False)
        if current is not None and current.statutory_due and at > current.statutory_due:
            raise TransitionNotAllowed(
                "đã quá hạn giải quyết "
                f"({to_local(current.statutory_due):%d/%m/%Y %H:%M}): không còn áp dụng "
                "thời hạn tối đa"
            )
        before = {
            "amount": dossier.time_limit_amount,
            "unit": dossier.time_limit_unit,
            "statutory_due": _iso(dossier.statutory_due),
        }
        dossier.time_limit_amount = int(ceiling["amount"])
        dossier.time_limit_unit = str(ceiling["unit"])
        dossier.same_day_cutoff = None
        _save(
            dossier,
            dossier.lock_version,
            time_limit_amount=dossier.time_limit_amount,
            time_limit_unit=dossier.time_limit_unit,
            same_day_cutoff=None,
            time_limit_extended_at=at,
            time_limit_extension_reason=reason,
            **_clock(dossier),
        )
        _write_event(
            dossier,
            CEILING_INVOKED,
            at=at,
            actor=actor,
            note=reason,
            data={
                "before": before,
                "ceiling": reading_text(ceiling),
                "condition": ceiling.get("condition", ""),
                "statutory_due": _iso(dossier.statutory_due),
            },
        )
        return dossier


def _clock(dossier: Dossier) -> dict[str, Any]:
    fields = due_fields(dossier_clock(dossier, explain=False))
    for name, value in fields.items():
        setattr(dossier, name, value)
    return fields


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# -- the planned stages -----------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedStage:
    """One stage of the wording with its planned start and due instants."""

    body: str
    limit: str
    start_as_written: str
    start: dt.datetime | None
    due: dt.datetime | None


def stage_plan(dossier: Dossier, *, calendar: WorkCalendar | None = None) -> list[PlannedStage]:
    """The stages laid end to end from the clock start (each starts at the previous due);
    without a clock start (not received, waiting for the start event) the dates are empty."""
    stages = _spec(dossier).get("stages") or []
    if not stages:
        return []
    cal = calendar or get_calendar(dossier.receiving_unit)
    start = None
    if dossier.received_at is not None and not (
        dossier.clock_start_event and dossier.clock_started_at is None
    ):
        start = dossier.clock_started_at or dossier.received_at
    plan = []
    for stage in stages:
        due = None
        if start is not None and stage.get("unit") and stage.get("amount"):
            try:
                due = compute_due(
                    cal, start, stage["amount"], stage["unit"], explain=False
                ).statutory_due
            except CalendarError:
                due = None
        plan.append(
            PlannedStage(
                body=str(stage.get("body") or ""),
                limit=reading_text(stage),
                start_as_written=str(stage.get("start") or ""),
                start=cal.snap(to_local(start)) if start is not None else None,
                due=due,
            )
        )
        start = due
    return plan
