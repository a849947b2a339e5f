"""The catalogue of dossier papers and the script that builds their DOCX templates.

Two form sets: Circular 01/2018/TT-VPCP (forms 01–06) and Circular 03/2025/TT-VPCP (forms
01–07, with the stop notice), each with two papers the circulars do not number (the return of
a refused dossier, the result hand-over). Each template is built here with python-docx and carries
docxtpl (Jinja) placeholders that `motcua.dossiers.documents` fills. To change a paper, edit
this file and regenerate (the generated files are committed):

    .venv/bin/python -m motcua.dossiers.forms_build

Page format after Decree 30/2020/NĐ-CP: A4, margins 20/20/30/15 mm (landscape for the
register), Times New Roman 13 pt, national name 12 pt bold, motto 13 pt bold, title 14 pt bold.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell

FORMS_DIR = Path(__file__).resolve().parent / "templates" / "dossiers" / "forms"
FONT = "Times New Roman"
BLANK = "…………………"


@dataclass(frozen=True)
class FormSpec:
    """One paper of one form set: its number in the circular and its title."""

    set_code: str
    kind: str
    number: str
    title: str
    # False for papers no circular numbers (return of a refused dossier, result hand-over):
    # their page header names no form.
    official: bool = True

    @property
    def paper_name(self) -> str:
        """The title in sentence case, as printed in the QR code."""
        return self.title.capitalize()

    @property
    def filename(self) -> str:
        """Template file name inside the set's folder."""
        return f"{self.number}_{self.kind}.docx"

    @property
    def path(self) -> Path:
        """Where the generated template lives."""
        return FORMS_DIR / self.set_code / self.filename


SET_LABELS = {
    "tt01_2018": "Thông tư số 01/2018/TT-VPCP",
    "tt03_2025": "Thông tư số 03/2025/TT-VPCP",
}

_RECEIPT = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
_SUPPLEMENT = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
_REFUSAL = "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"
_CONTROL = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
_REGISTER = "SỔ THEO DÕI HỒ SƠ"
# Papers without a form number in the circulars, the same in both sets.
_REFUSAL_AFTER_RECEIPT = "VĂN BẢN TRẢ LẠI HỒ SƠ"
_HANDOVER = "PHIẾU GIAO NHẬN KẾT QUẢ GIẢI QUYẾT HỒ SƠ"

