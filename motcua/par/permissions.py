"""Who may see and plan a unit's PAR Index points, answered through the one policy.

A unit code of a set is a string (it need not exist in the unit tree). Staff with a
province-wide role (the Department of Home Affairs, the provincial office) see every unit of
a set; anyone else sees the units their `view` right reaches, so a unit officer sees their
own unit. Creating a task needs the right to create tasks for the unit (`confirm`, as
`motcua.assignments` asks of the issuer); setting an effort needs `process` or `confirm`.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from motcua.people.policy import PROVINCE_ROLES, Action, can
from motcua.units.models import Unit


def unit_for_code(code: str) -> Unit | None:
    """The unit of the tree with this code: the version valid today, else the latest one."""
    rows = Unit.objects.filter(code=code)
    return rows.valid_on(timezone.localdate()).first() or rows.order_by("-valid_from").first()


def _province_wide(user: Any) -> bool:
    from motcua.people.scope import memberships_reaching

    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return True
    if can(user, Action.APPRAISE):  # Home Affairs' appraisers score every unit of a set
        return True
    return any(
        m.role in PROVINCE_ROLES and can(user, Action.VIEW, m.unit_id)
        for m in memberships_reaching(user, None)
    )


def may_view_unit(user: Any, unit_code: str, unit: Unit | None = None) -> bool:
    """Whether `user` may see the unit's lost points, what-if and other indices."""
    if not can(user, Action.VIEW):
        return False
    if _province_wide(user):
        return True
    unit = unit or unit_for_code(unit_code)
    return unit is not None and can(user, Action.VIEW, unit)


def may_set_effort(user: Any, unit: Unit | None) -> bool:
    """Whether `user` may set the effort class of the unit's lost leaves."""
    return unit is not None and (can(user, Action.PROCESS, unit) or can(user, Action.CONFIRM, unit))


def may_create_task(user: Any, unit: Unit | None) -> bool:
    """Whether `user` may turn the unit's lost points into tasks (the tasks' create right)."""
    return unit is not None and can(user, Action.CONFIRM, unit)


def viewable_codes(user: Any, codes: list[str]) -> set[str]:
    """The unit codes among `codes` whose page `user` may open (one query for the tree)."""
    if not can(user, Action.VIEW):
        return set()
    if _province_wide(user):
        return set(codes)
    from motcua.people.scope import visible_unit_ids

    ids = visible_unit_ids(user)
    rows = Unit.objects.filter(code__in=codes)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return set(rows.values_list("code", flat=True))


# -- the process of §4 (rounds, self-assessment, appraisal) ------------------------------------


def may_run_process(user: Any) -> bool:
    """The Department of Home Affairs' appraisers: plan and close rounds, appraise every unit,
    publish. Whoever holds `appraise`, or a province-wide role that confirms results."""
    return can(user, Action.APPRAISE) or (_province_wide(user) and can(user, Action.CONFIRM))


def may_self_assess(user: Any, unit: Unit | None) -> bool:
    """A unit's officers fill its self-assessment (the `process` right on the unit)."""
    return unit is not None and can(user, Action.PROCESS, unit)


def may_approve_self(user: Any, unit: Unit | None) -> bool:
    """A leader of the unit approves or returns its self-assessment (`approve`)."""
    return unit is not None and can(user, Action.APPROVE, unit)
