"""Administrative documents in the format of Decree 30/2020/NĐ-CP (thể thức văn bản hành chính).

One renderer for every document type: a report (BÁO CÁO), a plan (KẾ HOẠCH), an official letter
(công văn, no type name, "V/v …" under the number). The caller describes the document with the
plain dataclasses below (no domain knowledge here: the report builder fills them) and calls

    render_docx(document, layout=Layout()) -> bytes       # python-docx, §7.1–§7.2
    render_pdf(document, layout=Layout()) -> bytes        # the DOCX through LibreOffice
    appendix_xlsx(appendix, document=document) -> bytes   # a figures appendix as a workbook

`motcua.documents.decree30_check.check_decree30(docx_bytes)` reads a rendered DOCX back and lists
every element outside the decree's ranges (docs/documents.md, "Văn bản theo Nghị định 30").

Every paragraph carries a paragraph style named after its element ("NĐ30 Quốc hiệu", "NĐ30 Nội
dung", ...): the văn thư sees the element's name in the word processor, and the checker finds
the elements by it. Formatting itself is direct (on the paragraph and its runs).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from motcua.documents.formats import date_long
from motcua.documents.render import DocumentError, docx_to_pdf
from motcua.lib.vnnumber import number_text, percent_text

FONT = "Times New Roman"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
# Quyền hạn ký (reports.md §7.4): thay mặt, ký thay, thừa lệnh, thừa ủy quyền, quyền.
AUTHORITY_WORDS = ("TM.", "KT.", "TL.", "TUQ.", "Q.")
# Mức độ khẩn.
URGENCY_MARKS = ("HỎA TỐC", "THƯỢNG KHẨN", "KHẨN")
A4_MM = (210.0, 297.0)


class Decree30Error(DocumentError):
    """The document or its layout is outside what Decree 30/2020 allows; the message says how."""


# -- the decree's ranges, shared with the checker -------------------------------------------------

MARGIN_RANGES_MM = {
    "top": (20.0, 25.0),
    "bottom": (20.0, 25.0),
    "left": (30.0, 35.0),
    "right": (15.0, 20.0),
}
INDENTS_MM = (10.0, 12.7)
LINE_SPACING_RANGE = (1.0, 1.5)
MIN_SPACE_AFTER_PT = 6.0
SIZE_RANGES_PT = {
    "national_name": (12.0, 13.0),
    "motto": (13.0, 14.0),
    "agency": (12.0, 13.0),
    "number": (13.0, 13.0),
    "place_date": (13.0, 14.0),
    "type": (13.0, 14.0),
    "summary": (13.0, 14.0),
    "letter_summary": (12.0, 13.0),
    "body": (13.0, 14.0),
    "signature": (13.0, 14.0),
    "page_number": (13.0, 14.0),
    "urgency": (13.0, 14.0),
    "recipients_label": (12.0, 12.0),
    "recipients_item": (11.0, 11.0),
    "contact": (11.0, 12.0),
    "appendix_label": (14.0, 14.0),
    "appendix_title": (13.0, 14.0),
}


class Role:
    """Paragraph style names, one per element of reports.md §7.2 (shown to the văn thư)."""

    SUPERIOR = "NĐ30 Cơ quan chủ quản"
    ISSUER = "NĐ30 Cơ quan ban hành"
    NATIONAL_NAME = "NĐ30 Quốc hiệu"
    MOTTO = "NĐ30 Tiêu ngữ"
    RULE = "NĐ30 Đường kẻ"
    NUMBER = "NĐ30 Số và ký hiệu"
    PLACE_DATE = "NĐ30 Địa danh và thời gian"
    LETTER_SUMMARY = "NĐ30 Trích yếu công văn"
    URGENCY = "NĐ30 Mức độ khẩn"
    TYPE = "NĐ30 Tên loại"
    SUMMARY = "NĐ30 Trích yếu"
    SUBTITLE = "NĐ30 Trích yếu phụ"
    LEGAL_BASIS = "NĐ30 Căn cứ"
    ADDRESSEE = "NĐ30 Kính gửi"
    PART = "NĐ30 Phần"
    ITEM = "NĐ30 Mục"
    POINT = "NĐ30 Điểm"
    BODY = "NĐ30 Nội dung"
    TABLE = "NĐ30 Bảng"
    RECIPIENTS_LABEL = "NĐ30 Nơi nhận"
    RECIPIENTS_ITEM = "NĐ30 Nơi nhận dòng"
    AUTHORITY = "NĐ30 Quyền hạn và chức vụ"
    SIGNER = "NĐ30 Họ tên người ký"
    SIGNATURE_SPACE = "NĐ30 Chỗ ký"
    PAGE_NUMBER = "NĐ30 Số trang"
    CONTACT = "NĐ30 Địa chỉ cơ quan"
    APPENDIX_LABEL = "NĐ30 Phụ lục"
    APPENDIX_TITLE = "NĐ30 Tên phụ lục"
    APPENDIX_CAPTION = "NĐ30 Kèm theo"

    ALL = (
        SUPERIOR, ISSUER, NATIONAL_NAME, MOTTO, RULE, NUMBER, PLACE_DATE, LETTER_SUMMARY,
        URGENCY, TYPE, SUMMARY, SUBTITLE, LEGAL_BASIS, ADDRESSEE, PART, ITEM, POINT, BODY,
        TABLE, RECIPIENTS_LABEL, RECIPIENTS_ITEM, AUTHORITY, SIGNER, SIGNATURE_SPACE,
        PAGE_NUMBER, CONTACT, APPENDIX_LABEL, APPENDIX_TITLE, APPENDIX_CAPTION,
    )  # fmt: skip


@dataclass(frozen=True)
class Layout:
    """Page and sizes; defaults are the decree's own illustration (reports.md §7.5 DECISION)."""

    top_mm: float = 20.0
    bottom_mm: float = 20.0
    left_mm: float = 30.0
    right_mm: float = 15.0
    national_name_pt: float = 12.0
    agency_pt: float = 12.0
    motto_pt: float = 13.0
    number_pt: float = 13.0
    place_date_pt: float = 13.0
    type_pt: float = 14.0
    summary_pt: float = 14.0
    letter_summary_pt: float = 12.0
    body_pt: float = 14.0
    signature_pt: float = 14.0
    page_number_pt: float = 14.0
    first_line_indent_mm: float = 10.0
    space_after_pt: float = 6.0
    line_spacing: float = 1.15
    table_pt: float = 12.0  # inside tables: the decree sets no size; 12 pt keeps columns readable

    def __post_init__(self) -> None:
        problems: list[str] = []
        for side, (low, high) in MARGIN_RANGES_MM.items():
            value = getattr(self, f"{side}_mm")
            if not low <= value <= high:
                problems.append(
                    _("lề %(side)s %(value)s mm ngoài khoảng %(low)s–%(high)s mm")
                    % {"side": SIDE_NAMES[side], "value": value, "low": low, "high": high}
                )
        for name, key in LAYOUT_SIZES.items():
            low, high = SIZE_RANGES_PT[key]
            value = getattr(self, name)
            if not low <= value <= high:
                problems.append(
                    _("cỡ chữ %(what)s %(value)s pt ngoài khoảng %(low)s–%(high)s pt")
                    % {"what": ELEMENT_NAMES[key], "value": value, "low": low, "high": high}
                )
        if self.first_line_indent_mm not in INDENTS_MM:
            problems.append(_("thụt đầu dòng phải là 1 cm hoặc 1,27 cm"))
        if self.space_after_pt < MIN_SPACE_AFTER_PT:
            problems.append(_("khoảng cách giữa các đoạn văn phải từ 6 pt trở lên"))
        if not LINE_SPACING_RANGE[0] <= self.line_spacing <= LINE_SPACING_RANGE[1]:
            problems.append(_("khoảng cách giữa các dòng phải từ dòng đơn đến 1,5 dòng"))
        if problems:
            raise Decree30Error(_("Thể thức không đúng Nghị định 30/2020: ") + "; ".join(problems))

    @property
    def text_width_mm(self) -> float:
        """Width of the text area on a portrait page."""
        return A4_MM[0] - self.left_mm - self.right_mm


