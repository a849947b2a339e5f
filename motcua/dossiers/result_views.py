"""Dossier page pieces for the return of results: the postal delivery date.

The result file itself is uploaded through the page's upload view (kind "result"); the
return is the "Trả kết quả" action. Views parse input, fetch the dossier through the user's
scope and call the service.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from motcua.dossiers.results import record_postal_delivery
from motcua.dossiers.selectors import get_dossier_for_user
from motcua.dossiers.services import DossierError


class PostalDeliveryForm(forms.Form):
    """The day the post delivered the result — ngày phát bưu gửi."""

    delivered_on = forms.DateField(
        label=_("Ngày phát bưu gửi"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        # A text box read as dd/mm/yyyy: the browser's date box shows 07/12 as July in an
        # English-language browser, and a Vietnamese officer reads it as 12 July either way.
        widget=forms.DateInput(
            attrs={"inputmode": "numeric", "placeholder": "15/12/2026", "autocomplete": "off"},
            format="%d/%m/%Y",
        ),
        error_messages={
            "required": _("Hãy nhập ngày phát."),
            "invalid": _("Ngày không hợp lệ (ví dụ 15/12/2026)."),
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("initial", {"delivered_on": timezone.localdate()})
        kwargs.setdefault("auto_id", "id_postal_%s")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


@login_required
@require_POST
def postal_delivery(request: HttpRequest, code: str) -> HttpResponse:
    """Record the postal delivery date of a result returned by post."""
    from motcua.dossiers.views import _render_detail  # the page renders the error

    dossier = get_dossier_for_user(request.user, code, full=True)
    form = PostalDeliveryForm(request.POST)
    if not form.is_valid():
        message = "; ".join(str(e) for e in form.errors.get("delivered_on", []))
        return _render_detail(request, dossier, error=message, status=400)
    try:
        record_postal_delivery(
            dossier=dossier, delivered_on=form.cleaned_data["delivered_on"], actor=request.user
        )
    except DossierError as exc:
        fresh = get_dossier_for_user(request.user, code, full=True)
        return _render_detail(request, fresh, error=exc.message, status=exc.status)
    messages.success(request, gettext("Đã ghi nhận ngày phát bưu gửi."))
    return redirect("dossiers:detail", code=dossier.code)
