"""The control slip's rows — phiếu kiểm soát: every real hand-over of a dossier, read from its
timeline (`DossierEvent`) and its `StepRecord` rows, and how papers name desks and officers.

One row per transfer (the giving unit and the officer who transferred, the receiving unit and the
person recorded as receiving, the instant, the step's internal due and result), then the approval
(the `resolve` event: the leader who signed) or the refusal / stop / withdrawal, then the return of
the result to the applicant.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone, translation

from motcua.documents.formats import short_instant
from motcua.dossiers.choices import Delivery
from motcua.dossiers.forms_build import BLANK
from motcua.dossiers.models import Dossier, StepRecord
from motcua.lib.vntext import fold
from motcua.units.models import Unit
from motcua.workcalendar.engine import StepSpec, compute_steps, to_local
from motcua.workcalendar.selectors import get_calendar

DESK = "Bộ phận Một cửa"


def _vietnamese(text: Any) -> str:
    """A translatable label as printed on the (Vietnamese) papers, whatever the UI language."""
    with translation.override("vi"):
        return str(text)


def person_name(user: Any) -> str:
    """The officer's name, or a blank to fill in by hand. An event's `actor_name` is never
    printed: without a user it is a machine's or an import's label ("system", "demo")."""
    if user is not None:
        return str(user)
    return BLANK


def desk_name(unit: Unit) -> str:
    """The one-stop desk of a receiving unit: the unit itself when it is the desk (a public
    administration service centre), else 'Bộ phận Một cửa, <unit>'."""
    folded = fold(unit.name)
    if "mot cua" in folded or "hanh chinh cong" in folded:
        return unit.name
    return f"{DESK}, {unit.name}"


def known_due(dossier: Dossier) -> dt.datetime | None:
    """The current due instant; while paused, the last one the timeline recorded."""
    due = dossier.promised_due or dossier.statutory_due
    if due is not None:
        return due
    for data in dossier.events.order_by("-at", "-id").values_list("data", flat=True):
        value = (data or {}).get("statutory_due")
        if value:
            return dt.datetime.fromisoformat(value)
    return None


def timeliness(end: dt.datetime, due: dt.datetime) -> str:
    """Early / on time / late, with statistics.md's rule (early = an earlier local date)."""
    if end > due:
        return "Quá hạn"
    if to_local(end).date() < to_local(due).date():
        return "Trước hạn"
    return "Đúng hạn"


def _step_checks(dossier: Dossier, records: list[StepRecord]) -> dict[int, tuple[str, str]]:
    """Per step record: (its internal due, its result: early / on time / late / open)."""
    pauses = [(p.opened_at, p.closed_at) for p in dossier.pauses.all()]
    calendars: dict[int, Any] = {}
    now = timezone.now()
    checks = {}
    for record in records:
        due_text, result = BLANK, "Đang xử lý" if record.ended_at is None else ""
        if record.budget_minutes:
            calendar = calendars.setdefault(record.unit_id, get_calendar(record.unit))
            inside = tuple(
                (opened, closed)
                for opened, closed in pauses
                if (closed is None or closed > record.started_at)
                and (record.ended_at is None or opened < record.ended_at)
            )
            spec = StepSpec(
                record.name, record.budget_minutes, record.started_at, record.ended_at, inside
            )
            step = compute_steps(calendar, [spec], at=now)[0]
            if step.due is not None:
                due_text = short_instant(step.due)
                if record.ended_at is not None:
                    result = timeliness(record.ended_at, step.due)
                elif step.late:
                    result = "Đang xử lý, quá hạn"
        checks[record.pk] = (due_text, result)
    return checks


def _is_desk_step(name: str) -> bool:
    """A step named for the desk's own receipt ('Tiếp nhận hồ sơ, chuyển ...')."""
    return fold(name).startswith("tiep nhan")


# Endings printed on the control slip: the event, the step's name.
_ENDINGS = {
    "dossier.resolved": "Phê duyệt, ký kết quả giải quyết hồ sơ",
    "dossier.refused": "Phê duyệt trả lại hồ sơ, từ chối giải quyết",
    "dossier.stopped": "Phê duyệt dừng giải quyết hồ sơ",
    "dossier.withdrawn": "Tiếp nhận đơn rút hồ sơ",
}


def handover_rows(dossier: Dossier) -> list[dict[str, Any]]:
    """One row per real hand-over, from the timeline: each transfer (who gave, to which unit,
    who received, when), the approval of the result, and its return to the applicant."""
    records = list(
        StepRecord.objects.filter(dossier=dossier)
        .select_related("unit", "received_by")
        .order_by("started_at", "id")
    )
    checks = _step_checks(dossier, records)
    desk = desk_name(dossier.receiving_unit)
    events = dossier.events.filter(
        kind__in=["dossier.transferred", "dossier.result_returned", *_ENDINGS]
    ).select_related("actor", "unit")
    holder, first = desk, True
    due = known_due(dossier)
    rows: list[dict[str, Any]] = []
    for event in events.order_by("at", "id"):
        giver = person_name(event.actor)
        if event.kind == "dossier.transferred":
            record = next((r for r in records if r.started_at == event.at), None)
            unit = event.unit or (record.unit if record else dossier.receiving_unit)
            name = record.name if record else f"Bước {(event.data or {}).get('step', '')}"
            if first:
                # The desk's own step 1 (receipt) is behind it: this row is the hand-over.
                name = "Chuyển hồ sơ đến cơ quan, đơn vị giải quyết"
            due_text, result = checks.get(record.pk, (BLANK, "")) if record else (BLANK, "")
            rows.append(
                {
                    "name": name,
                    "giver_unit": holder,
                    "giver": giver,
                    "receiver_unit": unit.name,
                    "receiver": person_name(record.received_by if record else None),
                    "at_text": short_instant(event.at),
                    "due_text": due_text,
                    "result": result,
                    "ended_text": short_instant(record.ended_at) if record else "",
                    "note": event.note,
                }
            )
            holder, first = unit.name, False
        elif event.kind == "dossier.result_returned":
            delivery = (event.data or {}).get("delivery") or dossier.delivery
            promised = dossier.promised_due or due
            rows.append(
                {
                    "name": "Trả kết quả giải quyết hồ sơ",
                    "giver_unit": desk,
                    "giver": giver,
                    "receiver_unit": "Tổ chức, cá nhân",
                    "receiver": event.note or BLANK,
                    "at_text": short_instant(event.at),
                    "due_text": short_instant(promised, BLANK),
                    "result": timeliness(event.at, promised) if promised else "",
                    "ended_text": "",
                    "note": _vietnamese(Delivery(delivery).label) if delivery else "",
                }
            )
        else:
            unit_name = event.unit.name if event.unit else holder
            rows.append(
                {
                    "name": _ENDINGS[event.kind],
                    "giver_unit": unit_name,
                    "giver": giver,
                    "receiver_unit": desk,
                    "receiver": BLANK,
                    "at_text": short_instant(event.at),
                    "due_text": short_instant(due, BLANK),
                    "result": timeliness(event.at, due) if due else "",
                    "ended_text": "",
                    "note": event.note,
                }
            )
            holder = desk
    return rows
