"""Reads of the public portal pages: published procedures, and a dossier's public status.

Nothing here needs an account. A dossier is found only by its code together with the last
four digits of the applicant's phone or ID number, and what comes back is the status view
(`DossierStatus`), with the applicant's personal data masked.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from motcua.dossiers.choices import RECEIVED_OPEN_STATES, PauseKind, State
from motcua.dossiers.clock import dossier_clock
from motcua.dossiers.models import Dossier, DossierRating
from motcua.dossiers.tokens import rating_token
from motcua.lib.durations import hours_minutes
from motcua.lib.privacy import mask_personal
from motcua.portal.results import result_place
from motcua.procedures.models import Procedure
from motcua.units.models import Unit
from motcua.workcalendar.engine import TZ

# -- procedures ---------------------------------------------------------------------------------


def list_public_procedures(
    *, day: dt.date | None = None, with_expired: bool = False
) -> QuerySet[Procedure]:
    """Published procedures, as applicants may browse them: those whose validity has ended
    on `day` (default today) only `with_expired`, and then after those in force."""
    day = day or timezone.localdate()
    rows = Procedure.objects.published().select_related("field")
    ended = Q(valid_to__isnull=False, valid_to__lt=day)
    if not with_expired:
        return rows.exclude(ended).order_by("code")
    stale = Case(When(ended, then=Value(1)), default=Value(0), output_field=IntegerField())
    return rows.annotate(stale=stale).order_by("stale", "code")


def get_public_procedure(code: str) -> Procedure | None:
    """One published procedure with its components and competent units; None if unknown."""
    return (
        Procedure.objects.published()
        .select_related("field")
        .prefetch_related(
            "components",
            Prefetch("competent_units", queryset=Unit.objects.order_by("name", "code")),
        )
        .filter(code=code)
        .first()
    )


@dataclass
class WhereToSubmit:
    """Where an applicant hands in a dossier of a procedure, on one day."""

    competent: list[Unit]
    desks: list[Unit]


def where_to_submit(procedure: Procedure, day: dt.date | None = None) -> WhereToSubmit:
    """The competent units in force on `day` and the one-stop desks that receive for them.

    The desks are exactly the places the online form offers (`submission.receiving_units`):
    one rule for where a dossier may be handed in, whatever the channel.
    """
    from motcua.portal.submission import receiving_units

    day = day or timezone.localdate()
    competent = [u for u in procedure.competent_units.all() if u.is_valid_on(day)]
    return WhereToSubmit(competent=competent, desks=receiving_units(procedure, day))


# -- dossier look-up ----------------------------------------------------------------------------

# ASCII digits only: a stored number typed with other scripts' digits must not make the
# comparison below fail (and answer differently from an unknown code).
_NOT_DIGIT = re.compile(r"[^0-9]")


def last_four(value: str) -> str:
    """The last four digits of a phone or ID number ('' when it has fewer than four)."""
    digits = _NOT_DIGIT.sub("", value or "")
    return digits[-4:] if len(digits) >= 4 else ""


def _candidates(code: str) -> list[str]:
    """Codes are stored upper-case; an applicant may type them in lower case."""
    text = (code or "").strip()
    return [text] if text == text.upper() else [text, text.upper()]


def find_dossier_for_lookup(code: str, digits: str) -> Dossier | None:
    """The dossier with this code whose applicant phone or ID number ends in `digits`.

    None for an unknown code, a wrong combination and a draft alike: the caller answers the
    same "not found" in every case, so a guessed code reveals nothing.
    """
    if not code or not re.fullmatch(r"[0-9]{4}", digits or ""):
        return None
    dossier = None
    for candidate in _candidates(code):
        dossier = (
            Dossier.objects.exclude(state=State.DRAFT)
            .select_related("procedure", "procedure_version", "receiving_unit", "competent_unit")
            .filter(code=candidate)
            .first()
        )
        if dossier is not None:
            break
    if dossier is None:
        return None
    keys = [last_four(dossier.applicant_phone), last_four(dossier.applicant_id_number)]
    # Compare every key whatever the first gives, in constant time.
    matches = [hmac.compare_digest(k.encode(), digits.encode()) for k in keys if k]
    return dossier if any(matches) else None


# -- the status view ----------------------------------------------------------------------------

# Explanation lines of the clock that are about the machinery, not the applicant's dossier:
# the calendar's unit code and its version number.
_TECHNICAL_LABELS = {"lịch", "phiên bản"}

_WEEKDAYS = (
    gettext_lazy("thứ Hai"),
    gettext_lazy("thứ Ba"),
    gettext_lazy("thứ Tư"),
    gettext_lazy("thứ Năm"),
    gettext_lazy("thứ Sáu"),
    gettext_lazy("thứ Bảy"),
    gettext_lazy("Chủ nhật"),
)


def instant_text(value: dt.datetime | None) -> str:
    """An instant as people read it, in Vietnam's time: '09:00 thứ Năm 15/02/2024'."""
    if value is None:
        return ""
    local = value.astimezone(TZ)
    return f"{local:%H:%M} {_WEEKDAYS[local.weekday()]} {local:%d/%m/%Y}"


def mask_name(name: str) -> str:
    """The family name in full, the other words as initials: 'Nguyễn Văn An' → 'Nguyễn V. A.'."""
    words = (name or "").split()
    if not words:
        return ""
    if len(words) == 1:
        return f"{words[0][0]}."
    return " ".join([words[0], *(f"{w[0]}." for w in words[1:])])