FORMS: dict[str, dict[str, FormSpec]] = {
    "tt01_2018": {
        spec.kind: spec
        for spec in [
            FormSpec("tt01_2018", "receipt", "01", _RECEIPT),
            FormSpec("tt01_2018", "supplement_request", "02", _SUPPLEMENT),
            FormSpec("tt01_2018", "intake_refusal", "03", _REFUSAL),
            FormSpec("tt01_2018", "apology", "04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
            FormSpec("tt01_2018", "control_sheet", "05", _CONTROL),
            FormSpec("tt01_2018", "register", "06", _REGISTER),
            FormSpec("tt01_2018", "refusal", "TL", _REFUSAL_AFTER_RECEIPT, official=False),
            FormSpec("tt01_2018", "result_handover", "GN", _HANDOVER, official=False),
        ]
    },
    "tt03_2025": {
        spec.kind: spec
        for spec in [
            FormSpec("tt03_2025", "receipt", "01", _RECEIPT),
            FormSpec("tt03_2025", "supplement_request", "02", _SUPPLEMENT),
            FormSpec("tt03_2025", "intake_refusal", "03", _REFUSAL),
            FormSpec(
                "tt03_2025",
                "apology",
                "04",
                "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT HỒ SƠ",
            ),
            FormSpec("tt03_2025", "stop_notice", "05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"),
            FormSpec("tt03_2025", "control_sheet", "06", _CONTROL),
            FormSpec("tt03_2025", "register", "07", _REGISTER),
            FormSpec("tt03_2025", "refusal", "TL", _REFUSAL_AFTER_RECEIPT, official=False),
            FormSpec("tt03_2025", "result_handover", "GN", _HANDOVER, official=False),
        ]
    },
}


# -- python-docx helpers ---------------------------------------------------------------------

Run = tuple[str, str]  # (text, style letters: "b" bold, "i" italic)


def _set_font(element_rpr: Any, name: str) -> None:
    rfonts = element_rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        element_rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def new_document(*, landscape: bool = False) -> DocumentType:
    """An empty A4 document in the official format (Times New Roman 13 pt)."""
    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin, section.right_margin = Mm(20), Mm(15)
        section.top_margin, section.bottom_margin = Mm(20), Mm(15)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance = Mm(8)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    _set_font(normal.element.get_or_add_rPr(), FONT)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(3)
    fmt.line_spacing = 1.1
    return doc


def para(
    container: Any,
    *runs: Run | str,
    align: str = "left",
    size: float | None = None,
    after: float = 3,
    indent_mm: float = 0,
) -> Any:
    """Add a paragraph of runs; a bare string is a plain run."""
    p = container.add_paragraph()
    p.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    p.paragraph_format.space_after = Pt(after)
    if indent_mm:
        p.paragraph_format.first_line_indent = Mm(indent_mm)
    for item in runs:
        text, style = (item, "") if isinstance(item, str) else item
        run = p.add_run(text)
        run.bold = "b" in style or None
        run.italic = "i" in style or None
        if size:
            run.font.size = Pt(size)
    return p


def tag(container: Any, text: str) -> None:
    """A paragraph holding only a docxtpl block tag (`{%p ... %}`), removed when rendered."""
    container.add_paragraph(text)


def rule(cell: _Cell, indent_mm: float) -> None:
    """A short solid line under the motto or the agency name (bottom border of a paragraph)."""
    p = cell.add_paragraph()
    p.paragraph_format.left_indent = Mm(indent_mm)
    p.paragraph_format.right_indent = Mm(indent_mm)
    p.paragraph_format.space_after = Pt(4)
    run = p.add_run("")
    run.font.size = Pt(2)
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _first(cell: _Cell) -> Any:
    """The cell's initial empty paragraph, to write into instead of adding one."""
    return cell.paragraphs[0]


def widths(table: Table, mm: list[float]) -> None:
    """Fix column widths: the grid (read by LibreOffice) and every cell (read by Word)."""
    table.autofit = False
    tbl = table._tbl
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    tbl_pr = tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(int(Mm(sum(mm)).twips)))
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for row in table.rows:
        for cell, width in zip(row.cells, mm, strict=True):
            cell.width = Mm(width)


def table_rows_whole(table: Table) -> None:
    """Repeat the header row on every page and never split a row across two pages."""
    for index, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if index == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))


def cell_text(
    cell: _Cell, *runs: Run | str, align: str = "left", size: float | None = None
) -> None:
    """Write runs into the cell's first paragraph."""
    p = _first(cell)
    p.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
    }[align]
    p.paragraph_format.space_after = Pt(0)
    for item in runs:
        text, style = (item, "") if isinstance(item, str) else item
        run = p.add_run(text)
        run.bold = "b" in style or None
        run.italic = "i" in style or None
        if size:
            run.font.size = Pt(size)


def page_header(doc: DocumentType, spec: FormSpec) -> None:
    """Form number and circular in small type at the top right of every page."""
    header = doc.sections[0].header
    p = header.paragraphs[0]
    if not spec.official:
        return
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = p.add_run(f"Mẫu số {spec.number} – {SET_LABELS[spec.set_code]}")
    run.italic = True
    run.font.size = Pt(9)


def heading_block(doc: DocumentType, *, landscape: bool = False) -> None:
    """QR code top-left, then the agency names and number, then national name and place/date."""
    table = doc.add_table(rows=1, cols=3)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cols = [26.0, 100.0, 136.0] if landscape else [23.0, 55.0, 87.0]
    widths(table, cols)
    qr_cell, agency, nation = table.rows[0].cells
    cell_text(qr_cell, "{{ qr }}")
    cell_text(agency, ("{{ superior_name }}", ""), align="center", size=12)
    para(agency, ("{{ unit_name }}", "b"), align="center", size=12, after=0)
    rule(agency, 14)
    para(agency, "Số: {{ number }}", align="center", size=13, after=0)
    cell_text(nation, ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "b"), align="center", size=12)
    para(nation, ("Độc lập - Tự do - Hạnh phúc", "b"), align="center", size=13, after=0)
    rule(nation, 16)
    para(nation, ("{{ place }}, {{ issued_date_long }}", "i"), align="center", size=13, after=0)
    para(doc, "", after=6)


