"""Files of a dossier: the upload service with its checks, and the scoped download.

A file is accepted only if its bytes are one of the known document types (PDF, PNG, JPEG,
DOCX, XLSX, plain text) and nothing in it can run: executables, scripts, macro-enabled
Office files and markup carrying scripts are refused with a Vietnamese message, and nothing
is written — neither the row nor the bytes. Files live in private storage and are served
only through views that fetch the dossier through the user's scope.
"""

from __future__ import annotations

import hashlib
import unicodedata
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
from motcua.dossiers.signatures import SIGNATURE_HEADER, file_signature, sign_result
from motcua.lib import filecheck
from motcua.people.policy import Action, can

FILE_EVENT = "dossier.file_attached"
ACCEPTED = filecheck.ACCEPTED
BLOCKED_EXTENSIONS = filecheck.EXECUTABLE_SUFFIXES
# States in which nothing more can be attached to the dossier.
CLOSED_STATES = frozenset({State.REFUSED_AT_INTAKE, State.REFUSED, State.WITHDRAWN, State.STOPPED})
# States in which the dossier's own applicant may attach components (portal submission).
APPLICANT_ATTACH_STATES = frozenset({State.DRAFT, State.AWAITING_COMPLETION})


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
    """The content type read from the whole content, which must agree with the name's
    extension (motcua/lib/filecheck.py); UploadRefused for anything else."""
    try:
        return filecheck.check_file(data, name)
    except filecheck.FileRefused as refused:
        raise UploadRefused(refused.message) from None


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
    if kind == FileKind.RESULT and content_type == "application/pdf":
        data = sign_result(dossier, data)  # signed with the issuing unit's key
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
        filename=filecheck.download_name(item.original_name, item.content_type),
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if item.content_type == "application/pdf":  # the signature verified on download
        check = file_signature(item)
        response[SIGNATURE_HEADER] = check.state if check is not None else ""
    return response
