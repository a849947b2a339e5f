"""Read a DOCX back and list every element outside Decree 30/2020's format (reports.md §7).

    problems = check_decree30(docx_bytes)   # [] when the document is in format

Each problem is one Vietnamese sentence naming the element and what is wrong ("Tiêu ngữ: cỡ chữ
12 pt ngoài khoảng 13–14 pt"). Elements are found by their paragraph style ("NĐ30 …", set by
`motcua.documents.decree30`); formatting is read as Word resolves it: the run, then the
paragraph style and the styles it is based on.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.table import Table as DocxTable

from motcua.documents.decree30 import (
    A4_MM,
    AUTHORITY_WORDS,
    FONT,
    INDENTS_MM,
    LINE_SPACING_RANGE,
    MARGIN_RANGES_MM,
    MIN_SPACE_AFTER_PT,
    MOTTO,
    NATIONAL_NAME,
    SIDE_NAMES,
    SIZE_RANGES_PT,
    URGENCY_MARKS,
    Role,
    roman,
    text_width_mm,
)
from motcua.documents.decree30_read import (
    EMU_PER_MM,
    Found,
    check_element,
    check_rule,
    container_mm,
    count_role,
    has_border,
    label,
    msg,
    para_fmt,
    pt_text,
    resolve,
    role_of,
    size_pt,
    text_of,
    text_runs,
    walk,
)
from motcua.lib.vnnumber import number_text

BODY_ROLES = (Role.LEGAL_BASIS, Role.PART, Role.ITEM, Role.POINT, Role.BODY)

NUMBER_RE = re.compile(r"^Số: (\d{2,}|[\s\u00a0]+)/[A-ZĐ0-9]+(-[A-ZĐ0-9.]+)+$")
PLACE_DATE_RE = re.compile(
    r"^[A-ZĐÀ-Ỹ][^,]*, ngày (?P<day>\d{2}|…) tháng (?P<month>0[12]|[3-9]|1[0-2]|…) "
    r"năm (\d{4}|…)$"
)
PART_RE = re.compile(r"^[IVXLC]+\. \S")
ITEM_RE = re.compile(r"^\d+\. \S")
POINT_RE = re.compile(r"^[a-zđ]\) \S")
LAST_RECIPIENT_RE = re.compile(r"^- Lưu: VT(, [^,.;]+)*\.( \([A-ZĐ]+(, \d+ bản)?\))?$")
APPENDIX_LABEL_RE = re.compile(r"^Phụ lục( [IVXLC]+)?$")
CAPTION_RE = re.compile(r"^\(Kèm theo .+ số .+ ngày .+ tháng .+ năm .+ của .+\)$")
ACADEMIC_RE = re.compile(r"^(GS|PGS|TS|TSKH|ThS|KS|BS|CN|Ths)\.?\s")


def check_decree30(data: bytes) -> list[str]:
    """Every deviation from Decree 30/2020 (§7.1–§7.2) found in the DOCX `data`; [] if none."""
    doc = Document(io.BytesIO(data))
    problems: list[str] = []
    found = list(walk(doc))
    by_role: dict[str, list[Found]] = {}
    for item in found:
        by_role.setdefault(item.role, []).append(item)
    _check_pages(doc, problems)
    _check_fonts(doc, found, problems)
    _check_heading(doc, found, by_role, problems)
    _check_title(doc, found, by_role, problems)
    _check_body(by_role, problems)
    _check_signature(by_role, problems)
    _check_appendices(doc, by_role, problems)
    return problems


# -- page -----------------------------------------------------------------------------------------


def _check_pages(doc: Any, problems: list[str]) -> None:
    """A4, orientation, margins, page numbers from page 2, appendices from 1."""
    for index, section in enumerate(doc.sections):
        where = msg("Trang (phần %(index)s)", index=index + 1)
        width, height = section.page_width / EMU_PER_MM, section.page_height / EMU_PER_MM
        landscape = section.orientation == WD_ORIENT.LANDSCAPE
        expected = (A4_MM[1], A4_MM[0]) if landscape else A4_MM
        if abs(width - expected[0]) > 1 or abs(height - expected[1]) > 1:
            problems.append(
                msg(
                    "%(where)s: khổ %(width)s × %(height)s mm, không phải A4",
                    where=where,
                    width=number_text(width),
                    height=number_text(height),
                )
            )
        if index == 0 and landscape:
            problems.append(msg("%(where)s: trang đầu văn bản phải khổ dọc", where=where))
        for side, (low, high) in MARGIN_RANGES_MM.items():
            value = getattr(section, f"{side}_margin") / EMU_PER_MM
            if not low - 0.1 <= value <= high + 0.1:
                problems.append(
                    msg(
                        "%(where)s: lề %(side)s %(value)s mm ngoài khoảng %(low)s–%(high)s mm",
                        where=where,
                        side=SIDE_NAMES[side],
                        value=pt_text(value),
                        low=pt_text(low),
                        high=pt_text(high),
                    )
                )
        if not section.different_first_page_header_footer:
            problems.append(
                msg("%(where)s: trang đầu phải không có số trang (trang đầu khác)", where=where)
            )
        first = section.first_page_header
        if _has_page_field(first._element) or first._element.xpath("string(.)").strip():
            problems.append(msg("%(where)s: đầu trang của trang đầu phải để trống", where=where))
        _check_page_number(section, where, problems)
        num = section._sectPr.find(qn("w:pgNumType"))
        if num is not None and num.get(qn("w:fmt")) not in (None, "decimal"):
            problems.append(msg("%(where)s: số trang phải là chữ số Ả Rập", where=where))
        if index > 0 and (num is None or num.get(qn("w:start")) != "1"):
            problems.append(
                msg("%(where)s: phụ lục phải đánh số trang riêng, bắt đầu từ 1", where=where)
            )
        if section.header_distance >= section.top_margin:
            problems.append(msg("%(where)s: số trang phải nằm trong lề trên", where=where))


def _has_page_field(element: Any) -> bool:
    """Whether the element holds a PAGE field (simple or complex)."""
    instr = " ".join(t.text or "" for t in element.iter(qn("w:instrText")))
    simple = " ".join(f.get(qn("w:instr")) or "" for f in element.iter(qn("w:fldSimple")))
    return "PAGE" in instr.upper().split() or "PAGE" in simple.upper().split()


def _check_page_number(section: Any, where: str, problems: list[str]) -> None:
    """The page number in the header: centred, 13–14 pt, upright."""
    header = section.header
    field_paragraphs = [p for p in header.paragraphs if _has_page_field(p._p)]
    if not field_paragraphs:
        problems.append(msg("%(where)s: thiếu số trang ở đầu trang", where=where))
        return
    p = field_paragraphs[0]
    if (para_fmt(p, lambda f: f.alignment) or WD_ALIGN_PARAGRAPH.LEFT) != WD_ALIGN_PARAGRAPH.CENTER:
        problems.append(msg("%(where)s: số trang phải canh giữa", where=where))
    low, high = SIZE_RANGES_PT["page_number"]
    for run in p.runs:
        size = size_pt(p, run)
        if size is None or not low <= size <= high:
            problems.append(
                msg(
                    "%(where)s: số trang cỡ %(size)s pt ngoài khoảng %(low)s–%(high)s pt",
                    where=where,
                    size=pt_text(size),
                    low=pt_text(low),
                    high=pt_text(high),
                )
            )
        if resolve(p, run, lambda f: f.bold) or resolve(p, run, lambda f: f.italic):
            problems.append(msg("%(where)s: số trang phải chữ đứng, không đậm", where=where))


def _check_fonts(doc: Any, found: list[Found], problems: list[str]) -> None:
    """Times New Roman, black, everywhere text is printed."""
    bad: set[str] = set()
    paragraphs = [item.paragraph for item in found]
    for section in doc.sections:
        for part in (section.header, section.first_page_header, section.first_page_footer):
            paragraphs += part.paragraphs
    for p in paragraphs:
        for run in text_runs(p):
            name = resolve(p, run, lambda f: f.name)
            if name != FONT:
                bad.add(
                    msg(
                        "Phông chữ “%(name)s” không phải %(font)s (“%(text)s”)",
                        name=name,
                        font=FONT,
                        text=run.text.strip()[:30],
                    )
                )
            color = resolve(p, run, lambda f: f.color.rgb if f.color.type else None)
            if color is not None and str(color) not in ("000000", "auto"):
                bad.add(
                    msg(
                        "Màu chữ %(color)s không phải màu đen (“%(text)s”)",
                        color=color,
                        text=run.text.strip()[:30],
                    )
                )
    problems.extend(sorted(bad))


# -- heading, title, body, signature, appendices ---------------------------------------------------


def _check_heading(
    doc: Any, found: list[Found], by_role: dict[str, list[Found]], problems: list[str]
) -> None:
    """National name, motto, agencies, number, place and date, their lines."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    national = count_role(problems, by_role, Role.NATIONAL_NAME, 1, 1)
    check_element(problems, national, "national_name", bold=True, upper=True, align=center)
    motto = count_role(problems, by_role, Role.MOTTO, 1, 1)
    check_element(problems, motto, "motto", bold=True, align=center)
    superior = count_role(problems, by_role, Role.SUPERIOR, 0, 2)
    check_element(problems, superior, "agency", bold=False, upper=True, align=center)
    issuer = count_role(problems, by_role, Role.ISSUER, 1, 3)
    check_element(problems, issuer, "agency", bold=True, upper=True, align=center)
    number = count_role(problems, by_role, Role.NUMBER, 1, 1)
    check_element(problems, number, "number", bold=False, align=center)
    place = count_role(problems, by_role, Role.PLACE_DATE, 1, 1)
    check_element(problems, place, "place_date", bold=False, italic=True, align=center)
    for item in national:
        if text_of(item.paragraph) != NATIONAL_NAME:
            problems.append(msg("Quốc hiệu phải là “%(text)s”", text=NATIONAL_NAME))
        if (item.table, item.col) != (0, 1):
            problems.append(_("Quốc hiệu phải ở trên cùng, bên phải"))
    for item in motto:
        if text_of(item.paragraph) != MOTTO:
            problems.append(msg("Tiêu ngữ phải là “%(text)s” (gạch nối có cách chữ)", text=MOTTO))
        width = text_width_mm(
            MOTTO, size_pt(item.paragraph, text_runs(item.paragraph)[0]) or 13, bold=True
        )
        check_rule(doc, found, problems, item, width, (0.9, 1.1), _("tiêu ngữ"))
    for item in superior + issuer:
        if (item.table, item.col) != (0, 0):
            problems.append(msg("%(element)s phải ở trên cùng, bên trái", element=label(item.role)))
    if issuer:
        size = size_pt(issuer[-1].paragraph, text_runs(issuer[-1].paragraph)[0]) or 12
        col_mm = container_mm(doc, issuer[-1])
        width = min(
            max(text_width_mm(text_of(i.paragraph), size, bold=True) for i in issuer), col_mm
        )
        check_rule(
            doc, found, problems, issuer[-1], width, (1 / 3, 1 / 2), _("tên cơ quan ban hành")
        )
    for item in number:
        if not NUMBER_RE.match(item.paragraph.text):
            problems.append(
                msg("Số, ký hiệu sai dạng “Số: 05/BC-UBND”: “%(text)s”", text=item.paragraph.text)
            )
        if item.table != 0 or item.col != 0:
            problems.append(_("Số, ký hiệu phải ở dưới tên cơ quan ban hành"))
    for item in place:
        match = PLACE_DATE_RE.match(text_of(item.paragraph))
        if not match:
            problems.append(
                msg(
                    "Địa danh, ngày tháng sai dạng “Đồng Tháp, ngày 05 tháng 3 năm 2025”: "
                    "“%(text)s”",
                    text=text_of(item.paragraph),
                )
            )
        if number and (item.table, item.row, item.col) != (0, number[0].row, 1):
            problems.append(_("Địa danh, ngày tháng phải cùng dòng với số, ký hiệu, bên phải"))
    if doc.tables:
        _check_borderless(doc.tables[0], _("Phần đầu văn bản"), problems)
    urgency = count_role(problems, by_role, Role.URGENCY, 0, 1)
    check_element(problems, urgency, "urgency", bold=True)
    for item in urgency:
        if text_of(item.paragraph) not in URGENCY_MARKS:
            problems.append(
                msg("Mức độ khẩn không hợp lệ: “%(text)s”", text=text_of(item.paragraph))
            )
        if not all(has_border(item.paragraph, s) for s in ("top", "left", "bottom", "right")):
            problems.append(_("Mức độ khẩn phải có khung viền"))
    for section in doc.sections[:1]:
        for p in section.first_page_footer.paragraphs:
            if p.text.strip():
                item = Found(role_of(p), p, None, None, None, 0)
                check_element(problems, [item], "contact")
                if not has_border(p, "top"):
                    problems.append(_("Địa chỉ cơ quan phải nằm dưới một đường kẻ hết chiều ngang"))


