"""Biểu 06 from the statistics page: the same unit, period and view, as XLSX, DOCX or PDF.

The file comes from the registered exporter `report.bieu06` (the one behind `motcua report
dossiers`), looked up by name so that statistics never import the reports app. Only users
with the export right on the unit (`Action.EXPORT`) get it; others get 403, and a unit
outside the scope answers like an unknown one (404).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from motcua.documents.exporters import ExportError, export
from motcua.documents.render import DocumentError
from motcua.documents.signing import verify_pdf
from motcua.people.policy import Action, can
from motcua.stats.views import base_params, statistics_for_user, unit_options, validated_request

EXPORTER = "report.bieu06"
FORMATS = ("xlsx", "docx", "pdf")


@login_required
@require_GET
def bieu06(request: HttpRequest, fmt: str) -> HttpResponse:
    """Download Biểu 06 (or II.06a by receiving desk) of the page's unit and period."""
    if fmt not in FORMATS:
        raise Http404
    user = request.user
    _choice, req, errors = validated_request(request.GET, unit_options(user))
    if req is None:
        return HttpResponse(" ".join(errors), status=400, content_type="text/plain; charset=utf-8")
    stats = statistics_for_user(user, req, by=None)
    if stats is None:
        raise Http404
    if not can(user, Action.EXPORT, stats.unit):
        raise PermissionDenied(gettext("Bạn không có quyền xuất báo cáo của đơn vị này."))
    params = {
        **base_params(req),
        "period": req.period,
        "rows": "unit" if req.by == "unit" else "field",
        "view": req.view,
    }
    try:
        file = export(EXPORTER, params, fmt)
    except (ExportError, DocumentError) as exc:
        return HttpResponse(
            exc.message,
            status=503 if fmt == "pdf" else 400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    if fmt == "pdf":  # the signature of the served bytes, checked (issue 16, signing)
        response["X-Motcua-Signature"] = verify_pdf(file.data).state
    return response
