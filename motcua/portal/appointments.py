"""Every write of an appointment — đặt lịch hẹn, huỷ, vắng mặt, tiếp nhận thành hồ sơ.

One keyword-only function per change. Each locks its row, checks the move against
`choices.TRANSITIONS`, stamps the instant and writes a change-log row (personal data left out)
in the same transaction; a refused change raises `AppointmentError` with a Vietnamese message.
E-mail notices to the applicant leave only after the commit.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from motcua.audit.services import record_change, snapshot
from motcua.dossiers.choices import Channel, State
from motcua.dossiers.models import Dossier
from motcua.lib.lifecycle import ServiceError
from motcua.lib.vntext import nfc
from motcua.people.policy import Action, can
from motcua.portal.choices import (
    HOLDING_STATES,
    TRANSITIONS,
    AppointmentKind,
    AppointmentState,
)
from motcua.portal.contacts import normalize_email, normalize_phone
from motcua.portal.models import Appointment
from motcua.portal.selectors import last_four
from motcua.portal.slots import day_label, home_visits_allowed, slot_capacity, slot_refusal
from motcua.portal.submission import receiving_units
from motcua.procedures.models import Procedure
from motcua.units.models import Unit
from motcua.workcalendar.engine import TZ
from motcua.workcalendar.selectors import get_calendar

logger = logging.getLogger(__name__)

# Fields copied into the change log: what happened, never who (names, phones, addresses).
LOGGED_FIELDS = ["code", "kind", "procedure", "unit", "start", "state", "dossier"]
# Codes without look-alike characters (no 0/O, 1/I/L), read out over the phone.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_PREFIX = "LH"
CODE_LENGTH = 6


class AppointmentError(ServiceError):
    """A refused appointment change (HTTP 400, or the status of the subclass)."""


class AppointmentForbidden(AppointmentError):
    """The actor may not make this change (HTTP 403)."""

    status = 403


class AppointmentConflict(AppointmentError):
    """The appointment or the slot moved meanwhile (full, already ended) (HTTP 409)."""

    status = 409


def new_code() -> str:
    """A fresh random appointment code such as 'LH7K3QXM' (unicity is checked on insert)."""
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _audit(
    appointment: Appointment,
    *,
    action: str,
    actor: Any,
    before: dict[str, Any] | None = None,
    reason: str = "",
) -> None:
    record_change(
        obj=appointment,
        action=action,
        actor=actor,
        before=before,
        after=snapshot(appointment, LOGGED_FIELDS),
        source="portal.appointments",
        reason=reason,
    )


def _check_move(appointment: Appointment, target: str) -> None:
    if target not in TRANSITIONS[appointment.state]:
        raise AppointmentConflict(
            gettext("Lịch hẹn %(code)s đang ở trạng thái “%(state)s”: không thay đổi được nữa.")
            % {
                "code": appointment.code,
                "state": AppointmentState(appointment.state).label,
            }
        )


def _lock(appointment: Appointment) -> Appointment:
    locked: Appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("procedure", "unit")
        .get(pk=appointment.pk)
    )
    return locked


def _clean_applicant(applicant: dict[str, str], kind: str) -> dict[str, str]:
    """NFC text, normal phone and e-mail; the Vietnamese error names the bad field."""
    name = " ".join(nfc(applicant.get("name", "")).split())
    if not name:
        raise AppointmentError(gettext("Cần nhập họ và tên người hẹn."), field="name")
    try:
        phone = normalize_phone(applicant.get("phone", ""))
    except ValueError as exc:
        raise AppointmentError(str(exc), field="phone") from None
    if not phone:
        raise AppointmentError(
            gettext("Cần nhập số điện thoại để nơi tiếp nhận liên hệ khi cần."), field="phone"
        )
    try:
        email = normalize_email(applicant.get("email", ""))
    except ValueError as exc:
        raise AppointmentError(str(exc), field="email") from None
    id_number = "".join((applicant.get("id_number") or "").split())
    if id_number and not (id_number.isascii() and id_number.isdigit() and len(id_number) == 12):
        raise AppointmentError(
            gettext("Số định danh cá nhân gồm đúng 12 chữ số."), field="id_number"
        )
    address = " ".join(nfc(applicant.get("address", "")).split())
    if kind == AppointmentKind.HOME and not address:
        raise AppointmentError(
            gettext("Cần nhập địa chỉ nơi cán bộ đến tiếp nhận hồ sơ tại nhà."), field="address"
        )
    return {
        "name": name[:255],
        "phone": phone,
        "email": email,
        "id_number": id_number,
        "address": address[:255] if kind == AppointmentKind.HOME else "",
    }


def book_appointment(
    *,
    procedure: Procedure,
    unit: Unit,
    kind: str,
    start: dt.datetime,
    applicant: dict[str, str],
    note: str = "",
    actor: Any = None,
) -> Appointment:
    """Book a counter slot or a home visit at a desk — đặt lịch hẹn.

    `applicant` holds name, phone, email, id_number, address (required for a home visit).
    The desk's row is locked while the slot's bookings are counted, so two applicants taking
    the last place at once get one booking and one refusal (AppointmentConflict).
    """
    if kind not in AppointmentKind.values:
        raise AppointmentError(gettext("Hãy chọn hình thức hẹn."), field="kind")
    if not procedure.published:
        raise AppointmentError(gettext("Thủ tục này không nhận đặt lịch hẹn."), field="procedure")
    if unit not in receiving_units(procedure):
        raise AppointmentError(
            gettext("Nơi tiếp nhận này không nhận hồ sơ của thủ tục đã chọn."), field="unit"
        )
    if kind == AppointmentKind.HOME and not home_visits_allowed(procedure, unit):
        raise AppointmentError(
            gettext("Nơi tiếp nhận này không tiếp nhận hồ sơ của thủ tục này tại nhà."),
            field="kind",
        )
    if not isinstance(start, dt.datetime) or timezone.is_naive(start):
        raise AppointmentError(gettext("Hãy chọn giờ hẹn."), field="start")
    refusal = slot_refusal(get_calendar(unit), start)
    if refusal:
        raise AppointmentError(refusal, field="start")
    values = _clean_applicant(applicant, kind)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        # Serialise bookings at this desk: the count below and the insert see the same rows.
        Unit.objects.select_for_update().filter(pk=unit.pk).values_list("pk", flat=True).get()
        taken = Appointment.objects.filter(unit=unit, start=start, state__in=HOLDING_STATES).count()
        if taken >= slot_capacity():
            raise AppointmentConflict(
                gettext("Khung giờ %(time)s đã đủ người hẹn; hãy chọn giờ khác.")
                % {"time": f"{start.astimezone(TZ):%H:%M %d/%m/%Y}"},
                field="start",
            )
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    appointment = Appointment.objects.create(
                        code=new_code(),
                        kind=kind,
                        procedure=procedure,
                        unit=unit,
                        start=start,
                        note=nfc(note or "").strip()[:2000],
                        applicant_user=user,
                        **values,
                    )
                break
            except IntegrityError:  # the random code was taken: draw another
                continue
        else:  # pragma: no cover - 31^6 codes
            raise AppointmentConflict(gettext("Chưa tạo được mã lịch hẹn; hãy thử lại."))
        _audit(appointment, action="create", actor=actor)
        _notify(appointment, booked=True)
    return appointment


def cancel_appointment(
    *,
    appointment: Appointment,
    actor: Any = None,
    phone_digits: str | None = None,
    reason: str = "",
) -> Appointment:
    """Cancel a booking before its time — huỷ lịch hẹn.

    By anybody who gives the last four digits of the phone booked with (`phone_digits`), or
    without them by the signed-in account that booked it. A wrong combination is refused with
    the same words as an unknown code.
    """
    with transaction.atomic():
        locked = _lock(appointment)
        if phone_digits is not None:
            key = last_four(locked.phone)
            if not key or not hmac.compare_digest(key.encode(), phone_digits.encode()):
                raise AppointmentForbidden(
                    gettext("Mã lịch hẹn hoặc 4 số cuối điện thoại không đúng."), field="so"
                )
        elif locked.applicant_user_id is None or getattr(actor, "pk", None) != (
            locked.applicant_user_id
        ):
            raise AppointmentForbidden(gettext("Chỉ người đặt lịch mới huỷ được lịch hẹn này."))
        _check_move(locked, AppointmentState.CANCELLED)
        now = timezone.now()
        if locked.start <= now:
            raise AppointmentConflict(
                gettext("Đã đến giờ hẹn nên không huỷ được nữa; hãy liên hệ nơi tiếp nhận.")
            )
        before = snapshot(locked, LOGGED_FIELDS)
        locked.state = AppointmentState.CANCELLED
        locked.cancelled_at = now
        locked.cancel_reason = nfc(reason or "").strip()[:255]
        locked.save(update_fields=["state", "cancelled_at", "cancel_reason", "updated_at"])
        _audit(locked, action="update", actor=actor, before=before, reason=locked.cancel_reason)
        _notify(locked, booked=False)
    return locked


def _require_desk(actor: Any, appointment: Appointment) -> None:
    if not can(actor, Action.RECEIVE, appointment.unit):
        raise AppointmentForbidden(
            gettext("Bạn không có quyền tiếp nhận hồ sơ tại %(unit)s.")
            % {"unit": appointment.unit.name}
        )


def mark_no_show(*, appointment: Appointment, actor: Any) -> Appointment:
    """Record that the applicant did not come (or was not at home) — vắng mặt."""
    with transaction.atomic():
        locked = _lock(appointment)
        _require_desk(actor, locked)
        _check_move(locked, AppointmentState.NO_SHOW)
        now = timezone.now()
        if locked.start > now:
            raise AppointmentConflict(
                gettext("Chưa đến giờ hẹn (%(time)s): chưa ghi vắng mặt được.")
                % {"time": f"{locked.start.astimezone(TZ):%H:%M %d/%m/%Y}"}
            )
        before = snapshot(locked, LOGGED_FIELDS)
        locked.state = AppointmentState.NO_SHOW
        locked.no_show_at = now
        locked.save(update_fields=["state", "no_show_at", "updated_at"])
        _audit(locked, action="update", actor=actor, before=before)
    return locked


def link_received_dossier(*, appointment: Appointment, dossier: Dossier, actor: Any) -> Appointment:
    """The booked appointment became this received dossier — đã tiếp nhận hồ sơ.

    The dossier must have been received directly (at the counter, or at home: channel
    `direct`, dossiers.md §5) by the appointment's desk, and not be linked to another one.
    """
    with transaction.atomic():
        locked = _lock(appointment)
        _require_desk(actor, locked)
        _check_move(locked, AppointmentState.RECEIVED)
        if dossier.state == State.DRAFT or dossier.received_at is None:
            raise AppointmentError(gettext("Hồ sơ chưa được tiếp nhận."), field="dossier")
        if dossier.channel != Channel.DIRECT:
            raise AppointmentError(
                gettext("Lịch hẹn chỉ gắn với hồ sơ tiếp nhận trực tiếp."), field="dossier"
            )
        if dossier.receiving_unit_id != locked.unit_id:
            raise AppointmentError(
                gettext("Hồ sơ được tiếp nhận tại nơi khác với nơi đã hẹn (%(unit)s).")
                % {"unit": locked.unit.name},
                field="dossier",
            )
        if Appointment.objects.filter(dossier=dossier).exclude(pk=locked.pk).exists():
            raise AppointmentConflict(
                gettext("Hồ sơ %(code)s đã gắn với một lịch hẹn khác.") % {"code": dossier.code},
                field="dossier",
            )
        before = snapshot(locked, LOGGED_FIELDS)
        locked.state = AppointmentState.RECEIVED
        locked.received_at = timezone.now()
        locked.dossier = dossier
        locked.save(update_fields=["state", "received_at", "dossier", "updated_at"])
        _audit(locked, action="update", actor=actor, before=before)
    return locked


# -- notices -----------------------------------------------------------------------------------


def notice_text(appointment: Appointment, *, booked: bool) -> tuple[str, str]:
    """Subject and body of the e-mail sent to the applicant when booking or cancelling."""
    local = appointment.start.astimezone(TZ)
    when = f"{local:%H:%M}, {day_label(local.date())}"
    kind = AppointmentKind(appointment.kind).label
    if booked:
        subject = gettext("Đã đặt lịch hẹn %(code)s") % {"code": appointment.code}
        lead = gettext("Lịch hẹn của ông/bà đã được ghi nhận.")
    else:
        subject = gettext("Đã huỷ lịch hẹn %(code)s") % {"code": appointment.code}
        lead = gettext("Lịch hẹn sau đây đã được huỷ.")
    lines = [
        gettext("Kính gửi ông/bà %(name)s,") % {"name": appointment.name},
        "",
        lead,
        gettext("Mã lịch hẹn: %(code)s") % {"code": appointment.code},
        gettext("Hình thức: %(kind)s") % {"kind": kind},
        gettext("Thủ tục: %(name)s") % {"name": appointment.procedure.name},
        gettext("Nơi tiếp nhận: %(unit)s") % {"unit": appointment.unit.name},
        gettext("Giờ hẹn: %(when)s") % {"when": when},
    ]
    if appointment.kind == AppointmentKind.HOME:
        lines.append(gettext("Địa chỉ tiếp nhận: %(address)s") % {"address": appointment.address})
    if booked:
        base = str(getattr(settings, "MOTCUA_PUBLIC_URL", "")).rstrip("/")
        lines += [
            "",
            gettext(
                "Xem hoặc huỷ lịch hẹn tại %(url)s bằng mã lịch hẹn và 4 số cuối số điện thoại."
            )
            % {"url": f"{base}/lich-hen/"},
            gettext("Khi đến, xin mang theo giấy tờ tùy thân và thành phần hồ sơ của thủ tục."),
        ]
    return subject, "\n".join(lines)


def _notify(appointment: Appointment, *, booked: bool) -> None:
    """Mail the applicant after the commit, if they gave an address (failures only logged)."""
    if not appointment.email:
        return
    subject, body = notice_text(appointment, booked=booked)
    address, code = appointment.email, appointment.code

    def deliver() -> None:
        try:
            send_mail(subject, body, None, [address])
        except Exception:  # a mail server failure must not undo the committed booking
            logger.exception("appointment %s: e-mail notice failed", code)

    transaction.on_commit(deliver)
