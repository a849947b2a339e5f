"""The hook through which lower floors (units, audit) ask for a user's scope.

`motcua.people` computes scope and registers itself here when Django starts, so that models
below it can offer `visible_to(user)` without importing upwards.
"""

from __future__ import annotations

from collections.abc import Callable

ScopeFunction = Callable[[object], "frozenset[int] | None"]
_unit_scope: ScopeFunction | None = None


def register_unit_scope(function: ScopeFunction) -> None:
    """Install the function answering which unit ids a user may see (None = all)."""
    global _unit_scope
    _unit_scope = function


def visible_unit_ids(user: object) -> frozenset[int] | None:
    """Ids of the units whose records `user` may see; None means every unit."""
    if _unit_scope is None:
        raise RuntimeError("no unit scope registered: is motcua.people in INSTALLED_APPS?")
    return _unit_scope(user)


_can: Callable[[object, str], bool] | None = None


def register_policy(function: Callable[[object, str], bool]) -> None:
    """Install the function answering whether a user may perform a named action."""
    global _can
    _can = function


def can(user: object, action: str) -> bool:
    """Whether `user` may perform the named action somewhere in their scope."""
    if _can is None:
        raise RuntimeError("no policy registered: is motcua.people in INSTALLED_APPS?")
    return _can(user, action)
