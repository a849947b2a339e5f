"""Three documents of different types for the Decree-30 renderer's tests (our own wording)."""

from __future__ import annotations

import datetime as dt

from motcua.documents.decree30 import (
    AdministrativeDocument,
    Appendix,
    Item,
    Paragraph,
    PartHeading,
    Percent,
    Point,
    Signature,
    Table,
)

FIGURES = Table(
    header=("STT", "Chỉ tiêu", "Số lượng", "Tỷ lệ"),
    rows=(
        (1, "Hồ sơ tiếp nhận trong kỳ", 184027, None),
        (2, "Hồ sơ đã giải quyết", 162381, Percent(88.24)),
        (3, "Hồ sơ giải quyết đúng hạn", 158902, Percent(97.86)),
        (4, "Hồ sơ đang giải quyết", 21646, Percent(11.76)),
        (5, "=Tổng số (ghi chú của đơn vị)", None, None),
    ),
    widths_mm=(15.0, 150.0, 45.0, 35.0),
)


def periodic_report() -> AdministrativeDocument:
    """A quarterly reform report with a figures appendix (like seed 000)."""
    return AdministrativeDocument(
        superior_agency="UBND tỉnh Đồng Tháp",
        issuing_agency="Văn phòng Ủy ban nhân dân tỉnh Đồng Tháp",
        agency_heading=("Văn phòng", "Ủy ban nhân dân tỉnh"),
        number=172,
        symbol="BC-VPUBND",
        place="Đồng Tháp",
        issued_on=dt.date(2025, 9, 14),
        doc_type="Báo cáo",
        summary="Kết quả cải cách hành chính quý III năm 2025",
        subtitle="(Số liệu tính từ ngày 15/6/2025 đến ngày 14/9/2025)",
        body=(
            PartHeading("I", "Công tác chỉ đạo, điều hành cải cách hành chính"),
            Item(1, "Kế hoạch cải cách hành chính của đơn vị"),
            Paragraph(
                "Văn phòng đã triển khai đầy đủ các nhiệm vụ trọng tâm của quý, phân công cụ "
                "thể cho từng phòng, ban, trung tâm trực thuộc và theo dõi tiến độ hằng tháng."
            ),
            Item(2, "Công tác kiểm tra:", "Đơn vị tự kiểm tra việc tiếp nhận và trả kết quả."),
            PartHeading("II", "Kết quả thực hiện cải cách hành chính"),
            Item(1, "Cải cách thủ tục hành chính"),
            Point("a", "Trong kỳ tiếp nhận 184.027 hồ sơ, đã giải quyết 162.381 hồ sơ."),
            Point("b", "tỷ lệ giải quyết đúng hạn đạt 97,86%.", title="Về tiến độ:"),
            Paragraph("- Số liệu chi tiết tại Phụ lục kèm theo Báo cáo này."),
            PartHeading("III", "Phương hướng, nhiệm vụ quý IV năm 2025"),
            Paragraph("+ Tiếp tục nâng cao chất lượng giải quyết thủ tục hành chính."),
        ),
        closing="Trên đây là Báo cáo kết quả cải cách hành chính quý III năm 2025 của Văn phòng",
        recipients=(
            "UBND tỉnh (b/c)",
            "Sở Nội vụ",
            "Lãnh đạo Văn phòng",
            "Các phòng, ban, trung tâm trực thuộc",
        ),
        archive=("HCQT",),
        drafter="TM",
        signature=Signature(
            "Phó Chánh Văn phòng",
            "Nguyễn Thị Ánh Tuyết",
            authority="KT.",
            on_behalf_of="Chánh Văn phòng",
        ),
        contact=(
            "Địa chỉ: số 12 đường 30/4, phường Cao Lãnh, tỉnh Đồng Tháp; điện thoại: 0277 3851 234"
        ),
        appendices=(
            Appendix(
                "Số liệu giải quyết thủ tục hành chính quý III năm 2025",
                (FIGURES,),
                landscape=True,
            ),
        ),
    )


