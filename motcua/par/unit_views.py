"""One unit in one set — /chi-so-cchc/<set>/<unit>/: its result, the leaves where it lost points
(cheapest first), a what-if, one POST from a lost leaf to a task, and the history of the PAR
Index beside the other indices (issue 14 items 6 and 7).

Scope: staff with a province-wide role see every unit; anyone else the units their `view`
right reaches (a unit officer their own); outside the scope is a 404 like a missing unit.
The what-if is a GET form (checkboxes `ma`, no JavaScript) and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from motcua.par import plan
from motcua.par.choices import Effort, SetStatus
from motcua.par.computed_views import running
from motcua.par.history import unit_history
from motcua.par.lost import UnknownUnit, lost_leaves, what_if
from motcua.par.models import CriteriaSet, LeafEffort, LostPointTask
from motcua.par.permissions import may_create_task, may_set_effort, may_view_unit, unit_for_code
from motcua.par.selectors import compute_results, load_inputs
from motcua.par.services import ParError
from motcua.par.views import number, set_label
from motcua.units.models import Unit


def _scope(request: HttpRequest, set_code: str, unit_code: str) -> tuple[CriteriaSet, Unit | None]:
    """The set and the tree's unit (None when the code is not in the tree); 404 outside scope."""
    criteria_set = CriteriaSet.objects.filter(code=set_code).first()
    if criteria_set is None:
        raise Http404(gettext("Không có bộ tiêu chí này."))
    unit = unit_for_code(unit_code)
    if not may_view_unit(request.user, unit_code, unit):
        raise Http404(gettext("Không có đơn vị này trong phạm vi của bạn."))
    return criteria_set, unit


