"""A Decree-30 appendix as XLSX (openpyxl): the same tables as the DOCX, numbers as numbers.

Counts are integers shown with thousands grouping, percentages are fractions shown as percent
(Excel and LibreOffice print them with the reader's own separators), and every text cell goes
through `motcua.lib.safecells` so typed text never becomes a formula.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from motcua.documents.decree30 import (
    FONT,
    AdministrativeDocument,
    Appendix,
    Cell,
    Item,
    Paragraph,
    PartHeading,
    Percent,
    Point,
    Table,
)
from motcua.lib.safecells import xlsx_cell

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def build_xlsx(appendix: Appendix, document: AdministrativeDocument | None) -> bytes:
    """One sheet: label, title, caption (with a document), then each block in order."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    label = "Phụ lục"
    if document is not None and appendix in document.appendices:
        label = document.appendix_label(document.appendices.index(appendix))
    ws.title = label[:31]
    book.properties.title = f"{label} — {appendix.title}"
    book.properties.creator = document.issuing_agency if document is not None else "motcua"
    width = max([len(b.header) for b in appendix.blocks if isinstance(b, Table)] or [1])
    row = 1

    def line(text: str, *, bold: bool = False, italic: bool = False, size: int = 12) -> None:
        """One merged, centred line above the tables."""
        nonlocal row
        cell = ws.cell(row=row, column=1)
        xlsx_cell(cell, text)
        cell.font = Font(name=FONT, size=size, bold=bold, italic=italic)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        if width > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1

    line(label, bold=True, size=14)
    line(appendix.title.upper(), bold=True, size=13)
    if document is not None:
        line(document.appendix_caption(), italic=True)
    row += 1
    longest = [8] * width
    for block in appendix.blocks:
        if isinstance(block, Table):
            if block.title:
                cell = ws.cell(row=row, column=1)
                xlsx_cell(cell, block.title)
                cell.font = Font(name=FONT, size=12, bold=True)
                row += 1
            for col, name in enumerate(block.header, start=1):
                cell = ws.cell(row=row, column=col)
                xlsx_cell(cell, name)
                cell.font = Font(name=FONT, size=12, bold=True)
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                cell.border = BOX
            row += 1
            for values in block.rows:
                for col, value in enumerate(values, start=1):
                    _value(ws.cell(row=row, column=col), value)
                    longest[col - 1] = max(longest[col - 1], len(str(value or "")))
                row += 1
            row += 1
        else:
            cell = ws.cell(row=row, column=1)
            xlsx_cell(cell, _block_text(block))
            bold = isinstance(block, PartHeading) or (isinstance(block, Item) and block.title)
            cell.font = Font(name=FONT, size=12, bold=bool(bold))
            row += 1
    for col, size in enumerate(longest, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(size + 4, 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _value(cell: object, value: Cell) -> None:
    """A table cell: Percent as a fraction in % format, counts grouped, text as text."""
    from openpyxl.cell.cell import Cell as XlCell

    assert isinstance(cell, XlCell)
    cell.font = Font(name=FONT, size=12)
    cell.border = BOX
    if isinstance(value, Percent):
        cell.value = float(Decimal(str(value.value)) / 100)
        cell.number_format = "0." + "0" * value.digits + "%" if value.digits else "0%"
        cell.alignment = Alignment(horizontal="right")
    elif isinstance(value, bool) or value is None:
        cell.value = None if value is None else str(value)
    elif isinstance(value, int):
        cell.value = value
        cell.number_format = "#,##0"
    elif isinstance(value, float | Decimal):
        cell.value = float(value)
        cell.number_format = "#,##0.00"
    else:
        xlsx_cell(cell, value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _block_text(block: Paragraph | PartHeading | Item | Point) -> str:
    """A non-table block as one line of text."""
    if isinstance(block, PartHeading):
        return f"{block.number.strip().rstrip('.')}. {block.title}".upper()
    if isinstance(block, Item):
        return " ".join(x for x in (f"{block.number}.", block.title, block.text) if x)
    if isinstance(block, Point):
        return " ".join(x for x in (f"{block.label})", block.title, block.text) if x)
    return block.text
