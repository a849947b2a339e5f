"""Online submission by applicants: what may be submitted where, and the one write that does it.

Reads are scoped to the signed-in applicant (`Dossier.applicant_user`): another person's
dossier answers 404 exactly like a missing one. The write `save_online_dossier` checks every
upload before anything is stored, then creates or updates the draft, attaches the files and,
when asked, submits it — all in one transaction, through the dossier services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from motcua.dossiers.choices import Channel, FileKind, State, SubmittedBy
from motcua.dossiers.files import (
    UploadRefused,
    attach_file,
    clean_name,
    max_upload_bytes,
    sniff_content_type,
)
from motcua.dossiers.models import Dossier, DossierEvent, DossierFile, Payment
from motcua.dossiers.services import (
    PAYABLE_STATES,
    ActionForbidden,
    DossierError,
    TransitionNotAllowed,
    create_draft,
    record_payment,
    submit_dossier,
    update_draft,
)
from motcua.portal.payments import PaymentResult
from motcua.procedures.choices import OnlineLevel
from motcua.procedures.models import Procedure
from motcua.procedures.services import current_version
from motcua.units.choices import UnitKind
from motcua.units.models import Unit

# The portal takes the usual document formats only (the desk also takes plain text).
PORTAL_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
}
ACCEPT_ATTRIBUTE = ",".join([".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", *PORTAL_TYPES])
ONLINE_LEVELS = frozenset({OnlineLevel.PARTIAL, OnlineLevel.FULL})
# States in which the applicant still works on the dossier in the portal.
EDITABLE_STATES = frozenset({State.DRAFT, State.AWAITING_COMPLETION})
APPLICANT_FIELDS = ("name", "id_number", "phone", "email", "address", "owner_name")
FILE_REMOVED_EVENT = "dossier.file_removed"


def accepts_online(procedure: Procedure) -> bool:
    """Whether the procedure may be submitted through the portal (partial or full online)."""
    return procedure.published and procedure.online_level in ONLINE_LEVELS


def published_procedure(code: str) -> Procedure:
    """The published procedure `code`, or Http404."""
    procedure = Procedure.objects.published().filter(code=code).first()
    if procedure is None:
        raise Http404(gettext("không tìm thấy thủ tục"))
    return procedure


# A one-stop desk: flagged as running one, or a service centre / one-stop unit by kind.
_DESK = Q(has_one_stop=True) | Q(kind__in=[UnitKind.SERVICE_CENTRE, UnitKind.ONE_STOP])


def _one_stop_children(units: list[Unit], day: dt.date) -> list[Unit]:
    return list(Unit.objects.valid_on(day).filter(_DESK, parent__in=units).order_by("name", "code"))


def _province_centres(unit: Unit, day: dt.date) -> list[Unit]:
    """One-stop units valid on `day` that serve the whole province of `unit`."""
    top = unit
    seen = {top.pk}
    while top.parent_id is not None and top.parent_id not in seen:
        seen.add(top.parent_id)
        top = top.parent  # type: ignore[assignment]
    # The provincial centre sits below the province or below one of its departments/office.
    bodies = list(
        Unit.objects.valid_on(day).filter(parent=top, level__in=["department", "province"])
    )
    return list(
        Unit.objects.valid_on(day)
        .filter(_DESK, parent__in=[top, *bodies], level="subunit")
        .order_by("name", "code")
    )


def receiving_units(procedure: Procedure, day: dt.date | None = None) -> list[Unit]:
    """Where an online dossier of `procedure` can be received on `day` (default today).

    Each competent unit in force that day is served by its own one-stop centres (sub-units
    with a one-stop desk); a provincial body without one by the province's centre; a unit
    with neither receives its dossiers itself.
    """
    day = day or timezone.localdate()
    result: list[Unit] = []
    for unit in procedure.competent_units.valid_on(day).order_by("name", "code"):
        desks = _one_stop_children([unit], day)
        if not desks and unit.level in {"department", "province"}:
            desks = _province_centres(unit, day)
        if not desks:
            desks = [unit]
        result += [d for d in desks if d not in result]
    return result


@dataclass
class ComponentSlot:
    """One component of the procedure's dossier, as an upload field of the portal form."""

    index: int
    name: str
    required: bool
    originals: int = 0
    certified_copies: int = 0
    copies: int = 0
    files: list[DossierFile] = field(default_factory=list)

    @property
    def field_name(self) -> str:
        """The name of the file input."""
        return f"tp-{self.index}"