def _date(raw: str | None) -> dt.date | None:
    """A date typed as 30/06/2023 or sent by a date input as 2023-06-30."""
    raw = (raw or "").strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})/(\d{4})", raw)
    if match is None:
        return None
    y, m, d = match.group(1, 2, 3) if match.group(1) else match.group(6, 5, 4)
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def _page(
    request: HttpRequest,
    criteria_set: CriteriaSet,
    unit_code: str,
    unit: Unit | None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    inputs = load_inputs(criteria_set)
    results = compute_results(inputs)
    mine = next((r for r in results if r.unit == unit_code), None)
    computed = running(criteria_set, unit_code)
    if mine is None and not computed["rows"]:
        raise Http404(gettext("Đơn vị chưa có điểm trong bộ tiêu chí này."))
    efforts = {
        e.criterion_id: e.effort
        for e in LeafEffort.objects.filter(criteria_set=criteria_set, unit_code=unit_code)
    }
    links = {
        link.criterion_id: link.task
        for link in LostPointTask.objects.filter(
            criteria_set=criteria_set, unit_code=unit_code
        ).select_related("task")
    }
    try:
        lost = lost_leaves(inputs, unit_code, efforts) if mine else []
    except UnknownUnit:
        raise Http404 from None
    chosen = [c for c in request.GET.getlist("ma") if c]
    scenario = what_if(inputs, unit_code, chosen) if chosen and mine else None
    last_plan = (
        LostPointTask.objects.filter(criteria_set=criteria_set, unit_code=unit_code)
        .select_related("task__document")
        .order_by("-created_at")
        .first()
    )
    plan_doc = last_plan.task.document if last_plan else None
    context: dict[str, Any] = {
        "criteria_set": criteria_set,
        "label": set_label(criteria_set),
        "status": SetStatus(criteria_set.status).label,
        "unit_code": unit_code,
        "unit_name": unit.name if unit else unit_code,
        "r": mine,
        "out_of": len(results),
        "cells": (
            {
                "total": number(mine.total),
                "index": number(mine.index),
                "evidence": number(mine.evidence),
                "survey": number(mine.survey),
                "max": number(mine.applicable_max),
            }
            if mine
            else {}
        ),
        "computed": computed,
        "lost": [
            {
                "leaf": leaf,
                "points": number(leaf.points),
                "max": number(leaf.max_points),
                "lost": number(leaf.lost),
                "effort_label": Effort(leaf.effort).label,
                "checked": leaf.code in chosen,
                "task": links.get(leaf.pk),
            }
            for leaf in lost
        ],
        "lost_total": number(sum((leaf.lost for leaf in lost), Decimal(0))),
        "efforts": Effort.choices,
        "scenario": scenario,
        "scenario_cells": (
            {
                "codes": ", ".join(scenario.codes),
                "gained": number(scenario.gained),
                "total": number(scenario.after.total),
                "index": number(scenario.after.index),
                "group": scenario.after.group,
            }
            if scenario
            else None
        ),
        "may_effort": may_set_effort(request.user, unit),
        "may_task": may_create_task(request.user, unit),
        "plan_number": plan_doc.number if plan_doc else "",
        "plan_date": plan_doc.issued_on.isoformat() if plan_doc else "",
        "today": timezone.localdate().isoformat(),
        "history": unit_history(unit_code),
        "error": error,
    }
    return render(request, "par/unit.html", context, status=status)


@require_GET
@login_required
def unit_page(request: HttpRequest, set_code: str, unit_code: str) -> HttpResponse:
    """A unit's lost points, what-if and index history — điểm bị mất, nếu đạt tối đa."""
    criteria_set, unit = _scope(request, set_code, unit_code)
    return _page(request, criteria_set, unit_code, unit)


def _back(set_code: str, unit_code: str) -> str:
    return reverse("par:unit", kwargs={"set_code": set_code, "unit_code": unit_code})


@require_POST
@login_required
def set_effort(request: HttpRequest, set_code: str, unit_code: str) -> HttpResponse:
    """Set the effort class of one lost leaf (POST `ma`, `cong_suc`)."""
    criteria_set, unit = _scope(request, set_code, unit_code)
    if not may_set_effort(request.user, unit):
        return HttpResponse(gettext("Bạn không có quyền đặt mức công sức."), status=403)
    try:
        plan.set_leaf_effort(
            criteria_set=criteria_set,
            unit_code=unit_code,
            criterion_code=request.POST.get("ma", "").strip(),
            effort=request.POST.get("cong_suc", "").strip(),
            actor=request.user,
        )
    except ParError as exc:
        return _page(request, criteria_set, unit_code, unit, error=str(exc), status=400)
    messages.success(request, gettext("Đã lưu mức công sức."))
    return redirect(_back(set_code, unit_code))


@require_POST
@login_required
def create_task(request: HttpRequest, set_code: str, unit_code: str) -> HttpResponse:
    """Turn one lost leaf into a task led by the unit (POST `ma`, `han`, `so_ke_hoach`,
    `ngay_ke_hoach`)."""
    criteria_set, unit = _scope(request, set_code, unit_code)
    if unit is None or not may_create_task(request.user, unit):
        return HttpResponse(gettext("Bạn không có quyền giao nhiệm vụ."), status=403)
    due = _date(request.POST.get("han"))
    plan_date = _date(request.POST.get("ngay_ke_hoach"))
    if due is None or plan_date is None:
        return _page(
            request,
            criteria_set,
            unit_code,
            unit,
            error=gettext("Hãy nhập hạn hoàn thành và ngày ban hành kế hoạch (ngày/tháng/năm)."),
            status=400,
        )
    try:
        link = plan.create_lost_point_task(
            criteria_set=criteria_set,
            unit=unit,
            unit_code=unit_code,
            criterion_code=request.POST.get("ma", "").strip(),
            due_on=due,
            plan_number=request.POST.get("so_ke_hoach", ""),
            plan_date=plan_date,
            actor=request.user,
        )
    except ParError as exc:
        return _page(request, criteria_set, unit_code, unit, error=str(exc), status=400)
    messages.success(
        request,
        gettext("Đã giao nhiệm vụ khắc phục tiêu chí %(code)s, hạn %(due)s.")
        % {"code": link.criterion.code, "due": f"{due:%d/%m/%Y}"},
    )
    return redirect(_back(set_code, unit_code))
