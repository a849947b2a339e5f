"""Page, styles and the OOXML details python-docx does not cover, for `decree30_docx`.

A4 sections with the layout's margins and an empty first-page header; the page number as a
PAGE field centred in the top margin; paragraph borders (the lines of the heading, the frame of
the urgency mark) and borderless tables, each inserted where the OOXML schema orders it.
"""

from __future__ import annotations

from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable

from motcua.documents.decree30 import A4_MM, FONT, Layout, Role

# What follows w:pBdr inside w:pPr, and w:pgNumType inside w:sectPr (schema order).
_PPR_AFTER_BORDER = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_SECT_AFTER_PGNUM = (
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
)
_TBLPR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")


def base_styles(doc: DocxDocument, layout: Layout) -> None:
    """Normal style (Times New Roman, black, Vietnamese) and one style per element."""
    normal: Any = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(layout.body_pt)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    rpr.append(lang)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = layout.line_spacing
    for name in Role.ALL:
        style: Any = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = False


def set_page(section: Section, layout: Layout, *, landscape: bool, restart: bool) -> None:
    """A4 page, margins, header distance, different first page, Arabic numbering."""
    short, long = Mm(A4_MM[0]), Mm(A4_MM[1])
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.top_margin, section.bottom_margin = Mm(layout.top_mm), Mm(layout.bottom_mm)
    section.left_margin, section.right_margin = Mm(layout.left_mm), Mm(layout.right_mm)
    section.header_distance = Mm(layout.top_mm / 2)
    section.footer_distance = Mm(layout.bottom_mm / 2)
    section.different_first_page_header_footer = True
    sect_pr = section._sectPr
    num = sect_pr.find(qn("w:pgNumType"))
    if num is None:
        num = OxmlElement("w:pgNumType")
        sect_pr.insert_element_before(num, *_SECT_AFTER_PGNUM)
    num.set(qn("w:fmt"), "decimal")
    if restart:
        num.set(qn("w:start"), "1")


def page_number_headers(section: Section, layout: Layout) -> None:
    """Page number centred in the top margin; the first page's header stays empty."""
    section.header.is_linked_to_previous = False
    section.first_page_header.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.style = Role.PAGE_NUMBER
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run()
    run.font.size = Pt(layout.page_number_pt)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    first = section.first_page_header.paragraphs[0]
    first.text = ""


def contact_footer(section: Section, contact: str) -> None:
    """The agency's address, e-mail and phone at the bottom of page 1, under a full line."""
    p = section.first_page_footer.paragraphs[0]
    p.style = Role.CONTACT
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    border(p, "top")
    run = p.add_run(contact)
    run.font.size = Pt(11)


def border(paragraph: Any, side: str, *, box: bool = False) -> None:
    """A solid border on one side of a paragraph (or a box on all four)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for name in ("top", "left", "bottom", "right") if box else (side,):
        line = OxmlElement(f"w:{name}")
        for key, value in (
            ("w:val", "single"),
            ("w:sz", "6"),
            ("w:space", "1"),
            ("w:color", "000000"),
        ):
            line.set(qn(key), value)
        borders.append(line)
    ppr.insert_element_before(borders, *_PPR_AFTER_BORDER)


def borderless(table: DocxTable, widths_mm: list[float]) -> None:
    """No borders, no cell padding, fixed column widths."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for name in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{name}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    tbl_pr.insert_element_before(borders, *_TBLPR_AFTER_BORDERS)
    margins = OxmlElement("w:tblCellMar")
    for name in ("left", "right"):
        edge = OxmlElement(f"w:{name}")
        edge.set(qn("w:w"), "0")
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tbl_pr.insert_element_before(margins, "w:tblLook")
    set_widths(table, widths_mm)


def set_widths(table: DocxTable, widths_mm: list[float]) -> None:
    """Fixed column widths: the grid (read by LibreOffice) and every cell (Word)."""
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