def component_slots(
    data: dict[str, Any], files: list[DossierFile] | None = None
) -> list[ComponentSlot]:
    """The components of a frozen procedure version, with the files already attached."""
    slots = [
        ComponentSlot(
            index=i,
            name=str(c.get("name") or ""),
            required=bool(c.get("required", True)),
            originals=int(c.get("originals") or 0),
            certified_copies=int(c.get("certified_copies") or 0),
            copies=int(c.get("copies") or 0),
        )
        for i, c in enumerate(data.get("components") or [], start=1)
    ]
    by_name = {s.name: s for s in slots}
    for item in files or []:
        slot = by_name.get(item.component_name)
        if slot is not None and item.kind == FileKind.COMPONENT:
            slot.files.append(item)
    return slots


def check_upload(upload: Any) -> str:
    """The content type of an acceptable upload; UploadRefused (Vietnamese) otherwise.

    The same checks as `attach_file`, run before anything is written so that one bad file
    among several leaves no draft, no row and no stored bytes behind.
    """
    limit = max_upload_bytes()
    size = getattr(upload, "size", None)
    too_large = gettext("tệp lớn hơn giới hạn %(mb)s MB") % {"mb": limit // (1024 * 1024)}
    if size is not None and size > limit:
        raise UploadRefused(too_large)
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise UploadRefused(too_large)
    if not data:
        raise UploadRefused(gettext("tệp rỗng"))
    content_type = sniff_content_type(bytes(data), clean_name(getattr(upload, "name", "")))
    if content_type not in PORTAL_TYPES:
        raise UploadRefused(
            gettext("định dạng tệp không được hỗ trợ; chỉ nhận %(types)s")
            % {"types": ", ".join(PORTAL_TYPES.values())}
        )
    return content_type


# -- reads, scoped to the applicant -------------------------------------------------------------


def list_applicant_dossiers(user: Any) -> QuerySet[Dossier]:
    """The dossiers the signed-in applicant filed through the portal — hồ sơ của tôi."""
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    return (
        Dossier.objects.filter(applicant_user_id=user.pk)
        .select_related("procedure", "receiving_unit")
        .order_by("-created_at", "-id")
    )


def get_applicant_dossier(user: Any, *, pk: int | None = None, code: str | None = None) -> Dossier:
    """One of the applicant's own dossiers by id or code; Http404 for anybody else's."""
    rows = list_applicant_dossiers(user).select_related("procedure_version")
    if pk is not None:
        rows = rows.filter(pk=pk)
    elif code:
        rows = rows.filter(code=code)
    else:
        rows = rows.none()
    dossier = rows.prefetch_related("files").first()
    if dossier is None:
        raise Http404(gettext("không tìm thấy hồ sơ"))
    return dossier


def completion_request(dossier: Dossier) -> dict[str, Any] | None:
    """The desk's latest request to complete the dossier (items and reason), if waiting."""
    if dossier.state != State.AWAITING_COMPLETION:
        return None
    event = dossier.events.filter(kind="dossier.completion_requested").order_by("-at").first()
    if event is None:
        return None
    return {"items": list(event.data.get("items") or []), "reason": event.note, "at": event.at}


# -- the write ---------------------------------------------------------------------------------


def save_online_dossier(
    *,
    actor: Any,
    procedure: Procedure,
    receiving_unit: Unit | None,
    applicant: dict[str, str],
    uploads: dict[str, Any],
    submit: bool,
    dossier: Dossier | None = None,
) -> Dossier:
    """Save the applicant's draft with its new files, and submit it when `submit` is true.

    `uploads` maps slot field names (`tp-<n>`) to uploaded files. On submission every
    required component must have a file. Raises DossierError (with `field`) and changes
    nothing when anything is wrong.
    """
    if not accepts_online(procedure):
        raise DossierError(gettext("thủ tục này không nhận hồ sơ trực tuyến"), field="procedure")
    if dossier is not None and dossier.state not in EDITABLE_STATES:
        raise TransitionNotAllowed(
            gettext("hồ sơ ở trạng thái “%(state)s” không còn sửa được")
            % {"state": State(dossier.state).label}
        )
    if receiving_unit is not None and receiving_unit not in receiving_units(procedure):
        raise DossierError(gettext("nơi tiếp nhận không hợp lệ"), field="receiving_unit")
    from motcua.portal.offer import offer_of

    offer = offer_of(procedure)
    if not offer.receivable:  # expired, not yet in force, or no desk receives it
        raise DossierError(offer.reason, field="procedure")
    version_data = (
        dossier.procedure_version.data if dossier is not None else current_version(procedure).data
    )
    slots = component_slots(version_data, list(dossier.files.all()) if dossier else [])
    by_field = {s.field_name: s for s in slots}
    unknown = sorted(set(uploads) - set(by_field))
    if unknown:
        raise DossierError(gettext("thành phần hồ sơ không có trong thủ tục"), field="components")
    for name, upload in uploads.items():
        try:
            check_upload(upload)
        except UploadRefused as exc:
            raise DossierError(exc.message, field=name) from None
    if submit:
        for slot in slots:
            if slot.required and not slot.files and slot.field_name not in uploads:
                raise DossierError(
                    gettext("cần tải lên thành phần bắt buộc: %(name)s") % {"name": slot.name},
                    field=slot.field_name,
                )
    stored: list[DossierFile] = []
    try:
        with transaction.atomic():
            dossier = _save(
                dossier,
                actor=actor,
                procedure=procedure,
                receiving_unit=receiving_unit,
                applicant=applicant,
                uploads={n: (u, by_field[n].name) for n, u in uploads.items()},
                submit=submit,
                stored=stored,
            )
    except Exception:
        # The rows were rolled back; the bytes written meanwhile go too.
        for item in stored:
            item.file.storage.delete(item.file.name)
        raise
    return dossier


def _save(
    dossier: Dossier | None,
    *,
    actor: Any,
    procedure: Procedure,
    receiving_unit: Unit | None,
    applicant: dict[str, str],
    uploads: dict[str, tuple[Any, str]],
    submit: bool,
    stored: list[DossierFile],
) -> Dossier:
    """Create or update the draft, attach the files, submit: inside the caller's transaction."""
    if dossier is None:
        if receiving_unit is None:
            raise DossierError(gettext("cần chọn nơi tiếp nhận"), field="receiving_unit")
        dossier = create_draft(
            procedure=procedure,
            receiving_unit=receiving_unit,
            applicant=applicant,
            channel=Channel.ONLINE,
            submitted_by=SubmittedBy.APPLICANT,
            actor=actor,
            applicant_user=actor,
        )
    elif dossier.state == State.DRAFT:
        dossier = update_draft(
            dossier=dossier, actor=actor, applicant=applicant, receiving_unit=receiving_unit
        )
    for upload, component in uploads.values():
        item = attach_file(
            dossier=dossier,
            actor=actor,
            upload=upload,
            kind=FileKind.COMPONENT,
            component_name=component,
            digitized=True,
        )
        stored.append(item)
    if submit:
        dossier = submit_dossier(
            dossier=dossier,
            channel=Channel.ONLINE,
            submitted_by=SubmittedBy.APPLICANT,
            actor=actor,
            applicant_user=actor,
        )
    return dossier


def removable_files(dossier: Dossier, actor: Any) -> set[int]:
    """Ids of the files `actor` may remove from the dossier now (see `remove_draft_file`)."""
    if dossier.state not in EDITABLE_STATES or dossier.applicant_user_id is None:
        return set()
    if getattr(actor, "pk", None) != dossier.applicant_user_id:
        return set()
    return {
        f.pk
        for f in dossier.files.all()
        if f.kind == FileKind.COMPONENT and f.uploaded_by_id == actor.pk
    }


def remove_draft_file(*, dossier: Dossier, file_id: int, actor: Any) -> DossierFile:
    """Remove a component file the applicant uploaded to their own open dossier — xoá tệp.

    Only while the dossier is a draft or waiting for the applicant to complete it; only the
    applicant's own component uploads (not what the desk attached). The row goes with a
    timeline event that records no file name (names often carry personal data); the stored
    bytes are deleted once the transaction has committed. Http404 for a file not in the
    dossier; TransitionNotAllowed / ActionForbidden (Vietnamese) otherwise.
    """
    with transaction.atomic():
        locked = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
        if locked.applicant_user_id is None or getattr(actor, "pk", None) != (
            locked.applicant_user_id
        ):
            raise Http404(gettext("không tìm thấy hồ sơ"))
        item = locked.files.filter(pk=file_id).first()
        if item is None:
            raise Http404(gettext("không tìm thấy tệp"))
        if locked.state not in EDITABLE_STATES:
            raise TransitionNotAllowed(
                gettext("Hồ sơ đã nộp (trạng thái “%(state)s”): không xoá được tệp đã tải lên nữa.")
                % {"state": State(locked.state).label}
            )
        if item.kind != FileKind.COMPONENT or item.uploaded_by_id != actor.pk:
            raise ActionForbidden(
                gettext("Chỉ xoá được tệp thành phần hồ sơ do chính bạn tải lên.")
            )
        name = item.file.name
        storage = item.file.storage
        DossierEvent.objects.create(
            dossier=locked,
            kind=FILE_REMOVED_EVENT,
            at=timezone.now(),
            actor=actor,
            actor_name=actor.get_username(),
            unit=locked.current_unit,
            from_state=locked.state,
            to_state=locked.state,
            data={
                "file": item.pk,
                "kind": item.kind,
                "component": item.component_name,
                "sha256": item.sha256,
                "size": item.size,
            },
        )
        item.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))
    return item