def title(doc: DocumentType, spec: FormSpec, *subtitle: Run | str) -> None:
    """The paper's name, centred, 14 pt bold, with an optional line of runs under it."""
    para(doc, (spec.title, "b"), align="center", size=14, after=2)
    if subtitle:
        para(doc, *subtitle, align="center", after=2)
    para(doc, "", after=4)


def signatures(
    doc: DocumentType,
    left: tuple[str, str, str] | None,
    right: tuple[str, str, str],
) -> None:
    """Two signature blocks: (role, instruction, name placeholder) each."""
    para(doc, "", after=4)
    table = doc.add_table(rows=1, cols=2)
    widths(table, [82.0, 83.0])
    for cell, block in zip(table.rows[0].cells, (left, right), strict=True):
        if block is None:
            continue
        role, hint, name = block
        cell_text(cell, (role, "b"), align="center")
        para(cell, (hint, "i"), align="center", after=36)
        para(cell, (name, "b"), align="center", after=0)


def recipients_and_signer(doc: DocumentType, lines: list[str], role: str) -> None:
    """'Nơi nhận' at the bottom left, the unit head's signature block at the right."""
    para(doc, "", after=4)
    table = doc.add_table(rows=1, cols=2)
    widths(table, [82.0, 83.0])
    left, right = table.rows[0].cells
    cell_text(left, ("Nơi nhận:", "bi"), size=12)
    for line in lines:
        para(left, line, size=11, after=0)
    cell_text(right, (role, "b"), align="center")
    para(right, ("(Ký, ghi rõ họ tên và đóng dấu)", "i"), align="center", after=36)
    para(right, ("{{ signer_name }}", "b"), align="center", after=0)


def lookup_line(doc: DocumentType) -> None:
    """Where the applicant can follow the dossier."""
    para(doc, "", after=2)
    para(
        doc,
        ("Tra cứu tình trạng hồ sơ: {{ lookup_url }} (quét mã QR ở góc trên bên trái).", "i"),
        size=10,
    )


def applicant_lines(doc: DocumentType, *, prefix: str = "Ông/bà") -> None:
    """Applicant, owner if different, address and contacts."""
    para(doc, f"{prefix}: ", ("{{ applicant_name }}", "b"))
    para(doc, "Số định danh cá nhân/CCCD/mã số doanh nghiệp: {{ applicant_id_number }}")
    tag(doc, "{%p if owner_name %}")
    para(doc, "Chủ hồ sơ (nếu khác người nộp): {{ owner_name }}")
    tag(doc, "{%p endif %}")
    para(doc, "Địa chỉ: {{ applicant_address }}")
    para(doc, "Số điện thoại: {{ applicant_phone }}    Thư điện tử: {{ applicant_email }}")


# -- the papers --------------------------------------------------------------------------------


