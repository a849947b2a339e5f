"""The papers of a dossier (receipt, supplement request, intake refusal, return of a refused
dossier, apology, stop notice, control slip, result hand-over) and the dossier register, rendered
from the form set in force on the day of issue. The control slip's rows come from `handovers.py`.

Papers are produced from the template set in force on the day they are issued (dossiers.md
§1): Circular 01/2018/TT-VPCP forms before `MOTCUA_TT03_2025_FROM`, Circular 03/2025/TT-VPCP
forms from that day. Every paper carries a QR code top-left (dossiers.md §8) with the dossier
code, the procedure code, the applicant's identifier MASKED, the paper's name and the public
look-up URL. The templates are built by `forms_build.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone, translation

from motcua.documents.exporters import Exporter, ExportError, ExportFile, register
from motcua.documents.formats import date_long, date_text, instant_text, short_instant
from motcua.documents.render import (
    CONTENT_TYPES,
    DocxImage,
    docx_to_pdf,
    qr_png,
    render_docx,
    render_xlsx,
)
from motcua.dossiers.choices import Delivery, FileKind, PauseKind, State
from motcua.dossiers.fees import fee_line
from motcua.dossiers.forms_build import BLANK, FORMS, SET_LABELS, FormSpec
from motcua.dossiers.handovers import desk_name, handover_rows, known_due, person_name
from motcua.dossiers.models import Apology, Dossier, DossierEvent
from motcua.dossiers.services import DossierError
from motcua.lib.privacy import mask_personal
from motcua.units.models import Unit
from motcua.workcalendar.engine import TZ, to_local

TT01_2018 = "tt01_2018"
TT03_2025 = "tt03_2025"
# Effective date of Circular 03/2025/TT-VPCP for the forms [unconfirmed]: a setting.
DEFAULT_TT03_2025_FROM = dt.date(2025, 7, 1)
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"

# set code -> kind -> form (number, title, template path); see forms_build.FORMS.
FORM_SETS: dict[str, dict[str, FormSpec]] = FORMS
PAPER_KINDS = (
    "receipt",
    "supplement_request",
    "intake_refusal",
    "refusal",
    "apology",
    "stop_notice",
    "control_sheet",
    "result_handover",
)
PAPER_FORMATS = ("docx", "pdf")
REGISTER_FORMATS = ("docx", "pdf", "xlsx")
QR_WIDTH_MM = 20


class DocumentNotApplicable(DossierError):
    """The paper does not exist for this dossier (state, missing record, form set) — HTTP 409."""

    status = 409


# -- which form set -----------------------------------------------------------------------------


def tt03_2025_from() -> dt.date:
    """First day on which the Circular 03/2025 forms are used (setting MOTCUA_TT03_2025_FROM)."""
    value = getattr(settings, "MOTCUA_TT03_2025_FROM", None) or DEFAULT_TT03_2025_FROM
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def form_set_on(day: dt.date) -> str:
    """The form set in force on `day`: 'tt01_2018' or 'tt03_2025'."""
    return TT03_2025 if day >= tt03_2025_from() else TT01_2018


def form_for(kind: str, day: dt.date) -> FormSpec:
    """The form of `kind` in the set in force on `day`; a clear error if that set has none."""
    set_code = form_set_on(day)
    spec = FORM_SETS[set_code].get(kind)
    if spec is None:
        other = next(s[kind] for s in FORM_SETS.values() if kind in s)
        raise DocumentNotApplicable(
            f"“{other.paper_name}” chỉ có trong bộ mẫu {SET_LABELS[other.set_code]} (áp dụng "
            f"từ {tt03_2025_from():%d/%m/%Y}); ngày ban hành {day:%d/%m/%Y} thuộc bộ mẫu "
            f"{SET_LABELS[set_code]}, không có mẫu này",
            field="kind",
        )
    return spec


# -- shared pieces --------------------------------------------------------------------------------


def public_lookup_url(code: str) -> str:
    """The public status page of a dossier code (shows status only, never personal data)."""
    base = (getattr(settings, "MOTCUA_PUBLIC_URL", "") or DEFAULT_PUBLIC_URL).rstrip("/")
    return f"{base}/tra-cuu/?ma={quote(code, safe='')}"


def qr_payload(dossier: Dossier, spec: FormSpec) -> str:
    """What the QR code holds (Circular 01/2023): codes, MASKED identifier, paper, look-up URL,
    and the signed link where the applicant rates the service once the result is returned."""
    from motcua.dossiers.tokens import rating_url

    code = dossier.code or ""
    identifier = mask_personal(dossier.applicant_id_number) or "không có"
    return "\n".join(
        [
            f"Mã hồ sơ: {code}",
            f"Mã thủ tục: {_procedure(dossier)['code']}",
            f"Định danh người nộp: {identifier}",
            f"Giấy tờ: {spec.paper_name}",
            f"Tra cứu: {public_lookup_url(code)}",
            f"Đánh giá: {rating_url(dossier)}",
        ]
    )


def _procedure(dossier: Dossier) -> dict[str, Any]:
    """The procedure as frozen at receipt (name, code, components ...)."""
    data = dict(dossier.procedure_version.data or {})
    data.setdefault("code", dossier.procedure.code)
    data.setdefault("name", dossier.procedure.name)
    return data


def _vietnamese(text: Any) -> str:
    """A translatable label as printed on the (Vietnamese) papers, whatever the UI language."""
    with translation.override("vi"):
        return str(text)


def _or_blank(value: Any) -> str:
    text = str(value or "").strip()
    return text or BLANK


def place_name(unit: Unit) -> str:
    """Place of issue: the administrative unit where the issuing body sits (Decree 30/2020)."""
    prefixes = (
        "ủy ban nhân dân thành phố ",
        "ủy ban nhân dân tỉnh ",
        "ủy ban nhân dân huyện ",
        "ủy ban nhân dân thị xã ",
        "ủy ban nhân dân quận ",
        "ủy ban nhân dân phường ",
        "ủy ban nhân dân thị trấn ",
        "ủy ban nhân dân xã ",
        "ubnd tỉnh ",
        "ubnd huyện ",
        "ubnd xã ",
    )
    current: Unit | None = unit
    while current is not None:
        lowered = current.name.lower()
        for prefix in prefixes:
            if lowered.startswith(prefix):
                return current.name[len(prefix) :]
        current = current.parent
    return unit.name


def _heading(unit: Unit, day: dt.date) -> dict[str, str]:
    parent = unit.parent
    return {
        "superior_name": parent.name.upper() if parent is not None else "",
        "unit_name": unit.name.upper(),
        "number": BLANK,
        "place": place_name(unit),
        "issued_date_long": date_long(day),
    }


def _applicant(dossier: Dossier) -> dict[str, Any]:
    procedure = _procedure(dossier)
    return {
        "code": dossier.code or "",
        "applicant_name": dossier.applicant_name,
        "applicant_id_number": _or_blank(dossier.applicant_id_number),
        "applicant_address": _or_blank(dossier.applicant_address),
        "applicant_phone": _or_blank(dossier.applicant_phone),
        "applicant_email": _or_blank(dossier.applicant_email),
        "owner_name": dossier.owner_name,
        "owner_or_applicant": dossier.owner_name or dossier.applicant_name,
        "procedure_name": procedure["name"],
        "procedure_code": procedure["code"],
        "time_limit_text": procedure.get("time_limit_text") or BLANK,
        "receiving_unit_name": dossier.receiving_unit.name,
        "competent_unit_name": (dossier.competent_unit or dossier.receiving_unit).name,
        "return_place": dossier.receiving_unit.name,
        "received_text": instant_text(dossier.received_at, BLANK),
        "received_date_text": date_text(dossier.received_at, BLANK),
        "lookup_url": public_lookup_url(dossier.code or ""),
        "signer_name": BLANK,
    }


def _event(dossier: Dossier, kind: str) -> DossierEvent | None:
    return dossier.events.filter(kind=kind).select_related("actor").order_by("-at", "-id").first()


def _received_due(dossier: Dossier) -> dt.datetime | None:
    """The appointment given at receipt (what the receipt promised)."""
    received = _event(dossier, "dossier.received")
    value = (received.data or {}).get("statutory_due") if received else None
    if value:
        return dt.datetime.fromisoformat(value)
    return known_due(dossier)


def _require_received(dossier: Dossier, paper: str) -> dt.datetime:
    if dossier.received_at is None:
        raise DocumentNotApplicable(
            f"hồ sơ {dossier} chưa được tiếp nhận nên không có {paper}", field="kind"
        )
    return dossier.received_at


@dataclass
class _Paper:
    context: dict[str, Any]
    issued_at: dt.datetime
    issuer: Unit


# -- one function per paper -----------------------------------------------------------------------


def received_components(dossier: Dossier) -> tuple[list[dict[str, Any]], str]:
    """What was handed in: the recorded component rows, else the uploaded component files,
    else no row and a neutral line (never the procedure's catalogue list)."""
    rows = list(dossier.components.order_by("order", "id"))
    if rows:
        result = []
        for c in rows:
            notes = [c.note] if c.note else []
            if c.conditional:
                notes.append("có điều kiện")
            if c.digitized:
                notes.append("đã số hóa")
            result.append(
                {
                    "name": c.name,
                    "originals": c.originals,
                    "certified_copies": c.certified_copies,
                    "copies": c.copies,
                    "note": "; ".join(notes),
                }
            )
        return result, ""
    files = dossier.files.filter(kind=FileKind.COMPONENT).order_by("uploaded_at", "id")
    uploaded = [
        {
            "name": f.component_name or f.original_name,
            "originals": "",
            "certified_copies": "",
            "copies": "",
            "note": "bản điện tử",
        }
        for f in files
    ]
    if uploaded:
        return uploaded, ""
    return [], "Hệ thống không ghi nhận chi tiết các giấy tờ đã nộp cùng hồ sơ này."


def _return_place(dossier: Dossier) -> str:
    """Where (or how) the applicant collects the result."""
    desk = desk_name(dossier.receiving_unit)
    if dossier.delivery == Delivery.POSTAL:
        address = dossier.applicant_address or BLANK
        return f"qua dịch vụ bưu chính công ích, đến địa chỉ: {address}"
    if dossier.delivery == Delivery.ELECTRONIC:
        return f"trực tuyến (bản điện tử) trên Cổng dịch vụ công; bản giấy tại {desk}"
    return desk


def _register_entry(dossier: Dossier, received_at: dt.datetime) -> str:
    """'ngày 03/03/2025, số thứ tự 2': the dossier's line in the day's register of its desk."""
    day = to_local(received_at).date()
    # The register's order: received_at, then id.
    number = (
        Dossier.objects.filter(
            receiving_unit=dossier.receiving_unit,
            received_at__gte=_day_start(day),
            received_at__lte=received_at,
        )
        .exclude(received_at=received_at, id__gt=dossier.pk)
        .count()
    )
    return f"ngày {day:%d/%m/%Y}, số thứ tự {number}"


def _receipt(dossier: Dossier) -> _Paper:
    received_at = _require_received(dossier, "giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    event = _event(dossier, "dossier.received")
    components, note = received_components(dossier)
    context = {
        "components": components,
        "components_note": note,
        "sets_text": "01",
        "due_text": instant_text(_received_due(dossier), BLANK),
        "officer_name": person_name(event.actor if event else None),
        "return_place": _return_place(dossier),
        "register_entry": _register_entry(dossier, received_at),
        "fee_text": fee_line(dossier),
    }
    return _Paper(context, received_at, dossier.receiving_unit)


def _supplement_request(dossier: Dossier) -> _Paper:
    pause = dossier.pauses.filter(kind=PauseKind.SUPPLEMENT).order_by("-opened_at", "-id").first()
    completion = _event(dossier, "dossier.completion_requested")
    if pause is None and completion is None:
        raise DocumentNotApplicable(
            f"hồ sơ {dossier} chưa có yêu cầu bổ sung, hoàn thiện nào", field="kind"
        )
    if pause is not None and (completion is None or pause.opened_at >= completion.at):
        event = (
            dossier.events.filter(kind="dossier.supplement_requested", at=pause.opened_at)
            .select_related("actor")
            .first()
        )
        at, items, reason = pause.opened_at, list(pause.items), pause.reason
        unit = pause.unit or dossier.current_unit or dossier.receiving_unit
    else:
        assert completion is not None
        event = completion
        at, items = completion.at, list((completion.data or {}).get("items", []))
        reason, unit = completion.note, dossier.receiving_unit
    officer = person_name(event.actor if event else None)
    context = {
        "items": items,
        "reason": reason,
        "requested_text": instant_text(at),
        "contact_name": officer,
        "contact_unit_name": unit.name,
        "officer_name": officer,
    }
    return _Paper(context, at, unit)


def _intake_refusal(dossier: Dossier) -> _Paper:
    event = _event(dossier, "dossier.refused_at_intake")
    if dossier.state != State.REFUSED_AT_INTAKE or event is None:
        raise DocumentNotApplicable(
            f"hồ sơ {dossier} không bị từ chối tiếp nhận nên không có phiếu từ chối", field="kind"
        )
    context = {
        "reason": event.note,
        "refused_text": instant_text(event.at),
        "officer_name": person_name(event.actor),
    }
    return _Paper(context, event.at, dossier.receiving_unit)


def _refusal(dossier: Dossier) -> _Paper:
    """Văn bản trả lại hồ sơ: refusal after receipt, reason and legal ground from the event."""
    event = _event(dossier, "dossier.refused")
    if dossier.state != State.REFUSED or event is None:
        raise DocumentNotApplicable(
            f"hồ sơ {dossier} không bị trả lại nên không có văn bản trả lại hồ sơ", field="kind"
        )
    signer = event.unit or dossier.competent_unit or dossier.receiving_unit
    context = {
        "reason": event.note,
        "refused_text": instant_text(event.at),
        "signer_unit_name": signer.name,
        "officer_name": person_name(event.actor),
        "return_place": desk_name(dossier.receiving_unit),
    }
    return _Paper(context, event.at, signer)


def _apology(dossier: Dossier) -> _Paper:
    apology: Apology | None = (
        dossier.apologies.select_related("delaying_unit").order_by("-issued_at", "-id").first()
    )
    if apology is None:
        raise DocumentNotApplicable(
            f"hồ sơ {dossier} chưa có văn bản xin lỗi nào được ghi nhận", field="kind"
        )
    signer = dossier.competent_unit or dossier.current_unit or dossier.receiving_unit
    original = dossier.statutory_due or known_due(dossier)
    context = {
        "reason": apology.reason,
        "delaying_unit_name": (apology.delaying_unit or signer).name,
        "signer_unit_name": signer.name,
        "original_due_text": instant_text(original, BLANK),
        "new_due_text": instant_text(apology.new_due),
        "grants_extension": apology.grants_extension,
        "return_place": _return_place(dossier),
    }
    return _Paper(context, apology.issued_at, signer)


def _stop_notice(dossier: Dossier) -> _Paper:
    event = _event(dossier, "dossier.stopped")
    if dossier.state != State.STOPPED or event is None:
        raise DocumentNotApplicable(
            f"hồ sơ {dossier} không ở trạng thái dừng giải quyết nên không có thông báo dừng",
            field="kind",
        )
    signer = dossier.competent_unit or dossier.current_unit or dossier.receiving_unit
    context = {
        "reason": event.note,
        "stopped_text": instant_text(event.at),
        "signer_unit_name": signer.name,
    }
    return _Paper(context, event.at, signer)


def _control_sheet(dossier: Dossier) -> _Paper:
    received_at = _require_received(dossier, "phiếu kiểm soát quá trình giải quyết hồ sơ")
    components, note = received_components(dossier)
    context = {
        "components_text": "; ".join(c["name"] for c in components) or note,
        "due_text": instant_text(known_due(dossier), BLANK),
        "steps": handover_rows(dossier),
    }
    return _Paper(context, received_at, dossier.receiving_unit)


def _result_handover(dossier: Dossier) -> _Paper:
    """Phiếu giao nhận kết quả: recipient, delivery, instant and the officer who handed over."""
    event = _event(dossier, "dossier.result_returned")
    if dossier.state != State.RETURNED or event is None:
        raise DocumentNotApplicable(
            f"hồ sơ {dossier} chưa trả kết quả nên không có phiếu giao nhận kết quả", field="kind"
        )
    resolved = _event(dossier, "dossier.resolved")
    delivery = (event.data or {}).get("delivery") or dossier.delivery or Delivery.DESK
    results = dossier.files.filter(kind=FileKind.RESULT).order_by("uploaded_at", "id")
    context = {
        "due_text": instant_text(dossier.promised_due or known_due(dossier), BLANK),
        "resolved_text": instant_text(resolved.at if resolved else dossier.finished_at, BLANK),
        "results": [f.component_name or f.original_name for f in results],
        "recipient": event.note or BLANK,
        "delivery_text": _vietnamese(Delivery(delivery).label),
        "consignment": dossier.postal_consignment if delivery == Delivery.POSTAL else "",
        "returned_text": instant_text(event.at),
        "officer_name": person_name(event.actor),
    }
    return _Paper(context, event.at, dossier.receiving_unit)


_PAPERS: dict[str, Callable[[Dossier], _Paper]] = {
    "receipt": _receipt,
    "supplement_request": _supplement_request,
    "intake_refusal": _intake_refusal,
    "refusal": _refusal,
    "apology": _apology,
    "stop_notice": _stop_notice,
    "control_sheet": _control_sheet,
    "result_handover": _result_handover,
}


def _output(docx: bytes, fmt: str, stem: str) -> ExportFile:
    data = docx_to_pdf(docx) if fmt == "pdf" else docx
    return ExportFile(f"{stem}.{fmt}", CONTENT_TYPES[fmt], data)


def dossier_document_context(
    dossier: Dossier, kind: str, *, issued_on: dt.date | None = None
) -> tuple[FormSpec, dict[str, Any]]:
    """The form and the template context of a paper (without rendering it)."""
    build = _PAPERS.get(kind)
    if build is None:
        raise ExportError(f"không có loại giấy tờ “{kind}” (có: {', '.join(PAPER_KINDS)})")
    paper = build(dossier)
    day = issued_on or to_local(paper.issued_at).date()
    spec = form_for(kind, day)
    context = {**_applicant(dossier), **_heading(paper.issuer, day), **paper.context}
    context["qr"] = DocxImage(qr_png(qr_payload(dossier, spec)), QR_WIDTH_MM)
    return spec, context


def render_dossier_document(
    dossier: Dossier, kind: str, fmt: str = "docx", *, issued_on: dt.date | None = None
) -> ExportFile:
    """A paper of the dossier as (filename, content type, bytes), DOCX or PDF."""
    if fmt not in PAPER_FORMATS:
        raise ExportError(f"định dạng “{fmt}” không hỗ trợ (chỉ: {', '.join(PAPER_FORMATS)})")
    spec, context = dossier_document_context(dossier, kind, issued_on=issued_on)
    docx = render_docx(spec.path, context)
    return _output(docx, fmt, f"{dossier.code or dossier.pk}_{spec.number}_{kind}")


# -- the register ---------------------------------------------------------------------------------


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=TZ)


def register_rows(unit: Unit, date_from: dt.date, date_to: dt.date) -> list[dict[str, Any]]:
    """One row per dossier received at `unit` on a local date in [date_from, date_to]."""
    if date_to < date_from:
        raise ExportError("ngày kết thúc phải sau ngày bắt đầu")
    dossiers = (
        Dossier.objects.filter(
            receiving_unit=unit,
            received_at__gte=_day_start(date_from),
            received_at__lt=_day_start(date_to + dt.timedelta(days=1)),
        )
        .select_related("procedure", "procedure_version", "competent_unit")
        .order_by("received_at", "id")
    )
    rows = []
    for d in dossiers:
        extended = d.promised_due is not None and d.promised_due != d.statutory_due
        address = "; ".join(x for x in (d.applicant_address, d.masked_phone) if x)
        rows.append(
            {
                "code": d.code or "",
                "procedure_name": _procedure(d)["name"],
                "applicant_name": d.owner_name or d.applicant_name,
                "address_phone": address,
                "competent_unit_name": (d.competent_unit or unit).name,
                "received_text": short_instant(d.received_at),
                "due_text": short_instant(d.promised_due or d.statutory_due),
                "finished_text": short_instant(d.finished_at),
                "returned_text": short_instant(d.returned_at),
                "state": _vietnamese(State(d.state).label),
                "note": "đã xin lỗi, hẹn lại" if extended else "",
            }
        )
    return rows


def render_register(
    unit: Unit,
    date_from: dt.date,
    date_to: dt.date,
    fmt: str = "docx",
    *,
    issued_on: dt.date | None = None,
) -> ExportFile:
    """The dossier register (sổ theo dõi hồ sơ) of a receiving unit: DOCX, PDF or XLSX."""
    if fmt not in REGISTER_FORMATS:
        raise ExportError(f"định dạng “{fmt}” không hỗ trợ (chỉ: {', '.join(REGISTER_FORMATS)})")
    day = issued_on or timezone.localdate()
    spec = form_for("register", day)
    rows = register_rows(unit, date_from, date_to)
    stem = f"{unit.code}_{spec.number}_register_{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    if fmt == "xlsx":
        header = [
            "TT",
            "Mã hồ sơ",
            "Tên thủ tục hành chính",
            "Tên cá nhân, tổ chức",
            "Địa chỉ, số điện thoại",
            "Cơ quan chủ trì giải quyết",
            "Nhận hồ sơ",
            "Hẹn trả kết quả",
            "Có kết quả / kết thúc",
            "Trả kết quả",
            "Trạng thái",
            "Ghi chú",
        ]
        keys = list(rows[0]) if rows else []
        data = render_xlsx(
            title=spec.paper_name,
            heading=[
                unit.name,
                f"{spec.title} — Mẫu số {spec.number}, {SET_LABELS[spec.set_code]}",
                f"Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}",
            ],
            header=header,
            rows=[[i, *(r[k] for k in keys)] for i, r in enumerate(rows, start=1)],
            sheet="So theo doi ho so",
        )
        return ExportFile(f"{stem}.xlsx", CONTENT_TYPES["xlsx"], data)
    context = {
        **_heading(unit, day),
        "rows": rows,
        "date_from_text": date_text(date_from),
        "date_to_text": date_text(date_to),
    }
    return _output(render_docx(spec.path, context), fmt, stem)


# -- exporters ------------------------------------------------------------------------------------


def _as_date(value: Any, name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return to_local(value).date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ExportError(f"tham số “{name}” phải là ngày dạng YYYY-MM-DD") from exc


def _dossier_param(params: Mapping[str, Any]) -> Dossier:
    """The dossier given as an object, or as a pk looked up through the user's scope."""
    value = Exporter.param(params, "dossier")
    if isinstance(value, Dossier):
        return value
    rows = Dossier.objects.all()
    if params.get("user") is not None:
        rows = rows.visible_to(params["user"])
    found = rows.select_related("receiving_unit", "competent_unit").filter(pk=value).first()
    if found is None:
        raise ExportError("không tìm thấy hồ sơ")
    return found


class DossierPaperExporter(Exporter):
    """One paper of one dossier; params: `dossier` (object or pk), `user`, `issued_on`."""

    kind = ""
    formats = PAPER_FORMATS

    def render(self, params: Mapping[str, Any], fmt: str) -> ExportFile:
        """Render the paper for the dossier in `params`."""
        self.check_format(fmt)
        issued = params.get("issued_on")
        return render_dossier_document(
            _dossier_param(params),
            self.kind,
            fmt,
            issued_on=_as_date(issued, "issued_on") if issued else None,
        )


@register
class ReceiptExporter(DossierPaperExporter):
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""

    identifier = "dossier.receipt"
    verbose_name = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    kind = "receipt"


@register
class SupplementRequestExporter(DossierPaperExporter):
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""

    identifier = "dossier.supplement_request"
    verbose_name = "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
    kind = "supplement_request"


@register
class IntakeRefusalExporter(DossierPaperExporter):
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ."""

    identifier = "dossier.intake_refusal"
    verbose_name = "Phiếu từ chối tiếp nhận giải quyết hồ sơ"
    kind = "intake_refusal"


@register
class ApologyExporter(DossierPaperExporter):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả / văn bản xin lỗi và đề nghị gia hạn."""

    identifier = "dossier.apology"
    verbose_name = "Văn bản xin lỗi, hẹn lại ngày trả kết quả"
    kind = "apology"


@register
class StopNoticeExporter(DossierPaperExporter):
    """Thông báo dừng giải quyết hồ sơ (Circular 03/2025 only)."""

    identifier = "dossier.stop_notice"
    verbose_name = "Thông báo dừng giải quyết hồ sơ"
    kind = "stop_notice"


@register
class ControlSheetExporter(DossierPaperExporter):
    """Phiếu kiểm soát quá trình giải quyết hồ sơ."""

    identifier = "dossier.control_sheet"
    verbose_name = "Phiếu kiểm soát quá trình giải quyết hồ sơ"
    kind = "control_sheet"


@register
class RefusalExporter(DossierPaperExporter):
    """Văn bản trả lại hồ sơ (refusal after receipt)."""

    identifier = "dossier.refusal"
    verbose_name = "Văn bản trả lại hồ sơ"
    kind = "refusal"


@register
class ResultHandoverExporter(DossierPaperExporter):
    """Phiếu giao nhận kết quả giải quyết hồ sơ."""

    identifier = "dossier.result_handover"
    verbose_name = "Phiếu giao nhận kết quả giải quyết hồ sơ"
    kind = "result_handover"


@register
class RegisterExporter(Exporter):
    """Sổ theo dõi hồ sơ; params: `unit` (object or pk), `date_from`, `date_to`, `issued_on`."""

    identifier = "dossier.register"
    verbose_name = "Sổ theo dõi hồ sơ"
    formats = REGISTER_FORMATS

    def render(self, params: Mapping[str, Any], fmt: str) -> ExportFile:
        """Render the register of the unit and date range in `params`."""
        self.check_format(fmt)
        unit = self.param(params, "unit")
        if not isinstance(unit, Unit):
            units = Unit.objects.all()
            if params.get("user") is not None:
                units = units.visible_to(params["user"])
            found = units.filter(pk=unit).first()
            if found is None:
                raise ExportError("không tìm thấy đơn vị")
            unit = found
        issued = params.get("issued_on")
        return render_register(
            unit,
            _as_date(self.param(params, "date_from"), "date_from"),
            _as_date(self.param(params, "date_to"), "date_to"),
            fmt,
            issued_on=_as_date(issued, "issued_on") if issued else None,
        )
