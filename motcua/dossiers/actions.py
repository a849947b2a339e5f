"""The dossier actions offered to people: their inputs, and the hand-off to the services.

The web forms (`forms.py`) and the API serializers (`api/serializers.py`) are both built from
`ACTION_PARAMS`, so a field exists once. Both pass the parsed values to `run_action`, which
resolves unit codes and calls the one service of the event (`services.SERVICES_BY_EVENT`).
Nothing here changes a dossier by itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.choices import Event, IdentitySource, SubmittedBy
from motcua.dossiers.models import Apology, Dossier
from motcua.dossiers.services import SERVICES_BY_EVENT, DossierError, receive_dossier
from motcua.lib.vntext import fold, nfc
from motcua.procedures.models import Procedure
from motcua.units.models import Unit, valid_on_q

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Param:
    """One input of an action: name (as the service calls it), kind and Vietnamese label."""

    name: str
    kind: str  # text | longtext | lines | unit | instant | amount | number | flag | choice
    label: StrOrPromise
    required: bool = False
    choices: tuple[tuple[str, StrOrPromise], ...] = ()
    help: StrOrPromise = ""


DELIVERY_CHOICES = (
    ("desk", _("Tại bộ phận một cửa")),
    ("postal", _("Qua dịch vụ bưu chính")),
    ("electronic", _("Trả kết quả điện tử")),
)

_ITEMS = Param(
    "items",
    "lines",
    _("Thành phần khác cần bổ sung"),
    True,
    help=_("mỗi dòng một thành phần; thêm vào các thành phần đã đánh dấu"),
)
_NOTE = Param("note", "longtext", _("Ghi chú"))


_REASON = _("Lý do")

# The 766 digitization facts recorded at receipt (statistics.md §5.3); blank: neither.
IDENTITY_CHOICES: tuple[tuple[str, StrOrPromise], ...] = (
    ("", _("Không xác thực qua VNeID hay CSDL dân cư")),
    *IdentitySource.choices,
)
IDENTITY_SOURCE = Param(
    "identity_source", "choice", _("Xác thực danh tính"), choices=IDENTITY_CHOICES
)
EDATA_LINKED = Param("edata_linked", "flag", _("Đã liên kết kho dữ liệu điện tử của công dân"))


def _reason(label: StrOrPromise = _REASON) -> Param:
    return Param("reason", "longtext", label, True)


# Inputs of each event, besides the optional instant `at` every action accepts.
ACTION_PARAMS: dict[str, tuple[Param, ...]] = {
    Event.RECEIVE: (
        Param("competent_unit", "unit", _("Cơ quan giải quyết")),
        IDENTITY_SOURCE,
        EDATA_LINKED,
    ),
    Event.REQUEST_COMPLETION: (_ITEMS, _reason()),
    Event.REFUSE_AT_INTAKE: (_reason(_("Lý do từ chối tiếp nhận")),),
    Event.TRANSFER: (
        Param("to_unit", "unit", _("Chuyển đến đơn vị"), True),
        Param("step_order", "number", _("Bước của quy trình"), help=_("để trống: bước kế tiếp")),
        _NOTE,
    ),
    Event.REQUEST_SUPPLEMENT: (
        _ITEMS,
        _reason(_("Lý do yêu cầu bổ sung")),
        Param(
            "justification",
            "longtext",
            _("Lý do yêu cầu lần nữa"),
            help=_("bắt buộc nếu đơn vị đã yêu cầu bổ sung hồ sơ này"),
        ),
    ),
    Event.RESUME: (_NOTE,),
    Event.REQUEST_PAYMENT: (
        Param("amount", "amount", _("Số tiền (đồng)"), True),
        Param("legal_basis", "longtext", _("Căn cứ thu"), True),
        Param("pauses_clock", "flag", _("Tạm dừng tính thời hạn trong khi chờ nộp")),
    ),
    Event.CONFIRM_PAYMENT: (Param("reference", "text", _("Số chứng từ nộp tiền"), True),),
    Event.ISSUE_APOLOGY: (
        _reason(_("Lý do chậm")),
        Param(
            "new_due",
            "instant",
            _("Ngày hẹn trả mới"),
            True,
            help=_("ví dụ 15/12/2026 16:00; chỉ ghi ngày: 17:00 ngày đó"),
        ),
        Param("delaying_unit", "unit", _("Đơn vị chậm")),
    ),
    Event.RESOLVE: (_NOTE,),
    Event.RETURN_RESULT: (
        Param("recipient", "text", _("Người nhận kết quả"), True),
        Param("delivery", "choice", _("Hình thức trả"), choices=DELIVERY_CHOICES),
        Param(
            "postal_consignment",
            "text",
            _("Số hiệu bưu gửi"),
            help=_("bắt buộc khi trả qua bưu chính"),
        ),
    ),
    Event.REFUSE: (_reason(_("Lý do trả lại hồ sơ và căn cứ pháp lý")),),
    Event.WITHDRAW: (_reason(_("Nội dung đơn rút hồ sơ")),),
    Event.STOP: (_reason(_("Căn cứ dừng giải quyết")),),
}

AT = Param("at", "instant", _("Thời điểm"), help=_("để trống: bây giờ"))

# URL names use hyphens: /actions/request-supplement/.
SLUG_TO_EVENT: dict[str, str] = {str(e).replace("_", "-"): str(e) for e in ACTION_PARAMS}
EVENT_TO_SLUG: dict[str, str] = {event: slug for slug, event in SLUG_TO_EVENT.items()}


def params_of(event: str) -> tuple[Param, ...]:
    """Every input of `event`, the optional instant last."""
    return (*ACTION_PARAMS[event], AT)


def unit_by_code(
    code: str, *, field: str, on: dt.date | None = None, among: QuerySet[Unit] | None = None
) -> Unit:
    """The version of unit `code` valid on `on` (else the latest); DossierError on `field`."""
    text = (code or "").strip()
    rows = (among if among is not None else Unit.objects.all()).filter(code=text)
    unit = None
    if text:
        if on is not None:
            unit = rows.filter(valid_on_q(on)).first()
        if unit is None:
            unit = rows.order_by(F("valid_from").desc(nulls_last=True)).first()
    if unit is None and text:
        unit = _unit_by_name(text, field=field, on=on, among=among)
    if unit is None:
        raise DossierError(
            gettext("không tìm thấy đơn vị “%(code)s”") % {"code": text}, field=field
        )
    return unit


def _unit_by_name(
    text: str, *, field: str, on: dt.date | None, among: QuerySet[Unit] | None
) -> Unit | None:
    """The unit in force on `on` named `text` (case and diacritics ignored), if only one is."""
    folded = fold(text)
    rows = among if among is not None else Unit.objects.all()
    named = [u for u in rows.only("pk", "code", "name", "valid_from", "valid_to")]
    named = [u for u in named if fold(u.name) == folded]
    # The versions in force that day; else (a past act typed later) any version of that name.
    found = [u for u in named if u.is_valid_on(on or timezone.localdate())] or named
    if len({u.code for u in found}) > 1:
        raise DossierError(
            gettext("có nhiều đơn vị tên “%(name)s”: hãy chọn trong danh sách") % {"name": text},
            field=field,
        )
    return Unit.objects.get(pk=found[0].pk) if found else None


def _resolve(event: str, values: dict[str, Any]) -> dict[str, Any]:
    """Service keyword arguments from parsed values: unit codes become units."""
    kwargs: dict[str, Any] = {}
    at = values.get("at")
    today = timezone.localtime(at).date() if isinstance(at, dt.datetime) else timezone.localdate()
    for param in params_of(event):
        value = values.get(param.name)
        if param.kind == "unit":
            if value:
                kwargs[param.name] = unit_by_code(value, field=param.name, on=today)
            elif param.required:
                raise DossierError(gettext("cần chọn đơn vị"), field=param.name)
            continue
        if value is None or value == "":
            if param.required and param.kind in {"instant", "amount"}:
                raise DossierError(gettext("trường này là bắt buộc"), field=param.name)
            if param.kind in {"text", "longtext"}:
                kwargs[param.name] = ""
            continue
        kwargs[param.name] = value
    if event == Event.RECEIVE and values.get("components") is not None:
        kwargs["components"] = values["components"]  # the checklist of papers handed in
    if event == Event.RECEIVE and values.get("fee_counts") is not None:
        kwargs["fee_counts"] = values["fee_counts"]  # pages, copies, items the fee needs
    return kwargs


def run_action(event: str, *, dossier: Dossier, actor: Any, values: dict[str, Any]) -> Dossier:
    """Call the service of `event` on `dossier` with parsed `values`; returns the dossier."""
    service: Any = SERVICES_BY_EVENT[Event(event)]
    result = service(dossier=dossier, actor=actor, **_resolve(event, values))
    if isinstance(result, Apology):
        return result.dossier
    return result


APPLICANT_FIELDS = ("name", "id_number", "phone", "email", "address", "owner_name")


def receive_walk_in(*, actor: Any, values: dict[str, Any]) -> Dossier:
    """A walk-in receipt by the desk from parsed values (codes, applicant, channel, instant).

    The receiving unit is looked up only among the units the actor may see, so a unit outside
    the scope answers exactly like an unknown one.
    """
    at: dt.datetime | None = values.get("received_at")
    day = timezone.localtime(at).date() if at else timezone.localdate()
    code = (values.get("procedure") or "").strip()
    procedure = Procedure.objects.filter(code=code).first() if code else None
    if procedure is None:
        raise DossierError(
            gettext("không tìm thấy thủ tục “%(code)s”") % {"code": code}, field="procedure"
        )
    receiving = unit_by_code(
        values.get("receiving_unit") or "",
        field="receiving_unit",
        on=day,
        among=Unit.objects.visible_to(actor),
    )
    competent = None
    if values.get("competent_unit"):
        competent = unit_by_code(values["competent_unit"], field="competent_unit", on=day)
    applicant = {
        k: nfc(str((values.get("applicant") or {}).get(k) or "")) for k in APPLICANT_FIELDS
    }
    return receive_dossier(
        actor=actor,
        procedure=procedure,
        receiving_unit=receiving,
        applicant=applicant,
        channel=values.get("channel") or "direct",
        submitted_by=values.get("submitted_by") or SubmittedBy.APPLICANT,
        competent_unit=competent,
        at=at,
        components=values.get("components"),
        fee_counts=values.get("fee_counts"),
        identity_source=values.get("identity_source"),
        edata_linked=values.get("edata_linked"),
    )
