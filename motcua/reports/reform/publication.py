"""Issue, sending, supersession and regeneration of a reform report (reports.md §5).

Issue records number and symbol, date and signer and freezes a `ReportSnapshot`: the
document, every figure with its window and source, the findings, the definitions version, the
unit tree counted and the approval, with a sha256 over its canonical JSON. A snapshot never
changes (the model refuses updates and deletes). Regeneration makes a new draft and the
difference list; issuing that draft supersedes the old report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.lib.periods import TZ, Period
from motcua.lib.vntext import nfc
from motcua.reports.choices import ISSUED_STATES, ReportState
from motcua.reports.models import Report, ReportSnapshot
from motcua.reports.reform import checks
from motcua.reports.reform.build import DEFINITIONS_VERSION, assemble, format_value
from motcua.reports.reform.figures import Figure
from motcua.reports.reform.services import (
    ReportBlocked,
    ReportError,
    ReportTransitionError,
    _event,
    _locked,
    _meta,
    _move,
    _new_draft,
    _reporting_task,
    in_memory,
    report_period,
)

S = ReportState
_SYMBOL = re.compile(r"^[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)+$")


def canonical(data: Any) -> bytes:
    """The bytes the content hash is taken over (sorted keys, no spaces, UTF-8)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def content_hash(data: Any) -> str:
    """sha256 of `canonical(data)`, hexadecimal."""
    return hashlib.sha256(canonical(data)).hexdigest()


def _unit_tree(code: str, period: Period) -> dict[str, Any]:
    """The unit tree the figures were counted over: its units and a hash of their versions."""
    from motcua.stats.selectors import scope_of
    from motcua.units.models import Unit

    scope = scope_of(code, period)
    rows = [
        [u.pk, u.code, u.parent_id, str(u.valid_from or ""), str(u.valid_to or "")]
        for u in Unit.objects.filter(pk__in=scope.ids).order_by("pk")
    ]
    return {"units": len(rows), "hash": content_hash(rows)}


@transaction.atomic
def issue_report(
    *,
    report: Report,
    actor: Any,
    number: int,
    symbol: str,
    issued_on: dt.date,
    signer_name: str,
    signer_title: str,
    authority: str = "",
    place: str = "",
    recipients: Iterable[str] = (),
) -> Report:
    """Record number and symbol, date and signer, and freeze the snapshot (never changes).

    Numbers restart each year; a (number, symbol) pair is used once in a year (409). The
    checks run once more: an error that appeared since approval blocks the issue.
    """
    report = _locked(report)
    before = _move(report, S.ISSUED)
    symbol = nfc(symbol or "").strip().upper()
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise ReportError("số văn bản phải là số nguyên dương", field="number")
    if not _SYMBOL.match(symbol):
        raise ReportError(
            "ký hiệu viết hoa, các nhóm nối bằng dấu gạch ngang, không có khoảng trắng "
            "(ví dụ BC-UBND)",
            field="symbol",
        )
    if issued_on > timezone.localdate():
        raise ReportError("ngày ban hành không được ở tương lai", field="issued_on")
    if issued_on < report.period_from:
        raise ReportError("ngày ban hành trước kỳ báo cáo", field="issued_on")
    signer_name, signer_title = nfc(signer_name or "").strip(), nfc(signer_title or "").strip()
    if not signer_name or not signer_title:
        raise ReportError("cần họ tên và chức vụ người ký", field="signer_name")
    taken = Report.objects.filter(
        number=number, symbol=symbol, issued_on__year=issued_on.year
    ).exclude(pk=report.pk)
    if taken.exists():
        raise ReportTransitionError(
            f"Số {number:02d}/{symbol} đã dùng cho một văn bản khác năm {issued_on.year}."
        )
    built = in_memory(report)
    if checks.has_errors(built.findings):
        raise ReportBlocked("Chưa thể ban hành: kiểm tra số liệu có lỗi mới, hãy duyệt lại.")
    report.number, report.symbol, report.issued_on = number, symbol, issued_on
    report.signer_name, report.signer_title = signer_name, signer_title
    report.authority = nfc(authority or "").strip().upper()
    report.place = nfc(place or "").strip()
    report.recipients = [nfc(r).strip() for r in recipients if nfc(r).strip()]
    report.state = S.ISSUED
    report.issued_at = timezone.now()
    report.updated_at = report.issued_at
    report.save()
    built.meta = _meta(report)
    data = {
        "report": built.document(),
        "figures": [f.as_json() for f in built.figures],
        "findings": built.findings,
        "definitions": DEFINITIONS_VERSION,
        "unit_tree": _unit_tree(report.unit_code, report_period(report)),
        "approval": {
            "by": report.approved_by.get_username() if report.approved_by else "",
            "at": report.approved_at.isoformat() if report.approved_at else None,
            "note": report.approval_note,
        },
    }
    snapshot = ReportSnapshot.objects.create(
        report=report, data=data, content_hash=content_hash(data)
    )
    _event(
        report,
        "report.issued",
        actor=actor,
        from_state=before,
        to_state=S.ISSUED,
        data={"number": report.number_and_symbol, "hash": snapshot.content_hash},
    )
    old = report.regenerated_from
    if old is not None and old.state in (S.ISSUED, S.SENT):
        supersede_report(report=old, by=report, actor=actor)
    return report


