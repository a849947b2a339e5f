"""Every state change of a reform report (reports.md §5): one keyword-only function each.
Drafting, editing, review and approval here; issue, sending, supersession and regeneration in
`motcua.reports.reform.publication`.

draft → editing → in_review → approved → issued → sent → superseded (`choices.TRANSITIONS`).
Each service locks the report row, checks the transition table, writes the change and a
timeline event (`ReportEvent`, kinds `report.*`) in one transaction, and raises `ReportError`
(400) for bad input or `ReportTransitionError` / `ReportBlocked` (409) for a refused move.
The §4 checks run on every draft, refresh, regeneration and issue; errors block approval,
warnings need a note. Issue freezes a `ReportSnapshot` (sha256 over its canonical JSON) that
never changes; regeneration makes a new draft with a difference list.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.lib.lifecycle import ServiceError
from motcua.lib.periods import TZ, Period, PeriodError, parse_period
from motcua.lib.vntext import nfc
from motcua.reports.choices import ISSUED_STATES, OPEN_STATES, ReportState, can_move
from motcua.reports.models import Report, ReportEvent, ReportTemplate
from motcua.reports.reform import checks
from motcua.reports.reform.build import ReformReport, build_report
from motcua.reports.reform.figures import Figure, period_code
from motcua.reports.reform.templates import template_for, walk

S = ReportState


class ReportError(ServiceError):
    """A report action that cannot be done; `field` names the bad input (HTTP 400)."""


class ReportTransitionError(ReportError):
    """The transition table forbids the move in the report's state (HTTP 409)."""

    status = 409


class ReportBlocked(ReportError):
    """Approval refused: the checks found errors, or warnings without a note (HTTP 409)."""

    status = 409


# -- reading parameters --------------------------------------------------------------------


def read_period(raw: str | Period, *, calendar: bool = False) -> Period:
    """A report period from `2023-Q3`, `2023-H1`, `2023`, `2023-M09` (Decree 09 windows)."""
    if isinstance(raw, Period):
        return raw
    try:
        return parse_period(str(raw or ""), calendar=calendar)
    except PeriodError:
        raise ReportError(
            f"kỳ báo cáo “{raw}” không hợp lệ: dùng 2023-Q3, 2023-H1, 2023 hoặc 2023-M09",
            field="period",
        ) from None


def check_unit(code: str, period: Period) -> str:
    """`code` when a unit of that code exists during `period`; ReportError otherwise."""
    from motcua.stats.selectors import StatsError, unit_versions

    code = (code or "").strip()
    if not code:
        raise ReportError("cần mã đơn vị, ví dụ DT", field="unit")
    try:
        unit_versions(code, period)
    except StatsError:
        raise ReportError(
            f"không có đơn vị mã “{code}” trong kỳ từ {period.first:%d/%m/%Y} "
            f"đến {period.last:%d/%m/%Y}",
            field="unit",
        ) from None
    return code


def report_period(report: Report) -> Period:
    """The report's data window as a `Period`."""
    return Period(report.period_from, report.period_to, report.period_family, report.period_name)


# -- helpers -----------------------------------------------------------------------------------


def _actor_name(actor: Any) -> str:
    if actor is None:
        return "system"
    return str(getattr(actor, "get_username", lambda: str(actor))())


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _event(
    report: Report,
    kind: str,
    *,
    actor: Any,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        kind=kind,
        at=timezone.now(),
        actor=_user(actor),
        actor_name=_actor_name(actor),
        from_state=from_state,
        to_state=to_state or from_state,
        note=note,
        data=data or {},
    )


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("template", "unit").get(pk=report.pk)


def _move(report: Report, target: str) -> str:
    current = report.state
    if not can_move(current, target):
        raise ReportTransitionError(
            f"Không thể chuyển báo cáo từ trạng thái “{S(current).label}” sang “{S(target).label}”."
        )
    return current


def in_memory(report: Report, *, figures: list[Figure] | None = None) -> ReformReport:
    """The stored report as a `ReformReport` (its stored figures unless `figures` are given)."""
    built = build_report(
        report.unit_code,
        report_period(report),
        cutoff=report.cutoff,
        template=report.template,
        texts=dict(report.texts or {}),
        figures=figures if figures is not None else [Figure.from_full(f) for f in report.figures],
    )
    built.meta = _meta(report)
    built.differences = list(report.differences or [])
    return built