def _check_borderless(table: DocxTable, what: str, problems: list[str]) -> None:
    """The heading table draws no borders."""
    tbl_pr = table._tbl.tblPr
    style = tbl_pr.find(qn("w:tblStyle"))
    if style is not None and style.get(qn("w:val")) not in ("TableNormal", "NormalTable"):
        problems.append(msg("%(what)s: bảng không được có kiểu kẻ khung", what=what))
    for edge in table._tbl.iter(qn("w:tblBorders"), qn("w:tcBorders")):
        for line in edge:
            if line.get(qn("w:val")) not in ("nil", "none"):
                problems.append(msg("%(what)s: bảng không được có đường viền", what=what))
                return


def _check_title(
    doc: Any, found: list[Found], by_role: dict[str, list[Found]], problems: list[str]
) -> None:
    """Type name and summary with its line, or the "V/v …" of a công văn."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    kind = count_role(problems, by_role, Role.TYPE, 0, 1)
    check_element(problems, kind, "type", bold=True, upper=True, align=center)
    letter = by_role.get(Role.LETTER_SUMMARY, [])
    if kind:
        summary = count_role(problems, by_role, Role.SUMMARY, 1, 1)
        check_element(problems, summary, "summary", bold=True, align=center)
        if letter:
            problems.append(_("Văn bản có tên loại không ghi “V/v” dưới số, ký hiệu"))
        for item in summary:
            size = size_pt(item.paragraph, text_runs(item.paragraph)[0]) or 14
            width = min(
                text_width_mm(text_of(item.paragraph), size, bold=True), container_mm(doc, item)
            )
            check_rule(
                doc,
                found,
                problems,
                item,
                width,
                (1 / 3, 1 / 2),
                _("trích yếu"),
                skip=(Role.SUBTITLE,),
            )
        return
    if len(letter) != 1:
        problems.append(_("Công văn phải có một dòng trích yếu “V/v …” dưới số, ký hiệu"))
    check_element(problems, letter, "letter_summary", bold=False, align=center)
    for item in letter:
        if not text_of(item.paragraph).startswith("V/v "):
            problems.append(_("Trích yếu công văn phải bắt đầu bằng “V/v”"))
        before = item.paragraph.paragraph_format.space_before
        if before is None or before.pt < 6:
            problems.append(_("Trích yếu công văn phải cách số, ký hiệu 6 pt"))
        if item.table != 0 or item.col != 0:
            problems.append(_("Trích yếu công văn phải ở dưới số, ký hiệu"))


def _check_body(by_role: dict[str, list[Found]], problems: list[str]) -> None:
    """Legal bases, parts, items, points, paragraphs and "Kính gửi:"."""
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    bases = by_role.get(Role.LEGAL_BASIS, [])
    check_element(problems, bases, "body", italic=True, align=justify)
    for index, item in enumerate(bases):
        end = "." if index == len(bases) - 1 else ";"
        if not text_of(item.paragraph).endswith(end):
            problems.append(
                msg(
                    "Căn cứ: “%(text)s…” phải kết thúc bằng “%(end)s”",
                    text=text_of(item.paragraph)[:40],
                    end=end,
                )
            )
    parts = by_role.get(Role.PART, [])
    check_element(problems, parts, "body", bold=True, upper=True, align=justify)
    _numbered(parts, PART_RE, _("Phần phải đánh số La Mã “I.”"), problems)
    items = by_role.get(Role.ITEM, [])
    check_element(problems, items, "body", bold=None, align=justify)
    _numbered(items, ITEM_RE, _("Mục phải đánh số “1.”"), problems)
    points = by_role.get(Role.POINT, [])
    check_element(problems, points, "body", bold=False, italic=None, align=justify)
    _numbered(points, POINT_RE, _("Điểm phải đánh dấu “a)”"), problems)
    body = by_role.get(Role.BODY, [])
    if not body:
        problems.append(_("Thiếu nội dung văn bản"))
    check_element(problems, body, "body", bold=False, align=justify)
    for role in BODY_ROLES:
        for item in by_role.get(role, []):
            _spacing(item, problems)
    addressees = by_role.get(Role.ADDRESSEE, [])
    check_element(problems, addressees, "body", bold=False)
    texts = [text_of(item.paragraph) for item in addressees]
    if texts and not texts[0].startswith("Kính gửi:"):
        problems.append(_("Nơi gửi phải bắt đầu bằng “Kính gửi:”"))
    if len(texts) > 1:
        lines = [texts[0].removeprefix("Kính gửi:").strip(), *texts[1:]]
        for index, line in enumerate(lines):
            end = "." if index == len(lines) - 1 else ";"
            if not (line.startswith("- ") and line.endswith(end)):
                problems.append(
                    msg("Kính gửi: dòng “%(text)s” phải có dạng “- …%(end)s”", text=line, end=end)
                )
    elif texts and not texts[0].endswith("."):
        problems.append(_("Kính gửi: phải kết thúc bằng dấu chấm"))


def _numbered(
    items: list[Found], pattern: re.Pattern[str], message: str, problems: list[str]
) -> None:
    """Each paragraph of an element starts with its numbering pattern."""
    for item in items:
        if not pattern.match(text_of(item.paragraph)):
            problems.append(f"{message}: “{text_of(item.paragraph)[:40]}”")


def _spacing(item: Found, problems: list[str]) -> None:
    """First-line indent 1 or 1,27 cm, ≥ 6 pt after, single to 1.5 line spacing."""
    p, name = item.paragraph, label(item.role)
    indent = para_fmt(p, lambda f: f.first_line_indent)
    if indent is None or not any(abs(indent / EMU_PER_MM - mm) < 0.1 for mm in INDENTS_MM):
        shown = _("không có") if indent is None else f"{number_text(indent / EMU_PER_MM, 2)} mm"
        problems.append(
            msg(
                "%(element)s: thụt đầu dòng %(shown)s, phải 1 cm hoặc 1,27 cm",
                element=name,
                shown=shown,
            )
        )
    after = para_fmt(p, lambda f: f.space_after)
    if after is None or after.pt < MIN_SPACE_AFTER_PT:
        problems.append(msg("%(element)s: cách đoạn sau dưới 6 pt", element=name))
    rule = para_fmt(p, lambda f: f.line_spacing_rule)
    spacing = para_fmt(p, lambda f: f.line_spacing)
    if rule in (WD_LINE_SPACING.EXACTLY, WD_LINE_SPACING.AT_LEAST):
        size = size_pt(p, None) or 14
        lines = spacing.pt / (size * 1.15) if spacing is not None else 0
    else:
        lines = spacing if isinstance(spacing, float) else 1.0
    if not LINE_SPACING_RANGE[0] - 0.01 <= lines <= LINE_SPACING_RANGE[1] + 0.01:
        problems.append(
            msg(
                "%(element)s: giãn dòng %(lines)s ngoài khoảng dòng đơn – 1,5 dòng",
                element=name,
                lines=number_text(lines, 2),
            )
        )


def _check_signature(by_role: dict[str, list[Found]], problems: list[str]) -> None:
    """Recipients list, authority and title, signer."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    label = count_role(problems, by_role, Role.RECIPIENTS_LABEL, 1, 1)
    check_element(problems, label, "recipients_label", bold=True, italic=True)
    for item in label:
        if text_of(item.paragraph) != "Nơi nhận:":
            problems.append(_("Nơi nhận: nhãn phải là “Nơi nhận:”"))
    lines = count_role(problems, by_role, Role.RECIPIENTS_ITEM, 1)
    check_element(problems, lines, "recipients_item", bold=False)
    for index, item in enumerate(lines):
        text = text_of(item.paragraph)
        if index == len(lines) - 1:
            if not LAST_RECIPIENT_RE.match(text):
                problems.append(
                    msg("Nơi nhận: dòng cuối phải là “- Lưu: VT, ….” (“%(text)s”)", text=text)
                )
        elif not (text.startswith("- ") and text.endswith(";")):
            problems.append(msg("Nơi nhận: dòng “%(text)s” phải có dạng “- …;”", text=text))
    authority = count_role(problems, by_role, Role.AUTHORITY, 1, 3)
    check_element(problems, authority, "signature", bold=True, upper=True, align=center)
    for index, item in enumerate(authority):
        word = text_of(item.paragraph).split(" ", 1)[0]
        if word.endswith(".") and word not in AUTHORITY_WORDS:
            problems.append(msg("Quyền hạn ký “%(word)s” không có trong Nghị định 30", word=word))
        if index < len(authority) - 1 and word not in AUTHORITY_WORDS:
            problems.append(
                msg(
                    "Quyền hạn ký: dòng “%(text)s” thiếu TM./KT./TL./TUQ.",
                    text=text_of(item.paragraph),
                )
            )
    if (
        label
        and authority
        and (label[0].table, label[0].row)
        != (
            authority[0].table,
            authority[0].row,
        )
    ):
        problems.append(_("Nơi nhận phải ngang hàng với quyền hạn, chức vụ người ký"))
    if label and authority and (label[0].col, authority[0].col) != (0, 1):
        problems.append(_("Nơi nhận ở bên trái, chữ ký ở bên phải"))
    signer = count_role(problems, by_role, Role.SIGNER, 1, 1)
    check_element(problems, signer, "signature", bold=True, upper=False, align=center)
    for item in signer:
        if ACADEMIC_RE.match(text_of(item.paragraph)):
            problems.append(_("Họ tên người ký không kèm học hàm, học vị"))


