"""Decree 30/2020 renderer: three document types, every element read back, the checker itself."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from motcua.documents.decree30 import (
    Decree30Error,
    Layout,
    Role,
    Signature,
    render_docx,
)
from motcua.documents.decree30_check import check_decree30
from motcua.documents.tests.decree30_samples import letter, periodic_report, plan
from motcua.lib.vnnumber import number_text, percent_text


def texts(data: bytes, role: str) -> list[str]:
    """The text of every paragraph of one element, in order, tables included."""
    doc = Document(io.BytesIO(data))
    out = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == role]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                out += [p.text for p in cell.paragraphs if p.style.name == role]
    return out


def cell_texts(data: bytes) -> list[list[str]]:
    """Rows of the data tables (every table but the heading and signature tables)."""
    doc = Document(io.BytesIO(data))
    return [[c.text for c in row.cells] for t in doc.tables[2:] for row in t.rows]


# -- the three document types --


def test_periodic_report_is_in_format_and_prints_what_it_was_given() -> None:
    data = render_docx(periodic_report())
    assert check_decree30(data) == []
    assert texts(data, Role.SUPERIOR) == ["UBND TỈNH ĐỒNG THÁP"]
    assert texts(data, Role.ISSUER) == ["VĂN PHÒNG", "ỦY BAN NHÂN DÂN TỈNH"]
    assert texts(data, Role.NUMBER) == ["Số: 172/BC-VPUBND"]
    assert texts(data, Role.PLACE_DATE) == ["Đồng Tháp, ngày 14 tháng 9 năm 2025"]
    assert texts(data, Role.TYPE) == ["BÁO CÁO"]
    assert texts(data, Role.SUMMARY) == ["Kết quả cải cách hành chính quý III năm 2025"]
    assert texts(data, Role.SUBTITLE) == ["(Số liệu tính từ ngày 15/6/2025 đến ngày 14/9/2025)"]
    assert texts(data, Role.LETTER_SUMMARY) == []
    assert texts(data, Role.PART) == [
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
        "II. KẾT QUẢ THỰC HIỆN CẢI CÁCH HÀNH CHÍNH",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ IV NĂM 2025",
    ]
    assert texts(data, Role.POINT)[1] == "b) Về tiến độ: tỷ lệ giải quyết đúng hạn đạt 97,86%."
    assert texts(data, Role.BODY)[-1].endswith("quý III năm 2025 của Văn phòng./.")
    assert texts(data, Role.RECIPIENTS_ITEM) == [
        "- UBND tỉnh (b/c);",
        "- Sở Nội vụ;",
        "- Lãnh đạo Văn phòng;",
        "- Các phòng, ban, trung tâm trực thuộc;",
        "- Lưu: VT, HCQT. (TM)",
    ]
    assert texts(data, Role.AUTHORITY) == ["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"]
    assert texts(data, Role.SIGNER) == ["Nguyễn Thị Ánh Tuyết"]
    # one appendix: "Phụ lục" without a number, on a landscape page numbered from 1
    assert texts(data, Role.APPENDIX_LABEL) == ["Phụ lục"]
    assert texts(data, Role.APPENDIX_TITLE) == [
        "SỐ LIỆU GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH QUÝ III NĂM 2025"
    ]
    assert texts(data, Role.APPENDIX_CAPTION) == [
        "(Kèm theo Báo cáo số 172/BC-VPUBND ngày 14 tháng 9 năm 2025 của Văn phòng Ủy ban "
        "nhân dân tỉnh Đồng Tháp)"
    ]
    doc = Document(io.BytesIO(data))
    assert [s.orientation for s in doc.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    assert cell_texts(data)[1] == ["1", "Hồ sơ tiếp nhận trong kỳ", "184.027", ""]
    assert cell_texts(data)[2][2:] == ["162.381", "88,24%"]
    footer = doc.sections[0].first_page_footer.paragraphs[0]
    assert footer.text.startswith("Địa chỉ: số 12 đường 30/4")


def test_plan_numbers_bases_and_appendices() -> None:
    data = render_docx(plan())
    assert check_decree30(data) == []
    assert texts(data, Role.NUMBER) == ["Số: 07/KH-BDT"]  # below 10: leading zero
    assert texts(data, Role.PLACE_DATE) == ["Quảng Ngãi, ngày 03 tháng 02 năm 2025"]
    assert texts(data, Role.TYPE) == ["KẾ HOẠCH"]
    # each basis ends ";" and the last "." whatever punctuation it was given
    bases = texts(data, Role.LEGAL_BASIS)
    assert [t[-1] for t in bases] == [";", ";", "."]
    assert bases[1] == "Căn cứ Kế hoạch số 25/KH-BDT ngày 16/01/2025 của Ban Dân tộc tỉnh;"
    assert texts(data, Role.APPENDIX_LABEL) == ["Phụ lục I", "Phụ lục II"]
    assert texts(data, Role.RECIPIENTS_ITEM)[-1] == "- Lưu: VT, VP. (ĐTH, 08 bản)"
    assert texts(data, Role.AUTHORITY) == ["TRƯỞNG BAN"]
    doc = Document(io.BytesIO(data))
    assert len(doc.sections) == 3
    for section in doc.sections[1:]:  # each appendix restarts its page numbers
        assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"


def test_letter_has_no_type_and_prints_vv_kinh_gui_and_urgency() -> None:
    data = render_docx(letter())
    assert check_decree30(data) == []
    assert texts(data, Role.TYPE) == [] and texts(data, Role.SUMMARY) == []
    assert texts(data, Role.SUPERIOR) == []
    assert texts(data, Role.ISSUER) == ["ỦY BAN NHÂN DÂN", "TỈNH HẬU GIANG"]
    assert texts(data, Role.NUMBER) == ["Số: 1503/UBND-NC"]
    assert texts(data, Role.LETTER_SUMMARY) == [
        "V/v đẩy nhanh tiến độ các nhiệm vụ cải cách hành chính năm 2025"
    ]
    assert texts(data, Role.URGENCY) == ["KHẨN"]
    assert texts(data, Role.ADDRESSEE) == [
        "Kính gửi: - Giám đốc sở, thủ trưởng các cơ quan, ban, ngành tỉnh;",
        "- Chủ tịch Ủy ban nhân dân các xã, phường.",
    ]
    assert texts(data, Role.AUTHORITY) == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert texts(data, Role.RECIPIENTS_ITEM) == [
        "- Như trên;",
        "- Thường trực UBND tỉnh (để b/c);",
        "- Lưu: VT, NC.",
    ]
    assert len(Document(io.BytesIO(data)).sections) == 1


def test_every_element_has_the_decree_sizes_and_styles() -> None:
    """Read the formatting back directly (not through the checker) for the key elements."""
    doc: Any = Document(io.BytesIO(render_docx(periodic_report())))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [
        round(m.mm)
        for m in (
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ] == [20, 20, 30, 15]
    assert doc.styles["Normal"].font.name == "Times New Roman"

    def first(role: str) -> Any:
        for table in doc.tables:
            for row in table.rows:
                for cell in row.cells:
                    for p in cell.paragraphs:
                        if p.style.name == role:
                            return p
        return next(p for p in doc.paragraphs if p.style.name == role)

    expected = {  # role: (size, bold, italic)
        Role.NATIONAL_NAME: (12, True, False),
        Role.MOTTO: (13, True, False),
        Role.SUPERIOR: (12, False, False),
        Role.ISSUER: (12, True, False),
        Role.NUMBER: (13, False, False),
        Role.PLACE_DATE: (13, False, True),
        Role.TYPE: (14, True, False),
        Role.SUMMARY: (14, True, False),
        Role.PART: (14, True, False),
        Role.BODY: (14, False, False),
        Role.RECIPIENTS_LABEL: (12, True, True),
        Role.RECIPIENTS_ITEM: (11, False, False),
        Role.AUTHORITY: (14, True, False),
        Role.SIGNER: (14, True, False),
        Role.APPENDIX_LABEL: (14, True, False),
        Role.APPENDIX_CAPTION: (14, False, True),
    }
    for role, (size, bold, italic) in expected.items():
        run = first(role).runs[0]
        assert (run.font.size, bool(run.bold), bool(run.italic)) == (Pt(size), bold, italic), role
    body = first(Role.BODY)
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert round(body.paragraph_format.first_line_indent.mm, 1) == 10.0
    assert body.paragraph_format.space_after == Pt(6)
    assert section.different_first_page_header_footer
    assert (
        "PAGE" in section.header._element.xml
        and "PAGE" not in section.first_page_header._element.xml
    )
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_layout_is_configurable_within_the_decree_and_refused_outside() -> None:
    wide = Layout(
        top_mm=25,
        bottom_mm=25,
        left_mm=35,
        right_mm=20,
        body_pt=13,
        first_line_indent_mm=12.7,
        line_spacing=1.5,
        national_name_pt=13,
    )
    data = render_docx(plan(), layout=wide)
    assert check_decree30(data) == []
    section: Any = Document(io.BytesIO(data)).sections[0]
    assert round(section.left_margin.mm) == 35
    with pytest.raises(Decree30Error) as refused:
        Layout(left_mm=25, body_pt=12, first_line_indent_mm=15, line_spacing=2)
    message = refused.value.message
    for part in ("lề trái 25 mm", "cỡ chữ nội dung 12 pt", "thụt đầu dòng", "giữa các dòng"):
        assert part in message


def test_draft_without_number_and_date_leaves_blanks_for_the_clerk() -> None:
    draft = replace(periodic_report(), number=None, issued_on=None, appendices=())
    data = render_docx(draft)
    assert check_decree30(data) == []
    assert texts(data, Role.NUMBER) == ["Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/BC-VPUBND"]
    assert texts(data, Role.PLACE_DATE) == ["Đồng Tháp, ngày … tháng … năm …"]


def test_bad_document_data_is_refused() -> None:
    with pytest.raises(Decree30Error, match="quyền hạn ký “KT” không có"):
        Signature("PHÓ GIÁM ĐỐC", "Lê Văn A", authority="KT")
    with pytest.raises(Decree30Error, match="cần tên tập thể"):
        Signature("PHÓ GIÁM ĐỐC", "Lê Văn A", authority="KT.")
    assert Signature("Giám đốc", "Lê Văn A", authority="Q.").lines() == ["Q. GIÁM ĐỐC"]
    with pytest.raises(Decree30Error, match="mức độ khẩn"):
        replace(letter(), urgency="GẤP")
    with pytest.raises(Decree30Error, match="ký hiệu"):
        replace(letter(), symbol="UBND NC")


# -- the checker catches what is wrong --


def _paragraphs(doc: Any, role: str) -> list[Any]:
    found = [p for p in doc.paragraphs if p.style.name == role]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                found += [p for p in cell.paragraphs if p.style.name == role]
    return found


def _runs(doc: Any, role: str) -> list[Any]:
    return [r for p in _paragraphs(doc, role) for r in p.runs]


def _set(role: str, **font: Any) -> Callable[[Any], None]:
    def apply(doc: Any) -> None:
        for run in _runs(doc, role):
            for key, value in font.items():
                setattr(run.font, key, value)

    return apply


def _retext(role: str, text: str) -> Callable[[Any], None]:
    def apply(doc: Any) -> None:
        p = _paragraphs(doc, role)[0]
        p.runs[0].text = text
        for run in p.runs[1:]:
            run.text = ""

    return apply


def _grid_heading(doc: Any) -> None:
    doc.tables[0].style = doc.styles["Table Grid"]


def _no_restart(doc: Any) -> None:
    doc.sections[1]._sectPr.find(qn("w:pgNumType")).attrib.pop(qn("w:start"))


def _long_agency_rule(doc: Any) -> None:
    rule = next(p for p in doc.tables[0].cell(0, 0).paragraphs if p.style.name == Role.RULE)
    rule.paragraph_format.left_indent = rule.paragraph_format.right_indent = Mm(0)


def _no_indent(doc: Any) -> None:
    _paragraphs(doc, Role.BODY)[0].paragraph_format.first_line_indent = None


def _double_spacing(doc: Any) -> None:
    _paragraphs(doc, Role.BODY)[0].paragraph_format.line_spacing = 2.0


def _page_number_on_page_one(doc: Any) -> None:
    doc.sections[0].different_first_page_header_footer = False


def _left_margin(doc: Any) -> None:
    doc.sections[0].left_margin = Mm(20)


def _letter_paper(doc: Any) -> None:
    doc.sections[0].page_width = Mm(216)


def _drop_motto(doc: Any) -> None:
    p = _paragraphs(doc, Role.MOTTO)[0]
    p._p.getparent().remove(p._p)


def _last_recipient(doc: Any) -> None:
    _paragraphs(doc, Role.RECIPIENTS_ITEM)[-1].runs[0].text = "- Lưu VT"


def _small_page_number(doc: Any) -> None:
    for run in doc.sections[0].header.paragraphs[0].runs:
        run.font.size = Pt(10)


def _swap_heading_columns(doc: Any) -> None:
    row = doc.tables[0].rows[0]._tr
    cells = row.findall(qn("w:tc"))
    row.remove(cells[0])
    row.append(cells[0])


def _box_less_urgency(doc: Any) -> None:
    ppr = _paragraphs(doc, Role.URGENCY)[0]._p.pPr
    ppr.remove(ppr.find(qn("w:pBdr")))


def _arial(doc: Any) -> None:
    run = _runs(doc, Role.BODY)[0]
    fonts = run._r.get_or_add_rPr().find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run._r.get_or_add_rPr().insert(0, fonts)
    fonts.set(qn("w:ascii"), "Arial")


MUTATIONS = [
    ("motto 12 pt", _set(Role.MOTTO, size=Pt(12)), "Tiêu ngữ: cỡ chữ 12 pt ngoài khoảng 13–14"),
    ("national name not bold", _set(Role.NATIONAL_NAME, bold=False), "Quốc hiệu: phải in đậm"),
    ("superior bold", _set(Role.SUPERIOR, bold=True), "Cơ quan chủ quản: không được in đậm"),
    ("place upright", _set(Role.PLACE_DATE, italic=False), "thời gian: phải in nghiêng"),
    ("label upright", _set(Role.RECIPIENTS_LABEL, italic=False), "Nơi nhận: phải in nghiêng"),
    (
        "items 12 pt",
        _set(Role.RECIPIENTS_ITEM, size=Pt(12)),
        "Nơi nhận dòng: cỡ chữ 12 pt, phải 11 pt",
    ),
    ("body 12 pt", _set(Role.BODY, size=Pt(12)), "Nội dung: cỡ chữ 12 pt"),
    ("authority lower", _retext(Role.AUTHORITY, "KT. Chánh Văn phòng"), "phải viết in hoa"),
    ("number no zero", _retext(Role.NUMBER, "Số: 7/BC-VPUBND"), "Số, ký hiệu sai dạng"),
    ("number spaces", _retext(Role.NUMBER, "Số: 172 / BC-VPUBND"), "Số, ký hiệu sai dạng"),
    (
        "month zero",
        _retext(Role.PLACE_DATE, "Đồng Tháp, ngày 14 tháng 09 năm 2025"),
        "Địa danh, ngày tháng sai dạng",
    ),
    ("motto hyphens", _retext(Role.MOTTO, "Độc lập-Tự do-Hạnh phúc"), "Tiêu ngữ phải là"),
    ("signer title", _retext(Role.SIGNER, "TS. Nguyễn Thị Ánh Tuyết"), "học hàm, học vị"),
    ("last recipient", _last_recipient, "dòng cuối phải là “- Lưu: VT"),
    ("heading grid", _grid_heading, "bảng không được có"),
    ("appendix numbering", _no_restart, "phụ lục phải đánh số trang riêng"),
    ("agency line", _long_agency_rule, "Đường kẻ dưới tên cơ quan ban hành"),
    ("no indent", _no_indent, "thụt đầu dòng không có"),
    ("double spacing", _double_spacing, "giãn dòng 2,00"),
    ("page number page 1", _page_number_on_page_one, "trang đầu phải không có số trang"),
    ("left margin", _left_margin, "lề trái 20 mm"),
    ("paper", _letter_paper, "không phải A4"),
    ("no motto", _drop_motto, "Thiếu tiêu ngữ"),
    ("page number size", _small_page_number, "số trang cỡ 10 pt"),
    ("columns swapped", _swap_heading_columns, "Quốc hiệu phải ở trên cùng, bên phải"),
    ("font", _arial, "Phông chữ “Arial”"),
]


@pytest.fixture(scope="module")
def report_docx() -> bytes:
    return render_docx(periodic_report())


@pytest.mark.parametrize(
    ("mutate", "expected"), [m[1:] for m in MUTATIONS], ids=[m[0] for m in MUTATIONS]
)
def test_checker_catches_a_deliberately_wrong_document(
    report_docx: bytes, mutate: Callable[[Any], None], expected: str
) -> None:
    doc = Document(io.BytesIO(report_docx))
    mutate(doc)
    out = io.BytesIO()
    doc.save(out)
    problems = check_decree30(out.getvalue())
    assert any(expected in problem for problem in problems), problems


def test_checker_catches_an_unframed_urgency_mark() -> None:
    doc = Document(io.BytesIO(render_docx(letter())))
    _box_less_urgency(doc)
    out = io.BytesIO()
    doc.save(out)
    assert "Mức độ khẩn phải có khung viền" in check_decree30(out.getvalue())


# -- numbers --


def test_vietnamese_number_format() -> None:
    assert number_text(184027) == "184.027"
    assert number_text(-1234567) == "-1.234.567"
    assert number_text(0) == "0"
    assert number_text(Decimal("1234.5"), 1) == "1.234,5"
    assert number_text(0.125, 2) == "0,13"  # half up on the decimal value, not the float
    assert number_text(-0.001, 2) == "0,00"
    assert percent_text(51.2) == "51,20%"
    assert percent_text(Decimal("100")) == "100,00%"
    assert percent_text(12.345, 1) == "12,3%"
    with pytest.raises(TypeError):
        number_text(True)


def test_date_rules_of_the_place_and_date_line() -> None:
    doc = replace(plan(), issued_on=dt.date(2025, 12, 1))
    assert doc.place_date_text() == "Quảng Ngãi, ngày 01 tháng 12 năm 2025"