# The clock's labels as headings a citizen reads.
_PEOPLE_LABELS = {
    "bắt đầu": gettext_lazy("Bắt đầu tính"),
    "thời hạn": gettext_lazy("Thời hạn theo quy định"),
    "tính": gettext_lazy("Thời gian được tính"),
    "bỏ qua": gettext_lazy("Không tính"),
    "tạm dừng": gettext_lazy("Tạm dừng tính"),
    "hạn": gettext_lazy("Hạn trả kết quả"),
    "gia hạn": gettext_lazy("Gia hạn"),
    "hạn hẹn": gettext_lazy("Hạn đã hẹn lại"),
}


@dataclass
class ExplainedLine:
    """One line of the deadline's explanation: what (bắt đầu, tính, bỏ qua ...) and details."""

    label: str
    text: str

    @property
    def heading(self) -> str:
        """The label in words for people ('tính' → 'Thời gian được tính')."""
        return str(_PEOPLE_LABELS.get(self.label, self.label.capitalize()))


def explanation_for_people(lines: list[str]) -> list[ExplainedLine]:
    """The clock's explanation without its technical lines, split into label and text."""
    result = []
    for line in lines:
        # engine._line pads the label to nine characters, then one space.
        label, text = line[:9].strip(), line[10:]
        if label in _TECHNICAL_LABELS:
            continue
        result.append(ExplainedLine(label=label, text=text.strip()))
    return result


@dataclass
class DossierStatus:
    """What the public status page shows about one dossier (personal data masked)."""

    dossier: Dossier
    code: str
    procedure_name: str
    state: str
    state_label: str
    applicant: str
    phone: str
    id_number: str
    receiving_unit: str
    received_at: str = ""
    due_at: str = ""
    due_sentence: str = ""
    extended: bool = False
    paused: bool = False
    overdue: bool = False
    remaining: str = ""
    explanation: list[ExplainedLine] = field(default_factory=list)
    requested_items: list[str] = field(default_factory=list)
    request_reason: str = ""
    finished_at: str = ""
    returned_at: str = ""
    rated: bool = False
    rating_token: str = ""
    result_place: Any = None  # portal.results.ResultPlace once resolved or returned

    @property
    def can_rate(self) -> bool:
        """Returned and not yet rated."""
        return bool(self.rating_token)


def dossier_status(dossier: Dossier, *, now: dt.datetime | None = None) -> DossierStatus:
    """The public status of a dossier found by `find_dossier_for_lookup`."""
    now = now or timezone.now()
    version = dossier.procedure_version.data or {}
    status = DossierStatus(
        dossier=dossier,
        code=dossier.code or "",
        procedure_name=str(version.get("name") or dossier.procedure.name),
        state=dossier.state,
        state_label=str(State(dossier.state).label),
        applicant=mask_name(dossier.applicant_name),
        phone=mask_personal(dossier.applicant_phone),
        id_number=mask_personal(dossier.applicant_id_number),
        receiving_unit=dossier.receiving_unit.name,
        received_at=instant_text(dossier.received_at),
        finished_at=instant_text(dossier.finished_at),
        returned_at=instant_text(dossier.returned_at),
    )
    if dossier.received_at is not None:
        _add_deadline(status, dossier, now)
    if dossier.state == State.SUPPLEMENT_REQUESTED:
        pause = (
            dossier.pauses.filter(kind=PauseKind.SUPPLEMENT, closed_at__isnull=True)
            .order_by("-opened_at")
            .first()
        )
        if pause is not None:
            status.requested_items = [str(i) for i in pause.items or []]
            status.request_reason = pause.reason
    elif dossier.state == State.AWAITING_COMPLETION:
        event = dossier.events.filter(kind="dossier.completion_requested").order_by("-at").first()
        if event is not None:
            status.requested_items = [str(i) for i in (event.data or {}).get("items", [])]
            status.request_reason = event.note
    status.result_place = result_place(dossier)
    if dossier.state == State.RETURNED:
        status.rated = DossierRating.objects.filter(dossier=dossier).exists()
        if not status.rated:
            status.rating_token = rating_token(dossier)
    return status


def _add_deadline(status: DossierStatus, dossier: Dossier, now: dt.datetime) -> None:
    """Due instant, the one-sentence summary and the explanation, from the dossier's clock."""
    clock = dossier_clock(dossier, explain=True)
    if clock is None:
        return
    status.explanation = explanation_for_people(list(clock.explanation))
    due = clock.promised_due or clock.statutory_due
    status.extended = clock.extended
    status.overdue = dossier.state in RECEIVED_OPEN_STATES and clock.is_overdue(now)
    if due is not None:
        status.due_at = instant_text(due)
        status.due_sentence = gettext("Hạn trả kết quả: %(when)s") % {"when": status.due_at}
    elif dossier.state in RECEIVED_OPEN_STATES:
        status.paused = True
        left = clock.remaining_minutes
        if left is not None:
            status.remaining = gettext("còn %(duration)s làm việc") % {
                "duration": hours_minutes(left)
            }
        status.due_sentence = gettext(
            "Hồ sơ đang tạm dừng tính thời hạn; hạn trả kết quả sẽ được tính lại khi tiếp tục "
            "xử lý."
        )


def rating_context(dossier: Dossier) -> dict[str, Any]:
    """What the rating page may say about a dossier: its code and procedure, nothing personal."""
    version = dossier.procedure_version.data or {}
    return {
        "code": dossier.code or "",
        "procedure_name": str(version.get("name") or dossier.procedure.name),
        "returned": dossier.state == State.RETURNED,
        "rated": DossierRating.objects.filter(dossier=dossier).exists(),
    }