def build_receipt(spec: FormSpec) -> DocumentType:
    """Form 01: receipt and appointment slip."""
    doc = new_document()
    page_header(doc, spec)
    heading_block(doc)
    title(doc, spec, ("Mã hồ sơ: ", ""), ("{{ code }}", "b"))
    para(doc, "{{ receiving_unit_name }} tiếp nhận hồ sơ của:")
    applicant_lines(doc)
    para(
        doc,
        "Nội dung yêu cầu giải quyết: ",
        ("{{ procedure_name }}", "b"),
        " (mã thủ tục: {{ procedure_code }}).",
    )
    para(doc, "1. Thành phần hồ sơ nộp gồm:")
    tag(doc, "{%p if components %}")
    table = doc.add_table(rows=4, cols=6)
    table.style = doc.styles["Table Grid"]
    widths(table, [10.0, 80.0, 17.0, 20.0, 16.0, 22.0])
    for cell, text in zip(
        table.rows[0].cells,
        ["TT", "Tên giấy tờ", "Bản chính", "Bản sao chứng thực", "Bản sao", "Ghi chú"],
        strict=True,
    ):
        cell_text(cell, (text, "b"), align="center", size=12)
    cell_text(table.rows[1].cells[0], "{%tr for c in components %}")
    row = table.rows[2].cells
    cell_text(row[0], "{{ loop.index }}", align="center", size=12)
    cell_text(row[1], "{{ c.name }}", size=12)
    cell_text(row[2], "{{ c.originals }}", align="center", size=12)
    cell_text(row[3], "{{ c.certified_copies }}", align="center", size=12)
    cell_text(row[4], "{{ c.copies }}", align="center", size=12)
    cell_text(row[5], "{{ c.note }}", size=11)
    cell_text(table.rows[3].cells[0], "{%tr endfor %}")
    table_rows_whole(table)
    tag(doc, "{%p else %}")
    para(doc, ("{{ components_note }}", "i"), indent_mm=10)
    tag(doc, "{%p endif %}")
    para(doc, "2. Số lượng hồ sơ: {{ sets_text }} bộ.")
    para(doc, "3. Thời gian giải quyết hồ sơ theo quy định: {{ time_limit_text }}.")
    para(doc, "4. Thời gian nhận hồ sơ: ", ("{{ received_text }}", "b"), ".")
    para(doc, "5. Thời gian trả kết quả giải quyết hồ sơ: ", ("{{ due_text }}", "b"), ".")
    para(doc, "6. Đăng ký nhận kết quả tại: {{ return_place }}.")
    para(doc, "7. Phí, lệ phí: {{ fee_text }}.")
    para(doc, "Vào Sổ theo dõi hồ sơ {{ register_entry }}.")
    # The look-up line before the signatures: a full receipt stays on one page.
    lookup_line(doc)
    signatures(
        doc,
        ("NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", "{{ applicant_name }}"),
        ("NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", "{{ officer_name }}"),
    )
    return doc


def build_supplement_request(spec: FormSpec) -> DocumentType:
    """Form 02: one written request listing every item to supplement or correct."""
    doc = new_document()
    page_header(doc, spec)
    heading_block(doc)
    title(doc, spec, ("Mã hồ sơ: ", ""), ("{{ code }}", "b"))
    applicant_lines(doc, prefix="Hồ sơ của ông/bà")
    para(
        doc,
        "Nội dung yêu cầu giải quyết: ",
        ("{{ procedure_name }}", "b"),
        " (mã thủ tục: {{ procedure_code }}).",
    )
    para(doc, "Ngày tiếp nhận hồ sơ: {{ received_text }}.")
    para(doc, "Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:")
    tag(doc, "{%p for item in items %}")
    para(doc, "{{ loop.index }}. {{ item }}", indent_mm=10)
    tag(doc, "{%p endfor %}")
    para(doc, "Lý do: ", ("{{ reason }}", "b"))
    para(
        doc,
        "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ {{ contact_name }}, "
        "{{ contact_unit_name }}, số điện thoại: " + BLANK + " để được hướng dẫn.",
        align="justify",
    )
    para(doc, "Ngày yêu cầu: {{ requested_text }}.")
    signatures(doc, None, ("NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)", "{{ officer_name }}"))
    lookup_line(doc)
    return doc


def build_intake_refusal(spec: FormSpec) -> DocumentType:
    """Form 03: refusal to receive, with the specific reason."""
    doc = new_document()
    page_header(doc, spec)
    heading_block(doc)
    title(doc, spec, ("Mã hồ sơ: ", ""), ("{{ code }}", "b"))
    para(doc, "{{ receiving_unit_name }} tiếp nhận hồ sơ của:")
    applicant_lines(doc)
    para(
        doc,
        "Nội dung yêu cầu giải quyết: ",
        ("{{ procedure_name }}", "b"),
        " (mã thủ tục: {{ procedure_code }}).",
    )
    para(
        doc,
        "Sau khi nghiên cứu, đối chiếu với các quy định hiện hành, {{ receiving_unit_name }} "
        "không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
        align="justify",
    )
    para(doc, ("{{ reason }}", "b"), indent_mm=10)
    para(doc, "Thời điểm từ chối: {{ refused_text }}.")
    para(doc, "Xin thông báo để ông/bà được biết và thực hiện./.")
    signatures(
        doc,
        ("NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", "{{ applicant_name }}"),
        ("NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", "{{ officer_name }}"),
    )
    lookup_line(doc)
    return doc


