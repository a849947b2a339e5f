"""Papers of a dossier rendered from the real templates, opened and read back."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from motcua.conftest import Province, make_user
from motcua.documents.exporters import ExportError, get_exporter, list_exporters
from motcua.documents.render import DOCX, PDF, XLSX, qr_png
from motcua.dossiers import documents, services
from motcua.dossiers.documents import (
    DocumentNotApplicable,
    form_set_on,
    qr_payload,
    render_dossier_document,
    render_register,
)
from motcua.dossiers.forms_build import FORMS, build_all
from motcua.dossiers.models import ReceivedComponent
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.dossiers.tokens import dossier_for_token, rating_token
from motcua.people.choices import Role


@pytest.fixture
def procedure(province: Province):
    p = province
    return make_procedure(
        units=[p.commune_a],
        steps=[
            ("Tiếp nhận", p.commune_a, 4),
            ("Thẩm định", p.commune_a, 60),
            ("Phê duyệt", p.commune_a, 16),
        ],
    )


@pytest.fixture
def new_procedure(province: Province):
    """A procedure of the new commune (after the 2025 reform)."""
    return make_procedure(
        "1.004227",
        units=[province.new_commune],
        name="Thủ tục đăng ký kết hôn",
        steps=[("Tiếp nhận", province.new_commune, 8), ("Giải quyết", province.new_commune, 72)],
    )


def receive(people: dict, province: Province, procedure, at=None, **applicant):
    return services.receive_dossier(
        actor=people["alice"],
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant={**APPLICANT, **applicant},
        at=at or local(2025, 3, 3, 9),
    )


def docx_text(data: bytes) -> str:
    """Every paragraph of the body (tables included, in order) and of the page header, NFC."""
    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.sections[0].header.paragraphs]
    for block in doc.element.body.iter():
        if block.tag == qn("w:p"):
            lines.append("".join(t.text or "" for t in block.iter(qn("w:t"))))
    return unicodedata.normalize("NFC", "\n".join(lines))


def table_rows(data: bytes, index: int) -> list[list[str]]:
    doc = Document(io.BytesIO(data))
    return [[c.text for c in row.cells] for row in doc.tables[index].rows]


def pdf_text(data: bytes, tmp_path) -> str:
    """The PDF's text through pdftotext (poppler-utils), NFC, every run of whitespace one space
    (lines wrap differently with each font); pdftotext (poppler-utils) is required."""
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.fail("pdftotext is required: apt-get install poppler-utils (.ci/run does)")
    source = tmp_path / "doc.pdf"
    source.write_bytes(data)
    done = subprocess.run(
        [exe, "-enc", "UTF-8", str(source), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return " ".join(unicodedata.normalize("NFC", done.stdout.decode("utf-8")).split())


def needs_soffice() -> None:
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice is required: apt-get install libreoffice-writer-nogui")


def assert_no_placeholders(text: str) -> None:
    assert "{{" not in text and "{%" not in text, text


# -- templates ---------------------------------------------------------------------------------


def test_committed_templates_are_what_forms_build_generates(tmp_path) -> None:
    built = build_all(tmp_path)
    assert len(built) == 17
    for path in built:
        committed = FORMS[path.parent.name][path.stem.split("_", 1)[1]].path
        assert committed.read_bytes() == path.read_bytes(), f"regenerate {committed.name}"


# -- receipt, QR ---------------------------------------------------------------------------------


def test_receipt_prints_the_dossier_applicant_procedure_and_due(
    people: dict, province: Province, procedure
) -> None:
    dossier = receive(people, province, procedure)
    ReceivedComponent.objects.create(dossier=dossier, name="Tờ khai đăng ký khai sinh", originals=1)
    name, content_type, data = render_dossier_document(dossier, "receipt")
    assert name == "C1-250303-0001_01_receipt.docx"
    assert content_type == DOCX
    text = docx_text(data)
    assert_no_placeholders(text)
    assert "Mẫu số 01 – Thông tư số 01/2018/TT-VPCP" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN HUYỆN THÁP MƯỜI" in text
    assert "ỦY BAN NHÂN DÂN XÃ MỸ AN" in text
    assert "Mỹ An, ngày 03 tháng 3 năm 2025" in text
    assert "Mã hồ sơ: C1-250303-0001" in text
    assert "Ông/bà: Trần Văn Bình" in text
    assert "Địa chỉ: Ấp 1, xã Mỹ An, Đồng Tháp" in text
    assert "Thủ tục đăng ký khai sinh (mã thủ tục: 1.001193)" in text
    assert "Thời gian giải quyết hồ sơ theo quy định: 10 ngày làm việc" in text
    assert "4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 03/03/2025." in text
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 17/03/2025." in text
    assert "Nguyễn Thị An" in text  # the receiving officer signs
    assert "Chủ hồ sơ" not in text  # no owner different from the applicant
    assert "http://127.0.0.1:8000/tra-cuu/?ma=C1-250303-0001" in text
    components = table_rows(data, 1)
    assert components[0][:5] == ["TT", "Tên giấy tờ", "Bản chính", "Bản sao chứng thực", "Bản sao"]
    assert components[1:] == [["1", "Tờ khai đăng ký khai sinh", "1", "0", "0", ""]]


def test_receipt_qr_is_top_left_and_holds_the_masked_identifier(
    people: dict, province: Province, procedure, monkeypatch, settings
) -> None:
    settings.MOTCUA_PUBLIC_URL = "https://motcua.dongthap.gov.vn/"
    dossier = receive(people, province, procedure)
    seen: list[str] = []

    def spy(text: str, **kw: object) -> bytes:
        seen.append(text)
        return qr_png(text)

    monkeypatch.setattr(documents, "qr_png", spy)
    _name, _type, data = render_dossier_document(dossier, "receipt")
    assert seen == [qr_payload(dossier, FORMS["tt01_2018"]["receipt"])]
    payload = seen[0]
    assert payload.splitlines() == [
        "Mã hồ sơ: C1-250303-0001",
        "Mã thủ tục: 1.001193",
        "Định danh người nộp: *********234",
        "Giấy tờ: Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "Tra cứu: https://motcua.dongthap.gov.vn/tra-cuu/?ma=C1-250303-0001",
        f"Đánh giá: https://motcua.dongthap.gov.vn/danh-gia/{rating_token(dossier)}/",
    ]
    # The rating link is signed: it names this dossier and no other.
    assert dossier_for_token(rating_token(dossier)) == dossier
    assert APPLICANT["id_number"] not in payload
    assert APPLICANT["phone"] not in payload
    doc = Document(io.BytesIO(data))
    # the first thing on the page is the heading table, whose first cell holds the QR image
    first = doc.element.body[0]
    assert first.tag == qn("w:tbl")
    qr_cell = doc.tables[0].cell(0, 0)
    blips = qr_cell._tc.findall(".//" + qn("a:blip"))
    assert len(blips) == 1
    image = doc.part.related_parts[blips[0].get(qn("r:embed"))].blob
    assert image == qr_png(payload)
    assert image.startswith(b"\x89PNG\r\n\x1a\n")


def test_receipt_prints_owner_when_different(people: dict, province: Province, procedure) -> None:
    dossier = receive(people, province, procedure, owner_name="Công ty TNHH Sen Hồng")
    text = docx_text(render_dossier_document(dossier, "receipt").data)
    assert "Chủ hồ sơ (nếu khác người nộp): Công ty TNHH Sen Hồng" in text


def test_receipt_survives_conversion_to_pdf(
    people: dict, province: Province, procedure, tmp_path
) -> None:
    needs_soffice()
    dossier = receive(people, province, procedure)
    name, content_type, data = render_dossier_document(dossier, "receipt", "pdf")
    assert name.endswith(".pdf") and content_type == PDF
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    assert "C1-250303-0001" in text
    assert "Đồng Tháp" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Trần Văn Bình" in text
    assert "09 giờ 00 phút, ngày 17/03/2025" in text


# -- supplement and completion requests ----------------------------------------------------------


def test_supplement_request_lists_every_item_and_the_reason(
    people: dict, province: Province, procedure
) -> None:
    dossier = receive(people, province, procedure)
    dossier = services.transfer_dossier(
        dossier=dossier, actor=people["alice"], to_unit=province.commune_a, at=local(2025, 3, 3, 10)
    )
    dossier = services.request_supplement(
        dossier=dossier,
        actor=people["dana"],
        items=["Giấy chứng sinh (bản chính)", "Giấy đăng ký kết hôn của cha mẹ (bản sao)"],
        reason="Thiếu giấy tờ chứng minh nơi sinh và quan hệ cha mẹ",
        at=local(2025, 3, 5, 14, 30),
    )
    _name, _type, data = render_dossier_document(dossier, "supplement_request")
    text = docx_text(data)
    assert_no_placeholders(text)
    assert "Mẫu số 02 – Thông tư số 01/2018/TT-VPCP" in text
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "1. Giấy chứng sinh (bản chính)" in text
    assert "2. Giấy đăng ký kết hôn của cha mẹ (bản sao)" in text
    assert "Lý do: Thiếu giấy tờ chứng minh nơi sinh và quan hệ cha mẹ" in text
    assert "Ngày yêu cầu: 14 giờ 30 phút, ngày 05/03/2025." in text
    assert "Mỹ An, ngày 05 tháng 3 năm 2025" in text
    assert "Hồ sơ của ông/bà: Trần Văn Bình" in text


def test_completion_request_before_receipt_uses_the_same_form(
    people: dict, province: Province, procedure
) -> None:
    dossier = services.submit_dossier(
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=local(2025, 3, 3, 8),
    )
    dossier = services.request_completion(
        dossier=dossier,
        actor=people["alice"],
        items=["Tờ khai có chữ ký của người đi khai sinh"],
        reason="Tờ khai chưa ký",
        at=local(2025, 3, 3, 9),
    )
    text = docx_text(render_dossier_document(dossier, "supplement_request").data)
    assert "1. Tờ khai có chữ ký của người đi khai sinh" in text
    assert "Lý do: Tờ khai chưa ký" in text
    assert "Nguyễn Thị An" in text
    with pytest.raises(DocumentNotApplicable, match="chưa được tiếp nhận"):
        render_dossier_document(dossier, "receipt")


# -- intake refusal ---------------------------------------------------------------------------


def test_intake_refusal_prints_the_reason_and_has_no_receipt(
    people: dict, province: Province, procedure
) -> None:
    dossier = services.refuse_at_intake(
        actor=people["alice"],
        reason="Yêu cầu không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã",
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=local(2025, 3, 4, 15, 5),
    )
    text = docx_text(render_dossier_document(dossier, "intake_refusal").data)
    assert_no_placeholders(text)
    assert "Mẫu số 03 – Thông tư số 01/2018/TT-VPCP" in text
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Yêu cầu không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã" in text
    assert "Thời điểm từ chối: 15 giờ 05 phút, ngày 04/03/2025." in text
    assert "Mã hồ sơ: C1-250304-0001" in text
    for kind in ("receipt", "control_sheet"):
        with pytest.raises(DocumentNotApplicable, match="chưa được tiếp nhận"):
            render_dossier_document(dossier, kind)


def test_received_dossier_has_no_intake_refusal(
    people: dict, province: Province, procedure
) -> None:
    dossier = receive(people, province, procedure)
    with pytest.raises(DocumentNotApplicable, match="không bị từ chối tiếp nhận"):
        render_dossier_document(dossier, "intake_refusal")


# -- apology and the form set switch ---------------------------------------------------------------


def _late_candidate(people: dict, province: Province, procedure):
    """Received on the last day of the old rules, in progress, apology after 01/07/2025."""
    dossier = receive(people, province, procedure, at=local(2025, 6, 30, 9))
    dossier = services.transfer_dossier(
        dossier=dossier,
        actor=people["alice"],
        to_unit=province.commune_a,
        at=local(2025, 6, 30, 10),
    )
    return dossier


def test_form_set_follows_the_day_of_issue(
    people: dict, province: Province, procedure, settings
) -> None:
    dossier = _late_candidate(people, province, procedure)
    assert form_set_on(local(2025, 6, 30).date()) == "tt01_2018"
    assert form_set_on(local(2025, 7, 1).date()) == "tt03_2025"
    receipt = docx_text(render_dossier_document(dossier, "receipt").data)
    assert "Mẫu số 01 – Thông tư số 01/2018/TT-VPCP" in receipt
    services.issue_apology(
        dossier=dossier,
        actor=people["dana"],
        reason="Cần xác minh thông tin nơi cư trú tại địa phương khác",
        new_due=local(2025, 7, 18, 16),
        delaying_unit=province.commune_a,
        at=local(2025, 7, 8, 10),
    )
    _name, _type, data = render_dossier_document(dossier, "apology")
    text = docx_text(data)
    assert_no_placeholders(text)
    assert "Mẫu số 04 – Thông tư số 03/2025/TT-VPCP" in text
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT HỒ SƠ" in text
    assert "đề nghị ông/bà đồng ý gia hạn thời gian giải quyết hồ sơ" in text
    assert "Thời gian đề nghị gia hạn trả kết quả: 16 giờ 00 phút, ngày 18/07/2025" in text
    assert "Cần xác minh thông tin nơi cư trú tại địa phương khác" in text
    assert "Ngày 30/06/2025, Ủy ban nhân dân xã Mỹ An tiếp nhận" in text
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 14/07/2025." in text
    assert "Kính gửi: Ông/bà Trần Văn Bình." in text
    assert "ngày 08 tháng 7 năm 2025" in text
    # the receipt stays a 01/2018 paper: it was issued on 30/06/2025
    receipt = docx_text(render_dossier_document(dossier, "receipt").data)
    assert "Mẫu số 01 – Thông tư số 01/2018/TT-VPCP" in receipt
    # if Circular 03/2025 is found to take effect later, the same apology is a 01/2018 form 04
    settings.MOTCUA_TT03_2025_FROM = "2025-09-15"
    text = docx_text(render_dossier_document(dossier, "apology").data)
    assert "Mẫu số 04 – Thông tư số 01/2018/TT-VPCP" in text
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert (
        "Chúng tôi sẽ trả kết quả giải quyết hồ sơ cho ông/bà vào 16 giờ 00 phút, ngày 18/07/2025"
        in text
    )
    # an explicit day of issue wins
    text = docx_text(
        render_dossier_document(dossier, "apology", issued_on=local(2025, 9, 15).date()).data
    )
    assert "Mẫu số 04 – Thông tư số 03/2025/TT-VPCP" in text


def test_apology_in_pdf_keeps_its_diacritics(
    people: dict, province: Province, procedure, tmp_path
) -> None:
    needs_soffice()
    dossier = _late_candidate(people, province, procedure)
    services.issue_apology(
        dossier=dossier,
        actor=people["dana"],
        reason="Cần xác minh thông tin nơi cư trú",
        new_due=local(2025, 7, 18, 16),
        at=local(2025, 7, 8, 10),
    )
    text = pdf_text(render_dossier_document(dossier, "apology", "pdf").data, tmp_path)
    assert dossier.code in text
    assert "Cần xác minh thông tin nơi cư trú" in text
    assert "Trần Văn Bình" in text


def test_no_apology_without_an_apology_row(people: dict, province: Province, procedure) -> None:
    dossier = receive(people, province, procedure)
    with pytest.raises(DocumentNotApplicable, match="chưa có văn bản xin lỗi"):
        render_dossier_document(dossier, "apology")
    with pytest.raises(DocumentNotApplicable, match="chưa có yêu cầu bổ sung"):
        render_dossier_document(dossier, "supplement_request")


# -- stop notice ----------------------------------------------------------------------------------


def test_stop_notice_exists_only_in_the_2025_set(
    people: dict, province: Province, procedure, new_procedure
) -> None:
    desk = make_user("tam", (province.new_commune, Role.ONE_STOP_OFFICER))
    chief = make_user("hai", (province.new_commune, Role.LEADER), full_name="Phạm Văn Hải")
    dossier = services.receive_dossier(
        actor=desk,
        procedure=new_procedure,
        receiving_unit=province.new_commune,
        applicant=APPLICANT,
        at=local(2025, 8, 4, 9),
    )
    with pytest.raises(DocumentNotApplicable, match="không ở trạng thái dừng"):
        render_dossier_document(dossier, "stop_notice")
    dossier = services.stop_dossier(
        dossier=dossier,
        actor=chief,
        reason="Người nộp có văn bản đề nghị dừng giải quyết hồ sơ",
        at=local(2025, 8, 6, 11),
    )
    text = docx_text(render_dossier_document(dossier, "stop_notice").data)
    assert_no_placeholders(text)
    assert "Mẫu số 05 – Thông tư số 03/2025/TT-VPCP" in text
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert "kể từ 11 giờ 00 phút, ngày 06/08/2025" in text
    assert "Người nộp có văn bản đề nghị dừng giải quyết hồ sơ" in text
    assert "Tháp Mười, ngày 06 tháng 8 năm 2025" in text
    with pytest.raises(DocumentNotApplicable, match="Thông tư số 03/2025/TT-VPCP"):
        render_dossier_document(dossier, "stop_notice", issued_on=local(2025, 6, 30).date())
    # a dossier stopped under the old forms has no stop notice at all
    old = receive(people, province, procedure, at=local(2025, 3, 3, 9))
    old = services.stop_dossier(
        dossier=old, actor=people["dana"], reason="Quá hạn bổ sung", at=local(2025, 3, 20, 9)
    )
    with pytest.raises(DocumentNotApplicable, match="chỉ có trong bộ mẫu"):
        render_dossier_document(old, "stop_notice")


# -- control sheet --------------------------------------------------------------------------------


def test_control_sheet_has_one_row_per_hand_over(
    people: dict, province: Province, procedure
) -> None:
    alice, dana = people["alice"], people["dana"]
    dossier = receive(people, province, procedure)
    dossier = services.transfer_dossier(
        dossier=dossier, actor=alice, to_unit=province.commune_a, at=local(2025, 3, 3, 9, 30)
    )
    dossier = services.transfer_dossier(
        dossier=dossier,
        actor=alice,
        to_unit=province.commune_a,
        received_by=dana,
        note="Chuyển công chức tư pháp - hộ tịch",
        at=local(2025, 3, 3, 11),
    )
    _name, _type, data = render_dossier_document(dossier, "control_sheet")
    text = docx_text(data)
    assert_no_placeholders(text)
    assert "Mẫu số 05 – Thông tư số 01/2018/TT-VPCP" in text
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    # no component row recorded at intake: the neutral line, not the catalogue
    assert "Thành phần hồ sơ: Hệ thống không ghi nhận chi tiết" in text
    assert "Thời gian hẹn trả kết quả: 09 giờ 00 phút, ngày 17/03/2025." in text
    rows = table_rows(data, 1)
    assert rows[0][0] == "TT"
    body = rows[1:]
    assert len(body) == 2
    assert [r[0] for r in body] == ["1", "2"]
    # the first hand-over leaves the desk (whose own step 1, "Tiếp nhận", ended then) and
    # starts step 2, "Thẩm định", at the commune: 1.5 h of its 60 working hours
    assert body[0][1] == "Chuyển hồ sơ đến cơ quan, đơn vị giải quyết"
    assert body[0][2].startswith("Bộ phận Một cửa, Ủy ban nhân dân xã Mỹ An\nNguyễn Thị An")
    assert body[0][6].startswith("Trước hạn")  # 1.5 h of 60
    assert body[1][1] == "Phê duyệt"
    assert body[1][3].startswith("Ủy ban nhân dân xã Mỹ An\ndana")
    assert body[1][4] == "03/03/2025 11:00"
    assert body[1][7] == "Chuyển công chức tư pháp - hộ tịch"
    # the last step is still open, and long past its 16 working hours by now
    assert body[1][6].startswith("Đang xử lý, quá hạn")
    desk_step = dossier.steps.get(order=1)
    assert (desk_step.unit, desk_step.started_at, desk_step.ended_at) == (
        dossier.receiving_unit,
        dossier.received_at,
        local(2025, 3, 3, 9, 30),
    )


# -- register -------------------------------------------------------------------------------------


def test_register_lists_dossiers_received_at_the_unit_in_the_range(
    people: dict, province: Province, procedure, tmp_path
) -> None:
    receive(people, province, procedure, at=local(2025, 3, 3, 9))
    receive(people, province, procedure, at=local(2025, 3, 4, 16), name="Lê Thị Hồng Nhung")
    receive(people, province, procedure, at=local(2025, 3, 6, 8))  # outside the range
    services.receive_dossier(  # another unit
        actor=people["bob"],
        procedure=procedure,
        receiving_unit=province.commune_b,
        applicant=APPLICANT,
        at=local(2025, 3, 4, 9),
    )
    start, end = local(2025, 3, 3).date(), local(2025, 3, 5).date()
    name, content_type, data = render_register(
        province.commune_a, start, end, issued_on=local(2025, 3, 5).date()
    )
    assert name == "C1_06_register_20250303-20250305.docx"
    assert content_type == DOCX
    text = docx_text(data)
    assert_no_placeholders(text)
    assert "Mẫu số 06 – Thông tư số 01/2018/TT-VPCP" in text
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "Từ ngày 03/03/2025 đến ngày 05/03/2025" in text
    assert "Tổng số hồ sơ: 2." in text
    rows = table_rows(data, 1)[1:]
    assert [r[1] for r in rows] == ["C1-250303-0001", "C1-250304-0001"]
    assert rows[1][4] == "Lê Thị Hồng Nhung"
    assert rows[0][5] == "Ấp 1, xã Mỹ An, Đồng Tháp; *******678"
    assert APPLICANT["phone"] not in text
    assert rows[0][7] == "03/03/2025 09:00"
    assert rows[0][11] == "Đã tiếp nhận"

    _name, content_type, data = render_register(province.commune_a, start, end, "xlsx")
    assert content_type == XLSX
    sheet = load_workbook(io.BytesIO(data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Ủy ban nhân dân xã Mỹ An"
    codes = [row[1] for row in values if row[1] and str(row[1]).startswith("C1-")]
    assert codes == ["C1-250303-0001", "C1-250304-0001"]
    assert "*******678" in [row[4] for row in values][-1]


def test_register_after_the_switch_is_form_07(people: dict, province: Province, procedure) -> None:
    text = docx_text(
        render_register(
            province.commune_a,
            local(2025, 3, 1).date(),
            local(2025, 3, 31).date(),
            issued_on=local(2025, 8, 1).date(),
        ).data
    )
    assert "Mẫu số 07 – Thông tư số 03/2025/TT-VPCP" in text
    assert "Tổng số hồ sơ: 0." in text


# -- exporters and bad requests --------------------------------------------------------------------


def test_papers_are_registered_exporters(people: dict, province: Province, procedure) -> None:
    identifiers = {e.identifier for e in list_exporters()}
    assert {
        "dossier.receipt",
        "dossier.supplement_request",
        "dossier.intake_refusal",
        "dossier.apology",
        "dossier.stop_notice",
        "dossier.control_sheet",
        "dossier.register",
        "dossier.refusal",
        "dossier.result_handover",
    } <= identifiers
    dossier = receive(people, province, procedure)
    exporter = get_exporter("dossier.receipt")
    name, _type, data = exporter.render({"dossier": dossier.pk, "user": people["alice"]}, "docx")
    assert name == "C1-250303-0001_01_receipt.docx"
    assert "C1-250303-0001" in docx_text(data)
    # a dossier outside the user's scope is not found, exactly like a missing one
    with pytest.raises(ExportError, match="không tìm thấy hồ sơ"):
        exporter.render({"dossier": dossier.pk, "user": people["bob"]}, "docx")
    with pytest.raises(ExportError, match="không xuất được định dạng"):
        exporter.render({"dossier": dossier}, "xlsx")
    register = get_exporter("dossier.register")
    _name, content_type, _data = register.render(
        {"unit": province.commune_a.pk, "date_from": "2025-03-01", "date_to": "2025-03-31"}, "xlsx"
    )
    assert content_type == XLSX
    with pytest.raises(ExportError, match="date_from"):
        register.render(
            {"unit": province.commune_a.pk, "date_from": "03/2025", "date_to": "x"}, "xlsx"
        )


def test_unknown_kind_and_format_are_refused(people: dict, province: Province, procedure) -> None:
    dossier = receive(people, province, procedure)
    with pytest.raises(ExportError, match="không có loại giấy tờ"):
        render_dossier_document(dossier, "certificate")
    with pytest.raises(ExportError, match="định dạng"):
        render_dossier_document(dossier, "receipt", "odt")
