"""Public portal pages under attack: other scripts' digits, IPv6 rotation, CSRF, next=."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from motcua.conftest import Province
from motcua.dossiers.models import Dossier, DossierRating
from motcua.dossiers.tokens import rating_token
from motcua.portal.selectors import find_dossier_for_lookup
from motcua.portal.tests.account_helpers import applicant
from motcua.portal.tests.lookup_helpers import procedure_for, received, returned, without_csrf

CODE = "C1-250303-0001"
UNKNOWN = "C1-250303-9999"
# "1234" in Arabic-Indic digits: Python's `\d` matches them, `hmac.compare_digest` refuses them.
ARABIC_1234 = "\u0661\u0662\u0663\u0664"
# A window so long that no test run crosses its boundary.
FOREVER = 10**9


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Rate-limit counters live in the cache: every test starts with none used."""
    cache.clear()


@pytest.fixture
def dossier(people: dict, province: Province) -> Dossier:
    return received(people, province, procedure_for(province))


@pytest.mark.parametrize("path", ["/tra-cuu/", "/danh-gia/"])
def test_digits_of_another_script_answer_like_an_unknown_code(
    client: Client, dossier: Dossier, path: str
) -> None:
    known = client.post(path, {"ma": CODE, "so": ARABIC_1234})
    unknown = client.post(path, {"ma": UNKNOWN, "so": ARABIC_1234})
    # Before the fix the known code crashed (500) and the unknown one answered: an oracle.
    assert known.status_code == unknown.status_code == 400
    same_form = without_csrf(unknown.content.decode()).replace(UNKNOWN, CODE)
    assert without_csrf(known.content.decode()) == same_form
    assert find_dossier_for_lookup(CODE, ARABIC_1234) is None


def test_a_number_stored_with_other_digits_answers_like_an_unknown_code(
    client: Client, dossier: Dossier
) -> None:
    # A number typed at the desk with another script's digits; only its ID number is ASCII.
    Dossier.objects.filter(pk=dossier.pk).update(applicant_phone="0912" + ARABIC_1234)
    wrong = client.post("/tra-cuu/", {"ma": CODE, "so": "0000"})
    unknown = client.post("/tra-cuu/", {"ma": UNKNOWN, "so": "0000"})
    assert wrong.status_code == unknown.status_code == 404
    # The ASCII ID number still opens the dossier.
    assert client.post("/tra-cuu/", {"ma": CODE, "so": "1234"}).status_code == 200


def test_ipv6_addresses_of_one_network_share_the_limit(
    client: Client, dossier: Dossier, settings
) -> None:
    settings.MOTCUA_LOOKUP_RATE_COUNT = 3
    settings.MOTCUA_LOOKUP_RATE_WINDOW = FOREVER
    for host in (1, 2, 3):
        address = f"2001:db8:aa:bb::{host}"
        response = client.post("/tra-cuu/", {"ma": CODE, "so": "0000"}, REMOTE_ADDR=address)
        assert response.status_code == 404
    # A fresh address of the same /64 is the same subscriber: held back.
    rotated = "2001:db8:aa:bb:ffff:ffff:ffff:fffe"
    response = client.post("/tra-cuu/", {"ma": CODE, "so": "5678"}, REMOTE_ADDR=rotated)
    assert response.status_code == 429
    # Another /64 (another subscriber) and IPv4 clients are not.
    other = client.post("/tra-cuu/", {"ma": CODE, "so": "5678"}, REMOTE_ADDR="2001:db8:aa:bc::1")
    assert other.status_code == 200
    ipv4 = client.post("/tra-cuu/", {"ma": CODE, "so": "5678"}, REMOTE_ADDR="10.0.0.9")
    assert ipv4.status_code == 200


def test_an_ipv4_mapped_address_counts_as_its_ipv4_address(
    client: Client, dossier: Dossier, settings
) -> None:
    settings.MOTCUA_LOOKUP_RATE_COUNT = 2
    settings.MOTCUA_LOOKUP_RATE_WINDOW = FOREVER
    for address in ("10.0.0.7", "::ffff:10.0.0.7"):
        response = client.post("/tra-cuu/", {"ma": CODE, "so": "0000"}, REMOTE_ADDR=address)
        assert response.status_code == 404
    response = client.post("/tra-cuu/", {"ma": CODE, "so": "5678"}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 429


# -- regression guards: cross-site posts and where sign-in sends the browser -------------------


def test_a_rating_post_without_a_csrf_token_is_refused(people: dict, province: Province) -> None:
    dossier = returned(people, province, procedure_for(province))
    token = rating_token(dossier)
    forged = Client(enforce_csrf_checks=True)
    for url in ("/danh-gia/", f"/danh-gia/{token}/"):
        assert forged.post(url, {"token": token, "satisfied": "0"}).status_code == 403
    assert not DossierRating.objects.filter(dossier=dossier).exists()


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "https:evil.example",
        "http://evil.example@testserver.evil.example/",
        "javascript:alert(1)",
        " //evil.example",
    ],
)
def test_sign_in_never_sends_the_browser_off_site(db: None, target: str) -> None:
    applicant("Nguyễn Thị Mai", email="mai@example.vn")
    data = {"identifier": "mai@example.vn", "password": "mat-khau-mai-2025", "next": target}
    client = Client()
    assert client.post("/tai-khoan/dang-nhap/", data)["Location"] == "/tai-khoan/"
    # Already signed in, a GET with the same `next` stays on the site too.
    assert client.get("/tai-khoan/dang-nhap/", {"next": target})["Location"] == "/tai-khoan/"