def build_apology(spec: FormSpec) -> DocumentType:
    """Form 04: apology with a new appointment (2018) or a proposal to extend (2025)."""
    doc = new_document()
    page_header(doc, spec)
    heading_block(doc)
    title(doc, spec)
    para(doc, "Kính gửi: Ông/bà ", ("{{ applicant_name }}", "b"), ".", align="center", after=6)
    para(
        doc,
        "Ngày {{ received_date_text }}, {{ receiving_unit_name }} tiếp nhận giải quyết hồ sơ "
        "đề nghị ",
        ("{{ procedure_name }}", "b"),
        " của ông/bà; mã hồ sơ: ",
        ("{{ code }}", "b"),
        ".",
        align="justify",
        indent_mm=10,
    )
    para(
        doc,
        "Thời gian hẹn trả kết quả giải quyết hồ sơ: {{ original_due_text }}.",
        indent_mm=10,
    )
    para(
        doc,
        "Tuy nhiên đến nay, {{ delaying_unit_name }} chưa trả kết quả giải quyết hồ sơ của "
        "ông/bà đúng hẹn với lý do: ",
        ("{{ reason }}", "b"),
        ".",
        align="justify",
        indent_mm=10,
    )
    if spec.set_code == "tt03_2025":
        para(
            doc,
            "Sự chậm trễ này đã gây phiền hà cho ông/bà. {{ signer_unit_name }} thành thật xin "
            "lỗi ông/bà và đề nghị ông/bà đồng ý gia hạn thời gian giải quyết hồ sơ.",
            align="justify",
            indent_mm=10,
        )
        tag(doc, "{%p if grants_extension %}")
        para(
            doc,
            "Thời gian đề nghị gia hạn trả kết quả: ",
            ("{{ new_due_text }}", "b"),
            ", tại {{ return_place }}.",
            align="justify",
            indent_mm=10,
        )
        tag(doc, "{%p else %}")
    else:
        para(
            doc,
            "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của ông/bà. "
            "{{ signer_unit_name }} thành thật xin lỗi ông/bà.",
            align="justify",
            indent_mm=10,
        )
        tag(doc, "{%p if grants_extension %}")
        para(
            doc,
            "Chúng tôi sẽ trả kết quả giải quyết hồ sơ cho ông/bà vào ",
            ("{{ new_due_text }}", "b"),
            ", tại {{ return_place }}.",
            align="justify",
            indent_mm=10,
        )
        tag(doc, "{%p else %}")
    para(
        doc,
        "{{ signer_unit_name }} dự kiến trả kết quả vào ",
        ("{{ new_due_text }}", "b"),
        ", tại {{ return_place }}.",
        align="justify",
        indent_mm=10,
    )
    tag(doc, "{%p endif %}")
    para(
        doc,
        "Mong nhận được sự thông cảm của ông/bà vì sự chậm trễ này./.",
        align="justify",
        indent_mm=10,
    )
    recipients_and_signer(
        doc,
        ["- Như trên;", "- {{ receiving_unit_name }} (bộ phận một cửa);", "- Lưu: VT."],
        "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
    )
    lookup_line(doc)
    return doc


