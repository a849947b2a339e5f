"""The succession rules of `motcua.stats.succession` on a small tree (docs/statistics.md §3).

Old commune X (under district D) split into new communes A (principal) and B, each with a
service centre; the district has no successor of its own. Dossiers of X say where they belong
by the unit holding their file: B, B's centre, A, or X itself.
"""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.conftest import make_unit
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import TZ, make_procedure
from motcua.lib.periods import parse_period
from motcua.stats.selectors import dossier_statistics, dossiers_for_figure, scope_of
from motcua.units.models import Unit, UnitSuccession

LAST = dt.date(2025, 6, 30)
REFORM = dt.date(2025, 7, 1)
Q4 = parse_period("2025-Q4")  # after the reform: 15/09 – 14/12/2025


@pytest.fixture
def tree(db: None) -> dict[str, Unit]:
    old = make_unit("P", "Ủy ban nhân dân tỉnh cũ", "province", valid_to=LAST)
    district = make_unit("D", "Ủy ban nhân dân huyện cũ", "district", old, valid_to=LAST)
    x = make_unit("X", "Xã Tân Thạnh (cũ)", "commune", district, valid_to=LAST)
    desk = make_unit("X.MC", "Bộ phận Một cửa xã Tân Thạnh", "subunit", x, valid_to=LAST)
    new = make_unit("P", "Ủy ban nhân dân tỉnh mới", "province", valid_from=REFORM)
    a = make_unit("A", "Xã Tân Thạnh", "commune", new, valid_from=REFORM)
    b = make_unit("B", "Xã Thanh Bình", "commune", new, valid_from=REFORM)
    b_centre = make_unit("B.TT", "Trung tâm Phục vụ hành chính công xã Thanh Bình", "subunit", b)
    for pred, succ, principal in [(old, new, True), (x, a, True), (x, b, False)]:
        UnitSuccession.objects.create(
            predecessor=pred, successor=succ, effective_date=REFORM, is_principal=principal
        )
    return {"x": x, "desk": desk, "d": district, "a": a, "b": b, "b_centre": b_centre}


def make(tree: dict[str, Unit], handler: str, held: str, n: int, *, desk: str = "") -> None:
    procedure = make_procedure(f"1.00000{n}", units=[])
    received = dt.datetime(2025, 6, 20, 9, tzinfo=TZ)  # open across the reform
    Dossier.objects.create(
        code=f"S-{n}",
        procedure=procedure,
        procedure_version=procedure.versions.get(),
        time_limit_amount=10,
        time_limit_unit=procedure.time_limit_unit,
        rule_version="nd61_2018",
        state="in_progress",
        channel="direct",
        receiving_unit=tree[desk or handler],
        competent_unit=tree[handler],
        current_unit=tree[held],
        applicant_name="Nguyễn Văn A",
        received_at=received,
        statutory_due=received + dt.timedelta(days=60),
    )


def codes(code: str, *, as_current: bool = False, view: str = "handling") -> set[str]:
    stats = dossier_statistics(code=code, period=Q4, as_current=as_current, view=view)
    listed = {str(c) for c in dossiers_for_figure(stats, "received").values_list("code", flat=True)}
    assert len(listed) == stats.total.received
    return listed


def test_a_split_communes_dossier_goes_where_its_file_is_held(tree: dict[str, Unit]) -> None:
    make(tree, "x", "x", 1)  # still held by the old commune: the principal successor's
    make(tree, "x", "b", 2)  # taken over by B
    make(tree, "x", "b_centre", 3)  # taken over by B's service centre: B's too
    make(tree, "x", "a", 4)  # taken over by A
    make(tree, "desk", "b_centre", 5, desk="desk")  # the old desk follows its commune
    for as_current in (False, True):
        assert codes("A", as_current=as_current) == {"S-1", "S-4"}
        assert codes("B", as_current=as_current) == {"S-2", "S-3", "S-5"}
        assert codes("P", as_current=as_current) == {f"S-{n}" for n in range(1, 6)}
    # By receiving desk (Biểu II.06a) the same rule over the desk that received them.
    assert codes("B", view="desk") == {"S-2", "S-3", "S-5"}
    assert codes("A", view="desk") == {"S-1", "S-4"}
    scope = scope_of("B", Q4)
    assert tree["x"].pk not in scope.ids  # read without a holder: A's (feedback)
    assert {u for s in scope.splits for u in s.handlers} == {tree["x"].pk, tree["desk"].pk}


def test_a_district_without_successor_follows_its_province(tree: dict[str, Unit]) -> None:
    make(tree, "d", "d", 1)
    assert codes("P", as_current=True) == {"S-1"}
    assert codes("P") == {"S-1"}
    assert codes("A", as_current=True) == set() and codes("B", as_current=True) == set()
    rows = dossier_statistics(code="P", period=Q4, by="unit", as_current=True).rows
    assert [(r.key, r.figures.received) for r in rows] == [("P", 1)]
