"""The officer workspace: queue tabs, walk-in receipt, the dossier page and its action forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.actions import SLUG_TO_EVENT
from motcua.dossiers.choices import State
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.dossiers.tests.test_api import in_progress, procedure, receive  # noqa: F401


def reopen(unit: Any) -> None:
    """Keep a fixture unit open today (the fixture's old communes closed on 30/06/2025)."""
    unit.valid_to = None
    unit.save(update_fields=["valid_to"])


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_need_sign_in(people: dict, province: Province, procedure: Any) -> None:  # noqa: F811
    d = receive(people, province, procedure)
    for url in ["/ho-so/", "/ho-so/tiep-nhan/", f"/ho-so/{d.code}/"]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/dang-nhap/")
    assert Client().post(f"/ho-so/{d.code}/thao-tac/resolve/").status_code == 302


def test_queue_tabs(people: dict, province: Province, procedure: Any) -> None:  # noqa: F811
    alice = people["alice"]
    late = receive(people, province, procedure, applicant={**APPLICANT, "name": "Người Trễ Hạn"})
    waiting = in_progress(
        people, province, procedure, applicant={**APPLICANT, "name": "Người Chờ Bổ Sung"}
    )
    services.request_supplement(
        dossier=waiting, actor=people["dana"], items=["A"], reason="Thiếu", at=local(2025, 3, 4, 9)
    )
    quick = make_procedure(
        "2.000001", units=[province.commune_a], amount=8, time_unit="working_hours"
    )
    reopen(province.commune_a)  # a receipt due within hours must happen today
    soon = services.receive_dossier(
        actor=alice,
        procedure=quick,
        receiving_unit=province.commune_a,
        applicant={**APPLICANT, "name": "Người Sắp Đến Hạn"},
        at=timezone.now() - dt.timedelta(minutes=1),
    )
    client = signed_in(alice)

    def names(tab: str) -> set[str]:
        page = client.get(f"/ho-so/?tab={tab}").content.decode()
        return {n for n in ["Người Trễ Hạn", "Người Chờ Bổ Sung", "Người Sắp Đến Hạn"] if n in page}

    assert names("cua-don-vi") == {"Người Trễ Hạn", "Người Chờ Bổ Sung", "Người Sắp Đến Hạn"}
    assert names("cua-toi") == set()  # nothing assigned to alice yet
    assert names("qua-han") == {"Người Trễ Hạn"}
    assert names("cho-bo-sung") == {"Người Chờ Bổ Sung"}
    assert names("sap-den-han") == {"Người Sắp Đến Hạn"}
    page = client.get("/ho-so/?tab=qua-han").content.decode()
    assert "quá hạn" in page and str(late.code) in page and "*******678" in page
    assert "0912345678" not in page  # masked in lists
    assert str(soon.code) not in page
    # Filters from the shared FilterSet, and an HTMX fragment without the layout.
    filtered = client.get(f"/ho-so/?tab=cua-don-vi&q={waiting.code}").content.decode()
    assert str(waiting.code) in filtered and str(late.code) not in filtered
    fragment = client.get("/ho-so/?tab=cho-bo-sung", HTTP_HX_REQUEST="true").content.decode()
    assert str(waiting.code) in fragment and "<html" not in fragment
    # Another unit's officer sees none of them.
    bob = signed_in(people["bob"]).get("/ho-so/?tab=cua-don-vi").content.decode()
    assert "Không có hồ sơ nào" in bob and str(late.code) not in bob


def test_queue_paginates(people: dict, province: Province, procedure: Any) -> None:  # noqa: F811
    for minute in range(27):
        receive(people, province, procedure, at=local(2025, 3, 3, 9, minute))
    client = signed_in(people["alice"])
    first = client.get("/ho-so/?tab=cua-don-vi").content.decode()
    assert "Trang 1 / 2" in first and "27 hồ sơ" in first
    second = client.get("/ho-so/?tab=cua-don-vi&trang=2").content.decode()
    assert "Trang 2 / 2" in second


def test_receipt_form_creates_the_dossier(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    reopen(province.commune_a)  # the desk picker offers units in force today only
    client = signed_in(people["alice"])
    page = client.get("/ho-so/tiep-nhan/?thu-tuc=1.001193").content.decode()
    assert "Tiếp nhận hồ sơ trực tiếp" in page and "1.001193" in page
    assert 'value="C1"' in page and 'value="C2"' not in page
    tick = f"tp{procedure.components.get().pk}"
    assert f'name="{tick}"' in page
    response = client.post(
        "/ho-so/tiep-nhan/",
        {
            tick: "on",
            f"{tick}-chinh": "1",
            "procedure": "1.001193",
            "receiving_unit": "C1",
            "name": "Trần Văn Bình",
            "phone": "0912345678",
            "channel": "direct",
            "submitted_by": "applicant",
            "received_at": "2025-03-03T09:00",
        },
    )
    assert response.status_code == 302
    d = Dossier.objects.get()
    assert response["Location"] == f"/ho-so/{d.code}/"
    assert d.received_at == local(2025, 3, 3, 9)
    assert d.state == State.RECEIVED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "cần ghi họ tên người nộp hồ sơ"),
        ({"procedure": ""}, "Cần chọn thủ tục hành chính."),
        ({"procedure": "9.9"}, "Thủ tục này không có hiệu lực hoặc nơi tiếp nhận này không nhận."),
        ({"receiving_unit": "C2"}, "Lựa chọn không hợp lệ."),
        ({"email": "không-phải-thư"}, "Địa chỉ thư điện tử không hợp lệ."),
        ({"received_at": "hôm qua"}, "không phải thời điểm hợp lệ"),
        ({"received_at": "2099-01-01T09:00"}, "không thể ghi nhận một thời điểm trong tương lai"),
        ({"competent_unit": "NOPE"}, "không tìm thấy đơn vị “NOPE”"),
    ],
)
def test_receipt_form_bad_input_shows_vietnamese_errors_and_creates_nothing(
    people: dict,
    procedure: Any,  # noqa: F811
    change: dict,
    message: str,
) -> None:
    reopen(procedure.competent_units.get())
    tick = f"tp{procedure.components.get().pk}"
    data = {
        tick: "on",
        f"{tick}-chinh": "1",
        "procedure": "1.001193",
        "receiving_unit": "C1",
        "name": "Trần Văn Bình",
        "channel": "direct",
        "submitted_by": "applicant",
        **change,
    }
    response = signed_in(people["alice"]).post("/ho-so/tiep-nhan/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Dossier.objects.count() == 0


def test_receipt_form_for_someone_who_may_not_receive(
    people: dict,
    procedure: Any,  # noqa: F811
) -> None:
    page = signed_in(people["olga"]).get("/ho-so/tiep-nhan/").content.decode()
    assert "Bạn không có quyền tiếp nhận hồ sơ tại đơn vị nào." in page


def test_dossier_page_shows_deadline_slip_and_only_allowed_actions(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = in_progress(people, province, procedure)
    desk = signed_in(people["alice"]).get(f"/ho-so/{d.code}/").content.decode()
    assert "Hạn giải quyết theo quy định" in desk and "17/03/2025 09:00" in desk
    assert "bắt đầu" in desk  # explanation lines
    assert "Phiếu kiểm soát quá trình giải quyết" in desk and "Tiếp nhận" in desk
    assert "0912345678" in desk  # the desk works it
    # A desk officer on an in-progress dossier: transfer, resume? no; withdraw yes; resolve no.
    assert "/thao-tac/transfer/" in desk and "/thao-tac/withdraw/" in desk
    assert "/thao-tac/resolve/" not in desk and "/thao-tac/request-supplement/" not in desk
    leader = signed_in(people["dana"]).get(f"/ho-so/{d.code}/").content.decode()
    for slug in ["resolve", "request-supplement", "issue-apology", "refuse", "stop", "transfer"]:
        assert f"/thao-tac/{slug}/" in leader
    assert "/thao-tac/withdraw/" not in leader and "/thao-tac/receive/" not in leader
    viewer = signed_in(people["olga"]).get(f"/ho-so/{d.code}/").content.decode()
    assert "/thao-tac/" not in viewer and "*******678" in viewer
    assert 'name="csrfmiddlewaretoken"' in leader


def test_action_form_calls_the_service(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = in_progress(people, province, procedure)
    dana = signed_in(people["dana"])
    response = dana.post(
        f"/ho-so/{d.code}/thao-tac/request-supplement/",
        {"items": "Giấy chứng sinh\nBản sao CCCD\n", "reason": "Thiếu", "at": "2025-03-04T09:00"},
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.state == State.SUPPLEMENT_REQUESTED
    assert d.pauses.get().items == ["Giấy chứng sinh", "Bản sao CCCD"]
    page = dana.get(f"/ho-so/{d.code}/").content.decode()
    assert "Đã ghi nhận: yêu cầu bổ sung." in page
    assert "Đang tạm dừng tính thời hạn" in page


def test_action_form_errors_are_vietnamese_and_change_nothing(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = in_progress(people, province, procedure)
    dana = signed_in(people["dana"])
    missing = dana.post(f"/ho-so/{d.code}/thao-tac/request-supplement/", {"reason": "Thiếu"})
    assert missing.status_code == 400
    assert "cần liệt kê đầy đủ các thành phần còn thiếu" in missing.content.decode()
    refuse = dana.post(f"/ho-so/{d.code}/thao-tac/refuse/", {"reason": "  "})
    assert "trả lại hồ sơ phải ghi rõ lý do và căn cứ" in refuse.content.decode()
    bad_amount = dana.post(f"/ho-so/{d.code}/thao-tac/request-payment/", {"amount": "nhiều"})
    assert "Hãy nhập một số nguyên." in bad_amount.content.decode()
    d.refresh_from_db()
    assert d.state == State.IN_PROGRESS and d.events.count() == 2


def test_conflicts_ask_to_reload(people: dict, province: Province, procedure: Any) -> None:  # noqa: F811
    d = in_progress(people, province, procedure)
    seen = d.lock_version
    dana = signed_in(people["dana"])
    # Somebody else acts after the page was loaded...
    services.request_supplement(
        dossier=d, actor=people["dana"], items=["A"], reason="x", at=local(2025, 3, 4, 9)
    )
    # ...so the form built from the old version is refused with a request to reload.
    stale = dana.post(
        f"/ho-so/{d.code}/thao-tac/request-supplement/",
        {"items": "B", "reason": "y", "lock_version": seen},
    )
    assert stale.status_code == 409
    assert "tải lại" in stale.content.decode()
    # A move the table forbids is a conflict too.
    again = dana.post(f"/ho-so/{d.code}/thao-tac/resolve/", {})
    assert again.status_code == 409
    assert "Hãy tải lại trang" in again.content.decode()
    assert d.pauses.count() == 1


def test_forbidden_action_is_refused(people: dict, province: Province, procedure: Any) -> None:  # noqa: F811
    d = in_progress(people, province, procedure)
    response = signed_in(people["alice"]).post(f"/ho-so/{d.code}/thao-tac/resolve/", {"note": "x"})
    assert response.status_code == 403
    assert "không có quyền" in response.content.decode()
    d.refresh_from_db()
    assert d.state == State.IN_PROGRESS


def test_another_units_user_gets_404_on_every_dossier_url(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = in_progress(people, province, procedure)
    bob = signed_in(people["bob"])
    assert bob.get(f"/ho-so/{d.code}/").status_code == 404
    assert bob.get("/ho-so/C1-000000-0000/").status_code == 404
    assert bob.post(f"/ho-so/{d.code}/tep/", {}).status_code == 404
    assert bob.get(f"/ho-so/{d.code}/tep/1/").status_code == 404
    for slug in [*SLUG_TO_EVENT, "explode"]:
        assert bob.post(f"/ho-so/{d.code}/thao-tac/{slug}/", {"reason": "x"}).status_code == 404
    assert signed_in(people["alice"]).post(f"/ho-so/{d.code}/thao-tac/explode/").status_code == 404
    d.refresh_from_db()
    assert d.state == State.IN_PROGRESS and d.events.count() == 2


def test_csrf_is_enforced(people: dict, province: Province, procedure: Any) -> None:  # noqa: F811
    d = in_progress(people, province, procedure)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["dana"])
    assert client.post(f"/ho-so/{d.code}/thao-tac/resolve/", {}).status_code == 403
    assert client.post("/ho-so/tiep-nhan/", {}).status_code == 403
    d.refresh_from_db()
    assert d.state == State.IN_PROGRESS
