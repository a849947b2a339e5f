"""What the papers say: the components really handed in, plain Vietnamese on the apology, the
real hand-overs on the control slip, the return of a refused dossier and the result hand-over.
Each paper is rendered from the real template and read back (python-docx; pdftotext for some).
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from motcua.conftest import Province, make_user
from motcua.dossiers import services
from motcua.dossiers.choices import FileKind
from motcua.dossiers.documents import DocumentNotApplicable, render_dossier_document
from motcua.dossiers.models import DossierFile, ReceivedComponent
from motcua.dossiers.papers import available_keys
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.dossiers.tests.test_documents import (
    assert_no_placeholders,
    docx_text,
    needs_soffice,
    pdf_text,
    table_rows,
)
from motcua.people.choices import Role

DESK = "Bộ phận Một cửa, Ủy ban nhân dân xã Mỹ An"


@pytest.fixture
def procedure(province: Province):
    """Steps as the catalogue has them: the desk's receipt first, then work and signature."""
    p = province
    return make_procedure(
        units=[p.commune_a],
        steps=[
            ("Tiếp nhận hồ sơ, chuyển cơ quan giải quyết", p.commune_a, 4),
            ("Thẩm định, xử lý hồ sơ", p.commune_a, 60),
            ("Phê duyệt, ký kết quả", p.commune_a, 16),
        ],
    )


@pytest.fixture
def staff(province: Province) -> dict:
    """The commune's specialist and its chairwoman (who signs)."""
    a = province.commune_a
    return {
        "cuong": make_user("cuong", (a, Role.SPECIALIST), full_name="Lê Văn Cường"),
        "mai": make_user("mai", (a, Role.LEADER), full_name="Võ Thị Mai"),
    }


def receive(people: dict, province: Province, procedure, at=None):
    return services.receive_dossier(
        actor=people["alice"],
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=at or local(2025, 3, 3, 9),
    )


def handled(people: dict, province: Province, procedure, staff: dict):
    """Received, sent by the desk to the specialist, sent up for signature, signed."""
    a = province.commune_a
    d = receive(people, province, procedure)
    d = services.transfer_dossier(
        dossier=d, actor=people["alice"], to_unit=a, received_by=staff["cuong"],
        at=local(2025, 3, 3, 9, 30),
    )  # fmt: skip
    d = services.transfer_dossier(
        dossier=d, actor=staff["cuong"], to_unit=a, received_by=staff["mai"],
        note="Trình ký kết quả", at=local(2025, 3, 5, 15),
    )  # fmt: skip
    return services.resolve_dossier(dossier=d, actor=staff["mai"], at=local(2025, 3, 6, 10))


# -- receipt: what was handed in ----------------------------------------------------------------


def test_receipt_lists_exactly_the_components_handed_in(
    people: dict, province: Province, procedure
) -> None:
    d = receive(people, province, procedure)
    ReceivedComponent.objects.create(
        dossier=d, order=1, name="Tờ khai đăng ký khai sinh", originals=1
    )
    ReceivedComponent.objects.create(
        dossier=d, order=2, name="Giấy chứng sinh", originals=1, copies=2, digitized=True
    )
    ReceivedComponent.objects.create(
        dossier=d,
        order=3,
        name="Văn bản ủy quyền (trường hợp ủy quyền)",
        certified_copies=1,
        conditional=True,
    )
    data = render_dossier_document(d, "receipt").data
    text = docx_text(data)
    assert_no_placeholders(text)
    rows = table_rows(data, 1)
    assert rows[0] == [
        "TT", "Tên giấy tờ", "Bản chính", "Bản sao chứng thực", "Bản sao", "Ghi chú",
    ]  # fmt: skip
    assert rows[1:] == [
        ["1", "Tờ khai đăng ký khai sinh", "1", "0", "0", ""],
        ["2", "Giấy chứng sinh", "1", "0", "2", "đã số hóa"],
        [
            "3",
            "Văn bản ủy quyền (trường hợp ủy quyền)",
            "0",
            "1",
            "0",
            "có điều kiện",
        ],
    ]
    assert "2. Số lượng hồ sơ: 01 bộ." in text
    assert "3. Thời gian giải quyết hồ sơ theo quy định: 10 ngày làm việc" in text
    assert "4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 03/03/2025." in text
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 17/03/2025." in text
    assert f"6. Đăng ký nhận kết quả tại: {DESK}." in text
    assert "Vào Sổ theo dõi hồ sơ ngày 03/03/2025, số thứ tự 1." in text


