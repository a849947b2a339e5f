"""The local-fee decision page — ghi nhận mức thu do Hội đồng nhân dân tỉnh quyết định."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from motcua.lib.scoping import can
from motcua.procedures.fees import has_local
from motcua.procedures.local_fees import LocalFeeDecisionForm, record_local_fee_decision
from motcua.procedures.models import Procedure
from motcua.procedures.services import ProcedureError


@login_required
@require_http_methods(["GET", "POST"])
def local_fee_decision(request: HttpRequest, code: str) -> HttpResponse:
    """For `configure` users: the province's decision on a fee the wording leaves to it."""
    procedure = Procedure.objects.visible_to(request.user).filter(code=code).first()
    if procedure is None or not can(request.user, "configure"):
        raise Http404
    if not has_local(procedure.fee_spec or {}):
        raise Http404
    current = (procedure.fee_spec or {}).get("local_decision") or {}
    initial = {}
    if current:
        initial = {
            "number": current.get("number", ""),
            "decided_on": "/".join(reversed(str(current.get("date", "")).split("-"))),
            "amount": current.get("amount"),
        }
    form = LocalFeeDecisionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                record_local_fee_decision(
                    procedure,
                    number=form.cleaned_data["number"],
                    decided_on=form.cleaned_data["decided_on"],
                    amount=form.cleaned_data["amount"],
                    actor=request.user,
                )
            except ProcedureError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, exc.message)
            else:
                messages.success(request, gettext("Đã ghi nhận mức thu của tỉnh."))
                return redirect("procedures:detail", code=procedure.code)
    return render(
        request,
        "procedures/local_fee.html",
        {"procedure": procedure, "form": form, "current": current},
        status=status,
    )
