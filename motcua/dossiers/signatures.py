"""Signed results: a result PDF is signed with the issuing unit's key when it is stored, and
every stored PDF's signature is checked when it is shown or downloaded.

The issuing unit is the competent unit (cơ quan giải quyết), else the receiving unit; its key
is the entry of its code in `settings.MOTCUA_SIGNING_KEYS` (motcua/documents/signing.py). A
unit without a key stores its results unsigned ("Chưa ký số"). A key that is configured but
cannot sign (missing file, wrong passphrase) refuses the upload: a result must never go out
unsigned by accident.
"""

from __future__ import annotations

from django.utils.translation import gettext

from motcua.documents import signing
from motcua.documents.render import PDF
from motcua.documents.signing import SignatureCheck, SigningError
from motcua.dossiers.documents import place_name
from motcua.dossiers.models import Dossier, DossierFile
from motcua.dossiers.services import DossierError
from motcua.units.models import Unit

# The response header that carries the state of a downloaded PDF's signature.
SIGNATURE_HEADER = "X-Motcua-Signature"


class SigningFailed(DossierError):
    """The issuing unit has a key but it cannot sign now: configuration to fix (HTTP 503)."""

    status = 503


def issuing_unit(dossier: Dossier) -> Unit:
    """The unit in whose name the result is issued: competent unit, else receiving unit."""
    return dossier.competent_unit or dossier.receiving_unit


def sign_result(dossier: Dossier, data: bytes) -> bytes:
    """The result PDF `data` signed with the issuing unit's key (unchanged without a key)."""
    unit = issuing_unit(dossier)
    try:
        return signing.sign_for(
            unit.code,
            data,
            reason=gettext("Kết quả giải quyết hồ sơ %(code)s") % {"code": dossier.code},
            location=place_name(unit),
        )
    except SigningError as exc:
        raise SigningFailed(
            gettext("không ký số được tệp kết quả (%(error)s); hãy báo quản trị hệ thống")
            % {"error": exc.message}
        ) from None


def file_signature(item: DossierFile) -> SignatureCheck | None:
    """The signature state of a stored PDF, None for other types (read from storage now)."""
    if item.content_type != PDF:
        return None
    try:
        # A handle of its own: the FieldFile's may be the one a response is streaming.
        with item.file.storage.open(item.file.name, "rb") as handle:
            data = handle.read()
    except OSError:
        return SignatureCheck(
            state=signing.SignatureState.INVALID,
            problem=gettext("không đọc được tệp đã lưu"),
        )
    return signing.verify_pdf_cached(data)