def _check_appendices(doc: Any, by_role: dict[str, list[Found]], problems: list[str]) -> None:
    """One label, title and caption per appendix section, in order."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    labels = by_role.get(Role.APPENDIX_LABEL, [])
    titles = by_role.get(Role.APPENDIX_TITLE, [])
    captions = by_role.get(Role.APPENDIX_CAPTION, [])
    appendices = len(doc.sections) - 1
    for role, items in (
        (Role.APPENDIX_LABEL, labels),
        (Role.APPENDIX_TITLE, titles),
        (Role.APPENDIX_CAPTION, captions),
    ):
        if len(items) != appendices:
            problems.append(
                msg(
                    "%(element)s: có %(count)s, cần %(needed)s (mỗi phụ lục một)",
                    element=label(role),
                    count=len(items),
                    needed=appendices,
                )
            )
    check_element(problems, labels, "appendix_label", bold=True, upper=False, align=center)
    check_element(problems, titles, "appendix_title", bold=True, upper=True, align=center)
    check_element(problems, captions, "body", italic=True, align=center)
    for index, item in enumerate(labels):
        text = text_of(item.paragraph)
        if not APPENDIX_LABEL_RE.match(text):
            problems.append(msg("Phụ lục: nhãn sai dạng “Phụ lục I”: “%(text)s”", text=text))
        if len(labels) > 1 and text.split(" ")[-1] != roman(index + 1):
            problems.append(msg("Phụ lục: “%(text)s” phải đánh số La Mã theo thứ tự", text=text))
        if item.section != index + 1:
            problems.append(msg("Phụ lục: “%(text)s” phải bắt đầu một trang (phần) mới", text=text))
    for item in captions:
        if not CAPTION_RE.match(text_of(item.paragraph)):
            problems.append(
                _("Phụ lục: dòng dưới tên phải là “(Kèm theo … số … ngày … tháng … năm … của …)”")
            )
