"""The applicant's own dossiers and their results — hồ sơ của tôi, tải kết quả.

An account's own dossiers are (read-time rule, docs/portal.md):

- every dossier whose `applicant_user` is the account (filed through the portal), and
- every dossier received at a desk *without* an account whose `applicant_id_number` AND
  `applicant_phone` both equal the account's stored ID number and phone (the phone also in
  its +84 / 84 spellings).

The dossiers app knows nothing of the portal, so the rule lives here as a query, not as a
link written on the dossier. A result file can be downloaded once the result was returned
electronically, or while the dossier is resolved and the signed result is attached.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, Http404

from motcua.documents.render import PDF
from motcua.dossiers.choices import Delivery, FileKind, State
from motcua.dossiers.models import Dossier, DossierFile
from motcua.dossiers.signatures import SIGNATURE_HEADER, file_signature
from motcua.portal.models import ApplicantProfile


def _phone_spellings(phone: str) -> list[str]:
    """The stored 0xxxxxxxxx form and the international spellings a desk may have typed."""
    if not phone.startswith("0"):
        return [phone]
    rest = phone[1:]
    return [phone, f"+84{rest}", f"84{rest}"]


def own_dossiers_q(user: Any) -> Q:
    """The rule above as a filter on Dossier; matches nothing for anonymous users."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    rule = Q(applicant_user_id=user.pk)
    profile = ApplicantProfile.objects.filter(user_id=user.pk).only("id_number", "phone").first()
    if profile is not None and profile.id_number.strip() and profile.phone.strip():
        rule |= Q(
            applicant_user__isnull=True,
            code__isnull=False,
            applicant_id_number=profile.id_number.strip(),
            applicant_phone__in=_phone_spellings(profile.phone.strip()),
        )
    return rule


def list_own_dossiers(user: Any) -> QuerySet[Dossier]:
    """The account's own dossiers, newest first, with their result files prefetched."""
    results = DossierFile.objects.filter(kind=FileKind.RESULT).order_by("uploaded_at", "id")
    return (
        Dossier.objects.filter(own_dossiers_q(user))
        .select_related("procedure", "receiving_unit", "procedure_version")
        .prefetch_related(Prefetch("files", queryset=results, to_attr="result_files"))
        .order_by("-created_at", "-id")
    )


def result_available(dossier: Dossier) -> bool:
    """Whether the applicant may download the result of `dossier` from their account."""
    if dossier.state == State.RETURNED:
        return dossier.delivery == Delivery.ELECTRONIC
    return dossier.state == State.RESOLVED


def downloadable_results(dossier: Dossier) -> list[DossierFile]:
    """The result files the applicant may download now (prefetched by `list_own_dossiers`)."""
    if not result_available(dossier):
        return []
    files = getattr(dossier, "result_files", None)
    if files is None:
        files = list(dossier.files.filter(kind=FileKind.RESULT))
    return list(files)


def get_own_result(user: Any, code: str, file_id: int) -> tuple[Dossier, DossierFile]:
    """One downloadable result file of one of the account's own dossiers; Http404 otherwise."""
    dossier = list_own_dossiers(user).filter(code=code).first()
    if dossier is None:
        raise Http404
    item = next((f for f in downloadable_results(dossier) if f.pk == file_id), None)
    if item is None:
        raise Http404
    return dossier, item


def safe_download_name(dossier: Dossier, item: DossierFile, number: int = 1) -> str:
    """`ket-qua-<code>.<ext>`: ASCII, from the dossier code and the sniffed type only."""
    raw = dossier.code or "ho-so"
    code = "".join(ch for ch in raw if ch.isascii() and (ch.isalnum() or ch in "-_."))
    extension = mimetypes.guess_extension(item.content_type) or ".bin"
    if extension == ".jpe":
        extension = ".jpg"
    suffix = f"-{number}" if number > 1 else ""
    return f"ket-qua-{code}{suffix}{extension}"


def result_response(dossier: Dossier, item: DossierFile) -> FileResponse:
    """The stored result as an attachment with a safe name and its sniffed content type."""
    files = downloadable_results(dossier)
    number = next((i for i, f in enumerate(files, start=1) if f.pk == item.pk), 1)
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=safe_download_name(dossier, item, number),
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    if item.content_type == PDF:  # the signature verified on download (issue 16, signing)
        check = file_signature(item)
        response[SIGNATURE_HEADER] = check.state if check is not None else ""
    return response


# -- where the result is (public status page: no personal data) ---------------------------------


@dataclass
class ResultPlace:
    """Where the applicant gets the result: at the desk, in the account, or by post."""

    how: str  # desk | electronic | postal
    returned: bool
    unit_name: str
    unit_parent: str = ""
    online_too: bool = False  # resolved with a signed result file: also in the account
    consignment: str = ""
    delivered_on: str = ""


def result_place(dossier: Dossier) -> ResultPlace | None:
    """Where the result of a resolved or returned dossier is; None before that."""
    if dossier.state not in {State.RESOLVED, State.RETURNED}:
        return None
    unit = dossier.receiving_unit
    place = ResultPlace(
        how=Delivery.DESK,
        returned=dossier.state == State.RETURNED,
        unit_name=unit.name,
        unit_parent=unit.parent.name if unit.parent_id and unit.parent else "",
    )
    if dossier.state == State.RESOLVED:
        place.online_too = dossier.files.filter(kind=FileKind.RESULT).exists()
        return place
    if dossier.delivery == Delivery.ELECTRONIC:
        place.how = Delivery.ELECTRONIC
    elif dossier.delivery == Delivery.POSTAL:
        place.how = Delivery.POSTAL
        place.consignment = dossier.postal_consignment
        if dossier.postal_delivered_on:
            place.delivered_on = f"{dossier.postal_delivered_on:%d/%m/%Y}"
    return place