SIDE_NAMES = {"top": "trên", "bottom": "dưới", "left": "trái", "right": "phải"}
LAYOUT_SIZES = {
    "national_name_pt": "national_name",
    "agency_pt": "agency",
    "motto_pt": "motto",
    "number_pt": "number",
    "place_date_pt": "place_date",
    "type_pt": "type",
    "summary_pt": "summary",
    "letter_summary_pt": "letter_summary",
    "body_pt": "body",
    "signature_pt": "signature",
    "page_number_pt": "page_number",
}
ELEMENT_NAMES = {
    "national_name": "quốc hiệu",
    "motto": "tiêu ngữ",
    "agency": "tên cơ quan",
    "number": "số và ký hiệu",
    "place_date": "địa danh và thời gian",
    "type": "tên loại văn bản",
    "summary": "trích yếu",
    "letter_summary": "trích yếu công văn",
    "body": "nội dung",
    "signature": "quyền hạn, chức vụ, họ tên người ký",
    "page_number": "số trang",
    "urgency": "mức độ khẩn",
    "recipients_label": "chữ “Nơi nhận”",
    "recipients_item": "các dòng nơi nhận",
    "contact": "địa chỉ cơ quan",
    "appendix_label": "chữ “Phụ lục”",
    "appendix_title": "tên phụ lục",
}


