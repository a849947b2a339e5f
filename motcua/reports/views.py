"""The unit's reform report pages, under /bao-cao-cchc/ (issue 15 item 8, first half):

- `` — the reports the user may see, by period and state, and the form "Lập báo cáo";
- `<pk>/` — the editor: the template's numbered sections with their computed figures (value
  as printed, window, link to the records), the hand-entered figures still missing with a form
  to enter them, a text per section saved with HTMX, the live consistency checks beside the
  text (refreshed after every save), "Cập nhật số liệu", "Trình duyệt" and the register import;
- `<pk>/tai/<định dạng>/` — the report as DOCX, PDF, figures appendix XLSX or JSON.

Scope first: reports are read through `reports_for_user` (the units of `visible_unit_ids`); a
report outside the scope is a 404 like a missing one. Writing (generate, text, registers,
refresh, submit) needs `process` or `confirm` on the report's unit (`may_write`). Every write is
a service call; a refused move answers 409 with the service's Vietnamese message, bad input 400,
and nothing is written. The review, issue and sending steps live in `flow_views.py`; a partial
`reports/flow/_editor_actions.html` (or `_list_actions.html`), when it exists, is included in
the editor (or in each row of the list) for their buttons.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.documents.render import DocumentError
from motcua.lib.periods import TZ
from motcua.lib.scoping import visible_unit_ids
from motcua.people.policy import Action, can
from motcua.reports.choices import OPEN_STATES, ReportState, SlotKind, can_move
from motcua.reports.forms import (
    GenerateReportForm,
    RegisterEntryForm,
    RegisterImportForm,
    period_suggestions,
)
from motcua.reports.models import Report
from motcua.reports.reform import checks, registers, services
from motcua.reports.reform.build import format_value
from motcua.reports.reform.templates import figure_matches
from motcua.stats.selectors import StatsError
from motcua.units.models import Unit

S = ReportState
FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": ("application/json", "json"),
}


# -- scope and rights ------------------------------------------------------------------------


def reports_for_user(user: Any) -> QuerySet[Report]:
    """The reports whose unit `user` may see (the one scoping path)."""
    ids = visible_unit_ids(user)
    rows = Report.objects.select_related("unit")
    return rows if ids is None else rows.filter(unit_id__in=ids)


def get_report_for_user(user: Any, pk: int) -> Report:
    """The report `pk` if `user` may see it; Http404 otherwise, exactly like a missing one."""
    report = reports_for_user(user).select_related("template").filter(pk=pk).first()
    if report is None:
        raise Http404(gettext("Không có báo cáo này trong phạm vi của bạn."))
    return report


def may_write(user: Any, unit: Unit | int) -> bool:
    """Whether `user` drafts the unit's report: its officers (`process`) or a leader or
    provincial office that confirms results (`confirm`)."""
    return can(user, Action.PROCESS, unit) or can(user, Action.CONFIRM, unit)


def _drafting_unit_ids(user: Any) -> set[int] | None:
    """Ids of the units `user` may draft for (`may_write` for every unit at once, through the
    memberships' reach); None for a superuser (every unit)."""
    from motcua.people.policy import actions_for_role
    from motcua.people.scope import current_graph, memberships_reaching

    if not getattr(user, "is_active", False):
        return set()
    if getattr(user, "is_superuser", False):
        return None
    graph = current_graph()
    ids: set[int] = set()
    for membership in memberships_reaching(user, None):
        if actions_for_role(membership.role) & {Action.PROCESS, Action.CONFIRM}:
            ids |= graph.reach(membership.unit_id, membership.role)
    return ids


def writable_units(user: Any) -> list[tuple[str, str]]:
    """(code, name) of the units whose report `user` may draft, one per code (its latest
    version): units in operation first, then those that have closed, with their last day."""
    ids = visible_unit_ids(user)
    rows = Unit.objects.exclude(level="subunit")
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    drafting = _drafting_unit_ids(user)
    if drafting is not None:
        rows = rows.filter(pk__in=drafting)
    latest: dict[str, Unit] = {}
    for unit in rows.order_by("code", "valid_from"):
        latest[unit.code] = unit
    today = timezone.localdate()

    def closed(unit: Unit) -> bool:
        return unit.valid_to is not None and unit.valid_to < today

    choices = []
    for unit in sorted(latest.values(), key=lambda u: (closed(u), u.name)):
        label = unit.name
        if closed(unit) and unit.valid_to is not None:
            label = gettext("%(name)s (hoạt động đến %(day)s)") % {
                "name": unit.name,
                "day": f"{unit.valid_to:%d/%m/%Y}",
            }
        choices.append((unit.code, label))
    return choices


def _optional(template: str) -> str:
    """`template` if it exists (the review steps' partials come from another module)."""
    try:
        get_template(template)
    except TemplateDoesNotExist:
        return ""
    return template


def _counts(findings: list[dict[str, Any]]) -> tuple[int, int]:
    errors = sum(1 for f in findings if f.get("level") == checks.ERROR)
    return errors, len(findings) - errors


# -- the list and "Lập báo cáo" ------------------------------------------------------------


def _list_rows(user: Any, state: str) -> list[dict[str, Any]]:
    rows = reports_for_user(user)
    if state:
        rows = rows.filter(state=state)
    out = []
    for report in rows.order_by("-period_to", "unit_code", "-id")[:500]:
        errors, warnings = _counts(list(report.findings or []))
        out.append(
            {
                "report": report,
                "unit_name": report.unit.name,
                "period": report.period_name or report.period_code,
                "window": f"{report.period_from:%d/%m/%Y}–{report.period_to:%d/%m/%Y}",
                "state": S(report.state).label,
                "changed": report.updated_at,
                "errors": errors,
                "warnings": warnings,
            }
        )
    return out


def _list_page(
    request: HttpRequest,
    form: GenerateReportForm,
    *,
    error: str = "",
    existing: Report | None = None,
    status: int = 200,
) -> HttpResponse:
    state = request.GET.get("trang_thai", "")
    if state not in S.values:
        state = ""
    return render(
        request,
        "reports/list.html",
        {
            "rows": _list_rows(request.user, state),
            "states": S.choices,
            "state": state,
            "form": form,
            "may_generate": bool(form.units),
            "suggestions": period_suggestions(timezone.localdate()),
            "error": error,
            "existing": existing,
            "list_actions": _optional("reports/flow/_list_actions.html"),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    """The unit's reports by period and state; POST generates a new draft."""
    units = writable_units(request.user)
    if request.method != "POST":
        return _list_page(request, GenerateReportForm(units=units))
    form = GenerateReportForm(request.POST, units=units)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    code = form.cleaned_data["unit"]
    try:
        report = services.generate_report(
            unit_code=code,
            period=form.cleaned_data["period"],
            receiving_body=form.cleaned_data["receiving_body"],
            actor=request.user,
        )
    except StatsError:  # a unit without figures for part of the period
        return _list_page(
            request,
            form,
            error=gettext(
                "Không lập được báo cáo: đơn vị không có đủ số liệu trong kỳ đã chọn (đơn vị "
                "thành lập hoặc sáp nhập giữa kỳ); hãy chọn đơn vị đang hoạt động trong kỳ."
            ),
            status=400,
        )
    except services.ReportError as exc:
        existing = None
        if isinstance(exc, services.ReportTransitionError):
            period = services.read_period(form.cleaned_data["period"])
            existing = (
                reports_for_user(request.user)
                .filter(unit_code=code, period_from=period.first, period_to=period.last)
                .exclude(state__in=[S.ISSUED, S.SENT, S.SUPERSEDED])
                .first()
            )
        return _list_page(request, form, error=exc.message, existing=existing, status=exc.status)
    messages.success(
        request,
        gettext("Đã lập dự thảo báo cáo %(period)s của %(unit)s.")
        % {"period": report.period_name, "unit": report.unit.name},
    )
    return redirect("reports:editor", pk=report.pk)


# -- the editor ------------------------------------------------------------------------------


def _anchor(key: str) -> str:
    return "muc-" + key.replace(".", "-")


def _figure_row(figure: dict[str, Any]) -> dict[str, Any]:
    source = figure.get("source") or {}
    registered = source.get("kind") in ("register", "override")
    entered_at: dt.datetime | None = None
    if registered and source.get("entered_at"):
        entered_at = dt.datetime.fromisoformat(source["entered_at"]).astimezone(TZ)
    return {
        "key": figure["key"],
        "label": figure.get("label", ""),
        "printed": format_value(figure),
        "window": checks.window_words(figure),
        "url": source.get("url", ""),
        "records": source.get("records", ""),
        "registered": registered,
        "override": source.get("kind") == "override",
        "computed_value": source.get("computed_value"),
        "entered_by": source.get("entered_by", ""),
        "entered_at": entered_at,
        "evidence": source.get("evidence", ""),
        "documents": source.get("documents") or [],
    }


def _sections(report: Report, built: Any, *, editable: bool) -> list[dict[str, Any]]:
    by_key = {f["key"]: f for f in report.figures or []}
    missing = list(report.missing or [])
    first, last = report.period_from, report.period_to
    today = min(timezone.localdate(), last)

    def shape(section: dict[str, Any], depth: int) -> dict[str, Any]:
        key = section["key"]
        children = [shape(c, depth + 1) for c in section.get("children") or []]
        entered_keys = [
            k for k in registers.REGISTER_KEYS if figure_matches(section.get("patterns") or [], k)
        ]
        entry_form = None
        if editable and section["kind"] == SlotKind.ENTERED and entered_keys:
            entry_form = RegisterEntryForm(
                keys=entered_keys,
                first=first,
                last=last,
                initial={"as_of": f"{max(first, today):%d/%m/%Y}"},
                prefix=_anchor(key),
            )
        rows = [_figure_row(by_key[k]) for k in section["figures"] if k in by_key]
        windows = Counter(r["window"] for r in rows)
        common = windows.most_common(1)[0][0] if windows else ""
        for row in rows:
            row["other_window"] = row["window"] != common
        return {
            "key": key,
            "anchor": _anchor(key),
            "window": common,
            "number": section["number"],
            "heading": section["heading"],
            "depth": depth,
            "kind": section["kind"],
            "optional": section.get("optional"),
            "figures": rows,
            "missing": [m for m in missing if m["section"] == key and m["key"]],
            "unwritten": any(m["section"] == key and not m["key"] for m in missing),
            "raw_text": section.get("raw_text", ""),
            "text": section.get("text", ""),
            "writable": not children,
            # the textarea a figure's "Chèn vào lời văn" button writes into
            "insert_target": f"{_anchor(key)}-noi-dung" if editable and not children else "",
            "entry_form": entry_form,
            "children": children,
        }

    return [shape(s, 0) for s in built.sections if not s.get("appendix")]


def _findings(report: Report) -> list[dict[str, Any]]:
    labels = {f["key"]: f.get("label", f["key"]) for f in report.figures or []}
    return [
        {
            "level": f["level"],
            "message": f["message"],
            "figures": [labels.get(k, k) for k in f.get("figures") or []],
        }
        for f in report.findings or []
    ]


def _rights(user: Any, report: Report) -> dict[str, bool]:
    writer = may_write(user, report.unit)
    return {
        "may_write": writer,
        "may_edit": writer and report.state in OPEN_STATES,
        "may_submit": writer and can_move(report.state, S.IN_REVIEW),
    }


# The later steps' pages (flow_urls.py): linked when they are mounted, by state.
FLOW_LINKS: tuple[tuple[str, frozenset[str], bool, Any], ...] = (
    # (URL name, states, needs the approve right, label)
    ("reports:flow-review", frozenset({S.IN_REVIEW}), True, _("Duyệt báo cáo")),
    ("reports:flow-issue", frozenset({S.APPROVED}), True, _("Ban hành")),
    (
        "reports:flow-issue",
        frozenset({S.ISSUED, S.SENT, S.SUPERSEDED}),
        False,
        _("Văn bản đã ban hành"),
    ),
)


def flow_links(user: Any, report: Report) -> list[tuple[str, str]]:
    """Links to the review, issue and difference pages the report's state leads to (only
    those mounted: the pages live in `flow_views.py`)."""
    approver = can(user, Action.APPROVE, report.unit)
    wanted = [
        (name, label)
        for name, states, needs_approve, label in FLOW_LINKS
        if report.state in states and (approver or not needs_approve)
    ]
    if report.differences:
        wanted.append(("reports:flow-differences", _("Danh sách thay đổi so với bản đã ban hành")))
    links = []
    for name, label in wanted:
        try:
            links.append((reverse(name, args=[report.pk]), str(label)))
        except NoReverseMatch:
            continue
    return links


def checks_context(report: Report) -> dict[str, Any]:
    """What the live checks panel shows."""
    errors, warnings = _counts(list(report.findings or []))
    return {
        "report": report,
        "findings": _findings(report),
        "errors": errors,
        "warnings": warnings,
        "state_label": S(report.state).label,
        "cutoff": report.cutoff.astimezone(TZ),
    }


def _editor_context(request: HttpRequest, report: Report, **extra: Any) -> dict[str, Any]:
    rights = _rights(request.user, report)
    built = services.in_memory(report)
    return {
        **checks_context(report),
        **rights,
        "unit_name": report.unit.name,
        "period_label": services.report_period(report).label,
        "sections": _sections(report, built, editable=rights["may_edit"]),
        "import_form": RegisterImportForm(),
        "import_errors": [],
        "error": "",
        "editor_actions": _optional("reports/flow/_editor_actions.html"),
        "flow_links": flow_links(request.user, report),
        "downloads": [
            (reverse("reports:download", args=[report.pk, fmt]), label)
            for fmt, label in (
                ("docx", gettext("Tải Word (DOCX)")),
                ("pdf", gettext("Tải PDF")),
                ("xlsx", gettext("Tải phụ lục số liệu (XLSX)")),
                ("json", gettext("Tải số liệu (JSON)")),
            )
        ],
        **extra,
    }


def _editor_page(
    request: HttpRequest, report: Report, *, status: int = 200, **extra: Any
) -> HttpResponse:
    return render(
        request, "reports/editor.html", _editor_context(request, report, **extra), status=status
    )


@login_required
@require_GET
def report_editor(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor of one report (read-only when the state or the user's rights say so)."""
    return _editor_page(request, get_report_for_user(request.user, pk))


@login_required
@require_GET
def report_checks(request: HttpRequest, pk: int) -> HttpResponse:
    """The live checks panel alone (an HTMX fragment)."""
    report = get_report_for_user(request.user, pk)
    return render(request, "reports/_checks.html", checks_context(report))


def _writer_report(request: HttpRequest, pk: int) -> Report:
    """The report in scope, and the user may draft it (403 with a Vietnamese message)."""
    report = get_report_for_user(request.user, pk)
    if not may_write(request.user, report.unit):
        raise _Refused(gettext("Bạn không có quyền soạn báo cáo của đơn vị này."), 403)
    return report


class _Refused(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def _open(report: Report) -> None:
    if report.state not in OPEN_STATES:
        raise _Refused(
            gettext("Báo cáo đang ở trạng thái “%(state)s”: không sửa được nội dung.")
            % {"state": S(report.state).label},
            409,
        )


def _refused_page(request: HttpRequest, pk: int, refused: _Refused) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    return _editor_page(request, report, status=refused.status, error=refused.message)


@login_required
@require_POST
def write_section(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one section's text (`services.write_section`); with HTMX, answer the section's
    form and the refreshed checks panel (out of band)."""
    key = request.POST.get("muc", "")
    htmx = bool(request.headers.get("HX-Request"))
    try:
        report = _writer_report(request, pk)
        _open(report)
        report = services.write_section(
            report=report, key=key, text=request.POST.get("noi_dung", ""), actor=request.user
        )
    except (_Refused, services.ReportError) as exc:
        message, status = exc.message, exc.status
        if not htmx:
            return _refused_page(request, pk, _Refused(message, status))
        report = get_report_for_user(request.user, pk)
        return _section_fragment(
            request,
            report,
            key,
            error=message,
            text=request.POST.get("noi_dung", ""),
            status=status,
        )
    if not htmx:
        messages.success(request, gettext("Đã lưu mục %(key)s.") % {"key": key})
        return redirect(reverse("reports:editor", args=[report.pk]) + "#" + _anchor(key))
    return _section_fragment(request, report, key, saved=True)


def _section_fragment(
    request: HttpRequest,
    report: Report,
    key: str,
    *,
    saved: bool = False,
    error: str = "",
    text: str | None = None,
    status: int = 200,
) -> HttpResponse:
    raw = (report.texts or {}).get(key, "") if text is None else text
    context = {
        **checks_context(report),
        **_rights(request.user, report),
        "section": {"key": key, "anchor": _anchor(key), "raw_text": raw},
        "saved": saved,
        "error": error,
        "oob": True,
    }
    return render(request, "reports/_section_text.html", context, status=status)


@login_required
@require_POST
def refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Cập nhật số liệu": recompute the figures with a new cut-off (`refresh_report`)."""
    try:
        report = services.refresh_report(report=_writer_report(request, pk), actor=request.user)
    except StatsError:
        return _refused_page(request, pk, _Refused(gettext("Không tính lại được số liệu."), 400))
    except (_Refused, services.ReportError) as exc:
        return _refused_page(request, pk, _Refused(exc.message, exc.status))
    messages.success(
        request,
        gettext("Đã cập nhật số liệu đến %(at)s.")
        % {"at": f"{report.cutoff.astimezone(TZ):%H:%M %d/%m/%Y}"},
    )
    return redirect("reports:editor", pk=report.pk)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Trình duyệt": send the report to the unit's leader (`submit_report`)."""
    try:
        report = services.submit_report(report=_writer_report(request, pk), actor=request.user)
    except (_Refused, services.ReportError) as exc:
        return _refused_page(request, pk, _Refused(exc.message, exc.status))
    messages.success(request, gettext("Đã trình lãnh đạo duyệt báo cáo."))
    return redirect("reports:editor", pk=report.pk)


@login_required
@require_POST
def enter_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter one hand-entered figure of the report's unit (`enter_register_entry`) and
    recompute the draft so that it shows (one transaction: both or nothing)."""
    prefix = request.POST.get("tien_to", "")
    try:
        report = _writer_report(request, pk)
        _open(report)
    except _Refused as exc:
        return _refused_page(request, pk, exc)
    form = RegisterEntryForm(
        request.POST,
        request.FILES,
        keys=list(registers.REGISTER_KEYS),
        first=report.period_from,
        last=report.period_to,
        prefix=prefix or None,
    )
    if not form.is_valid():
        errors = [
            f"{form.fields[n].label}: {' '.join(str(m) for m in e)}" for n, e in form.errors.items()
        ]
        return _editor_page(request, report, status=400, error=" ".join(errors))
    data = form.cleaned_data
    period = (report.period_from, report.period_to) if data["whole_period"] else (None, None)
    try:
        with transaction.atomic():
            entry = registers.enter_register_entry(
                actor=request.user,
                key=data["key"],
                unit=report.unit,
                as_of=data["as_of"],
                value=data["value"],
                period_from=period[0],
                period_to=period[1],
                evidence=data.get("evidence") or None,
                evidence_reference=data.get("evidence_reference", ""),
                note=data.get("note", ""),
            )
            report = services.refresh_report(report=report, actor=request.user)
    except (registers.RegisterError, services.ReportError) as exc:
        return _editor_page(request, report, status=exc.status, error=exc.message)
    label = registers.REGISTER_KEYS[entry.key][1]
    messages.success(
        request,
        gettext("Đã nhập “%(label)s”: %(value)s.")
        % {"label": label, "value": format_value(_entry_figure(entry))},
    )
    return redirect(
        reverse("reports:editor", args=[report.pk]) + "#" + _anchor_of(entry.key, report)
    )


def _entry_figure(entry: Any) -> dict[str, Any]:
    measure = registers.ALL_KEYS[entry.key][2]
    value = float(entry.value_decimal) if entry.value_decimal is not None else entry.value
    return {"value": value, "measure": measure, "decimals": entry.decimals}


def _anchor_of(key: str, report: Report) -> str:
    from motcua.reports.reform.templates import walk

    for _depth, section in walk(list(report.template.sections)):
        if section.get("kind") == SlotKind.ENTERED and figure_matches(
            list(section.get("figures") or []), key
        ):
            return _anchor(str(section["key"]))
    return "so-lieu-nhap"


@login_required
@require_POST
def import_registers(request: HttpRequest, pk: int) -> HttpResponse:
    """Import a CSV/XLSX of the unit's register entries (all or nothing, errors by line)."""
    try:
        report = _writer_report(request, pk)
        _open(report)
    except _Refused as exc:
        return _refused_page(request, pk, exc)
    form = RegisterImportForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [(0, " ".join(str(m) for m in e)) for e in form.errors.values()]
        return _editor_page(request, report, status=400, import_errors=errors, import_form=form)
    upload = form.cleaned_data["file"]
    suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    with tempfile.TemporaryDirectory(prefix="motcua-so-lieu-") as folder:
        path = Path(folder) / f"so-lieu{suffix}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        errors = _foreign_units(path, report)
        if errors:
            return _editor_page(request, report, status=400, import_errors=errors)
        try:
            with transaction.atomic():
                count = registers.import_registers(path, actor=request.user, source="import")
                report = services.refresh_report(report=report, actor=request.user)
        except registers.RegisterImportError as exc:
            return _editor_page(request, report, status=400, import_errors=exc.errors)
        except services.ReportError as exc:
            return _editor_page(request, report, status=exc.status, error=exc.message)
    messages.success(request, gettext("Đã nhập %(n)s số liệu từ tệp.") % {"n": count})
    return redirect(reverse("reports:editor", args=[report.pk]) + "#so-lieu-nhap")


def _foreign_units(path: Path, report: Report) -> list[tuple[int, str]]:
    """Lines naming another unit than the report's: refused (scope), by line number."""
    from motcua.lib.csvin import ImportProblem
    from motcua.par.tables import read_rows

    try:
        rows = list(read_rows(path, required=registers.HEADER, optional=registers.OPTIONAL))
    except ImportProblem:
        return []  # the import itself names the structural problem
    return [
        (
            line,
            gettext("unit: chỉ nhập số liệu của đơn vị %(code)s trên trang báo cáo này")
            % {"code": report.unit_code},
        )
        for line, row in rows
        if (row.get("unit") or "").strip() != report.unit_code
    ]


# -- downloads -------------------------------------------------------------------------------


def file_name(report: Report, extension: str) -> str:
    """'Bao-cao-CCHC-Quý III-2023 - Phường Cao Lãnh.docx' → a Vietnamese name, safe on disk."""
    period = (report.period_name or report.period_code).replace("/", "-")
    name = f"Báo cáo CCHC {period} - {report.unit.name}"
    keep = "".join(c for c in name if c.isalnum() or c in " -_,.()")
    return f"{keep.strip()}.{extension}"


@login_required
@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The stored report as DOCX, PDF (LibreOffice), figures appendix XLSX or JSON."""
    if fmt not in FORMATS:
        raise Http404
    report = get_report_for_user(request.user, pk)
    content_type, extension = FORMATS[fmt]
    try:
        data = render_report(report, fmt)
    except DocumentError as exc:  # LibreOffice missing or failing: told, never a 500
        return HttpResponse(
            getattr(exc, "message", str(exc)),
            status=503 if fmt == "pdf" else 400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=file_name(report, extension)) or ""
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def render_report(report: Report, fmt: str) -> bytes:
    """The report's bytes in `fmt` (read-only: nothing is written)."""
    if fmt == "json":
        from motcua.documents.exporters import export

        return export("report.reform", {"report": report}, "json").data
    from motcua.documents import decree30
    from motcua.reports.reform.paper import administrative_document

    paper = administrative_document(services.in_memory(report).document())
    if fmt == "docx":
        return decree30.render_docx(paper)
    if fmt == "pdf":
        return decree30.render_pdf(paper)
    if not paper.appendices:
        raise Http404(gettext("Báo cáo chưa có số liệu nào để lập phụ lục."))
    return decree30.appendix_xlsx(paper.appendices[0], document=paper)
