"""Every change to a dossier: one keyword-only function per event of the transition table.

Each service locks the dossier row, checks the transition table and the actor's permission,
stamps the instant, writes the timeline event and recomputes the cached due instants, all in
one transaction. A forbidden move raises `TransitionNotAllowed` (HTTP 409, form error, exit 1).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from motcua.dossiers.choices import (
    FINISHED_STATES,
    Channel,
    Delivery,
    Event,
    FileKind,
    IdentitySource,
    PauseKind,
    State,
    SubmittedBy,
    next_state,
    rule_version_on,
)
from motcua.dossiers.clock import dossier_clock, due_fields
from motcua.dossiers.components import received_rows
from motcua.dossiers.fees import fee_fields
from motcua.dossiers.models import (
    Apology,
    ClockPause,
    Dossier,
    DossierCodeCounter,
    DossierEvent,
    ReceivedComponent,
    StepRecord,
)
from motcua.dossiers.notices import notify_applicant
from motcua.dossiers.signals import state_changed
from motcua.lib.faults import fault_point
from motcua.lib.lifecycle import (
    ServiceError,
    check_not_before,
    checked_instant,
    lock_fresh,
    save_versioned,
)
from motcua.lib.vntext import fold, nfc
from motcua.people.policy import Action, can
from motcua.procedures.models import Procedure, ProcedureVersion
from motcua.procedures.services import current_version
from motcua.procedures.time_limits import frozen_time_limit, spec_time_limit
from motcua.units.models import Unit
from motcua.workcalendar.engine import extension_refusal, to_local


class DossierError(ServiceError):
    """A dossier action that cannot be done; `field` names the bad input if there is one."""


class TransitionNotAllowed(DossierError):
    """The transition table forbids this event in the dossier's state (HTTP 409)."""

    status = 409


class ActionForbidden(DossierError):
    """The actor's roles do not allow this action on this dossier (HTTP 403)."""

    status = 403


class ConcurrentChange(DossierError):
    """Somebody else changed the dossier at the same time (HTTP 409)."""

    status = 409


# Which named action each event needs, and at which of the dossier's units.
EVENT_ACTIONS: dict[str, tuple[Action, ...]] = {
    Event.RECEIVE: (Action.RECEIVE,),
    Event.REQUEST_COMPLETION: (Action.RECEIVE,),
    Event.REFUSE_AT_INTAKE: (Action.RECEIVE,),
    Event.TRANSFER: (Action.RECEIVE, Action.PROCESS, Action.APPROVE),
    Event.REQUEST_SUPPLEMENT: (Action.PROCESS,),
    Event.RESUME: (Action.RECEIVE, Action.PROCESS),
    Event.REQUEST_PAYMENT: (Action.PROCESS,),
    Event.CONFIRM_PAYMENT: (Action.RECEIVE, Action.PROCESS),
    Event.ISSUE_APOLOGY: (Action.APPROVE,),
    Event.RESOLVE: (Action.APPROVE,),
    Event.RETURN_RESULT: (Action.RECEIVE,),
    Event.REFUSE: (Action.APPROVE,),
    Event.WITHDRAW: (Action.RECEIVE,),
    Event.STOP: (Action.APPROVE,),
}

_EVENT_KINDS = {
    Event.CREATE_DRAFT: "dossier.draft_created",
    Event.SUBMIT: "dossier.submitted",
    Event.RECEIVE: "dossier.received",
    Event.REQUEST_COMPLETION: "dossier.completion_requested",
    Event.REFUSE_AT_INTAKE: "dossier.refused_at_intake",
    Event.TRANSFER: "dossier.transferred",
    Event.REQUEST_SUPPLEMENT: "dossier.supplement_requested",
    Event.RESUME: "dossier.resumed",
    Event.REQUEST_PAYMENT: "dossier.payment_requested",
    Event.CONFIRM_PAYMENT: "dossier.payment_confirmed",
    Event.ISSUE_APOLOGY: "dossier.apology_issued",
    Event.RESOLVE: "dossier.resolved",
    Event.RETURN_RESULT: "dossier.result_returned",
    Event.REFUSE: "dossier.refused",
    Event.WITHDRAW: "dossier.withdrawn",
    Event.STOP: "dossier.stopped",
}


def _now(at: dt.datetime | None) -> dt.datetime:
    return checked_instant(at, DossierError)


def _require_text(value: str | None, field: str, message: str) -> str:
    text = nfc(value or "")
    if not text:
        raise DossierError(message, field=field)
    return text


def _units_of(dossier: Dossier) -> list[Unit]:
    units = [dossier.receiving_unit]
    for unit in (dossier.current_unit, dossier.competent_unit):
        if unit is not None:
            units.append(unit)
    return units


def _check_actor(actor: Any, event: str, units: list[Unit]) -> None:
    if actor is None:  # system jobs and imports
        return
    needed = EVENT_ACTIONS.get(event, ())
    if not any(can(actor, action, unit) for action in needed for unit in units):
        raise ActionForbidden(
            f"bạn không có quyền “{Event(event).label.lower()}” đối với hồ sơ này"
        )


def _check_transition(dossier: Dossier | None, event: str) -> str:
    current = dossier.state if dossier is not None else None
    target = next_state(event, current)
    if target is None:
        where = State(current).label if current else "chưa có hồ sơ"
        raise TransitionNotAllowed(
            f"không thể “{Event(event).label.lower()}” khi hồ sơ ở trạng thái “{where}”"
        )
    return target


_RELOAD = "hồ sơ vừa được người khác cập nhật; hãy tải lại và thử lại"


def _locked(dossier: Dossier) -> Dossier:
    """Re-read the row under a lock (PostgreSQL) and check nobody changed it meanwhile."""
    related = ("receiving_unit", "current_unit", "competent_unit")
    return lock_fresh(dossier, related, ConcurrentChange(_RELOAD))