def build_stop_notice(spec: FormSpec) -> DocumentType:
    """Form 05 of Circular 03/2025: written notice that handling of the dossier stops."""
    doc = new_document()
    page_header(doc, spec)
    heading_block(doc)
    title(doc, spec)
    para(doc, "Kính gửi: Ông/bà ", ("{{ applicant_name }}", "b"), ".", align="center", after=6)
    para(
        doc,
        "Ngày {{ received_date_text }}, {{ receiving_unit_name }} tiếp nhận hồ sơ đề nghị ",
        ("{{ procedure_name }}", "b"),
        " của ông/bà; mã hồ sơ: ",
        ("{{ code }}", "b"),
        ".",
        align="justify",
        indent_mm=10,
    )
    para(
        doc,
        "{{ signer_unit_name }} thông báo dừng giải quyết hồ sơ nêu trên kể từ "
        "{{ stopped_text }}, với lý do và căn cứ: ",
        ("{{ reason }}", "b"),
        ".",
        align="justify",
        indent_mm=10,
    )
    para(
        doc,
        "Ông/bà liên hệ {{ receiving_unit_name }} để được hướng dẫn và nhận lại hồ sơ, "
        "giấy tờ đã nộp (nếu có)./.",
        align="justify",
        indent_mm=10,
    )
    recipients_and_signer(
        doc,
        ["- Như trên;", "- {{ receiving_unit_name }} (bộ phận một cửa);", "- Lưu: VT."],
        "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
    )
    lookup_line(doc)
    return doc


def build_refusal(spec: FormSpec) -> DocumentType:
    """Return of a received dossier the authority refuses to resolve, with reason and ground."""
    doc = new_document()
    page_header(doc, spec)
    heading_block(doc)
    title(doc, spec, ("Mã hồ sơ: ", ""), ("{{ code }}", "b"))
    para(doc, "Kính gửi: Ông/bà ", ("{{ applicant_name }}", "b"), ".", align="center", after=6)
    para(
        doc,
        "Ngày {{ received_date_text }}, {{ receiving_unit_name }} tiếp nhận hồ sơ đề nghị ",
        ("{{ procedure_name }}", "b"),
        " của ông/bà; mã hồ sơ: ",
        ("{{ code }}", "b"),
        ".",
        align="justify",
        indent_mm=10,
    )
    para(
        doc,
        "Sau khi xem xét, {{ signer_unit_name }} trả lại hồ sơ và không giải quyết yêu cầu "
        "của ông/bà, với lý do và căn cứ pháp lý như sau:",
        align="justify",
        indent_mm=10,
    )
    para(doc, ("{{ reason }}", "b"), align="justify", indent_mm=10)
    para(doc, "Thời điểm trả lại hồ sơ: {{ refused_text }}.", indent_mm=10)
    para(
        doc,
        "Ông/bà liên hệ {{ return_place }} để nhận lại hồ sơ, giấy tờ đã nộp. "
        "Xin thông báo để ông/bà được biết./.",
        align="justify",
        indent_mm=10,
    )
    recipients_and_signer(
        doc,
        ["- Như trên;", "- {{ receiving_unit_name }} (bộ phận một cửa);", "- Lưu: VT."],
        "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
    )
    lookup_line(doc)
    return doc


def build_result_handover(spec: FormSpec) -> DocumentType:
    """Hand-over of the result: who received it, how, when, and the officer who gave it."""
    doc = new_document()
    page_header(doc, spec)
    heading_block(doc)
    title(doc, spec, ("Mã hồ sơ: ", ""), ("{{ code }}", "b"))
    para(doc, "Hồ sơ của ông/bà: ", ("{{ applicant_name }}", "b"))
    para(doc, "Số định danh cá nhân/CCCD/mã số doanh nghiệp: {{ applicant_id_number }}")
    para(
        doc,
        "Nội dung yêu cầu giải quyết: ",
        ("{{ procedure_name }}", "b"),
        " (mã thủ tục: {{ procedure_code }}).",
    )
    para(doc, "Thời gian nhận hồ sơ: {{ received_text }}.")
    para(doc, "Thời gian hẹn trả kết quả: {{ due_text }}.")
    para(doc, "Kết quả giải quyết hồ sơ được ký duyệt: {{ resolved_text }}.")
    tag(doc, "{%p if results %}")
    para(doc, "Kết quả giao gồm:")
    tag(doc, "{%p for item in results %}")
    para(doc, "- {{ item }}", indent_mm=10)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    para(doc, "Người nhận kết quả: ", ("{{ recipient }}", "b"), ".")
    para(doc, "Hình thức trả kết quả: {{ delivery_text }}.")
    tag(doc, "{%p if consignment %}")
    para(doc, "Số hiệu bưu gửi: {{ consignment }}.")
    tag(doc, "{%p endif %}")
    para(doc, "Thời điểm trả kết quả: ", ("{{ returned_text }}", "b"), ".")
    para(doc, "Người trả kết quả: {{ officer_name }}, {{ receiving_unit_name }}.")
    signatures(
        doc,
        ("NGƯỜI NHẬN KẾT QUẢ", "(Ký và ghi rõ họ tên)", "{{ recipient }}"),
        ("NGƯỜI TRẢ KẾT QUẢ", "(Ký và ghi rõ họ tên)", "{{ officer_name }}"),
    )
    lookup_line(doc)
    return doc