# -- fees ------------------------------------------------------------------------------------


def money(amount: int) -> str:
    """'1.500.000 đồng' (Vietnamese thousands separator)."""
    return f"{amount:,} đồng".replace(",", ".")


def fee_of(dossier: Dossier) -> int:
    """The fee computed at receipt (motcua.dossiers.fees); before receipt, the one promised
    when the dossier was created (frozen with the procedure version). 0 when not known."""
    if dossier.fee_detail:
        return int(dossier.fee_amount or 0)
    data = dossier.procedure_version.data or {}
    return int(data["fee"]) if "fee" in data else int(dossier.procedure.fee)


def paid_total(dossier: Dossier) -> int:
    """Đồng paid so far for the dossier."""
    return int(dossier.payments.aggregate(total=Sum("amount"))["total"] or 0)


def payment_refusal(dossier: Dossier) -> str:
    """Why the applicant cannot pay online now ('' when they can)."""
    fee = fee_of(dossier)
    if dossier.fee_detail and dossier.fee_amount is None:  # unknown, foreign, not decided
        return gettext(
            "Số tiền phí, lệ phí của hồ sơ chưa xác định được (%(text)s): hãy hỏi Bộ phận Một cửa."
        ) % {"text": dossier.fee_detail.get("text") or ""}
    if fee <= 0:
        return gettext("Thủ tục này không thu phí, lệ phí.")
    if dossier.state not in PAYABLE_STATES:
        if dossier.state == State.DRAFT:
            return gettext("Hãy nộp hồ sơ trước khi thanh toán phí, lệ phí.")
        return gettext("Hồ sơ ở trạng thái “%(state)s”: không thanh toán trực tuyến được.") % {
            "state": State(dossier.state).label
        }
    paid = paid_total(dossier)
    if paid >= fee:
        return gettext("Hồ sơ đã được thanh toán đủ %(amount)s.") % {"amount": money(paid)}
    return ""


def pay_once(*, dossier: Dossier, result: PaymentResult, actor: Any) -> Payment:
    """Record a confirmed online payment, unless the same amount was already paid for it."""
    with transaction.atomic():
        # The row lock makes two confirmations of the same dossier wait for each other.
        locked = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
        earlier = locked.payments.filter(amount=result.amount).first()
        if earlier is not None:
            raise DossierError(
                gettext(
                    "Hồ sơ đã có khoản thanh toán %(amount)s (mã giao dịch %(ref)s); "
                    "không thanh toán lần nữa."
                )
                % {"amount": money(earlier.amount), "ref": earlier.reference},
                field="amount",
            )
        payment: Payment = record_payment(
            dossier=locked,
            method=result.method,
            reference=result.reference,
            amount=result.amount,
            paid_at=result.paid_at,
            actor=actor,
        )
        return payment
