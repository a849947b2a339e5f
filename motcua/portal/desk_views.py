"""The desk's appointment book — lịch hẹn trong ngày (officers with the receive right).

Mounted at /ho-so/lich-hen/ (motcua/urls.py, before the dossiers routes). An officer sees the
appointments of the desks where they may receive dossiers, for one day at a time; anything
else answers 404 like a missing code. "Tiếp nhận" opens the walk-in receipt form prefilled
from the booking; the receipt then marks the appointment received (see `link_walk_in`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.portal.appointment_forms import parse_day
from motcua.portal.appointments import AppointmentError, link_received_dossier, mark_no_show
from motcua.portal.choices import AppointmentKind, AppointmentState
from motcua.portal.models import Appointment
from motcua.portal.slots import (
    day_label,
    get_appointment_for_desk,
    list_day_appointments,
    list_desk_units,
)
from motcua.workcalendar.engine import TZ


def receipt_url(appointment: Appointment) -> str:
    """The walk-in receipt form prefilled from the booking (GET parameters of /ho-so/tiep-nhan/)."""
    params = {
        "thu-tuc": appointment.procedure.code,
        "ho-ten": appointment.name,
        "so-dinh-danh": appointment.id_number,
        "dien-thoai": appointment.phone,
        "email": appointment.email,
        "dia-chi": appointment.address,
        "noi-tiep-nhan": appointment.unit.code,
        "lich-hen": appointment.code,
    }
    return f"{reverse('dossiers:receipt')}?{urlencode({k: v for k, v in params.items() if v})}"


def _rows(appointments: Iterable[Appointment], now: dt.datetime) -> list[dict[str, Any]]:
    """The day's appointments grouped by slot start, each with what the desk may do now."""
    groups: list[dict[str, Any]] = []
    for item in appointments:
        local = item.start.astimezone(TZ)
        if not groups or groups[-1]["start"] != item.start:
            groups.append({"start": item.start, "time": f"{local:%H:%M}", "items": []})
        booked = item.state == AppointmentState.BOOKED
        groups[-1]["items"].append(
            {
                "appointment": item,
                "is_home": item.kind == AppointmentKind.HOME,
                "receive_url": receipt_url(item) if booked else "",
                "may_mark_absent": booked and item.start <= now,
            }
        )
    return groups


@login_required
@require_GET
def day(request: HttpRequest) -> HttpResponse:
    """Lịch hẹn trong ngày at the officer's desks (`?ngay=dd/mm/yyyy`, default today)."""
    today = timezone.localdate()
    text = request.GET.get("ngay", "")
    chosen = parse_day(text) if text else today
    status = 200
    if chosen is None:
        chosen, status = today, 400
    units = list_desk_units(request.user, chosen)
    appointments = list(list_day_appointments(units, chosen)) if units else []
    counts = {state: sum(1 for a in appointments if a.state == state) for state in AppointmentState}
    return render(
        request,
        "portal/appointments/desk.html",
        {
            "day": chosen,
            "day_label": day_label(chosen),
            "day_text": f"{chosen:%d/%m/%Y}",
            "previous": f"{chosen - dt.timedelta(days=1):%d/%m/%Y}",
            "next": f"{chosen + dt.timedelta(days=1):%d/%m/%Y}",
            "is_today": chosen == today,
            "bad_day": status == 400,
            "units": units,
            "groups": _rows(appointments, timezone.now()),
            "total": len(appointments),
            "booked": counts[AppointmentState.BOOKED],
            "received": counts[AppointmentState.RECEIVED],
        },
        status=status,
    )


@login_required
@require_POST
def no_show(request: HttpRequest, code: str) -> HttpResponseBase:
    """Vắng mặt: the applicant did not come; back to the same day."""
    appointment = get_appointment_for_desk(request.user, code)
    try:
        mark_no_show(appointment=appointment, actor=request.user)
    except AppointmentError as exc:
        messages.error(request, capfirst(exc.message))
    else:
        messages.success(
            request, _("Đã ghi vắng mặt cho lịch hẹn %(code)s.") % {"code": appointment.code}
        )
    local = appointment.start.astimezone(TZ)
    return redirect(f"{reverse('appointments:day')}?{urlencode({'ngay': f'{local:%d/%m/%Y}'})}")


def link_walk_in(request: HttpRequest, dossier: Any) -> None:
    """After a walk-in receipt: mark the appointment posted as `lich-hen` received.

    Called by the receipt view through `motcua.dossiers.signals.walk_in_received`; the
    receipt itself stands whatever happens here, so a refusal becomes a warning message.
    """
    code = (request.POST.get("lich-hen") or "").strip()
    if not code:
        return
    try:
        appointment = get_appointment_for_desk(request.user, code)
        link_received_dossier(appointment=appointment, dossier=dossier, actor=request.user)
    except Http404:
        messages.warning(
            request, _("Không tìm thấy lịch hẹn %(code)s tại nơi tiếp nhận này.") % {"code": code}
        )
    except AppointmentError as exc:
        messages.warning(request, capfirst(exc.message))
    else:
        messages.success(
            request,
            _("Lịch hẹn %(code)s đã chuyển thành hồ sơ %(dossier)s.")
            % {"code": appointment.code, "dossier": dossier.code},
        )
