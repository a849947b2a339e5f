"""The mapping page — ghép đơn vị trên Cổng DVC quốc gia: for users who configure.

The list shows every portal unit of the published figures, unmapped ones first, with the
motcua unit it is; each row opens a form to choose (or clear) the unit. Only units the user
may configure are offered, and a row mapped to a unit outside that scope is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from motcua.index766.access import configure_unit_ids
from motcua.index766.choices import MappingMethod
from motcua.index766.mapping import MappingError, set_unit_mapping
from motcua.index766.models import PortalUnitMapping
from motcua.lib.idempotency import once_per_form_token
from motcua.units.models import Unit


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "index766/forbidden.html",
        {"message": gettext("Trang này dành cho người có quyền cấu hình đơn vị, danh mục.")},
        status=403,
    )


def _units(scope: frozenset[int] | None) -> list[Unit]:
    rows = Unit.objects.valid_on(timezone.localdate()).order_by("name", "code")
    if scope is not None:
        rows = rows.filter(pk__in=scope)
    return list(rows.only("pk", "code", "name"))


@login_required
def mapping_list(request: HttpRequest) -> HttpResponse:
    """Every portal unit and its motcua unit, unmapped first."""
    scope = configure_unit_ids(request.user)
    if scope is not None and not scope:
        return _forbidden(request)
    rows = (
        PortalUnitMapping.objects.select_related("unit")
        .annotate(
            _unmapped=Case(
                When(unit__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("_unmapped", "portal_parent_code", "portal_unit_name")
    )
    items = list(rows)
    for item in items:
        item.editable = scope is None or item.unit_id is None or item.unit_id in scope  # type: ignore[attr-defined]
    return render(
        request,
        "index766/mapping_list.html",
        {
            "items": items,
            "unmapped": sum(1 for i in items if i.unit_id is None),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@once_per_form_token
def mapping_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the motcua unit of one portal unit, or clear it."""
    scope = configure_unit_ids(request.user)
    if scope is not None and not scope:
        return _forbidden(request)
    mapping = PortalUnitMapping.objects.select_related("unit").filter(pk=pk).first()
    if mapping is None or (
        scope is not None and mapping.unit_id is not None and mapping.unit_id not in scope
    ):
        raise Http404(gettext("Không tìm thấy đơn vị trên Cổng"))
    units = _units(scope)
    error = ""
    if request.method == "POST":
        raw = (request.POST.get("unit") or "").strip()
        unit = None
        if raw:
            unit = next((u for u in units if str(u.pk) == raw), None)
            if unit is None:
                error = gettext("Hãy chọn một đơn vị trong danh sách.")
        if not error:
            try:
                changed = set_unit_mapping(mapping=mapping, unit=unit, actor=request.user)
            except MappingError as exc:
                error = exc.message
            else:
                if changed:
                    messages.success(
                        request,
                        gettext("Đã ghép «%(portal)s» với «%(unit)s».")
                        % {"portal": mapping.portal_unit_name, "unit": unit.name}
                        if unit is not None
                        else gettext("Đã bỏ ghép «%(portal)s».")
                        % {"portal": mapping.portal_unit_name},
                    )
                return redirect("index766:mapping")
    context: dict[str, Any] = {
        "mapping": mapping,
        "units": units,
        "error": error,
        "manual": mapping.method == MappingMethod.MANUAL,
    }
    return render(request, "index766/mapping_edit.html", context, status=400 if error else 200)
