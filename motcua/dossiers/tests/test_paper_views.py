"""Papers from the page and the API: one click each, scoped, only what the state allows; the
desk's register for a day or a period."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from openpyxl import load_workbook

from motcua.conftest import Province
from motcua.documents.render import DOCX, PDF, XLSX
from motcua.dossiers import services
from motcua.dossiers.tests.factories import local
from motcua.dossiers.tests.test_api import client_for, in_progress, procedure, receive  # noqa: F401
from motcua.dossiers.tests.test_documents import docx_text, needs_soffice, pdf_text
from motcua.dossiers.tests.test_views import signed_in


def _docx(data: bytes) -> str:
    Document(io.BytesIO(data))  # opens as a Word document
    return docx_text(data)


def test_dossier_page_lists_the_papers_its_state_allows(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = in_progress(people, province, procedure)
    page = signed_in(people["alice"]).get(f"/ho-so/{d.code}/").content.decode()
    assert '<h2 id="h-papers">Giấy tờ</h2>' in page
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ" in page
    pdf = f'href="/ho-so/{d.code}/giay-to/phieu-tiep-nhan.pdf" target="_blank"'
    assert pdf in page
    assert f'href="/ho-so/{d.code}/giay-to/phieu-tiep-nhan.docx" download' in page
    assert f"/ho-so/{d.code}/giay-to/phieu-kiem-soat.pdf" in page
    for slug in ("van-ban-xin-loi", "phieu-yeu-cau-bo-sung", "phieu-giao-nhan-ket-qua"):
        assert f"/giay-to/{slug}." not in page
    # a read-only viewer (provincial office) sees the dossier but prints nothing
    viewer = signed_in(people["olga"]).get(f"/ho-so/{d.code}/").content.decode()
    assert "/giay-to/" not in viewer
    assert "Chỉ cán bộ tiếp nhận, xử lý, phê duyệt hồ sơ mới in được giấy tờ." in viewer


def test_paper_docx_downloads_and_pdf_opens_inline(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    tmp_path: Any,
) -> None:
    d = in_progress(people, province, procedure)
    alice = signed_in(people["alice"])
    response = alice.get(f"/ho-so/{d.code}/giay-to/phieu-tiep-nhan.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == (
        f'attachment; filename="{d.code}_phieu-tiep-nhan.docx"'
    )
    text = _docx(response.content)
    assert d.code
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and d.code in text
    needs_soffice()
    response = alice.get(f"/ho-so/{d.code}/giay-to/phieu-kiem-soat.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"] == f'inline; filename="{d.code}_phieu-kiem-soat.pdf"'
    text = pdf_text(response.content, tmp_path)
    assert d.code
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text and d.code in text


def test_papers_outside_scope_or_not_allowed_are_404(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = in_progress(people, province, procedure)
    # another commune's officer: exactly like a missing dossier
    bob = signed_in(people["bob"])
    assert bob.get(f"/ho-so/{d.code}/giay-to/phieu-tiep-nhan.docx").status_code == 404
    alice = signed_in(people["alice"])
    # no apology, no refusal, no hand-over yet; an unknown paper
    for slug in ("van-ban-xin-loi", "van-ban-tra-lai-ho-so", "phieu-giao-nhan-ket-qua", "khac"):
        assert alice.get(f"/ho-so/{d.code}/giay-to/{slug}.docx").status_code == 404, slug
    assert alice.get(f"/ho-so/{d.code}/giay-to/phieu-tiep-nhan.odt").status_code == 404
    assert alice.get("/ho-so/KHONG-CO/giay-to/phieu-tiep-nhan.docx").status_code == 404
    # in scope but without the right to the applicant's data
    assert (
        signed_in(people["olga"]).get(f"/ho-so/{d.code}/giay-to/phieu-tiep-nhan.docx").status_code
        == 403
    )
    # once the apology exists, its paper is there
    services.issue_apology(
        dossier=d,
        actor=people["dana"],
        reason="Cần xác minh",
        new_due=local(2025, 3, 24, 16),
        at=local(2025, 3, 12, 10),
    )
    response = alice.get(f"/ho-so/{d.code}/giay-to/van-ban-xin-loi.docx")
    assert response.status_code == 200
    assert "16 giờ 00 phút, ngày 24/03/2025" in _docx(response.content)


def test_promised_date_shows_the_apology_s_new_date(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = in_progress(people, province, procedure)
    services.issue_apology(
        dossier=d,
        actor=people["dana"],
        reason="Cần xác minh",
        new_due=local(2025, 3, 24, 16),
        at=local(2025, 3, 12, 10),
    )
    d.refresh_from_db()
    assert d.promised_due == local(2025, 3, 24, 16)
    page = signed_in(people["alice"]).get(f"/ho-so/{d.code}/").content.decode()
    assert "Ngày hẹn trả cho người nộp: <strong>24/03/2025 16:00</strong> (đã hẹn lại)" in page
    body = client_for(people["alice"]).get(f"/api/v1/dossiers/{d.code}/").json()
    assert body["promised_due"].startswith("2025-03-24T")


def test_late_apology_shows_an_expected_date_not_a_new_appointment(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = in_progress(people, province, procedure)
    services.issue_apology(
        dossier=d,
        actor=people["dana"],
        reason="Chờ ý kiến cơ quan công an",
        new_due=local(2025, 3, 21, 16),
        at=local(2025, 3, 18, 10),
    )
    page = signed_in(people["alice"]).get(f"/ho-so/{d.code}/").content.decode()
    assert "Ngày hẹn trả cho người nộp: <strong>17/03/2025 09:00</strong>" in page
    assert "Dự kiến trả kết quả (theo văn bản xin lỗi): <strong>21/03/2025 16:00</strong>" in page


# -- API ---------------------------------------------------------------------------------------


def test_api_lists_papers_and_downloads_them(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = in_progress(people, province, procedure)
    api = client_for(people["alice"])
    response = api.get(f"/api/v1/dossiers/{d.code}/papers/")
    assert response.status_code == 200
    rows = response.json()
    assert [r["key"] for r in rows] == ["receipt", "control_sheet"]
    assert rows[0]["name"] == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert rows[0]["pdf_url"] == (
        f"http://testserver/api/v1/dossiers/{d.code}/papers/receipt/?format=pdf"
    )
    assert rows[0]["docx_url"].endswith(f"/api/v1/dossiers/{d.code}/papers/receipt/?format=docx")
    response = api.get(rows[0]["docx_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment;")
    assert str(d.code) in _docx(response.content)
    # scope, state, kind
    bob = client_for(people["bob"])
    assert bob.get(f"/api/v1/dossiers/{d.code}/papers/").status_code == 404
    assert bob.get(f"/api/v1/dossiers/{d.code}/papers/receipt/?format=docx").status_code == 404
    missing = api.get(f"/api/v1/dossiers/{d.code}/papers/apology/?format=docx")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json"
    assert api.get(f"/api/v1/dossiers/{d.code}/papers/khac/?format=docx").status_code == 404
    viewer = client_for(people["olga"])
    assert viewer.get(f"/api/v1/dossiers/{d.code}/papers/").json() == []
    assert viewer.get(f"/api/v1/dossiers/{d.code}/papers/receipt/?format=docx").status_code == 403


def test_api_pdf_is_inline(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    needs_soffice()
    d = receive(people, province, procedure)
    response = client_for(people["alice"]).get(f"/api/v1/dossiers/{d.code}/papers/receipt/")
    assert response.status_code == 200
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"] == f'inline; filename="{d.code}_phieu-tiep-nhan.pdf"'
    assert response.content.startswith(b"%PDF")


def test_schema_documents_the_paper_routes(people: dict) -> None:
    schema = client_for(people["alice"]).get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200, schema.status_code
    paths = schema.json()["paths"]
    assert "/api/v1/dossiers/{code}/papers/" in paths
    operation = paths["/api/v1/dossiers/{code}/papers/{key}/"]["get"]
    assert set(operation["responses"]["200"]["content"]) == {PDF, DOCX}


# -- the register ------------------------------------------------------------------------------


def test_register_page_prints_a_day_for_units_in_scope(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    receive(people, province, procedure, at=local(2025, 3, 3, 9))
    receive(people, province, procedure, at=local(2025, 3, 3, 15))
    receive(people, province, procedure, at=local(2025, 3, 4, 9))  # another day
    alice = signed_in(people["alice"])
    unit = province.commune_a.pk
    blank = alice.get("/ho-so/so-theo-doi/")
    assert blank.status_code == 200
    page = blank.content.decode()
    assert (
        "Sổ theo dõi hồ sơ" in page and 'name="tu"' in page and "Ủy ban nhân dân xã Mỹ An" in page
    )
    assert "Ủy ban nhân dân xã Mỹ Hòa" not in page  # bob's commune is not alice's
    query: dict[str, Any] = {"tu": "03/03/2025", "den": "03/03/2025", "don-vi": unit}
    page = alice.get("/ho-so/so-theo-doi/", query).content.decode()
    assert "2 hồ sơ tiếp nhận từ 03/03/2025 đến 03/03/2025" in page
    assert "C1-250303-0001" in page and "C1-250303-0002" in page
    assert "C1-250304-0001" not in page
    response = alice.get("/ho-so/so-theo-doi/", {**query, "dinh-dang": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    codes = [r[1] for r in sheet.iter_rows(values_only=True) if str(r[1]).startswith("C1-")]
    assert codes == ["C1-250303-0001", "C1-250303-0002"]
    response = alice.get("/ho-so/so-theo-doi/", {**query, "den": "04/03/2025", "dinh-dang": "docx"})
    assert response["Content-Type"] == DOCX
    text = _docx(response.content)
    assert "Từ ngày 03/03/2025 đến ngày 04/03/2025" in text and "Tổng số hồ sơ: 3." in text


def test_register_refuses_other_units_and_bad_dates_in_vietnamese(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    receive(people, province, procedure, at=local(2025, 3, 3, 9))
    bob = signed_in(people["bob"])
    query: dict[str, Any] = {
        "tu": "03/03/2025",
        "den": "03/03/2025",
        "don-vi": province.commune_a.pk,
    }
    response = bob.get("/ho-so/so-theo-doi/", {**query, "dinh-dang": "xlsx"})
    assert response.status_code == 400
    assert "Hãy chọn đơn vị tiếp nhận." in response.content.decode()
    alice = signed_in(people["alice"])
    response = alice.get("/ho-so/so-theo-doi/", {**query, "tu": "2025-13-01", "den": "02/03/2025"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "“Từ ngày” phải là ngày dạng 07/12/2026." in page
    response = alice.get("/ho-so/so-theo-doi/", {**query, "den": "01/03/2025"})
    assert "“Đến ngày” phải sau hoặc bằng “Từ ngày”." in response.content.decode()
    assert (
        signed_in(people["alice"])
        .get("/ho-so/so-theo-doi/", {**query, "dinh-dang": "odt"})
        .status_code
        == 404
    )
