"""Second factor (TOTP): enrolment, the code after the password, the staff setting, reset."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.audit.models import ObjectChange
from motcua.people.models import User


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the phone shows now (or `steps_ahead` periods later)."""
    device.refresh_from_db()
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{value:06d}"


def sign_in(client: Client, username: str) -> None:
    response = client.post("/dang-nhap/", {"username": username, "password": f"pw-{username}"})
    assert response.status_code == 302, response.content[:300]


def enrolled(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="motcua", confirmed=True)


def test_an_officer_enrols_with_the_qr_code_and_a_code(people: dict) -> None:
    alice = people["alice"]
    client = Client()
    sign_in(client, "alice")
    assert client.get("/ho-so/").status_code == 200  # optional: nothing asked yet
    page = client.get("/xac-thuc-hai-lop/")
    html = page.content.decode()
    assert page.status_code == 200 and 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    secret = re.search(r'<code class="code">([A-Z2-7 ]+)</code>', html)
    assert secret is not None
    import base64

    assert base64.b32decode(secret.group(1).replace(" ", "")) == device.bin_key
    wrong = client.post("/xac-thuc-hai-lop/", {"ma": "000000" if code(device) != "000000" else "1"})
    assert wrong.status_code == 400 and "Mã xác thực không đúng" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=alice, confirmed=True).exists()
    done = client.post("/xac-thuc-hai-lop/", {"ma": code(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    log = ObjectChange.objects.get(object_id=str(alice.pk), after={"totp": True})
    assert log.actor == alice and log.reason == "Bật xác thực hai lớp"
    # the session that enrolled stays usable
    assert client.get("/ho-so/").status_code == 200


def test_sign_in_asks_for_the_code_after_the_password(people: dict) -> None:
    device = enrolled(people["alice"])
    client = Client()
    sign_in(client, "alice")
    gated = client.get("/ho-so/")
    assert gated.status_code == 302
    assert gated["Location"] == "/dang-nhap/ma-xac-thuc/?next=%2Fho-so%2F"
    assert client.get("/api/v1/dossiers/").status_code == 403
    page = client.get(gated["Location"])
    assert 'autocomplete="one-time-code"' in page.content.decode()
    wrong = client.post("/dang-nhap/ma-xac-thuc/", {"ma": "12345x", "next": "/ho-so/"})
    assert wrong.status_code == 400 and "Mã xác thực không đúng" in wrong.content.decode()
    right = code(device)
    ok = client.post("/dang-nhap/ma-xac-thuc/", {"ma": right, "next": "/ho-so/"})
    assert ok.status_code == 302 and ok["Location"] == "/ho-so/"
    assert client.get("/ho-so/").status_code == 200
    # the same code cannot be used a second time (another session, same minute)
    thief = Client()
    sign_in(thief, "alice")
    replay = thief.post("/dang-nhap/ma-xac-thuc/", {"ma": right})
    assert replay.status_code == 400
    assert thief.get("/ho-so/").status_code == 302
    # officers without a device are not asked
    other = Client()
    sign_in(other, "bob")
    assert other.get("/ho-so/").status_code == 200


@pytest.fixture
def root(db: None) -> User:
    return User.objects.create_superuser("root", "root@example.vn", "pw-root")


def test_admin_sign_in_honours_the_second_factor(root: User) -> None:
    device = enrolled(root)
    client = Client()
    signed = client.post("/admin/login/?next=/admin/", {"username": "root", "password": "pw-root"})
    assert signed.status_code == 302
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/")["Location"].startswith("/dang-nhap/ma-xac-thuc/")
    client.post("/dang-nhap/ma-xac-thuc/", {"ma": code(device)})
    assert client.get("/admin/").status_code == 200


def test_the_setting_makes_staff_enrol_before_anything_else(
    root: User, people: dict, settings: Any
) -> None:
    settings.MOTCUA_REQUIRE_TOTP_FOR_STAFF = True
    client = Client()
    client.post("/admin/login/", {"username": "root", "password": "pw-root"})
    sent = client.get("/admin/")
    assert sent.status_code == 302 and sent["Location"].startswith("/xac-thuc-hai-lop/")
    page = client.get("/xac-thuc-hai-lop/").content.decode()
    assert "Tài khoản quản trị phải bật xác thực hai lớp" in page
    device = TOTPDevice.objects.get(user=root, confirmed=False)
    client.post("/xac-thuc-hai-lop/", {"ma": code(device)})
    assert client.get("/admin/").status_code == 200
    # an officer who is not an admin user stays optional
    officer = Client()
    sign_in(officer, "alice")
    assert officer.get("/ho-so/").status_code == 200


def test_an_administrator_resets_a_lost_device_and_it_is_logged(root: User, people: dict) -> None:
    alice = people["alice"]
    enrolled(alice)
    admin = Client()
    admin.force_login(root)
    response = admin.post(
        "/admin/people/user/",
        {"action": "reset_totp", "_selected_action": [alice.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()
    log = ObjectChange.objects.get(object_id=str(alice.pk), after={"totp": False})
    assert log.actor == root and log.source == "admin"
    client = Client()
    sign_in(client, "alice")
    assert client.get("/ho-so/").status_code == 200  # no code asked any more


def test_right_after_a_wrong_code_the_next_is_not_even_checked(people: dict) -> None:
    device = enrolled(people["alice"])
    client = Client()
    sign_in(client, "alice")
    right = code(device)
    wrong = f"{(int(right) + 500000) % 1000000:06d}"
    assert client.post("/dang-nhap/ma-xac-thuc/", {"ma": wrong}).status_code == 400
    held = client.post("/dang-nhap/ma-xac-thuc/", {"ma": right})
    assert held.status_code == 429 and "hãy chờ vài giây" in held.content.decode()
    assert client.get("/ho-so/").status_code == 302  # still not through