def build_control_sheet(spec: FormSpec) -> DocumentType:
    """Control slip: the dossier's particulars, then one row per hand-over between units."""
    doc = new_document(landscape=True)
    page_header(doc, spec)
    heading_block(doc, landscape=True)
    title(
        doc,
        spec,
        ("Mã hồ sơ: ", ""),
        ("{{ code }}", "b"),
    )
    para(
        doc,
        ("(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả mã hồ sơ {{ code }})", "i"),
        align="center",
        size=12,
    )
    para(
        doc,
        "Người nộp hồ sơ: ",
        ("{{ applicant_name }}", "b"),
        "    Chủ hồ sơ: {{ owner_or_applicant }}",
    )
    para(doc, "Địa chỉ: {{ applicant_address }}    Số điện thoại: {{ applicant_phone }}")
    para(
        doc,
        "Nội dung yêu cầu giải quyết: ",
        ("{{ procedure_name }}", "b"),
        " (mã thủ tục: {{ procedure_code }}).",
    )
    para(doc, "Thành phần hồ sơ: {{ components_text }}.")
    para(
        doc,
        "Thời gian nhận hồ sơ: ",
        ("{{ received_text }}", "b"),
        ".    Thời hạn giải quyết theo quy định: {{ time_limit_text }}.",
    )
    para(doc, "Thời gian hẹn trả kết quả: ", ("{{ due_text }}", "b"), ".")
    para(doc, "Cơ quan giải quyết: {{ competent_unit_name }}.")
    para(doc, "", after=2)
    header = [
        "TT",
        "Bước xử lý",
        "Bên giao (cơ quan, đơn vị; người giao)",
        "Bên nhận (cơ quan, đơn vị; người nhận)",
        "Thời điểm giao, nhận",
        "Hạn xử lý",
        "Kết quả (trước hạn / đúng hạn / quá hạn)",
        "Ghi chú",
    ]
    table = doc.add_table(rows=4, cols=len(header))
    table.style = doc.styles["Table Grid"]
    widths(table, [9.0, 40.0, 50.0, 50.0, 27.0, 27.0, 32.0, 27.0])
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell_text(cell, (text, "b"), align="center", size=11)
    cell_text(table.rows[1].cells[0], "{%tr for s in steps %}")
    row = table.rows[2].cells
    cell_text(row[0], "{{ loop.index }}", align="center", size=11)
    cell_text(row[1], ("{{ s.name }}", "b"), size=11)
    cell_text(row[2], "{{ s.giver_unit }}", size=11)
    para(row[2], ("{{ s.giver }}", "b"), size=11, after=0)
    para(row[2], ("(ký)", "i"), size=9, after=0)
    cell_text(row[3], "{{ s.receiver_unit }}", size=11)
    para(row[3], ("{{ s.receiver }}", "b"), size=11, after=0)
    para(row[3], ("(ký)", "i"), size=9, after=0)
    cell_text(row[4], "{{ s.at_text }}", size=11)
    cell_text(row[5], "{{ s.due_text }}", size=11)
    cell_text(row[6], ("{{ s.result }}", "b"), align="center", size=11)
    para(row[6], "{{ s.ended_text }}", size=10, after=0)
    cell_text(row[7], "{{ s.note }}", size=11)
    cell_text(table.rows[3].cells[0], "{%tr endfor %}")
    table_rows_whole(table)
    lookup_line(doc)
    return doc


