"""Criteria sets as data: the tree, its maxima, its freezing when self-assessment opens."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from motcua.audit.services import history_for
from motcua.par.choices import SetStatus
from motcua.par.models import CriteriaSet, Criterion
from motcua.par.services import NodeSpec, ParError, change_set_status, save_criteria_set

pytestmark = pytest.mark.django_db


def tree() -> list[NodeSpec]:
    return [
        NodeSpec("1", "", "Công tác chỉ đạo, điều hành CCHC", D("10.5")),
        NodeSpec("1.1", "1", "Kế hoạch CCHC", D(3)),
        NodeSpec("1.2", "1", "Báo cáo CCHC", D("7.5")),
        NodeSpec("1.2.1", "1.2", "Báo cáo định kỳ", D("6.5")),
        NodeSpec(
            "1.2.2",
            "1.2",
            "Báo cáo về kiểm soát TTHC",
            D(1),
            rule="timeliness",
            params={"late_fraction": 0.5},
            evidence_requirement="Các báo cáo đã gửi",
            data_source="reports.on_time",
        ),
        NodeSpec("2", "", "Xây dựng và thực hiện văn bản QPPL", D("6.5")),
        NodeSpec("2.1", "2", "Theo dõi thi hành pháp luật", D("6.5")),
        NodeSpec("2.1.1", "2.1", "Kế hoạch theo dõi", D("6.5")),
        NodeSpec(
            "2.1.1.1", "2.1.1", "Ban hành kế hoạch theo dõi tình hình thi hành pháp luật", D("6.5")
        ),
    ]


def save(nodes: list[NodeSpec], **kwargs: object) -> tuple[CriteriaSet, bool]:
    values: dict = {
        "code": "QNG-SO-2022",
        "year": 2022,
        "unit_type": "department",
        "survey_max": D("33.5"),
        "nodes": nodes,
        "actor": None,
    }
    values.update(kwargs)
    return save_criteria_set(**values)


def test_a_set_keeps_its_tree_levels_order_rules_and_evidence() -> None:
    criteria_set, changed = save(tree(), decision_number="733/QĐ-UBND")
    assert changed
    criteria_set.refresh_from_db()
    assert (criteria_set.year, criteria_set.unit_type, criteria_set.survey_max) == (
        2022,
        "department",
        D("33.5"),
    )
    assert criteria_set.decision_number == "733/QĐ-UBND"
    assert criteria_set.status == SetStatus.DRAFT and not criteria_set.is_frozen
    rows = {c.code: c for c in Criterion.objects.filter(criteria_set=criteria_set)}
    assert [c.code for c in criteria_set.criteria.order_by("order")] == [n.code for n in tree()]
    assert rows["2.1.1.1"].level == 4 and rows["2.1.1.1"].parent == rows["2.1.1"]
    assert rows["1"].level == 1 and rows["1"].parent is None
    leaf = rows["1.2.2"]
    assert (leaf.rule, leaf.params, leaf.max_points) == ("timeliness", {"late_fraction": 0.5}, D(1))
    assert leaf.evidence_requirement == "Các báo cáo đã gửi"
    assert leaf.data_source == "reports.on_time"
    assert history_for(criteria_set).count() == 1


def test_a_parent_maximum_must_equal_the_sum_of_its_children() -> None:
    nodes = tree()
    nodes[3] = NodeSpec("1.2.1", "1.2", "Báo cáo định kỳ", D(6))
    with pytest.raises(
        ParError, match=r"1\.2: maximum 7\.5 differs from the sum of its children 7"
    ):
        save(nodes)
    assert not CriteriaSet.objects.exists()


def test_a_fifth_level_a_missing_parent_and_a_rule_on_a_parent_are_refused() -> None:
    deep = [*tree(), NodeSpec("2.1.1.1.1", "2.1.1.1", "Quá sâu", D("6.5"))]
    with pytest.raises(ParError, match="deeper than 4 levels"):
        save(deep)
    orphan = [*tree(), NodeSpec("3.1", "3", "Không có lĩnh vực", D(1))]
    with pytest.raises(ParError, match="parent '3' is not in the set"):
        save(orphan)
    ruled = tree()
    ruled[1] = NodeSpec("1.1", "1", "Kế hoạch CCHC", D(3))
    ruled[0] = NodeSpec("1", "", "Chỉ đạo", D("10.5"), rule="binary")
    with pytest.raises(ParError, match="only a leaf takes a rule"):
        save(ruled)


def test_saving_again_is_idempotent_and_a_draft_can_be_reshaped() -> None:
    criteria_set, _ = save(tree())
    again, changed = save(tree())
    assert again.pk == criteria_set.pk and not changed
    assert history_for(criteria_set).count() == 1
    smaller = [n for n in tree() if not n.code.startswith("1.2.")]
    smaller = [
        NodeSpec("1.2", "1", "Báo cáo CCHC", D("7.5")) if n.code == "1.2" else n for n in smaller
    ]
    _, changed = save(smaller)
    assert changed
    assert not criteria_set.criteria.filter(code__in=["1.2.1", "1.2.2"]).exists()
    assert criteria_set.criteria.get(code="1.2").children.count() == 0


def test_opening_self_assessment_freezes_the_tree() -> None:
    criteria_set, _ = save(tree())
    moved = change_set_status(criteria_set=criteria_set, to=SetStatus.SELF_ASSESSMENT, actor=None)
    assert moved.status == SetStatus.SELF_ASSESSMENT and moved.frozen_at is not None
    assert moved.is_frozen
    with pytest.raises(ParError, match="đã khoá"):
        save(tree())
    with pytest.raises(ParError, match="Không thể chuyển"):
        change_set_status(criteria_set=moved, to=SetStatus.PUBLISHED, actor=None)
    assert CriteriaSet.objects.get().status == SetStatus.SELF_ASSESSMENT
