"""/api/v1/calendar/: days of a year and due instants, with field-level errors."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from motcua.people.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.create_user("canbo", password="x-very-long-pw"))
    return client


def test_due_returns_the_instant(api):
    response = api.get(
        "/api/v1/calendar/due/",
        {"start": "2024-02-07T09:00", "amount": "1", "unit": "working_days"},
    )
    assert response.status_code == 200
    assert response.json()["due"] == "2024-02-15T09:00:00+07:00"
    assert response.json()["explanation"] == []


def test_due_with_pauses_and_explanation(api):
    response = api.get(
        "/api/v1/calendar/due/",
        {
            "start": "2025-04-01T08:00",
            "amount": "15",
            "unit": "working_days",
            "pause": ["2025-04-03T15:00/2025-04-08T09:00", "2025-04-22T14:00/2025-04-25T10:00"],
            "explain": "1",
        },
    )
    body = response.json()
    assert body["due"] == "2025-04-28T10:00:00+07:00"
    assert any("Ngày Giỗ Tổ Hùng Vương" in line for line in body["explanation"])


def test_due_paused_now_returns_remaining(api):
    response = api.get(
        "/api/v1/calendar/due/",
        {
            "start": "2025-03-03T09:00",
            "amount": "10",
            "unit": "working_days",
            "pause": "2025-03-05T10:00/",
        },
    )
    body = response.json()
    assert body["due"] is None and body["paused"] is True
    assert body["remaining_minutes"] == 3780


def test_due_same_day_with_cutoff(api):
    response = api.get(
        "/api/v1/calendar/due/",
        {"start": "2025-04-29T15:30", "unit": "same_day", "cutoff": "15:00"},
    )
    assert response.json()["due"] == "2025-05-05T17:00:00+07:00"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2024-13-01", "amount": "1", "unit": "working_days"}, "start"),
        ({"amount": "1", "unit": "working_days"}, "start"),
        ({"start": "2024-02-07T09:00", "amount": "-1", "unit": "working_days"}, "amount"),
        ({"start": "2024-02-07T09:00", "unit": "working_days"}, "amount"),
        ({"start": "2024-02-07T09:00", "amount": "1", "unit": "weeks"}, "unit"),
        (
            {"start": "2024-02-07T09:00", "amount": "1", "unit": "working_days", "pause": "x"},
            "pause",
        ),
        ({"start": "2024-02-07T09:00", "unit": "same_day", "cutoff": "3pm"}, "cutoff"),
        (
            {
                "start": "2024-02-07T09:00",
                "amount": "1",
                "unit": "working_days",
                "unit_code": "NOPE",
            },
            "unit_code",
        ),
    ],
)
def test_due_bad_input_is_a_field_level_400(api, params, field):
    response = api.get("/api/v1/calendar/due/", params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_days_of_2026(api):
    response = api.get("/api/v1/calendar/days/", {"year": "2026"})
    assert response.status_code == 200
    days = {d["date"]: d for d in response.json()}
    assert len(days) == 14
    assert days["2026-04-27"]["kind_label"] == "Nghỉ bù"
    assert days["2026-08-22"]["working"] is True and days["2026-08-22"]["unconfirmed"] is True
    assert days["2026-11-24"]["name"] == "Ngày Văn hóa Việt Nam"
    assert days["2026-01-01"]["weekday"] == "Thứ Năm"


def test_days_bad_year_and_unknown_unit(api):
    assert list(api.get("/api/v1/calendar/days/", {"year": "x"}).json()) == ["year"]
    response = api.get("/api/v1/calendar/days/", {"year": "2026", "unit": "NOPE"})
    assert response.status_code == 400 and list(response.json()) == ["unit"]


def test_anonymous_is_refused():
    client = APIClient()
    response = client.get("/api/v1/calendar/days/", {"year": "2026"})
    assert response.status_code in (401, 403)
    response = client.get(
        "/api/v1/calendar/due/",
        {"start": "2024-02-07T09:00", "amount": "1", "unit": "working_days"},
    )
    assert response.status_code in (401, 403)


def test_schema_generates_without_warnings(capsys):
    from django.core.management import call_command

    call_command(
        "spectacular",
        "--urlconf",
        "motcua.workcalendar.tests.api_urls",
        "--fail-on-warn",
        "--validate",
        "--file",
        "/dev/null",
    )
    assert "Warning" not in capsys.readouterr().err