def build_register(spec: FormSpec) -> DocumentType:
    """Dossier register of a receiving unit over a date range (landscape)."""
    doc = new_document(landscape=True)
    page_header(doc, spec)
    table = doc.add_table(rows=1, cols=2)
    widths(table, [110.0, 152.0])
    agency, nation = table.rows[0].cells
    cell_text(agency, ("{{ superior_name }}", ""), align="center", size=12)
    para(agency, ("{{ unit_name }}", "b"), align="center", size=12, after=0)
    rule(agency, 30)
    cell_text(nation, ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "b"), align="center", size=12)
    para(nation, ("Độc lập - Tự do - Hạnh phúc", "b"), align="center", size=13, after=0)
    rule(nation, 40)
    para(nation, ("{{ place }}, {{ issued_date_long }}", "i"), align="center", size=13, after=0)
    para(doc, "", after=4)
    title(doc, spec, ("Từ ngày {{ date_from_text }} đến ngày {{ date_to_text }}", "i"))
    header = [
        "TT",
        "Mã hồ sơ",
        "Tên thủ tục hành chính",
        "Số lượng hồ sơ (bộ)",
        "Tên cá nhân, tổ chức",
        "Địa chỉ, số điện thoại",
        "Cơ quan chủ trì giải quyết",
        "Nhận hồ sơ",
        "Hẹn trả kết quả",
        "Có kết quả / kết thúc",
        "Trả kết quả",
        "Trạng thái",
        "Ghi chú",
    ]
    table = doc.add_table(rows=4, cols=len(header))
    table.style = doc.styles["Table Grid"]
    widths(table, [9.0, 27.0, 30.0, 12.0, 24.0, 28.0, 22.0, 21.0, 21.0, 21.0, 21.0, 15.0, 11.0])
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell_text(cell, (text, "b"), align="center", size=9)
    cell_text(table.rows[1].cells[0], "{%tr for r in rows %}")
    keys = [
        "{{ loop.index }}",
        "{{ r.code }}",
        "{{ r.procedure_name }}",
        "",
        "{{ r.applicant_name }}",
        "{{ r.address_phone }}",
        "{{ r.competent_unit_name }}",
        "{{ r.received_text }}",
        "{{ r.due_text }}",
        "{{ r.finished_text }}",
        "{{ r.returned_text }}",
        "{{ r.state }}",
        "{{ r.note }}",
    ]
    for cell, key in zip(table.rows[2].cells, keys, strict=True):
        cell_text(cell, key, size=9)
    cell_text(table.rows[3].cells[0], "{%tr endfor %}")
    para(doc, "", after=2)
    para(doc, "Tổng số hồ sơ: {{ rows|length }}.", size=12)
    signatures(doc, None, ("NGƯỜI LẬP SỔ", "(Ký và ghi rõ họ tên)", BLANK))
    return doc


BUILDERS = {
    "receipt": build_receipt,
    "supplement_request": build_supplement_request,
    "intake_refusal": build_intake_refusal,
    "apology": build_apology,
    "stop_notice": build_stop_notice,
    "control_sheet": build_control_sheet,
    "register": build_register,
    "refusal": build_refusal,
    "result_handover": build_result_handover,
}


def _normalise(path: Path) -> None:
    """Fixed timestamps in the package so that regenerating unchanged forms changes no byte."""
    data = path.read_bytes()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    path.write_bytes(out.getvalue())


def build_all(directory: Path = FORMS_DIR) -> list[Path]:
    """Write every template of every set under `directory`; returns the written paths."""
    written = []
    for set_code, forms in FORMS.items():
        for spec in forms.values():
            doc = BUILDERS[spec.kind](spec)
            doc.core_properties.title = spec.paper_name
            doc.core_properties.subject = f"Mẫu số {spec.number} – {SET_LABELS[set_code]}"
            doc.core_properties.author = "motcua"
            doc.core_properties.last_modified_by = "motcua"
            fixed = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
            doc.core_properties.created = doc.core_properties.modified = fixed
            doc.core_properties.revision = 1
            target = directory / set_code / spec.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            doc.save(str(target))
            _normalise(target)
            written.append(target)
    return written


if __name__ == "__main__":
    for written_path in build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else FORMS_DIR):
        print(written_path)