def plan() -> AdministrativeDocument:
    """A plan with legal bases and two appendices (like seed 002)."""
    return AdministrativeDocument(
        superior_agency="UBND tỉnh Quảng Ngãi",
        issuing_agency="Ban Dân tộc tỉnh Quảng Ngãi",
        agency_heading=("Ban Dân tộc",),
        number=7,
        symbol="KH-BDT",
        place="Quảng Ngãi",
        issued_on=dt.date(2025, 2, 3),
        doc_type="Kế hoạch",
        summary="Nâng cao Chỉ số cải cách hành chính năm 2025 của Ban Dân tộc tỉnh",
        legal_bases=(
            "Căn cứ Quyết định số 19/2018/QĐ-UBND ngày 10/8/2018 của UBND tỉnh ban hành "
            "Quy định trách nhiệm người đứng đầu trong cải cách hành chính",
            "Căn cứ Kế hoạch số 25/KH-BDT ngày 16/01/2025 của Ban Dân tộc tỉnh.",
            "Căn cứ kết quả Chỉ số cải cách hành chính năm 2024;",
        ),
        body=(
            Paragraph("Ban Dân tộc tỉnh xây dựng kế hoạch thực hiện như sau:"),
            PartHeading("I", "Mục đích, yêu cầu"),
            Item(1, "Mục đích", "Khắc phục các tiêu chí bị trừ điểm năm 2024."),
            PartHeading("II", "Nhiệm vụ, giải pháp"),
            Point("a", "Giải quyết đúng hạn hồ sơ trực tuyến toàn trình."),
            PartHeading("III", "Tổ chức thực hiện"),
            Paragraph("Văn phòng Ban theo dõi, đôn đốc và tổng hợp kết quả hằng quý."),
        ),
        closing="Trong quá trình thực hiện, nếu có vướng mắc, các phòng báo cáo Lãnh đạo Ban",
        recipients=("UBND tỉnh", "Sở Nội vụ", "Lãnh đạo Ban", "Các phòng thuộc Ban"),
        archive=("VP",),
        drafter="ĐTH",
        copies=8,
        signature=Signature("Trưởng ban", "Đinh Thị Hồng"),
        appendices=(
            Appendix("Chỉ tiêu năm 2025", (FIGURES,), landscape=False),
            Appendix("Phân công nhiệm vụ", (Paragraph("Phòng Chính sách chủ trì."),)),
        ),
    )


def letter() -> AdministrativeDocument:
    """An official letter: no type name, 'V/v …' under the number, 'Kính gửi:' (seed 003)."""
    return AdministrativeDocument(
        superior_agency="",
        issuing_agency="Ủy ban nhân dân tỉnh Hậu Giang",
        agency_heading=("Ủy ban nhân dân", "tỉnh Hậu Giang"),
        number=1503,
        symbol="UBND-NC",
        place="Hậu Giang",
        issued_on=dt.date(2025, 10, 21),
        summary="đẩy nhanh tiến độ các nhiệm vụ cải cách hành chính năm 2025",
        urgency="KHẨN",
        addressees=(
            "Giám đốc sở, thủ trưởng các cơ quan, ban, ngành tỉnh",
            "Chủ tịch Ủy ban nhân dân các xã, phường",
        ),
        body=(
            Paragraph(
                "Thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ, Chủ tịch Ủy "
                "ban nhân dân tỉnh có ý kiến như sau:"
            ),
            Item(1, text="Rà soát, hoàn thành các chỉ tiêu còn chậm trong tháng 12/2025."),
            Item(2, text="Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đúng quy định."),
            Paragraph("Yêu cầu các cơ quan, đơn vị nghiêm túc triển khai thực hiện."),
        ),
        closing="Yêu cầu thủ trưởng các cơ quan, đơn vị nghiêm túc thực hiện Công văn này",
        recipients=("Như trên", "Thường trực UBND tỉnh (để b/c)"),
        archive=("NC",),
        signature=Signature(
            "Phó Chủ tịch",
            "Đồng Văn Thành",
            authority="KT.",
            on_behalf_of="Chủ tịch",
            collective="Ủy ban nhân dân",
        ),
    )
