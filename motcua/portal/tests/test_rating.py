"""Rating a returned dossier: once, only after return, from the status page or a signed link."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.choices import RATING_SCALE_MAX, RatingCriterion
from motcua.dossiers.models import DossierEvent, DossierRating
from motcua.dossiers.services import DossierError, TransitionNotAllowed
from motcua.dossiers.tests.factories import APPLICANT
from motcua.dossiers.tokens import (
    InvalidRatingToken,
    dossier_for_token,
    rating_token,
    rating_url,
)
from motcua.portal.tests.lookup_helpers import procedure_for, received, returned

CODE = "C1-250303-0001"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def procedure(province: Province):
    return procedure_for(province)


def answers(token: str, **extra: str) -> dict[str, str]:
    return {
        "token": token,
        "satisfied": "1",
        "diem_convenience": "5",
        "diem_staff_attitude": "4",
        "comment": "Cán bộ hướng dẫn tận tình",
        **extra,
    }


def test_token_round_trip_and_forgery() -> None:
    class Fake:
        pk = 7

    token = rating_token(Fake())  # type: ignore[arg-type]
    assert signing.Signer(salt="motcua.dossiers.rating").unsign(token) == "7"
    assert rating_token(Fake()) == token  # type: ignore[arg-type]  # same on every paper
    unsalted = signing.Signer().sign("7")
    for forged in (token[:-2] + "xx", unsalted, "7", "", "abc", token.replace("7", "8", 1)):
        with pytest.raises(InvalidRatingToken):
            dossier_for_token(forged)


@pytest.mark.django_db
def test_token_of_a_missing_dossier_is_refused() -> None:
    with pytest.raises(InvalidRatingToken):
        dossier_for_token(signing.Signer(salt="motcua.dossiers.rating").sign("999999"))


def test_rating_from_the_status_page_is_saved_once(
    client: Client, people: dict, province: Province, procedure
) -> None:
    client = Client(enforce_csrf_checks=True)
    dossier = returned(people, province, procedure)
    # The look-up is a CSRF-protected form: the empty form first, then the post.
    assert client.post("/tra-cuu/", {"ma": CODE, "so": "5678"}).status_code == 403
    client.get("/tra-cuu/")
    lookup = {"ma": CODE, "so": "5678", "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    status = client.post("/tra-cuu/", lookup)
    link = next(
        part.split('"')[0]
        for part in status.content.decode().split('href="')
        if part.startswith("/danh-gia/?t=")
    )
    page = client.get(link.replace("&amp;", "&"))
    assert page.status_code == 200
    html = page.content.decode()
    assert CODE in html and "Thủ tục đăng ký khai sinh" in html
    assert APPLICANT["name"] not in html and "Trần V. B." not in html
    # one fieldset with a legend per criterion, every radio labelled
    assert html.count('<fieldset class="scale">') == len(RatingCriterion)
    for criterion in RatingCriterion:
        assert f"<legend>{criterion.label}</legend>" in html
        for n in range(1, RATING_SCALE_MAX + 1):
            assert f'<label for="id_diem_{criterion.value}_{n}">' in html
    token = page.context["form"]["token"].value()
    csrf = client.cookies["csrftoken"].value
    # CSRF is on: a post without the token is refused and saves nothing
    assert client.post("/danh-gia/", answers(token)).status_code == 403
    assert not DossierRating.objects.exists()
    response = client.post("/danh-gia/", {**answers(token), "csrfmiddlewaretoken": csrf})
    assert response.status_code == 302
    assert response["Location"] == "/danh-gia/da-gui/"
    rating = DossierRating.objects.get(dossier=dossier)
    assert rating.satisfied is True
    assert rating.scores == {"convenience": 5, "staff_attitude": 4}
    assert rating.scale_max == RATING_SCALE_MAX
    assert rating.comment == "Cán bộ hướng dẫn tận tình"
    assert rating.via == "portal"
    assert rating.rated_by is None
    event = DossierEvent.objects.get(dossier=dossier, kind="dossier.rated")
    assert event.data == {
        "satisfied": True,
        "scores": {"convenience": 5, "staff_attitude": 4},
        "via": "portal",
        "commented": True,
    }
    stored = str(event.data) + event.note + event.actor_name
    for personal in (APPLICANT["name"], APPLICANT["phone"], APPLICANT["id_number"], "tận tình"):
        assert personal not in stored
    # a second try: a clear message, nothing changed
    again = client.post(
        "/danh-gia/",
        {**answers(token, satisfied="0", diem_convenience="1"), "csrfmiddlewaretoken": csrf},
    )
    assert again.status_code == 409
    assert "đã được đánh giá" in again.content.decode()
    assert DossierRating.objects.count() == 1
    assert DossierRating.objects.get().satisfied is True
    assert DossierEvent.objects.filter(kind="dossier.rated").count() == 1
    assert "đã được đánh giá" in client.get(f"/danh-gia/?t={token}").content.decode()


def test_rating_through_the_signed_link(
    client: Client, people: dict, province: Province, procedure, settings
) -> None:
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.dongthap.gov.vn"
    dossier = returned(people, province, procedure)
    token = rating_token(dossier)
    assert rating_url(dossier) == f"https://dichvucong.dongthap.gov.vn/danh-gia/{token}/"
    url = f"/danh-gia/{token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert f'action="{url}"' in page.content.decode()
    response = client.post(url, {"token": token, "satisfied": "0"})
    assert response.status_code == 302
    rating = DossierRating.objects.get(dossier=dossier)
    assert (rating.satisfied, rating.scores, rating.comment, rating.via) == (False, {}, "", "qr")


def test_rating_by_code_and_digits(
    client: Client, people: dict, province: Province, procedure
) -> None:
    dossier = returned(people, province, procedure)
    assert client.get("/danh-gia/").status_code == 200
    wrong = client.post("/danh-gia/", {"ma": CODE, "so": "0000"})
    assert wrong.status_code == 404
    assert "Thủ tục đăng ký khai sinh" not in wrong.content.decode()
    page = client.post("/danh-gia/", {"ma": CODE, "so": "1234"})
    assert page.status_code == 200
    assert page.context["form"]["token"].value() == rating_token(dossier)


def test_rating_before_the_result_is_returned_is_refused(
    client: Client, people: dict, province: Province, procedure
) -> None:
    dossier = received(people, province, procedure)
    token = rating_token(dossier)
    page = client.get(f"/danh-gia/?t={token}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Chỉ đánh giá được sau khi hồ sơ đã trả kết quả" in html
    assert '<form method="post"' not in html
    response = client.post("/danh-gia/", answers(token))
    assert response.status_code == 409
    assert "Chỉ đánh giá được sau khi hồ sơ đã trả kết quả" in response.content.decode()
    assert not DossierRating.objects.exists()
    assert not DossierEvent.objects.filter(kind="dossier.rated").exists()
    with pytest.raises(TransitionNotAllowed):
        services.rate_dossier(dossier=dossier, satisfied=True, scores={}, via="portal")


@pytest.mark.parametrize(
    "change",
    [
        {"token": "tampered"},
        {"diem_convenience": str(RATING_SCALE_MAX + 1)},
        {"diem_convenience": "0"},
        {"diem_convenience": "năm"},
        {"diem_beauty": "5"},
        {"satisfied": "maybe"},
        {"satisfied": ""},
    ],
)
def test_forged_posts_are_refused_and_save_nothing(
    client: Client, people: dict, province: Province, procedure, change: dict
) -> None:
    dossier = returned(people, province, procedure)
    data = answers(rating_token(dossier))
    if change.get("token") == "tampered":
        data["token"] = data["token"][:-3] + "AAA"
    else:
        data.update(change)
    response = client.post("/danh-gia/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "không hợp lệ" in html or "Hãy chọn" in html or "Điểm phải" in html
    assert not DossierRating.objects.exists()
    assert not DossierEvent.objects.filter(kind="dossier.rated").exists()


def test_signed_link_post_with_another_token_is_refused(
    client: Client, people: dict, province: Province, procedure
) -> None:
    dossier = returned(people, province, procedure)
    token = rating_token(dossier)
    response = client.post(f"/danh-gia/{token}/", answers(token[:-1] + "x"))
    assert response.status_code == 400
    assert client.get("/danh-gia/not-a-token/").status_code == 400
    assert not DossierRating.objects.exists()


def test_service_refuses_bad_input(people: dict, province: Province, procedure) -> None:
    dossier = returned(people, province, procedure)
    for kwargs, field in (
        ({"scores": {"beauty": 3}}, "scores"),
        ({"scores": {"convenience": RATING_SCALE_MAX + 1}}, "scores"),
        ({"scores": {"convenience": True}}, "scores"),
        ({"via": "fax"}, "via"),
        ({"comment": "x" * 2001}, "comment"),
    ):
        args: dict[str, Any] = {
            "dossier": dossier,
            "satisfied": True,
            "scores": {},
            "via": "portal",
            **kwargs,
        }
        with pytest.raises(DossierError) as caught:
            services.rate_dossier(**args)
        assert caught.value.field == field
    assert not DossierRating.objects.exists()
    rating = services.rate_dossier(
        dossier=dossier, satisfied=False, scores={"timeliness": 1}, comment=" Chậm ", via="qr"
    )
    assert (rating.satisfied, rating.scores, rating.comment) == (False, {"timeliness": 1}, "Chậm")


def test_a_dissatisfied_rating_can_open_a_feedback_item(
    client: Client, people: dict, province: Province, procedure
) -> None:
    """dossiers.md §12: the applicant may turn a dissatisfied rating into a feedback item."""
    from motcua.feedback.choices import Channel, FeedbackState, Subject
    from motcua.feedback.models import Feedback

    dossier = returned(people, province, procedure)
    token = rating_token(dossier)
    # Only with "not satisfied" and a comment the unit can answer; nothing saved otherwise.
    refused = client.post("/danh-gia/", answers(token, open_feedback="on"))
    assert refused.status_code == 400
    empty = client.post(
        "/danh-gia/", {"token": token, "satisfied": "0", "open_feedback": "on", "comment": ""}
    )
    assert empty.status_code == 400
    assert not DossierRating.objects.exists() and not Feedback.objects.exists()

    response = client.post(
        "/danh-gia/",
        {
            "token": token,
            "satisfied": "0",
            "comment": "Phải đi lại ba lần mới nộp được hồ sơ",
            "open_feedback": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    rating = DossierRating.objects.get(dossier=dossier)
    assert rating.satisfied is False
    item = Feedback.objects.get()
    assert item.code in response.content.decode()
    assert item.dossier == dossier and item.procedure == dossier.procedure
    assert item.channel == Channel.PORTAL and item.subject == Subject.CONDUCT
    assert item.state == FeedbackState.RECEIVED
    assert item.content == "Phải đi lại ba lần mới nộp được hồ sơ"
    assert item.sender_phone == APPLICANT["phone"]
    # Commune C1 was dissolved on 30/06/2025: its successor answers today.
    assert item.unit == province.new_commune


def test_a_rating_without_the_feedback_box_opens_nothing(
    client: Client, people: dict, province: Province, procedure
) -> None:
    from motcua.feedback.models import Feedback

    dossier = returned(people, province, procedure)
    token = rating_token(dossier)
    assert client.post("/danh-gia/", {"token": token, "satisfied": "0"}).status_code == 302
    assert DossierRating.objects.filter(dossier=dossier).exists()
    assert not Feedback.objects.exists()
