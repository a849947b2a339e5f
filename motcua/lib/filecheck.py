"""What an uploaded file really is, and whether it may be kept (docs/security.md).

A file is accepted only when its name ends in an allowed extension AND its bytes, read as a
whole (not the first bytes only, not the browser's `Content-Type`), are that same type:

- PDF: no JavaScript (`/JS`, `/JavaScript`), no launch action (`/Launch`), no HTML or XFA
  script — names written with `#xx` escapes and objects inside compressed streams included;
- DOCX/XLSX (ZIP): no macros (`vbaProject.bin`, macro-enabled content types), no OLE objects
  or ActiveX controls, no executable or script member (by name or by its first bytes);
- PNG/JPEG: the image signature and no HTML inside (no image/HTML polyglot);
- plain text (.txt): UTF-8, no NUL, no `#!` script, no HTML carrying scripts.

Everything else (`.html`, `.svg`, `.vbe`, `.reg`, `.url`, `.exe`, ...) is refused. `FileRefused`
carries a Vietnamese message; the caller turns it into its own error. Pure functions, no
models: the dossier upload service and the portal use the same checks.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import PurePath

from django.utils.translation import gettext

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "text/plain"

# The allowlist: extension → the only type its bytes may be.
ALLOWED_EXTENSIONS = {
    ".pdf": PDF,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".txt": TEXT,
}
# The extension a stored file is downloaded under, from its sniffed type.
EXTENSION_OF = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", DOCX: ".docx", XLSX: ".xlsx", TEXT: ".txt"}
ACCEPTED = "PDF, PNG, JPEG, DOCX, XLSX hoặc văn bản thuần (TXT)"

# Suffixes that can run or open something when clicked, anywhere in the name or inside an
# archive (a double extension "to-khai.pdf.exe" included).
EXECUTABLE_SUFFIXES = frozenset(
    [
        ".exe",
        ".bat",
        ".cmd",
        ".com",
        ".cpl",
        ".js",
        ".jse",
        ".mjs",
        ".sh",
        ".ps1",
        ".psm1",
        ".vb",
        ".vbs",
        ".vbe",
        ".wsf",
        ".wsh",
        ".hta",
        ".scr",
        ".msi",
        ".msp",
        ".dll",
        ".jar",
        ".apk",
        ".lnk",
        ".url",
        ".reg",
        ".inf",
        ".pif",
        ".scf",
        ".chm",
        ".html",
        ".htm",
        ".xhtml",
        ".svg",
        ".iso",
        ".docm",
        ".xlsm",
        ".pptm",
        ".dotm",
        ".xltm",
    ]
)
_EXECUTABLE_MAGIC = (
    (b"\x7fELF", "tệp chạy ELF"),
    (b"MZ", "tệp chạy Windows (PE)"),
    (b"\xfe\xed\xfa\xce", "tệp chạy Mach-O"),
    (b"\xfe\xed\xfa\xcf", "tệp chạy Mach-O"),
    (b"\xce\xfa\xed\xfe", "tệp chạy Mach-O"),
    (b"\xcf\xfa\xed\xfe", "tệp chạy Mach-O"),
    (b"\xca\xfe\xba\xbe", "tệp chạy Mach-O/Java"),
    (b"#!", "tập lệnh (script)"),
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls, OLE objects, vbaProject
_MARKUP = re.compile(rb"<\s*(!doctype\s+html|html|svg|body|head)\b", re.IGNORECASE)
_SCRIPT = re.compile(
    rb"<\s*script\b|javascript\s*:|\bon[a-z]+\s*=|<\s*(iframe|object|embed)\b", re.IGNORECASE
)
# HTML inside a binary file (a polyglot a browser could be tricked into rendering).
_HTML_IN_BINARY = re.compile(rb"<\s*(script|!doctype\s+html|html|iframe)\b", re.IGNORECASE)
_PDF_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")
_PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_ACTIVE = {
    b"/JS": "JavaScript",
    b"/JavaScript": "JavaScript",
    b"/Launch": "lệnh mở chương trình",
}
_PDF_STREAM = re.compile(rb"stream\r?\n")
_INFLATE_BUDGET = 200 * 1024 * 1024  # bytes of decompressed PDF streams inspected at most
_ZIP_MAX_MEMBERS = 5000


class FileRefused(Exception):
    """The file cannot be kept; `message` says why in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def suffixes_of(name: str) -> list[str]:
    return [s.lower() for s in PurePath(name).suffixes]


def check_file(data: bytes, name: str) -> str:
    """The content type of an acceptable file named `name`; FileRefused otherwise."""
    suffixes = suffixes_of(name)
    blocked = sorted(set(suffixes) & EXECUTABLE_SUFFIXES)
    if blocked:
        raise FileRefused(
            gettext("không nhận tệp có đuôi %(ext)s: tệp có thể chạy được hoặc mở trang web")
            % {"ext": ", ".join(blocked)}
        )
    for magic, what in _EXECUTABLE_MAGIC:
        if data.startswith(magic):
            raise FileRefused(gettext("không nhận %(what)s: tệp có thể chạy được") % {"what": what})
    extension = suffixes[-1] if suffixes else ""
    expected = ALLOWED_EXTENSIONS.get(extension)
    if expected is None:
        shown = extension or gettext("(không có đuôi)")
        raise FileRefused(
            gettext("không nhận tệp có đuôi %(ext)s; chỉ nhận %(types)s")
            % {"ext": shown, "types": ACCEPTED}
        )
    actual = sniff(data)
    if actual != expected:
        raise FileRefused(
            gettext(
                "nội dung tệp không khớp với đuôi %(ext)s (nội dung là %(actual)s); "
                "hãy gửi đúng tệp gốc"
            )
            % {"ext": extension, "actual": EXTENSION_OF[actual].lstrip(".").upper()}
        )
    return actual


