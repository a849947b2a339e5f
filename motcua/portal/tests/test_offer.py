"""Only what can be received is offered: expired or desk-less procedures are shown as such,
never offered online, for an appointment, or at the counter; search lists them only on request."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from motcua.conftest import Province
from motcua.dossiers.intake_views import search_for_desk
from motcua.dossiers.services import DossierError
from motcua.dossiers.tests.factories import APPLICANT, make_procedure
from motcua.portal.offer import offer_of
from motcua.portal.submission import save_online_dossier
from motcua.portal.tests.account_helpers import applicant
from motcua.procedures.models import Procedure

COPY = "Chứng thực bản sao từ bản chính giấy tờ, văn bản"


@pytest.fixture
def made(province: Province) -> dict[str, Procedure]:
    """A procedure in force at today's commune, one expired on 30/06/2025 (received there
    too), and one in force whose only competent unit ceased on 30/06/2025."""
    today = [province.new_commune]
    return {
        "live": make_procedure(
            "1.001193", units=today, name="Thủ tục đăng ký khai sinh", online_level="full"
        ),
        "expired": make_procedure(
            "2.000815",
            units=today,
            name=COPY,
            online_level="full",
            valid_to=dt.date(2025, 6, 30),
        ),
        "nowhere": make_procedure(
            "1.004884",
            units=[province.commune_a],
            name="Thủ tục đăng ký lại khai sinh",
            online_level="full",
        ),
    }


def test_an_expired_procedure_is_shown_as_such_and_offers_nothing(
    client: Client, made: dict[str, Procedure]
) -> None:
    html = client.get("/thu-tuc/2.000815/").content.decode()
    assert "Thủ tục đã hết hiệu lực từ 01/07/2025." in html
    assert "Nộp trực tuyến" not in html and "/nop-ho-so/" not in html
    assert "Đặt lịch hẹn" not in html and "/dat-lich/" not in html
    live = client.get("/thu-tuc/1.001193/").content.decode()
    assert 'href="/nop-ho-so/1.001193/"' in live and "/thu-tuc/1.001193/dat-lich/" in live
    assert "hết hiệu lực" not in live


def test_a_procedure_without_a_receiving_unit_in_force_offers_nothing(
    client: Client, made: dict[str, Procedure]
) -> None:
    html = client.get("/thu-tuc/1.004884/").content.decode()
    assert "Chưa có nơi tiếp nhận" in html
    assert "/nop-ho-so/" not in html and "/dat-lich/" not in html


@pytest.mark.parametrize("code", ["2.000815", "1.004884"])
def test_submission_and_booking_urls_answer_404_in_vietnamese(
    client: Client, made: dict[str, Procedure], code: str
) -> None:
    client.force_login(applicant("Lê Thị Hoa", email="hoa@example.vn"))
    for url in (f"/nop-ho-so/{code}/", f"/thu-tuc/{code}/dat-lich/"):
        for response in (client.get(url), client.post(url, {"noi": "1"})):
            assert response.status_code == 404, url
            body = response.content.decode()
            assert "Thủ tục này hiện không tiếp nhận hồ sơ" in body
            assert "hết hiệu lực" in body or "Chưa có nơi tiếp nhận" in body
    assert client.get("/nop-ho-so/1.001193/").status_code == 200


def test_the_online_service_refuses_an_expired_procedure(
    made: dict[str, Procedure], province: Province
) -> None:
    user = applicant("Lê Thị Hoa", email="hoa@example.vn")
    with pytest.raises(DossierError) as refused:
        save_online_dossier(
            actor=user,
            procedure=made["expired"],
            receiving_unit=None,
            applicant={"name": APPLICANT["name"], "phone": APPLICANT["phone"]},
            uploads={},
            submit=False,
        )
    assert "hết hiệu lực" in refused.value.message
    assert not made["expired"].dossiers.exists()


def test_offer_reasons(made: dict[str, Procedure]) -> None:
    day = timezone.localdate()
    assert offer_of(made["live"], day).receivable
    expired = offer_of(made["expired"], day)
    assert not expired.receivable and expired.expired_since == dt.date(2025, 7, 1)
    assert offer_of(made["expired"], dt.date(2025, 6, 30)).in_force  # its last day
    nowhere = offer_of(made["nowhere"], day)
    assert not nowhere.receivable and nowhere.reason.startswith("Chưa có nơi tiếp nhận")


def test_the_counter_intake_search_leaves_expired_procedures_out(
    made: dict[str, Procedure], province: Province
) -> None:
    found = [p.code for p in search_for_desk(province.new_commune, "ban sao", limit=20)]
    assert found == []  # the expired certified copy is not received
    found = [p.code for p in search_for_desk(province.new_commune, "khai sinh", limit=20)]
    assert "1.001193" in found and "2.000815" not in found


def test_search_lists_expired_procedures_only_when_asked_and_last_marked(
    client: Client, made: dict[str, Procedure], province: Province
) -> None:
    default = client.get("/thu-tuc/?q=ban+sao").content.decode()
    assert COPY not in default and "Tìm thấy 0 thủ tục." in default
    listing = client.get("/thu-tuc/").content.decode()
    assert COPY not in listing and "Thủ tục đăng ký khai sinh" in listing
    asked = client.get("/thu-tuc/?het_hieu_luc=1").content.decode()
    assert COPY in asked and "Đã hết hiệu lực" in asked
    assert asked.index("Thủ tục đăng ký khai sinh") < asked.index(COPY)
    assert 'name="het_hieu_luc" id="het-hieu-luc" value="1" checked' in asked
    make_procedure(
        "2.000528",
        units=[province.new_commune],
        name="Thủ tục đăng ký khai sinh cũ",
        valid_to=dt.date(2025, 6, 30),
    )
    # The expired one matches the words in order, the other in force only scattered: the
    # procedures in force still come first.
    searched = client.get("/thu-tuc/?q=dang+ky+khai+sinh&het_hieu_luc=1").content.decode()
    order = [
        searched.index(n)
        for n in (
            "Thủ tục đăng ký khai sinh</strong>",
            "Thủ tục đăng ký lại khai sinh</strong>",
            "Thủ tục đăng ký khai sinh cũ</strong>",
        )
    ]
    assert order == sorted(order)
    assert (
        "đăng ký khai sinh cũ" not in client.get("/thu-tuc/?q=dang+ky+khai+sinh").content.decode()
    )
