"""The pages of the PAR Index process (issue 14 items 2 and 8), under /chi-so-cchc/<set>/:

- `quy-trinh/` — the Department of Home Affairs: the rounds and their deadlines, add a round,
  close a round, the units' self-assessments, publish with the deciding document;
- `<unit>/tu-danh-gia/` — a unit: its self-assessment by field, criterion and leaf (points or
  not applicable, explanation, evidence files), submit; its leader approves or returns; in the
  explanation round, a reply per leaf; every leaf shows all its rounds;
- `<unit>/tham-dinh/` — the appraisers: per leaf the unit's values, files and history, and the
  open appraisal or final round's points and comment.

Scope: the process pages are for `may_run_process` (404 for anyone else); a unit's pages for
whoever may view the unit (a unit officer their own unit; 404 outside). A refused move answers
409 with the page and its Vietnamese message, bad input 400; nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.par import process
from motcua.par.choices import RoundKind, SetStatus, SubmissionStatus
from motcua.par.models import CriteriaSet, Criterion, EvidenceFile, Round, RoundScore, Submission
from motcua.par.permissions import (
    may_approve_self,
    may_run_process,
    may_self_assess,
    may_view_unit,
    unit_for_code,
)
from motcua.par.services import ParError
from motcua.par.unit_views import _date
from motcua.par.views import _unit_names, number, set_label
from motcua.units.models import Unit


def _state_label(state: str) -> str:
    return {
        "waiting": gettext("Chưa mở"),
        "open": gettext("Đang mở"),
        "late": gettext("Đã hết hạn"),
        "closed": gettext("Đã đóng"),
    }[state]


def _the_set(set_code: str) -> CriteriaSet:
    criteria_set = CriteriaSet.objects.filter(code=set_code).first()
    if criteria_set is None:
        raise Http404(gettext("Không có bộ tiêu chí này."))
    return criteria_set


def _manager_set(request: HttpRequest, set_code: str) -> CriteriaSet:
    if not may_run_process(request.user):
        raise Http404(gettext("Không có trang này trong phạm vi của bạn."))
    return _the_set(set_code)


def _unit_scope(
    request: HttpRequest, set_code: str, unit_code: str
) -> tuple[CriteriaSet, Unit | None]:
    criteria_set = _the_set(set_code)
    unit = unit_for_code(unit_code)
    if not may_view_unit(request.user, unit_code, unit):
        raise Http404(gettext("Không có đơn vị này trong phạm vi của bạn."))
    return criteria_set, unit


def _rounds(criteria_set: CriteriaSet) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        {
            "round": r,
            "label": r.label,
            "state": r.state(today),
            "state_label": _state_label(r.state(today)),
        }
        for r in criteria_set.rounds.order_by("opens_on", "pk")
    ]


def _tree(criteria_set: CriteriaSet, unit_code: str) -> list[dict[str, Any]]:
    """The set's nodes depth first; each leaf with its own score, files and all its rounds."""
    nodes = list(criteria_set.criteria.order_by("order"))
    children: dict[int | None, list[Criterion]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    own_round = criteria_set.rounds.filter(kind=RoundKind.SELF_ASSESSMENT).first()
    own = {
        s.criterion_id: s for s in RoundScore.objects.filter(round=own_round, unit_code=unit_code)
    }
    files: dict[int, list[EvidenceFile]] = {}
    for f in EvidenceFile.objects.filter(
        criterion__criteria_set=criteria_set, unit_code=unit_code
    ).select_related("round"):
        files.setdefault(f.criterion_id, []).append(f)
    rounds = process.history(criteria_set, unit_code)
    out: list[dict[str, Any]] = []

    def walk(parent: int | None) -> None:
        for node in children.get(parent, []):
            leaf = node.pk not in children
            score = own.get(node.pk)
            out.append(
                {
                    "node": node,
                    "leaf": leaf,
                    "max": number(node.max_points),
                    "own": score,
                    "own_points": (
                        number(score.points) if score and score.points is not None else ""
                    ),
                    "files": files.get(node.pk, []),
                    "history": [
                        {
                            "label": r.round.label,
                            "points": (
                                gettext("Không áp dụng")
                                if r.not_applicable
                                else number(r.points)
                                if r.points is not None
                                else "—"
                            ),
                            "comment": r.comment,
                            "who": str(r.actor) if r.actor else "",
                            "at": r.updated_at,
                        }
                        for r in rounds.get(node.pk, [])
                    ],
                }
            )
            walk(node.pk)

    walk(None)
    return out


def _unit_context(
    request: HttpRequest, criteria_set: CriteriaSet, unit_code: str, unit: Unit | None
) -> dict[str, Any]:
    sub = Submission.objects.filter(criteria_set=criteria_set, unit_code=unit_code).first()
    status = sub.status if sub else SubmissionStatus.DRAFT
    self_open = process.current_round(criteria_set, (RoundKind.SELF_ASSESSMENT,))
    decide_open = process.current_round(
        criteria_set, (RoundKind.SELF_ASSESSMENT, RoundKind.APPROVAL)
    )
    explain_open = process.current_round(criteria_set, (RoundKind.EXPLANATION,))
    officer = may_self_assess(request.user, unit)
    return {
        "criteria_set": criteria_set,
        "label": set_label(criteria_set),
        "set_status": SetStatus(criteria_set.status).label,
        "unit_code": unit_code,
        "unit_name": unit.name if unit else unit_code,
        "rounds": _rounds(criteria_set),
        "submission": sub,
        "submission_status": SubmissionStatus(status).label,
        "may_edit": bool(
            officer and self_open and status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
        ),
        "may_decide": bool(
            may_approve_self(request.user, unit)
            and decide_open
            and status == SubmissionStatus.SUBMITTED
        ),
        "may_explain": bool(officer and explain_open),
        "missing": process.missing_items(criteria_set, unit_code) if officer else [],
        "tree": _tree(criteria_set, unit_code),
        "manager": may_run_process(request.user),
    }


def _self_page(
    request: HttpRequest,
    criteria_set: CriteriaSet,
    unit_code: str,
    unit: Unit | None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = _unit_context(request, criteria_set, unit_code, unit)
    context["error"] = error
    return render(request, "par/self_assessment.html", context, status=status)


def _refused(exc: ParError) -> int:
    return 409 if isinstance(exc, process.ProcessError) else 400


@require_http_methods(["GET", "POST"])
@login_required
def self_assessment(request: HttpRequest, set_code: str, unit_code: str) -> HttpResponse:
    """A unit's self-assessment — tự đánh giá, gửi, lãnh đạo phê duyệt, giải trình.

    POST `hanh_dong`: `luu` (a leaf: `ma`, `diem`, `khong_ap_dung`, `giai_trinh`, `tep`),
    `gui` (submit), `duyet` / `tra_lai` (`ly_do`), `giai_trinh` (`ma`, `noi_dung`, `tep`).
    """
    criteria_set, unit = _unit_scope(request, set_code, unit_code)
    if request.method == "GET":
        return _self_page(request, criteria_set, unit_code, unit)
    action = request.POST.get("hanh_dong", "")
    officer = may_self_assess(request.user, unit)
    if action in ("duyet", "tra_lai"):
        allowed = may_approve_self(request.user, unit)
    elif action in ("luu", "gui", "giai_trinh"):
        allowed = officer
    else:
        return _self_page(
            request,
            criteria_set,
            unit_code,
            unit,
            error=gettext("Thao tác không hợp lệ."),
            status=400,
        )
    if not allowed:
        return HttpResponse(gettext("Bạn không có quyền thực hiện thao tác này."), status=403)
    code = request.POST.get("ma", "").strip()
    file = request.FILES.get("tep")
    try:
        if action == "luu":
            process.save_self_score(
                criteria_set=criteria_set,
                unit_code=unit_code,
                criterion_code=code,
                points=request.POST.get("diem", ""),
                not_applicable=bool(request.POST.get("khong_ap_dung")),
                explanation=request.POST.get("giai_trinh", ""),
                actor=request.user,
            )
            if file is not None:
                process.add_evidence(
                    criteria_set=criteria_set,
                    unit_code=unit_code,
                    criterion_code=code,
                    file=file,
                    actor=request.user,
                )
            done = gettext("Đã lưu tiêu chí %(code)s.") % {"code": code}
        elif action == "gui":
            process.submit(criteria_set=criteria_set, unit_code=unit_code, actor=request.user)
            done = gettext("Đã gửi hồ sơ tự đánh giá cho lãnh đạo đơn vị.")
        elif action in ("duyet", "tra_lai"):
            process.decide(
                criteria_set=criteria_set,
                unit_code=unit_code,
                approve=action == "duyet",
                reason=request.POST.get("ly_do", ""),
                actor=request.user,
            )
            done = (
                gettext("Đã phê duyệt hồ sơ tự đánh giá.")
                if action == "duyet"
                else gettext("Đã trả lại hồ sơ tự đánh giá.")
            )
        else:
            process.explain(
                criteria_set=criteria_set,
                unit_code=unit_code,
                criterion_code=code,
                text=request.POST.get("noi_dung", ""),
                actor=request.user,
            )
            if file is not None:
                process.add_evidence(
                    criteria_set=criteria_set,
                    unit_code=unit_code,
                    criterion_code=code,
                    file=file,
                    actor=request.user,
                )
            done = gettext("Đã gửi giải trình tiêu chí %(code)s.") % {"code": code}
    except ParError as exc:
        return _self_page(
            request, criteria_set, unit_code, unit, error=str(exc), status=_refused(exc)
        )
    messages.success(request, done)
    return redirect(reverse("par:self", kwargs={"set_code": set_code, "unit_code": unit_code}))


@require_http_methods(["GET", "POST"])
@login_required
def appraisal(request: HttpRequest, set_code: str, unit_code: str) -> HttpResponse:
    """The appraisal table of one unit — thẩm định: POST `ma`, `diem`, `khong_ap_dung`,
    `nhan_xet` for the open appraisal or final round."""
    criteria_set = _manager_set(request, set_code)
    unit = unit_for_code(unit_code)
    open_round = process.current_round(criteria_set, (RoundKind.APPRAISAL, RoundKind.FINAL))
    error, status = "", 200
    if request.method == "POST":
        code = request.POST.get("ma", "").strip()
        try:
            if open_round is None:
                raise process.ProcessError(
                    gettext("Không có vòng thẩm định nào đang mở; không thể chấm điểm.")
                )
            process.appraise(
                round_=open_round,
                unit_code=unit_code,
                criterion_code=code,
                points=request.POST.get("diem", ""),
                not_applicable=bool(request.POST.get("khong_ap_dung")),
                comment=request.POST.get("nhan_xet", ""),
                actor=request.user,
            )
        except ParError as exc:
            error, status = str(exc), _refused(exc)
        else:
            messages.success(
                request,
                gettext("Đã chấm tiêu chí %(code)s (%(round)s).")
                % {"code": code, "round": open_round.label.lower()},
            )
            return redirect(
                reverse("par:appraise", kwargs={"set_code": set_code, "unit_code": unit_code})
            )
    if not Submission.objects.filter(criteria_set=criteria_set, unit_code=unit_code).exists():
        raise Http404(gettext("Đơn vị chưa có hồ sơ tự đánh giá."))
    context = _unit_context(request, criteria_set, unit_code, unit)
    context.update({"open_round": open_round, "error": error})
    _with_computed(context, criteria_set, unit_code)  # computed leaves and their override (§8)
    return render(request, "par/appraisal.html", context, status=status)


def _with_computed(context: dict[str, Any], criteria_set: CriteriaSet, unit_code: str) -> None:
    """Attach to each computed leaf of the tree its running value, the value frozen in the
    evidence pack (a difference is shown, never silently changed) and the override form."""
    from motcua.par.computed_views import running

    rows = {row["leaf"].pk: row for row in running(criteria_set, unit_code)["rows"]}
    pack = getattr(context.get("submission"), "evidence_pack", None) or {}
    frozen = {
        entry["code"]: entry["computed"]
        for entry in pack.get("leaves", [])
        if isinstance(entry, dict) and entry.get("computed")
    }
    for item in context["tree"]:
        row = rows.get(item["node"].pk)
        if row is None:
            continue
        item["computed"] = row
        was = frozen.get(item["node"].code)
        if was is not None:
            item["frozen"] = {
                "value": number(Decimal(was["value"])) if was.get("value") else "—",
                "points": number(Decimal(was["points"])) if was.get("points") else "—",
            }
            item["changed"] = item["frozen"]["value"] != row["computed_ratio"]


@require_GET
@login_required
def evidence_file(request: HttpRequest, set_code: str, unit_code: str, pk: int) -> FileResponse:
    """An evidence file, for whoever may see the unit (404 otherwise), always as a download."""
    criteria_set, _unit = _unit_scope(request, set_code, unit_code)
    row = EvidenceFile.objects.filter(
        pk=pk, unit_code=unit_code, criterion__criteria_set=criteria_set
    ).first()
    if row is None:
        raise Http404(pk)
    response = FileResponse(
        row.file.open("rb"),
        as_attachment=True,
        filename=row.name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _process_page(
    request: HttpRequest, criteria_set: CriteriaSet, *, error: str = "", status: int = 200
) -> HttpResponse:
    subs = list(criteria_set.submissions.order_by("unit_code"))
    names = _unit_names([s.unit_code for s in subs])
    publication = getattr(criteria_set, "publication", None)
    context = {
        "criteria_set": criteria_set,
        "label": set_label(criteria_set),
        "set_status": SetStatus(criteria_set.status).label,
        "rounds": _rounds(criteria_set),
        "kinds": RoundKind.choices,
        "submissions": [
            (s, names.get(s.unit_code, s.unit_code), SubmissionStatus(s.status).label) for s in subs
        ],
        "publication": publication,
        "published": criteria_set.status == SetStatus.PUBLISHED,
        "today": timezone.localdate().isoformat(),
        "error": error,
        # Copy to next year's set (computed leaves work): a suggested code and year.
        "copy_year": criteria_set.year + 1,
        "copy_code": re.sub(
            str(criteria_set.year) + "$", str(criteria_set.year + 1), criteria_set.code
        ),
    }
    return render(request, "par/process.html", context, status=status)


@require_POST
@login_required
def copy_set(request: HttpRequest, set_code: str) -> HttpResponse:
    """Copy this set into a new draft set (POST `ma_bo`, `nam`) — the Department of Home Affairs."""
    from motcua.par.copy import copy_set as copy_service

    criteria_set = _manager_set(request, set_code)
    try:
        year = int(request.POST.get("nam", "").strip())
    except ValueError:
        return _process_page(
            request, criteria_set, error=gettext("Hãy nhập năm đánh giá."), status=400
        )
    try:
        created = copy_service(
            source=criteria_set,
            code=request.POST.get("ma_bo", ""),
            year=year,
            actor=request.user,
        )
    except ParError as exc:
        return _process_page(request, criteria_set, error=str(exc), status=400)
    messages.success(
        request,
        gettext("Đã tạo bộ tiêu chí %(code)s từ %(source)s.")
        % {"code": created.code, "source": criteria_set.code},
    )
    return redirect(reverse("par:process", kwargs={"set_code": created.code}))


@require_GET
@login_required
def process_page(request: HttpRequest, set_code: str) -> HttpResponse:
    """Set-up of a set's process — các vòng, hạn chót, hồ sơ tự đánh giá, công bố."""
    return _process_page(request, _manager_set(request, set_code))


def _back(set_code: str) -> HttpResponse:
    return redirect(reverse("par:process", kwargs={"set_code": set_code}))


@require_POST
@login_required
def add_round(request: HttpRequest, set_code: str) -> HttpResponse:
    """Add a round (POST `vong`, `ngay_mo`, `han_chot`)."""
    criteria_set = _manager_set(request, set_code)
    opens, deadline = _date(request.POST.get("ngay_mo")), _date(request.POST.get("han_chot"))
    try:
        if opens is None or deadline is None:
            raise ParError(gettext("Hãy nhập ngày mở và hạn chót (ngày/tháng/năm)."))
        row = process.plan_round(
            criteria_set=criteria_set,
            kind=request.POST.get("vong", ""),
            opens_on=opens,
            deadline=deadline,
            actor=request.user,
        )
    except ParError as exc:
        return _process_page(request, criteria_set, error=str(exc), status=_refused(exc))
    messages.success(
        request,
        gettext("Đã lập vòng %(round)s, hạn chót %(day)s.")
        % {"round": row.label.lower(), "day": f"{row.deadline:%d/%m/%Y}"},
    )
    return _back(set_code)


@require_POST
@login_required
def close_round(request: HttpRequest, set_code: str, pk: int) -> HttpResponse:
    """Close a round now."""
    criteria_set = _manager_set(request, set_code)
    row = Round.objects.filter(pk=pk, criteria_set=criteria_set).first()
    if row is None:
        raise Http404(pk)
    try:
        process.close_round(round_=row, actor=request.user)
    except ParError as exc:
        return _process_page(request, criteria_set, error=str(exc), status=_refused(exc))
    messages.success(request, gettext("Đã đóng vòng %(round)s.") % {"round": row.label.lower()})
    return _back(set_code)


@require_POST
@login_required
def publish(request: HttpRequest, set_code: str) -> HttpResponse:
    """Publish the results (POST `so`, `ngay`, `tep`)."""
    criteria_set = _manager_set(request, set_code)
    issued: dt.date | None = _date(request.POST.get("ngay"))
    try:
        if issued is None:
            raise ParError(gettext("Hãy nhập ngày ban hành quyết định (ngày/tháng/năm)."))
        row = process.publish(
            criteria_set=criteria_set,
            number=request.POST.get("so", ""),
            issued_on=issued,
            file=request.FILES.get("tep"),
            actor=request.user,
        )
    except ParError as exc:
        return _process_page(request, criteria_set, error=str(exc), status=_refused(exc))
    messages.success(
        request, gettext("Đã công bố kết quả theo quyết định %(n)s.") % {"n": row.number}
    )
    return _back(set_code)


def process_links(user: Any, criteria_set: CriteriaSet) -> dict[str, Any]:
    """For the ranking page: whether `user` runs the process, and the units whose
    self-assessment `user` fills or approves [(code, name)]."""
    from motcua.people.models import Membership

    units: dict[str, str] = {}
    pk = getattr(user, "pk", None)
    rows = Membership.objects.filter(user__pk=pk) if pk is not None else Membership.objects.none()
    for m in rows.select_related("unit"):
        if may_self_assess(user, m.unit) or may_approve_self(user, m.unit):
            units.setdefault(m.unit.code, m.unit.name)
    return {"may_process": may_run_process(user), "own_units": sorted(units.items())}
