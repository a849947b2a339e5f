"""Online submission pages: the dossier form of a procedure, resumable drafts, the
confirmation, the applicant's own files, and online payment of the fee.

Every page is the signed-in applicant's own: dossiers are fetched by `applicant_user`, so
another person's draft or dossier is a 404 like a missing one. Forged posts (a component
that is not in the procedure, a receiving unit not offered, a procedure not online) get a
4xx answer and change nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from motcua.dossiers.choices import State
from motcua.dossiers.files import file_response, max_upload_bytes
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import DossierError
from motcua.portal.access import applicant_required
from motcua.portal.account_forms import SubmissionForm
from motcua.portal.models import ApplicantProfile
from motcua.portal.offer import not_receivable, offer_of
from motcua.portal.payments import LocalDemoGateway, PaymentError, get_gateway
from motcua.portal.submission import (
    EDITABLE_STATES,
    accepts_online,
    completion_request,
    component_slots,
    fee_of,
    get_applicant_dossier,
    money,
    paid_total,
    pay_once,
    payment_refusal,
    published_procedure,
    receiving_units,
    removable_files,
    remove_draft_file,
    save_online_dossier,
)
from motcua.procedures.models import Procedure
from motcua.procedures.services import current_version
from motcua.units.models import Unit

SAVE, SUBMIT, REMOVE_FILE = "save", "submit", "remove_file"


def _not_online(request: HttpRequest, procedure: Procedure, status: int) -> HttpResponse:
    """Where to submit in person, for a procedure that is not offered online."""
    today = timezone.localdate()
    return render(
        request,
        "portal/submit/not_online.html",
        {
            "procedure": procedure,
            "places": receiving_units(procedure, today),
            "competent": list(procedure.competent_units.valid_on(today).order_by("name")),
        },
        status=status,
    )


def _forged_files(request: HttpRequest, form_fields: set[str]) -> bool:
    return bool(set(request.FILES) - form_fields)


def _handle(
    request: HttpRequest,
    *,
    procedure: Procedure,
    dossier: Dossier | None,
    form: SubmissionForm,
) -> HttpResponse | int:
    """Save or submit from a bound form: a response to send, or the status to re-render with."""
    action = request.POST.get("action")
    if action not in {SAVE, SUBMIT}:
        form.add_error(None, gettext("Thao tác không hợp lệ."))
        return 400
    if not form.is_valid():
        return 400
    try:
        saved = save_online_dossier(
            actor=request.user,
            procedure=procedure,
            receiving_unit=form.receiving(),
            applicant=form.applicant(),
            uploads=form.uploads(),
            submit=action == SUBMIT,
            dossier=dossier,
        )
    except DossierError as exc:
        field = exc.field if exc.field in form.fields else None
        if exc.field == "applicant_name":
            field = "name"
        form.add_error(field, exc.message)
        return exc.status
    if action == SUBMIT:
        messages.success(
            request, gettext("Đã nộp hồ sơ. Mã hồ sơ của bạn: %(code)s.") % {"code": saved.code}
        )
        return redirect("portal:submitted", code=saved.code)
    messages.success(
        request,
        gettext("Đã lưu nháp. Bạn có thể quay lại để bổ sung và nộp hồ sơ bất cứ lúc nào."),
    )
    return redirect("portal:draft", pk=saved.pk)


def _render_form(
    request: HttpRequest,
    *,
    procedure: Procedure,
    dossier: Dossier | None,
    form: SubmissionForm,
    status: int = 200,
) -> HttpResponse:
    data = dossier.procedure_version.data if dossier else current_version(procedure).data
    fee = int(data.get("fee") or 0)
    return render(
        request,
        "portal/submit/form.html",
        {
            "procedure": procedure,
            "dossier": dossier,
            "form": form,
            "slots": [(slot, form[slot.field_name]) for slot in form.slots],
            "fee": money(fee) if fee else "",
            "time_limit": data.get("time_limit_text") or procedure.time_limit_text,
            "completion": completion_request(dossier) if dossier else None,
            "removable": removable_files(dossier, request.user) if dossier else set(),
            "max_upload_mb": max_upload_bytes() // (1024 * 1024),
            "action_url": (
                reverse("portal:draft", args=[dossier.pk])
                if dossier
                else reverse("portal:submit", args=[procedure.code])
            ),
        },
        status=status,
    )


def _form_for(
    request: HttpRequest,
    *,
    units: list[Unit],
    dossier: Dossier | None,
    initial: dict[str, Any],
    procedure: Procedure,
) -> SubmissionForm:
    data = dossier.procedure_version.data if dossier else current_version(procedure).data
    slots = component_slots(data, list(dossier.files.all()) if dossier else [])
    return SubmissionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        units=units,
        slots=slots,
        details_editable=dossier is None or dossier.state == State.DRAFT,
        initial=initial,
    )


@applicant_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, code: str) -> HttpResponse:
    """Nộp hồ sơ trực tuyến: the form of one procedure (new dossier)."""
    procedure = published_procedure(code)
    offer = offer_of(procedure)
    if not offer.receivable:  # expired or no receiving unit: nothing is offered
        return not_receivable(request, offer)
    if not accepts_online(procedure):
        return _not_online(request, procedure, 400 if request.method == "POST" else 200)
    units = receiving_units(procedure)
    profile = ApplicantProfile.objects.select_related("user").get(user_id=request.user.pk or 0)
    initial: dict[str, Any] = {
        "name": getattr(profile.user, "full_name", "") or "",
        "phone": profile.phone,
        "email": profile.email,
        "id_number": profile.id_number,
        "address": profile.address,
    }
    if len(units) == 1:
        initial["receiving_unit"] = str(units[0].pk)
    form = _form_for(request, units=units, dossier=None, initial=initial, procedure=procedure)
    if request.method == "POST":
        if _forged_files(request, set(form.fields)):
            return _forged(request)
        outcome = _handle(request, procedure=procedure, dossier=None, form=form)
        if isinstance(outcome, HttpResponse):
            return outcome
        return _render_form(request, procedure=procedure, dossier=None, form=form, status=outcome)
    return _render_form(request, procedure=procedure, dossier=None, form=form)


def _forged(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/submit/refused.html",
        {"message": gettext("Thành phần hồ sơ gửi lên không có trong thủ tục.")},
        status=400,
    )


@applicant_required
@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Tiếp tục hồ sơ nháp (or add the items the desk asked for before receipt)."""
    dossier = get_applicant_dossier(request.user, pk=pk)
    if request.method == "POST" and request.POST.get("action") == REMOVE_FILE:
        return _remove_file(request, dossier)
    if dossier.state not in EDITABLE_STATES:
        if dossier.code:
            return redirect("portal:submitted", code=dossier.code)
        raise Http404
    procedure = dossier.procedure
    if not accepts_online(procedure):
        return _not_online(request, procedure, 400 if request.method == "POST" else 200)
    units = receiving_units(procedure)
    initial: dict[str, Any] = {
        "receiving_unit": str(dossier.receiving_unit_id),
        "name": dossier.applicant_name,
        "id_number": dossier.applicant_id_number,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
        "address": dossier.applicant_address,
        "owner_name": dossier.owner_name,
    }
    form = _form_for(request, units=units, dossier=dossier, initial=initial, procedure=procedure)
    if not form.details_editable:
        # Locked details are shown, not posted: the unit must be listed even if now closed.
        form.fields["receiving_unit"].choices = [  # type: ignore[attr-defined]
            (str(dossier.receiving_unit_id), dossier.receiving_unit.name)
        ]
    if request.method == "POST":
        if _forged_files(request, set(form.fields)):
            return _forged(request)
        outcome = _handle(request, procedure=procedure, dossier=dossier, form=form)
        if isinstance(outcome, HttpResponse):
            return outcome
        fresh = get_applicant_dossier(request.user, pk=pk)
        form.slots = component_slots(fresh.procedure_version.data, list(fresh.files.all()))
        return _render_form(request, procedure=procedure, dossier=fresh, form=form, status=outcome)
    return _render_form(request, procedure=procedure, dossier=dossier, form=form)


