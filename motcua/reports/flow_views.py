"""The later steps of a periodic reform report, under /bao-cao-cchc/ (issue 15 item 8):

- `<pk>/duyet/` — the unit leader reads the report (sections, figures, findings) and approves
  it ("Phê duyệt", a note when warnings remain) or returns it ("Trả lại", with a reason);
- `<pk>/ban-hanh/` — number and symbol, date, signer, authority, place and recipients; then
  the frozen snapshot with its sha256, the issued paper (DOCX/PDF), "Gửi báo cáo" and
  "Lập lại từ số liệu mới";
- `<pk>/chenh-lech/` — a regenerated draft's difference list against the issued report;
- `tong-hop/?ky=2025-Q3` — the province's view: every unit in scope and its report's state.

Scope: a report is visible to whoever may view its unit (`par.permissions.may_view_unit`:
the unit's own staff, its leaders above, province-wide roles); anyone else gets 404. The
steps need `approve` on the unit (`people.policy.can`): without it there is no button and a
POST is 403. A refused move answers 409 (bad input 400) with the page and the Vietnamese
message; the service wrote nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.documents.render import CONTENT_TYPES, DocumentError
from motcua.par.permissions import may_view_unit
from motcua.people.choices import Role
from motcua.people.policy import PROVINCE_ROLES, Action, can
from motcua.reports import flow_forms as forms
from motcua.reports.choices import ISSUED_STATES, ReportState
from motcua.reports.models import Report, ReportEvent, ReportSnapshot
from motcua.reports.reform import publication, services
from motcua.reports.reform.build import format_value
from motcua.reports.reform.checks import ERROR, vn_number
from motcua.reports.reform.services import ReportError

S = ReportState


# -- scope and permission ----------------------------------------------------------------------


def get_report_for_user(user: Any, pk: int) -> Report:
    """The report if `user` may see its unit; 404 otherwise (exactly like a missing one)."""
    report = Report.objects.select_related("unit", "template", "reporting_task").filter(pk=pk)
    found = report.first()
    if found is None or not may_view_unit(user, found.unit_code, found.unit):
        raise Http404(gettext("Không có báo cáo này trong phạm vi của bạn."))
    return found


def may_decide(user: Any, report: Report) -> bool:
    """The unit's leader (or whoever holds `approve` on the unit) approves, issues and sends."""
    return can(user, Action.APPROVE, report.unit)


def may_regenerate(user: Any, report: Report) -> bool:
    """Whoever drafts the unit's reports (`process`) or approves them may regenerate one."""
    return can(user, Action.PROCESS, report.unit) or can(user, Action.APPROVE, report.unit)


def _forbidden() -> HttpResponse:
    return HttpResponse(
        gettext("Bạn không có quyền thực hiện bước này với báo cáo của đơn vị."), status=403
    )


# -- what the pages show -----------------------------------------------------------------------


def _carry_out(
    request: HttpRequest,
    report: Report,
    run: Callable[[], Any],
    *,
    page: Callable[..., HttpResponse],
    done: str,
    then: Callable[[Any], str],
    **page_kwargs: Any,
) -> HttpResponse:
    """Run one step of the report's life; a refusal shows `page` again with its message (and
    the posted form), success says `done` and goes to `then(result)`."""
    try:
        result = run()
    except ReportError as exc:
        report.refresh_from_db()
        return page(request, report, error=exc.message, status=exc.status, **page_kwargs)
    messages.success(request, done)
    return redirect(then(result))


def signed(value: Any) -> str:
    """A change printed the Vietnamese way with its sign: +1.234, -5, 0."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "—"
    text = vn_number(abs(value))
    return f"+{text}" if value > 0 else (f"-{text}" if value < 0 else "0")


def _document(report: Report) -> dict[str, Any]:
    """What the report says: the frozen snapshot once issued, else the stored draft."""
    snapshot = ReportSnapshot.objects.filter(report=report).first()
    if snapshot is not None:
        return dict(snapshot.data["report"])
    return services.in_memory(report).document()


def _sections(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Parts and items flattened (depth 0 and 1), each with the figures it shows."""
    by_key = {f["key"]: f for f in document.get("figures") or []}
    rows: list[dict[str, Any]] = []

    def visit(items: list[dict[str, Any]], depth: int) -> None:
        for s in items:
            rows.append(
                {
                    "number": s.get("number", ""),
                    "heading": s.get("heading", ""),
                    "text": s.get("text", ""),
                    "depth": depth,
                    "appendix": bool(s.get("appendix")),
                    "figures": [
                        _figure_row(by_key[k]) for k in s.get("figures", []) if k in by_key
                    ],
                }
            )
            visit(list(s.get("children") or []), depth + 1)

    visit(list(document.get("sections") or []), 0)
    return rows


