"""Rendering primitives with no domain knowledge: DOCX from a template, PDF, XLSX, QR codes.

Domain apps build a plain context (strings, lists, dicts and `DocxImage`s) and call
`render_docx`; `docx_to_pdf` runs LibreOffice headless in a throw-away directory with its own
profile, so that conversions never share (or lock) a user profile.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
PNG = "image/png"
CONTENT_TYPES = {"docx": DOCX, "xlsx": XLSX, "pdf": PDF, "png": PNG}

# A conversion that takes longer than this is stuck (a first start with a new profile
# takes a few seconds on a small machine).
SOFFICE_TIMEOUT = 120


class DocumentError(Exception):
    """A document cannot be produced; the message says why, in words for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LibreOfficeMissing(DocumentError):
    """No LibreOffice executable: PDF output is unavailable on this machine."""


class ConversionFailed(DocumentError):
    """LibreOffice ran but produced no PDF (crash, time-out, unreadable input)."""


@dataclass(frozen=True)
class DocxImage:
    """A PNG to place inline in a DOCX template, `width_mm` wide (height keeps the ratio)."""

    data: bytes
    width_mm: float


def _with_images(value: Any, template: DocxTemplate) -> Any:
    """The context with every `DocxImage` replaced by a docxtpl `InlineImage` of `template`."""
    if isinstance(value, DocxImage):
        return InlineImage(template, io.BytesIO(value.data), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {key: _with_images(item, template) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_with_images(item, template) for item in value]
    return value


def render_docx(template_path: str | Path, context: dict[str, Any]) -> bytes:
    """Fill a docxtpl (Jinja) DOCX template with `context` and return the DOCX bytes."""
    path = Path(template_path)
    if not path.is_file():
        raise DocumentError(f"không tìm thấy mẫu văn bản {path}")
    template = DocxTemplate(str(path))
    # autoescape: applicant-typed text containing "<" or "&" must not break the XML.
    template.render(_with_images(context, template), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def soffice_path() -> str | None:
    """The LibreOffice executable: setting MOTCUA_SOFFICE, else `soffice` on PATH."""
    configured = getattr(settings, "MOTCUA_SOFFICE", "") or ""
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx_bytes: bytes, *, timeout: int = SOFFICE_TIMEOUT) -> bytes:
    """Convert a DOCX to PDF with LibreOffice headless (own temporary profile, time limit)."""
    exe = soffice_path()
    if exe is None:
        raise LibreOfficeMissing(
            "không tìm thấy LibreOffice (soffice) để xuất PDF: cài gói "
            "libreoffice-writer-nogui hoặc đặt MOTCUA_SOFFICE — LibreOffice is required for PDF"
        )
    with tempfile.TemporaryDirectory(prefix="motcua-soffice-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(docx_bytes)
        profile = (work / "profile").as_uri()
        command = [
            exe,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                timeout=timeout,
                check=False,
                cwd=work,
                env={**os.environ, "HOME": tmp},
            )
        except subprocess.TimeoutExpired as exc:
            raise ConversionFailed(
                f"LibreOffice không chuyển xong sang PDF trong {timeout} giây"
            ) from exc
        except OSError as exc:
            raise LibreOfficeMissing(f"không chạy được LibreOffice ({exe}): {exc}") from exc
        result = work / "out" / "document.pdf"
        if done.returncode != 0 or not result.is_file():
            detail = (done.stderr or done.stdout or b"").decode("utf-8", "replace").strip()
            raise ConversionFailed(
                f"LibreOffice không tạo được PDF (mã thoát {done.returncode}): {detail[:500]}"
            )
        return result.read_bytes()


def qr_png(text: str, *, scale: int = 4, border: int = 2) -> bytes:
    """A QR code (ISO/IEC 18004, error correction M, UTF-8) of `text` as PNG bytes."""
    if not text:
        raise DocumentError("nội dung mã QR trống")
    code = segno.make_qr(text, error="m", encoding="utf-8", boost_error=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=border)
    return out.getvalue()


def render_xlsx(
    *,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    heading: Sequence[str] = (),
    sheet: str = "Sheet1",
) -> bytes:
    """A one-sheet workbook: optional heading lines, a bold header row, then the rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from motcua.lib.safecells import xlsx_append

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet[:31]
    book.properties.title = title
    for line in heading:
        xlsx_append(ws, [line])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    xlsx_append(ws, header)
    head_row = ws.max_row
    for cell in ws[head_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:  # user text (names, addresses) stays text, never a formula
        xlsx_append(ws, row)
    for index, name in enumerate(header, start=1):
        letter = ws.cell(row=head_row, column=index).column_letter
        longest = max([len(str(name))] + [len(str(r[index - 1] or "")) for r in rows])
        ws.column_dimensions[letter].width = min(max(longest + 2, 6), 60)
    ws.freeze_panes = ws.cell(row=head_row + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
