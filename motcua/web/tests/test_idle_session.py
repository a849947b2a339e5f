"""Officers are signed out after MOTCUA_SESSION_IDLE_MINUTES without a request (sliding);
applicants on the portal are not (motcua/lib/idle.py, docs/security.md)."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from motcua.lib import idle
from motcua.portal.auth import BACKEND
from motcua.portal.tests.account_helpers import applicant

START = 1_800_000_000.0


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.t = START
        monkeypatch.setattr(idle, "now", lambda: self.t)

    def advance(self, minutes: float) -> None:
        self.t += minutes * 60


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def officer_client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def test_default_is_thirty_minutes(settings: object) -> None:
    assert settings.MOTCUA_SESSION_IDLE_MINUTES == 30  # type: ignore[attr-defined]


def test_officer_signed_out_after_idle_time(people: dict, clock: Clock) -> None:
    client = officer_client(people["alice"])
    assert client.get("/don-vi/").status_code == 200
    clock.advance(30.5)
    response = client.get("/don-vi/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    assert not signed_in(client)
    # signing in again works
    client.force_login(people["alice"])
    assert client.get("/don-vi/").status_code == 200


def test_activity_slides_the_deadline(people: dict, clock: Clock) -> None:
    client = officer_client(people["alice"])
    assert client.get("/don-vi/").status_code == 200
    for _ in range(4):  # 4 × 20 minutes = 80 minutes signed in, never 30 idle
        clock.advance(20)
        assert client.get("/don-vi/").status_code == 200
    assert signed_in(client)
    assert client.session[idle.LAST_SEEN] == int(clock.t)
    clock.advance(29)
    assert client.get("/don-vi/").status_code == 200
    clock.advance(31)
    assert client.get("/don-vi/").status_code == 302


def test_last_seen_written_at_most_once_a_minute(people: dict, clock: Clock) -> None:
    client = officer_client(people["alice"])
    client.get("/don-vi/")
    first = client.session[idle.LAST_SEEN]
    clock.advance(0.5)
    client.get("/don-vi/")
    assert client.session[idle.LAST_SEEN] == first
    clock.advance(0.6)
    client.get("/don-vi/")
    assert client.session[idle.LAST_SEEN] == int(clock.t)


def test_configurable_and_off(people: dict, clock: Clock, settings: object) -> None:
    settings.MOTCUA_SESSION_IDLE_MINUTES = 5  # type: ignore[attr-defined]
    client = officer_client(people["alice"])
    client.get("/don-vi/")
    clock.advance(6)
    assert client.get("/don-vi/").status_code == 302
    settings.MOTCUA_SESSION_IDLE_MINUTES = 0  # type: ignore[attr-defined]
    client.force_login(people["alice"])
    client.get("/don-vi/")
    clock.advance(600)
    assert client.get("/don-vi/").status_code == 200


def test_applicant_keeps_the_session(db: None, clock: Clock) -> None:
    mai = applicant("Nguyễn Thị Mai", email="mai@example.vn")
    client = Client()
    client.force_login(mai, backend=BACKEND)
    assert client.get("/tai-khoan/").status_code == 200
    clock.advance(120)
    assert client.get("/tai-khoan/").status_code == 200
    assert signed_in(client)


def test_htmx_request_after_idle_time_loads_the_sign_in_page(people: dict, clock: Clock) -> None:
    client = officer_client(people["alice"])
    client.get("/don-vi/")
    clock.advance(31)
    response = client.get(
        "/don-vi/",
        headers={"hx-request": "true", "hx-current-url": "http://testserver/ho-so/?tab=cua-toi"},
    )
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/dang-nhap/?next=")
    assert response["HX-Redirect"] == "/dang-nhap/?next=/ho-so/%3Ftab%3Dcua-toi"
    assert not signed_in(client)