def _figure_row(figure: dict[str, Any]) -> dict[str, Any]:
    source = figure.get("source") or {}
    return {
        "key": figure["key"],
        "label": figure.get("label", ""),
        "printed": figure.get("printed") or format_value(figure),
        "url": source.get("url", ""),
        "entered": source.get("kind") in ("register", "override"),
    }


def _findings(findings: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    return {
        "errors": [f for f in findings if f["level"] == ERROR],
        "warnings": [f for f in findings if f["level"] != ERROR],
    }


def _base(request: HttpRequest, report: Report) -> dict[str, Any]:
    return {
        "report": report,
        "state_label": S(report.state).label,
        "unit_name": report.unit.name,
        "period_label": f"{report.period_name} ({report.period_from:%d/%m/%Y}–"
        f"{report.period_to:%d/%m/%Y})",
        "editor_url": reverse("reports:flow-review", args=[report.pk]).removesuffix("duyet/"),
        "decider": may_decide(request.user, report),
    }


# -- review: approve or return -----------------------------------------------------------------


def _review_page(
    request: HttpRequest,
    report: Report,
    *,
    error: str = "",
    status: int = 200,
    approve_form: forms.ApproveForm | None = None,
    return_form: forms.ReturnForm | None = None,
) -> HttpResponse:
    document = _document(report)
    findings = _findings(list(report.findings or []))
    context = {
        **_base(request, report),
        "sections": _sections(document),
        "errors": findings["errors"],
        "warnings": findings["warnings"],
        "missing": list(report.missing or []),
        "reviewing": report.state == S.IN_REVIEW,
        # an approved report not yet issued may still go back to editing
        "may_return": report.state in (S.IN_REVIEW, S.APPROVED),
        "approve_form": approve_form or forms.ApproveForm(),
        "return_form": return_form or forms.ReturnForm(),
        "error": error,
        "events": report.events.all(),
    }
    return render(request, "reports/flow/review.html", context, status=status)


@login_required
@require_GET
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The report read-only, with "Phê duyệt" and "Trả lại" for the unit's leader."""
    return _review_page(request, get_report_for_user(request.user, pk))


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Phê duyệt (`services.approve_report`); errors block it, warnings need the note."""
    report = get_report_for_user(request.user, pk)
    if not may_decide(request.user, report):
        return _forbidden()
    form = forms.ApproveForm(request.POST)
    form.is_valid()
    return _carry_out(
        request,
        report,
        lambda: services.approve_report(
            report=report, actor=request.user, note=form.cleaned_data.get("note", "")
        ),
        page=_review_page,
        done=gettext("Đã phê duyệt báo cáo. Bước tiếp theo: ban hành."),
        then=lambda _: reverse("reports:flow-issue", kwargs={"pk": report.pk}),
        approve_form=form,
    )


@login_required
@require_POST
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    """Trả lại (`services.return_report`) with the reason."""
    report = get_report_for_user(request.user, pk)
    if not may_decide(request.user, report):
        return _forbidden()
    form = forms.ReturnForm(request.POST)
    if not form.is_valid():
        return _review_page(
            request,
            report,
            error=gettext("Hãy ghi lý do trả lại báo cáo."),
            status=400,
            return_form=form,
        )
    return _carry_out(
        request,
        report,
        lambda: services.return_report(
            report=report, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        page=_review_page,
        done=gettext("Đã trả lại báo cáo để chỉnh sửa."),
        then=lambda _: reverse("reports:flow-review", kwargs={"pk": report.pk}),
        return_form=form,
    )


# -- issue, paper, send, regenerate ------------------------------------------------------------


def _sent_event(report: Report) -> ReportEvent | None:
    return report.events.filter(kind="report.sent").order_by("-at", "-id").first()


def _issue_initial(report: Report) -> dict[str, Any]:
    abbreviation = (report.unit.short_name or report.unit_code).replace(" ", "").upper()
    return {
        "symbol": f"BC-{abbreviation}",
        "issued_on": timezone.localdate().strftime("%d/%m/%Y"),
        "recipients": "\n".join(report.recipients or []),
    }


def _issue_page(
    request: HttpRequest,
    report: Report,
    *,
    error: str = "",
    status: int = 200,
    issue_form: forms.IssueForm | None = None,
    send_form: forms.SendForm | None = None,
) -> HttpResponse:
    snapshot = ReportSnapshot.objects.filter(report=report).first()
    sent = _sent_event(report) if report.state in (S.SENT, S.SUPERSEDED) else None
    task = report.reporting_task
    context = {
        **_base(request, report),
        "snapshot": snapshot,
        "figures": [_figure_row(f) for f in snapshot.data["report"]["figures"]] if snapshot else [],
        "may_issue": report.state == S.APPROVED,
        "may_send": report.state == S.ISSUED,
        "may_regenerate": report.state in (S.ISSUED, S.SENT)
        and may_regenerate(request.user, report)
        and not report.regenerations.exclude(state__in=ISSUED_STATES).exists(),
        "regeneration": report.regenerations.order_by("-id").first(),
        "issue_form": issue_form or forms.IssueForm(initial=_issue_initial(report)),
        "send_form": send_form
        or forms.SendForm(initial={"recipients": "\n".join(report.recipients or [])}),
        "sent": sent,
        "on_time": (sent.data.get("on_time") if sent else None),
        "task": task,
        "error": error,
    }
    return render(request, "reports/flow/issue.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Ban hành (`publication.issue_report`); afterwards the snapshot and the paper."""
    report = get_report_for_user(request.user, pk)
    if request.method == "GET":
        return _issue_page(request, report)
    if not may_decide(request.user, report):
        return _forbidden()
    form = forms.IssueForm(request.POST)
    if not form.is_valid():
        return _issue_page(
            request,
            report,
            error=gettext("Hãy sửa các ô được đánh dấu."),
            status=400,
            issue_form=form,
        )
    data = form.cleaned_data
    return _carry_out(
        request,
        report,
        lambda: publication.issue_report(
            report=report,
            actor=request.user,
            number=data["number"],
            symbol=data["symbol"],
            issued_on=data["issued_on"],
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
            authority=data.get("authority") or "",
            place=data.get("place") or "",
            recipients=data["recipients"],
        ),
        page=_issue_page,
        done=gettext("Đã ban hành báo cáo và chốt số liệu."),
        then=lambda _: reverse("reports:flow-issue", kwargs={"pk": report.pk}),
        issue_form=form,
    )


@login_required
@require_GET
def paper(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The report as a Decree 30/2020 paper (DOCX or PDF): the frozen text once issued."""
    from motcua.documents.decree30 import render_docx, render_pdf
    from motcua.reports.reform.paper import administrative_document

    if fmt not in ("docx", "pdf"):
        raise Http404(gettext("Không có định dạng này."))
    report = get_report_for_user(request.user, pk)
    document = administrative_document(_document(report))
    try:
        content = render_pdf(document) if fmt == "pdf" else render_docx(document)
    except DocumentError as exc:
        return HttpResponse(exc.message, status=503, content_type="text/plain; charset=utf-8")
    number = report.number_and_symbol.replace("/", "-") or "du-thao"
    name = f"bao-cao-cchc_{report.unit_code}_{report.period_code or report.pk}_{number}.{fmt}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    """Gửi báo cáo (`publication.send_report`): recipients and time; the reporting task done."""
    report = get_report_for_user(request.user, pk)
    if not may_decide(request.user, report):
        return _forbidden()
    form = forms.SendForm(request.POST)
    if not form.is_valid():
        return _issue_page(
            request,
            report,
            error=gettext("Hãy sửa các ô được đánh dấu."),
            status=400,
            send_form=form,
        )
    return _carry_out(
        request,
        report,
        lambda: publication.send_report(
            report=report,
            actor=request.user,
            sent_at=form.cleaned_data.get("sent_at"),
            recipients=form.cleaned_data["recipients"],
        ),
        page=_issue_page,
        done=gettext("Đã ghi nhận gửi báo cáo."),
        then=lambda _: reverse("reports:flow-issue", kwargs={"pk": report.pk}),
        send_form=form,
    )


@login_required
@require_POST
def regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    """Lập lại từ số liệu mới (`publication.regenerate_report`) → the difference list."""
    report = get_report_for_user(request.user, pk)
    if not may_regenerate(request.user, report):
        return _forbidden()
    return _carry_out(
        request,
        report,
        lambda: publication.regenerate_report(report=report, actor=request.user),
        page=_issue_page,
        done=gettext("Đã lập dự thảo mới từ số liệu hiện tại."),
        then=lambda draft: reverse("reports:flow-differences", kwargs={"pk": draft.pk}),
    )


@login_required
@require_GET
def differences(request: HttpRequest, pk: int) -> HttpResponse:
    """The figures that changed since the issued report this draft was regenerated from."""
    report = get_report_for_user(request.user, pk)
    rows = [
        {
            "label": d.get("label", d["key"]),
            "issued": (d.get("printed") or {}).get("issued", "—"),
            "current": (d.get("printed") or {}).get("current", "—"),
            "change": signed(d.get("change")),
            "url": (d.get("source") or {}).get("url", ""),
        }
        for d in report.differences or []
    ]
    return render(
        request,
        "reports/flow/differences.html",
        {**_base(request, report), "rows": rows, "original": report.regenerated_from},
    )


# -- the province's view -----------------------------------------------------------------------

# Units that write the periodic report (a sub-unit reports through its host).
REPORTING_LEVELS = ("province", "department", "district", "commune")
# Which report of a unit and period the province sees first (a sent one over a new draft).
_RANK = {S.SENT: 5, S.ISSUED: 4, S.APPROVED: 3, S.IN_REVIEW: 2, S.EDITING: 1, S.DRAFT: 1}


def province_scope(user: Any) -> set[int] | None:
    """Unit ids of the provinces `user` oversees (None: every unit); empty: not provincial.

    The province office and the administrators (`PROVINCE_ROLES`) and Home Affairs' PAR
    appraisers see their whole province, predecessors included."""
    from motcua.people.scope import _active_memberships, current_graph

    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return set()
    if getattr(user, "is_superuser", False):
        return None
    graph = current_graph()
    ids: set[int] = set()
    for m in _active_memberships(user):
        if m.role in PROVINCE_ROLES or m.role == Role.PAR_APPRAISER:
            ids |= graph.reach(m.unit_id, Role.PROVINCIAL_OFFICE)
    return ids


def _default_period() -> str:
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    return f"{today.year - 1}-Q4" if quarter == 1 else f"{today.year}-Q{quarter - 1}"


def _status(report: Report | None, on_time: bool | None) -> tuple[str, str]:
    """(Vietnamese state, badge class) as the province reads it."""
    if report is None:
        return gettext("Chưa lập"), "badge-late"
    if report.state in (S.DRAFT, S.EDITING):
        return gettext("Đang soạn"), "badge-soon"
    if report.state == S.SENT:
        if on_time is True:
            return gettext("Đã gửi — đúng hạn"), "badge-ok"
        if on_time is False:
            return gettext("Đã gửi — trễ hạn"), "badge-late"
        return gettext("Đã gửi"), "badge-ok"
    return str(S(report.state).label), "badge-paused"


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Every unit the provincial viewer oversees and its report for the period `?ky=`."""
    from motcua.units.models import Unit

    scope = province_scope(request.user)
    if scope is not None and not scope:
        raise Http404(gettext("Không có trang này trong phạm vi của bạn."))
    raw = (request.GET.get("ky") or "").strip() or _default_period()
    try:
        period = services.read_period(raw)
    except ReportError as exc:
        return render(
            request,
            "reports/flow/overview.html",
            {"error": exc.message, "ky": raw, "rows": [], "choices": _choices(raw)},
            status=400,
        )
    units = Unit.objects.valid_on(period.last).filter(level__in=REPORTING_LEVELS)
    if scope is not None:
        units = units.filter(pk__in=scope)
    units_list = list(units.order_by("level", "name").only("pk", "code", "name", "level"))
    order = {lv: i for i, lv in enumerate(REPORTING_LEVELS)}
    units_list.sort(key=lambda u: (order.get(u.level, 9), u.name))
    reports = Report.objects.filter(
        unit_code__in=[u.code for u in units_list],
        period_from=period.first,
        period_to=period.last,
    ).exclude(state=S.SUPERSEDED)
    best: dict[str, Report] = {}
    for r in reports.only("pk", "unit_code", "state", "number", "symbol", "issued_on", "sent_at"):
        held = best.get(r.unit_code)
        if held is None or (_RANK[S(r.state)], r.pk) > (_RANK[S(held.state)], held.pk):
            best[r.unit_code] = r
    sent_ids = [r.pk for r in best.values() if r.state == S.SENT]
    on_time = {
        e.report_id: e.data.get("on_time")
        for e in ReportEvent.objects.filter(report_id__in=sent_ids, kind="report.sent").order_by(
            "at", "id"
        )
    }
    rows = []
    counts: dict[str, int] = {}
    for u in units_list:
        found = best.get(u.code)
        label, badge = _status(found, on_time.get(found.pk) if found else None)
        counts[label] = counts.get(label, 0) + 1
        rows.append({"unit": u, "report": found, "label": label, "badge": badge})
    return render(
        request,
        "reports/flow/overview.html",
        {
            "period": period,
            "ky": raw,
            "rows": rows,
            "counts": sorted(counts.items()),
            "choices": _choices(raw),
        },
    )


def _choices(current: str) -> list[tuple[str, str]]:
    """The last eight quarters (and `current` if typed otherwise) for the period picker."""
    today = timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    codes = []
    for _i in range(8):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        codes.append(f"{year}-Q{quarter}")
    if current and current not in codes:
        codes.insert(0, current)
    result = []
    for code in codes:
        try:
            result.append((code, services.read_period(code).name or code))
        except ReportError:
            result.append((code, code))
    return result