def _remove_file(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    """Xoá tệp đã tải lên: one of the applicant's own component files, while still open."""
    file_id = request.POST.get("file") or ""
    if not file_id.isdigit():
        raise Http404
    try:
        item = remove_draft_file(dossier=dossier, file_id=int(file_id), actor=request.user)
    except DossierError as exc:
        return render(
            request, "portal/submit/refused.html", {"message": exc.message}, status=exc.status
        )
    messages.success(request, gettext("Đã xoá tệp “%(name)s”.") % {"name": item.original_name})
    return redirect("portal:draft", pk=dossier.pk)


@applicant_required
@require_GET
def submitted(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation of a submitted dossier: its code, what happens next, the fee."""
    dossier = get_applicant_dossier(request.user, code=code)
    fee = fee_of(dossier)
    return render(
        request,
        "portal/submit/submitted.html",
        {
            "dossier": dossier,
            "fee": money(fee) if fee else "",
            "paid": money(paid_total(dossier)),
            "payments": list(dossier.payments.all()),
            "may_pay": get_gateway() is not None and not payment_refusal(dossier),
            "editable": dossier.state in EDITABLE_STATES,
        },
    )


@applicant_required
@require_GET
def own_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    """Download a file of one of the applicant's own dossiers."""
    dossier = get_applicant_dossier(request.user, pk=pk)
    item = next((f for f in dossier.files.all() if f.pk == file_id), None)
    if item is None:
        raise Http404
    return file_response(item)


# -- payment -------------------------------------------------------------------------------------


@applicant_required
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, code: str) -> HttpResponse:
    """Thanh toán phí, lệ phí: the amount due, and the button that starts the gateway."""
    dossier = get_applicant_dossier(request.user, code=code)
    gateway = get_gateway()
    refusal = payment_refusal(dossier)
    if gateway is None:
        refusal = refusal or gettext(
            "Chưa có cổng thanh toán trực tuyến; hãy nộp phí, lệ phí tại Bộ phận Một cửa."
        )
    fee = fee_of(dossier)
    due = max(fee - paid_total(dossier), 0)
    if request.method == "POST" and not refusal and gateway is not None:
        return_url = request.build_absolute_uri(reverse("portal:pay_return", args=[code]))
        start = gateway.start(dossier, due, return_url)
        if start.redirect_url:
            return HttpResponseRedirect(start.redirect_url)
        return render(request, "portal/submit/pay_redirect.html", {"start": start})
    return render(
        request,
        "portal/submit/pay.html",
        {
            "dossier": dossier,
            "fee": money(fee),
            "due": money(due),
            "payments": list(dossier.payments.all()),
            "refusal": refusal,
            "gateway": gateway,
        },
        status=409 if request.method == "POST" else 200,
    )


@applicant_required
@require_GET
def pay_demo(request: HttpRequest, code: str) -> HttpResponse:
    """The local demonstration gateway's confirmation page (MOTCUA_PAYMENT_GATEWAY=demo)."""
    gateway = get_gateway()
    if not isinstance(gateway, LocalDemoGateway):
        raise Http404
    dossier = get_applicant_dossier(request.user, code=code)
    token = request.GET.get("t") or ""
    try:
        data = gateway.read(token)
    except PaymentError as exc:
        messages.error(request, exc.message)
        return redirect("portal:pay", code=code)
    target = str(data.get("u") or "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if data.get("d") != dossier.code or not safe:
        raise Http404
    return render(
        request,
        "portal/submit/pay_demo.html",
        {
            "dossier": dossier,
            "amount": money(int(data["a"])),
            "reference": data["r"],
            "token": token,
            "target": target,
            "gateway": gateway,
        },
    )


@applicant_required
@require_http_methods(["GET", "POST"])
def pay_return(request: HttpRequest, code: str) -> HttpResponse:
    """Where the gateway sends the applicant back: record the confirmed payment once."""
    dossier = get_applicant_dossier(request.user, code=code)
    gateway = get_gateway()
    if gateway is None:
        raise Http404
    try:
        result = gateway.confirm(request)
        if result.dossier_code != dossier.code:
            raise PaymentError(gettext("Giao dịch không thuộc hồ sơ này."))
        payment = pay_once(dossier=dossier, result=result, actor=request.user)
    except PaymentError as exc:
        messages.error(request, exc.message)
        return redirect("portal:pay", code=code)
    except DossierError as exc:
        messages.error(request, exc.message)
        return redirect("portal:pay", code=code)
    messages.success(
        request,
        gettext("Đã ghi nhận thanh toán %(amount)s, mã giao dịch %(ref)s.")
        % {"amount": money(payment.amount), "ref": payment.reference},
    )
    return redirect("portal:submitted", code=code)
