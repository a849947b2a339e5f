"""Assignment buttons of the dossier page: assign or reassign to an officer, take a dossier.

The views read the dossier through the user's scope (404 outside it) and call the services of
`assignment.py`; a refusal comes back on the dossier page with its Vietnamese message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from motcua.dossiers.assignment import assign_dossier, find_assignee, take_dossier
from motcua.dossiers.selectors import get_dossier_for_user
from motcua.dossiers.services import DossierError
from motcua.dossiers.views import RELOAD, _render_detail


def _version_seen(request: HttpRequest) -> int | None:
    value = request.POST.get("lock_version", "")
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def assign(request: HttpRequest, code: str) -> HttpResponse:
    """Assign (or reassign) the dossier to the officer picked by name — giao xử lý."""
    dossier = get_dossier_for_user(request.user, code, full=True)
    seen = _version_seen(request)
    if seen is not None:
        dossier.lock_version = seen
    officer = find_assignee(dossier, request.POST.get("assignee"))
    try:
        if officer is None:
            raise DossierError(gettext("Hãy chọn công chức được giao trong danh sách."))
        updated = assign_dossier(
            dossier=dossier,
            assignee=officer,
            actor=request.user,
            note=request.POST.get("note", ""),
        )
    except DossierError as exc:
        fresh = get_dossier_for_user(request.user, code, full=True)
        message = exc.message + (f" {RELOAD}" if exc.status == 409 else "")
        return _render_detail(request, fresh, error=message, status=exc.status)
    messages.success(request, gettext("Đã giao hồ sơ cho %(name)s.") % {"name": updated.assignee})
    return redirect("dossiers:detail", code=updated.code)


@login_required
@require_POST
def take(request: HttpRequest, code: str) -> HttpResponse:
    """The signed-in officer takes the unassigned dossier — nhận xử lý."""
    dossier = get_dossier_for_user(request.user, code, full=True)
    seen = _version_seen(request)
    if seen is not None:
        dossier.lock_version = seen
    try:
        updated = take_dossier(dossier=dossier, actor=request.user)
    except DossierError as exc:
        fresh = get_dossier_for_user(request.user, code, full=True)
        message = exc.message + (f" {RELOAD}" if exc.status == 409 else "")
        return _render_detail(request, fresh, error=message, status=exc.status)
    messages.success(request, gettext("Bạn đã nhận xử lý hồ sơ %(code)s.") % {"code": updated.code})
    return redirect("dossiers:detail", code=updated.code)
