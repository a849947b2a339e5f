"""The one scoping path: who sees which units, with a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.conftest import LAST_OLD_DAY, Province, make_unit, make_user
from motcua.people.choices import Role
from motcua.people.models import Membership
from motcua.people.policy import Action, allowed_actions, can
from motcua.people.scope import forget_scope, visible_unit_ids
from motcua.units.models import Unit


def codes(user: object) -> set[str]:
    return set(Unit.objects.visible_to(user).values_list("code", flat=True))


def test_officer_sees_own_unit_only(people: dict, province: Province) -> None:
    assert codes(people["alice"]) == {"C1"}
    assert codes(people["bob"]) == {"C2"}


def test_leader_sees_the_subtree(people: dict) -> None:
    assert codes(people["dana"]) == {"D1", "C1", "C2"}


def test_inspector_sees_the_subtree_but_may_only_view_and_export(
    people: dict, province: Province
) -> None:
    ivan = people["ivan"]
    assert codes(ivan) == {"D2", "C3"}
    assert allowed_actions(ivan) == {Action.VIEW, Action.EXPORT}
    assert not can(ivan, Action.PROCESS, province.commune_c)


def test_provincial_office_sees_the_whole_province(people: dict) -> None:
    assert codes(people["olga"]) == {"DT", "VP", "D1", "D2", "C1", "C2", "C3"}


def test_members_of_a_successor_see_its_predecessors(people: dict) -> None:
    # nina works at the new commune N1, formed from C1 and C2.
    assert codes(people["nina"]) == {"N1", "C1", "C2"}


def test_user_without_role_sees_nothing(people: dict) -> None:
    assert codes(people["nora"]) == set()
    assert visible_unit_ids(people["nora"]) == frozenset()


def test_anonymous_sees_nothing(db: None) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert visible_unit_ids(AnonymousUser()) == frozenset()
    assert not can(AnonymousUser(), Action.VIEW)


def test_superuser_sees_everything(province: Province) -> None:
    root = make_user("root", is_superuser=True)
    assert visible_unit_ids(root) is None
    assert Unit.objects.visible_to(root).count() == Unit.objects.count()


def test_ended_membership_grants_nothing(province: Province) -> None:
    user = make_user("old")
    Membership.objects.create(
        user=user, unit=province.commune_a, role=Role.ONE_STOP_OFFICER, valid_to=dt.date(2024, 1, 1)
    )
    assert codes(user) == set()


def test_policy_answers_per_unit(people: dict, province: Province) -> None:
    alice = people["alice"]
    assert can(alice, Action.RECEIVE, province.commune_a)
    assert not can(alice, Action.RECEIVE, province.commune_b)
    assert not can(alice, Action.APPROVE, province.commune_a)
    assert can(people["dana"], Action.APPROVE, province.commune_b)
    assert not can(people["olga"], Action.CONFIGURE)
    assert can(people["adam"], Action.CONFIGURE)
    assert not can(people["adam"], Action.RECEIVE)


def test_inactive_user_may_do_nothing(people: dict, province: Province) -> None:
    alice = people["alice"]
    alice.is_active = False
    assert not can(alice, Action.VIEW, province.commune_a)
    assert visible_unit_ids(alice) == frozenset()


@pytest.mark.parametrize("width", [1, 10, 100])
def test_scope_costs_the_same_queries_whatever_its_size(
    province: Province, width: int, django_assert_num_queries: object
) -> None:
    leader = make_user(f"leader{width}")
    root = make_unit(f"R{width}", "Huyện thử", "district", province.old, valid_to=LAST_OLD_DAY)
    for i in range(width - 1):
        make_unit(f"R{width}-{i}", f"Xã {i}", "commune", root, valid_to=LAST_OLD_DAY)
    Membership.objects.create(user=leader, unit=root, role=Role.LEADER)
    forget_scope(leader)
    # memberships, the units' change token, units graph, successions, then the list itself
    with django_assert_num_queries(5):  # type: ignore[operator]
        rows = list(Unit.objects.visible_to(leader).valid_on(dt.date(2024, 1, 1)))
    assert len(rows) == width
    # The next request (a fresh user object) finds the graph built: the token only.
    forget_scope(leader)
    with django_assert_num_queries(3):  # type: ignore[operator]
        rows = list(Unit.objects.visible_to(leader).valid_on(dt.date(2024, 1, 1)))
    assert len(rows) == width


def test_administrator_of_the_new_province_reaches_the_old_tree(people: dict) -> None:
    assert codes(people["adam"]) == {"DT", "VP", "D1", "D2", "C1", "C2", "C3", "N1", "N2"}


def test_desk_of_a_new_commune_sees_the_communes_it_replaced(province: Province) -> None:
    centre = make_unit(
        "N1.TT",
        "Trung tâm Phục vụ hành chính công xã Tháp Mười",
        "subunit",
        province.new_commune,
        valid_from=province.new_commune.valid_from,
    )
    officer = make_user("desk", (centre, Role.ONE_STOP_OFFICER))
    assert codes(officer) == {"N1.TT", "C1", "C2"}
