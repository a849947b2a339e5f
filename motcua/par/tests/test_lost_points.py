"""Lost points and the what-if of one unit (issue 14 item 6): pure, over the results counting.

Seed 002's check: Ban Dân tộc (QNG.BDT) lost all of 7.2.1 and 7.2.2 (no online dossier before
the scoring date); making both full is compared with a hand computation from the seed's
figures and the constructed peers of test_seed_002.py.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from motcua.par.lost import lost_leaves, what_if
from motcua.par.models import CriteriaSet, LeafScore
from motcua.par.plan import set_leaf_effort
from motcua.par.selectors import load_inputs
from motcua.par.services import NodeSpec, ParError, replace_unit_scores, save_criteria_set
from motcua.par.tests.test_seed_002 import BDT_LOST, LEAVES, PEERS, imported  # noqa: F401

pytestmark = pytest.mark.django_db


def test_seed_002_full_7_2_1_and_7_2_2_give_the_hand_computed_index_and_rank(
    imported: None,  # noqa: F811
) -> None:
    criteria_set = CriteriaSet.objects.get(code="QNG-SO-2022")
    before_rows = sorted(LeafScore.objects.values_list("unit_code", "criterion__code", "points"))
    # By hand: 61.5 + 21.41 = 82.91; 7.2.1 and 7.2.2 are worth 1.25 each and scored 0, so
    # full marks add 2.5: 85.41 of an applicable maximum of 66.5 + 33.5 = 100 → 85.41%.
    maxima = {code: D(mx) for code, _, _, mx, _, _ in LEAVES}
    gained = sum(maxima[c] - D(BDT_LOST[c]) for c in ("7.2.1", "7.2.2"))
    total = D("61.5") + D("21.41") + gained
    assert (gained, total) == (D("2.5"), D("85.41"))
    # Rank: one plus the peers whose total (fields + survey, all with a maximum of 100)
    # exceeds 85.41; the other peers keep their points.
    peer_totals = [sum(D(x) for x in f.split()) + D(s) for f, s in PEERS.values()]
    rank = 1 + sum(1 for t in peer_totals if t > total)
    assert rank == 9

    result = what_if(load_inputs(criteria_set), "QNG.BDT", ["7.2.1", "7.2.2"])

    assert result.codes == ("7.2.1", "7.2.2")
    assert (result.before.total, result.before.index, result.before.rank) == (
        D("82.91"),
        D("82.91"),
        13,
    )
    assert (result.after.total, result.after.index, result.after.rank) == (total, total, rank)
    assert result.gained == D("2.5") and result.out_of == 20
    assert result.after.fields[6].points == D("11") and result.after.fields[6].rank == 1
    # Nothing written.
    after_rows = sorted(LeafScore.objects.values_list("unit_code", "criterion__code", "points"))
    assert after_rows == before_rows


def test_seed_002_lost_leaves_cheapest_first_by_the_effort_an_officer_sets(
    imported: None,  # noqa: F811
) -> None:
    criteria_set = CriteriaSet.objects.get(code="QNG-SO-2022")
    inputs = load_inputs(criteria_set)
    lost = lost_leaves(inputs, "QNG.BDT")
    # All medium: most points first, then the tree's order.
    assert [(x.code, x.lost) for x in lost] == [
        ("7.2.1", D("1.25")),
        ("7.2.2", D("1.25")),
        ("1.2.2", D("0.5")),
        ("1.5.1", D("0.5")),
        ("2.1.1.1", D("0.5")),
        ("3.1.2", D("0.5")),
        ("3.1.3", D("0.5")),
    ]
    assert sum(x.lost for x in lost) == D("5")  # the seed's 5.0 lost field points
    set_leaf_effort(
        criteria_set=criteria_set,
        unit_code="QNG.BDT",
        criterion_code="3.1.3",
        effort="low",
        actor=None,
    )
    set_leaf_effort(
        criteria_set=criteria_set,
        unit_code="QNG.BDT",
        criterion_code="7.2.1",
        effort="high",
        actor=None,
    )
    from motcua.par.models import LeafEffort

    efforts = {e.criterion_id: e.effort for e in LeafEffort.objects.filter(unit_code="QNG.BDT")}
    ordered = [x.code for x in lost_leaves(inputs, "QNG.BDT", efforts)]
    assert ordered == ["3.1.3", "7.2.2", "1.2.2", "1.5.1", "2.1.1.1", "3.1.2", "7.2.1"]


def _small_set() -> CriteriaSet:
    nodes = [
        NodeSpec("1", "", "Lĩnh vực một", D(6)),
        NodeSpec("1.1", "1", "Tiêu chí a", D(2)),
        NodeSpec("1.2", "1", "Tiêu chí b", D(2)),
        NodeSpec("1.3", "1", "Tiêu chí c", D(2)),
    ]
    criteria_set, _ = save_criteria_set(
        code="T-2023", year=2023, unit_type="department", survey_max=D(0), nodes=nodes, actor=None
    )
    replace_unit_scores(
        criteria_set=criteria_set,
        scores={
            "A": {"1.1": (D(1), False), "1.2": (D(0), True)},  # 1.3 without a row: 0
            "B": {"1.1": (D(2), False), "1.2": (D(2), False), "1.3": (D("0.5"), False)},
        },
        actor=None,
    )
    return criteria_set


def test_not_applicable_leaves_lose_nothing_and_a_missing_score_loses_the_maximum() -> None:
    inputs = load_inputs(_small_set())
    lost = lost_leaves(inputs, "A")
    assert [(x.code, x.points, x.lost) for x in lost] == [
        ("1.3", D(0), D(2)),
        ("1.1", D(1), D(1)),
    ]
    # A: 1 of 4 applicable = 25%; B: 4.5 of 6 = 75%. Both full on A's lost leaves: 4 of 4.
    result = what_if(inputs, "A", ["1.1", "1.3", "1.2", "9.9"])
    assert result.codes == ("1.1", "1.3")  # the not-applicable leaf and an unknown code: no-op
    assert (result.before.index, result.before.rank) == (D(25), 2)
    assert (result.after.total, result.after.index, result.after.rank) == (D(4), D(100), 1)


def test_an_effort_outside_low_medium_high_is_refused() -> None:
    criteria_set = _small_set()
    with pytest.raises(ParError):
        set_leaf_effort(
            criteria_set=criteria_set,
            unit_code="A",
            criterion_code="1.1",
            effort="huge",
            actor=None,
        )
    with pytest.raises(ParError):
        set_leaf_effort(
            criteria_set=criteria_set, unit_code="A", criterion_code="1", effort="low", actor=None
        )
