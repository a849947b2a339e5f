"""Computed leaves on the pages (par-index.md §8): the running value during the year, the points
it would score today, the points at risk, the records behind it, and the appraiser's override.

- `running(criteria_set, unit_code)`: the rows the unit page and the appraisal page show;
- `/chi-so-cchc/<set>/<unit>/tu-tinh/<code>/` (`par:computed_records`): the records behind one
  computed leaf, for whoever may see the unit (404 outside the scope);
- POST `/chi-so-cchc/<set>/<unit>/tu-tinh/<code>/dieu-chinh/` (`par:override`): the appraiser
  replaces the value with a reason (`motcua.par.computed.override_computed`).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from motcua.par.computed import ComputedValue, computed_values, override_computed
from motcua.par.models import CriteriaSet
from motcua.par.permissions import may_run_process, may_view_unit, unit_for_code
from motcua.par.process import ProcessError, leaves
from motcua.par.services import ParError
from motcua.par.views import number, set_label

STATUS_LABELS = {
    "done_on_time": gettext_lazy("Hoàn thành đúng hạn"),
    "done_late": gettext_lazy("Hoàn thành quá hạn"),
    "overdue": gettext_lazy("Quá hạn chưa hoàn thành"),
}


def _row(leaf: Any, v: ComputedValue) -> dict[str, Any]:
    return {
        "leaf": leaf,
        "value": v,
        "source": v.source_name,
        "ratio": number(v.value),
        "points": number(v.points),
        "max": number(v.max_points),
        "at_risk": number(v.at_risk),
        "computed_ratio": number(v.computed_value),
        "computed_points": number(v.computed_points),
    }


def running(criteria_set: CriteriaSet, unit_code: str) -> dict[str, Any]:
    """The computed leaves of a unit today: rows, the window and the points at risk in all."""
    today = timezone.localdate()
    values = computed_values(criteria_set, unit_code, today)
    rows = [_row(leaf, values[leaf.pk]) for leaf in leaves(criteria_set) if leaf.pk in values]
    window = next((v.window for v in values.values()), None)
    return {
        "rows": rows,
        "window": window,
        "at_risk": number(sum((v.at_risk for v in values.values()), Decimal(0))),
    }


DETAIL_URLS = {
    "dossier": "dossiers:detail",
    "feedback": "feedback:detail",
    "procedure": "procedures:detail",
    "task": "assignments:detail",
}


def _href(record: dict[str, Any]) -> str:
    """The record's own page (its code), or "" when it has none."""
    name = DETAIL_URLS.get(record.get("kind", ""))
    code = record.get("code", "")
    if not name or not code or code.startswith("#"):
        return ""
    return reverse(name, kwargs={"code": code})


def _vn_day(iso: str) -> str:
    """2026-04-02 → 02/04/2026 (empty stays empty)."""
    if not iso:
        return ""
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def _scope(request: HttpRequest, set_code: str, unit_code: str) -> CriteriaSet:
    criteria_set = CriteriaSet.objects.filter(code=set_code).first()
    if criteria_set is None:
        raise Http404(gettext("Không có bộ tiêu chí này."))
    if not may_view_unit(request.user, unit_code, unit_for_code(unit_code)):
        raise Http404(gettext("Không có đơn vị này trong phạm vi của bạn."))
    return criteria_set


@require_GET
@login_required
def records_page(
    request: HttpRequest, set_code: str, unit_code: str, criterion_code: str
) -> HttpResponse:
    """The records behind one computed leaf — danh sách hồ sơ, phản ánh, nhiệm vụ."""
    criteria_set = _scope(request, set_code, unit_code)
    leaf = criteria_set.criteria.filter(code=criterion_code, children__isnull=True).first()
    values = computed_values(criteria_set, unit_code, timezone.localdate())
    if leaf is None or leaf.pk not in values:
        raise Http404(gettext("Tiêu chí này không do motcua tự tính."))
    v = values[leaf.pk]
    unit = unit_for_code(unit_code)
    records = [
        {
            **r,
            **{k: _vn_day(r[k]) for k in ("received", "due", "finished", "apology") if k in r},
            "status_label": STATUS_LABELS.get(r.get("status", ""), ""),
            "href": _href(r),
        }
        # what costs points first, then the records' own order
        for r in sorted(v.records, key=lambda r: bool(r.get("counted")))
    ]
    return render(
        request,
        "par/computed_records.html",
        {
            "criteria_set": criteria_set,
            "label": set_label(criteria_set),
            "unit_code": unit_code,
            "unit_name": unit.name if unit else unit_code,
            "row": _row(leaf, v),
            "records": records,
            "kind": records[0]["kind"] if records else "",
        },
    )


def _refused(
    request: HttpRequest, criteria_set: CriteriaSet, unit_code: str, error: str, status: int
) -> HttpResponse:
    """The appraisal page again with the message; nothing was written."""
    from motcua.par import process
    from motcua.par.choices import RoundKind
    from motcua.par.process_views import _unit_context, _with_computed

    context = _unit_context(request, criteria_set, unit_code, unit_for_code(unit_code))
    context.update(
        {
            "open_round": process.current_round(
                criteria_set, (RoundKind.APPRAISAL, RoundKind.FINAL)
            ),
            "error": error,
        }
    )
    _with_computed(context, criteria_set, unit_code)
    return render(request, "par/appraisal.html", context, status=status)


@require_POST
@login_required
def override(
    request: HttpRequest, set_code: str, unit_code: str, criterion_code: str
) -> HttpResponse:
    """The appraiser's override of a computed value (POST `gia_tri` in %, `ly_do`)."""
    if not may_run_process(request.user):
        raise Http404(gettext("Không có trang này trong phạm vi của bạn."))
    criteria_set = _scope(request, set_code, unit_code)
    raw = request.POST.get("gia_tri", "").strip().replace(",", ".")
    try:
        value = Decimal(raw)
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        return _refused(
            request,
            criteria_set,
            unit_code,
            gettext("Giá trị điều chỉnh phải là tỷ lệ từ 0 đến 100%."),
            400,
        )
    try:
        override_computed(
            criteria_set=criteria_set,
            unit_code=unit_code,
            criterion_code=criterion_code,
            value=value,
            reason=request.POST.get("ly_do", ""),
            actor=request.user,
        )
    except ParError as exc:
        status = 409 if isinstance(exc, ProcessError) else 400
        return _refused(request, criteria_set, unit_code, str(exc), status)
    messages.success(
        request,
        gettext("Đã điều chỉnh giá trị tự tính của tiêu chí %(code)s.") % {"code": criterion_code},
    )
    return redirect(reverse("par:appraise", kwargs={"set_code": set_code, "unit_code": unit_code}))
