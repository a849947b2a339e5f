"""Dossier page buttons for the time limit as written: record the start event, invoke the ceiling.

The views read the dossier through the user's scope (404 outside it), parse the form and call
the services of `time_limits.py`; a refusal comes back on the dossier page with its message.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from motcua.dossiers.forms import InstantField
from motcua.dossiers.selectors import get_dossier_for_user
from motcua.dossiers.services import DossierError
from motcua.dossiers.time_limits import invoke_time_limit_ceiling, record_clock_start

_AT_HELP = _("ví dụ 15/12/2026 16:00; để trống: bây giờ")


class ClockStartForm(forms.Form):
    """When the event the clock starts at happened, and the document that shows it."""

    at = InstantField(label=_("Thời điểm xảy ra sự kiện"), required=False, help_text=_AT_HELP)
    note = forms.CharField(
        label=_("Văn bản, ghi chú"),
        required=False,
        max_length=500,
        help_text=_("ví dụ: Công văn số 12/STP-HCTP ngày 15/12/2026"),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", "id_clock_%s")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class CeilingForm(forms.Form):
    """Why the case qualifies for the ceiling."""

    reason = forms.CharField(
        label=_("Lý do áp dụng thời hạn tối đa"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Hãy ghi lý do áp dụng thời hạn tối đa.")},
    )
    at = InstantField(label=_("Thời điểm quyết định"), required=False, help_text=_AT_HELP)

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", "id_ceiling_%s")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


def _refused(request: HttpRequest, code: str, message: str, status: int) -> HttpResponse:
    from motcua.dossiers.views import RELOAD, _render_detail  # the page renders the error

    fresh = get_dossier_for_user(request.user, code, full=True)
    text = message + (f" {RELOAD}" if status == 409 else "")
    return _render_detail(request, fresh, error=text, status=status)


def _form_errors(form: forms.Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@login_required
@require_POST
def clock_start(request: HttpRequest, code: str) -> HttpResponse:
    """Record the event the dossier's clock starts at — ghi nhận sự kiện bắt đầu tính thời hạn."""
    dossier = get_dossier_for_user(request.user, code, full=True)
    form = ClockStartForm(request.POST)
    if not form.is_valid():
        return _refused(request, code, _form_errors(form), 400)
    try:
        record_clock_start(
            dossier,
            actor=request.user,
            at=form.cleaned_data.get("at"),
            note=form.cleaned_data.get("note") or "",
        )
    except DossierError as exc:
        return _refused(request, code, exc.message, exc.status)
    messages.success(request, gettext("Đã ghi nhận sự kiện bắt đầu tính thời hạn."))
    return redirect("dossiers:detail", code=code)


@login_required
@require_POST
def ceiling(request: HttpRequest, code: str) -> HttpResponse:
    """Invoke the procedure's ceiling — áp dụng thời hạn giải quyết tối đa."""
    dossier = get_dossier_for_user(request.user, code, full=True)
    form = CeilingForm(request.POST)
    if not form.is_valid():
        return _refused(request, code, _form_errors(form), 400)
    try:
        invoke_time_limit_ceiling(
            dossier,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            at=form.cleaned_data.get("at"),
        )
    except DossierError as exc:
        return _refused(request, code, exc.message, exc.status)
    messages.success(request, gettext("Đã áp dụng thời hạn giải quyết tối đa."))
    return redirect("dossiers:detail", code=code)
