"""User text in spreadsheets stays text, never a formula (docs/security.md, CSV/formula injection).

A walk-in named `=HYPERLINK("http://x","y")` must not become a live formula when an officer
opens the register in Excel or LibreOffice. Every exporter writes its cells through these
helpers:

- XLSX (openpyxl): `xlsx_cell(cell, value)` and `xlsx_append(ws, row)` store every string as a
  string (`data_type = "s"`; openpyxl would otherwise store a string starting with `=` as a
  formula) and mark formula-like text with the quote prefix, so editing the cell in a
  spreadsheet keeps it text too. Numbers, dates and None are written as they are.
- CSV: `csv_cell(value)` / `csv_row(row)` put an apostrophe before text that starts with `=`,
  `+`, `-`, `@`, a tab or a carriage return (the OWASP advice), so a spreadsheet shows it as
  text; numbers are left alone (a negative number stays a number).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# What a spreadsheet may read as the start of a formula (or of a DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    """Whether `value` is text a spreadsheet could take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """`value` made safe for a CSV cell: formula-like text gets a leading apostrophe."""
    if is_formula_like(value):
        return "'" + value
    return value


def csv_row(row: Iterable[Any]) -> list[Any]:
    """Every cell of `row` through `csv_cell` (for `csv.writer(...).writerow`)."""
    return [csv_cell(value) for value in row]


def xlsx_cell(cell: Any, value: Any) -> Any:
    """Write `value` into the openpyxl `cell`, a string always as a string, never a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell


def xlsx_append(ws: Any, row: Iterable[Any]) -> None:
    """`ws.append(row)`, with every string of the new row stored as text (see `xlsx_cell`)."""
    values = list(row)
    ws.append(values)
    for cell, value in zip(ws[ws.max_row], values, strict=False):
        if isinstance(value, str):
            xlsx_cell(cell, value)
