"""The desk's appointment book: scoped to the officer's desks, receipt in one step, no-show."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import handed_in
from motcua.portal.models import Appointment
from motcua.portal.tests.account_helpers import (  # noqa: F401 — fixtures
    client_for,
    media_fixture,
    setup_fixture,
)
from motcua.portal.tests.appointment_helpers import (  # noqa: F401 — fixtures
    APPLICANT,
    NOW,
    Desks,
    at,
    book,
    clock_fixture,
    desks_fixture,
)

pytestmark = pytest.mark.django_db


def test_the_day_shows_the_officers_desk_only(desks: Desks, clock: dict[str, Any]) -> None:
    mine = book(desks.setup, at(29, 8))
    home = book(
        desks.setup, at(29, 9), kind="home", applicant={**APPLICANT, "address": "Ấp 5, Tháp Mười"}
    )
    theirs = book(desks.setup, at(29, 8), unit=desks.other_centre)
    clock["now"] = at(29, 7, 30)
    officer = client_for(desks.setup.officer)
    page = officer.get("/ho-so/lich-hen/").content.decode()  # today by default
    assert "Thứ Năm, 29/04/2027" in page and "(hôm nay)" in page
    assert mine.code in page and home.code in page and theirs.code not in page
    assert "Tiếp nhận tại nhà" in page and "Ấp 5, Tháp Mười" in page
    assert "2 đang chờ" in page
    other = client_for(desks.other_officer).get("/ho-so/lich-hen/").content.decode()
    assert theirs.code in other and mine.code not in other
    # Another day by date, typed as people write it.
    later = officer.get("/ho-so/lich-hen/", {"ngay": "28/04/2027"}).content.decode()
    assert mine.code not in later and "Không có lịch hẹn nào trong ngày này." in later
    bad = officer.get("/ho-so/lich-hen/", {"ngay": "2027-13-45"})
    assert bad.status_code == 400 and "Ngày không hợp lệ" in bad.content.decode()


def test_officers_of_another_commune_and_strangers_get_404_or_sign_in(
    desks: Desks, clock: dict[str, Any], people: dict[str, Any]
) -> None:
    appointment = book(desks.setup, at(29, 8))
    clock["now"] = at(29, 9)
    other = client_for(desks.other_officer)
    assert other.post(f"/ho-so/lich-hen/{appointment.code}/vang-mat/").status_code == 404
    specialist = client_for(people["nina"])  # sees the commune, may not receive
    assert specialist.post(f"/ho-so/lich-hen/{appointment.code}/vang-mat/").status_code == 404
    assert appointment.code not in specialist.get("/ho-so/lich-hen/").content.decode()
    anonymous = Client().get("/ho-so/lich-hen/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/dang-nhap/")
    appointment.refresh_from_db()
    assert appointment.state == "booked"


def test_no_show_from_the_page(desks: Desks, clock: dict[str, Any]) -> None:
    appointment = book(desks.setup, at(29, 8))
    officer = client_for(desks.setup.officer)
    clock["now"] = at(29, 7, 50)
    page = officer.get("/ho-so/lich-hen/").content.decode()
    assert "Vắng mặt" not in page  # not before its time
    clock["now"] = at(29, 8, 45)
    action = f"/ho-so/lich-hen/{appointment.code}/vang-mat/"
    assert action in officer.get("/ho-so/lich-hen/").content.decode()
    response = officer.post(action)
    assert response.status_code == 302
    assert response["Location"] == "/ho-so/lich-hen/?ngay=29%2F04%2F2027"
    appointment.refresh_from_db()
    assert appointment.state == "no_show"
    assert "Vắng mặt" in officer.get(response["Location"]).content.decode()


def test_receive_in_one_step_turns_the_appointment_into_the_dossier(
    desks: Desks, clock: dict[str, Any]
) -> None:
    appointment = book(
        desks.setup,
        at(29, 8),
        kind="home",
        applicant={**APPLICANT, "address": "Ấp 5, Tháp Mười"},
    )
    clock["now"] = at(29, 8, 20)
    officer = client_for(desks.setup.officer)
    page = officer.get("/ho-so/lich-hen/").content.decode()
    link = next(
        part.split('"')[0].replace("&amp;", "&")
        for part in page.split('href="')
        if part.startswith("/ho-so/tiep-nhan/?")
    )
    params = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    assert params == {
        "thu-tuc": desks.setup.procedure.code,
        "ho-ten": "Nguyễn Thị Mai",
        "so-dinh-danh": "087190001234",
        "dien-thoai": "0912345678",
        "email": "mai@example.vn",
        "dia-chi": "Ấp 5, Tháp Mười",
        "noi-tiep-nhan": "N1.TTPV",
        "lich-hen": appointment.code,
    }
    form = officer.get(link).content.decode()
    assert f'<input type="hidden" name="lich-hen" value="{appointment.code}">' in form
    response = officer.post(
        "/ho-so/tiep-nhan/",
        {
            "procedure": desks.setup.procedure.code,
            "receiving_unit": "N1.TTPV",
            "name": "Nguyễn Thị Mai",
            "phone": "0912345678",
            "channel": "direct",  # received at home is still direct (dossiers.md §5)
            "submitted_by": "applicant",
            "lich-hen": appointment.code,
            **handed_in(desks.setup.procedure),
        },
    )
    assert response.status_code == 302, re.findall(
        r'role="alert">([^<]*)<', response.content.decode()
    )
    dossier = Dossier.objects.get()
    appointment.refresh_from_db()
    assert (appointment.state, appointment.dossier, appointment.received_at) == (
        "received",
        dossier,
        at(29, 8, 20),
    )
    shown = officer.get(response["Location"]).content.decode()
    assert f"Lịch hẹn {appointment.code} đã chuyển thành hồ sơ {dossier.code}." in shown
    day = officer.get("/ho-so/lich-hen/").content.decode()
    assert dossier.code and dossier.code in day and "Đã tiếp nhận hồ sơ" in day


def test_a_receipt_naming_another_desks_appointment_stands_but_links_nothing(
    desks: Desks, clock: dict[str, Any]
) -> None:
    theirs = book(desks.setup, at(29, 8), unit=desks.other_centre)
    clock["now"] = at(29, 8, 20)
    officer = client_for(desks.setup.officer)
    response = officer.post(
        "/ho-so/tiep-nhan/",
        {
            "procedure": desks.setup.procedure.code,
            "receiving_unit": "N1.TTPV",
            "name": "Nguyễn Thị Mai",
            "channel": "direct",
            "submitted_by": "applicant",
            "lich-hen": theirs.code,
            **handed_in(desks.setup.procedure),
        },
        follow=True,
    )
    assert Dossier.objects.count() == 1
    warning = f"Không tìm thấy lịch hẹn {theirs.code} tại nơi tiếp nhận này."
    assert warning in response.content.decode()
    assert Appointment.objects.get(pk=theirs.pk).state == "booked"


def test_the_days_queries_do_not_grow_with_its_appointments(
    desks: Desks, clock: dict[str, Any]
) -> None:
    officer = client_for(desks.setup.officer)
    book(desks.setup, at(29, 8))
    clock["now"] = at(29, 7)
    officer.get("/ho-so/lich-hen/")  # warm the session and the scope caches
    with CaptureQueriesContext(connection) as few:
        officer.get("/ho-so/lich-hen/")
    clock["now"] = NOW
    for hour in (9, 10, 11, 14, 15):
        book(desks.setup, at(29, hour), kind="home", applicant={**APPLICANT, "address": "Ấp 2"})
    clock["now"] = at(29, 7)
    with CaptureQueriesContext(connection) as many:
        page = officer.get("/ho-so/lich-hen/").content.decode()
    assert page.count("Tiếp nhận tại nhà") == 5
    assert len(many) == len(few)


def test_the_queue_leads_a_desk_officer_to_the_days_appointments(desks: Desks) -> None:
    queue = client_for(desks.setup.officer).get("/ho-so/").content.decode()
    assert '<a href="/ho-so/lich-hen/">Lịch hẹn trong ngày</a>' in queue
