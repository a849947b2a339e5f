"""Who may see the 766 pages and configure the portal-unit mapping (through the one policy)."""

from __future__ import annotations

from typing import Any

from motcua.people.policy import Action, actions_for_role, can
from motcua.people.scope import current_graph, memberships_reaching


def may_see_index(user: Any) -> bool:
    """Whether the user may see figures somewhere (the nav link, the pages)."""
    return can(user, Action.VIEW)


def may_configure(user: Any) -> bool:
    """Whether the user may configure something (the mapping page)."""
    return can(user, Action.CONFIGURE)


def configure_unit_ids(user: Any) -> frozenset[int] | None:
    """The units whose configuration the user may change; None: every unit (superuser)."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return None
    if not may_configure(user):
        return frozenset()
    graph = current_graph()
    ids: set[int] = set()
    for m in memberships_reaching(user, None):
        if Action.CONFIGURE in actions_for_role(m.role):
            ids |= graph.reach(m.unit_id, m.role)
    return frozenset(ids)