# -- text widths (for the lines under the motto, the agency and the summary) ----------------------

# Advance widths (1/1000 em) of Times Roman and Times Bold (Adobe AFM; Times New Roman and
# Liberation Serif share the metrics). A Vietnamese letter takes its base letter's width.
_ROMAN = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        [722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722,
         667, 556, 611, 722, 722, 944, 722, 722, 611, 444, 500, 444, 500, 444, 333, 500, 500,
         278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500,
         444],
        strict=True,
    )
)  # fmt: skip
_BOLD = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        [722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778,
         722, 556, 667, 722, 722, 1000, 722, 722, 667, 500, 556, 444, 556, 444, 333, 500, 556,
         278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500,
         444],
        strict=True,
    )
)  # fmt: skip
_COMMON = {" ": 250, "-": 333, ".": 250, ",": 250, ":": 278, "/": 278, "(": 333, ")": 333}


def text_width_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """The printed width of one line of `text` in Times New Roman (approximate, ±2 %)."""
    table = _BOLD if bold else _ROMAN
    total = 0
    for char in text.replace("Đ", "D").replace("đ", "d"):
        base = unicodedata.normalize("NFD", char)[0]
        total += table.get(base) or _COMMON.get(base) or 500
    return total / 1000 * size_pt * 25.4 / 72


# -- the document as data -------------------------------------------------------------------------


@dataclass(frozen=True)
class Percent:
    """A percentage for a table cell (51.2 → '51,20%' in the DOCX, 0.512 as % in the XLSX)."""

    value: float | Decimal
    digits: int = 2


