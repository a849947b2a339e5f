"""Public dossier status: code + four digits, masked data, explained deadline, rate limit."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, local
from motcua.portal.selectors import explanation_for_people, instant_text, mask_name
from motcua.portal.tests.lookup_helpers import procedure_for, received, returned, without_csrf

CODE = "C1-250303-0001"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Rate-limit counters live in the cache: every test starts with none used."""
    cache.clear()


@pytest.fixture
def procedure(province: Province):
    return procedure_for(province)


def lookup(client: Client, code: str = CODE, digits: str = "5678", **extra):
    return client.post("/tra-cuu/", {"ma": code, "so": digits}, **extra)


def test_status_by_code_and_phone_digits_explains_the_deadline(
    client: Client, people: dict, province: Province, procedure
) -> None:
    received(people, province, procedure)
    response = lookup(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hạn trả kết quả: 09:00 thứ Hai 17/03/2025" in html
    assert "09:00 thứ Hai 03/03/2025" in html  # received
    assert "Đã tiếp nhận" in html
    assert "Thủ tục đăng ký khai sinh" in html
    assert "Ủy ban nhân dân xã Mỹ An" in html
    # the explanation for people: start, limit, counted days, due; no calendar internals
    lines = response.context["status"].explanation
    labels = [line.label for line in lines]
    assert labels[0] == "bắt đầu" and labels[-1] == "hạn"
    assert "thời hạn" in labels and "tính" in labels
    assert "phiên bản" not in labels and "lịch" not in labels
    assert "10 ngày làm việc = 80 giờ" in html
    assert "Cách tính hạn trả kết quả" in html
    assert "Hồ sơ đã quá hạn trả kết quả" in html  # still open long after 17/03/2025


def test_personal_data_is_masked(
    client: Client, people: dict, province: Province, procedure
) -> None:
    received(people, province, procedure)
    html = lookup(client, digits="1234").content.decode()  # the ID number's last four digits
    assert "Trần V. B." in html
    assert APPLICANT["name"] not in html
    assert APPLICANT["phone"] not in html
    assert APPLICANT["id_number"] not in html
    assert APPLICANT["address"] not in html
    assert "*******678" in html  # phone, last three digits only


def test_wrong_digits_and_unknown_code_reveal_nothing(
    client: Client, people: dict, province: Province, procedure
) -> None:
    received(people, province, procedure)
    wrong = lookup(client, digits="0000")
    unknown = lookup(client, code="C1-250303-0999", digits="0000")
    assert wrong.status_code == unknown.status_code == 404
    html = wrong.content.decode()
    for secret in (
        APPLICANT["name"],
        "Trần V. B.",
        APPLICANT["phone"],
        "*******678",
        "Thủ tục đăng ký khai sinh",
        "Ủy ban nhân dân xã Mỹ An",
        "17/03/2025",
        "Đã tiếp nhận",
    ):
        assert secret not in html, secret
    assert "Không tìm thấy hồ sơ" in html
    # the same page apart from the echoed code
    same = without_csrf(unknown.content.decode()).replace("C1-250303-0999", CODE)
    assert same == without_csrf(html)


def test_code_is_found_in_lower_case_and_with_spaces(
    client: Client, people: dict, province: Province, procedure
) -> None:
    received(people, province, procedure)
    assert lookup(client, code=" c1-250303-0001 ").status_code == 200


def test_dossier_without_phone_or_id_cannot_be_looked_up(
    client: Client, people: dict, province: Province, procedure
) -> None:
    received(people, province, procedure, phone="", id_number="")
    assert lookup(client, digits="0000").status_code == 404


def test_drafts_are_never_shown(
    client: Client, people: dict, province: Province, procedure
) -> None:
    draft = services.create_draft(
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=local(2025, 3, 3, 8),
    )
    Dossier.objects.filter(pk=draft.pk).update(code="C1-DRAFT-0001")  # even with a code
    response = lookup(client, code="C1-DRAFT-0001")
    assert response.status_code == 404
    assert APPLICANT["name"] not in response.content.decode()


def test_qr_link_prefills_the_code_without_a_lookup(
    client: Client, people: dict, province: Province, procedure
) -> None:
    received(people, province, procedure)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/tra-cuu/", {"ma": CODE})
    assert response.status_code == 200
    assert f'value="{CODE}"' in response.content.decode()
    assert "status" not in response.context
    assert not [q for q in queries.captured_queries if "dossiers_dossier" in q["sql"]]


def test_malformed_digits_get_a_form_error(client: Client, people, province, procedure) -> None:
    received(people, province, procedure)
    response = lookup(client, digits="56a8")
    assert response.status_code == 400
    assert "Nhập đúng 4 chữ số." in response.content.decode()
    assert APPLICANT["name"] not in response.content.decode()


def test_supplement_request_shows_the_items_and_pauses(
    client: Client, people: dict, province: Province, procedure
) -> None:
    d = received(people, province, procedure)
    d = services.transfer_dossier(
        dossier=d, actor=people["alice"], to_unit=province.commune_a, at=local(2025, 3, 3, 9, 30)
    )
    services.request_supplement(
        dossier=d,
        actor=people["dana"],
        items=["Giấy chứng sinh", "Bản sao sổ hộ khẩu"],
        reason="Thiếu giấy tờ chứng minh nơi sinh",
        at=local(2025, 3, 5, 10),
    )
    html = lookup(client).content.decode()
    assert "Chờ bổ sung" in html
    assert "Giấy chứng sinh" in html and "Bản sao sổ hộ khẩu" in html
    assert "Thiếu giấy tờ chứng minh nơi sinh" in html
    assert "tạm dừng" in html
    assert "Hạn trả kết quả: " not in html  # no due instant while paused


def test_resolved_result_is_a_notice_never_a_download(
    client: Client, people: dict, province: Province, procedure
) -> None:
    d = received(people, province, procedure)
    d = services.transfer_dossier(
        dossier=d, actor=people["alice"], to_unit=province.commune_a, at=local(2025, 3, 3, 9, 30)
    )
    services.resolve_dossier(dossier=d, actor=people["dana"], at=local(2025, 3, 10, 9))
    html = lookup(client).content.decode()
    assert "Kết quả đã sẵn sàng tại Ủy ban nhân dân xã Mỹ An" in html
    assert "/tai-ve" not in html and "download" not in html.lower()
    assert "Đánh giá mức độ hài lòng" not in html  # not returned yet


def test_returned_dossier_links_to_rating_until_rated(
    client: Client, people: dict, province: Province, procedure
) -> None:
    d = returned(people, province, procedure)
    html = lookup(client).content.decode()
    assert "Đã trả kết quả" in html
    assert "/danh-gia/?t=" in html
    assert "quá hạn" not in html  # returned on time: no late notice
    services.rate_dossier(dossier=d, satisfied=True, scores={}, via="portal")
    html = lookup(client).content.decode()
    assert "/danh-gia/?t=" not in html
    assert "Hồ sơ này đã được đánh giá" in html


def test_rate_limit_answers_429_before_reading_the_database(
    client: Client, people: dict, province: Province, procedure, settings
) -> None:
    settings.MOTCUA_LOOKUP_RATE_COUNT = 3
    settings.MOTCUA_LOOKUP_RATE_WINDOW = 600
    received(people, province, procedure)
    for _ in range(3):
        assert lookup(client, digits="0000").status_code == 404
    with CaptureQueriesContext(connection) as queries:
        response = lookup(client)  # the right digits, but too late
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 600
    html = response.content.decode()
    assert "quá nhiều lần" in html
    assert APPLICANT["name"] not in html and "Trần V. B." not in html
    assert not [q for q in queries.captured_queries if "dossiers_dossier" in q["sql"]]
    # another address is not held back
    assert lookup(client, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_helpers_read_as_people_write() -> None:
    assert mask_name("Nguyễn Văn An") == "Nguyễn V. A."
    assert mask_name("Lê Thị Thu Hà") == "Lê T. T. H."
    assert mask_name("  Bình ") == "B."
    assert mask_name("") == ""
    assert instant_text(local(2024, 2, 15, 9)) == "09:00 thứ Năm 15/02/2024"
    assert instant_text(local(2024, 2, 18, 14, 5)) == "14:05 Chủ nhật 18/02/2024"
    lines = explanation_for_people(
        ["bắt đầu   T2 03/03/2025 09:00", "lịch      đơn vị C1", "phiên bản lịch 3", "hạn       x"]
    )
    assert [(line.label, line.text) for line in lines] == [
        ("bắt đầu", "T2 03/03/2025 09:00"),
        ("hạn", "x"),
    ]
