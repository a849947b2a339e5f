"""Papers from the page: a dossier's papers as PDF (opened in a tab) or DOCX, and the desk's
register (sổ theo dõi hồ sơ) for a day or a period.

The dossier is fetched through the user's scope (404 outside it, like a missing one); a paper
the dossier's state does not allow is a 404 too. Rendering is read-only: no service is called.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from motcua.documents.exporters import ExportFile
from motcua.documents.render import DocumentError
from motcua.dossiers.documents import (
    REGISTER_FORMATS,
    DocumentNotApplicable,
    register_rows,
    render_dossier_document,
    render_register,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.papers import BY_KEY, BY_SLUG, available_keys, may_print
from motcua.dossiers.selectors import get_dossier_for_user
from motcua.units.models import Unit

# A register longer than this is a statistics question, not a register print.
REGISTER_MAX_DAYS = 366


def paper_file_response(file: ExportFile, *, inline: bool) -> HttpResponse:
    """The rendered paper: PDF inline (opens in the browser's viewer), DOCX as a download."""
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=not inline, filename=file.filename) or ""
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def render_paper(user: Any, dossier: Dossier, key: str, fmt: str) -> ExportFile:
    """A paper of a dossier in scope; Http404 if its state does not allow it, 403 without
    the right to the applicant's personal data."""
    if not may_print(user, dossier):
        raise PermissionDenied(gettext("Bạn không có quyền in giấy tờ của hồ sơ này."))
    if key not in available_keys(dossier):
        raise Http404("hồ sơ không có giấy tờ này")
    try:
        file = render_dossier_document(dossier, key, fmt)
    except DocumentNotApplicable as exc:
        raise Http404(exc.message) from exc
    code = dossier.code or str(dossier.pk)
    return ExportFile(f"{code}_{BY_KEY[key].slug}.{fmt}", file.content_type, file.data)


def _unavailable(request: HttpRequest, exc: DocumentError) -> HttpResponse:
    return render(
        request,
        "dossiers/paper_unavailable.html",
        {"message": exc.message},
        status=503,
    )


@login_required
@require_GET
def paper(request: HttpRequest, code: str, slug: str, fmt: str) -> HttpResponse:
    """One paper of the dossier: `.pdf` opens in the browser, `.docx` downloads."""
    dossier = get_dossier_for_user(request.user, code, full=True)
    kind = BY_SLUG.get(slug)
    if kind is None:
        raise Http404("không có loại giấy tờ này")
    try:
        file = render_paper(request.user, dossier, kind.key, fmt)
    except DocumentError as exc:  # LibreOffice missing or failed: say so, in words
        return _unavailable(request, exc)
    return paper_file_response(file, inline=fmt == "pdf")


# -- the register ---------------------------------------------------------------------------


def parse_day(value: str) -> dt.date | None:
    """'07/12/2026' (or '7/12/2026', or ISO '2026-12-07') as a date; None if unreadable."""
    text = (value or "").strip()
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def register_units(user: Any) -> list[Unit]:
    """Units whose register the user may print: those in scope, units in force first (a
    dissolved unit's register of its past days still prints)."""
    today = timezone.localdate()
    units = list(Unit.objects.visible_to(user).order_by("name", "code"))
    return sorted(units, key=lambda u: u.valid_to is not None and u.valid_to < today)


def _register_params(
    request: HttpRequest, units: list[Unit]
) -> tuple[dict[str, str], list[str], tuple[Unit, dt.date, dt.date] | None]:
    today = timezone.localdate()
    values = {
        "tu": request.GET.get("tu", f"{today:%d/%m/%Y}"),
        "den": request.GET.get("den", f"{today:%d/%m/%Y}"),
        "don_vi": request.GET.get("don-vi", str(units[0].pk) if len(units) == 1 else ""),
    }
    if not request.GET:
        return values, [], None
    errors = []
    start, end = parse_day(values["tu"]), parse_day(values["den"])
    if start is None:
        errors.append(gettext("“Từ ngày” phải là ngày dạng 07/12/2026."))
    if end is None:
        errors.append(gettext("“Đến ngày” phải là ngày dạng 07/12/2026."))
    if start and end and end < start:
        errors.append(gettext("“Đến ngày” phải sau hoặc bằng “Từ ngày”."))
    if start and end and (end - start).days >= REGISTER_MAX_DAYS:
        errors.append(gettext("Chỉ in sổ cho tối đa 366 ngày một lần."))
    unit = next((u for u in units if str(u.pk) == values["don_vi"]), None)
    if unit is None:
        errors.append(gettext("Hãy chọn đơn vị tiếp nhận."))
    if errors or unit is None or start is None or end is None:
        return values, errors, None
    return values, [], (unit, start, end)


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """Sổ theo dõi hồ sơ of a receiving unit in scope, for a day or a period, on screen and
    as XLSX, DOCX or PDF."""
    units = register_units(request.user)
    values, errors, chosen = _register_params(request, units)
    fmt = request.GET.get("dinh-dang", "")
    if chosen is not None and fmt:
        if fmt not in REGISTER_FORMATS:
            raise Http404("định dạng không hỗ trợ")
        unit, start, end = chosen
        try:
            file = render_register(unit, start, end, fmt)
        except DocumentError as exc:
            return _unavailable(request, exc)
        return paper_file_response(file, inline=fmt == "pdf")
    rows = register_rows(*chosen) if chosen is not None else []
    context = {
        "units": units,
        "values": values,
        "errors": errors,
        "chosen": chosen,
        "rows": rows,
        "formats": [("xlsx", "Excel"), ("docx", "Word"), ("pdf", "PDF")],
        "today": timezone.localdate(),
    }
    return render(request, "dossiers/register.html", context, status=400 if errors else 200)
