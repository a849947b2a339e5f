"""Which papers a dossier has, under which Vietnamese slug — giấy tờ của hồ sơ.

A paper is listed (on the dossier page, in the API) when the dossier's state and history allow
it; the test reads only the dossier's timeline, pauses and apologies, which the dossier page
prefetches, so listing the papers costs no query there. The papers themselves are rendered by
`motcua.dossiers.documents`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from motcua.dossiers.choices import PauseKind, State
from motcua.dossiers.documents import TT03_2025, form_set_on
from motcua.dossiers.selectors import may_see_personal_data
from motcua.workcalendar.engine import to_local

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from motcua.dossiers.models import Dossier

PAPER_FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class PaperType:
    """One kind of paper: its key in the API and the renderer, its slug in page URLs."""

    key: str
    slug: str
    name: StrOrPromise


PAPER_TYPES = (
    PaperType("receipt", "phieu-tiep-nhan", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")),
    PaperType(
        "supplement_request", "phieu-yeu-cau-bo-sung", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
    ),
    PaperType(
        "intake_refusal", "phieu-tu-choi-tiep-nhan", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    ),
    PaperType("refusal", "van-ban-tra-lai-ho-so", _("Văn bản trả lại hồ sơ")),
    PaperType("apology", "van-ban-xin-loi", _("Văn bản xin lỗi, hẹn lại ngày trả kết quả")),
    PaperType("stop_notice", "thong-bao-dung-giai-quyet", _("Thông báo dừng giải quyết hồ sơ")),
    PaperType("control_sheet", "phieu-kiem-soat", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")),
    PaperType(
        "result_handover", "phieu-giao-nhan-ket-qua", _("Phiếu giao nhận kết quả giải quyết hồ sơ")
    ),
)
BY_KEY = {p.key: p for p in PAPER_TYPES}
BY_SLUG = {p.slug: p for p in PAPER_TYPES}


def _last(events: list[Any], kind: str) -> Any:
    found = [e for e in events if e.kind == kind]
    return max(found, key=lambda e: (e.at, e.pk)) if found else None


def available_keys(dossier: Dossier) -> list[str]:
    """Keys of the papers the dossier's state and history allow, in the catalogue's order."""
    events = list(dossier.events.all())
    kinds = {e.kind for e in events}
    received = dossier.received_at is not None
    stop = _last(events, "dossier.stopped")
    allowed = {
        "receipt": received,
        "supplement_request": "dossier.completion_requested" in kinds
        or any(p.kind == PauseKind.SUPPLEMENT for p in dossier.pauses.all()),
        "intake_refusal": dossier.state == State.REFUSED_AT_INTAKE
        and "dossier.refused_at_intake" in kinds,
        "refusal": dossier.state == State.REFUSED and "dossier.refused" in kinds,
        "apology": bool(list(dossier.apologies.all())),
        "stop_notice": dossier.state == State.STOPPED
        and stop is not None
        and form_set_on(to_local(stop.at).date()) == TT03_2025,
        "control_sheet": received,
        "result_handover": dossier.state == State.RETURNED and "dossier.result_returned" in kinds,
    }
    return [p.key for p in PAPER_TYPES if allowed[p.key]]


def may_print(user: Any, dossier: Dossier) -> bool:
    """Papers print the applicant's full identity: only for those who work the dossier."""
    return may_see_personal_data(user, dossier)


def papers_for(user: Any, dossier: Dossier) -> list[PaperType]:
    """The papers `user` may print for `dossier` (none for a read-only viewer)."""
    if not may_print(user, dossier):
        return []
    return [BY_KEY[key] for key in available_keys(dossier)]