def _meta(report: Report) -> dict[str, Any]:
    return {
        "number": report.number_and_symbol,
        "place": report.place,
        "issued_on": report.issued_on.isoformat() if report.issued_on else None,
        "authority": report.authority,
        "signer": {"title": report.signer_title, "name": report.signer_name},
        "recipients": list(report.recipients or []),
        "state": report.state,
    }


def _store(report: Report, built: ReformReport) -> None:
    report.figures = [f.full() for f in built.figures]
    report.findings = built.findings
    report.missing = built.missing
    report.cutoff = built.cutoff


def _findings_data(findings: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "errors": sum(1 for f in findings if f["level"] == checks.ERROR),
        "warnings": sum(1 for f in findings if f["level"] == checks.WARNING),
    }


# -- draft, refresh, editing -------------------------------------------------------------------


@transaction.atomic
def generate_report(
    *,
    unit_code: str,
    period: str | Period,
    actor: Any,
    receiving_body: str = "",
    template: ReportTemplate | None = None,
    calendar: bool = False,
) -> Report:
    """A new draft of unit `unit_code` for `period` from the template of its year and body:
    every computed figure filled with its cut-off, the registers read, the missing slots
    listed, the checks run. One open report per unit and period (409 otherwise)."""
    chosen = read_period(period, calendar=calendar)
    code = check_unit(unit_code, chosen)
    open_one = Report.objects.filter(
        unit_code=code, period_from=chosen.first, period_to=chosen.last
    ).exclude(state__in=ISSUED_STATES)
    if open_one.exists():
        raise ReportTransitionError(
            f"Đơn vị {code} đã có một báo cáo {chosen.name or chosen.label} chưa ban hành: hãy "
            "cập nhật báo cáo đó."
        )
    template = template or template_for(chosen.last.year, receiving_body)
    try:
        with transaction.atomic():
            return _new_draft(code, chosen, template, actor, receiving_body=receiving_body)
    except IntegrityError:  # another draft was created meanwhile (report_one_open_per_window)
        raise ReportTransitionError(
            f"Đơn vị {code} đã có một báo cáo {chosen.name or chosen.label} chưa ban hành."
        ) from None


def _new_draft(
    code: str,
    period: Period,
    template: ReportTemplate,
    actor: Any,
    *,
    receiving_body: str = "",
    texts: dict[str, str] | None = None,
    regenerated_from: Report | None = None,
) -> Report:
    from motcua.units.models import Unit

    cutoff = timezone.now()
    built = build_report(code, period, cutoff=cutoff, template=template, texts=texts)
    unit = Unit.objects.version_of(code, period.last) or Unit.objects.version_of(code)
    report = Report(
        unit=unit,
        unit_code=code,
        period_code=period_code(period),
        period_name=period.name,
        period_family=period.family,
        period_from=period.first,
        period_to=period.last,
        template=template,
        receiving_body=receiving_body,
        state=S.DRAFT,
        texts=dict(texts or {}),
        regenerated_from=regenerated_from,
        reporting_task=_reporting_task(code, period),
        created_by=_user(actor),
        cutoff=cutoff,
    )
    _store(report, built)
    report.save()
    _event(
        report,
        "report.generated",
        actor=actor,
        to_state=S.DRAFT,
        data={
            "template": f"{template.code} v{template.version}",
            "cutoff": cutoff.astimezone(TZ).isoformat(timespec="seconds"),
            **_findings_data(built.findings),
        },
    )
    return report


@transaction.atomic
def refresh_report(*, report: Report, actor: Any) -> Report:
    """Recompute the figures of a draft being written (new cut-off) and run the checks."""
    report = _locked(report)
    if report.state not in OPEN_STATES:
        raise ReportTransitionError(
            f"Chỉ cập nhật số liệu khi báo cáo đang soạn (hiện: “{S(report.state).label}”)."
        )
    cutoff = timezone.now()
    built = build_report(
        report.unit_code,
        report_period(report),
        cutoff=cutoff,
        template=report.template,
        texts=dict(report.texts or {}),
    )
    _store(report, built)
    report.updated_at = cutoff
    report.save()
    _event(
        report,
        "report.refreshed",
        actor=actor,
        from_state=report.state,
        data=_findings_data(built.findings),
    )
    return report


