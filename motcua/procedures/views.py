"""Officer catalogue pages — danh mục thủ tục hành chính: list with filters, one procedure."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.lib.scoping import can
from motcua.procedures.choices import ProcedureLevel
from motcua.procedures.filtersets import ProcedureFilterSet
from motcua.procedures.models import Procedure, ProcessStep
from motcua.procedures.search import rank_lazily
from motcua.units.models import Unit

PAGE_SIZE = 50
LEVELS = set(ProcedureLevel.values)


@login_required
def procedure_list(request: HttpRequest) -> HttpResponse:
    """The catalogue: search by code or name (diacritics optional) and filter."""
    base = Procedure.objects.visible_to(request.user).select_related("field").order_by("code")
    filterset = ProcedureFilterSet(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound else base
    text = request.GET.get("q", "")
    if filterset.is_bound and filterset.is_valid() and text.strip():
        # Best match first (motcua.procedures.search), the province's before reference ones.
        queryset = rank_lazily(queryset, text)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "procedures/procedure_list.html",
        {
            "filterset": filterset,
            "page": page,
            "query": query.urlencode(),
            "may_configure": can(request.user, "configure"),
        },
    )


@login_required
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One procedure: components, time limit, fee, online level, internal process, versions."""
    procedure = (
        Procedure.objects.visible_to(request.user)
        .select_related("field")
        .prefetch_related(
            "components",
            Prefetch("steps", queryset=ProcessStep.objects.select_related("unit")),
            Prefetch("competent_units", queryset=Unit.objects.order_by("valid_from", "code")),
        )
        .filter(code=code)
        .first()
    )
    if procedure is None:
        raise Http404
    steps = list(procedure.steps.all())
    return render(
        request,
        "procedures/procedure_detail.html",
        {
            "procedure": procedure,
            "components": procedure.components.all(),
            "steps": steps,
            "steps_total": sum(s.budget_minutes for s in steps),
            "units": procedure.competent_units.all(),
            "versions": procedure.versions.order_by("-number"),
            "levels": [ProcedureLevel(v).label for v in procedure.levels or [] if v in LEVELS],
            "may_configure": can(request.user, "configure"),
        },
    )
