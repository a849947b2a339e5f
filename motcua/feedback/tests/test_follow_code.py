"""A sender who gave only an e-mail follows the item with a random follow code."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from motcua.conftest import Province
from motcua.feedback import followcode
from motcua.feedback.models import Category, Feedback
from motcua.feedback.selectors import find_public
from motcua.feedback.tests.factories import local, make_categories, make_feedback

FOLLOW = reverse("feedback_public:follow")
SUBMIT = reverse("feedback_public:submit")


@pytest.fixture
def cats(province: Province) -> dict[str, Category]:
    return make_categories(province)


def test_follow_codes_are_random_and_unambiguous() -> None:
    codes = {followcode.new_follow_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 10 and set(code) <= set(followcode.ALPHABET)
    assert not set("0O1IL") & set(followcode.ALPHABET)


def test_only_e_mail_only_senders_get_a_follow_code(province: Province, cats: dict) -> None:
    at = local(2025, 3, 3, 9)
    email_only = make_feedback(
        unit=province.commune_a, at=at, sender={"name": "Hà", "email": "nguyenha1984@example.vn"}
    )
    with_phone = make_feedback(
        unit=province.commune_a,
        at=at,
        sender={"name": "Mai", "phone": "0987654321", "email": "mai@example.vn"},
    )
    assert len(email_only.follow_code) == 10 and with_phone.follow_code == ""
    # the guessable end of the address no longer opens the item
    with pytest.raises(Feedback.DoesNotExist):
        find_public(email_only.code, "1984")
    spaced = f"{email_only.follow_code[:5].lower()} {email_only.follow_code[5:]}"
    assert find_public(email_only.code, spaced) == email_only
    with pytest.raises(Feedback.DoesNotExist):  # another item's follow code does not open it
        find_public(email_only.code, followcode.new_follow_code())
    assert find_public(with_phone.code, "4321") == with_phone


def test_the_follow_code_is_shown_mailed_and_opens_the_item(
    client: Client, province: Province, cats: dict, django_capture_on_commit_callbacks: object
) -> None:
    data = {
        "title": "Cấp giấy phép xây dựng quá hạn",
        "content": "Hồ sơ cấp giấy phép xây dựng của tôi đã quá hạn hai tuần.",
        "category": "",
        "area": "",
        "dossier_code": "",
        "name": "Võ Thị Hà",
        "phone": "",
        "email": "nguyenha1984@example.vn",
        "consent": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(SUBMIT, data)
    assert response.status_code == 302
    item = Feedback.objects.get()
    receipt = client.get(response["Location"]).content.decode()
    assert f'<strong class="code">{item.follow_code}</strong>' in receipt
    assert "Mã theo dõi của bạn" in receipt
    sent = [m for m in mail.outbox if item.code in m.subject]
    assert sent and f"Mã theo dõi: {item.follow_code}" in sent[0].body
    # a stranger who knows the address cannot follow it; the code opens it
    stranger = Client()
    assert stranger.post(FOLLOW, {"code": item.code, "last4": "1984"}).status_code == 404
    opened = stranger.post(FOLLOW, {"code": item.code, "last4": item.follow_code.lower()})
    assert opened.status_code == 302
    page = stranger.get(opened["Location"]).content.decode()
    assert re.search(r"Đã tiếp nhận", page)


def test_an_item_code_is_locked_after_wrong_tries_from_any_address(
    province: Province, cats: dict, settings: object
) -> None:
    settings.MOTCUA_LOOKUP_CODE_FAILURES = 3  # type: ignore[attr-defined]
    settings.MOTCUA_LOOKUP_CODE_LOCK = 10**9  # type: ignore[attr-defined]
    item = make_feedback(
        unit=province.commune_a,
        at=local(2025, 3, 3, 9),
        sender={"name": "Mai", "phone": "0987654321"},
    )
    for i in range(3):
        wrong = Client(REMOTE_ADDR=f"198.51.100.{i}").post(
            FOLLOW, {"code": item.code, "last4": f"000{i}"}
        )
        assert wrong.status_code == 404
    locked = Client(REMOTE_ADDR="192.0.2.9").post(FOLLOW, {"code": item.code, "last4": "4321"})
    assert locked.status_code == 429 and "thử quá nhiều lần" in locked.content.decode()
