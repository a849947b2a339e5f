"""Applicant accounts: registration, sign-in by e-mail or phone, officers kept out, e-ID hook."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from motcua.people.models import User
from motcua.portal.accounts import AccountError, register_applicant
from motcua.portal.identity import (
    IdentityProvider,
    VerifiedIdentity,
    parse_provider_setting,
    providers,
)
from motcua.portal.models import ApplicantProfile
from motcua.portal.tests.account_helpers import (
    Setup,
    applicant,
    client_for,
    media_fixture,  # noqa: F401 — the `media` fixture
    setup_fixture,  # noqa: F401 — the `setup` fixture
)

pytestmark = pytest.mark.django_db

REGISTER = "/tai-khoan/dang-ky/"
LOGIN = "/tai-khoan/dang-nhap/"
PASSWORD = "mot-mat-khau-du-dai-2025"


def register(client: Client, **fields: str) -> Any:
    data = {
        "full_name": "Phạm Văn Hùng",
        "email": "",
        "phone": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **fields,
    }
    return client.post(REGISTER, data)


def login(client: Client, identifier: str, password: str = PASSWORD) -> Any:
    return client.post(LOGIN, {"identifier": identifier, "password": password})


def test_urls_have_their_names() -> None:
    assert reverse("portal:register") == REGISTER
    assert reverse("portal:login") == LOGIN
    assert reverse("portal:logout") == "/tai-khoan/dang-xuat/"
    assert reverse("portal:account") == "/tai-khoan/"


def test_register_with_email_then_sign_in_with_it() -> None:
    client = Client()
    response = register(client, email="  Hung.Pham@Example.VN ")
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
    profile = ApplicantProfile.objects.select_related("user").get()
    assert profile.email == "hung.pham@example.vn" and profile.phone == ""
    assert profile.user.full_name == "Phạm Văn Hùng"
    assert profile.verified_via == "password" and profile.assurance_level == 1
    # Signed in straight away.
    assert client.get("/tai-khoan/").status_code == 200
    client.post("/tai-khoan/dang-xuat/")
    assert client.get("/tai-khoan/").status_code == 302
    # Sign in again, spelling the address differently.
    response = login(client, "HUNG.PHAM@example.vn")
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
    page = client.get("/tai-khoan/")
    assert "Hồ sơ của tôi" in page.content.decode()


def test_register_with_phone_then_sign_in_with_it() -> None:
    client = Client()
    assert register(client, phone="+84 912 345 678").status_code == 302
    profile = ApplicantProfile.objects.get()
    assert profile.phone == "0912345678" and profile.email == ""
    client.post("/tai-khoan/dang-xuat/")
    response = login(client, "0912.345.678")
    assert response.status_code == 302
    assert client.get("/tai-khoan/").status_code == 200
    # The backend answers for the phone, the wrong password answers nothing.
    assert authenticate(username="0912345678", password=PASSWORD) == profile.user
    assert authenticate(username="0912345678", password="sai-mat-khau") is None


def test_wrong_password_says_so_and_signs_nobody_in() -> None:
    applicant("Nguyễn Thị Mai", email="mai@example.vn")
    client = Client()
    response = login(client, "mai@example.vn", "sai-mat-khau")
    assert response.status_code == 400
    assert "mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_register_needs_a_contact_and_matching_passwords() -> None:
    client = Client()
    response = register(client)
    assert response.status_code == 400
    assert "ít nhất một" in response.content.decode()
    response = register(client, email="a@example.vn", password2="khac-mat-khau-2025")
    assert "Hai mật khẩu không giống nhau" in response.content.decode()
    response = register(client, phone="12345")
    assert "Số điện thoại không hợp lệ" in response.content.decode()
    assert not User.objects.exists()


def test_duplicate_email_or_phone_gets_a_clear_message() -> None:
    applicant("Nguyễn Thị Mai", email="mai@example.vn", phone="0912345678")
    client = Client()
    response = register(client, email="MAI@example.vn")
    assert response.status_code == 400
    assert "thư điện tử này đã được dùng" in response.content.decode()
    response = register(client, email="khac@example.vn", phone="0912 345 678")
    assert "Số điện thoại này đã được dùng" in response.content.decode()
    assert ApplicantProfile.objects.count() == 1


def test_names_are_stored_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn  Thị   Ánh")
    assert register(Client(), full_name=decomposed, email="anh@example.vn").status_code == 302
    user = ApplicantProfile.objects.get().user
    assert user.full_name == "Nguyễn Thị Ánh"
    assert unicodedata.is_normalized("NFC", user.full_name)


def test_registration_keeps_the_optional_id_number_and_address() -> None:
    client = Client()
    page = client.get(REGISTER).content.decode()
    assert 'name="id_number"' in page and 'name="address"' in page
    address = unicodedata.normalize("NFD", "Ấp 3,  xã Mỹ An")
    response = register(
        client, email="hung@example.vn", id_number="087 095 001234", address=address
    )
    assert response.status_code == 302
    profile = ApplicantProfile.objects.get()
    assert (profile.id_number, profile.address) == ("087095001234", "Ấp 3, xã Mỹ An")
    # Both are optional.
    assert register(Client(), full_name="Lê Thị Hoa", email="hoa@example.vn").status_code == 302
    hoa = ApplicantProfile.objects.get(email="hoa@example.vn")
    assert (hoa.id_number, hoa.address) == ("", "")


@pytest.mark.parametrize("value", ["12345", "0870950012345", "08709500123A", "০৮৭০৯৫০০১২৩৪"])
def test_a_malformed_id_number_is_refused_at_registration(value: str) -> None:
    response = register(Client(), email="hung@example.vn", id_number=value)
    assert response.status_code == 400
    assert "Số định danh cá nhân gồm đúng 12 chữ số." in response.content.decode()
    assert not User.objects.exists()
    with pytest.raises(AccountError) as err:
        register_applicant(
            full_name="Phạm Văn Hùng", password=PASSWORD, email="h@example.vn", id_number=value
        )
    assert err.value.field == "id_number"
    assert not User.objects.exists()


def test_the_registered_id_number_and_address_prefill_the_dossier_form(setup: Setup) -> None:
    client = Client()
    register(
        client,
        full_name="Phạm Văn Hùng",
        email="hung@example.vn",
        id_number="087095001234",
        address="Ấp 3, xã Tháp Mười",
    )
    page = client.get(f"/nop-ho-so/{setup.procedure.code}/").content.decode()
    assert 'value="Phạm Văn Hùng"' in page
    assert 'name="id_number" value="087095001234"' in page
    assert 'name="address" value="Ấp 3, xã Tháp Mười"' in page


def test_officers_cannot_sign_in_to_the_portal_nor_be_found_by_phone(people: dict) -> None:
    alice = people["alice"]
    alice.phone = "0911111111"
    alice.email = "alice@example.vn"
    alice.save()
    # The applicant backend never answers for an officer's phone or e-mail.
    assert authenticate(username="0911111111", password="pw-alice") is None
    assert authenticate(username="alice@example.vn", password="pw-alice") is None
    # Her user name and password are right, but the portal is for applicants.
    client = Client()
    response = login(client, "alice", "pw-alice")
    assert response.status_code == 400
    assert "tài khoản cán bộ" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Signed in through the officer page, the applicant pages refuse her.
    officer = client_for(alice)
    response = officer.get("/tai-khoan/")
    assert response.status_code == 403
    assert "chỉ dành cho tài khoản công dân" in response.content.decode()


def test_applicant_pages_send_anonymous_visitors_to_sign_in() -> None:
    response = Client().get("/tai-khoan/")
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/dang-nhap/?next=/tai-khoan/"


def test_sign_in_goes_back_to_a_local_page_only() -> None:
    applicant("Nguyễn Thị Mai", email="mai@example.vn")
    client = Client()
    data = {"identifier": "mai@example.vn", "password": "mat-khau-mai-2025"}
    response = client.post(LOGIN, {**data, "next": "/nop-ho-so/1.000893/"})
    assert response["Location"] == "/nop-ho-so/1.000893/"
    client = Client()
    response = client.post(LOGIN, {**data, "next": "https://evil.example/"})
    assert response["Location"] == "/tai-khoan/"


def test_logout_is_post_only() -> None:
    client = client_for(applicant("Nguyễn Thị Mai", email="mai@example.vn"))
    assert client.get("/tai-khoan/dang-xuat/").status_code == 405
    assert client.get("/tai-khoan/").status_code == 200


# -- the identity-provider interface -----------------------------------------------------------


class StubProvider:
    """A stand-in for an external identity provider (the real e-ID client plugs in alike)."""

    name = "stub"
    label = "Nhà cung cấp thử"

    def authorization_url(self, request: HttpRequest) -> str:
        return "https://id.example/authorize?state=abc"

    def complete(self, request: HttpRequest) -> VerifiedIdentity:
        from motcua.portal.identity import IdentityError

        if request.GET.get("code") != "ok":
            raise IdentityError("Đăng nhập không thành công.")
        return VerifiedIdentity(
            provider="stub",
            subject="subject-42",
            full_name="Lê Văn Tám",
            id_number="087090000042",
            phone="0987654321",
            level=2,
        )


STUB = "stub=motcua.portal.tests.test_accounts.StubProvider"


def test_provider_setting_is_parsed_and_loaded(settings: Any) -> None:
    assert parse_provider_setting(["password", "x=a.b.C"]) == {
        "password": "motcua.portal.identity.PasswordProvider",
        "x": "a.b.C",
    }
    settings.MOTCUA_IDENTITY_PROVIDERS = ["password", STUB]
    loaded = providers()
    assert list(loaded) == ["password", "stub"]
    assert all(isinstance(p, IdentityProvider) for p in loaded.values())


def test_an_external_identity_signs_in_and_creates_the_account_once(settings: Any) -> None:
    settings.MOTCUA_IDENTITY_PROVIDERS = ["password", STUB]
    client = Client()
    page = client.get(LOGIN)
    assert "Nhà cung cấp thử" in page.content.decode()
    start = client.get("/tai-khoan/dang-nhap/stub/?next=/tai-khoan/")
    assert start.status_code == 302 and start["Location"].startswith("https://id.example/")
    failed = client.get("/tai-khoan/dang-nhap/stub/xong/?code=bad")
    assert failed.status_code == 302 and failed["Location"] == LOGIN
    assert not User.objects.exists()
    done = client.get("/tai-khoan/dang-nhap/stub/xong/?code=ok")
    assert done.status_code == 302 and done["Location"] == "/tai-khoan/"
    profile = ApplicantProfile.objects.select_related("user").get()
    assert (profile.verified_via, profile.e_id_subject, profile.assurance_level) == (
        "stub",
        "subject-42",
        2,
    )
    assert profile.user.full_name == "Lê Văn Tám" and profile.id_number == "087090000042"
    assert not profile.user.has_usable_password()
    # The second sign-in finds the same account.
    other = Client()
    other.get("/tai-khoan/dang-nhap/stub/xong/?code=ok")
    assert ApplicantProfile.objects.count() == 1
    assert other.get("/tai-khoan/").status_code == 200
    # Unknown providers and the password provider have no redirect route.
    assert client.get("/tai-khoan/dang-nhap/vneid/").status_code == 404
    assert client.get("/tai-khoan/dang-nhap/password/xong/").status_code == 404


def test_without_the_password_provider_nobody_registers(settings: Any) -> None:
    settings.MOTCUA_IDENTITY_PROVIDERS = [STUB]
    client = Client()
    assert client.get(REGISTER).status_code == 404
    assert register(client, email="a@example.vn").status_code == 404
    assert not User.objects.exists()


def test_demo_applicant_signs_in_by_user_name_email_or_phone() -> None:
    from motcua.demo.portal import build_portal_demo

    first = build_portal_demo(password="motcua-demo")
    again = build_portal_demo(password="motcua-demo")
    assert first["created"] and not again["created"]
    assert ApplicantProfile.objects.filter(user__username="congdan").count() == 1
    for identifier in ("congdan", "congdan@demo.motcua.invalid", "0900000001"):
        client = Client()
        response = login(client, identifier, "motcua-demo")
        assert response.status_code == 302, identifier
        assert client.get("/tai-khoan/").status_code == 200


def test_sign_in_attempts_are_rate_limited_per_address() -> None:
    from django.core.cache import cache

    from motcua.portal.account_views import SIGN_IN_LIMIT

    cache.clear()
    try:
        applicant("Nguyễn Thị Mai", email="mai@example.vn")
        client = Client(REMOTE_ADDR="203.0.113.7")
        # many accounts from one address (each account has its own budget too)
        for i in range(SIGN_IN_LIMIT.count):
            assert login(client, f"nguoi{i}@example.vn", "doan-mo").status_code == 400
        blocked = login(client, "mai@example.vn", "mat-khau-mai-2025")
        assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0
        assert "quá nhiều lần" in blocked.content.decode()
        assert "_auth_user_id" not in client.session
        # Another address is not affected.
        other = Client(REMOTE_ADDR="203.0.113.8")
        assert login(other, "mai@example.vn", "mat-khau-mai-2025").status_code == 302
    finally:
        cache.clear()


def test_wrong_passwords_from_many_addresses_lock_the_citizen_account(settings: Any) -> None:
    settings.MOTCUA_SIGN_IN_ACCOUNT_FAILURES = 3
    settings.MOTCUA_SIGN_IN_ACCOUNT_WINDOW = 10**9
    applicant("Nguyễn Thị Mai", email="mai@example.vn")
    for i in range(3):
        client = Client(REMOTE_ADDR=f"198.51.100.{i}")
        assert login(client, "mai@example.vn", "doan-mo").status_code == 400
    locked = login(Client(REMOTE_ADDR="192.0.2.7"), "MAI@example.vn", "mat-khau-mai-2025")
    assert locked.status_code == 429
    assert "Tài khoản này đã đăng nhập sai quá nhiều lần" in locked.content.decode()
