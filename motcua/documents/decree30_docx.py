"""The DOCX writer of `motcua.documents.decree30` (python-docx; see that module's docstring).

Page (reports.md §7.1): A4 portrait, the layout's margins, Times New Roman black, page numbers
centred in the top margin from page 2 (a different, empty first-page header), each appendix a
new section whose numbering restarts. Heading: a borderless two-column table (agencies and
number left; national name, motto and place/date right), the lines drawn as bottom borders of
short paragraphs whose indents give them the decree's lengths. Page set-up, styles, headers
and the raw OOXML live in `decree30_page`.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt

from motcua.documents.decree30 import (
    A4_MM,
    MOTTO,
    NATIONAL_NAME,
    AdministrativeDocument,
    Appendix,
    Block,
    Item,
    Layout,
    Paragraph,
    PartHeading,
    Percent,
    Point,
    Role,
    Table,
    cell_text,
    ended,
    listed,
    text_width_mm,
)
from motcua.documents.decree30_page import (
    base_styles,
    border,
    borderless,
    contact_footer,
    page_number_headers,
    set_page,
    set_widths,
)

LEFT, CENTER, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)
# Heading and signature columns of a portrait page (mm); their sum is the text width.
HEADING_LEFT_SHARE = 0.40
SIGNATURE_LEFT_SHARE = 0.48
SIGNATURE_SPACE_LINES = 4
# Headings never end a page: they stay with the paragraph that follows.
KEEP_WITH_NEXT = {
    Role.TYPE,
    Role.SUMMARY,
    Role.SUBTITLE,
    Role.PART,
    Role.APPENDIX_LABEL,
    Role.APPENDIX_TITLE,
    Role.LEGAL_BASIS,
}


def build_docx(document: AdministrativeDocument, layout: Layout) -> bytes:
    """Write the whole document; see the module docstring."""
    doc = new_docx()
    base_styles(doc, layout)
    section = doc.sections[0]
    set_page(section, layout, landscape=False, restart=False)
    page_number_headers(section, layout)
    if document.contact:
        contact_footer(section, document.contact)
    writer = _Writer(doc, layout)
    writer.heading(document)
    writer.title(document)
    writer.addressees(document.addressees)
    writer.legal_bases(document.legal_bases)
    for block in document.body:
        writer.block(block, doc)
    if document.closing:
        writer.body_text(doc, ended(document.closing, "./."))
    writer.signature_block(document)
    for index, appendix in enumerate(document.appendices):
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        set_page(section, layout, landscape=appendix.landscape, restart=True)
        page_number_headers(section, layout)
        section.footer.is_linked_to_previous = False
        section.first_page_footer.is_linked_to_previous = False
        writer.appendix(document, index, appendix)
    props = doc.core_properties
    props.title = f"{document.doc_type or 'Công văn'} {document.summary}".strip()
    props.author = document.issuing_agency
    props.language = "vi-VN"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# -- the writer -----------------------------------------------------------------------------------


class _Writer:
    """Adds the document's elements in order, each a paragraph styled with its role."""

    def __init__(self, doc: DocxDocument, layout: Layout) -> None:
        self.doc = doc
        self.layout = layout

    def para(
        self,
        container: Any,
        role: str,
        text: str = "",
        *,
        size: float,
        align: Any = LEFT,
        bold: bool = False,
        italic: bool = False,
        after: float = 0,
        before: float = 0,
        indent: bool = False,
        reuse: bool = False,
    ) -> Any:
        """A paragraph of one run (reuse: write into a fresh cell's empty first paragraph)."""
        p = container.paragraphs[0] if reuse else container.add_paragraph()
        p.style = self.doc.styles[role]
        p.alignment = align
        fmt = p.paragraph_format
        fmt.space_after = Pt(after)
        fmt.space_before = Pt(before)
        if role in KEEP_WITH_NEXT:
            fmt.keep_with_next = True
        if indent:
            fmt.first_line_indent = Mm(self.layout.first_line_indent_mm)
        if text:
            self.run(p, text, size=size, bold=bold, italic=italic)
        return p

    @staticmethod
    def run(p: Any, text: str, *, size: float, bold: bool = False, italic: bool = False) -> Any:
        """One run with explicit size, bold and italic (never inherited by accident)."""
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        run.italic = italic
        return run

    def rule(self, cell: Any, width_mm: float, column_mm: float, *, after: float = 0) -> None:
        """A centred solid line `width_mm` long in a `column_mm` wide container."""
        p = cell.add_paragraph()
        p.style = self.doc.styles[Role.RULE]
        side = max((column_mm - width_mm) / 2, 0)
        fmt = p.paragraph_format
        fmt.left_indent = fmt.right_indent = Mm(side)
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(after)
        fmt.line_spacing = Pt(2)
        border(p, "bottom")

    # -- heading ---------------------------------------------------------------------------------

    def heading(self, document: AdministrativeDocument) -> None:
        """Agencies | national name and motto; number (and V/v) | place and date."""
        lay = self.layout
        total = lay.text_width_mm
        left_mm = round(total * HEADING_LEFT_SHARE, 1)
        right_mm = total - left_mm
        table = self.doc.add_table(rows=2, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        borderless(table, [left_mm, right_mm])
        left, right = table.cell(0, 0), table.cell(0, 1)
        first = True
        if document.superior_agency:
            self.para(
                left,
                Role.SUPERIOR,
                document.superior_agency.upper(),
                size=lay.agency_pt,
                align=CENTER,
                reuse=first,
            )
            first = False
        lines = document.heading_lines()
        for line in lines:
            self.para(
                left, Role.ISSUER, line, size=lay.agency_pt, align=CENTER, bold=True, reuse=first
            )
            first = False
        agency_mm = min(max(text_width_mm(x, lay.agency_pt, bold=True) for x in lines), left_mm)
        self.rule(left, agency_mm * 0.4, left_mm, after=4)
        self.para(
            right,
            Role.NATIONAL_NAME,
            NATIONAL_NAME,
            size=lay.national_name_pt,
            align=CENTER,
            bold=True,
            reuse=True,
        )
        self.para(right, Role.MOTTO, MOTTO, size=lay.motto_pt, align=CENTER, bold=True)
        self.rule(right, text_width_mm(MOTTO, lay.motto_pt, bold=True), right_mm, after=4)
        number_cell, date_cell = table.cell(1, 0), table.cell(1, 1)
        self.para(
            number_cell,
            Role.NUMBER,
            document.number_text(),
            size=lay.number_pt,
            align=CENTER,
            reuse=True,
        )
        if document.is_letter:
            self.para(
                number_cell,
                Role.LETTER_SUMMARY,
                f"V/v {document.summary}",
                size=lay.letter_summary_pt,
                align=CENTER,
                before=6,
            )
        if document.urgency:
            mark = self.para(
                number_cell,
                Role.URGENCY,
                document.urgency,
                size=14,
                align=CENTER,
                bold=True,
                before=6,
            )
            # the frame fits the word: indents leave it a little wider than the text
            width = text_width_mm(document.urgency, 14, bold=True) + 6
            mark.paragraph_format.left_indent = Mm(max((left_mm - width) / 2, 0))
            mark.paragraph_format.right_indent = Mm(max((left_mm - width) / 2, 0))
            border(mark, "", box=True)
        self.para(
            date_cell,
            Role.PLACE_DATE,
            document.place_date_text(),
            size=lay.place_date_pt,
            align=CENTER,
            italic=True,
            reuse=True,
        )

    def title(self, document: AdministrativeDocument) -> None:
        """Type name, summary (and subtitle), a short line; nothing for a công văn."""
        lay = self.layout
        doc = self.doc
        if document.is_letter:
            doc.add_paragraph().paragraph_format.space_after = Pt(6)
            return
        self.para(
            doc,
            Role.TYPE,
            document.doc_type.upper(),
            size=lay.type_pt,
            align=CENTER,
            bold=True,
            before=18,
        )
        self.para(doc, Role.SUMMARY, document.summary, size=lay.summary_pt, align=CENTER, bold=True)
        if document.subtitle:
            self.para(
                doc,
                Role.SUBTITLE,
                document.subtitle,
                size=lay.summary_pt,
                align=CENTER,
                italic=True,
            )
        summary_mm = min(
            text_width_mm(document.summary, lay.summary_pt, bold=True), lay.text_width_mm
        )
        self.rule(doc, summary_mm * 0.4, lay.text_width_mm, after=12)

    def addressees(self, addressees: tuple[str, ...]) -> None:
        """'Kính gửi: X.' on one line, or one recipient a line with '-' and ';'."""
        if not addressees:
            return
        lay = self.layout
        label = "Kính gửi:"
        indent = 25.0
        if len(addressees) == 1:
            p = self.para(self.doc, Role.ADDRESSEE, size=lay.body_pt, after=lay.space_after_pt)
            p.paragraph_format.left_indent = Mm(indent)
            self.run(p, f"{label} {ended(addressees[0].strip(), '.')}", size=lay.body_pt)
            return
        hang = text_width_mm(label + " ", lay.body_pt) + 1
        for index, line in enumerate(listed(addressees)):
            p = self.para(
                self.doc,
                Role.ADDRESSEE,
                size=lay.body_pt,
                after=lay.space_after_pt if index == len(addressees) - 1 else 0,
            )
            fmt = p.paragraph_format
            fmt.left_indent = Mm(indent + hang)
            if index == 0:
                fmt.first_line_indent = Mm(-hang)
                self.run(p, f"{label} ", size=lay.body_pt)
            self.run(p, line, size=lay.body_pt)

    def legal_bases(self, bases: tuple[str, ...]) -> None:
        """Italic, justified, each ';' and the last '.'."""
        for index, basis in enumerate(bases):
            text = ended(basis.strip(), ";" if index < len(bases) - 1 else ".")
            self.para(
                self.doc,
                Role.LEGAL_BASIS,
                text,
                size=self.layout.body_pt,
                align=JUSTIFY,
                italic=True,
                after=self.layout.space_after_pt,
                indent=True,
            )

    # -- body ------------------------------------------------------------------------------------

    def body_text(self, container: Any, text: str) -> Any:
        """A plain body paragraph."""
        return self.para(
            container,
            Role.BODY,
            text,
            size=self.layout.body_pt,
            align=JUSTIFY,
            after=self.layout.space_after_pt,
            indent=True,
        )

    def block(self, block: Block, container: Any) -> None:
        """One body block: part, item, point, paragraph or table."""
        lay = self.layout
        size, after = lay.body_pt, lay.space_after_pt
        if isinstance(block, Paragraph):
            self.body_text(container, block.text)
        elif isinstance(block, PartHeading):
            text = f"{block.number.strip().rstrip('.')}. {block.title.strip()}".upper()
            self.para(
                container,
                Role.PART,
                text,
                size=size,
                align=JUSTIFY,
                bold=True,
                after=after,
                indent=True,
            )
        elif isinstance(block, Item):
            p = self.para(container, Role.ITEM, size=size, align=JUSTIFY, after=after, indent=True)
            head = f"{str(block.number).strip().rstrip('.')}."
            if block.title:
                p.paragraph_format.keep_with_next = not block.text
                self.run(p, f"{head} {block.title.strip()}", size=size, bold=True)
                if block.text:
                    self.run(p, f" {block.text.strip()}", size=size)
            else:
                self.run(p, f"{head} {block.text.strip()}", size=size)
        elif isinstance(block, Point):
            p = self.para(container, Role.POINT, size=size, align=JUSTIFY, after=after, indent=True)
            self.run(p, f"{block.label.strip().rstrip(')')}) ", size=size)
            if block.title:
                self.run(p, f"{block.title.strip()} ", size=size, italic=True)
            self.run(p, block.text.strip(), size=size)
        elif isinstance(block, Table):
            self.table(container, block)

    def table(self, container: Any, block: Table, width_mm: float | None = None) -> None:
        """A bordered table: bold centred header repeated on each page, numbers right."""
        lay = self.layout
        if block.title:
            self.para(
                container, Role.TABLE, block.title, size=lay.table_pt, bold=True, after=3, before=3
            )
        columns = len(block.header)
        table = self.doc.add_table(rows=1 + len(block.rows), cols=columns)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        total = width_mm or lay.text_width_mm
        widths = list(block.widths_mm) or _auto_widths(block, total)
        set_widths(table, widths)
        for col, name in enumerate(block.header):
            self.para(
                table.cell(0, col),
                Role.TABLE,
                name,
                size=lay.table_pt,
                align=CENTER,
                bold=True,
                reuse=True,
            )
        header_pr = table.rows[0]._tr.get_or_add_trPr()
        header_pr.append(OxmlElement("w:tblHeader"))
        for r, row in enumerate(block.rows, start=1):
            table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            for col, value in enumerate(row):
                numeric = isinstance(value, int | float | Percent) or (
                    value is not None and not isinstance(value, str)
                )
                self.para(
                    table.cell(r, col),
                    Role.TABLE,
                    cell_text(value),
                    size=lay.table_pt,
                    align=RIGHT if numeric else LEFT,
                    reuse=True,
                )
        # a table is followed by a gap so the next paragraph does not touch it
        spacer = self.doc.add_paragraph()
        spacer.paragraph_format.space_after = Pt(lay.space_after_pt)

    # -- signature -------------------------------------------------------------------------------

    def signature_block(self, document: AdministrativeDocument) -> None:
        """Recipients list left, level with the authority line; title and name right."""
        lay = self.layout
        total = lay.text_width_mm
        left_mm = round(total * SIGNATURE_LEFT_SHARE, 1)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(6)
        table = self.doc.add_table(rows=1, cols=2)
        borderless(table, [left_mm, total - left_mm])
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        left, right = table.cell(0, 0), table.cell(0, 1)
        self.para(
            left, Role.RECIPIENTS_LABEL, "Nơi nhận:", size=12, bold=True, italic=True, reuse=True
        )
        archive = ", ".join(["VT", *[a.strip() for a in document.archive if a.strip()]])
        items = listed([*document.recipients, f"Lưu: {archive}"])
        mark = ""
        if document.drafter:
            mark = document.drafter.strip().upper()
            if document.copies:
                mark += f", {document.copies:02d} bản"
        for index, line in enumerate(items):
            text = f"{line} ({mark})" if mark and index == len(items) - 1 else line
            self.para(left, Role.RECIPIENTS_ITEM, text, size=11)
        for index, line in enumerate(document.signature.lines()):
            self.para(
                right,
                Role.AUTHORITY,
                line,
                size=lay.signature_pt,
                align=CENTER,
                bold=True,
                reuse=index == 0,
            )
        for _line in range(SIGNATURE_SPACE_LINES):
            self.para(right, Role.SIGNATURE_SPACE, size=lay.signature_pt, align=CENTER)
        self.para(
            right,
            Role.SIGNER,
            document.signature.name.strip(),
            size=lay.signature_pt,
            align=CENTER,
            bold=True,
        )

    # -- appendices ------------------------------------------------------------------------------

    def appendix(self, document: AdministrativeDocument, index: int, appendix: Appendix) -> None:
        """'Phụ lục I', the title, the '(Kèm theo …)' caption, then the blocks."""
        lay = self.layout
        doc = self.doc
        self.para(
            doc,
            Role.APPENDIX_LABEL,
            document.appendix_label(index),
            size=14,
            align=CENTER,
            bold=True,
        )
        self.para(
            doc,
            Role.APPENDIX_TITLE,
            appendix.title.upper(),
            size=lay.type_pt,
            align=CENTER,
            bold=True,
        )
        self.para(
            doc,
            Role.APPENDIX_CAPTION,
            document.appendix_caption(),
            size=lay.body_pt,
            align=CENTER,
            italic=True,
            after=12,
        )
        page_width = A4_MM[1] if appendix.landscape else A4_MM[0]
        width = page_width - lay.left_mm - lay.right_mm
        for block in appendix.blocks:
            if isinstance(block, Table):
                self.table(doc, block, width)
            else:
                self.block(block, doc)


def _auto_widths(block: Table, total: float) -> list[float]:
    """Columns as wide as their longest text (at least 12 mm), scaled to fill `total`."""
    longest = [len(name) for name in block.header]
    for row in block.rows:
        for col, value in enumerate(row):
            longest[col] = max(longest[col], len(cell_text(value)))
    weights = [max(min(n, 60), 6) for n in longest]
    scale = total / sum(weights)
    return [round(w * scale, 1) for w in weights]


__all__ = ["build_docx"]