def test_receipt_without_component_rows_prints_the_uploaded_files_never_the_catalogue(
    people: dict, province: Province, procedure
) -> None:
    d = receive(people, province, procedure)
    text = docx_text(render_dossier_document(d, "receipt").data)
    # nothing recorded: a neutral line, no invented "1 bản chính" from the catalogue
    assert "Hệ thống không ghi nhận chi tiết các giấy tờ đã nộp cùng hồ sơ này." in text
    assert "Tờ khai đăng ký khai sinh" not in text
    assert "Bản chính" not in text
    DossierFile.objects.create(
        dossier=d,
        kind=FileKind.COMPONENT,
        component_name="Tờ khai đăng ký khai sinh (bản điện tử)",
        file=ContentFile(b"%PDF-1.4", name="to-khai.pdf"),
        original_name="to-khai.pdf",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
        uploaded_at=timezone.now(),
    )
    data = render_dossier_document(d, "receipt").data
    rows = table_rows(data, 1)
    assert rows[1:] == [["1", "Tờ khai đăng ký khai sinh (bản điện tử)", "", "", "", "bản điện tử"]]
    assert "Hệ thống không ghi nhận" not in docx_text(data)


def test_second_dossier_of_the_day_is_entry_two_and_postal_return_says_so(
    people: dict, province: Province, procedure
) -> None:
    receive(people, province, procedure, at=local(2025, 3, 3, 8))
    d = receive(people, province, procedure, at=local(2025, 3, 3, 9))
    d.delivery = "postal"
    d.save(update_fields=["delivery"])
    text = docx_text(render_dossier_document(d, "receipt").data)
    assert "Vào Sổ theo dõi hồ sơ ngày 03/03/2025, số thứ tự 2." in text
    assert (
        "6. Đăng ký nhận kết quả tại: qua dịch vụ bưu chính công ích, đến địa chỉ: "
        "Ấp 1, xã Mỹ An, Đồng Tháp." in text
    )


# -- apology: plain Vietnamese, the new date everywhere ----------------------------------------

INTERNAL_WORDS = (
    "dự kiến, không phải ngày hẹn lại",
    "T2",
    "T3",
    "sau khi đã hết hạn",
    "xin lỗi muộn",
)


def _in_progress(people: dict, province: Province, procedure, staff: dict):
    d = receive(people, province, procedure)
    return services.transfer_dossier(
        dossier=d, actor=people["alice"], to_unit=province.commune_a, at=local(2025, 3, 3, 10)
    )


def test_apology_granting_an_extension_prints_the_new_appointment_and_moves_the_promise(
    people: dict, province: Province, procedure, staff: dict
) -> None:
    d = _in_progress(people, province, procedure, staff)
    services.issue_apology(
        dossier=d,
        actor=staff["mai"],
        reason="Cần xác minh nơi cư trú của người mẹ",
        new_due=local(2025, 3, 24, 16),
        at=local(2025, 3, 12, 10),
    )
    d.refresh_from_db()
    assert d.promised_due == local(2025, 3, 24, 16)
    text = docx_text(render_dossier_document(d, "apology").data)
    assert_no_placeholders(text)
    assert (
        "Chúng tôi sẽ trả kết quả giải quyết hồ sơ cho ông/bà vào 16 giờ 00 phút, ngày "
        f"24/03/2025, tại {DESK}." in text
    )
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 17/03/2025." in text
    for word in INTERNAL_WORDS:
        assert word not in text


def test_late_apology_speaks_plain_vietnamese_and_gives_an_expected_date(
    people: dict, province: Province, procedure, staff: dict, tmp_path
) -> None:
    d = _in_progress(people, province, procedure, staff)
    services.issue_apology(
        dossier=d,
        actor=staff["mai"],
        reason="Chờ ý kiến của cơ quan công an",
        new_due=local(2025, 3, 21, 16),
        at=local(2025, 3, 18, 10),  # the due was 17/03 09:00
    )
    apology = d.apologies.get()
    assert not apology.grants_extension and apology.flag_reason  # the machine's own note
    text = docx_text(render_dossier_document(d, "apology").data)
    assert_no_placeholders(text)
    assert (
        "Ủy ban nhân dân xã Mỹ An dự kiến trả kết quả vào 16 giờ 00 phút, ngày 21/03/2025, "
        f"tại {DESK}." in text
    )
    assert "Chúng tôi sẽ trả kết quả" not in text
    for word in (*INTERNAL_WORDS, apology.flag_reason):
        assert word not in text
    needs_soffice()
    pdf = pdf_text(render_dossier_document(d, "apology", "pdf").data, tmp_path)
    assert "dự kiến trả kết quả vào 16 giờ 00 phút, ngày 21/03/2025" in pdf
    assert "không phải ngày hẹn lại" not in pdf


