"""Citizen pages of appointments — đặt lịch hẹn, tra cứu và huỷ lịch hẹn (no JavaScript needed).

Booking is two plain forms on one page: a GET form picks the desk, the kind and the day (the
page reloads with that day's slots), then a POST form takes the slot and the contact details.
Look-up and cancellation need the code and the last four digits of the phone, rate-limited per
client address like the dossier look-up; an applicant signed in cancels from the account.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.lib import ratelimit
from motcua.portal.access import applicant_required, is_applicant
from motcua.portal.appointment_forms import FIELD_ALIASES, BookingForm, ChooseForm, LookupForm
from motcua.portal.appointments import AppointmentError, book_appointment, cancel_appointment
from motcua.portal.choices import AppointmentKind, AppointmentState
from motcua.portal.lookup_views import _too_many, code_limit, lookup_limit
from motcua.portal.models import ApplicantProfile, Appointment
from motcua.portal.offer import not_receivable, offer_of
from motcua.portal.slots import (
    booking_days,
    find_appointment_for_lookup,
    get_applicant_appointment,
    kinds_for,
    open_slots,
)
from motcua.portal.submission import published_procedure
from motcua.workcalendar.engine import TZ
from motcua.workcalendar.selectors import get_calendar

SESSION_KEY = "portal_appointments"  # codes booked in this browser session


def _prefill(request: HttpRequest) -> dict[str, str]:
    """Contact details of a signed-in applicant."""
    if not is_applicant(request.user):
        return {}
    profile = ApplicantProfile.objects.get(user_id=request.user.pk or 0)
    user: Any = request.user
    return {
        "name": user.full_name or user.get_full_name(),
        "phone": profile.phone,
        "email": profile.email,
        "id_number": profile.id_number,
        "address": profile.address,
    }


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, code: str) -> HttpResponse:
    """Đặt lịch hẹn for a procedure: desk, kind, day → free slot and contact details."""
    procedure = published_procedure(code)
    offer = offer_of(procedure)
    if not offer.receivable:  # expired or no receiving unit: no appointment either
        return not_receivable(request, offer)
    desks = offer.desks
    params = request.POST if request.method == "POST" else request.GET
    chosen = params.get("noi") or (str(desks[0].pk) if len(desks) == 1 else "")
    desk = next((u for u in desks if str(u.pk) == chosen), None)
    calendar = get_calendar(desk)
    home_offered = any(AppointmentKind.HOME in kinds_for(procedure, u) for u in desks)
    kinds = [AppointmentKind.COUNTER] + ([AppointmentKind.HOME] if home_offered else [])
    choose = ChooseForm(
        {
            "noi": chosen,
            "hinh_thuc": params.get("hinh_thuc") or "tai-quay",
            "ngay": params.get("ngay", ""),
        }
        if params.get("ngay") or request.method == "POST"
        else None,
        initial={"noi": chosen, "hinh_thuc": "tai-quay"},
        desks=desks,
        kinds=kinds,
        days=booking_days(calendar),
    )
    context: dict[str, Any] = {
        "procedure": procedure,
        "choose": choose,
        "desks": desks,
        "home_offered": home_offered,
    }
    status = 200
    if choose.is_bound and choose.is_valid():
        unit, kind = choose.cleaned_data["noi"], choose.cleaned_data["hinh_thuc"]
        if kind not in kinds_for(procedure, unit):
            choose.add_error(
                "hinh_thuc", _("Nơi tiếp nhận này không tiếp nhận hồ sơ của thủ tục này tại nhà.")
            )
    if choose.is_bound and not choose.is_valid():
        status = 400
    if choose.is_bound and choose.is_valid():
        unit = choose.cleaned_data["noi"]
        kind = choose.cleaned_data["hinh_thuc"]
        day: dt.date = choose.cleaned_data["ngay"]
        slots = open_slots(unit, day, calendar=calendar)
        form = BookingForm(
            request.POST if request.method == "POST" else None,
            initial=_prefill(request),
            slots=slots,
        )
        context.update(
            {
                "form": form,
                "slots": slots,
                "unit": unit,
                "kind": AppointmentKind(kind),
                "day": day,
                "is_home": kind == AppointmentKind.HOME,
                "any_free": any(s.free for s in slots),
            }
        )
        if request.method == "POST":
            status = 400
            if form.is_valid():
                hour, minute = (int(x) for x in form.cleaned_data["gio"].split(":"))
                start = dt.datetime.combine(day, dt.time(hour, minute), TZ)
                try:
                    appointment = book_appointment(
                        procedure=procedure,
                        unit=unit,
                        kind=kind,
                        start=start,
                        applicant=form.applicant(),
                        note=form.cleaned_data["note"],
                        actor=request.user,
                    )
                except AppointmentError as exc:
                    field = FIELD_ALIASES.get(exc.field or "", exc.field)
                    message = capfirst(exc.message)
                    if field in choose.fields:
                        choose.add_error(field, message)
                    else:
                        form.add_error(field if field in form.fields else None, message)
                    status = exc.status
                else:
                    booked = [*request.session.get(SESSION_KEY, []), appointment.code][-20:]
                    request.session[SESSION_KEY] = booked
                    return redirect("portal:appointment_booked", code=appointment.code)
    return render(request, "portal/appointments/book.html", context, status=status)


@require_GET
def booked(request: HttpRequest, code: str) -> HttpResponse:
    """Confirmation with the code, for the browser that booked it (or its account)."""
    appointment = Appointment.objects.select_related("procedure", "unit").filter(code=code).first()
    mine = appointment is not None and (
        code in request.session.get(SESSION_KEY, [])
        or (
            request.user.is_authenticated
            and appointment.applicant_user_id == getattr(request.user, "pk", None)
        )
    )
    if not mine or appointment is None:
        raise Http404
    return render(request, "portal/appointments/booked.html", {"appointment": appointment})


def _lookup_page(
    request: HttpRequest, form: LookupForm, status: int = 200, **extra: Any
) -> HttpResponse:
    return render(
        request, "portal/appointments/lookup.html", {"form": form, **extra}, status=status
    )


def _locked_code(code: str) -> str:
    return "appointment:" + code.strip().upper()


def _checked(request: HttpRequest) -> tuple[Any, LookupForm, HttpResponse | None]:
    """A posted code + digits under both budgets (per address, per code, as the dossier
    look-up): (the appointment, the form, None) or (None, the form, the answer to send)."""
    limit = lookup_limit()
    form = LookupForm(request.POST)
    if not ratelimit.hit(request, limit):  # before any database read
        return None, form, _too_many(request, limit)
    if not form.is_valid():
        return None, form, _lookup_page(request, form, status=400)
    code = form.cleaned_data["ma"]
    per_code = code_limit()
    if ratelimit.used_up(per_code, _locked_code(code)):
        return None, form, _too_many(request, per_code, code_locked=True)
    appointment = find_appointment_for_lookup(code, form.cleaned_data["so"])
    if appointment is None:
        ratelimit.hit_key(per_code, _locked_code(code))
        fresh = LookupForm(initial={"ma": code})
        return None, form, _lookup_page(request, fresh, status=404, not_found=True)
    return appointment, form, None


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Tra cứu lịch hẹn by code + the last four digits of the phone; offers cancellation.

    The digits travel by POST only, so they stay out of URLs, histories and access logs; a
    GET (an old link with `so=` too) shows the form, prefilled with `ma` when given."""
    if request.method != "POST":
        return _lookup_page(request, LookupForm(initial={"ma": request.GET.get("ma", "")[:80]}))
    appointment, form, answer = _checked(request)
    if answer is not None:
        return answer
    return _lookup_page(
        request,
        form,
        appointment=appointment,
        cancellable=appointment.state == AppointmentState.BOOKED,
        digits=form.cleaned_data["so"],
    )


