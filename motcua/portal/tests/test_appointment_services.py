"""Appointment services: booking validation, cancellation, no-show, the link to a dossier."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.core import mail
from django.db import connection

from motcua.audit.services import history_for
from motcua.dossiers.actions import receive_walk_in
from motcua.portal.appointments import (
    AppointmentConflict,
    AppointmentError,
    AppointmentForbidden,
    cancel_appointment,
    link_received_dossier,
    mark_no_show,
)
from motcua.portal.choices import AppointmentState
from motcua.portal.models import Appointment
from motcua.portal.tests.account_helpers import (  # noqa: F401 — fixtures
    media_fixture,
    setup_fixture,
)
from motcua.portal.tests.appointment_helpers import (  # noqa: F401 — fixtures
    APPLICANT,
    Desks,
    at,
    book,
    clock_fixture,
    desks_fixture,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "Cần nhập họ và tên người hẹn."),
        ({"phone": ""}, "phone", "Cần nhập số điện thoại"),
        ({"phone": "12345"}, "phone", "Số điện thoại không hợp lệ (ví dụ 0912345678)."),
        ({"email": "mai@"}, "email", "Địa chỉ thư điện tử không hợp lệ."),
        ({"id_number": "0871"}, "id_number", "Số định danh cá nhân gồm đúng 12 chữ số."),
    ],
)
def test_booking_refuses_bad_contact_details_in_vietnamese(
    desks: Desks, changes: dict[str, str], field: str, message: str
) -> None:
    with pytest.raises(AppointmentError) as refused:
        book(desks.setup, at(29, 8), applicant={**APPLICANT, **changes})
    assert (refused.value.field, refused.value.status) == (field, 400)
    assert refused.value.message.startswith(message)
    assert not Appointment.objects.exists()


def test_a_home_visit_needs_an_address_and_a_desk_that_offers_it(
    desks: Desks, settings: Any
) -> None:
    with pytest.raises(AppointmentError, match="Cần nhập địa chỉ nơi cán bộ đến") as refused:
        book(desks.setup, at(29, 8), kind="home")
    assert refused.value.field == "address"
    settings.MOTCUA_HOME_VISIT_UNITS = ["N2.TTPV"]
    with pytest.raises(AppointmentError, match="không tiếp nhận hồ sơ của thủ tục này tại nhà"):
        book(desks.setup, at(29, 8), kind="home", applicant={**APPLICANT, "address": "Ấp 1"})
    home = book(
        desks.setup,
        at(29, 8),
        kind="home",
        unit=desks.other_centre,
        applicant={**APPLICANT, "address": " Ấp  1, xã Lấp Vò "},
    )
    home.refresh_from_db()
    assert (home.kind, home.address, home.phone) == ("home", "Ấp 1, xã Lấp Vò", "0912345678")
    settings.MOTCUA_HOME_VISIT_PROCEDURES = []
    with pytest.raises(AppointmentError, match="tại nhà"):
        book(
            desks.setup,
            at(29, 9),
            kind="home",
            unit=desks.other_centre,
            applicant={**APPLICANT, "address": "Ấp 1"},
        )


def test_a_desk_that_does_not_receive_the_procedure_is_refused(desks: Desks, province: Any) -> None:
    desks.setup.procedure.competent_units.remove(province.new_commune_2)
    with pytest.raises(AppointmentError, match="không nhận hồ sơ của thủ tục đã chọn") as refused:
        book(desks.setup, at(29, 8), unit=desks.other_centre)
    assert refused.value.field == "unit"


def test_booking_is_logged_without_personal_data_and_mailed_after_commit(
    desks: Desks, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(desks.setup, at(29, 8), actor=desks.setup.mai)
    stored = Appointment.objects.get()
    assert stored.code == appointment.code and len(stored.code) == 8
    assert stored.code.startswith("LH") and stored.applicant_user == desks.setup.mai
    change = history_for(stored).get(action="create")
    assert change.after is not None
    assert change.after["code"] == stored.code and change.after["state"] == "booked"
    assert "0912345678" not in str(change.after) and "Mai" not in str(change.after)
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["mai@example.vn"] and stored.code in letter.subject
    assert "08:00, Thứ Năm, 29/04/2027" in letter.body
    assert "Trung tâm Phục vụ hành chính công xã Tháp Mười" in letter.body


def test_cancel_with_wrong_digits_is_refused_and_changes_nothing(desks: Desks) -> None:
    appointment = book(desks.setup, at(29, 8))
    with pytest.raises(AppointmentForbidden, match="4 số cuối điện thoại không đúng"):
        cancel_appointment(appointment=appointment, phone_digits="1234")
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED and appointment.cancelled_at is None
    done = cancel_appointment(appointment=appointment, phone_digits="5678", reason="Bận việc")
    done.refresh_from_db()
    assert (done.state, done.cancel_reason) == ("cancelled", "Bận việc")
    assert done.cancelled_at is not None
    with pytest.raises(AppointmentConflict, match="“Đã huỷ”: không thay đổi được nữa"):
        cancel_appointment(appointment=done, phone_digits="5678")
    log = history_for(done).order_by("id")
    assert [c.action for c in log] == ["create", "update"]
    assert log[1].before is not None and log[1].before["state"] == "booked"


def test_from_the_account_only_the_booker_cancels(desks: Desks) -> None:
    mine = book(desks.setup, at(29, 8), actor=desks.setup.mai)
    with pytest.raises(AppointmentForbidden, match="Chỉ người đặt lịch"):
        cancel_appointment(appointment=mine, actor=desks.setup.lan)
    with pytest.raises(AppointmentForbidden):
        cancel_appointment(appointment=book(desks.setup, at(29, 9)), actor=desks.setup.mai)
    assert cancel_appointment(appointment=mine, actor=desks.setup.mai).state == "cancelled"


def test_cancelling_after_the_start_is_refused(desks: Desks, clock: dict[str, Any]) -> None:
    appointment = book(desks.setup, at(29, 8))
    clock["now"] = at(29, 8, 5)
    with pytest.raises(AppointmentConflict, match="Đã đến giờ hẹn"):
        cancel_appointment(appointment=appointment, phone_digits="5678")


def test_no_show_only_once_the_slot_has_begun_and_only_by_the_desk(
    desks: Desks, clock: dict[str, Any]
) -> None:
    appointment = book(desks.setup, at(29, 8))
    with pytest.raises(AppointmentConflict, match="Chưa đến giờ hẹn"):
        mark_no_show(appointment=appointment, actor=desks.setup.officer)
    clock["now"] = at(29, 8, 40)
    with pytest.raises(AppointmentForbidden, match="không có quyền tiếp nhận"):
        mark_no_show(appointment=appointment, actor=desks.other_officer)
    done = mark_no_show(appointment=appointment, actor=desks.setup.officer)
    done.refresh_from_db()
    assert done.state == "no_show" and done.no_show_at == at(29, 8, 40)


def _walk_in(desks: Desks, unit_code: str, actor: Any) -> Any:
    return receive_walk_in(
        actor=actor,
        values={
            "procedure": desks.setup.procedure.code,
            "receiving_unit": unit_code,
            "channel": "direct",
            "applicant": {"name": "Nguyễn Thị Mai", "phone": "0912345678"},
        },
    )


def test_a_received_walk_in_is_linked_once_to_its_appointment(
    desks: Desks, clock: dict[str, Any]
) -> None:
    appointment = book(desks.setup, at(29, 8))
    clock["now"] = at(29, 8, 10)
    dossier = _walk_in(desks, "N1.TTPV", desks.setup.officer)
    with pytest.raises(AppointmentForbidden):
        link_received_dossier(appointment=appointment, dossier=dossier, actor=desks.other_officer)
    linked = link_received_dossier(
        appointment=appointment, dossier=dossier, actor=desks.setup.officer
    )
    linked.refresh_from_db()
    assert (linked.state, linked.dossier, linked.received_at) == (
        "received",
        dossier,
        at(29, 8, 10),
    )
    assert dossier.appointment == linked
    # The same dossier cannot become a second appointment, nor one of another desk.
    second = book(desks.setup, at(29, 9))
    with pytest.raises(AppointmentConflict, match="đã gắn với một lịch hẹn khác"):
        link_received_dossier(appointment=second, dossier=dossier, actor=desks.setup.officer)
    elsewhere = _walk_in(desks, "N2.TTPV", desks.other_officer)
    with pytest.raises(AppointmentError, match="tiếp nhận tại nơi khác"):
        link_received_dossier(appointment=second, dossier=elsewhere, actor=desks.setup.officer)
    assert Appointment.objects.get(pk=second.pk).state == "booked"


@pytest.mark.django_db(transaction=True)
def test_two_applicants_racing_for_the_last_place_get_one_booking(
    desks: Desks, settings: Any
) -> None:
    settings.MOTCUA_APPOINTMENT_SLOT_CAPACITY = 1
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def run(i: int) -> None:
        try:
            barrier.wait()
            for _attempt in range(40):
                try:
                    who = {**APPLICANT, "phone": f"091234567{i}"}
                    results[i] = book(desks.setup, at(29, 8), applicant=who)
                    return
                except AppointmentConflict as exc:
                    results[i] = exc
                    return
                except Exception as exc:
                    # In-memory SQLite (shared cache) answers "locked" instead of waiting.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.05)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    booked = [r for r in results if isinstance(r, Appointment)]
    refused = [r for r in results if isinstance(r, AppointmentConflict)]
    assert (len(booked), len(refused)) == (1, 1), results
    assert "đã đủ người hẹn" in refused[0].message
    assert Appointment.objects.filter(start=at(29, 8)).count() == 1
