"""Every write to units: each one change-logged in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from motcua.audit.services import record_change, snapshot
from motcua.units.models import Unit, UnitSuccession


class UnitError(Exception):
    """A unit change that the rules forbid."""


def save_unit(
    unit: Unit | None,
    *,
    code: str,
    parent: Unit | None,
    actor: Any = None,
    source: str = "",
    reason: str = "",
    **fields: Any,
) -> tuple[Unit, str]:
    """Create the unit or update the given one; return it and 'created'/'updated'/'unchanged'."""
    with transaction.atomic():
        if unit is None:
            unit = Unit(code=code, parent=parent, **fields)
            unit.full_clean(validate_unique=True, validate_constraints=False)
            unit.save()
            record_change(
                obj=unit, action="create", actor=actor, after=snapshot(unit), source=source
            )
            return unit, "created"
        before = snapshot(unit)
        unit.parent = parent
        for name, value in fields.items():
            setattr(unit, name, value)
        after = snapshot(unit)
        if after == before:
            return unit, "unchanged"
        unit.full_clean(validate_unique=False, validate_constraints=False)
        unit.save()
        record_change(
            obj=unit,
            action="update",
            actor=actor,
            before=before,
            after=after,
            source=source,
            reason=reason,
        )
        return unit, "updated"


def link_successor(
    *,
    predecessor: Unit,
    successor: Unit,
    effective_date: dt.date,
    kind: str = "merge",
    is_principal: bool = True,
    legal_basis: str = "",
    note: str = "",
    kind_text: str = "",
    actor: Any = None,
    source: str = "",
) -> UnitSuccession:
    """Record that `predecessor` passed (wholly or partly) into `successor`."""
    if predecessor.pk == successor.pk:
        raise UnitError("a unit cannot succeed itself")
    with transaction.atomic():
        link = UnitSuccession.objects.create(
            predecessor=predecessor,
            successor=successor,
            effective_date=effective_date,
            kind=kind,
            is_principal=is_principal,
            legal_basis=legal_basis,
            note=note,
            kind_text=kind_text,
        )
        record_change(obj=link, action="create", actor=actor, after=snapshot(link), source=source)
        return link


SUCCESSION_FIELDS = ("effective_date", "kind", "kind_text", "is_principal", "legal_basis", "note")


def update_succession(
    link: UnitSuccession, *, actor: Any = None, source: str = "", **fields: Any
) -> bool:
    """Change what a successor link says (kind, wording, legal basis, note ...); True if changed.

    The row is locked and the change logged with its before and after values.
    """
    unknown = set(fields) - set(SUCCESSION_FIELDS)
    if unknown:
        raise UnitError(f"cannot change {', '.join(sorted(unknown))} of a successor link")
    with transaction.atomic():
        link = UnitSuccession.objects.select_for_update().get(pk=link.pk)
        before = snapshot(link)
        for name, value in fields.items():
            setattr(link, name, value)
        after = snapshot(link)
        if after == before:
            return False
        link.full_clean(validate_unique=False, validate_constraints=False)
        link.save()
        record_change(
            obj=link, action="update", actor=actor, before=before, after=after, source=source
        )
        return True
