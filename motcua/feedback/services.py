"""Every change to a feedback item: one keyword-only function per event (feedback.md §4).

Each service locks the item's row, checks the transition table (or, for the events that keep
the state, the states they are allowed in) and the actor's permission, stamps the instant,
writes the `feedback.<past tense>` timeline event, recomputes the cached deadlines and
records the notice to the sender, all in one transaction. Bad input raises `FeedbackError`
with a Vietnamese message and the field it is about; nothing is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from motcua.feedback.choices import (
    OPEN_STATES,
    RESOLVED_STATES,
    Channel,
    Competence,
    FeedbackEvent,
    FeedbackState,
    Kind,
    Subject,
    Vote,
    next_state,
)
from motcua.feedback.clock import feedback_deadlines
from motcua.feedback.followcode import follow_code_for
from motcua.feedback.models import (
    Category,
    Feedback,
    FeedbackCodeCounter,
    FeedbackEntry,
    FeedbackPause,
    FeedbackSurvey,
    FeedbackVote,
)
from motcua.feedback.notices import send_notice
from motcua.feedback.selectors import province_of, route_unit
from motcua.lib.lifecycle import (
    ServiceError,
    check_not_before,
    checked_instant,
    lock_fresh,
    save_versioned,
)
from motcua.lib.vntext import fold, nfc
from motcua.people.policy import Action, can
from motcua.units.models import Unit
from motcua.workcalendar.engine import format_instant, to_local

E = FeedbackEvent
S = FeedbackState


class FeedbackError(ServiceError):
    """A feedback action that cannot be done; `field` names the bad input if there is one."""


class TransitionNotAllowed(FeedbackError):
    """The transition table forbids this event in the item's state (HTTP 409)."""

    status = 409


class ActionForbidden(FeedbackError):
    """The actor's roles do not allow this action on this item (HTTP 403)."""

    status = 403


class ConcurrentChange(FeedbackError):
    """Somebody else changed the item at the same time (HTTP 409)."""

    status = 409


# Channels where the sender writes in person-less (portals, app, chatbot, Zalo, e-mail): a
# PAKN from them needs a phone or an e-mail unless MOTCUA_FEEDBACK_CONTACT_REQUIRED is off.
PUBLIC_CHANNELS = frozenset(
    {
        Channel.PORTAL,
        Channel.NATIONAL_PORTAL,
        Channel.APP,
        Channel.CHATBOT,
        Channel.ZALO,
        Channel.EMAIL,
    }
)

# Operations that keep the state, and the states they are allowed in.
STAY_STATES: dict[str, frozenset[str]] = {
    "classify": frozenset(OPEN_STATES),
    "assign": frozenset(OPEN_STATES),
    "draft_answer": frozenset({S.PROCESSING}),
    "reject_answer": frozenset({S.PROCESSING}),
    "vote": frozenset({S.PUBLISHED}),
    "survey": frozenset(RESOLVED_STATES | {S.ANSWERED}),
}
_STAY_LABELS = {
    "classify": "phân loại",
    "assign": "phân công xử lý",
    "draft_answer": "dự thảo trả lời",
    "reject_answer": "trả lại dự thảo trả lời",
    "vote": "bình chọn",
    "survey": "khảo sát mức độ hài lòng",
}

# Who may do what: (named action, where) pairs, any of which suffices. "unit" = the handling
# unit, "intake" = the unit that logged the item (policy: feedback contract, §Policy).
_UNIT = "unit"
_INTAKE = "intake"
PERMISSIONS: dict[str, tuple[tuple[Action, str], ...]] = {
    E.REFUSE: ((Action.PROCESS, _UNIT),),
    E.FORWARD: ((Action.PROCESS, _UNIT),),
    E.REDIRECT: ((Action.PROCESS, _UNIT),),
    E.REQUEST_SUPPLEMENT: ((Action.PROCESS, _UNIT),),
    E.SUPPLEMENT: ((Action.PROCESS, _UNIT), (Action.RECEIVE, _INTAKE), (Action.RECEIVE, _UNIT)),
    E.START_PROCESSING: ((Action.PROCESS, _UNIT),),
    E.APPROVE_ANSWER: ((Action.APPROVE, _UNIT),),
    E.PUBLISH: ((Action.APPROVE, _UNIT),),
    E.QUICK_ANSWER: ((Action.RECEIVE, _INTAKE), (Action.PROCESS, _UNIT)),
    E.CLOSE: ((Action.APPROVE, _UNIT),),
    "classify": ((Action.PROCESS, _UNIT), (Action.RECEIVE, _INTAKE)),
    "assign": ((Action.ASSIGN, _UNIT), (Action.PROCESS, _UNIT), (Action.RECEIVE, _INTAKE)),
    "draft_answer": ((Action.PROCESS, _UNIT),),
    "reject_answer": ((Action.APPROVE, _UNIT),),
}
# A quick answer is closed by whoever gave it.
_CLOSE_QUESTION = ((Action.RECEIVE, _INTAKE), (Action.PROCESS, _UNIT), (Action.APPROVE, _UNIT))

EVENT_KINDS = {
    E.RECEIVE: "feedback.received",
    E.REFUSE: "feedback.refused",
    E.FORWARD: "feedback.forwarded",
    E.REDIRECT: "feedback.redirected",
    E.REQUEST_SUPPLEMENT: "feedback.supplement_requested",
    E.SUPPLEMENT: "feedback.supplemented",
    E.START_PROCESSING: "feedback.processing_started",
    E.APPROVE_ANSWER: "feedback.answer_approved",
    E.PUBLISH: "feedback.published",
    E.QUICK_ANSWER: "feedback.answered",
    E.CLOSE: "feedback.closed",
    "classify": "feedback.classified",
    "assign": "feedback.assigned",
    "draft_answer": "feedback.answer_drafted",
    "reject_answer": "feedback.answer_rejected",
    "vote": "feedback.voted",
    "survey": "feedback.surveyed",
}

# Service name of each operation an officer page may offer (see selectors.allowed_operations).
OPERATIONS: dict[str, str] = {
    "classify_feedback": "classify",
    "assign_feedback": "assign",
    "refuse_feedback": E.REFUSE,
    "forward_feedback": E.FORWARD,
    "redirect_feedback": E.REDIRECT,
    "request_supplement": E.REQUEST_SUPPLEMENT,
    "record_supplement": E.SUPPLEMENT,
    "start_processing": E.START_PROCESSING,
    "draft_answer": "draft_answer",
    "reject_answer": "reject_answer",
    "approve_answer": E.APPROVE_ANSWER,
    "publish_feedback": E.PUBLISH,
    "quick_answer": E.QUICK_ANSWER,
    "close_feedback": E.CLOSE,
}

_MAX_CODE_PER_DAY = 9999