@require_POST
def cancel(request: HttpRequest) -> HttpResponseBase:
    """Huỷ lịch hẹn with code + four digits (posted from the look-up page)."""
    appointment, form, answer = _checked(request)
    if answer is not None:
        return answer
    digits = form.cleaned_data["so"]
    try:
        cancel_appointment(
            appointment=appointment,
            actor=request.user,
            phone_digits=digits,
            reason=request.POST.get("ly_do", ""),
        )
    except AppointmentError as exc:
        return _lookup_page(
            request,
            form,
            status=exc.status,
            appointment=appointment,
            error=capfirst(exc.message),
        )
    messages.success(request, _("Đã huỷ lịch hẹn %(code)s.") % {"code": appointment.code})
    return redirect(f"/lich-hen/?{urlencode({'ma': appointment.code})}")


@applicant_required
@require_POST
def cancel_own(request: HttpRequest, code: str) -> HttpResponseBase:
    """Huỷ lịch hẹn from the applicant's account (no digits: it is their own booking)."""
    appointment = get_applicant_appointment(request.user, code)
    try:
        cancel_appointment(appointment=appointment, actor=request.user)
    except AppointmentError as exc:
        messages.error(request, capfirst(exc.message))
    else:
        messages.success(request, _("Đã huỷ lịch hẹn %(code)s.") % {"code": appointment.code})
    return redirect("portal:account")