Cell = str | int | float | Decimal | Percent | None


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph: justified, first-line indent (a "- " or "+ " bullet is just text)."""

    text: str


@dataclass(frozen=True)
class PartHeading:
    """A part of the body — phần: 'I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH' (upper case, bold)."""

    number: str
    title: str


@dataclass(frozen=True)
class Item:
    """An item — mục: '1. Title' in bold, optionally followed by plain text in the paragraph."""

    number: int | str
    title: str = ""
    text: str = ""


@dataclass(frozen=True)
class Point:
    """A point — điểm: 'a) …', with an optional italic title before the text."""

    label: str
    text: str
    title: str = ""


@dataclass(frozen=True)
class Table:
    """A table — bảng: a header row and rows of cells; numbers are right-aligned and printed
    in Vietnamese format (184.027; 51,20%)."""

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths_mm: tuple[float, ...] = ()
    title: str = ""  # a bold line above the table (also the XLSX block heading)


Block = Paragraph | PartHeading | Item | Point | Table


@dataclass(frozen=True)
class Signature:
    """The signature block — quyền hạn, chức vụ, họ tên người ký.

    `Signature("PHÓ CHÁNH VĂN PHÒNG", "Huỳnh Văn An", authority="KT.", on_behalf_of="CHÁNH VĂN
    PHÒNG")` prints "KT. CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG / Huỳnh Văn An"; `authority="Q."`
    prints the acting title on one line ("Q. GIÁM ĐỐC"); `collective="Ủy ban nhân dân"` adds
    "TM. ỦY BAN NHÂN DÂN" above "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH".
    """

    title: str
    name: str
    authority: str = ""
    on_behalf_of: str = ""
    collective: str = ""  # "ỦY BAN NHÂN DÂN": a "TM. …" line above a KT./TL./TUQ. line

    def __post_init__(self) -> None:
        if self.authority and self.authority not in AUTHORITY_WORDS:
            raise Decree30Error(
                _("quyền hạn ký “%(word)s” không có trong Nghị định 30 (TM., KT., TL., TUQ., Q.)")
                % {"word": self.authority}
            )
        if self.authority in ("TM.", "KT.", "TL.", "TUQ.") and not self.on_behalf_of:
            raise Decree30Error(
                _("quyền hạn ký %(word)s cần tên tập thể hoặc người đứng đầu")
                % {"word": self.authority}
            )

    def lines(self) -> list[str]:
        """The upper-case authority and title lines above the signature."""
        lines = [f"TM. {self.collective}"] if self.collective else []
        if self.authority == "Q.":
            lines.append(f"Q. {self.title}")
        elif self.authority:
            lines += [f"{self.authority} {self.on_behalf_of}", self.title]
        else:
            lines.append(self.title)
        return [line.upper() for line in lines]


@dataclass(frozen=True)
class Appendix:
    """An appendix — phụ lục: title and blocks, on its own pages (landscape allowed)."""

    title: str
    blocks: tuple[Block, ...] = ()
    landscape: bool = False


@dataclass(frozen=True)
class AdministrativeDocument:
    """A văn bản hành chính: heading, title, body, signature block, recipients, appendices.

    `doc_type` is "BÁO CÁO", "KẾ HOẠCH", … or "" for a công văn, whose `summary` then prints
    under the number as "V/v …". `number=None` or `issued_on=None` leave blanks for the văn thư
    (a draft). `agency_heading` overrides how the issuing agency's name is split into lines.
    """

    issuing_agency: str
    symbol: str
    place: str
    summary: str
    signature: Signature
    superior_agency: str = ""
    agency_heading: tuple[str, ...] = ()
    number: int | None = None
    issued_on: dt.date | None = None
    doc_type: str = ""
    subtitle: str = ""
    urgency: str = ""
    legal_bases: tuple[str, ...] = ()
    addressees: tuple[str, ...] = ()
    body: tuple[Block, ...] = ()
    closing: str = ""
    recipients: tuple[str, ...] = ()
    archive: tuple[str, ...] = ()
    drafter: str = ""
    copies: int | None = None
    contact: str = ""
    appendices: tuple[Appendix, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.urgency and self.urgency not in URGENCY_MARKS:
            raise Decree30Error(_("mức độ khẩn phải là HỎA TỐC, THƯỢNG KHẨN hoặc KHẨN"))
        if self.number is not None and self.number < 1:
            raise Decree30Error(_("số văn bản phải là số nguyên dương"))
        if not self.symbol.strip() or " " in self.symbol.strip():
            raise Decree30Error(_("ký hiệu văn bản không được trống và không có khoảng trắng"))

    @property
    def is_letter(self) -> bool:
        """A công văn: no type name; its summary is the 'V/v …' line under the number."""
        return not self.doc_type

    def number_text(self) -> str:
        """'Số: 166/BC-VPUBND'; below 10 with a leading zero; blank for the văn thư if None."""
        number = f"{self.number:02d}" if self.number is not None else "\u00a0" * 6
        return f"Số: {number}/{self.symbol.strip().upper()}"

    def place_date_text(self) -> str:
        """'Đồng Tháp, ngày 14 tháng 9 năm 2023' (blanks when the date is not set yet)."""
        when = date_long(self.issued_on) if self.issued_on else "ngày … tháng … năm …"
        return f"{self.place}, {when}"

    def heading_lines(self) -> list[str]:
        """The issuing agency's name in upper case, as split into lines in the heading."""
        lines = self.agency_heading or (self.issuing_agency,)
        return [line.upper() for line in lines]

    def appendix_label(self, index: int) -> str:
        """'Phụ lục' for a single appendix, 'Phụ lục I', 'Phụ lục II', … for several."""
        if len(self.appendices) < 2:
            return "Phụ lục"
        return f"Phụ lục {roman(index + 1)}"

    def appendix_caption(self) -> str:
        """'(Kèm theo Báo cáo số 166/BC-VPUBND ngày 14 tháng 9 năm 2023 của …)'."""
        kind = self.doc_type.capitalize() if self.doc_type else "Văn bản"
        number = self.number_text().removeprefix("Số: ")
        when = date_long(self.issued_on) if self.issued_on else "ngày … tháng … năm …"
        return f"(Kèm theo {kind} số {number} {when} của {self.issuing_agency})"