# -- small helpers -----------------------------------------------------------------------------


def _now(at: dt.datetime | None) -> dt.datetime:
    return checked_instant(at, FeedbackError)


def _text(
    value: Any, field: str, message: str, *, required: bool = True, max_length: int | None = None
) -> str:
    if value is not None and not isinstance(value, str):
        raise FeedbackError(message, field=field)
    text = nfc(value or "")
    if required and not text:
        raise FeedbackError(message, field=field)
    if max_length is not None and len(text) > max_length:
        raise FeedbackError(f"không được dài quá {max_length} ký tự", field=field)
    return text


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _actor_name(actor: Any) -> str:
    user = _user(actor)
    if user is not None:
        return str(user.get_username())
    return str(actor or "system")


def _label(operation: str) -> str:
    if operation in E.values:
        return str(E(operation).label).lower()
    return _STAY_LABELS.get(operation, operation)


def _units_for(feedback: Feedback, where: str) -> Unit | None:
    return feedback.unit if where == _UNIT else feedback.intake_unit


def may_perform(actor: Any, feedback: Feedback, operation: str) -> bool:
    """Whether `actor` may do `operation` (an event or a service name) on the item now.

    Checks the state first (transition table, or the states a state-keeping operation is
    allowed in), then the actor's named actions at the item's units.
    """
    operation = OPERATIONS.get(operation, operation)
    if operation in STAY_STATES:
        if feedback.state not in STAY_STATES[operation]:
            return False
    elif next_state(operation, feedback.state) is None:
        return False
    return _permitted(actor, feedback, operation)


def _permitted(actor: Any, feedback: Feedback, operation: str) -> bool:
    if actor is None:
        return True
    rules = PERMISSIONS.get(operation, ())
    if operation == E.CLOSE and feedback.kind == Kind.QUESTION:
        rules = _CLOSE_QUESTION
    for action, where in rules:
        unit = _units_for(feedback, where)
        if unit is not None and can(actor, action, unit):
            return True
    return False


def _check_actor(actor: Any, feedback: Feedback, operation: str) -> None:
    if not _permitted(actor, feedback, operation):
        raise ActionForbidden(f"bạn không có quyền “{_label(operation)}” đối với phản ánh này")


def _check_state(feedback: Feedback, operation: str) -> str:
    """The state `operation` leads to (the same state for the state-keeping ones)."""
    if operation in STAY_STATES:
        if feedback.state in STAY_STATES[operation]:
            return feedback.state
        target = None
    else:
        target = next_state(operation, feedback.state)
    if target is None:
        raise TransitionNotAllowed(
            f"không thể “{_label(operation)}” khi phản ánh ở trạng thái “{S(feedback.state).label}”"
        )
    return target


_RELOAD = "phản ánh vừa được người khác cập nhật; hãy tải lại và thử lại"


def _locked(feedback: Feedback) -> Feedback:
    """Re-read the row under a lock (PostgreSQL) and check nobody changed it meanwhile."""
    if not isinstance(feedback, Feedback) or feedback.pk is None:
        raise FeedbackError("không tìm thấy phản ánh", field="feedback")
    related = ("unit", "intake_unit", "category")
    return lock_fresh(feedback, related, ConcurrentChange(_RELOAD))


def _not_before_last_event(feedback: Feedback, at: dt.datetime) -> None:
    early = FeedbackError("thời điểm ghi nhận sớm hơn sự kiện trước đó của phản ánh", field="at")
    check_not_before(feedback.events.all(), at, early)


def _begin(
    feedback: Feedback, operation: str, *, actor: Any, at: dt.datetime
) -> tuple[Feedback, str]:
    """Lock and re-read the item, check the state, the actor's permission and the order of
    instants; return the item and the state the operation leads to."""
    feedback = _locked(feedback)
    target = _check_state(feedback, operation)
    _check_actor(actor, feedback, operation)
    _not_before_last_event(feedback, at)
    return feedback, target


def _save(feedback: Feedback, changes: dict[str, Any], *, recompute: bool = True) -> None:
    """Write `changes` (and the recomputed deadlines) if the row is still at the version read."""
    expected = feedback.lock_version
    for name, value in changes.items():
        setattr(feedback, name, value)
    if recompute:
        changes = {**changes, **feedback_deadlines(feedback)}
    save_versioned(feedback, expected, changes, ConcurrentChange(_RELOAD))