_SEARCHED_FIELDS = frozenset(
    {"code", "applicant_name", "owner_name", "applicant_phone", "applicant_id_number"}
)


def _save(dossier: Dossier, expected_version: int, **changes: Any) -> None:
    """Write `changes` only if the row is still at `expected_version` (portable optimistic lock)."""
    if _SEARCHED_FIELDS.intersection(changes):
        for name in _SEARCHED_FIELDS.intersection(changes):
            setattr(dossier, name, changes[name])
        changes["search_text"] = dossier.folded_search_text()
    save_versioned(dossier, expected_version, changes, ConcurrentChange(_RELOAD))


def _event(
    dossier: Dossier,
    event: str,
    *,
    at: dt.datetime,
    actor: Any,
    from_state: str = "",
    to_state: str = "",
    unit: Unit | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> DossierEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    created = DossierEvent.objects.create(
        dossier=dossier,
        kind=_EVENT_KINDS[Event(event)],
        at=at,
        actor=user,
        actor_name=(user.get_username() if user else str(actor or "system")),
        unit=unit,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
    )
    notify_applicant(created)  # e-mail, SMS, Zalo to the applicant, sent after the commit
    state_changed.send(sender=Dossier, dossier=dossier, event=created)  # national outbox
    return created


def _refresh_clock(dossier: Dossier) -> dict[str, Any]:
    """Recompute the cached due instants from the ledger."""
    return due_fields(dossier_clock(dossier, explain=False))


def allocate_code(unit: Unit, day: dt.date) -> str:
    """Next dossier code `<unit code>-<yyMMdd>-<NNNN>` (atomic, unique, never reused)."""
    with transaction.atomic():
        # An UPDATE first takes the write lock (row lock on PostgreSQL, database lock on
        # SQLite), so two receipts at once cannot read the same number.
        bumped = DossierCodeCounter.objects.filter(unit=unit, day=day).update(last=F("last") + 1)
        if not bumped:
            try:
                with transaction.atomic():
                    DossierCodeCounter.objects.create(unit=unit, day=day, last=1)
            except IntegrityError:
                DossierCodeCounter.objects.filter(unit=unit, day=day).update(last=F("last") + 1)
        number = DossierCodeCounter.objects.get(unit=unit, day=day).last
    if number > 9999:
        raise DossierError(f"{unit.code} đã cấp quá 9999 mã hồ sơ trong ngày {day:%d/%m/%Y}")
    return f"{unit.code}-{day:%y%m%d}-{number:04d}"


def default_competent_unit(procedure: Procedure, receiving_unit: Unit, day: dt.date) -> Unit | None:
    """The unit that decides, when the officer does not name it: the receiving unit or the
    unit hosting its desk if competent, else the first competent unit in force that day."""
    competent = [u for u in procedure.competent_units.order_by("pk") if u.is_valid_on(day)]
    chain = [receiving_unit]
    while chain[-1].parent_id is not None and chain[-1].level == "subunit":
        chain.append(chain[-1].parent)  # type: ignore[arg-type]
    for unit in chain:
        if unit in competent:
            return unit
    return competent[0] if competent else None


def _new_dossier(
    *,
    procedure: Procedure,
    receiving_unit: Unit,
    applicant: dict[str, str],
    channel: str,
    submitted_by: str,
    state: str,
    at: dt.datetime,
    competent_unit: Unit | None,
    submission_point: Unit | None,
    applicant_user: Any = None,
) -> Dossier:
    if channel not in Channel.values:
        raise DossierError(f"kênh nộp “{channel}” không hợp lệ", field="channel")
    if submitted_by not in SubmittedBy.values:
        raise DossierError(f"người nộp “{submitted_by}” không hợp lệ", field="submitted_by")
    name = _require_text(applicant.get("name"), "applicant_name", "cần ghi họ tên người nộp hồ sơ")
    day = to_local(at).date()
    if not receiving_unit.is_valid_on(day):
        raise DossierError(
            f"{receiving_unit.name} không còn hoạt động vào ngày {day:%d/%m/%Y}",
            field="receiving_unit",
        )
    version: ProcedureVersion = current_version(procedure)
    if competent_unit is None:
        competent_unit = default_competent_unit(procedure, receiving_unit, day)
    return Dossier(
        procedure=procedure,
        procedure_version=version,
        field_id=procedure.field_id,
        **frozen_time_limit(procedure, version.data, channel),
        rule_version=rule_version_on(to_local(at).date()),
        state=state,
        channel=channel,
        submitted_by=submitted_by,
        submission_point=submission_point,
        receiving_unit=receiving_unit,
        competent_unit=competent_unit,
        current_unit=receiving_unit,
        applicant_name=name,
        applicant_id_number=(applicant.get("id_number") or "").strip(),
        applicant_phone=(applicant.get("phone") or "").strip(),
        applicant_email=(applicant.get("email") or "").strip(),
        applicant_address=nfc(applicant.get("address") or ""),
        owner_name=nfc(applicant.get("owner_name") or ""),
        applicant_user=applicant_user,
    )


# -- before receipt --------------------------------------------------------------------------


def create_draft(
    *,
    procedure: Procedure,
    receiving_unit: Unit,
    applicant: dict[str, str],
    channel: str = Channel.ONLINE,
    submitted_by: str = SubmittedBy.APPLICANT,
    actor: Any = None,
    applicant_user: Any = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """An online dossier being prepared; it has no code until it is submitted."""
    at = _now(at)
    _check_transition(None, Event.CREATE_DRAFT)
    if not procedure.published:
        raise DossierError("thủ tục chưa được công khai", field="procedure")
    with transaction.atomic():
        dossier = _new_dossier(
            procedure=procedure,
            receiving_unit=receiving_unit,
            applicant=applicant,
            channel=channel,
            submitted_by=submitted_by,
            state=State.DRAFT,
            at=at,
            competent_unit=None,
            submission_point=None,
            applicant_user=applicant_user,
        )
        dossier.save()
        _event(dossier, Event.CREATE_DRAFT, at=at, actor=actor, to_state=State.DRAFT)
        return dossier


def submit_dossier(
    *,
    dossier: Dossier | None = None,
    procedure: Procedure | None = None,
    receiving_unit: Unit | None = None,
    applicant: dict[str, str] | None = None,
    channel: str = Channel.ONLINE,
    submitted_by: str = SubmittedBy.APPLICANT,
    actor: Any = None,
    applicant_user: Any = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Submit a draft, a new online/postal dossier, or the missing items after a completion
    request. The dossier code is issued at the first submission and never changes."""
    at = _now(at)
    with transaction.atomic():
        if dossier is None:
            if procedure is None or receiving_unit is None or applicant is None:
                raise DossierError("cần thủ tục, nơi tiếp nhận và người nộp", field="procedure")
            dossier = create_draft(
                procedure=procedure,
                receiving_unit=receiving_unit,
                applicant=applicant,
                channel=channel,
                submitted_by=submitted_by,
                actor=actor,
                applicant_user=applicant_user,
                at=at,
            )
        dossier = _locked(dossier)
        target = _check_transition(dossier, Event.SUBMIT)
        _not_before_last_event(dossier, at)
        previous = dossier.state
        changes: dict[str, Any] = {"state": target, "submitted_at": at}
        if not dossier.code:
            changes["code"] = allocate_code(dossier.receiving_unit, to_local(at).date())
            changes["rule_version"] = rule_version_on(to_local(at).date())
        _save(dossier, dossier.lock_version, **changes)
        _event(dossier, Event.SUBMIT, at=at, actor=actor, from_state=previous, to_state=target)
        return dossier


def receive_dossier(
    *,
    actor: Any,
    dossier: Dossier | None = None,
    procedure: Procedure | None = None,
    receiving_unit: Unit | None = None,
    applicant: dict[str, str] | None = None,
    channel: str = Channel.DIRECT,
    submitted_by: str = SubmittedBy.APPLICANT,
    competent_unit: Unit | None = None,
    at: dt.datetime | None = None,
    components: list[dict[str, Any]] | None = None,
    fee_counts: dict[str, Any] | None = None,
    identity_source: str | None = None,
    edata_linked: bool | None = None,
) -> Dossier:
    """Valid receipt: a walk-in (no dossier yet) or a submitted dossier. The clock starts.

    `components` lists the papers handed in (see `components.received_rows`); they become
    `ReceivedComponent` rows. None records none (callers that do not track papers); a list
    must hold at least one paper unless the procedure has no components. `fee_counts`
    (pages, copies, items) is what the fee is computed from on the day of receipt.
    `identity_source` (an `IdentitySource` code, "" = verified through neither) and
    `edata_linked` are the 766 digitization facts of the receipt; None leaves them as they are.
    """
    at = _now(at)
    digitization = _digitization_facts(identity_source, edata_linked)
    with transaction.atomic():
        rows = None
        if components is not None:
            which = procedure if dossier is None else dossier.procedure
            if which is None:
                raise DossierError("cần thủ tục, nơi tiếp nhận và người nộp", field="procedure")
            rows = received_rows(which, components, DossierError)
        if dossier is None:
            if procedure is None or receiving_unit is None or applicant is None:
                raise DossierError("cần thủ tục, nơi tiếp nhận và người nộp", field="procedure")
            _check_transition(None, Event.RECEIVE)
            _check_actor(actor, Event.RECEIVE, [receiving_unit])
            if not procedure.published:
                raise DossierError("thủ tục chưa được công khai", field="procedure")
            dossier = _new_dossier(
                procedure=procedure,
                receiving_unit=receiving_unit,
                applicant=applicant,
                channel=channel,
                submitted_by=submitted_by,
                state=State.RECEIVED,
                at=at,
                competent_unit=competent_unit,
                submission_point=receiving_unit if channel == Channel.DIRECT else None,
            )
            dossier.code = allocate_code(receiving_unit, to_local(at).date())
            dossier.submitted_at = at
            dossier.received_at = at
            for name, value in digitization.items():
                setattr(dossier, name, value)
            dossier.save()
            previous = ""
        else:
            dossier = _locked(dossier)
            _check_transition(dossier, Event.RECEIVE)
            _check_actor(actor, Event.RECEIVE, [dossier.receiving_unit])
            if dossier.submitted_at and at < dossier.submitted_at:
                raise DossierError("thời điểm tiếp nhận trước thời điểm nộp", field="at")
            previous = dossier.state
            changes: dict[str, Any] = {
                "state": State.RECEIVED,
                "received_at": at,
                "rule_version": rule_version_on(to_local(at).date()),
                # the limit of the dossier's channel under the version it was received under
                **(spec_time_limit(dossier.procedure_version.data, dossier.channel) or {}),
                **digitization,
            }
            if competent_unit is not None:
                changes["competent_unit"] = competent_unit
            _save(dossier, dossier.lock_version, **changes)
        if rows is not None:
            dossier.components.all().delete()
            for row in rows:
                row.dossier = dossier
            ReceivedComponent.objects.bulk_create(rows)
        _apply_fee(dossier, fee_counts)
        clock = dossier_clock(dossier, explain=False)
        Dossier.objects.filter(pk=dossier.pk).update(**due_fields(clock))
        for name, value in due_fields(clock).items():
            setattr(dossier, name, value)
        _event(
            dossier,
            Event.RECEIVE,
            at=at,
            actor=actor,
            from_state=previous,
            to_state=State.RECEIVED,
            unit=dossier.receiving_unit,
            data={
                "statutory_due": clock.statutory_due.isoformat()
                if clock and clock.statutory_due
                else None,
                **({"components": [r.name for r in rows]} if rows is not None else {}),
                "identity_source": dossier.identity_source,
                "edata_linked": dossier.edata_linked,
            },
        )
        fault_point("dossier.receive")  # kill tests only (motcua/lib/faults.py)
        return dossier


def _digitization_facts(identity_source: str | None, edata_linked: bool | None) -> dict[str, Any]:
    """The 766 digitization fields a receipt sets (statistics.md §5.3); DossierError if unknown."""
    facts: dict[str, Any] = {}
    if identity_source is not None:
        code = identity_source.strip()
        if code and code not in IdentitySource.values:
            raise DossierError(
                f"cách xác thực danh tính “{code}” không có trong danh mục",
                field="identity_source",
            )
        facts["identity_source"] = code
    if edata_linked is not None:
        facts["edata_linked"] = bool(edata_linked)
    return facts


def _apply_fee(dossier: Dossier, counts: dict[str, Any] | None) -> None:
    """Freeze the fee computed on the day of receipt (motcua.dossiers.fees)."""
    try:
        fields = fee_fields(dossier, counts)
    except ValueError as exc:
        raise DossierError(str(exc), field="fee_counts") from None
    Dossier.objects.filter(pk=dossier.pk).update(**fields)
    for name, value in fields.items():
        setattr(dossier, name, value)


def request_completion(
    *, dossier: Dossier, actor: Any, items: list[str], reason: str, at: dt.datetime | None = None
) -> Dossier:
    """One written request listing everything missing, before receipt (form 02)."""
    return _simple(
        dossier,
        Event.REQUEST_COMPLETION,
        actor=actor,
        at=at,
        note=_require_text(reason, "reason", "cần ghi lý do"),
        data={"items": _require_items(items)},
    )


def refuse_at_intake(
    *,
    actor: Any,
    reason: str,
    dossier: Dossier | None = None,
    procedure: Procedure | None = None,
    receiving_unit: Unit | None = None,
    applicant: dict[str, str] | None = None,
    channel: str = Channel.DIRECT,
    at: dt.datetime | None = None,
) -> Dossier:
    """Refusal by the desk with a written reason (form 03); never counted as received."""
    at = _now(at)
    text = _require_text(reason, "reason", "từ chối tiếp nhận phải ghi rõ lý do")
    if dossier is not None:
        return _simple(dossier, Event.REFUSE_AT_INTAKE, actor=actor, at=at, note=text, finish=True)
    if procedure is None or receiving_unit is None or applicant is None:
        raise DossierError("cần thủ tục, nơi tiếp nhận và người nộp", field="procedure")
    _check_actor(actor, Event.REFUSE_AT_INTAKE, [receiving_unit])
    with transaction.atomic():
        new = _new_dossier(
            procedure=procedure,
            receiving_unit=receiving_unit,
            applicant=applicant,
            channel=channel,
            submitted_by=SubmittedBy.APPLICANT,
            state=State.REFUSED_AT_INTAKE,
            at=at,
            competent_unit=None,
            submission_point=receiving_unit,
        )
        new.code = allocate_code(receiving_unit, to_local(at).date())
        new.submitted_at = at
        new.finished_at = at
        new.save()
        _event(new, Event.REFUSE_AT_INTAKE, at=at, actor=actor, to_state=new.state, note=text)
        return new


def _require_items(items: list[str] | None) -> list[str]:
    cleaned = [nfc(i) for i in (items or []) if nfc(i)]
    if not cleaned:
        raise DossierError("cần liệt kê đầy đủ các thành phần còn thiếu", field="items")
    return cleaned


def _simple(
    dossier: Dossier,
    event: str,
    *,
    actor: Any,
    at: dt.datetime | None,
    note: str = "",
    data: dict[str, Any] | None = None,
    finish: bool = False,
    extra: dict[str, Any] | None = None,
) -> Dossier:
    """A transition that only changes the state (and maybe finishes the dossier)."""
    at = _now(at)
    with transaction.atomic():
        dossier, target = _begin(dossier, event, actor=actor, at=at)
        previous = dossier.state
        changes: dict[str, Any] = {"state": target, **(extra or {})}
        if finish:
            changes["finished_at"] = at
            # an open pause ends when the dossier ends
            ClockPause.objects.filter(dossier=dossier, closed_at__isnull=True).update(closed_at=at)
        _save(dossier, dossier.lock_version, **changes)
        _event(
            dossier,
            event,
            at=at,
            actor=actor,
            from_state=previous,
            to_state=target,
            unit=dossier.current_unit,
            note=note,
            data=data,
        )
        return dossier


def _begin(dossier: Dossier, event: str, *, actor: Any, at: dt.datetime) -> tuple[Dossier, str]:
    """The common start of an event on an existing dossier: lock and re-read it, check the
    transition table, the actor's permission and the order of instants; return the dossier
    and the state the event leads to."""
    dossier = _locked(dossier)
    target = _check_transition(dossier, event)
    _check_actor(actor, event, _units_of(dossier))
    _not_before_last_event(dossier, at)
    return dossier, target


def _not_before_last_event(dossier: Dossier, at: dt.datetime) -> None:
    early = DossierError("thời điểm ghi nhận sớm hơn sự kiện trước đó của hồ sơ", field="at")
    check_not_before(dossier.events.all(), at, early)


# -- processing ------------------------------------------------------------------------------


def _record_reception_step(
    dossier: Dossier, steps: list[dict[str, Any]], *, at: dt.datetime
) -> None:
    """The desk's own step 1 ("Tiếp nhận hồ sơ …"), from receipt to the first hand-over.

    The control slip's first row is the desk receiving the dossier from the applicant, then
    the desk handing it over: the first transfer starts step 2 at the processing unit, never
    "1. Tiếp nhận" at that unit. Only when the procedure's process begins with such a step.
    """
    first = next((s for s in steps if s.get("order") == 1), None)
    if first is None or len(steps) < 2 or not fold(first.get("name", "")).startswith("tiep nhan"):
        return
    receipt = dossier.events.filter(kind=_EVENT_KINDS[Event.RECEIVE]).order_by("at", "id").first()
    officer = receipt.actor if receipt is not None else None
    StepRecord.objects.create(
        dossier=dossier,
        order=1,
        name=first.get("name") or "Bước 1",
        unit=dossier.receiving_unit,
        budget_minutes=first.get("budget_minutes"),
        started_at=dossier.received_at or at,
        ended_at=at,
        received_by=officer if getattr(officer, "is_authenticated", False) else None,
    )
    dossier.current_step = 1


def transfer_dossier(
    *,
    dossier: Dossier,
    actor: Any,
    to_unit: Unit,
    step_order: int | None = None,
    note: str = "",
    received_by: Any = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Hand the dossier to the next step and unit; the control slip gets a row."""
    at = _now(at)
    with transaction.atomic():
        dossier, target = _begin(dossier, Event.TRANSFER, actor=actor, at=at)
        steps = dossier.procedure_version.data.get("steps", [])
        if step_order is None and dossier.current_step is None:
            _record_reception_step(dossier, steps, at=at)
        order = step_order or (dossier.current_step or 0) + 1
        spec = next((s for s in steps if s.get("order") == order), None)
        open_step = dossier.steps.filter(ended_at__isnull=True).order_by("-started_at").first()
        if open_step is not None:
            # `given_by` stays who handed the dossier INTO that step (the control slip's giver).
            StepRecord.objects.filter(pk=open_step.pk).update(ended_at=at)
        StepRecord.objects.create(
            dossier=dossier,
            order=order,
            name=(spec or {}).get("name") or f"Bước {order}",
            unit=to_unit,
            budget_minutes=(spec or {}).get("budget_minutes"),
            started_at=at,
            given_by=actor if getattr(actor, "is_authenticated", False) else None,
            received_by=received_by,
            note=nfc(note),
        )
        previous = dossier.state
        moved: dict[str, Any] = {}
        if to_unit.pk != dossier.current_unit_id and dossier.assignee_id is not None:
            # The officer named at the old unit keeps the dossier only if they also work at
            # the new one (a desk hands a birth registration to the commune whose civil-status
            # officer it already named); otherwise the new unit assigns it anew.
            from motcua.dossiers.assignment import unit_members

            members = unit_members(to_unit, on=to_local(at).date())
            if not members.filter(pk=dossier.assignee_id).exists():
                moved = {"assignee": None, "assigned_at": None}
        _save(
            dossier,
            dossier.lock_version,
            state=target,
            current_unit=to_unit,
            current_step=order,
            **moved,
        )
        _event(
            dossier,
            Event.TRANSFER,
            at=at,
            actor=actor,
            from_state=previous,
            to_state=target,
            unit=to_unit,
            note=nfc(note),
            data={"step": order, "to_unit": to_unit.code},
        )
        return dossier


def request_supplement(
    *,
    dossier: Dossier,
    actor: Any,
    items: list[str],
    reason: str,
    justification: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """One written request listing every item to supplement; the clock pauses (form 02)."""
    at = _now(at)
    items = _require_items(items)
    reason = _require_text(reason, "reason", "cần ghi lý do yêu cầu bổ sung")
    with transaction.atomic():
        dossier, target = _begin(dossier, Event.REQUEST_SUPPLEMENT, actor=actor, at=at)
        unit = dossier.current_unit
        earlier = ClockPause.objects.filter(
            dossier=dossier, kind=PauseKind.SUPPLEMENT, unit=unit
        ).exists()
        if earlier and not nfc(justification):
            raise DossierError(
                "đơn vị đã yêu cầu bổ sung hồ sơ này một lần; lần nữa phải ghi rõ lý do",
                field="justification",
            )
        ClockPause.objects.create(
            dossier=dossier,
            kind=PauseKind.SUPPLEMENT,
            opened_at=at,
            unit=unit,
            items=items,
            reason=reason,
            justification=nfc(justification),
        )
        previous = dossier.state
        _save(
            dossier,
            dossier.lock_version,
            state=target,
            supplement_count=dossier.supplement_count + 1,
            **_refresh_clock(dossier),
        )
        _event(
            dossier,
            Event.REQUEST_SUPPLEMENT,
            at=at,
            actor=actor,
            from_state=previous,
            to_state=target,
            unit=unit,
            note=reason,
            data={"items": items, "repeated": earlier},
        )
        return dossier


def _close_pause(
    dossier: Dossier, event: str, *, actor: Any, at: dt.datetime | None, note: str = ""
) -> Dossier:
    at = _now(at)
    with transaction.atomic():
        dossier, target = _begin(dossier, event, actor=actor, at=at)
        ClockPause.objects.filter(dossier=dossier, closed_at__isnull=True).update(closed_at=at)
        previous = dossier.state
        _save(dossier, dossier.lock_version, state=target, **_refresh_clock(dossier))
        _event(
            dossier,
            event,
            at=at,
            actor=actor,
            from_state=previous,
            to_state=target,
            unit=dossier.current_unit,
            note=note,
            data={
                "statutory_due": dossier.statutory_due.isoformat()
                if dossier.statutory_due
                else None
            },
        )
        return dossier


def resume_dossier(
    *, dossier: Dossier, actor: Any, note: str = "", at: dt.datetime | None = None
) -> Dossier:
    """The supplement was received: the clock resumes with the time already consumed kept."""
    return _close_pause(dossier, Event.RESUME, actor=actor, at=at, note=nfc(note))


def request_payment(
    *,
    dossier: Dossier,
    actor: Any,
    amount: int,
    legal_basis: str,
    pauses_clock: bool = False,
    at: dt.datetime | None = None,
) -> Dossier:
    """Ask the applicant to pay taxes or fees before the result (clock paused if the rules say)."""
    at = _now(at)
    if not isinstance(amount, int) or amount <= 0:
        raise DossierError("số tiền phải là số nguyên dương (đồng)", field="amount")
    basis = _require_text(legal_basis, "legal_basis", "cần ghi căn cứ thu")
    with transaction.atomic():
        dossier, target = _begin(dossier, Event.REQUEST_PAYMENT, actor=actor, at=at)
        if pauses_clock:
            ClockPause.objects.create(
                dossier=dossier, kind=PauseKind.PAYMENT, opened_at=at, unit=dossier.current_unit
            )
        previous = dossier.state
        _save(dossier, dossier.lock_version, state=target, **_refresh_clock(dossier))
        _event(
            dossier,
            Event.REQUEST_PAYMENT,
            at=at,
            actor=actor,
            from_state=previous,
            to_state=target,
            unit=dossier.current_unit,
            note=basis,
            data={"amount": amount, "pauses_clock": pauses_clock},
        )
        return dossier


def confirm_payment(
    *, dossier: Dossier, actor: Any, reference: str, at: dt.datetime | None = None
) -> Dossier:
    """Proof of payment received; processing (and the clock, if paused) resumes."""
    ref = _require_text(reference, "reference", "cần ghi số chứng từ nộp tiền")
    return _close_pause(dossier, Event.CONFIRM_PAYMENT, actor=actor, at=at, note=ref)


def issue_apology(
    *,
    dossier: Dossier,
    actor: Any,
    reason: str,
    new_due: dt.datetime,
    delaying_unit: Unit | None = None,
    at: dt.datetime | None = None,
) -> Apology:
    """An apology with one new appointment (form 04). Extends the promise once, before the due."""
    at = _now(at)
    reason = _require_text(reason, "reason", "văn bản xin lỗi phải ghi rõ lý do")
    if timezone.is_naive(new_due):
        raise DossierError("ngày hẹn mới phải có múi giờ", field="new_due")
    with transaction.atomic():
        dossier, _ = _begin(dossier, Event.ISSUE_APOLOGY, actor=actor, at=at)
        if dossier.apologies.filter(grants_extension=True).exists():
            raise TransitionNotAllowed("hồ sơ đã được hẹn lại một lần; không được gia hạn lần hai")
        current = dossier_clock(dossier, explain=False)
        assert current is not None
        refusal = extension_refusal(current, new_due, at)
        flag = ""
        if refusal:
            flag = refusal
        elif (
            current.statutory_due is not None
            and to_local(at).date() >= to_local(current.statutory_due).date()
        ):
            # Decree 61/2018: no later than one day before the deadline.
            flag = "xin lỗi muộn: chậm nhất phải trước hạn giải quyết 01 ngày"
        apology = Apology.objects.create(
            dossier=dossier,
            issued_at=at,
            new_due=new_due,
            reason=reason,
            delaying_unit=delaying_unit,
            grants_extension=not refusal,
            flagged=bool(flag),
            flag_reason=flag,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _save(dossier, dossier.lock_version, **_refresh_clock(dossier))
        _event(
            dossier,
            Event.ISSUE_APOLOGY,
            at=at,
            actor=actor,
            from_state=dossier.state,
            to_state=dossier.state,
            unit=dossier.current_unit,
            note=reason,
            data={
                "new_due": new_due.isoformat(),
                "grants_extension": not refusal,
                "flag": flag,
                "delaying_unit": delaying_unit.code if delaying_unit else None,
            },
        )
        return apology


# -- endings -----------------------------------------------------------------------------------


def resolve_dossier(
    *, dossier: Dossier, actor: Any, note: str = "", at: dt.datetime | None = None
) -> Dossier:
    """The result is signed and ready: the clock finishes."""
    return _finish(dossier, Event.RESOLVE, actor=actor, at=at, note=nfc(note))


def return_result(
    *,
    dossier: Dossier,
    actor: Any,
    recipient: str,
    delivery: str = "desk",
    postal_consignment: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """The result is handed over at the desk, sent by post or returned electronically.

    Electronic return needs the result file on the dossier (it is what the applicant
    downloads from their account); postal return needs the consignment number.
    """
    who = _require_text(recipient, "recipient", "cần ghi người nhận kết quả")
    if delivery not in Delivery.values:
        raise DossierError("hình thức trả kết quả không hợp lệ", field="delivery")
    consignment = nfc(postal_consignment or "") if delivery == Delivery.POSTAL else ""
    if delivery == Delivery.POSTAL and not consignment:
        raise DossierError(
            "trả kết quả qua bưu chính phải ghi số hiệu bưu gửi", field="postal_consignment"
        )
    if delivery == Delivery.ELECTRONIC and not dossier.files.filter(kind=FileKind.RESULT).exists():
        raise DossierError(
            "trả kết quả điện tử cần tệp kết quả: hãy tải tệp kết quả lên hồ sơ trước",
            field="delivery",
        )
    at = _now(at)
    data = {"delivery": delivery}
    if consignment:
        data["postal_consignment"] = consignment
    return _simple(
        dossier,
        Event.RETURN_RESULT,
        actor=actor,
        at=at,
        note=who,
        data=data,
        extra={"returned_at": at, "delivery": delivery, "postal_consignment": consignment},
    )


def refuse_dossier(
    *, dossier: Dossier, actor: Any, reason: str, at: dt.datetime | None = None
) -> Dossier:
    """Refusal after receipt; the written reason citing the legal ground is mandatory."""
    text = _require_text(reason, "reason", "trả lại hồ sơ phải ghi rõ lý do và căn cứ")
    return _finish(dossier, Event.REFUSE, actor=actor, at=at, note=text)


def withdraw_dossier(
    *, dossier: Dossier, actor: Any, reason: str, at: dt.datetime | None = None
) -> Dossier:
    """The applicant's written request to withdraw, recorded by the desk."""
    text = _require_text(reason, "reason", "cần ghi nội dung đơn rút hồ sơ")
    return _finish(dossier, Event.WITHDRAW, actor=actor, at=at, note=text)


def stop_dossier(
    *, dossier: Dossier, actor: Any, reason: str, at: dt.datetime | None = None
) -> Dossier:
    """A written stop decision with its legal ground."""
    text = _require_text(reason, "reason", "dừng giải quyết phải ghi rõ căn cứ")
    return _finish(dossier, Event.STOP, actor=actor, at=at, note=text)


def _finish(
    dossier: Dossier, event: str, *, actor: Any, at: dt.datetime | None, note: str
) -> Dossier:
    at = _now(at)
    with transaction.atomic():
        dossier, target = _begin(dossier, event, actor=actor, at=at)
        assert target in FINISHED_STATES
        ClockPause.objects.filter(dossier=dossier, closed_at__isnull=True).update(closed_at=at)
        dossier.steps.filter(ended_at__isnull=True).update(ended_at=at)
        previous = dossier.state
        was_received = dossier.received_at is not None
        clock = _refresh_clock(dossier) if was_received else {}
        _save(dossier, dossier.lock_version, state=target, finished_at=at, **clock)
        late = bool(was_received and dossier.statutory_due and at > dossier.statutory_due)
        _event(
            dossier,
            event,
            at=at,
            actor=actor,
            from_state=previous,
            to_state=target,
            unit=dossier.current_unit,
            note=note,
            data={"late": late},
        )
        return dossier


# -- the applicant's evaluation (dossiers.md §12) ----------------------------------------------

RATING_CHANNELS = frozenset({"portal", "qr", "account"})
RATING_COMMENT_MAX = 2000


def rate_dossier(
    *,
    dossier: Dossier,
    satisfied: bool,
    scores: dict[str, int],
    comment: str = "",
    via: str,
    actor: Any = None,
    at: dt.datetime | None = None,
) -> Any:
    """The applicant's one evaluation of a returned dossier — đánh giá mức độ hài lòng.

    `scores` maps RatingCriterion codes to 1..RATING_SCALE_MAX (criteria left out are
    unanswered). Only after the result was returned, only once; the timeline event
    `dossier.rated` holds no personal data (no comment, no name). Returns the DossierRating.
    """
    # Imported here so that this block stays one self-contained insertion in the module.
    from motcua.dossiers.choices import RATING_SCALE_MAX, RatingCriterion
    from motcua.dossiers.models import DossierRating

    at = _now(at)
    if via not in RATING_CHANNELS:
        raise DossierError(f"kênh đánh giá “{via}” không hợp lệ", field="via")
    if not isinstance(satisfied, bool):
        raise DossierError("cần chọn hài lòng hoặc không hài lòng", field="satisfied")
    clean: dict[str, int] = {}
    for code, score in (scores or {}).items():
        if code not in RatingCriterion.values:
            raise DossierError(f"tiêu chí đánh giá “{code}” không tồn tại", field="scores")
        if isinstance(score, bool) or not isinstance(score, int):
            raise DossierError("điểm đánh giá phải là số nguyên", field="scores")
        if not 1 <= score <= RATING_SCALE_MAX:
            raise DossierError(f"điểm đánh giá phải từ 1 đến {RATING_SCALE_MAX}", field="scores")
        clean[str(code)] = score
    text = nfc(comment or "")
    if len(text) > RATING_COMMENT_MAX:
        raise DossierError(f"ý kiến dài tối đa {RATING_COMMENT_MAX} ký tự", field="comment")
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("receiving_unit")
            .get(pk=dossier.pk)
        )
        if dossier.state != State.RETURNED:
            raise TransitionNotAllowed(
                "chỉ đánh giá được sau khi hồ sơ đã trả kết quả", field="state"
            )
        if DossierRating.objects.filter(dossier=dossier).exists():
            raise TransitionNotAllowed("hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần")
        _not_before_last_event(dossier, at)
        user = actor if getattr(actor, "is_authenticated", False) else None
        try:
            with transaction.atomic():
                rating = DossierRating.objects.create(
                    dossier=dossier,
                    satisfied=satisfied,
                    scores=clean,
                    scale_max=RATING_SCALE_MAX,
                    comment=text,
                    via=via,
                    rated_at=at,
                    rated_by=user,
                )
        except IntegrityError:  # rated at the same moment by another request
            raise TransitionNotAllowed(
                "hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần"
            ) from None
        DossierEvent.objects.create(
            dossier=dossier,
            kind="dossier.rated",
            at=at,
            actor=user,
            actor_name="người nộp hồ sơ",
            unit=dossier.receiving_unit,
            data={"satisfied": satisfied, "scores": clean, "via": via, "commented": bool(text)},
        )
        return rating


# -- online applicants: draft details and fee payments (portal) -------------------------------

DRAFT_UPDATED = "dossier.draft_updated"
PAYMENT_RECORDED = "dossier.payment_recorded"
# A fee may be paid once the dossier is submitted and until its result is returned.
PAYABLE_STATES = frozenset(
    {
        State.SUBMITTED,
        State.AWAITING_COMPLETION,
        State.RECEIVED,
        State.IN_PROGRESS,
        State.SUPPLEMENT_REQUESTED,
        State.AWAITING_PAYMENT,
        State.RESOLVED,
    }
)


def _is_own_applicant(actor: Any, dossier: Dossier) -> bool:
    """Whether `actor` is the signed-in applicant the (online) dossier belongs to."""
    return (
        dossier.applicant_user_id is not None
        and getattr(actor, "is_authenticated", False)
        and actor.pk == dossier.applicant_user_id
    )


def update_draft(
    *,
    dossier: Dossier,
    actor: Any,
    applicant: dict[str, str] | None = None,
    receiving_unit: Unit | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Change a draft's applicant details or receiving unit before it is submitted."""
    at = _now(at)
    with transaction.atomic():
        dossier = _locked(dossier)
        if dossier.state != State.DRAFT:
            raise TransitionNotAllowed("chỉ sửa được hồ sơ đang ở trạng thái nháp")
        if actor is not None and not _is_own_applicant(actor, dossier):
            _check_actor(actor, Event.RECEIVE, _units_of(dossier))
        changes: dict[str, Any] = {}
        if applicant is not None:
            changes.update(
                applicant_name=_require_text(
                    applicant.get("name"), "applicant_name", "cần ghi họ tên người nộp hồ sơ"
                ),
                applicant_id_number=(applicant.get("id_number") or "").strip(),
                applicant_phone=(applicant.get("phone") or "").strip(),
                applicant_email=(applicant.get("email") or "").strip(),
                applicant_address=nfc(applicant.get("address") or ""),
                owner_name=nfc(applicant.get("owner_name") or ""),
            )
        if receiving_unit is not None and receiving_unit.pk != dossier.receiving_unit_id:
            day = to_local(at).date()
            if not receiving_unit.is_valid_on(day):
                raise DossierError(
                    f"{receiving_unit.name} không còn hoạt động vào ngày {day:%d/%m/%Y}",
                    field="receiving_unit",
                )
            changes.update(
                receiving_unit=receiving_unit,
                current_unit=receiving_unit,
                competent_unit=default_competent_unit(dossier.procedure, receiving_unit, day),
            )
        changed = sorted(k for k, v in changes.items() if getattr(dossier, k) != v)
        if not changed:
            return dossier
        _save(dossier, dossier.lock_version, **{k: changes[k] for k in changed})
        user = actor if getattr(actor, "is_authenticated", False) else None
        DossierEvent.objects.create(
            dossier=dossier,
            kind=DRAFT_UPDATED,
            at=at,
            actor=user,
            actor_name=user.get_username() if user else str(actor or "system"),
            from_state=dossier.state,
            to_state=dossier.state,
            data={"fields": changed},  # names only: the values are personal data
        )
        return dossier


def record_payment(
    *,
    dossier: Dossier,
    method: str,
    reference: str,
    amount: int,
    paid_at: dt.datetime,
    actor: Any = None,
) -> Any:
    """A fee or charge paid for the dossier (amount in đồng); a reference is recorded once.

    `actor` None is a payment gateway's confirmation; otherwise the dossier's own applicant
    or an officer who works the dossier. The state does not change (the officer's
    `confirm_payment` resumes a dossier awaiting payment). Returns the Payment.
    """
    # Imported here so that this block stays one self-contained insertion in the module.
    from motcua.dossiers.choices import PaymentMethod
    from motcua.dossiers.models import Payment

    if method not in PaymentMethod.values:
        raise DossierError(f"hình thức thanh toán “{method}” không hợp lệ", field="method")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise DossierError("số tiền phải là số nguyên dương (đồng)", field="amount")
    ref = _require_text(reference, "reference", "cần ghi mã giao dịch")
    if len(ref) > 100:
        raise DossierError("mã giao dịch dài tối đa 100 ký tự", field="reference")
    if paid_at is None:
        raise DossierError("cần ghi thời điểm thanh toán", field="paid_at")
    paid_at = _now(paid_at)
    duplicate = DossierError(f"giao dịch {ref} đã được ghi nhận trước đó", field="reference")
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("receiving_unit", "current_unit", "competent_unit")
            .get(pk=dossier.pk)
        )
        if dossier.state not in PAYABLE_STATES:
            label = State(dossier.state).label
            raise TransitionNotAllowed(
                f"không thể ghi nhận thanh toán khi hồ sơ ở trạng thái “{label}”"
            )
        if actor is not None and not _is_own_applicant(actor, dossier):
            working = (Action.RECEIVE, Action.PROCESS)
            if not any(can(actor, a, u) for a in working for u in _units_of(dossier)):
                raise ActionForbidden("bạn không có quyền ghi nhận thanh toán cho hồ sơ này")
        if Payment.objects.filter(method=method, reference=ref).exists():
            raise duplicate
        user = actor if getattr(actor, "is_authenticated", False) else None
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    dossier=dossier,
                    method=method,
                    reference=ref,
                    amount=amount,
                    paid_at=paid_at,
                    recorded_by=user,
                )
        except IntegrityError:  # the same reference confirmed twice at once
            raise duplicate from None
        DossierEvent.objects.create(
            dossier=dossier,
            kind=PAYMENT_RECORDED,
            at=timezone.now(),
            actor=user,
            actor_name=user.get_username() if user else str(actor or "system"),
            unit=dossier.current_unit,
            from_state=dossier.state,
            to_state=dossier.state,
            data={
                "method": method,
                "reference": ref,
                "amount": amount,
                "paid_at": paid_at.isoformat(),
            },
        )
        return payment


SERVICES_BY_EVENT = {
    Event.CREATE_DRAFT: create_draft,
    Event.SUBMIT: submit_dossier,
    Event.RECEIVE: receive_dossier,
    Event.REQUEST_COMPLETION: request_completion,
    Event.REFUSE_AT_INTAKE: refuse_at_intake,
    Event.TRANSFER: transfer_dossier,
    Event.REQUEST_SUPPLEMENT: request_supplement,
    Event.RESUME: resume_dossier,
    Event.REQUEST_PAYMENT: request_payment,
    Event.CONFIRM_PAYMENT: confirm_payment,
    Event.ISSUE_APOLOGY: issue_apology,
    Event.RESOLVE: resolve_dossier,
    Event.RETURN_RESULT: return_result,
    Event.REFUSE: refuse_dossier,
    Event.WITHDRAW: withdraw_dossier,
    Event.STOP: stop_dossier,
}
