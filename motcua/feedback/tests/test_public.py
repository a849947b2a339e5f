"""Public feedback pages: send (with or without an account), follow up, supplement, vote,
survey, search without diacritics, and rate limits."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from motcua.conftest import Province, make_user
from motcua.feedback import public_views, services
from motcua.feedback.choices import Channel, FeedbackState
from motcua.feedback.models import Category, Feedback, FeedbackEntry, FeedbackSurvey, FeedbackVote
from motcua.feedback.tests.factories import (
    advance,
    local,
    make_categories,
    make_feedback,
    make_staff,
)
from motcua.lib.ratelimit import Limit

S = FeedbackState
SUBMIT = reverse("feedback_public:submit")
FOLLOW = reverse("feedback_public:follow")
LIST = reverse("feedback_public:list")
# A window so long that no test run crosses its boundary.
FOREVER = 10**9


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Rate-limit counters live in the cache, which outlives a test."""
    cache.clear()


@pytest.fixture
def cats(province: Province) -> dict[str, Category]:
    return make_categories(province)


@pytest.fixture
def staff(province: Province) -> dict[str, Any]:
    return make_staff(province)


def without_tokens(content: bytes) -> str:
    """The page without its CSRF tokens (masked differently on every render)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content.decode())


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "title": "Cấp giấy phép xây dựng quá hạn",
        "content": "Hồ sơ cấp giấy phép xây dựng của tôi đã quá hạn hai tuần.",
        "category": "",
        "area": "",
        "dossier_code": "",
        "name": "Võ Thị Mai",
        "phone": "0987 654 321",
        "email": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


def published(
    staff: dict[str, Any],
    province: Province,
    *,
    public_title: str = "Giấy tờ khi đăng ký khai sinh",
    answer: str = "Thủ tục cấp giấy phép xây dựng không yêu cầu bản sao sổ hộ khẩu.",
    category: Category | None = None,
    state: str = S.PUBLISHED,
) -> Feedback:
    """An item of commune C1 brought to `state` through the services, then re-titled."""
    item = make_feedback(unit=province.commune_a, at=local(2025, 3, 3, 9), category=category)
    item = advance(item, S.PROCESSING, actor=staff["lead"], at=local(2025, 3, 4, 9))
    item = services.draft_answer(
        feedback=item,
        actor=staff["lead"],
        official="Kính gửi bà Lê Thị Hoa: đã kiểm tra hồ sơ.",
        public=answer,
        public_title=public_title,
        at=local(2025, 3, 5, 9),
    )
    item = services.approve_answer(feedback=item, actor=staff["lead"], at=local(2025, 3, 5, 10))
    item = services.publish_feedback(feedback=item, actor=staff["lead"], at=local(2025, 3, 5, 11))
    if state == S.CLOSED:
        item = services.close_feedback(feedback=item, actor=None, at=local(2025, 3, 20, 9))
    return item


# -- sending ---------------------------------------------------------------------------------


def test_form_offers_the_category_tree_and_the_areas_of_today(
    client: Client, province: Province, cats: dict[str, Category]
) -> None:
    response = client.get(SUBMIT)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thủ tục hành chính" in page and "— Hộ tịch" in page  # children indented
    assert "Nhóm cũ" not in page  # inactive category
    assert province.new_commune.name in page and province.commune_a.name not in page
    assert "Dữ liệu cá nhân" in page and "không bao giờ được công khai" in page


def test_anonymous_sender_gets_a_code_and_can_follow_it(
    client: Client, province: Province, cats: dict[str, Category]
) -> None:
    data = form_data(category=str(cats["ho-tich"].pk), area=str(province.new_commune.pk))
    response = client.post(SUBMIT, data)
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert item.channel == Channel.PORTAL and item.state == S.RECEIVED
    assert item.sender_user is None and item.sender_phone == "0987654321"
    assert item.unit == province.new_commune  # routed by category + area
    assert item.code.startswith("PA-DT-")
    receipt = client.get(response["Location"])
    assert item.code in receipt.content.decode()
    assert "4 số cuối số điện thoại" in receipt.content.decode()
    # The same browser follows it without typing the digits again.
    status = client.get(f"{FOLLOW}?ma={item.code}").content.decode()
    assert "Đã tiếp nhận" in status and "Dự kiến có kết quả trước ngày" in status


def test_signed_in_sender_is_linked_to_the_item(
    province: Province, cats: dict[str, Category]
) -> None:
    citizen = make_user("dan", full_name="Võ Thị Mai", phone="0987654321", email="mai@example.vn")
    client = Client()
    client.force_login(citizen)
    page = client.get(SUBMIT).content.decode()
    assert "mai@example.vn" in page  # the form is prefilled from the account
    assert client.post(SUBMIT, form_data()).status_code == 302
    item = Feedback.objects.get()
    assert item.sender_user == citizen and item.channel == Channel.PORTAL


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"content": "   "}, "content", "Hãy nhập nội dung phản ánh, kiến nghị."),
        ({"title": ""}, "title", "Hãy nhập tiêu đề phản ánh."),
        ({"phone": "", "email": ""}, "phone", "Cần số điện thoại hoặc thư điện tử"),
        ({"phone": "12ab"}, "phone", "Số điện thoại không hợp lệ"),
        ({"email": "không-phải-thư"}, "email", "Địa chỉ thư điện tử không hợp lệ."),
        ({"consent": ""}, "consent", "Hãy xác nhận đồng ý"),
    ],
)
def test_bad_input_is_shown_and_nothing_is_saved(
    client: Client,
    cats: dict[str, Category],
    overrides: dict[str, str],
    field: str,
    message: str,
) -> None:
    response = client.post(SUBMIT, form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not Feedback.objects.exists()
    assert not FeedbackEntry.objects.exists()


def test_the_form_does_not_reveal_whether_a_dossier_code_exists(
    client: Client, cats: dict[str, Category]
) -> None:
    response = client.post(SUBMIT, form_data(dossier_code="KHONG-CO"))
    assert response.status_code == 302  # accepted like any other item
    item = Feedback.objects.get()
    assert item.dossier is None
    assert "(mã hồ sơ người gửi ghi: KHONG-CO)" in item.content


def test_sending_is_rate_limited(
    client: Client, cats: dict[str, Category], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(public_views, "SUBMIT_LIMIT", Limit("test-submit", 2, FOREVER))
    for _ in range(2):
        assert client.post(SUBMIT, form_data(content="")).status_code == 400
    response = client.post(SUBMIT, form_data())
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "quá nhiều lần" in response.content.decode()
    assert not Feedback.objects.exists()


# -- following up ----------------------------------------------------------------------------


def test_follow_with_code_and_last_digits(
    client: Client, province: Province, cats: dict[str, Category], staff: dict[str, Any]
) -> None:
    item = make_feedback(unit=province.commune_a, at=local(2025, 3, 3, 9))
    item = advance(item, S.PROCESSING, actor=staff["lead"], at=local(2025, 3, 4, 9))
    response = client.post(FOLLOW, {"code": item.code.lower(), "last4": "5678"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert item.code in page
    assert "Đang được xem xét, xử lý." in page
    assert "03/03/2025" in page  # received
    assert item.unit.name in page


def test_wrong_digits_reveal_nothing(
    client: Client, province: Province, cats: dict[str, Category]
) -> None:
    item = make_feedback(unit=province.commune_a, at=local(2025, 3, 3, 9))
    wrong = client.post(FOLLOW, {"code": item.code, "last4": "0000"})
    unknown = client.post(FOLLOW, {"code": "PA-DT-250303-9999", "last4": "5678"})
    assert wrong.status_code == unknown.status_code == 404
    assert without_tokens(wrong.content) == without_tokens(unknown.content)
    assert item.unit.name not in wrong.content.decode()
    # Nor does asking for the page of a code this browser never proved.
    page = client.get(f"{FOLLOW}?ma={item.code}").content.decode()
    assert "Đã tiếp nhận" not in page and item.unit.name not in page


def test_an_older_e_mail_only_item_follows_with_the_end_of_the_e_mail_name(
    client: Client, province: Province, cats: dict[str, Category]
) -> None:
    item = make_feedback(
        unit=province.commune_a,
        at=local(2025, 3, 3, 9),
        sender={"name": "Hà", "email": "nguyenha1984@example.vn"},
    )
    # Received before follow codes existed (test_follow_code.py covers the new items).
    Feedback.objects.filter(pk=item.pk).update(follow_code="")
    assert client.post(FOLLOW, {"code": item.code, "last4": "1984"}).status_code == 302


def test_follow_is_rate_limited(
    client: Client, province: Province, cats: dict[str, Category], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(public_views, "FOLLOW_LIMIT", Limit("test-follow", 3, FOREVER))
    item = make_feedback(unit=province.commune_a, at=local(2025, 3, 3, 9))
    for digits in ("0001", "0002", "0003"):
        assert client.post(FOLLOW, {"code": item.code, "last4": digits}).status_code == 404
    # Even the right digits are refused once the limit is used up.
    response = client.post(FOLLOW, {"code": item.code, "last4": "5678"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= FOREVER
    assert item.unit.name not in response.content.decode()


def test_sender_sends_the_supplement_from_the_follow_page(
    client: Client, province: Province, cats: dict[str, Category], staff: dict[str, Any]
) -> None:
    item = make_feedback(unit=province.commune_a, at=local(2025, 3, 3, 9))
    item = advance(item, S.SUPPLEMENT_REQUESTED, actor=staff["lead"], at=local(2025, 3, 4, 9))
    client.post(FOLLOW, {"code": item.code, "last4": "5678"})
    page = client.get(f"{FOLLOW}?ma={item.code}").content.decode()
    assert "Đề nghị cho biết ngày nộp hồ sơ" in page  # the request, in the officer's words
    empty = client.post(FOLLOW, {"action": "supplement", "code": item.code, "text": " "})
    assert empty.status_code == 400
    assert "Hãy nhập nội dung bổ sung, làm rõ." in empty.content.decode()
    response = client.post(
        FOLLOW, {"action": "supplement", "code": item.code, "text": "Tôi nộp ngày 01/03/2025."}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == S.SUPPLEMENTED
    entry = item.events.get(kind="feedback.supplemented")
    assert entry.note == "Tôi nộp ngày 01/03/2025." and entry.actor is None


def test_another_browser_cannot_supplement_without_the_digits(
    client: Client, province: Province, cats: dict[str, Category], staff: dict[str, Any]
) -> None:
    item = make_feedback(unit=province.commune_a, at=local(2025, 3, 3, 9))
    item = advance(item, S.SUPPLEMENT_REQUESTED, actor=staff["lead"], at=local(2025, 3, 4, 9))
    response = client.post(FOLLOW, {"action": "supplement", "code": item.code, "text": "Giả"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.state == S.SUPPLEMENT_REQUESTED


def test_ending_the_lookup_forgets_the_item_on_a_shared_computer(
    client: Client, province: Province, cats: dict[str, Category], staff: dict[str, Any]
) -> None:
    item = make_feedback(unit=province.commune_a, at=local(2025, 3, 3, 9))
    item = advance(item, S.SUPPLEMENT_REQUESTED, actor=staff["lead"], at=local(2025, 3, 4, 9))
    client.post(FOLLOW, {"code": item.code, "last4": "5678"})
    page = client.get(f"{FOLLOW}?ma={item.code}").content.decode()
    assert item.unit.name in page and "Kết thúc tra cứu" in page
    assert client.get(f"{FOLLOW}ket-thuc/").status_code == 405  # POST only
    ended = client.post(f"{FOLLOW}ket-thuc/", follow=True).content.decode()
    assert "Đã kết thúc tra cứu trên trình duyệt này." in ended
    # The next person at this computer sees nothing and cannot act for the sender.
    page = client.get(f"{FOLLOW}?ma={item.code}").content.decode()
    assert item.unit.name not in page
    response = client.post(FOLLOW, {"action": "supplement", "code": item.code, "text": "Giả"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.state == S.SUPPLEMENT_REQUESTED


def test_closing_survey_is_answered_once(
    client: Client, province: Province, cats: dict[str, Category], staff: dict[str, Any]
) -> None:
    item = published(staff, province, state=S.CLOSED)
    client.post(FOLLOW, {"code": item.code, "last4": "5678"})
    page = client.get(f"{FOLLOW}?ma={item.code}").content.decode()
    assert "Bạn có hài lòng với kết quả xử lý không?" in page
    data = {"action": "survey", "code": item.code, "satisfied": "0", "comment": "Còn chậm."}
    assert client.post(FOLLOW, data).status_code == 302
    survey = FeedbackSurvey.objects.get(feedback=item)
    assert survey.satisfied is False and survey.comment == "Còn chậm."
    again = client.post(FOLLOW, {**data, "satisfied": "1"}, follow=True)
    assert "đã trả lời khảo sát" in again.content.decode()
    survey.refresh_from_db()
    assert survey.satisfied is False and FeedbackSurvey.objects.count() == 1
    assert "Bạn có hài lòng" not in again.content.decode()


# -- published answers -----------------------------------------------------------------------


def test_vote_once(
    client: Client, province: Province, cats: dict[str, Category], staff: dict[str, Any]
) -> None:
    item = published(staff, province)
    url = reverse("feedback_public:vote", args=[item.code])
    response = client.post(url, {"value": "1"}, follow=True)
    assert "Cảm ơn bạn đã bình chọn." in response.content.decode()
    second = client.post(url, {"value": "-1"}, follow=True)
    assert "Bạn đã bình chọn cho phản ánh này." in second.content.decode()
    item.refresh_from_db()
    assert (item.likes, item.dislikes) == (1, 0)
    vote = FeedbackVote.objects.get()
    assert vote.is_sender is False
    assert "127.0.0.1" not in vote.voter  # a hash, never the address
    # Another browser (another user agent) is another voter.
    other = Client(HTTP_USER_AGENT="Trình duyệt khác")
    other.post(url, {"value": "-1"})
    item.refresh_from_db()
    assert (item.likes, item.dislikes) == (1, 1)


def test_vote_on_an_unpublished_item_is_404(
    client: Client, province: Province, cats: dict[str, Category], staff: dict[str, Any]
) -> None:
    item = make_feedback(unit=province.commune_a, at=local(2025, 3, 3, 9))
    url = reverse("feedback_public:vote", args=[item.code])
    assert client.post(url, {"value": "1"}).status_code == 404
    assert not FeedbackVote.objects.exists()


def test_search_finds_the_same_answers_with_or_without_diacritics(
    client: Client, province: Province, cats: dict[str, Category], staff: dict[str, Any]
) -> None:
    wanted = published(
        staff,
        province,
        public_title="Thời hạn cấp giấy phép xây dựng nhà ở",
        answer="Cấp giấy phép xây dựng trong 15 ngày làm việc.",
        category=cats["dat-dai"],
    )
    other = published(
        staff,
        province,
        public_title="Trích lục khai sinh",
        answer="Trong ngày làm việc.",
        category=cats["ho-tich"],
    )

    def codes(**params: str) -> set[str]:
        response = client.get(LIST, params)
        assert response.status_code == 200
        return {item.code for item in response.context["page"].object_list}

    assert codes() == {wanted.code, other.code}
    assert codes(q="cap giay phep") == codes(q="cấp giấy phép") == {wanted.code}
    assert codes(q="CAP GIAY PHEP") == {wanted.code}
    assert codes(q="giấy phép", category=str(cats["ho-tich"].pk)) == set()
    # A parent category includes its children.
    assert codes(category=str(cats["hanh-chinh"].pk)) == {wanted.code, other.code}
    assert codes(q="không có từ này") == set()


def test_answer_page_and_pagination(
    client: Client, province: Province, cats: dict[str, Category], staff: dict[str, Any]
) -> None:
    item = published(staff, province)
    page = client.get(reverse("feedback_public:answer", args=[item.code])).content.decode()
    assert "Giấy tờ khi đăng ký khai sinh" in page
    assert "không yêu cầu bản sao sổ hộ khẩu" in page
    assert province.commune_a.name in page and "05/03/2025" in page
    assert 'name="value" value="1"' in page  # like/dislike buttons
    response = client.get(LIST, {"trang": "99"})
    assert response.status_code == 200 and response.context["page"].number == 1