# -- control slip: the real hand-overs ----------------------------------------------------------


def test_control_slip_records_every_real_hand_over_with_approval_and_return(
    people: dict, province: Province, procedure, staff: dict, tmp_path
) -> None:
    d = handled(people, province, procedure, staff)
    d = services.return_result(
        dossier=d, actor=people["alice"], recipient="Trần Văn Bình", at=local(2025, 3, 7, 14)
    )
    data = render_dossier_document(d, "control_sheet").data
    text = docx_text(data)
    assert_no_placeholders(text)
    rows = table_rows(data, 1)
    assert rows[0][:5] == [
        "TT",
        "Bước xử lý",
        "Bên giao (cơ quan, đơn vị; người giao)",
        "Bên nhận (cơ quan, đơn vị; người nhận)",
        "Thời điểm giao, nhận",
    ]
    body = rows[1:]
    assert [r[0] for r in body] == ["1", "2", "3", "4"]
    # 1. the desk officer who transferred hands the dossier to the commune's specialist
    assert body[0][1] == "Chuyển hồ sơ đến cơ quan, đơn vị giải quyết"
    assert body[0][2] == f"{DESK}\nNguyễn Thị An\n(ký)"
    assert body[0][3] == "Ủy ban nhân dân xã Mỹ An\nLê Văn Cường\n(ký)"
    assert body[0][4] == "03/03/2025 09:30"
    # 2. the specialist sends it up for signature: the step it enters
    assert body[1][1] == "Phê duyệt, ký kết quả"
    assert body[1][2] == "Ủy ban nhân dân xã Mỹ An\nLê Văn Cường\n(ký)"
    assert body[1][3] == "Ủy ban nhân dân xã Mỹ An\nVõ Thị Mai\n(ký)"
    assert body[1][4] == "05/03/2025 15:00"
    assert body[1][7] == "Trình ký kết quả"
    # 3. the chairwoman approves and signs; the result goes back to the desk
    assert body[2][1] == "Phê duyệt, ký kết quả giải quyết hồ sơ"
    assert body[2][2].startswith("Ủy ban nhân dân xã Mỹ An\nVõ Thị Mai")
    assert body[2][3].startswith(DESK)
    assert body[2][4] == "06/03/2025 10:00"
    assert body[2][5] == "17/03/2025 09:00"
    assert body[2][6].startswith("Trước hạn")
    # 4. the desk hands the result to the applicant
    assert body[3][1] == "Trả kết quả giải quyết hồ sơ"
    assert body[3][2] == f"{DESK}\nNguyễn Thị An\n(ký)"
    assert body[3][3] == "Tổ chức, cá nhân\nTrần Văn Bình\n(ký)"
    assert body[3][4] == "07/03/2025 14:00"
    assert body[3][7] == "Tại bộ phận một cửa"
    # the chairwoman never hands over the first transfer, the ward never "receives" itself
    assert "Võ Thị Mai" not in body[0][2] and "Tiếp nhận" not in body[0][1]
    needs_soffice()
    pdf = pdf_text(render_dossier_document(d, "control_sheet", "pdf").data, tmp_path)
    assert "Phê duyệt, ký kết" in pdf and "Võ Thị Mai" in pdf and "06/03/2025 10:00" in pdf


def test_control_slip_of_an_open_dossier_shows_the_open_step(
    people: dict, province: Province, procedure, staff: dict
) -> None:
    d = _in_progress(people, province, procedure, staff)
    body = table_rows(render_dossier_document(d, "control_sheet").data, 1)[1:]
    assert len(body) == 1
    assert body[0][3] == "Ủy ban nhân dân xã Mỹ An\n…………………\n(ký)"  # receiver not recorded
    assert body[0][6].startswith("Đang xử lý")


# -- refusal after receipt, result hand-over ----------------------------------------------------