def roman(number: int) -> str:
    """1 → 'I', 4 → 'IV', 14 → 'XIV'."""
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out += letters
            number -= value
    return out


def ended(text: str, mark: str) -> str:
    """`text` without its trailing ';', ',', '.' and with `mark` added."""
    return text.rstrip().rstrip(";,.") + mark


def listed(items: Sequence[str], *, last: str = ".") -> list[str]:
    """'- a;', '- b;', '- c.': a Decree-30 list, each line ';' and the last `last`."""
    marks = [";"] * (len(items) - 1) + [last]
    return [
        ended(f"- {item.strip().removeprefix('- ')}", mark)
        for item, mark in zip(items, marks, strict=True)
    ]


def cell_text(value: Cell) -> str:
    """A table cell as printed in the DOCX."""
    if value is None:
        return ""
    if isinstance(value, Percent):
        return percent_text(value.value, value.digits)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return number_text(value)
    if isinstance(value, float | Decimal):
        return number_text(value, 2)
    return str(value)


def render_docx(document: AdministrativeDocument, *, layout: Layout | None = None) -> bytes:
    """The document as DOCX bytes (A4, Times New Roman, every element of §7.2)."""
    from motcua.documents.decree30_docx import build_docx

    return build_docx(document, layout or Layout())


def render_pdf(document: AdministrativeDocument, *, layout: Layout | None = None) -> bytes:
    """The document as PDF: the DOCX converted by LibreOffice."""
    return docx_to_pdf(render_docx(document, layout=layout))


def appendix_xlsx(appendix: Appendix, *, document: AdministrativeDocument | None = None) -> bytes:
    """One appendix as a workbook; with `document`, its label and "Kèm theo" caption on top."""
    from motcua.documents.decree30_xlsx import build_xlsx

    return build_xlsx(appendix, document)


__all__ = [
    "AdministrativeDocument",
    "Appendix",
    "Decree30Error",
    "Item",
    "Layout",
    "Paragraph",
    "PartHeading",
    "Percent",
    "Point",
    "Signature",
    "Table",
    "appendix_xlsx",
    "render_docx",
    "render_pdf",
]
