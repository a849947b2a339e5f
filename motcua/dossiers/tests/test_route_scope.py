"""Dossiers seen through the control slip: a unit the dossier passed through keeps seeing it.

Only steps at a unit other than the receiving and competent ones widen the scope
(`StepRecord.widens_scope`); on PostgreSQL their dossiers come as an array so that the scope's
other arms keep their indexes (`motcua/lib/anyarray.py`, issue 16).
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from motcua.conftest import Province, make_user
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, StepRecord
from motcua.dossiers.tests.test_api import procedure, receive  # noqa: F401
from motcua.people.choices import Role


def test_a_unit_passed_through_keeps_seeing_the_dossier(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    p = province
    carol = make_user("carol", (p.commune_c, Role.SPECIALIST))
    d = receive(people, p, procedure)
    d = services.transfer_dossier(
        dossier=d, actor=people["alice"], to_unit=p.commune_a, at=d.received_at
    )
    d = services.transfer_dossier(dossier=d, actor=people["alice"], to_unit=p.commune_c)
    d = services.transfer_dossier(dossier=d, actor=carol, to_unit=p.commune_a)
    assert d.current_unit == p.commune_a
    steps = {s.unit.code: s.widens_scope for s in StepRecord.objects.filter(dossier=d)}
    # Steps at the receiving (and competent) commune add nothing; the one at C3 does.
    assert steps == {"C1": False, "C3": True}
    assert list(Dossier.objects.visible_to(carol)) == [d]
    assert not Dossier.objects.visible_to(people["bob"]).filter(pk=d.pk).exists()
    # Its overdue/working tabs see it too: the route arm combines with any filter.
    assert Dossier.objects.visible_to(carol).filter(state=d.state).count() == 1


def test_the_route_arm_is_an_array_on_postgresql(people: dict, province: Province) -> None:
    sql = str(Dossier.objects.visible_to(people["bob"]).query)
    if connection.vendor == "postgresql":
        assert '"dossiers_dossier"."id" = ANY(ARRAY(SELECT' in sql
    else:
        assert '"dossiers_dossier"."id" IN (SELECT' in sql
    assert '"widens_scope"' in sql


def test_any_of_refuses_a_list() -> None:
    import pytest

    with pytest.raises(TypeError, match="subquery"):
        Dossier.objects.filter(pk__any_of=[1, 2]).exists()
