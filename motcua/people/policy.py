"""The permission policy: named actions granted to roles. The only place role names mean rights."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from motcua.people.choices import Role


class Action(StrEnum):
    """Named actions a user may be allowed to perform."""

    VIEW = "view"  # xem hồ sơ, số liệu
    RECEIVE = "receive"  # tiếp nhận, trả kết quả
    PROCESS = "process"  # thẩm định, xử lý
    APPROVE = "approve"  # phê duyệt, ký
    ASSIGN = "assign"  # phân công
    CONFIRM = "confirm"  # xác nhận kết quả nhiệm vụ
    APPRAISE = "appraise"  # thẩm định Chỉ số CCHC
    EXPORT = "export"  # xuất báo cáo, số liệu
    CONFIGURE = "configure"  # cấu hình đơn vị, lịch, danh mục


# What each action is called on a page (never its code).
ACTION_LABELS = {
    Action.VIEW: _("xem hồ sơ, số liệu"),
    Action.RECEIVE: _("tiếp nhận và trả kết quả"),
    Action.PROCESS: _("xử lý hồ sơ"),
    Action.APPROVE: _("phê duyệt, ký"),
    Action.ASSIGN: _("phân công"),
    Action.CONFIRM: _("xác nhận kết quả nhiệm vụ"),
    Action.APPRAISE: _("thẩm định Chỉ số cải cách hành chính"),
    Action.EXPORT: _("xuất báo cáo, số liệu"),
    Action.CONFIGURE: _("cấu hình đơn vị, lịch, danh mục"),
}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.ONE_STOP_OFFICER: frozenset({Action.VIEW, Action.RECEIVE}),
    Role.SPECIALIST: frozenset({Action.VIEW, Action.PROCESS}),
    Role.LEADER: frozenset(
        {Action.VIEW, Action.PROCESS, Action.APPROVE, Action.ASSIGN, Action.CONFIRM, Action.EXPORT}
    ),
    Role.PROVINCIAL_OFFICE: frozenset({Action.VIEW, Action.CONFIRM, Action.EXPORT}),
    Role.ADMINISTRATOR: frozenset({Action.VIEW, Action.CONFIGURE}),
    Role.INSPECTOR: frozenset({Action.VIEW, Action.EXPORT}),
    # The Department of Home Affairs' PAR Index appraisers (par-index.md §4): they run the
    # rounds and score every unit's PAR Index, and see no other unit's dossiers for it.
    Role.PAR_APPRAISER: frozenset({Action.VIEW, Action.APPRAISE}),
}

# Roles whose reach is the unit's whole subtree rather than the unit alone.
SUBTREE_ROLES = frozenset({Role.LEADER, Role.INSPECTOR})
# Roles whose reach is the whole province the unit belongs to.
PROVINCE_ROLES = frozenset({Role.PROVINCIAL_OFFICE, Role.ADMINISTRATOR})


def actions_for_role(role: str) -> frozenset[Action]:
    """The actions a role grants."""
    return ROLE_ACTIONS.get(role, frozenset())


def can(user: object, action: Action | str, unit: object | None = None) -> bool:
    """Whether `user` may perform `action`, on `unit` when one is given."""
    from motcua.people.scope import memberships_reaching

    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    action = Action(action)
    unit_id = getattr(unit, "pk", unit)
    return any(
        action in actions_for_role(m.role)
        for m in memberships_reaching(user, unit_id if isinstance(unit_id, int) else None)
    )


def allowed_actions(user: object, unit: object | None = None) -> frozenset[Action]:
    """All actions `user` may perform (on `unit` when one is given)."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return frozenset(Action)
    return frozenset(a for a in Action if can(user, a, unit))
