"""Administrators edit the overlay in the Django admin; each edit lands in the change log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from motcua.audit.models import ObjectChange
from motcua.workcalendar.models import CalendarEntry

pytestmark = pytest.mark.django_db


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "date": "2099-09-04",
        "kind": "day_off",
        "name": "Ngày nghỉ (thay cho ngày 12/09/2099)",
        "document": "Công văn 1/VPCP-KGVX",
        "status": "confirmed",
        "note": "",
        "unit": "",
        "reason": "",
    }
    data.update(overrides)
    return data


def test_admin_add_writes_change_log(admin_client, admin_user):
    response = admin_client.post(reverse("admin:workcalendar_calendarentry_add"), _form())
    assert response.status_code == 302, response.content
    entry = CalendarEntry.objects.get(date=dt.date(2099, 9, 4))
    change = ObjectChange.objects.get(object_id=str(entry.pk))
    assert change.action == "create"
    assert change.actor == admin_user and change.source == "admin"
    assert (change.after or {})["document"] == "Công văn 1/VPCP-KGVX"
    assert change.before is None


def test_admin_change_writes_before_and_after(admin_client):
    admin_client.post(reverse("admin:workcalendar_calendarentry_add"), _form())
    entry = CalendarEntry.objects.get(date=dt.date(2099, 9, 4))
    url = reverse("admin:workcalendar_calendarentry_change", args=[entry.pk])
    response = admin_client.post(url, _form(document="Công văn 2/VPCP-KGVX"))
    assert response.status_code == 302
    change = ObjectChange.objects.get(object_id=str(entry.pk), action="update")
    assert (change.before or {})["document"] == "Công văn 1/VPCP-KGVX"
    assert (change.after or {})["document"] == "Công văn 2/VPCP-KGVX"


def test_admin_edit_of_past_date_requires_reason(admin_client):
    entry = CalendarEntry.objects.get(date=dt.date(2024, 5, 4))
    url = reverse("admin:workcalendar_calendarentry_change", args=[entry.pk])
    data = _form(date="2024-05-04", kind="working_day", name=entry.name, document="CV sửa")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Phải ghi lý do" in response.content.decode()
    entry.refresh_from_db()
    assert entry.document != "CV sửa"
    response = admin_client.post(url, {**data, "reason": "sửa số văn bản"})
    assert response.status_code == 302
    change = ObjectChange.objects.get(object_id=str(entry.pk), action="update")
    assert change.reason == "sửa số văn bản"
    assert (change.after or {})["document"] == "CV sửa"


def test_admin_delete_logs_and_past_delete_needs_reason(admin_client):
    admin_client.post(reverse("admin:workcalendar_calendarentry_add"), _form())
    entry = CalendarEntry.objects.get(date=dt.date(2099, 9, 4))
    url = reverse("admin:workcalendar_calendarentry_delete", args=[entry.pk])
    assert "Lý do xoá" in admin_client.get(url).content.decode()
    response = admin_client.post(url, {"post": "yes", "reason": "nhập nhầm"})
    assert response.status_code == 302
    assert not CalendarEntry.objects.filter(pk=entry.pk).exists()
    change = ObjectChange.objects.get(object_id=str(entry.pk), action="delete")
    assert (change.before or {})["name"].startswith("Ngày nghỉ") and change.reason == "nhập nhầm"

    past = CalendarEntry.objects.get(date=dt.date(2024, 5, 4))
    url = reverse("admin:workcalendar_calendarentry_delete", args=[past.pk])
    admin_client.post(url, {"post": "yes"})
    assert CalendarEntry.objects.filter(pk=past.pk).exists()
    admin_client.post(url, {"post": "yes", "reason": "Chính phủ huỷ hoán đổi"})
    assert not CalendarEntry.objects.filter(pk=past.pk).exists()
    assert ObjectChange.objects.get(object_id=str(past.pk), action="delete").reason


def test_admin_working_hours_must_total_eight_hours(admin_client):
    url = reverse("admin:workcalendar_workinghours_add")
    data = {
        "unit": "",
        "valid_from": "",
        "valid_to": "",
        "morning_start": "07:30",
        "morning_end": "11:30",
        "afternoon_start": "13:30",
        "afternoon_end": "17:00",
        "document": "",
        "reason": "",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "8 giờ" in response.content.decode()
    response = admin_client.post(url, {**data, "afternoon_start": "13:00"})
    assert response.status_code == 302
    assert ObjectChange.objects.filter(action="create", source="admin").count() == 1


def test_admin_lists_load(admin_client):
    response = admin_client.get(reverse("admin:workcalendar_calendarentry_changelist"))
    assert response.status_code == 200
    assert "Công văn 2450/VPCP-KGVX" in response.content.decode()
    response = admin_client.get(reverse("admin:workcalendar_workinghours_changelist"))
    assert response.status_code == 200
