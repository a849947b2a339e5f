"""Instants typed the Vietnamese way, units by name, and the checklists of the action forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from motcua.conftest import Province
from motcua.dossiers.forms import DUE, InstantField, action_form
from motcua.dossiers.models import ClockPause, Dossier
from motcua.dossiers.tests.factories import local
from motcua.dossiers.tests.test_api import in_progress, procedure  # noqa: F401
from motcua.workcalendar.inputs import parse_local_instant


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15/12/2026 16:00", local(2026, 12, 15, 16)),
        ("5/1/2026 7:05", local(2026, 1, 5, 7, 5)),
        ("15/12/2026 16h00", local(2026, 12, 15, 16)),
        ("  15/12/2026   16:00 ", local(2026, 12, 15, 16)),
        ("2026-12-15T16:00", local(2026, 12, 15, 16)),  # ISO still read (API, old links)
        ("2026-12-15T09:00+00:00", local(2026, 12, 15, 16)),
    ],
)
def test_instants_are_read_the_vietnamese_way(typed: str, expected: dt.datetime) -> None:
    assert InstantField(required=False).clean(typed) == expected
    assert parse_local_instant(typed, date_only=dt.time(0)) == expected


@pytest.mark.parametrize("typed", ["31/02/2026 10:00", "15/13/2026", "15/12/2026 24:00", "mai"])
def test_impossible_instants_are_refused_naming_the_expected_form(typed: str) -> None:
    form = action_form("resume")({"at": typed})
    assert not form.is_valid()
    [message] = form.errors["at"]
    assert f"“{typed}” không phải thời điểm hợp lệ" in message
    assert "ngày/tháng/năm giờ:phút, ví dụ 15/12/2026 16:00" in message


def test_a_date_alone_takes_a_sensible_time() -> None:
    assert InstantField(date_only=DUE).clean("15/12/2026") == local(2026, 12, 15, 17)
    assert InstantField().clean("15/12/2025") == local(2025, 12, 15, 7)  # start of office hours
    now = timezone.localtime()
    today = InstantField().clean(f"{now:%d/%m/%Y}")
    assert today is not None and abs(today - now) < dt.timedelta(minutes=2)


def test_the_instant_box_shows_the_vietnamese_form_and_a_placeholder() -> None:
    form = action_form("issue_apology")(initial={"new_due": local(2026, 12, 15, 16)})
    html = str(form["new_due"])
    assert 'value="15/12/2026 16:00"' in html
    assert 'placeholder="dd/mm/yyyy hh:mm"' in html and 'data-picker="datetime"' in html
    assert 'type="text"' in html  # a plain text box without JavaScript


def test_actions_take_vietnamese_instants_and_unit_names(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = in_progress(people, province, procedure)
    dana = signed_in(people["dana"])
    response = dana.post(
        f"/ho-so/{d.code}/thao-tac/transfer/",
        {"to_unit": "uy ban nhan dan xa my an", "at": "03/03/2025 10:30"},
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.current_unit == province.commune_a
    assert d.events.last().at == local(2025, 3, 3, 10, 30)  # type: ignore[union-attr]
    wrong = dana.post(f"/ho-so/{d.code}/thao-tac/transfer/", {"to_unit": "Xã Không Có"})
    assert wrong.status_code == 400
    assert "không tìm thấy đơn vị “Xã Không Có”" in wrong.content.decode()


def test_the_transfer_form_asks_for_a_unit_by_name(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = in_progress(people, province, procedure)
    page = signed_in(people["dana"]).get(f"/ho-so/{d.code}/").content.decode()
    assert "Chuyển đến đơn vị" in page and "Chuyển đến đơn vị (mã)" not in page
    assert 'list="units-in-scope"' in page
    assert "Đơn vị chậm (mã)" not in page and "Cơ quan giải quyết (mã" not in page


def test_the_supplement_request_offers_the_components_as_tick_boxes(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    procedure.components.create(order=2, name="Giấy chứng sinh", originals=1)
    d = in_progress(people, province, procedure)
    dana = signed_in(people["dana"])
    page = dana.get(f"/ho-so/{d.code}/").content.decode()
    assert '<input type="checkbox" name="muc" value="Giấy chứng sinh">' in page
    response = dana.post(
        f"/ho-so/{d.code}/thao-tac/request-supplement/",
        {
            "muc": ["Giấy chứng sinh", "Không thuộc danh sách"],
            "items": "Bản sao sổ hộ khẩu\n",
            "reason": "Thiếu giấy tờ",
            "at": "04/03/2025 09:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    pause = ClockPause.objects.get(dossier=d)
    # Ticked names first, then the free lines; a name not offered is ignored.
    assert pause.items == ["Giấy chứng sinh", "Bản sao sổ hộ khẩu"]
    assert pause.opened_at == local(2025, 3, 4, 9)


def test_a_supplement_request_with_nothing_ticked_or_written_is_refused(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = in_progress(people, province, procedure)
    response = signed_in(people["dana"]).post(
        f"/ho-so/{d.code}/thao-tac/request-supplement/", {"reason": "Thiếu"}
    )
    assert response.status_code == 400
    assert not ClockPause.objects.filter(dossier=d).exists()


def test_the_apology_date_defaults_to_the_due_date_plus_one_working_day(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = in_progress(people, province, procedure)
    page = signed_in(people["dana"]).get(f"/ho-so/{d.code}/").content.decode()
    # Received Mon 03/03/2025 09:00, 10 working days: due Mon 17/03/2025 09:00. The page
    # is read today, after that: one working day after now is suggested instead.
    assert Dossier.objects.get(pk=d.pk).promised_due == local(2025, 3, 17, 9)
    assert 'name="new_due" value="' in page
    value = page.split('name="new_due" value="', 1)[1].split('"', 1)[0]
    suggested = parse_local_instant(value)
    now = timezone.now()
    assert now < suggested < now + dt.timedelta(days=5)


def test_the_apology_date_follows_a_due_date_still_ahead(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    from motcua.dossiers.action_extras import apology_due
    from motcua.workcalendar.selectors import get_calendar

    calendar = get_calendar(province.commune_a)
    due = local(2025, 3, 14, 9)  # a Friday
    assert apology_due(due, calendar, local(2025, 3, 10, 9)) == local(2025, 3, 17, 9)