@transaction.atomic
def write_section(*, report: Report, key: str, text: str, actor: Any) -> Report:
    """Write the text of a section (figures quoted as `{{key}}`); a draft becomes editing."""
    report = _locked(report)
    keys = {str(s.get("key")) for _d, s in walk(list(report.template.sections))}
    if key not in keys:
        raise ReportError(f"mẫu báo cáo không có mục “{key}”", field="key")
    before = _move(report, S.EDITING)
    texts = dict(report.texts or {})
    texts[key] = nfc(text or "").strip()
    report.texts = texts
    built = in_memory(report)
    _store(report, built)
    if before == S.APPROVED:  # a changed text needs a new approval
        report.approved_by, report.approved_at, report.approval_note = None, None, ""
    report.state = S.EDITING
    report.updated_at = timezone.now()
    report.save()
    _event(
        report,
        "report.section_written",
        actor=actor,
        from_state=before,
        to_state=S.EDITING,
        data={"section": key, "length": len(texts[key])},
    )
    return report


# -- review and approval -----------------------------------------------------------------------


@transaction.atomic
def submit_report(*, report: Report, actor: Any) -> Report:
    """Send the report to the unit's leader for review (the checks run again)."""
    report = _locked(report)
    before = _move(report, S.IN_REVIEW)
    built = in_memory(report)
    _store(report, built)
    report.state = S.IN_REVIEW
    report.updated_at = timezone.now()
    report.save()
    _event(
        report,
        "report.submitted",
        actor=actor,
        from_state=before,
        to_state=S.IN_REVIEW,
        data=_findings_data(built.findings),
    )
    return report


@transaction.atomic
def return_report(*, report: Report, actor: Any, reason: str) -> Report:
    """The reviewer sends the report back to editing, with a reason."""
    report = _locked(report)
    reason = nfc(reason or "").strip()
    if not reason:
        raise ReportError("Hãy ghi lý do trả lại báo cáo.", field="reason")
    before = _move(report, S.EDITING)
    report.state = S.EDITING
    report.approved_by, report.approved_at, report.approval_note = None, None, ""
    report.updated_at = timezone.now()
    report.save()
    _event(
        report, "report.returned", actor=actor, from_state=before, to_state=S.EDITING, note=reason
    )
    return report


@transaction.atomic
def approve_report(*, report: Report, actor: Any, note: str = "") -> Report:
    """The leader approves: refused while the checks find errors; warnings need a note."""
    report = _locked(report)
    before = _move(report, S.APPROVED)
    built = in_memory(report)
    _store(report, built)
    note = nfc(note or "").strip()
    errors = [f for f in built.findings if f["level"] == checks.ERROR]
    if errors:
        raise ReportBlocked(
            f"Chưa thể duyệt: kiểm tra số liệu còn {len(errors)} lỗi. "
            + " ".join(f["message"] for f in errors[:3])
        )
    if checks.has_warnings(built.findings) and not note:
        raise ReportBlocked(
            "Báo cáo còn cảnh báo về số liệu: hãy ghi chú khi duyệt (đã xem xét các cảnh báo).",
            field="note",
        )
    report.state = S.APPROVED
    report.approved_by = _user(actor)
    report.approved_at = timezone.now()
    report.approval_note = note
    report.updated_at = report.approved_at
    report.save()
    _event(
        report,
        "report.approved",
        actor=actor,
        from_state=before,
        to_state=S.APPROVED,
        note=note,
        data=_findings_data(built.findings),
    )
    return report


def _reporting_task(code: str, period: Period) -> Any:
    """The recurring reporting task occurrence of the unit whose data window ends with the
    period (code `<series>-YYYYMMDD`, assignments `create_occurrence`), if exactly one."""
    from motcua.assignments.choices import DeadlineKind
    from motcua.assignments.models import Task

    found = list(
        Task.objects.filter(
            lead_unit__code=code,
            series__isnull=False,
            deadline_kind=DeadlineKind.RECURRING,
            code__endswith=f"-{period.last:%Y%m%d}",
        )[:2]
    )
    return found[0] if len(found) == 1 else None
