"""No public page ever shows the sender's personal data, the original text or the official
answer; items not published (or marked "do not publish") do not exist for the public."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from motcua.conftest import Province
from motcua.feedback import services
from motcua.feedback.choices import FeedbackState
from motcua.feedback.models import Feedback
from motcua.feedback.tests.factories import advance, local, make_categories, make_staff
from motcua.lib.vntext import fold

S = FeedbackState
NAME = "Hoàng Thị Bí Mật"
PHONE = "0909123987"
ID_NUMBER = "087199004321"
EMAIL = "bimat.hoang@example.vn"
ADDRESS = "Số 99 đường Riêng Tư"
CONTENT = "Nội dung gốc chỉ người xử lý được đọc"
OFFICIAL = "Văn bản trả lời chính thức gửi riêng"
SENDER = {"name": NAME, "phone": PHONE, "id_number": ID_NUMBER, "email": EMAIL, "address": ADDRESS}
SECRETS = (NAME, fold(NAME), PHONE, ID_NUMBER, EMAIL, ADDRESS, CONTENT, OFFICIAL)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def item(
    province: Province,
    staff: dict[str, Any],
    state: str,
    *,
    title: str,
    do_not_publish: bool = False,
) -> Feedback:
    """An item from the distinctive sender, brought to `state` through the services."""
    lead = staff["lead"]
    f = services.receive_feedback(
        channel="portal",
        title=title,
        content=f"{CONTENT}. Tôi là {NAME}, điện thoại {PHONE}, ở {ADDRESS}.",
        sender=SENDER,
        unit=province.commune_a,
        at=local(2025, 3, 3, 9),
    )
    if state in (S.RECEIVED, S.PROCESSING):
        return advance(f, state, actor=lead, at=local(2025, 3, 4, 9))
    f = services.start_processing(feedback=f, actor=lead, at=local(2025, 3, 4, 9))
    f = services.draft_answer(
        feedback=f,
        actor=lead,
        official=f"Kính gửi bà {NAME} ({EMAIL}): {OFFICIAL}.",
        public="Ủy ban nhân dân xã đã kiểm tra và giải quyết dứt điểm sự việc được phản ánh.",
        public_title=f"Phản ánh về {title.lower()}",
        at=local(2025, 3, 5, 9),
    )
    f = services.approve_answer(
        feedback=f,
        actor=lead,
        do_not_publish=do_not_publish,
        do_not_publish_reason="Người phản ánh đề nghị" if do_not_publish else "",
        at=local(2025, 3, 5, 10),
    )
    if do_not_publish or state == S.ANSWER_APPROVED:
        return f
    f = services.publish_feedback(feedback=f, actor=lead, at=local(2025, 3, 5, 11))
    if state == S.CLOSED:
        f = services.close_feedback(feedback=f, actor=None, at=local(2025, 3, 20, 9))
    return f


@pytest.fixture
def items(province: Province) -> dict[str, Feedback]:
    make_categories(province)
    staff = make_staff(province)
    return {
        "published": item(province, staff, S.PUBLISHED, title="Đèn đường hư hỏng"),
        "closed": item(province, staff, S.CLOSED, title="Rác thải tồn đọng"),
        "hidden": item(
            province, staff, S.CLOSED, title="Tranh chấp ranh giới đất", do_not_publish=True
        ),
        "approved": item(province, staff, S.ANSWER_APPROVED, title="Cống thoát nước bị tắc"),
        "processing": item(province, staff, S.PROCESSING, title="Đường sụt lún"),
    }


def assert_private(html: str) -> None:
    for secret in SECRETS:
        assert secret not in html, secret
    assert "Tranh chấp ranh giới đất" not in html  # the do-not-publish item's title


def test_no_public_page_shows_personal_data(client: Client, items: dict[str, Feedback]) -> None:
    pages = [
        reverse("feedback_public:list"),
        reverse("feedback_public:list") + "?q=den+duong",
        reverse("feedback_public:answer", args=[items["published"].code]),
        reverse("feedback_public:answer", args=[items["closed"].code]),
        reverse("feedback_public:follow"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_private(response.content.decode())
    listed = client.get(reverse("feedback_public:list")).context["page"].object_list
    assert {f.code for f in listed} == {items["published"].code, items["closed"].code}
    # Searching for the sender's name or phone finds nothing: they are not in the index.
    for query in (NAME, fold(NAME), PHONE, EMAIL):
        response = client.get(reverse("feedback_public:list"), {"q": query})
        assert not response.context["page"].object_list, query
        # What was typed comes back (search box, language switcher); nothing else does.
        html = response.content.decode().replace(query, "").replace(quote_plus(query), "")
        assert_private(html)


@pytest.mark.parametrize("which", ["published", "closed", "hidden", "approved", "processing"])
def test_follow_page_shows_state_not_personal_data(
    client: Client, items: dict[str, Feedback], which: str
) -> None:
    code = items[which].code
    wrong = client.post(reverse("feedback_public:follow"), {"code": code, "last4": "1111"})
    assert wrong.status_code == 404
    assert_private(wrong.content.decode())
    right = client.post(reverse("feedback_public:follow"), {"code": code, "last4": PHONE[-4:]})
    assert right.status_code == 302
    page = client.get(right["Location"])
    assert page.status_code == 200 and code in page.content.decode()
    html = page.content.decode()
    for secret in SECRETS:
        assert secret not in html, secret


def test_unpublished_and_hidden_answers_do_not_exist_for_the_public(
    client: Client, items: dict[str, Feedback]
) -> None:
    for which in ("hidden", "approved", "processing"):
        code = items[which].code
        assert client.get(reverse("feedback_public:answer", args=[code])).status_code == 404
        vote = client.post(reverse("feedback_public:vote", args=[code]), {"value": "1"})
        assert vote.status_code == 404
    assert client.get(
        reverse("feedback_public:answer", args=["PA-DT-000000-0000"])
    ).status_code == (404)
    listed = client.get(reverse("feedback_public:list")).content.decode()
    assert items["hidden"].code not in listed and items["approved"].code not in listed


def test_receipt_after_sending_shows_no_personal_data(client: Client, province: Province) -> None:
    data = {
        "title": "Đèn đường hư hỏng",
        "content": CONTENT,
        "name": NAME,
        "phone": PHONE,
        "email": EMAIL,
        "consent": "on",
    }
    response = client.post(reverse("feedback_public:submit"), data, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert Feedback.objects.get().code in html
    for secret in (NAME, PHONE, EMAIL, CONTENT):
        assert secret not in html, secret
