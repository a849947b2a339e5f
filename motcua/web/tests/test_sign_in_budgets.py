"""Sign-in budgets: per account whatever the address, the admin sign-in, trusted proxies."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.lib.proxies import parse_trusted_proxies
from motcua.people.models import User


@pytest.fixture
def _small_budgets(settings: Any) -> None:
    settings.MOTCUA_SIGN_IN_ACCOUNT_FAILURES = 3
    settings.MOTCUA_SIGN_IN_ACCOUNT_WINDOW = 10**9


@pytest.mark.usefixtures("_small_budgets")
def test_wrong_passwords_from_many_addresses_lock_the_account(people: dict) -> None:
    for i in range(3):  # a botnet: every try from a fresh address
        wrong = Client(REMOTE_ADDR=f"198.51.100.{i}").post(
            "/dang-nhap/", {"username": "alice", "password": "nope"}
        )
        assert wrong.status_code == 200
    locked = Client(REMOTE_ADDR="198.51.100.99").post(
        "/dang-nhap/", {"username": "ALICE ", "password": "pw-alice"}
    )
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    assert "Tài khoản này đã đăng nhập sai quá nhiều lần" in locked.content.decode()
    # another account is not affected; an unknown name is counted like a real one
    assert (
        Client().post("/dang-nhap/", {"username": "bob", "password": "pw-bob"}).status_code == 302
    )
    for _ in range(3):
        Client().post("/dang-nhap/", {"username": "nobody", "password": "x"})
    unknown = Client().post("/dang-nhap/", {"username": "nobody", "password": "x"})
    assert unknown.status_code == 429


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser("root", "root@example.vn", "pw-root-123")


def test_admin_sign_in_is_limited_per_address(superuser: User) -> None:
    from motcua.web.admin_login import ADMIN_SIGN_IN_LIMIT

    client = Client(REMOTE_ADDR="203.0.113.5")
    for i in range(ADMIN_SIGN_IN_LIMIT.count):
        response = client.post("/admin/login/", {"username": f"u{i}", "password": "nope"})
        assert response.status_code == 200
    refused = client.post("/admin/login/", {"username": "root", "password": "pw-root-123"})
    assert refused.status_code == 429 and "Quá nhiều lần đăng nhập" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    other = Client(REMOTE_ADDR="203.0.113.6")
    signed_in = other.post("/admin/login/", {"username": "root", "password": "pw-root-123"})
    assert signed_in.status_code == 302
    assert other.get("/admin/").status_code == 200


@pytest.mark.usefixtures("_small_budgets")
def test_admin_and_officer_sign_in_share_the_account_budget(superuser: User) -> None:
    for i in range(2):
        Client(REMOTE_ADDR=f"192.0.2.{i}").post(
            "/admin/login/", {"username": "root", "password": "nope"}
        )
    Client().post("/dang-nhap/", {"username": "root", "password": "nope"})
    refused = Client().post("/admin/login/", {"username": "root", "password": "pw-root-123"})
    assert refused.status_code == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(people: dict, settings: Any) -> None:
    from motcua.web.views import SIGN_IN_LIMIT

    settings.MOTCUA_TRUSTED_PROXIES = parse_trusted_proxies("10.0.0.1")
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for i in range(SIGN_IN_LIMIT.count):
        proxy.post(
            "/dang-nhap/",
            {"username": f"user{i}", "password": "x"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    attacker = proxy.post(
        "/dang-nhap/", {"username": "u", "password": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert attacker.status_code == 429
    # A forged left-hand entry does not give the attacker a fresh budget…
    forged = proxy.post(
        "/dang-nhap/",
        {"username": "u", "password": "x"},
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7",
    )
    assert forged.status_code == 429
    # …and another citizen behind the same proxy is not locked out by him.
    alice = proxy.post(
        "/dang-nhap/",
        {"username": "alice", "password": "pw-alice"},
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert alice.status_code == 302


def test_a_direct_peer_cannot_rotate_forwarded_for(people: dict, settings: Any) -> None:
    from motcua.web.views import SIGN_IN_LIMIT

    settings.MOTCUA_TRUSTED_PROXIES = parse_trusted_proxies("10.0.0.1")
    client = Client(REMOTE_ADDR="198.51.100.9")
    for i in range(SIGN_IN_LIMIT.count + 1):
        response = client.post(
            "/dang-nhap/",
            {"username": f"user{i}", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
    assert response.status_code == 429
