"""A dossier's fee: computed from its counts on the day of receipt, frozen on the dossier,
asked for at the counter only when the fee needs counts, printed on the receipt."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from motcua.conftest import Province, make_user
from motcua.dossiers import services
from motcua.dossiers.documents import render_dossier_document
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, handed_in, local, make_procedure
from motcua.dossiers.tests.test_documents import docx_text, pdf_text
from motcua.people.choices import Role
from motcua.procedures.fees import parse_fee_rows
from motcua.procedures.models import Procedure

CERTIFIED_COPY = [
    {
        "channel": "Trực tiếp",
        "time": "Không có thông tin",
        "fee": "2,000 Việt Nam Đồng(/trang)",
        "description": "Tại Ủy ban nhân dân cấp xã, Tổ chức hành nghề công chứng: "
        "2.000 đồng/trang; từ trang thứ 3 trở lên thu 1.000 đồng/trang, "
        "tối đa thu không quá 200.000 đồng/bản.",
    },
    {
        "channel": "Trực tiếp",
        "time": "Không có thông tin",
        "fee": "10 USD(/bản)",
        "description": "Tại cơ quan đại diện: 10 USD/bản.",
    },
]
REDUCED = [
    {
        "channel": channel,
        "time": "15 Ngày làm việc",
        "fee": "800,000 Việt Nam Đồng(áp dụng mức phí 400.000 đồng/hồ sơ kể từ ngày 01/7/2025 "
        "đến hết ngày 31/12/2026 theo Thông tư số 64/2025/TT-BTC)",
        "description": "",
    }
    for channel in ("Trực tiếp", "Trực tuyến", "Dịch vụ bưu chính")
]
UNKNOWN = [{"channel": "Trực tiếp", "time": "", "fee": "Không có thông tin", "description": ""}]


@pytest.fixture
def desk(province: Province) -> Any:
    return make_user("tam", (province.new_commune, Role.ONE_STOP_OFFICER), full_name="Lê Văn Tâm")


def procedure_with(
    province: Province, code: str, rows: list[dict[str, str]], **kw: Any
) -> Procedure:
    return make_procedure(
        code,
        units=[province.new_commune],
        fee_spec=parse_fee_rows(rows),
        fee_as_written="; ".join(r["fee"] for r in rows),
        **kw,
    )


def receive(desk: Any, province: Province, procedure: Procedure, **kw: Any) -> Dossier:
    return services.receive_dossier(
        actor=desk,
        procedure=procedure,
        receiving_unit=province.new_commune,
        applicant=APPLICANT,
        **kw,
    )


def test_fee_is_computed_on_the_day_of_receipt(
    desk: Any, province: Province, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: local(2027, 1, 5, 9))  # receipts are never ahead
    procedure = procedure_with(province, "1.000688", REDUCED, name="Cấp Thẻ công chứng viên")
    last_day = receive(desk, province, procedure, at=local(2026, 12, 31, 16))
    first_day_after = receive(desk, province, procedure, at=local(2027, 1, 4, 8))
    stored = {d.code: (d.fee_amount, d.fee_detail["on"]) for d in Dossier.objects.all()}
    assert stored[last_day.code] == (400000, "2026-12-31")
    assert stored[first_day_after.code] == (800000, "2027-01-04")
    assert (
        "Thông tư số 64/2025/TT-BTC" in Dossier.objects.get(pk=last_day.pk).fee_detail["breakdown"]
    )


def test_fee_from_counts_and_refused_counts_write_nothing(desk: Any, province: Province) -> None:
    procedure = procedure_with(province, "2.000815", CERTIFIED_COPY, name="Chứng thực bản sao")
    dossier = receive(desk, province, procedure, at=local(2026, 12, 7, 9), fee_counts={"pages": 3})
    dossier.refresh_from_db()
    assert dossier.fee_amount == 5000
    assert dossier.fee_detail["breakdown"] == "3 trang: 2 × 2.000 đ + 1 × 1.000 đ = 5.000 đ."
    assert dossier.fee_detail["counts"] == {"pages": 3, "copies": 1}
    with pytest.raises(services.DossierError) as refused:
        receive(desk, province, procedure, at=local(2026, 12, 7, 10), fee_counts={"pages": 0})
    assert refused.value.field == "fee_counts"
    assert Dossier.objects.count() == 1


def test_unknown_fee_is_stored_as_none_and_shown_as_unknown(desk: Any, province: Province) -> None:
    procedure = procedure_with(province, "1.002544", UNKNOWN, name="Thủ tục chưa rõ phí")
    dossier = receive(desk, province, procedure, at=local(2026, 12, 7, 9))
    dossier.refresh_from_db()
    assert dossier.fee_amount is None
    assert dossier.fee_detail["status"] == "unknown"
    client = Client()
    client.force_login(desk)
    html = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Chưa có thông tin về phí, lệ phí" in html
    assert "Không thu phí" not in html


def test_a_hand_configured_procedure_keeps_its_one_amount(desk: Any, province: Province) -> None:
    procedure = make_procedure("1.001193", units=[province.new_commune], fee=8000)
    dossier = receive(desk, province, procedure, at=local(2026, 12, 7, 9))
    dossier.refresh_from_db()
    assert (dossier.fee_amount, dossier.fee_detail["text"]) == (8000, "8.000 đ")
    free = make_procedure("1.001194", units=[province.new_commune])
    assert receive(desk, province, free, at=local(2026, 12, 7, 9)).fee_amount == 0


def test_receipt_prints_the_fee_and_how_it_was_computed(
    desk: Any, province: Province, tmp_path: Any
) -> None:
    procedure = procedure_with(province, "2.000815", CERTIFIED_COPY, name="Chứng thực bản sao")
    dossier = receive(
        desk, province, procedure, at=local(2026, 12, 7, 9), fee_counts={"pages": 250}
    )
    line = (
        "7. Phí, lệ phí: 200.000 đ (250 trang: 2 × 2.000 đ + 248 × 1.000 đ = 252.000 đ, "
        "tối đa 200.000 đ một bản: 200.000 đ)."
    )
    assert line in docx_text(render_dossier_document(dossier, "receipt", "docx").data)
    pdf = pdf_text(render_dossier_document(dossier, "receipt", "pdf").data, tmp_path)
    assert line in pdf
    unknown = receive(
        desk,
        province,
        procedure_with(province, "1.002544", UNKNOWN, name="Thủ tục chưa rõ phí"),
        at=local(2026, 12, 7, 9),
    )
    text = docx_text(render_dossier_document(unknown, "receipt", "docx").data)
    assert "7. Phí, lệ phí: Chưa có thông tin về phí, lệ phí." in text


def _post(client: Client, procedure: Procedure, **extra: str) -> Any:
    return client.post(
        "/ho-so/tiep-nhan/",
        {
            "procedure": procedure.code,
            "receiving_unit": "N1",
            "name": "Trần Văn Bình",
            "channel": "direct",
            "submitted_by": "applicant",
            **handed_in(procedure),
            **extra,
        },
    )


def test_counter_asks_for_pages_only_when_the_fee_needs_them(desk: Any, province: Province) -> None:
    per_page = procedure_with(province, "2.000815", CERTIFIED_COPY, name="Chứng thực bản sao")
    fixed = procedure_with(province, "1.000688", REDUCED, name="Cấp Thẻ công chứng viên")
    client = Client()
    client.force_login(desk)
    asked = client.get(
        "/ho-so/tiep-nhan/thanh-phan/", {"thu-tuc": per_page.code, "noi-tiep-nhan": "N1"}
    )
    html = asked.content.decode()
    assert 'name="fee_pages"' in html and "Số trang của bản chính (để tính phí)" in html
    assert 'name="fee_copies"' in html
    not_asked = client.get(
        "/ho-so/tiep-nhan/thanh-phan/", {"thu-tuc": fixed.code, "noi-tiep-nhan": "N1"}
    ).content.decode()
    assert 'name="fee_pages"' not in not_asked and "800.000 đồng/hồ sơ" in not_asked

    missing = _post(client, per_page)
    assert missing.status_code == 400
    assert "Cần ghi số này để tính phí, lệ phí." in missing.content.decode()
    wrong = _post(client, per_page, fee_pages="ba", fee_copies="0")
    assert wrong.status_code == 400
    page = wrong.content.decode()
    assert "Hãy ghi một số nguyên, ví dụ 3." in page
    assert "Số này phải từ 1 trở lên." in page
    assert Dossier.objects.count() == 0

    done = _post(client, per_page, fee_pages="3", fee_copies="2")
    assert done.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.fee_amount == 10000
    assert _post(client, fixed).status_code == 302  # no count needed, none asked


def test_the_api_takes_the_counts_and_returns_the_fee(desk: Any, province: Province) -> None:
    from rest_framework.test import APIClient

    procedure = procedure_with(province, "2.000815", CERTIFIED_COPY, name="Chứng thực bản sao")
    client = APIClient()
    client.force_authenticate(desk)
    body = {
        "procedure": procedure.code,
        "receiving_unit": "N1",
        "applicant": {"name": "Nguyễn Văn An", "phone": "0912345678"},
    }
    bad = client.post("/api/v1/dossiers/", {**body, "fee_counts": {"pages": 0}}, format="json")
    assert bad.status_code == 400 and "fee_counts" in bad.json()
    assert Dossier.objects.count() == 0
    done = client.post("/api/v1/dossiers/", {**body, "fee_counts": {"pages": 3}}, format="json")
    assert done.status_code == 201, done.json()
    detail = client.get(f"/api/v1/dossiers/{done.json()['code']}/").json()
    assert detail["fee_amount"] == 5000
    assert detail["fee_detail"]["counts"] == {"pages": 3, "copies": 1}
