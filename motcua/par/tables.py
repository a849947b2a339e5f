"""Reading an import table from CSV or XLSX with the same columns and line numbers.

`read_rows(path, required=, optional=)` yields (line number, row) like `motcua.lib.csvin.read_csv`;
a file named `*.xlsx` is read from its first sheet (line N = spreadsheet row N, the header on
row 1), anything else as UTF-8 CSV. Numbers typed in cells come back as the text a person sees
(10.5, 2, not 2.0); problems are `ImportProblem` with `line N: reason`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from motcua.lib.csvin import ImportProblem, check_header, read_csv


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = format(Decimal(repr(value)).normalize(), "f")
        return text
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value)


def read_xlsx(
    path: str | Path, *, required: list[str], optional: list[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) from the first sheet of an XLSX file after checking its header."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(Path(path), read_only=True, data_only=True)
    except OSError as exc:
        raise ImportProblem([(0, f"cannot read {path}: {exc.strerror}")]) from None
    except Exception:
        raise ImportProblem([(0, f"{path} is not an XLSX workbook")]) from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        try:
            header = [_text(h).strip() for h in next(rows)]
        except StopIteration:
            raise ImportProblem([(1, "the sheet is empty: expected a header row")]) from None
        while header and not header[-1]:
            header.pop()
        check_header(header, required, optional)
        errors: list[tuple[int, str]] = []
        for line, values in enumerate(rows, start=2):
            cells = [_text(v) for v in values]
            if all(not c.strip() for c in cells):
                continue
            if any(c.strip() for c in cells[len(header) :]):
                errors.append((line, f"expected {len(header)} values, found more"))
                continue
            cells = (cells + [""] * len(header))[: len(header)]
            yield line, dict(zip(header, cells, strict=True))
        if errors:
            raise ImportProblem(errors)
    finally:
        book.close()


def read_rows(
    path: str | Path, *, required: list[str], optional: list[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """CSV or XLSX (by the file's name) with the same columns."""
    if str(path).lower().endswith(".xlsx"):
        return read_xlsx(path, required=required, optional=optional)
    return read_csv(path, required=required, optional=optional)
