"""Assignment of a dossier to a named officer — phân công công chức giải quyết hồ sơ.

A dossier sits at a unit (`current_unit`); assignment names the officer of that unit who
works it (`Dossier.assignee`), so that "Của tôi" in the queue means "assigned to me". A leader
with the `assign` right assigns and reassigns; the one-stop desk may assign at receipt (before
the first hand-over); an officer of the holding unit takes an unassigned dossier. Every change
writes the timeline event `dossier.assigned` in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.dossiers.choices import OPEN_STATES, State
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import (
    ActionForbidden,
    DossierError,
    TransitionNotAllowed,
    _locked,
    _not_before_last_event,
    _now,
    _save,
)
from motcua.people.policy import Action, can
from motcua.units.models import Unit

ASSIGNED = "dossier.assigned"
# Dossiers somebody still works on: every open state but the draft, and a resolved one
# waiting to be returned (the same dossiers the queue's "Của tôi" tab lists).
ASSIGNABLE_STATES = frozenset(OPEN_STATES - {State.DRAFT}) | {State.RESOLVED}
_WORKING_ACTIONS = (Action.RECEIVE, Action.PROCESS, Action.APPROVE)


def holding_unit(dossier: Dossier) -> Unit:
    """The unit that holds the dossier now (the receiving desk until the first hand-over)."""
    return dossier.current_unit or dossier.receiving_unit


def unit_members(unit: Unit, *, on: dt.date | None = None) -> QuerySet[Any]:
    """Active officers of `unit`, of its sub-units (desk, divisions) and, when `unit` is a
    sub-unit, of the unit hosting it; by name, in one query."""
    from motcua.people.models import Membership

    day = on or timezone.localdate()
    where = Q(unit_id=unit.pk) | Q(unit__parent_id=unit.pk, unit__level="subunit")
    if unit.level == "subunit" and unit.parent_id is not None:
        where |= Q(unit_id=unit.parent_id)
    members = Membership.objects.active_on(day).filter(where)
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=members.values("user_id"))
        .order_by("full_name", "username")
    )


def may_assign(actor: Any, dossier: Dossier) -> bool:
    """A leader with the `assign` right over the holding unit, or the desk at receipt."""
    if dossier.state not in ASSIGNABLE_STATES:
        return False
    if can(actor, Action.ASSIGN, holding_unit(dossier)):
        return True
    at_receipt = dossier.state == State.RECEIVED and dossier.current_step is None
    return at_receipt and can(actor, Action.RECEIVE, dossier.receiving_unit)


def _could_take(actor: Any, dossier: Dossier) -> bool:
    """Unassigned, still worked on, and the actor has a working right at the holding unit."""
    if dossier.state not in ASSIGNABLE_STATES or dossier.assignee_id is not None:
        return False
    unit = holding_unit(dossier)
    return any(can(actor, action, unit) for action in _WORKING_ACTIONS)


def may_take(actor: Any, dossier: Dossier) -> bool:
    """An officer of the holding unit (with a working right there) and nobody assigned yet."""
    if not _could_take(actor, dossier):
        return False
    members = unit_members(holding_unit(dossier))
    return members.filter(pk=getattr(actor, "pk", None)).exists()


def _display(user: Any) -> str:
    return str(getattr(user, "full_name", "") or user.get_username())


def _write(
    dossier: Dossier, *, assignee: Any, actor: Any, at: dt.datetime, note: str, taken: bool
) -> Dossier:
    previous = dossier.assignee
    _save(dossier, dossier.lock_version, assignee=assignee, assigned_at=at)
    user = actor if getattr(actor, "is_authenticated", False) else None
    DossierEvent.objects.create(
        dossier=dossier,
        kind=ASSIGNED,
        at=at,
        actor=user,
        actor_name=user.get_username() if user else str(actor or "system"),
        unit=holding_unit(dossier),
        note=note,
        data={
            "assignee": assignee.get_username(),
            "assignee_name": _display(assignee),
            "previous": previous.get_username() if previous is not None else None,
            "previous_name": _display(previous) if previous is not None else None,
            "taken": taken,
        },
    )
    return dossier


def _check_state(dossier: Dossier) -> None:
    if dossier.state not in ASSIGNABLE_STATES:
        raise TransitionNotAllowed(
            f"không thể giao hồ sơ ở trạng thái “{State(dossier.state).label}”"
        )


def assign_dossier(
    *,
    dossier: Dossier,
    assignee: Any,
    actor: Any,
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """Assign (or reassign) the dossier to a named officer of the unit holding it."""
    at = _now(at)
    with transaction.atomic():
        dossier = _locked(dossier)
        _check_state(dossier)
        if actor is not None and not may_assign(actor, dossier):
            raise ActionForbidden("bạn không có quyền giao hồ sơ này cho công chức")
        unit = holding_unit(dossier)
        if assignee is None or not unit_members(unit).filter(pk=assignee.pk).exists():
            raise DossierError(
                f"người được giao phải là công chức của {unit.name}", field="assignee"
            )
        if dossier.assignee_id == assignee.pk:
            raise DossierError(f"hồ sơ đã được giao cho {_display(assignee)}", field="assignee")
        _not_before_last_event(dossier, at)
        return _write(
            dossier, assignee=assignee, actor=actor, at=at, note=(note or "").strip(), taken=False
        )


def take_dossier(*, dossier: Dossier, actor: Any, at: dt.datetime | None = None) -> Dossier:
    """The signed-in officer of the holding unit takes an unassigned dossier — nhận xử lý."""
    at = _now(at)
    with transaction.atomic():
        dossier = _locked(dossier)
        _check_state(dossier)
        if dossier.assignee_id is not None:
            raise TransitionNotAllowed(
                f"hồ sơ đã được giao cho {_display(dossier.assignee)}; "
                "hãy đề nghị lãnh đạo giao lại"
            )
        if not may_take(actor, dossier):
            raise ActionForbidden(
                f"chỉ công chức của {holding_unit(dossier).name} mới nhận xử lý được hồ sơ này"
            )
        _not_before_last_event(dossier, at)
        return _write(dossier, assignee=actor, actor=actor, at=at, note="", taken=True)


def find_assignee(dossier: Dossier, value: Any) -> Any:
    """The officer named by a username or an id among the holding unit's members, or None."""
    text = str(value or "").strip()
    if not text:
        return None
    members = unit_members(holding_unit(dossier))
    match = Q(username=text) | (Q(pk=int(text)) if text.isdigit() else Q(pk__in=[]))
    return members.filter(match).first()


def assignment_context(user: Any, dossier: Dossier) -> dict[str, Any]:
    """What the dossier page's assignment box shows: the officer, the choices, the buttons."""
    unit = holding_unit(dossier)
    assign, could_take = may_assign(user, dossier), _could_take(user, dossier)
    members = list(unit_members(unit)) if assign or could_take else []
    return {
        "may_assign": assign,
        "may_take": could_take and any(m.pk == user.pk for m in members),
        "members": members if assign else [],
        "holding_unit": unit,
    }
