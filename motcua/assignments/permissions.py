"""Who may act on a task, answered through the one policy (`motcua.people.policy`)."""

from __future__ import annotations

from typing import Any

from motcua.assignments.models import Task
from motcua.people.policy import Action, can
from motcua.people.scope import current_graph

REPORT_ACTIONS = frozenset({"progress", "complete"})
DECIDE_ACTIONS = frozenset({"confirm", "return", "cancel", "extend"})


def may_report(user: Any, task: Task) -> bool:
    """The lead unit's people (process right) report progress and completion."""
    return can(user, Action.PROCESS, task.lead_unit)


def may_decide(user: Any, task: Task) -> bool:
    """The issuer's tracking office confirms, returns, cancels and records extensions.

    For the Government's and the Prime Minister's tasks, the province's office records the
    Government Office's decisions (confirm right on the province).
    """
    issuer = task.document.issuer_unit_id or current_graph().root(task.lead_unit_id)
    return can(user, Action.CONFIRM, issuer)


def may(user: Any, action: str, task: Task) -> bool:
    """Whether `user` may run `action` (a key of REPORT_ACTIONS or DECIDE_ACTIONS) on `task`."""
    if action in REPORT_ACTIONS:
        return may_report(user, task)
    return action in DECIDE_ACTIONS and may_decide(user, task)