def test_refusal_after_receipt_prints_reason_and_legal_ground(
    people: dict, province: Province, procedure, staff: dict
) -> None:
    d = _in_progress(people, province, procedure, staff)
    assert "refusal" not in available_keys(d)
    with pytest.raises(DocumentNotApplicable, match="không bị trả lại"):
        render_dossier_document(d, "refusal")
    reason = (
        "Người được khai sinh đã được đăng ký khai sinh tại Ủy ban nhân dân xã Mỹ Hòa; "
        "căn cứ khoản 1 Điều 13 Nghị định 123/2015/NĐ-CP"
    )
    d = services.refuse_dossier(dossier=d, actor=staff["mai"], reason=reason, at=local(2025, 3, 6))
    assert "refusal" in available_keys(d)
    name, _type, data = render_dossier_document(d, "refusal")
    assert name.endswith("_TL_refusal.docx")
    text = docx_text(data)
    assert_no_placeholders(text)
    assert "VĂN BẢN TRẢ LẠI HỒ SƠ" in text
    assert "Mẫu số" not in text  # no circular numbers this paper
    assert reason in text
    assert "Thời điểm trả lại hồ sơ: 00 giờ 00 phút, ngày 06/03/2025." in text
    assert "Kính gửi: Ông/bà Trần Văn Bình." in text
    assert f"Ông/bà liên hệ {DESK} để nhận lại hồ sơ" in text


def test_result_hand_over_names_recipient_delivery_instant_and_officer(
    people: dict, province: Province, procedure, staff: dict, tmp_path
) -> None:
    d = handled(people, province, procedure, staff)
    assert "result_handover" not in available_keys(d)
    d = services.return_result(
        dossier=d,
        actor=people["alice"],
        recipient="Trần Thị Cúc (mẹ, theo giấy ủy quyền)",
        at=local(2025, 3, 7, 14, 20),
    )
    assert "result_handover" in available_keys(d)
    data = render_dossier_document(d, "result_handover").data
    text = docx_text(data)
    assert_no_placeholders(text)
    assert "PHIẾU GIAO NHẬN KẾT QUẢ GIẢI QUYẾT HỒ SƠ" in text
    assert "Người nhận kết quả: Trần Thị Cúc (mẹ, theo giấy ủy quyền)." in text
    assert "Hình thức trả kết quả: Tại bộ phận một cửa." in text
    assert "Thời điểm trả kết quả: 14 giờ 20 phút, ngày 07/03/2025." in text
    assert "Người trả kết quả: Nguyễn Thị An, Ủy ban nhân dân xã Mỹ An." in text
    assert "Kết quả giải quyết hồ sơ được ký duyệt: 10 giờ 00 phút, ngày 06/03/2025." in text
    assert "Số hiệu bưu gửi" not in text
    needs_soffice()
    pdf = pdf_text(render_dossier_document(d, "result_handover", "pdf").data, tmp_path)
    assert "Trần Thị Cúc" in pdf and "14 giờ 20 phút, ngày 07/03/2025" in pdf


def test_available_papers_follow_state_and_history(
    people: dict, province: Province, procedure, staff: dict
) -> None:
    d = receive(people, province, procedure)
    assert available_keys(d) == ["receipt", "control_sheet"]
    d = services.transfer_dossier(
        dossier=d, actor=people["alice"], to_unit=province.commune_a, at=local(2025, 3, 3, 10)
    )
    d = services.request_supplement(
        dossier=d, actor=staff["cuong"], items=["Giấy chứng sinh"], reason="Thiếu",
        at=local(2025, 3, 4, 9),
    )  # fmt: skip
    assert available_keys(d) == ["receipt", "supplement_request", "control_sheet"]


def test_events_without_a_signed_in_officer_print_a_blank_not_a_machine_label(
    people: dict, province: Province, procedure, staff: dict
) -> None:
    d = handled(people, province, procedure, staff)
    # as imported or generated dossiers are: the actor is a label, not a user
    d.events.filter(kind="dossier.resolved").update(actor=None, actor_name="system")
    body = table_rows(render_dossier_document(d, "control_sheet").data, 1)[1:]
    assert body[2][2] == "Ủy ban nhân dân xã Mỹ An\n…………………\n(ký)"
    assert "system" not in docx_text(render_dossier_document(d, "control_sheet").data)


def test_a_later_transfer_keeps_who_gave_the_earlier_step(
    people: dict, province: Province, procedure, staff: dict
) -> None:
    d = handled(people, province, procedure, staff)
    desk, first, second = d.steps.order_by("started_at")
    assert desk.order == 1 and desk.unit == d.receiving_unit and desk.given_by is None
    # the chairwoman's later hand-over does not rewrite who handed over the first step
    assert first.given_by == people["alice"] and first.received_by == staff["cuong"]
    assert second.given_by == staff["cuong"] and second.received_by == staff["mai"]
    assert first.ended_at == second.started_at == local(2025, 3, 5, 15)
