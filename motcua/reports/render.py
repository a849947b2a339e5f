"""Biểu 06 as XLSX (openpyxl), DOCX (python-docx) and PDF (the DOCX through LibreOffice).

All three print the same `Bieu06.lines()`: the numbers are never recomputed here. Format after
Decree 30/2020/NĐ-CP (reports.md §7): A4 landscape, Times New Roman, national name and motto top
right, the reporting agency top left, place and date and the signature blocks at the bottom.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from motcua.documents.formats import date_long
from motcua.documents.render import docx_to_pdf
from motcua.documents.signing import sign_for
from motcua.dossiers.documents import place_name
from motcua.dossiers.forms_build import FONT, cell_text, new_document, para, rule, widths
from motcua.lib.periods import TZ
from motcua.reports.bieu06 import COLUMNS, HEADER_ROWS, Bieu06, Line

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
COMPILER = "Người lập biểu"
HEAD = "Thủ trưởng đơn vị"
COMPILER_HINT = "(Ký, ghi rõ họ tên)"
HEAD_HINT = "(Ký, ghi rõ họ tên, đóng dấu)"
FORMATS = ("xlsx", "docx", "pdf")
PAPER_A4 = "9"  # the OOXML paperSize code of A4


def today() -> dt.date:
    """Today in Vietnam."""
    return dt.datetime.now(TZ).date()


def number_text(value: int) -> str:
    """184027 → '184.027' (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def issuer(table: Bieu06) -> tuple[str, str]:
    """(superior agency, reporting agency) in upper case, as in the heading's left block."""
    parent = table.unit.parent
    return (parent.name.upper() if parent is not None else "", table.unit.name.upper())


def place_and_date(table: Bieu06, issued_on: dt.date) -> str:
    """'Đồng Tháp, ngày 24 tháng 11 năm 2026'."""
    return f"{place_name(table.unit)}, {date_long(issued_on)}"


# -- XLSX -----------------------------------------------------------------------------------------


def render_xlsx(table: Bieu06, *, issued_on: dt.date | None = None) -> bytes:
    """One sheet: heading, merged multi-row header, rows, footnote, signature blocks."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from motcua.lib.safecells import xlsx_cell

    issued_on = issued_on or today()
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Biểu 06"
    book.properties.title = table.title
    book.properties.creator = "motcua"

    def font(**kw: Any) -> Font:
        return Font(name=FONT, size=kw.pop("size", 12), **kw)

    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    last = get_column_letter(COLUMNS)

    def banner(row: int, first: str, end: str, text: str, **style: Any) -> None:
        ws.merge_cells(f"{first}{row}:{end}{row}")
        cell = ws[f"{first}{row}"]
        align = style.pop("align", "center")
        xlsx_cell(cell, text)
        cell.font = font(**style)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)

    superior, agency = issuer(table)
    banner(1, "A", "E", superior or agency, bold=not superior)
    banner(2, "A", "E", agency if superior else "", bold=True)
    banner(1, "G", last, NATIONAL_NAME, bold=True)
    banner(2, "G", last, MOTTO, bold=True, size=13)
    banner(4, "A", last, table.title, bold=True, size=14)
    ws.row_dimensions[4].height = 40
    row = 5
    for text in table.heading_lines:
        banner(row, "A", last, text, italic=text.startswith("Số liệu tạm tính"), size=13)
        row += 1
    ws.merge_cells(f"A{row}:{last}{row}")
    xlsx_cell(ws[f"A{row}"], table.unit_of_count)
    ws[f"A{row}"].font = font(italic=True)
    ws[f"A{row}"].alignment = Alignment(horizontal="right")
    top = row + 2  # first header row

    for text, r, c, rs, cs in table.header_cells():
        first_row, first_col = top + r - 1, c
        if rs > 1 or cs > 1:
            ws.merge_cells(
                start_row=first_row,
                start_column=first_col,
                end_row=first_row + rs - 1,
                end_column=first_col + cs - 1,
            )
        xlsx_cell(ws.cell(row=first_row, column=first_col), text)
    numbering = top + HEADER_ROWS
    for c in range(1, COLUMNS + 1):
        ws.cell(row=numbering, column=c).value = f"({c})"
    for r in range(top, numbering + 1):
        for c in range(1, COLUMNS + 1):
            cell = ws.cell(row=r, column=c)
            cell.border = box
            cell.alignment = centre
            cell.font = font(bold=r < numbering, italic=r == numbering, size=11)
    ws.row_dimensions[top + 1].height = 30
    ws.row_dimensions[top + 2].height = 45

    row = numbering + 1
    for line in table.lines():
        bold = line.kind != "item"
        values: list[Any] = [line.number, line.label, *line.values]
        for c, value in enumerate(values, start=1):
            cell = xlsx_cell(ws.cell(row=row, column=c), value)  # unit names stay text
            cell.border = box
            cell.font = font(bold=bold, size=11)
            if c == 2:
                cell.alignment = Alignment(vertical="center", wrap_text=True)
            elif c == 1:
                cell.alignment = centre
            else:
                cell.alignment = Alignment(horizontal="right", vertical="center")
                cell.number_format = "#,##0"
        row += 1
    end_of_table = row - 1

    row += 1
    if table.footnote:
        banner(row, "A", last, table.footnote, italic=True, size=11, align="left")
        row += 2
    banner(row, "G", last, place_and_date(table, issued_on), italic=True, size=13)
    row += 1
    banner(row, "A", "E", COMPILER, bold=True, size=13)
    banner(row, "G", last, HEAD, bold=True, size=13)
    row += 1
    banner(row, "A", "E", COMPILER_HINT, italic=True, size=11)
    banner(row, "G", last, HEAD_HINT, italic=True, size=11)

    ws.column_dimensions["A"].width = 7
    ws.column_dimensions["B"].width = 42
    for c in range(3, COLUMNS + 1):
        ws.column_dimensions[get_column_letter(c)].width = 12
    ws.freeze_panes = ws.cell(row=numbering + 1, column=3)
    ws.print_title_rows = f"{top}:{numbering}"
    ws.print_area = f"A1:{last}{row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.8
    assert end_of_table > numbering
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- DOCX -----------------------------------------------------------------------------------------

# A4 landscape, margins 20 (left) and 15 (right) mm: 262 mm for the table.
TABLE_MM = [12.0, 63.0] + [17.0] * (COLUMNS - 2)


def _repeat_as_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _cant_split(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _write(cell: Any, text: str, *, bold: bool = False, italic: bool = False, align: str) -> None:
    p = cell.paragraphs[0]
    p.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(1)
    run = p.add_run(text)
    run.font.size = Pt(11)
    run.bold = bold or None
    run.italic = italic or None
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _heading(doc: Any, table: Bieu06) -> None:
    """Agency top left, national name and motto top right (Decree 30/2020 positions)."""
    block = doc.add_table(rows=1, cols=2)
    block.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths(block, [110.0, 152.0])
    left, right = block.rows[0].cells
    superior, agency = issuer(table)
    if superior:
        cell_text(left, superior, align="center", size=12)
        para(left, (agency, "b"), align="center", size=12, after=0)
    else:
        cell_text(left, (agency, "b"), align="center", size=12)
    rule(left, 30)
    cell_text(right, (NATIONAL_NAME, "b"), align="center", size=12)
    para(right, (MOTTO, "b"), align="center", size=13, after=0)
    rule(right, 45)


def _signatures(doc: Any, table: Bieu06, issued_on: dt.date) -> None:
    block = doc.add_table(rows=1, cols=2)
    block.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths(block, [110.0, 152.0])
    left, right = block.rows[0].cells
    cell_text(left, "", align="center")
    para(left, (COMPILER, "b"), align="center", after=0)
    para(left, (COMPILER_HINT, "i"), align="center", size=12, after=0)
    cell_text(right, (place_and_date(table, issued_on), "i"), align="center")
    para(right, (HEAD, "b"), align="center", after=0)
    para(right, (HEAD_HINT, "i"), align="center", size=12, after=0)


def render_docx(table: Bieu06, *, issued_on: dt.date | None = None) -> bytes:
    """The form as a Word document: heading, title, period, table, footnote, signatures."""
    issued_on = issued_on or today()
    doc = new_document(landscape=True)
    doc.core_properties.title = table.title
    doc.core_properties.author = "motcua"
    _heading(doc, table)
    para(doc, "", after=4)
    para(doc, (table.title, "b"), align="center", size=14, after=4)
    for text in table.heading_lines:
        style = "i" if text.startswith("Số liệu tạm tính") else ""
        para(doc, (text, style), align="center", after=2)
    para(doc, (table.unit_of_count, "i"), align="right", size=12, after=2)

    lines = table.lines()
    grid = doc.add_table(rows=HEADER_ROWS + 1 + len(lines), cols=COLUMNS)
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths(grid, TABLE_MM)
    for text, r, c, rs, cs in table.header_cells():
        cell = grid.cell(r - 1, c - 1)
        if rs > 1 or cs > 1:
            cell = cell.merge(grid.cell(r - 1 + rs - 1, c - 1 + cs - 1))
        _write(cell, text, bold=True, align="center")
    for c in range(COLUMNS):
        _write(grid.cell(HEADER_ROWS, c), f"({c + 1})", italic=True, align="center")
    for r in range(HEADER_ROWS + 1):
        _repeat_as_header(grid.rows[r])
        _cant_split(grid.rows[r])
    for offset, line in enumerate(lines):
        _table_row(grid, HEADER_ROWS + 1 + offset, line)

    if table.footnote:
        para(doc, "", after=0)
        para(doc, (table.footnote, "i"), size=12, after=4)
    para(doc, "", after=4)
    _signatures(doc, table, issued_on)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table_row(grid: Any, index: int, line: Line) -> None:
    row = grid.rows[index]
    _cant_split(row)
    bold = line.kind != "item"
    _write(row.cells[0], line.number, bold=bold, align="center")
    _write(row.cells[1], line.label, bold=bold, align="left")
    for c, value in enumerate(line.values, start=2):
        _write(row.cells[c], number_text(value), bold=bold, align="right")


# -- PDF and dispatch -----------------------------------------------------------------------------


def render_pdf(table: Bieu06, *, issued_on: dt.date | None = None) -> bytes:
    """The DOCX converted by LibreOffice (same layout as the Word file), signed with the
    reporting unit's key when it has one (motcua/documents/signing.py)."""
    return sign_for(
        table.unit.code,
        docx_to_pdf(render_docx(table, issued_on=issued_on)),
        reason=table.title,
        location=place_name(table.unit),
    )


def render(table: Bieu06, fmt: str, *, issued_on: dt.date | None = None) -> bytes:
    """The table in `fmt` (xlsx, docx or pdf)."""
    renderers = {"xlsx": render_xlsx, "docx": render_docx, "pdf": render_pdf}
    if fmt not in renderers:
        raise ValueError(f"format {fmt!r}: use one of {', '.join(FORMATS)}")
    return renderers[fmt](table, issued_on=issued_on)


def filename(table: Bieu06, fmt: str) -> str:
    """'bieu06_DT_20230615-20230914.xlsx'."""
    p = table.period
    return f"bieu06_{table.unit.code}_{p.first:%Y%m%d}-{p.last:%Y%m%d}.{fmt}"
