"""Files of a dossier: the upload service with its checks, and the scoped download.

A file is accepted only if its bytes are one of the known document types (PDF, PNG, JPEG,
DOCX, XLSX, plain text) and nothing in it can run: executables, scripts, macro-enabled
Office files and markup carrying scripts are refused with a Vietnamese message, and nothing
is written — neither the row nor the bytes. Files live in private storage and are served
only through views that fetch the dossier through the user's scope.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone

from motcua.dossiers.choices import FileKind, State
from motcua.dossiers.models import Dossier, DossierEvent, DossierFile
from motcua.dossiers.selectors import units_of
from motcua.dossiers.services import ActionForbidden, DossierError, TransitionNotAllowed
from motcua.people.policy import Action, can

FILE_EVENT = "dossier.file_attached"
ACCEPTED = "PDF, PNG, JPEG, DOCX, XLSX hoặc văn bản thuần (TXT)"
BLOCKED_EXTENSIONS = frozenset(
    {
        ".exe",
        ".bat",
        ".cmd",
        ".com",
        ".js",
        ".jse",
        ".mjs",
        ".sh",
        ".ps1",
        ".vbs",
        ".wsf",
        ".hta",
        ".scr",
        ".msi",
        ".dll",
        ".jar",
        ".apk",
    }
)
# States in which nothing more can be attached to the dossier.
CLOSED_STATES = frozenset({State.REFUSED_AT_INTAKE, State.REFUSED, State.WITHDRAWN, State.STOPPED})
# States in which the dossier's own applicant may attach components (portal submission).
APPLICANT_ATTACH_STATES = frozenset({State.DRAFT, State.AWAITING_COMPLETION})
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
_MARKUP = re.compile(rb"<\s*(!doctype\s+html|html|svg|body|head)\b", re.IGNORECASE)
_SCRIPT = re.compile(
    rb"<\s*script\b|javascript\s*:|\bon[a-z]+\s*=|<\s*(iframe|object|embed)\b", re.IGNORECASE
)


class UploadRefused(DossierError):
    """A file that cannot be attached (too large, unknown type, executable) — HTTP 400."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="upload")


def max_upload_bytes() -> int:
    """The size limit from `settings.MOTCUA_MAX_UPLOAD_MB`."""
    return int(settings.MOTCUA_MAX_UPLOAD_MB) * 1024 * 1024


def clean_name(name: str) -> str:
    """The base name only, NFC, no control characters, at most 255 characters."""
    base = PurePath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable()).strip()
    return (base or "tep")[-255:]


def sniff_content_type(data: bytes, name: str) -> str:
    """The content type read from the bytes; UploadRefused for executable or unknown content."""
    suffixes = {s.lower() for s in PurePath(name).suffixes}
    blocked = suffixes & BLOCKED_EXTENSIONS
    if blocked:
        raise UploadRefused(
            f"không nhận tệp có đuôi {', '.join(sorted(blocked))}: tệp có thể chạy được"
        )
    for magic, what in _EXECUTABLE_MAGIC:
        if data.startswith(magic):
            raise UploadRefused(f"không nhận {what}: tệp có thể chạy được")
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    if b"\x00" not in data:
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        else:
            head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
            if head.startswith(b"#!"):
                raise UploadRefused("không nhận tập lệnh (script): tệp có thể chạy được")
            if _MARKUP.search(data) and _SCRIPT.search(data):
                raise UploadRefused("không nhận tệp HTML/SVG có mã lệnh (script)")
            return "text/plain"
    raise UploadRefused(f"định dạng tệp không được hỗ trợ; chỉ nhận {ACCEPTED}")


def _office_type(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        raise UploadRefused("tệp nén bị hỏng hoặc không đọc được") from None
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise UploadRefused("không nhận tệp Office có macro: tệp có thể chạy được")
    if "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "xl/workbook.xml" in names:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    raise UploadRefused(f"tệp nén không phải DOCX hay XLSX; chỉ nhận {ACCEPTED}")


def _read_limited(upload: Any, limit: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_large(limit)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    if not data:
        raise UploadRefused("tệp rỗng")
    return bytes(data)


def _too_large(limit: int) -> UploadRefused:
    return UploadRefused(f"tệp lớn hơn giới hạn {limit // (1024 * 1024)} MB")


def _own_component(dossier: Dossier, actor: Any, kind: str) -> bool:
    """The online applicant adding components to their own dossier before the desk has it."""
    return (
        kind == FileKind.COMPONENT
        and dossier.state in APPLICANT_ATTACH_STATES
        and dossier.applicant_user_id is not None
        and getattr(actor, "is_authenticated", False)
        and actor.pk == dossier.applicant_user_id
    )


def attach_file(
    *,
    dossier: Dossier,
    actor: Any,
    upload: Any,
    kind: str,
    component_name: str = "",
    digitized: bool = True,
    reused: bool = False,
    reuse_source: str = "",
) -> DossierFile:
    """Store a checked file on the dossier (sha256, size, sniffed type) with a timeline event."""
    if kind not in FileKind.values:
        raise DossierError(f"loại tệp “{kind}” không hợp lệ", field="kind")
    working = (Action.RECEIVE, Action.PROCESS, Action.APPROVE)
    if (
        actor is not None
        and not _own_component(dossier, actor, kind)
        and not any(can(actor, a, u) for a in working for u in units_of(dossier))
    ):
        raise ActionForbidden("bạn không có quyền đính kèm tệp vào hồ sơ này")
    if dossier.state in CLOSED_STATES:
        raise TransitionNotAllowed(
            f"không thể đính kèm tệp khi hồ sơ ở trạng thái “{State(dossier.state).label}”"
        )
    name = clean_name(getattr(upload, "name", "") or "")
    data = _read_limited(upload, max_upload_bytes())
    content_type = sniff_content_type(data, name)
    digest = hashlib.sha256(data).hexdigest()
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    record = DossierFile(
        dossier=dossier,
        kind=kind,
        component_name=unicodedata.normalize("NFC", component_name or "").strip()[:255],
        original_name=name,
        content_type=content_type,
        size=len(data),
        sha256=digest,
        digitized=digitized,
        reused=reused,
        reuse_source=unicodedata.normalize("NFC", reuse_source or "").strip()[:255],
        uploaded_at=now,
        uploaded_by=user,
    )
    stored = ""
    try:
        with transaction.atomic():
            record.file.save(name, ContentFile(data), save=False)
            stored = record.file.name
            record.save()
            DossierEvent.objects.create(
                dossier=dossier,
                kind=FILE_EVENT,
                at=now,
                actor=user,
                actor_name=user.get_username() if user else str(actor or "system"),
                unit=dossier.current_unit,
                from_state=dossier.state,
                to_state=dossier.state,
                note=name,
                data={
                    "file": record.pk,
                    "kind": kind,
                    "sha256": digest,
                    "size": len(data),
                    "content_type": content_type,
                    "digitized": digitized,
                    "reused": reused,
                },
            )
    except Exception:
        if stored:
            record.file.storage.delete(stored)
        raise
    return record


def file_response(item: DossierFile) -> FileResponse:
    """The stored bytes as a download (never rendered inline by the browser)."""
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