def _event(
    feedback: Feedback,
    operation: str,
    *,
    at: dt.datetime,
    actor: Any,
    from_state: str = "",
    to_state: str = "",
    unit: Unit | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> FeedbackEntry:
    return FeedbackEntry.objects.create(
        feedback=feedback,
        kind=EVENT_KINDS[operation],
        at=at,
        actor=_user(actor),
        actor_name=_actor_name(actor),
        unit=unit if unit is not None else feedback.unit,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
    )


def _iso(value: dt.datetime | None) -> str | None:
    """An instant for the timeline's data: ISO 8601 in local time (Asia/Ho_Chi_Minh)."""
    return to_local(value).isoformat() if value is not None else None


def _choice(value: Any, choices: Collection[str], field: str, what: str) -> str:
    if value not in choices:
        raise FeedbackError(f"{what} “{value}” không hợp lệ", field=field)
    return str(value)


def _require_unit(unit: Any, field: str) -> Unit:
    if not isinstance(unit, Unit):
        raise FeedbackError("đơn vị không hợp lệ", field=field)
    return unit


def _valid_on(unit: Unit, day: dt.date, field: str) -> None:
    if not unit.is_valid_on(day):
        raise FeedbackError(f"{unit.name} không còn hoạt động vào ngày {day:%d/%m/%Y}", field=field)


# -- the sender ----------------------------------------------------------------------------


def _clean_phone(value: Any) -> str:
    raw = _text(value, "sender_phone", "số điện thoại không hợp lệ", required=False)
    phone = re.sub(r"[\s.\-()]", "", raw)
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    if phone and not re.fullmatch(r"\+?\d{8,15}", phone):
        raise FeedbackError(
            "số điện thoại không hợp lệ (chỉ gồm chữ số, 8–15 số)", field="sender_phone"
        )
    return phone


def _clean_email(value: Any) -> str:
    email = _text(
        value, "sender_email", "địa chỉ thư điện tử không hợp lệ", required=False, max_length=254
    )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise FeedbackError("địa chỉ thư điện tử không hợp lệ", field="sender_email") from None
    return email


def _clean_id_number(value: Any) -> str:
    raw = _text(value, "sender_id_number", "số định danh không hợp lệ", required=False)
    number = re.sub(r"\s", "", raw)
    if number and not re.fullmatch(r"\d{9,13}", number):
        raise FeedbackError(
            "số định danh không hợp lệ (CMND 9 số, CCCD 12 số, mã số thuế 10 hoặc 13 số)",
            field="sender_id_number",
        )
    return number


def clean_sender(sender: Any) -> dict[str, str]:
    """The sender's details as stored: NFC text, phone and ID as digits, e-mail checked."""
    if sender is None:
        sender = {}
    if not isinstance(sender, dict):
        raise FeedbackError("thông tin người phản ánh không hợp lệ", field="sender")
    unknown = set(sender) - {"name", "phone", "email", "id_number", "address"}
    if unknown:
        raise FeedbackError(
            f"thông tin người phản ánh có mục lạ: {', '.join(sorted(unknown))}", field="sender"
        )
    return {
        "sender_name": _text(
            sender.get("name"),
            "sender_name",
            "họ tên không hợp lệ",
            required=False,
            max_length=255,
        ),
        "sender_phone": _clean_phone(sender.get("phone")),
        "sender_email": _clean_email(sender.get("email")),
        "sender_id_number": _clean_id_number(sender.get("id_number")),
        "sender_address": _text(
            sender.get("address"),
            "sender_address",
            "địa chỉ không hợp lệ",
            required=False,
            max_length=255,
        ),
    }


def contact_required(channel: str, kind: str) -> bool:
    """Whether a PAKN arriving on `channel` must carry a phone or an e-mail."""
    return (
        kind == Kind.PAKN
        and channel in PUBLIC_CHANNELS
        and bool(getattr(settings, "MOTCUA_FEEDBACK_CONTACT_REQUIRED", True))
    )


def _collapse_digits(text: str) -> str:
    # "0912 345 678", "0912.345.678" and "0912-345-678" all become "0912345678".
    return re.sub(r"(?<=\d)[\s.\-]+(?=\d)", "", text)


def personal_data_in(feedback: Feedback, text: str) -> list[str]:
    """Which of the sender's personal data appear in `text` (for the public version).

    Looks for the phone (its last 9 digits, whatever the separators or +84 prefix), the ID
    number, the e-mail address and the full name (two words or more, diacritics ignored).
    """
    found: list[str] = []
    if not text:
        return found
    digits = _collapse_digits(text)
    phone = feedback.sender_phone.lstrip("+")
    if len(phone) >= 8 and phone[-9:] in digits:
        found.append("số điện thoại")
    if feedback.sender_id_number and feedback.sender_id_number in digits:
        found.append("số định danh")
    if feedback.sender_email and feedback.sender_email.lower() in text.lower():
        found.append("thư điện tử")
    name = fold(feedback.sender_name)
    if len(name.split()) >= 2 and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", fold(text)):
        found.append("họ tên")
    return found


# -- codes -------------------------------------------------------------------------------------


def allocate_code(province: Unit, day: dt.date) -> str:
    """Next feedback code `PA-<province code>-<YYMMDD>-<NNNN>` (atomic, never reused)."""
    prefix = f"PA-{province.code}"[:16]
    with transaction.atomic():
        # The UPDATE takes the write lock first, so two receipts cannot read the same number.
        bumped = FeedbackCodeCounter.objects.filter(prefix=prefix, day=day).update(
            last=F("last") + 1
        )
        if not bumped:
            try:
                with transaction.atomic():
                    FeedbackCodeCounter.objects.create(prefix=prefix, day=day, last=1)
            except IntegrityError:
                FeedbackCodeCounter.objects.filter(prefix=prefix, day=day).update(
                    last=F("last") + 1
                )
        number = FeedbackCodeCounter.objects.get(prefix=prefix, day=day).last
    if number > _MAX_CODE_PER_DAY:
        raise FeedbackError(f"đã cấp quá {_MAX_CODE_PER_DAY} mã phản ánh trong ngày {day:%d/%m/%Y}")
    return f"PA-{province.code}-{day:%y%m%d}-{number:04d}"


# -- receipt -------------------------------------------------------------------------------------


def _links(
    province: Unit,
    *,
    dossier_code: str | None,
    procedure_code: str | None,
    repeat_of_code: str | None = None,
    unresolved: list[str] | None = None,
) -> dict[str, Any]:
    """The rows the typed codes name; an unknown code is an error, or, when `unresolved` is
    given (a sender writing in from a public channel), noted there: telling the public which
    dossier and feedback codes exist would let anyone probe them."""
    from motcua.dossiers.models import Dossier
    from motcua.procedures.models import Procedure

    links: dict[str, Any] = {}
    if dossier_code is not None:
        code = _text(dossier_code, "dossier_code", "mã hồ sơ không hợp lệ", required=False)
        links["dossier"] = None
        if code:
            links["dossier"] = Dossier.objects.filter(code=code).first()
            if links["dossier"] is None and unresolved is not None:
                unresolved.append(f"mã hồ sơ người gửi ghi: {code}")
            elif links["dossier"] is None:
                raise FeedbackError(f"không tìm thấy hồ sơ mã “{code}”", field="dossier_code")
    if procedure_code is not None:
        code = _text(procedure_code, "procedure_code", "mã thủ tục không hợp lệ", required=False)
        links["procedure"] = None
        if code:
            links["procedure"] = Procedure.objects.filter(code=code).first()
            if links["procedure"] is None:
                raise FeedbackError(f"không tìm thấy thủ tục mã “{code}”", field="procedure_code")
    if repeat_of_code is not None:
        code = _text(repeat_of_code, "repeat_of_code", "mã phản ánh không hợp lệ", required=False)
        links["repeat_of"] = None
        if code:
            earlier = Feedback.objects.filter(code=code.upper()).first()
            known = earlier is not None and earlier.code.startswith(f"PA-{province.code}-")
            if not known and unresolved is not None:
                unresolved.append(f"mã phản ánh trước người gửi ghi: {code}")
                earlier = None
            elif not known:
                raise FeedbackError(
                    f"không tìm thấy phản ánh mã “{code}” trong tỉnh", field="repeat_of_code"
                )
            links["repeat_of"] = earlier
    return links


def _create_feedback(
    *,
    channel: str,
    title: Any,
    content: Any,
    sender: Any,
    actor: Any,
    province: Unit | None,
    intake_unit: Unit | None,
    unit: Unit | None,
    category: Category | None,
    area: Unit | None,
    subject: str,
    kind: str,
    sender_user: Any,
    contact_at: dt.datetime | None,
    at: dt.datetime,
    call_duration_seconds: Any,
    dossier_code: str,
    procedure_code: str,
    repeat_of_code: str,
    repeat_dissatisfied: bool,
    forwarded_from: Feedback | None,
    check_actor: bool = True,
    notify: bool = True,
) -> Feedback:
    """Validate and write a new item in state `received` (caller holds the transaction)."""
    channel = _choice(channel, Channel.values, "channel", "kênh tiếp nhận")
    kind = _choice(kind, Kind.values, "kind", "loại phản ánh")
    subject = _choice(subject or "", ["", *Subject.values], "subject", "loại nội dung")
    title_text = _text(title, "title", "cần ghi tiêu đề phản ánh", max_length=255)
    content_text = _text(content, "content", "cần ghi nội dung phản ánh")
    fields = clean_sender(sender)
    if (
        contact_required(channel, kind)
        and not fields["sender_phone"]
        and not fields["sender_email"]
    ):
        raise FeedbackError(
            "cần số điện thoại hoặc thư điện tử để cơ quan liên hệ, trả lời", field="sender_phone"
        )
    if contact_at is None:
        contact_at = at
    elif not isinstance(contact_at, dt.datetime) or timezone.is_naive(contact_at):
        raise FeedbackError("thời điểm liên hệ phải có múi giờ", field="contact_at")
    elif contact_at > at:
        raise FeedbackError(
            "thời điểm liên hệ đầu tiên không thể sau thời điểm tiếp nhận", field="contact_at"
        )
    if call_duration_seconds is not None and (
        not isinstance(call_duration_seconds, int)
        or isinstance(call_duration_seconds, bool)
        or call_duration_seconds < 0
    ):
        raise FeedbackError(
            "thời lượng cuộc gọi phải là số giây ≥ 0", field="call_duration_seconds"
        )
    if repeat_dissatisfied and not repeat_of_code:
        raise FeedbackError(
            "phản ánh lại vì chưa hài lòng phải ghi mã phản ánh trước", field="repeat_of_code"
        )
    if category is not None and not isinstance(category, Category):
        raise FeedbackError("nhóm phản ánh không hợp lệ", field="category")
    for name, value in (("province", province), ("intake_unit", intake_unit), ("unit", unit)):
        if value is not None:
            _require_unit(value, name)
    if area is not None:
        _require_unit(area, "area")

    day = to_local(at).date()
    if check_actor and actor is not None:
        if intake_unit is None:
            raise FeedbackError("cần chọn nơi tiếp nhận", field="intake_unit")
        if not can(actor, Action.RECEIVE, intake_unit):
            raise ActionForbidden("bạn không có quyền tiếp nhận phản ánh tại đơn vị này")
    if intake_unit is not None:
        _valid_on(intake_unit, day, "intake_unit")

    if province is None:
        seed = intake_unit or unit or area or (category.province if category else None)
        if seed is None:
            raise FeedbackError("cần chọn tỉnh hoặc đơn vị tiếp nhận phản ánh", field="province")
        province = province_of(seed)
    else:
        province = province_of(province)
    if unit is not None and province_of(unit).code != province.code:
        raise FeedbackError("đơn vị xử lý không thuộc tỉnh này", field="unit")
    if category is not None:
        if category.province.code != province.code:
            raise FeedbackError("nhóm phản ánh không thuộc tỉnh này", field="category")
        if not category.active:
            raise FeedbackError("nhóm phản ánh không còn sử dụng", field="category")
    if area is not None and province_of(area).code != province.code:
        raise FeedbackError("địa bàn không thuộc tỉnh này", field="area")

    if unit is not None:
        _valid_on(unit, day, "unit")
        handling = unit
    else:
        handling = route_unit(category, area, day) or intake_unit or province
        _valid_on(handling, day, "unit")
    if not subject and category is not None and category.subject:
        subject = category.subject

    # A sender on a public channel is not told whether a code exists; the officer sees it.
    unresolved: list[str] | None = [] if actor is None else None
    links = _links(
        province,
        dossier_code=dossier_code,
        procedure_code=procedure_code,
        repeat_of_code=repeat_of_code,
        unresolved=unresolved,
    )
    if unresolved:
        content_text = "\n\n".join([content_text, *(f"({note})" for note in unresolved)])
    feedback = Feedback(
        code=allocate_code(province, day),
        kind=kind,
        state=S.RECEIVED,
        channel=channel,
        title=title_text,
        content=content_text,
        subject=subject,
        category=category,
        area=area,
        sender_user=sender_user if getattr(sender_user, "is_authenticated", False) else None,
        intake_unit=intake_unit,
        logged_by=_user(actor),
        contact_at=contact_at,
        received_at=at,
        call_duration_seconds=call_duration_seconds,
        unit=handling,
        repeat_dissatisfied=bool(repeat_dissatisfied),
        forwarded_from=forwarded_from,
        **fields,
        **links,
    )
    for name, due in feedback_deadlines(feedback, pauses=[]).items():
        setattr(feedback, name, due)
    feedback.follow_code = follow_code_for(fields)  # e-mail-only senders (issue 16)
    feedback.save()
    data: dict[str, Any] = {
        "channel": channel,
        "kind": kind,
        "unit": handling.code,
        "handle_due": _iso(feedback.handle_due),
        "norm_due": _iso(feedback.norm_due),
    }
    if feedback.repeat_of is not None:
        data["repeat_of"] = feedback.repeat_of.code
        data["repeat_dissatisfied"] = feedback.repeat_dissatisfied
    if forwarded_from is not None:
        data["forwarded_from"] = forwarded_from.code
    _event(
        feedback,
        E.RECEIVE,
        at=at,
        actor=actor,
        to_state=S.RECEIVED,
        unit=handling,
        data=data,
    )
    if notify and kind == Kind.PAKN:
        expected = feedback.norm_due or feedback.handle_due
        text = (
            f"{handling.name} đã tiếp nhận phản ánh, kiến nghị “{title_text}” "
            f"lúc {format_instant(at)}."
        )
        if expected is not None:
            text += f" Thời hạn xử lý dự kiến: {format_instant(expected)}."
        send_notice(feedback, "received", text, at=at, actor=actor)
    return feedback


def receive_feedback(
    *,
    channel: str,
    title: str,
    content: str,
    sender: dict[str, str],
    actor: Any = None,
    province: Unit | None = None,
    intake_unit: Unit | None = None,
    unit: Unit | None = None,
    category: Category | None = None,
    area: Unit | None = None,
    subject: str = "",
    kind: str = Kind.PAKN,
    sender_user: Any = None,
    contact_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
    call_duration_seconds: int | None = None,
    dossier_code: str = "",
    procedure_code: str = "",
    repeat_of_code: str = "",
    repeat_dissatisfied: bool = False,
    forwarded_from: Feedback | None = None,
) -> Feedback:
    """Log a new item from any channel — tiếp nhận phản ánh, kiến nghị; its clock starts.

    The handling unit is `unit`, else the routing rule of category + area, else the intake
    unit, else the province. An officer actor needs the right to receive at `intake_unit`;
    no actor means the sender wrote in through a public channel.
    """
    at = _now(at)
    with transaction.atomic():
        return _create_feedback(
            channel=channel,
            title=title,
            content=content,
            sender=sender,
            actor=actor,
            province=province,
            intake_unit=intake_unit,
            unit=unit,
            category=category,
            area=area,
            subject=subject,
            kind=kind,
            sender_user=sender_user,
            contact_at=contact_at,
            at=at,
            call_duration_seconds=call_duration_seconds,
            dossier_code=dossier_code,
            procedure_code=procedure_code,
            repeat_of_code=repeat_of_code,
            repeat_dissatisfied=repeat_dissatisfied,
            forwarded_from=forwarded_from,
        )


def quick_answer(
    *, feedback: Feedback, actor: Any, answer: str, at: dt.datetime | None = None
) -> Feedback:
    """Answer a question on the spot — trả lời ngay (received → answered); counted apart."""
    at = _now(at)
    text = _text(answer, "answer", "cần ghi nội dung trả lời")
    with transaction.atomic():
        feedback, target = _begin(feedback, E.QUICK_ANSWER, actor=actor, at=at)
        previous = feedback.state
        was = feedback.kind
        _save(
            feedback,
            {
                "state": target,
                "kind": Kind.QUESTION,
                "answer_official": text,
                "answer_drafted_by": _user(actor),
                "finished_at": at,
            },
        )
        _event(
            feedback,
            E.QUICK_ANSWER,
            at=at,
            actor=actor,
            from_state=previous,
            to_state=target,
            note=text,
            data={"kind_was": was} if was != Kind.QUESTION else {},
        )
        return feedback


def answer_on_the_spot(
    *,
    actor: Any,
    title: str,
    content: str,
    answer: str,
    sender: dict[str, str],
    intake_unit: Unit,
    channel: str = Channel.HOTLINE,
    call_duration_seconds: int | None = None,
    category: Category | None = None,
    at: dt.datetime | None = None,
    area: Unit | None = None,
    contact_at: dt.datetime | None = None,
    dossier_code: str = "",
    procedure_code: str = "",
) -> Feedback:
    """A hotline question logged, answered and closed at once (received → answered → closed).

    The area, the first contact time and the dossier / procedure links are checked and
    recorded exactly as by `receive_feedback`; the handling unit stays the intake unit,
    which answered.
    """
    at = _now(at)
    text = _text(answer, "answer", "cần ghi nội dung trả lời")
    if intake_unit is None:
        raise FeedbackError("cần chọn nơi tiếp nhận", field="intake_unit")
    with transaction.atomic():
        item = _create_feedback(
            channel=channel,
            title=title,
            content=content,
            sender=sender,
            actor=actor,
            province=None,
            intake_unit=intake_unit,
            unit=intake_unit,
            category=category,
            area=area,
            subject="",
            kind=Kind.QUESTION,
            sender_user=None,
            contact_at=contact_at,
            at=at,
            call_duration_seconds=call_duration_seconds,
            dossier_code=dossier_code,
            procedure_code=procedure_code,
            repeat_of_code="",
            repeat_dissatisfied=False,
            forwarded_from=None,
        )
        item = quick_answer(feedback=item, actor=actor, answer=text, at=at)
        return close_feedback(feedback=item, actor=actor, at=at)


# -- classification and assignment ---------------------------------------------------------------


def classify_feedback(
    *,
    feedback: Feedback,
    actor: Any,
    subject: str | None = None,
    competence: str | None = None,
    category: Category | None = None,
    area: Unit | None = None,
    dossier_code: str | None = None,
    procedure_code: str | None = None,
    officer: Any = None,
    officer_name: str | None = None,
    at: dt.datetime | None = None,
) -> Feedback:
    """Label the item (subject, competence, category, area) and link it (dossier, procedure,
    officer) — phân loại. Arguments left as None are unchanged; "" clears a link."""
    at = _now(at)
    changes: dict[str, Any] = {}
    if subject is not None:
        changes["subject"] = _choice(subject, ["", *Subject.values], "subject", "loại nội dung")
    if competence is not None:
        changes["competence"] = _choice(
            competence, ["", *Competence.values], "competence", "thẩm quyền"
        )
    if category is not None:
        if not isinstance(category, Category):
            raise FeedbackError("nhóm phản ánh không hợp lệ", field="category")
        changes["category"] = category
    if area is not None:
        changes["area"] = _require_unit(area, "area")
    if officer is not None:
        if not getattr(officer, "pk", None):
            raise FeedbackError("cán bộ không hợp lệ", field="officer")
        changes["officer"] = officer
    if officer_name is not None:
        changes["officer_name"] = _text(
            officer_name,
            "officer_name",
            "tên cán bộ không hợp lệ",
            required=False,
            max_length=150,
        )
    if not changes and dossier_code is None and procedure_code is None:
        raise FeedbackError("cần ít nhất một thông tin phân loại", field="subject")
    with transaction.atomic():
        feedback, target = _begin(feedback, "classify", actor=actor, at=at)
        province = province_of(feedback.unit)
        if "category" in changes and changes["category"].province.code != province.code:
            raise FeedbackError("nhóm phản ánh không thuộc tỉnh này", field="category")
        if "area" in changes and province_of(changes["area"]).code != province.code:
            raise FeedbackError("địa bàn không thuộc tỉnh này", field="area")
        changes.update(_links(province, dossier_code=dossier_code, procedure_code=procedure_code))
        data: dict[str, Any] = {}
        for name, value in changes.items():
            old = getattr(feedback, name)
            if old != value:
                data[name] = [_describe(old), _describe(value)]
        _save(feedback, changes)
        _event(
            feedback,
            "classify",
            at=at,
            actor=actor,
            from_state=target,
            to_state=target,
            data=data,
        )
        return feedback


def _describe(value: Any) -> Any:
    if value is None or isinstance(value, str | int | bool):
        return value
    for attr in ("code", "username"):
        if hasattr(value, attr):
            return getattr(value, attr)
    return str(value)


def assign_feedback(
    *,
    feedback: Feedback,
    actor: Any,
    handler: Any = None,
    unit: Unit | None = None,
    at: dt.datetime | None = None,
) -> Feedback:
    """Name the handler and/or the handling unit — phân công xử lý.

    Without either, the actor takes the item. A new unit keeps the receipt instant (it is a
    dispatch inside motcua, not a transfer) but counts on its own working calendar.
    """
    at = _now(at)
    if handler is None and unit is None:
        handler = _user(actor)
        if handler is None:
            raise FeedbackError("cần chọn người xử lý", field="handler")
    if unit is not None:
        _require_unit(unit, "unit")
    with transaction.atomic():
        feedback, target = _begin(feedback, "assign", actor=actor, at=at)
        changes: dict[str, Any] = {}
        new_unit = unit or feedback.unit
        if unit is not None and unit.pk != feedback.unit_id:
            _valid_on(unit, to_local(at).date(), "unit")
            if province_of(unit).code != province_of(feedback.unit).code:
                raise FeedbackError(
                    "chỉ phân công cho đơn vị trong tỉnh; đơn vị khác thì chuyển phản ánh",
                    field="unit",
                )
            changes["unit"] = unit
            changes["handler"] = None
        if handler is not None:
            if not getattr(handler, "is_authenticated", False) or not can(
                handler, Action.PROCESS, new_unit
            ):
                raise FeedbackError(
                    "người được phân công không có quyền xử lý tại đơn vị này", field="handler"
                )
            changes["handler"] = handler
        data = {
            "unit": new_unit.code,
            "from_unit": feedback.unit.code if "unit" in changes else None,
            "handler": _describe(changes.get("handler", feedback.handler)),
        }
        _save(feedback, changes)
        _event(
            feedback,
            "assign",
            at=at,
            actor=actor,
            from_state=target,
            to_state=target,
            unit=new_unit,
            data=data,
        )
        return feedback


# -- disposal without an answer of the unit's own -----------------------------------------------


def _dispose(
    feedback: Feedback,
    target: str,
    operation: str,
    *,
    actor: Any,
    at: dt.datetime,
    reason: str,
    extra: dict[str, Any],
    data: dict[str, Any],
    notice: str,
    notice_text: str,
) -> Feedback:
    """End a locked item without an answer of the unit's own (refused, forwarded, redirected)."""
    previous = feedback.state
    FeedbackPause.objects.filter(feedback=feedback, closed_at__isnull=True).update(closed_at=at)
    _save(
        feedback,
        {"state": target, "finished_at": at, "disposal_reason": reason, **extra},
    )
    _event(
        feedback,
        operation,
        at=at,
        actor=actor,
        from_state=previous,
        to_state=target,
        note=reason,
        data=data,
    )
    send_notice(feedback, notice, notice_text, at=at, actor=actor)
    return feedback


def refuse_feedback(
    *, feedback: Feedback, actor: Any, reason: str, at: dt.datetime | None = None
) -> Feedback:
    """Refuse to handle the item, with a written reason — không tiếp nhận xử lý."""
    at = _now(at)
    text = _text(reason, "reason", "từ chối xử lý phải ghi rõ lý do")
    with transaction.atomic():
        feedback, target = _begin(feedback, E.REFUSE, actor=actor, at=at)
        return _dispose(
            feedback,
            target,
            E.REFUSE,
            actor=actor,
            at=at,
            reason=text,
            extra={},
            data={},
            notice="refused",
            notice_text=f"Phản ánh, kiến nghị của Ông/Bà không được tiếp nhận xử lý. Lý do: {text}",
        )


def forward_feedback(
    *,
    feedback: Feedback,
    actor: Any,
    reason: str,
    to_unit: Unit | None = None,
    to_body: str = "",
    at: dt.datetime | None = None,
) -> Feedback:
    """Forward to the competent body — chuyển cơ quan có thẩm quyền; never "not ours".

    Inside motcua (`to_unit`) a new item is received there, linked by `forwarded_from`, its
    clock starting now; outside (`to_body`) the body is named. The original ends `forwarded`
    and the sender is told where it went. Returns the new item, or the original.
    """
    at = _now(at)
    text = _text(reason, "reason", "chuyển phản ánh phải ghi rõ lý do")
    body = _text(to_body, "to_body", "tên cơ quan không hợp lệ", required=False, max_length=255)
    if (to_unit is None) == (not body):
        raise FeedbackError(
            "chọn đúng một nơi nhận: đơn vị trong hệ thống hoặc tên cơ quan bên ngoài",
            field="to_unit",
        )
    if to_unit is not None:
        _require_unit(to_unit, "to_unit")
    with transaction.atomic():
        original, target = _begin(feedback, E.FORWARD, actor=actor, at=at)
        new: Feedback | None = None
        if to_unit is not None:
            if to_unit.pk == original.unit_id:
                raise FeedbackError(
                    "không thể chuyển phản ánh cho chính đơn vị đang xử lý", field="to_unit"
                )
            _valid_on(to_unit, to_local(at).date(), "to_unit")
            same_province = (
                original.category is not None
                and original.category.province.code == province_of(to_unit).code
            )
            new = _create_feedback(
                channel=Channel.TRANSFER,
                title=original.title,
                content=original.content,
                sender={
                    "name": original.sender_name,
                    "phone": original.sender_phone,
                    "email": original.sender_email,
                    "id_number": original.sender_id_number,
                    "address": original.sender_address,
                },
                actor=actor,
                province=province_of(to_unit),
                intake_unit=original.unit,
                unit=to_unit,
                category=original.category if same_province else None,
                area=original.area if same_province else None,
                subject=original.subject,
                kind=original.kind,
                sender_user=original.sender_user,
                contact_at=original.contact_at,
                at=at,
                call_duration_seconds=None,
                dossier_code=original.dossier.code or "" if original.dossier else "",
                procedure_code=original.procedure.code if original.procedure else "",
                repeat_of_code="",
                repeat_dissatisfied=False,
                forwarded_from=original,
                check_actor=False,
                notify=False,
            )
        where = to_unit.name if to_unit is not None else body
        _dispose(
            original,
            target,
            E.FORWARD,
            actor=actor,
            at=at,
            reason=text,
            extra={
                "forwarded_to_unit": to_unit,
                "forwarded_to_body": where,
                "competence": Competence.OTHER_BODY,
            },
            data={
                "to_unit": to_unit.code if to_unit is not None else None,
                "to_body": where,
                "new_code": new.code if new is not None else None,
            },
            notice="forwarded",
            notice_text=(
                f"Phản ánh, kiến nghị của Ông/Bà không thuộc thẩm quyền của {original.unit.name} "
                f"và đã được chuyển đến {where}"
                + (f" (mã mới {new.code})" if new is not None else "")
                + f". Lý do: {text}"
            ),
        )
        return new if new is not None else original


def redirect_feedback(
    *, feedback: Feedback, actor: Any, reason: str, target: str = "", at: dt.datetime | None = None
) -> Feedback:
    """A complaint or denunciation, not a PAKN: guide the sender to the citizen-reception or
    inspection procedure — hướng dẫn sang khiếu nại, tố cáo."""
    at = _now(at)
    text = _text(reason, "reason", "cần ghi rõ lý do hướng dẫn")
    where = _text(target, "target", "tên cơ quan không hợp lệ", required=False, max_length=255)
    message = (
        "Nội dung Ông/Bà gửi là khiếu nại hoặc tố cáo, không phải phản ánh, kiến nghị, nên được "
        "giải quyết theo thủ tục riêng"
    )
    message += f" tại {where}." if where else "."
    with transaction.atomic():
        feedback, target = _begin(feedback, E.REDIRECT, actor=actor, at=at)
        return _dispose(
            feedback,
            target,
            E.REDIRECT,
            actor=actor,
            at=at,
            reason=text,
            extra={"forwarded_to_body": where, "competence": Competence.NOT_PAKN},
            data={"target": where},
            notice="redirected",
            notice_text=f"{message} {text}",
        )


# -- supplement -------------------------------------------------------------------------------


def request_supplement(
    *, feedback: Feedback, actor: Any, request: str, at: dt.datetime | None = None
) -> Feedback:
    """Ask the sender to supplement or clarify — yêu cầu bổ sung, làm rõ (the wait is recorded)."""
    at = _now(at)
    text = _text(request, "request", "cần ghi nội dung đề nghị bổ sung, làm rõ")
    with transaction.atomic():
        feedback, target = _begin(feedback, E.REQUEST_SUPPLEMENT, actor=actor, at=at)
        previous = feedback.state
        FeedbackPause.objects.create(feedback=feedback, opened_at=at, request=text)
        changes: dict[str, Any] = {"state": target}
        first = feedback.first_supplement_at is None
        if first:
            changes["first_supplement_at"] = at
        _save(feedback, changes)
        late = bool(first and feedback.supplement_due and at > feedback.supplement_due)
        _event(
            feedback,
            E.REQUEST_SUPPLEMENT,
            at=at,
            actor=actor,
            from_state=previous,
            to_state=target,
            note=text,
            data={"first": first, "late": late},
        )
        send_notice(
            feedback,
            "supplement_requested",
            f"Đề nghị Ông/Bà bổ sung, làm rõ: {text}",
            at=at,
            actor=actor,
        )
        return feedback


def record_supplement(
    *, feedback: Feedback, text: str, actor: Any = None, at: dt.datetime | None = None
) -> Feedback:
    """The sender's supplement or clarification arrived (actor None = via the portal)."""
    at = _now(at)
    body = _text(text, "text", "cần ghi nội dung bổ sung, làm rõ")
    with transaction.atomic():
        feedback, target = _begin(feedback, E.SUPPLEMENT, actor=actor, at=at)
        previous = feedback.state
        FeedbackPause.objects.filter(feedback=feedback, closed_at__isnull=True).update(closed_at=at)
        _save(feedback, {"state": target})
        _event(
            feedback,
            E.SUPPLEMENT,
            at=at,
            actor=actor if actor is not None else "người phản ánh",
            from_state=previous,
            to_state=target,
            note=body,
            data={"handle_due_paused": _iso(feedback.handle_due_paused)},
        )
        return feedback


# -- handling and the answer ---------------------------------------------------------------------


def start_processing(
    *, feedback: Feedback, actor: Any, handler: Any = None, at: dt.datetime | None = None
) -> Feedback:
    """Start handling in the unit — bắt đầu xử lý (the handler defaults to the actor)."""
    at = _now(at)
    with transaction.atomic():
        feedback, target = _begin(feedback, E.START_PROCESSING, actor=actor, at=at)
        previous = feedback.state
        changes: dict[str, Any] = {"state": target}
        if handler is not None:
            if not getattr(handler, "is_authenticated", False) or not can(
                handler, Action.PROCESS, feedback.unit
            ):
                raise FeedbackError(
                    "người được phân công không có quyền xử lý tại đơn vị này", field="handler"
                )
            changes["handler"] = handler
        elif feedback.handler_id is None and _user(actor) is not None:
            changes["handler"] = _user(actor)
        _save(feedback, changes)
        _event(
            feedback,
            E.START_PROCESSING,
            at=at,
            actor=actor,
            from_state=previous,
            to_state=target,
            data={"handler": _describe(feedback.handler)},
        )
        return feedback


def draft_answer(
    *,
    feedback: Feedback,
    actor: Any,
    official: str,
    public: str,
    public_title: str = "",
    at: dt.datetime | None = None,
) -> Feedback:
    """Draft the official answer and its public version — dự thảo trả lời (state unchanged).

    `public_title` is the question as the public will read it; it defaults to the title.
    """
    at = _now(at)
    official_text = _text(official, "answer_official", "cần ghi văn bản trả lời")
    public_text = _text(
        public, "answer_public", "cần ghi nội dung công khai (đã lược bỏ thông tin cá nhân)"
    )
    title = _text(
        public_title,
        "public_title",
        "tiêu đề công khai không hợp lệ",
        required=False,
        max_length=255,
    )
    with transaction.atomic():
        feedback, target = _begin(feedback, "draft_answer", actor=actor, at=at)
        _save(
            feedback,
            {
                "answer_official": official_text,
                "answer_public": public_text,
                "public_title": title or feedback.public_title or feedback.title,
                "answer_drafted_by": _user(actor),
            },
            recompute=False,
        )
        _event(
            feedback,
            "draft_answer",
            at=at,
            actor=actor,
            from_state=target,
            to_state=target,
            data={
                "personal_data": personal_data_in(
                    feedback, f"{feedback.public_title}\n{public_text}"
                )
            },
        )
        return feedback


def reject_answer(
    *, feedback: Feedback, actor: Any, reason: str, at: dt.datetime | None = None
) -> Feedback:
    """The leader sends the draft back with a reason — trả lại dự thảo (state unchanged)."""
    at = _now(at)
    text = _text(reason, "reason", "cần ghi lý do trả lại dự thảo")
    with transaction.atomic():
        feedback, target = _begin(feedback, "reject_answer", actor=actor, at=at)
        if not feedback.answer_official:
            raise FeedbackError("chưa có dự thảo trả lời", field="answer_official")
        _save(feedback, {}, recompute=False)
        _event(
            feedback,
            "reject_answer",
            at=at,
            actor=actor,
            from_state=target,
            to_state=target,
            note=text,
        )
        return feedback


def approve_answer(
    *,
    feedback: Feedback,
    actor: Any,
    do_not_publish: bool = False,
    do_not_publish_reason: str = "",
    at: dt.datetime | None = None,
) -> Feedback:
    """The leader approves the answer: handled in the 766 sense — phê duyệt trả lời.

    The official answer goes to the sender. The public title and text must not contain the
    sender's phone, ID number, e-mail or name.
    """
    at = _now(at)
    reason = _text(
        do_not_publish_reason,
        "do_not_publish_reason",
        "lý do không công khai không hợp lệ",
        required=False,
    )
    if do_not_publish and not reason:
        raise FeedbackError("không công khai phải ghi rõ lý do", field="do_not_publish_reason")
    with transaction.atomic():
        feedback, target = _begin(feedback, E.APPROVE_ANSWER, actor=actor, at=at)
        if not feedback.answer_official or not feedback.answer_public:
            raise FeedbackError("chưa có dự thảo trả lời để phê duyệt", field="answer_official")
        found = personal_data_in(feedback, f"{feedback.public_title}\n{feedback.answer_public}")
        if found:
            raise FeedbackError(
                "nội dung công khai còn thông tin cá nhân của người phản ánh: " + ", ".join(found),
                field="answer_public",
            )
        previous = feedback.state
        _save(
            feedback,
            {
                "state": target,
                "resolved_at": at,
                "finished_at": at,
                "answer_approved_by": _user(actor),
                "do_not_publish": bool(do_not_publish),
                "do_not_publish_reason": reason if do_not_publish else "",
            },
        )
        late = bool(feedback.handle_due and at > feedback.handle_due)
        _event(
            feedback,
            E.APPROVE_ANSWER,
            at=at,
            actor=actor,
            from_state=previous,
            to_state=target,
            data={
                "late": late,
                "do_not_publish": bool(do_not_publish),
                "publish_due": _iso(feedback.publish_due),
            },
        )
        send_notice(feedback, "answered", feedback.answer_official, at=at, actor=actor)
        return feedback


def publish_feedback(*, feedback: Feedback, actor: Any, at: dt.datetime | None = None) -> Feedback:
    """Publish the public version of the answer — công khai kết quả xử lý."""
    at = _now(at)
    with transaction.atomic():
        feedback, target = _begin(feedback, E.PUBLISH, actor=actor, at=at)
        if feedback.do_not_publish:
            raise TransitionNotAllowed(
                "phản ánh được phê duyệt không công khai", field="do_not_publish"
            )
        previous = feedback.state
        _save(
            feedback,
            {
                "state": target,
                "published_at": at,
                "search_text": fold(f"{feedback.public_title} {feedback.answer_public}"),
            },
        )
        late = bool(feedback.publish_due and at > feedback.publish_due)
        _event(
            feedback,
            E.PUBLISH,
            at=at,
            actor=actor,
            from_state=previous,
            to_state=target,
            data={"late": late},
        )
        return feedback


def close_feedback(
    *, feedback: Feedback, actor: Any = None, at: dt.datetime | None = None
) -> Feedback:
    """Close the item — đóng (after the rating window, or a quick answer at once)."""
    at = _now(at)
    with transaction.atomic():
        feedback, target = _begin(feedback, E.CLOSE, actor=actor, at=at)
        previous = feedback.state
        _save(feedback, {"state": target, "closed_at": at}, recompute=False)
        _event(
            feedback,
            E.CLOSE,
            at=at,
            actor=actor,
            from_state=previous,
            to_state=target,
        )
        if feedback.kind == Kind.PAKN:
            send_notice(
                feedback,
                "closed",
                "Việc xử lý phản ánh, kiến nghị của Ông/Bà đã kết thúc. Ông/Bà có hài lòng với "
                "kết quả không? Xin trả lời tại "
                f"{settings.MOTCUA_PUBLIC_URL}/phan-anh/tra-cuu/?ma={feedback.code}",
                at=at,
                actor=actor,
            )
        return feedback


# -- the public's rating ------------------------------------------------------------------------


def voter_hash(voter_key: str) -> str:
    """The stored form of a voter key (sha256): never the raw account id or address."""
    return hashlib.sha256(voter_key.encode("utf-8")).hexdigest()


def vote_feedback(
    *,
    feedback: Feedback,
    voter_key: str,
    value: int,
    is_sender: bool = False,
    at: dt.datetime | None = None,
) -> FeedbackVote:
    """A like or dislike on a published answer — thích / không thích; once per voter."""
    at = _now(at)
    if isinstance(value, bool) or value not in Vote.values:
        raise FeedbackError("bình chọn chỉ nhận thích (1) hoặc không thích (-1)", field="value")
    if not isinstance(voter_key, str) or not voter_key.strip():
        raise FeedbackError("thiếu khóa người bình chọn", field="voter_key")
    with transaction.atomic():
        fresh = Feedback.objects.select_for_update(of=("self",)).get(pk=feedback.pk)
        _check_state(fresh, "vote")
        try:
            with transaction.atomic():
                vote = FeedbackVote.objects.create(
                    feedback=fresh,
                    value=value,
                    voter=voter_hash(voter_key),
                    is_sender=bool(is_sender),
                    at=at,
                )
        except IntegrityError:
            raise FeedbackError("bạn đã bình chọn cho phản ánh này", field="value") from None
        counter = "likes" if value == Vote.LIKE else "dislikes"
        Feedback.objects.filter(pk=fresh.pk).update(**{counter: F(counter) + 1})
        FeedbackEntry.objects.create(
            feedback=fresh,
            kind=EVENT_KINDS["vote"],
            at=at,
            actor_name="người phản ánh" if is_sender else "công chúng",
            unit=fresh.unit,
            from_state=fresh.state,
            to_state=fresh.state,
            data={"value": value, "is_sender": bool(is_sender)},
        )
        return vote


def record_survey(
    *, feedback: Feedback, satisfied: bool, comment: str = "", at: dt.datetime | None = None
) -> FeedbackSurvey:
    """The sender's answer to the closing question — khảo sát mức độ hài lòng (once)."""
    at = _now(at)
    if not isinstance(satisfied, bool):
        raise FeedbackError("cần chọn hài lòng hoặc không hài lòng", field="satisfied")
    text = _text(comment, "comment", "ý kiến không hợp lệ", required=False)
    with transaction.atomic():
        fresh = Feedback.objects.select_for_update(of=("self",)).get(pk=feedback.pk)
        _check_state(fresh, "survey")
        try:
            with transaction.atomic():
                survey = FeedbackSurvey.objects.create(
                    feedback=fresh, satisfied=satisfied, comment=text, at=at
                )
        except IntegrityError:
            raise FeedbackError(
                "người phản ánh đã trả lời khảo sát cho phản ánh này", field="satisfied"
            ) from None
        FeedbackEntry.objects.create(
            feedback=fresh,
            kind=EVENT_KINDS["survey"],
            at=at,
            actor_name="người phản ánh",
            unit=fresh.unit,
            from_state=fresh.state,
            to_state=fresh.state,
            note=text,
            data={"satisfied": satisfied},
        )
        return survey


SERVICES_BY_EVENT = {
    E.RECEIVE: receive_feedback,
    E.REFUSE: refuse_feedback,
    E.FORWARD: forward_feedback,
    E.REDIRECT: redirect_feedback,
    E.REQUEST_SUPPLEMENT: request_supplement,
    E.SUPPLEMENT: record_supplement,
    E.START_PROCESSING: start_processing,
    E.APPROVE_ANSWER: approve_answer,
    E.PUBLISH: publish_feedback,
    E.QUICK_ANSWER: quick_answer,
    E.CLOSE: close_feedback,
}
