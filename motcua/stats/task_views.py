"""The task statistics page (thống kê nhiệm vụ được giao) and the tasks behind each figure.

Reads the unit and period like the dossier page (`motcua.stats.views`), computes the figures
with `task_statistics` (the numbers of `motcua stats tasks --format json`) and links every
figure to `task_figure_list`, whose length is the figure. The counting view is the query
parameter `pham_vi` (`active`, default, or `assigned`). A unit outside the scope gets the same
answer as an unknown one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from motcua.assignments.choices import DeadlineKind, TaskStatus
from motcua.assignments.counting import ACTIVE_VIEW, CLASSES, VIEWS
from motcua.assignments.models import Task
from motcua.lib.scoping import visible_unit_ids
from motcua.stats.selectors import StatsError
from motcua.stats.taskstats import TaskStatistics, task_statistics, tasks_of_class
from motcua.stats.views import (
    KINDS,
    base_params,
    not_visible_message,
    period_label,
    unit_options,
    validated_request,
)
from motcua.units.models import Unit

FIGURE_LABELS = {
    "in_scope": _("Tổng số nhiệm vụ trong kỳ"),
    "done_on_time": _("Hoàn thành đúng hạn"),
    "done_late": _("Hoàn thành quá hạn"),
    "reported_done": _("Đã báo cáo hoàn thành, chờ xác nhận"),
    "in_progress_not_due": _("Đang thực hiện, chưa đến hạn"),
    "overdue": _("Quá hạn, chưa hoàn thành"),
    "no_deadline": _("Không có thời hạn (thường xuyên, khẩn trương, không nêu)"),
    "cancelled": _("Hủy, không thực hiện"),
}
VIEW_LABELS = {
    "active": _("Nhiệm vụ đang thực hiện trong kỳ (giao đến cuối kỳ, chưa xong hoặc hủy trước kỳ)"),
    "assigned": _("Chỉ nhiệm vụ được giao trong kỳ"),
}
PAGE_SIZE = 50


def _rate(value: float, denominator: int) -> str:
    return f"{formats.number_format(value, 2)}%" if denominator else "—"


ISSUER_CHOICES = (("", _("Mọi cơ quan giao")), ("CP,TTg", _("Chính phủ, Thủ tướng Chính phủ")))


def _issuers(request: HttpRequest) -> tuple[str, tuple[str, ...]]:
    raw = (request.GET.get("co_quan_giao") or "").strip()
    return raw, tuple(i.strip() for i in raw.split(",") if i.strip())


def _view(request: HttpRequest) -> str:
    value = (request.GET.get("pham_vi") or "").strip()
    return value if value in VIEWS else ACTIVE_VIEW


def _statistics(
    user: Any, request: HttpRequest
) -> tuple[dict[str, Any], TaskStatistics | None, int]:
    options = unit_options(user)
    choice, req, errors = validated_request(request.GET, options)
    context: dict[str, Any] = {
        "unit_options": options,
        "choice": choice,
        "kinds": KINDS,
        "errors": errors,
        "form_action": reverse("stats:tasks"),
        "view": _view(request),
        "view_labels": list(VIEW_LABELS.items()),
        "issuer": _issuers(request)[0],
        "issuer_choices": ISSUER_CHOICES,
    }
    if req is None:
        return context, None, 400 if request.GET else 200
    visible = visible_unit_ids(user)
    if visible is not None and not Unit.objects.filter(code=req.unit, pk__in=visible).exists():
        context["errors"] = [not_visible_message(req.unit)]
        return context, None, 404
    try:
        stats = task_statistics(
            code=req.unit, period=req.period, view=context["view"], issuers=_issuers(request)[1]
        )
    except StatsError:
        context["errors"] = [not_visible_message(req.unit)]
        return context, None, 404
    params = {**base_params(req), "pham_vi": context["view"]}
    if context["issuer"]:
        params["co_quan_giao"] = context["issuer"]
    context["params"] = params
    context["period_label"] = period_label(req.period)
    return context, stats, 200


@login_required
@require_GET
def task_statistics_page(request: HttpRequest) -> HttpResponse:
    """Task figures of a unit for a period, each a link to its tasks."""
    context, stats, status = _statistics(request.user, request)
    if stats is not None:
        data = stats.total.as_json()
        list_url = reverse("stats:tasks-list")
        context["stats"] = stats
        context["figures"] = [
            {
                "label": FIGURE_LABELS[key],
                "value": data[key],
                "href": f"{list_url}?{urlencode({**context['params'], 'figure': key})}",
                "total": key == "in_scope",
            }
            for key in ("in_scope", *CLASSES)
        ]
        # "—" on a zero denominator, as the dossier page prints it (the JSON says 0)
        context["completion_rate"] = _rate(data["completion_rate"], stats.total.due_total)
        done = data["done_on_time"] + data["done_late"]
        context["on_time_rate"] = _rate(data["on_time_rate"], done)
    return render(request, "stats/task_statistics.html", context, status=status)


@login_required
@require_GET
def task_figure_list(request: HttpRequest) -> HttpResponse:
    """The tasks behind one figure, paginated; their number is the figure."""
    figure = request.GET.get("figure", "")
    context, stats, status = _statistics(request.user, request)
    if figure not in FIGURE_LABELS:
        context["errors"] = [gettext("Không có số liệu «%(f)s» để xem danh sách.") % {"f": figure}]
        return render(request, "stats/task_list.html", context, status=400)
    if stats is None:
        return render(request, "stats/task_list.html", context, status=status)
    ids = tasks_of_class(
        code=stats.unit.code,
        period=stats.period,
        cls=figure,
        view=context["view"],
        issuers=_issuers(request)[1],
    )
    qs = (
        Task.objects.filter(pk__in=ids)
        .select_related("document", "document__issuer_unit", "lead_unit")
        .order_by("due_on", "code")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    today = timezone.localdate()
    context.update(
        {
            "stats": stats,
            "figure_label": FIGURE_LABELS[figure],
            "count": len(ids),
            "page": page,
            "rows": [
                {
                    "task": t,
                    "overdue": t.is_overdue(today),
                    "status_label": TaskStatus(t.status).label,
                    "kind_label": DeadlineKind(t.deadline_kind).label,
                }
                for t in page.object_list
            ],
            "back": f"{reverse('stats:tasks')}?{urlencode(context['params'])}",
            "query": urlencode({**context["params"], "figure": figure}),
        }
    )
    return render(request, "stats/task_list.html", context)