def sniff(data: bytes) -> str:
    """The type of `data`, read from the whole content; FileRefused for anything not allowed."""
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_no_html(data, "PNG")
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        _check_no_html(data, "JPEG")
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data, depth=0)
    if data.startswith(_OLE_MAGIC):
        raise FileRefused(
            gettext(
                "không nhận tệp Office đời cũ (.doc, .xls) có thể chứa macro; "
                "hãy lưu lại thành DOCX, XLSX hoặc PDF"
            )
        )
    if b"\x00" not in data:
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        else:
            head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
            if head.startswith(b"#!"):
                raise FileRefused(gettext("không nhận tập lệnh (script): tệp có thể chạy được"))
            if _MARKUP.search(data) and _SCRIPT.search(data):
                raise FileRefused(gettext("không nhận tệp HTML/SVG có mã lệnh (script)"))
            return TEXT
    raise FileRefused(
        gettext("định dạng tệp không được hỗ trợ; chỉ nhận %(types)s") % {"types": ACCEPTED}
    )


def download_name(original: str, content_type: str) -> str:
    """`original` with the extension of its stored type: what a browser saves it as."""
    extension = EXTENSION_OF.get(content_type, ".bin")
    stem = PurePath(original or "tep").name
    if stem.lower().endswith(extension) or (extension == ".jpg" and stem.lower().endswith(".jpeg")):
        return stem
    base = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    return f"{base or 'tep'}{extension}"


def _check_no_html(data: bytes, kind: str) -> None:
    if _HTML_IN_BINARY.search(data):
        raise FileRefused(
            gettext("tệp %(kind)s có chứa mã HTML hoặc mã lệnh; không nhận") % {"kind": kind}
        )


def _pdf_parts(data: bytes) -> list[bytes]:
    """The raw PDF and every stream that inflates (object streams hide dictionaries there)."""
    parts = [data]
    budget = _INFLATE_BUDGET
    for match in _PDF_STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            break
        chunk = data[start:end]
        try:
            inflater = zlib.decompressobj()
            inflated = inflater.decompress(chunk, budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        parts.append(inflated)
        if budget <= 0 or inflater.unconsumed_tail:
            raise FileRefused(gettext("tệp PDF quá lớn khi giải nén để kiểm tra; không nhận"))
    return parts


def _check_pdf(data: bytes) -> None:
    for part in _pdf_parts(data):
        for raw in _PDF_NAME.findall(part):
            name = _PDF_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
            what = _PDF_ACTIVE.get(name)
            if what:
                raise FileRefused(
                    gettext("không nhận tệp PDF có %(what)s (%(name)s): tệp có thể tự chạy mã")
                    % {"what": what, "name": name.decode("latin-1")}
                )
        if _HTML_IN_BINARY.search(part):
            raise FileRefused(gettext("tệp PDF có chứa mã HTML hoặc mã lệnh (script); không nhận"))


def _office_type(data: bytes, *, depth: int) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > _ZIP_MAX_MEMBERS:
                raise FileRefused(gettext("tệp nén có quá nhiều thành phần; không nhận"))
            names = {i.filename for i in infos}
            for info in infos:
                _check_office_member(archive, info, depth=depth)
            content_types = (
                archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, RuntimeError, EOFError):
        raise FileRefused(gettext("tệp nén bị hỏng hoặc không đọc được")) from None
    if not content_types:
        raise FileRefused(
            gettext("tệp nén không phải DOCX hay XLSX; chỉ nhận %(types)s") % {"types": ACCEPTED}
        )
    lowered = content_types.lower()
    if b"macroenabled" in lowered or b"vbaproject" in lowered:
        raise FileRefused(gettext("không nhận tệp Office có macro: tệp có thể chạy được"))
    if b"oleobject" in lowered or b"activex" in lowered:
        raise FileRefused(gettext("không nhận tệp Office có đối tượng nhúng OLE hoặc ActiveX"))
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    raise FileRefused(
        gettext("tệp nén không phải DOCX hay XLSX; chỉ nhận %(types)s") % {"types": ACCEPTED}
    )


def _check_office_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, depth: int) -> None:
    lowered = info.filename.lower()
    base = lowered.rsplit("/", 1)[-1]
    if base in {"vbaproject.bin", "vbadata.xml"} or (base.endswith(".bin") and "vba" in base):
        raise FileRefused(gettext("không nhận tệp Office có macro: tệp có thể chạy được"))
    if base.startswith("oleobject") or "/activex/" in lowered:
        raise FileRefused(gettext("không nhận tệp Office có đối tượng nhúng OLE hoặc ActiveX"))
    if info.is_dir():
        return
    member_suffixes = set(suffixes_of(base))
    head = archive.open(info).read(8) if info.file_size else b""
    executable = member_suffixes & EXECUTABLE_SUFFIXES or any(
        head.startswith(magic) for magic, _ in _EXECUTABLE_MAGIC
    )
    if executable:
        raise FileRefused(
            gettext("không nhận tệp Office có chứa tệp chạy được bên trong (%(name)s)")
            % {"name": base}
        )
    if head.startswith(_OLE_MAGIC):
        raise FileRefused(gettext("không nhận tệp Office có đối tượng nhúng OLE hoặc ActiveX"))
    if head.startswith(b"PK\x03\x04"):
        # An embedded workbook (a chart's data) is checked like an upload, one level deep.
        if depth >= 1 or info.file_size > 50 * 1024 * 1024:
            raise FileRefused(gettext("không nhận tệp Office lồng nhiều tầng tệp nén"))
        _office_type(archive.read(info), depth=depth + 1)
