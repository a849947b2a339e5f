"""`motcua import tasks FILE.csv`: tasks from a tracking spreadsheet, all or nothing, idempotent.

Header (issue 13, verbatim):
`code,issuer_code,document,issued_on,title,lead_unit_code,coordinating_unit_codes,deadline_text,
due_on,assigned_on,reported_done_on,confirmed_on,cancelled_on`

`issuer_code` is a unit's code, or `CP` (Government) / `TTg` (Prime Minister); coordinating codes
are separated by `;`; an empty `due_on` is computed from `deadline_text` and `issued_on`; an
empty `assigned_on` is `issued_on`; dates are `YYYY-MM-DD`. The status follows the dates
(cancelled, confirmed done, reported done, else not started). A second run of the same file
changes nothing; a changed row updates its task with a `task.import_updated` event.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.assignments.choices import Authority, DeadlineKind, TaskStatus
from motcua.assignments.deadlines import DeadlineError, read_deadline
from motcua.assignments.models import SourceDocument, Task, TaskEvent
from motcua.lib.csvin import ImportProblem, read_csv
from motcua.lib.vntext import nfc
from motcua.units.models import Unit

HEADER = [
    "code",
    "issuer_code",
    "document",
    "issued_on",
    "title",
    "lead_unit_code",
    "coordinating_unit_codes",
    "deadline_text",
    "due_on",
    "assigned_on",
    "reported_done_on",
    "confirmed_on",
    "cancelled_on",
]
SYNC_FIELDS = (
    "document_id",
    "title",
    "lead_unit_id",
    "deadline_kind",
    "deadline_text",
    "original_due",
    "due_on",
    "assigned_on",
    "reported_done_on",
    "confirmed_on",
    "cancelled_on",
    "status",
)


@dataclass
class TaskRow:
    line: int
    code: str
    issuer: str
    document: str
    issued_on: dt.date
    title: str
    lead: Unit
    coordinating: list[Unit]
    deadline_text: str
    kind: str
    due: dt.date | None
    assigned_on: dt.date
    reported_done_on: dt.date | None
    confirmed_on: dt.date | None
    cancelled_on: dt.date | None

    @property
    def status(self) -> str:
        if self.cancelled_on:
            return TaskStatus.CANCELLED
        if self.confirmed_on:
            return TaskStatus.DONE
        if self.reported_done_on:
            return TaskStatus.REPORTED_DONE
        return TaskStatus.NOT_STARTED


class _Units:
    """Unit versions by code, read once; the version in force on a date."""

    def __init__(self) -> None:
        self.by_code: dict[str, list[Unit]] = defaultdict(list)
        for unit in Unit.objects.all():
            self.by_code[unit.code].append(unit)

    def get(self, code: str, on: dt.date) -> Unit | None:
        versions = self.by_code.get(code, [])
        for unit in versions:
            if unit.is_valid_on(on):
                return unit
        return versions[-1] if versions else None


def _date(raw: str, name: str, errors: list[str], *, required: bool = False) -> dt.date | None:
    raw = raw.strip()
    if not raw:
        if required:
            errors.append(f"{name} is required")
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors.append(f"{name} {raw!r} is not a date (YYYY-MM-DD)")
        return None


def _row(line: int, raw: dict[str, str], units: _Units) -> tuple[TaskRow | None, list[str]]:
    errors: list[str] = []
    code = raw["code"].strip()
    if not code:
        errors.append("code is required")
    issuer = raw["issuer_code"].strip()
    issued_on = _date(raw["issued_on"], "issued_on", errors, required=True)
    assigned_on = _date(raw["assigned_on"], "assigned_on", errors) or issued_on
    due_given = _date(raw["due_on"], "due_on", errors)
    reported = _date(raw["reported_done_on"], "reported_done_on", errors)
    confirmed = _date(raw["confirmed_on"], "confirmed_on", errors)
    cancelled = _date(raw["cancelled_on"], "cancelled_on", errors)
    document = nfc(raw["document"])
    if not document:
        errors.append("document (number and symbol) is required")
    title = nfc(raw["title"])
    if not title:
        errors.append("title is required")
    on = assigned_on or timezone.localdate()
    if issuer and issuer not in Authority.values and units.get(issuer, on) is None:
        errors.append(f"issuer_code {issuer!r}: not CP, TTg or a unit code")
    if not issuer:
        errors.append("issuer_code is required (a unit code, CP or TTg)")
    lead = units.get(raw["lead_unit_code"].strip(), on)
    if lead is None:
        errors.append(f"lead_unit_code {raw['lead_unit_code'].strip()!r}: no such unit")
    coordinating: list[Unit] = []
    for part in raw["coordinating_unit_codes"].split(";"):
        if not part.strip():
            continue
        unit = units.get(part.strip(), on)
        if unit is None:
            errors.append(f"coordinating unit {part.strip()!r}: no such unit")
        else:
            coordinating.append(unit)
    text = nfc(raw["deadline_text"])
    kind, due = DeadlineKind.NONE.value, due_given
    if issued_on is not None:
        try:
            found = read_deadline(text, issued=issued_on)
            kind, due = str(found.kind), due_given or found.due
        except DeadlineError as exc:
            if due_given is None or exc.impossible:
                errors.append(f"deadline_text: {exc.message}")
            kind = DeadlineKind.BY_DATE
    if due_given is not None and kind == DeadlineKind.NONE:
        kind = DeadlineKind.BY_DATE
    if issued_on and assigned_on and assigned_on < issued_on:
        errors.append("assigned_on is before issued_on")
    if reported and assigned_on and reported < assigned_on:
        errors.append("reported_done_on is before assigned_on")
    if confirmed and reported and confirmed < reported:
        errors.append("confirmed_on is before reported_done_on")
    if confirmed and cancelled:
        errors.append("a task cannot be both confirmed done and cancelled")
    if errors:
        return None, errors
    assert issued_on is not None and assigned_on is not None and lead is not None
    return (
        TaskRow(
            line,
            code,
            issuer,
            document,
            issued_on,
            title,
            lead,
            coordinating,
            text,
            kind,
            due,
            assigned_on,
            reported,
            confirmed,
            cancelled,
        ),
        [],
    )


def _documents(rows: list[TaskRow], units: _Units) -> dict[tuple[str, dt.date], SourceDocument]:
    found: dict[tuple[str, dt.date], SourceDocument] = {}
    for row in rows:
        key = (row.document, row.issued_on)
        if key in found:
            continue
        doc = SourceDocument.objects.filter(number=row.document, issued_on=row.issued_on).first()
        if doc is None:
            authority = row.issuer if row.issuer in Authority.values else ""
            doc = SourceDocument.objects.create(
                number=row.document,
                issued_on=row.issued_on,
                issuer_authority=authority,
                issuer_unit=None if authority else units.get(row.issuer, row.issued_on),
            )
        found[key] = doc
    return found


def import_file(path: str | Path, *, stdout: Any = None, options: Any = None) -> str:
    """Validate every row, then write all of them in one transaction; the summary line."""
    units = _Units()
    rows: list[TaskRow] = []
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    issuers: dict[tuple[str, str], tuple[int, str]] = {}
    for line, raw in read_csv(path, required=HEADER, optional=[]):
        row, problems = _row(line, raw, units)
        errors.extend((line, p) for p in problems)
        if row is None:
            continue
        if row.code in seen:
            errors.append((line, f"code {row.code!r} repeats line {seen[row.code]}"))
            continue
        seen[row.code] = line
        key = (row.document, row.issued_on.isoformat())
        if key in issuers and issuers[key][1] != row.issuer:
            errors.append(
                (
                    line,
                    f"document {row.document} has issuer {issuers[key][1]} on line "
                    f"{issuers[key][0]}",
                )
            )
            continue
        issuers.setdefault(key, (line, row.issuer))
        rows.append(row)
    if errors:
        raise ImportProblem(errors)
    now = timezone.now()
    created = updated = unchanged = 0
    with transaction.atomic():
        docs = _documents(rows, units)
        for doc_key, doc in docs.items():
            want = next(r.issuer for r in rows if (r.document, r.issued_on) == doc_key)
            if doc.issuer_code != want:
                line = next(r.line for r in rows if (r.document, r.issued_on) == doc_key)
                raise ImportProblem(
                    [(line, f"document {doc.number} is recorded with issuer {doc.issuer_code}")]
                )
        existing = {t.code: t for t in Task.objects.filter(code__in=[r.code for r in rows])}
        new: list[Task] = []
        new_rows: list[TaskRow] = []
        events: list[TaskEvent] = []
        for row in rows:
            values = {
                "document_id": docs[(row.document, row.issued_on)].pk,
                "title": row.title[:500],
                "lead_unit_id": row.lead.pk,
                "deadline_kind": row.kind,
                "deadline_text": row.deadline_text,
                "original_due": row.due,
                "due_on": row.due,
                "assigned_on": row.assigned_on,
                "reported_done_on": row.reported_done_on,
                "confirmed_on": row.confirmed_on,
                "cancelled_on": row.cancelled_on,
                "status": row.status,
            }
            task = existing.get(row.code)
            if task is None:
                new.append(Task(code=row.code, **values))
                new_rows.append(row)
                continue
            if task.due_on != task.original_due:
                values.pop("due_on")  # an extension recorded in motcua is kept
            changed = {k: v for k, v in values.items() if getattr(task, k) != v}
            coord = {u.pk for u in row.coordinating}
            same_coord = set(task.coordinating_units.values_list("pk", flat=True)) == coord
            if not changed and same_coord:
                unchanged += 1
                continue
            for k, v in changed.items():
                setattr(task, k, v)
            task.save()
            task.coordinating_units.set(row.coordinating)
            events.append(
                TaskEvent(
                    task=task,
                    kind="task.import_updated",
                    at=now,
                    actor_name="import",
                    from_status=task.status,
                    to_status=task.status,
                    data={"line": row.line, "fields": sorted(changed)},
                )
            )
            updated += 1
        Task.objects.bulk_create(new, batch_size=2000)
        through = Task.coordinating_units.through
        links = []
        for task, row in zip(new, new_rows, strict=True):
            links += [through(task_id=task.pk, unit_id=u.pk) for u in row.coordinating]
            events.append(
                TaskEvent(
                    task=task,
                    kind="task.imported",
                    at=now,
                    actor_name="import",
                    from_status=task.status,
                    to_status=task.status,
                    data={"line": row.line},
                )
            )
        through.objects.bulk_create(links, batch_size=2000)
        TaskEvent.objects.bulk_create(events, batch_size=2000)
        created = len(new)
    return f"tasks: {created} created, {updated} updated, {unchanged} unchanged"