@transaction.atomic
def send_report(
    *,
    report: Report,
    actor: Any,
    sent_at: dt.datetime | None = None,
    recipients: Iterable[str] | None = None,
) -> Report:
    """Record sending (recipients, time); the recurring reporting task is reported done on the
    sending day and confirmed (on time or late is derived from its due date)."""
    from motcua.assignments import services as tasks
    from motcua.assignments.choices import TaskStatus

    report = _locked(report)
    before = _move(report, S.SENT)
    at = sent_at or timezone.now()
    if timezone.is_naive(at) or at > timezone.now() + dt.timedelta(minutes=1):
        raise ReportError("thời điểm gửi phải có múi giờ và không ở tương lai", field="sent_at")
    if recipients is not None:
        report.recipients = [nfc(r).strip() for r in recipients if nfc(r).strip()]
    if not report.recipients:
        raise ReportError("cần danh sách nơi nhận", field="recipients")
    report.state = S.SENT
    report.sent_at = at
    report.updated_at = timezone.now()
    report.save()
    day = at.astimezone(TZ).date()
    task_data: dict[str, Any] = {}
    task = report.reporting_task or _reporting_task(report.unit_code, report_period(report))
    if task is not None and task.status not in (TaskStatus.DONE, TaskStatus.CANCELLED):
        evidence = f"Báo cáo số {report.number_and_symbol} ngày {report.issued_on:%d/%m/%Y}"
        if task.status != TaskStatus.REPORTED_DONE:
            tasks.report_completion(
                task=task,
                text=f"Đã gửi {evidence}.",
                evidence=evidence,
                actor=actor,
                reported_on=max(day, task.assigned_on),
            )
            task.refresh_from_db()
        tasks.confirm_completion(
            task=task,
            actor=actor,
            confirmed_on=max(day, task.reported_done_on or day),
            document=report.number_and_symbol,
        )
        task.refresh_from_db()
        done_on = task.completion_date or day
        on_time = task.due_on is None or done_on <= task.due_on
        task_data = {"task": task.code, "on_time": on_time}
        report.reporting_task = task
        report.save(update_fields=["reporting_task"])
    _event(
        report,
        "report.sent",
        actor=actor,
        from_state=before,
        to_state=S.SENT,
        data={"recipients": report.recipients, "sent_at": at.isoformat(), **task_data},
    )
    return report


@transaction.atomic
def supersede_report(*, report: Report, by: Report, actor: Any) -> Report:
    """An issued report replaced by a correcting one; it stays readable as issued."""
    report = _locked(report)
    before = _move(report, S.SUPERSEDED)
    report.state = S.SUPERSEDED
    report.superseded_by = by
    report.updated_at = timezone.now()
    report.save(update_fields=["state", "superseded_by", "updated_at"])
    _event(
        report,
        "report.superseded",
        actor=actor,
        from_state=before,
        to_state=S.SUPERSEDED,
        data={"by": by.pk, "number": by.number_and_symbol},
    )
    return report


# -- regeneration ------------------------------------------------------------------------------


def differences(issued: list[dict[str, Any]], current: list[Figure]) -> list[dict[str, Any]]:
    """Figures whose value changed since issue: figure, issued value, current value, change,
    and the records that explain it (the current figure's source)."""

    def slot(f: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
        window = {k: v for k, v in (f.get("window") or {}).items() if k != "cutoff"}
        return (str(f["key"]), checks.window_of({"window": window}))

    before = {slot(f): f for f in issued}
    after = {slot(f.full()): f for f in current}
    result = []
    for key in list(before) + [k for k in after if k not in before]:
        old, new = before.get(key), after.get(key)
        old_value = old.get("value") if old else None
        new_value = new.value if new else None
        if old is not None and new is not None and old_value == new_value:
            continue
        change = None
        if isinstance(old_value, int | float) and isinstance(new_value, int | float):
            change = round(new_value - old_value, 4)
        result.append(
            {
                "key": key[0],
                "label": new.label if new else str((old or {}).get("label", key[0])),
                "issued": old_value,
                "current": new_value,
                "change": change,
                "printed": {
                    "issued": format_value(old) if old else "—",
                    "current": format_value(new) if new else "—",
                },
                "source": new.source if new else (old or {}).get("source", {}),
            }
        )
    return result


@transaction.atomic
def regenerate_report(*, report: Report, actor: Any) -> Report:
    """A new draft of an issued report with today's figures and the difference list; the
    issued report and its snapshot are never touched."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.state not in (S.ISSUED, S.SENT):
        raise ReportTransitionError("Chỉ lập lại báo cáo đã ban hành hoặc đã gửi.")
    if report.regenerations.exclude(state__in=ISSUED_STATES).exists():
        raise ReportTransitionError("Báo cáo này đã có một bản lập lại đang soạn.")
    period = report_period(report)
    snapshot = report.snapshot
    new = _new_draft(
        report.unit_code,
        period,
        report.template,
        actor,
        receiving_body=report.receiving_body,
        texts=dict(report.texts or {}),
        regenerated_from=report,
    )
    issued_figures = snapshot.data["report"]["figures"]
    new.differences = differences(issued_figures, [Figure.from_full(f) for f in new.figures])
    new.save(update_fields=["differences"])
    _event(
        new,
        "report.differences",
        actor=actor,
        from_state=S.DRAFT,
        data={"from": report.pk, "changed": [d["key"] for d in new.differences]},
    )
    _event(
        report, "report.regenerated", actor=actor, from_state=report.state, data={"draft": new.pk}
    )
    return new


def current_figures(report: Report) -> list[Figure]:
    """The figures the report would show now (nothing written)."""
    return assemble(report.unit_code, report_period(report), cutoff=timezone.now())
