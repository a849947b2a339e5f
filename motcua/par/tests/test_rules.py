"""The pure rules of par-index.md §4–§5, each at its boundaries, and the domain's examples."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from motcua.par.rules import (
    RuleError,
    bands,
    binary,
    bonus,
    check_params,
    competition_ranks,
    count_tiers,
    group_of,
    index_percent,
    not_applicable,
    not_arisen,
    penalty,
    proportional,
    q2,
    ratio_to_best,
    score_leaf,
    timeliness,
    tree_problems,
)


def test_rounding_is_half_up_to_two_decimals() -> None:
    assert q2(D("0.125")) == D("0.13")
    assert q2(D("0.135")) == D("0.14")  # half-even would give 0.12 for 0.125 above
    assert q2(D("2.675")) == D("2.68")
    assert q2(D("-0.125")) == D("-0.13")
    assert q2(D("82.905")) == D("82.91")
    assert q2(D("82.9049")) == D("82.90")


# --- timeliness: "issued on time 1; late 0.5; not issued 0" (Cà Mau 1.1.1) ------------------


@pytest.mark.parametrize(
    ("outcome", "points"), [("on_time", "1"), ("late", "0.5"), ("missing", "0")]
)
def test_timeliness_ca_mau_1_1_1(outcome: str, points: str) -> None:
    assert timeliness(outcome, max_points=D(1), late_fraction=D("0.5")) == D(points)


def test_timeliness_late_fraction_is_of_the_maximum_and_rounded() -> None:
    assert timeliness("late", max_points=D("1.25"), late_fraction=D("0.5")) == D("0.63")
    assert timeliness("late", max_points=D(2), late_fraction=D(0)) == D(0)
    assert timeliness("late", max_points=D(2), late_fraction=D(1)) == D(2)
    with pytest.raises(RuleError):
        timeliness("soon", max_points=D(1), late_fraction=D("0.5"))


# --- binary: Cà Mau 1.1.3, 1.2.2 ---------------------------------------------------------------


def test_binary_met_is_full_else_zero() -> None:
    assert binary(True, max_points=D("1.5")) == D("1.5")
    assert binary(False, max_points=D("1.5")) == D(0)


# --- percentage bands with explicit bounds -----------------------------------------------------

CA_MAU_1_1_4 = [
    {"gt": 90, "points": 2},
    {"ge": 70, "le": 90, "points": 1},
    {"lt": 70, "points": 0},
]


@pytest.mark.parametrize(
    ("ratio", "points"),
    [
        ("100", "2"),
        ("90.01", "2"),
        ("90", "1"),  # "> 90%" excludes 90: it falls in "70–90%"
        ("89.99", "1"),
        ("70", "1"),
        ("69.99", "0"),
        ("0", "0"),
    ],
)
def test_bands_ca_mau_1_1_4(ratio: str, points: str) -> None:
    assert bands(D(ratio), bands=CA_MAU_1_1_4) == D(points)


JUDICIAL_SIX_BANDS: list[dict[str, object]] = [
    {"ge": 100, "points": 2},
    {"ge": 95, "lt": 100, "points": "1.75"},
    {"ge": 80, "lt": 95, "points": "1.5"},
    {"ge": 70, "lt": 80, "points": 1},
    {"ge": 60, "lt": 70, "points": "0.5"},
    {"lt": 60, "points": 0},
]


@pytest.mark.parametrize(
    ("ratio", "points"),
    [
        ("100", "2"),
        ("99.99", "1.75"),
        ("95", "1.75"),
        ("94.99", "1.5"),
        ("80", "1.5"),
        ("79.99", "1"),
        ("70", "1"),
        ("69.99", "0.5"),
        ("60", "0.5"),
        ("59.99", "0"),
        ("0", "0"),
    ],
)
def test_bands_the_six_band_judicial_set(ratio: str, points: str) -> None:
    assert bands(D(ratio), bands=JUDICIAL_SIX_BANDS) == D(points)


def test_a_ratio_no_band_covers_scores_zero() -> None:
    assert bands(D(50), bands=[{"ge": 60, "points": 1}]) == D(0)


# --- proportional, optionally full from a threshold ---------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "threshold", "points"),
    [
        ("0", "100", "0"),
        ("50", "100", "1"),
        ("100", "100", "2"),
        ("40", "80", "1"),
        ("79.99", "80", "2.00"),  # 0.999875 × 2 = 1.99975 → 2.00 half-up
        ("79.9", "80", "2.00"),
        ("79", "80", "1.98"),
        ("80", "80", "2"),
        ("95", "80", "2"),  # above the threshold stays full
    ],
)
def test_proportional(ratio: str, threshold: str, points: str) -> None:
    assert proportional(D(ratio), max_points=D(2), threshold=D(threshold)) == D(points)


def test_proportional_refuses_a_zero_threshold() -> None:
    with pytest.raises(RuleError):
        proportional(D(50), max_points=D(2), threshold=D(0))


# --- count tiers: steering meetings 4 a year → 20, 3 → 15, 2 → 10, 1 → 5 -----------------------

MEETINGS = [
    {"at_least": 4, "points": 20},
    {"at_least": 3, "points": 15},
    {"at_least": 2, "points": 10},
    {"at_least": 1, "points": 5},
]


@pytest.mark.parametrize(("count", "points"), [(0, 0), (1, 5), (2, 10), (3, 15), (4, 20), (7, 20)])
def test_count_tiers_steering_meetings(count: int, points: int) -> None:
    assert count_tiers(count, tiers=MEETINGS) == D(points)


def test_count_tiers_order_in_the_list_does_not_matter() -> None:
    assert count_tiers(3, tiers=list(reversed(MEETINGS))) == D(15)


# --- ratio to the best unit ----------------------------------------------------------------------


def test_ratio_to_the_best_unit() -> None:
    assert ratio_to_best(D(80), best=D(80), max_points=D(3)) == D(3)
    assert ratio_to_best(D(40), best=D(80), max_points=D(3)) == D("1.5")
    assert ratio_to_best(D(1), best=D(3), max_points=D(1)) == D("0.33")
    assert ratio_to_best(D(0), best=D(80), max_points=D(3)) == D(0)
    assert ratio_to_best(D(0), best=D(0), max_points=D(3)) == D(0)
    with pytest.raises(RuleError):
        ratio_to_best(D(81), best=D(80), max_points=D(3))


# --- not arisen, not applicable ----------------------------------------------------------------


def test_not_arisen_gives_full_points_only_when_the_case_did_not_arise() -> None:
    assert not_arisen(False, D(0), max_points=D("1.5")) == D("1.5")
    assert not_arisen(True, D("0.5"), max_points=D("1.5")) == D("0.5")
    assert not_arisen(True, D(0), max_points=D("1.5")) == D(0)
    with pytest.raises(RuleError):
        not_arisen(True, D(2), max_points=D("1.5"))


def test_not_applicable_leaves_the_maximum() -> None:
    assert not_applicable(max_points=D(2)) == (D(0), D(0))


# --- bonus and penalty with caps ------------------------------------------------------------------


def test_bonus_and_penalty_are_capped() -> None:
    assert bonus([D(1), D("0.5")], cap=D(2)) == D("1.5")
    assert bonus([D(1), D(1)], cap=D(2)) == D(2)
    assert bonus([D(2), D(1)], cap=D(2)) == D(2)
    assert bonus([], cap=D(2)) == D(0)
    assert penalty([D(1), D("0.75")], cap=D("1.5")) == D("1.5")
    assert penalty([D("0.5")], cap=D("1.5")) == D("0.5")


# --- the dispatcher reads a leaf's stored rule and parameters ------------------------------------


def test_score_leaf_dispatches_by_rule() -> None:
    assert score_leaf("timeliness", {}, max_points=D(1), value="late") == D("0.5")
    assert score_leaf("bands", {"bands": CA_MAU_1_1_4}, max_points=D(2), value="90") == D(1)
    assert score_leaf("proportional", {"threshold": 80}, max_points=D(2), value=40) == D(1)
    assert score_leaf("count_tiers", {"tiers": MEETINGS}, max_points=D(20), value=2) == D(10)
    assert score_leaf("ratio_to_best", {}, max_points=D(3), value=(40, 80)) == D("1.5")
    assert score_leaf("not_arisen", {}, max_points=D(1), value=(False, 0)) == D(1)
    assert score_leaf("binary", {}, max_points=D(1), value=True) == D(1)
    assert score_leaf("not_applicable", {}, max_points=D(1), value=None) == D(0)
    with pytest.raises(RuleError):
        score_leaf("", {}, max_points=D(1), value=1)


def test_check_params_accepts_the_examples_and_names_what_is_wrong() -> None:
    assert check_params("bands", {"bands": JUDICIAL_SIX_BANDS}, max_points=D(2)) == []
    assert check_params("count_tiers", {"tiers": MEETINGS}, max_points=D(20)) == []
    assert check_params("timeliness", {"late_fraction": 0.5}, max_points=D(1)) == []
    assert check_params("", {}, max_points=D(1)) == []
    assert check_params("bands", {"bands": [{"ge": 1, "gt": 2, "points": 1}]}, max_points=D(2))
    assert check_params("bands", {"bands": [{"ge": 1, "points": 3}]}, max_points=D(2))
    assert check_params("bands", {}, max_points=D(2))
    assert check_params("count_tiers", {"tiers": [{"points": 1}]}, max_points=D(2))
    assert check_params("timeliness", {"late_fraction": 2}, max_points=D(1))
    assert check_params("proportional", {"threshold": 0}, max_points=D(1))
    assert check_params("binary", {"x": 1}, max_points=D(1))
    assert check_params("magic", {}, max_points=D(1))
    assert check_params("bands", {"bands": [{"ge": "abc", "points": 1}]}, max_points=D(2))


def test_tree_problems_name_a_parent_whose_maximum_is_not_its_childrens_sum() -> None:
    nodes = {
        "1": ("", D("10.5")),
        "1.1": ("1", D(3)),
        "1.2": ("1", D("7.5")),
        "1.2.1": ("1.2", D(4)),
        "1.2.2": ("1.2", D(3)),
    }
    assert tree_problems(nodes) == [("1.2", "maximum 7.5 differs from the sum of its children 7")]
    nodes["1.2.2"] = ("1.2", D("3.5"))
    assert tree_problems(nodes) == []


# --- the counting (§4) ------------------------------------------------------------------------


def test_index_examples_of_par_index_md() -> None:
    # Seed 002: 61.5 + 21.41 = 82.91 of 100.
    assert index_percent(D("82.91"), D(100)) == D("82.91")
    # Thanh Hóa 2023, Ban Dân tộc: 68.32 points = 81.33% (maximum 84).
    assert index_percent(D("68.32"), D(84)) == D("81.33")
    # Tuyên Quang 2022, Sở Tư pháp: 62.62 points = 94.49% (maximum ≈ 66.3; 66.27 gives it).
    assert index_percent(D("62.62"), D("66.27")) == D("94.49")
    assert index_percent(D(0), D(0)) is None


@pytest.mark.parametrize(
    ("index", "group"),
    [
        ("100", "A"),
        ("90", "A"),
        ("89.995", "A"),  # rounds to 90.00 first
        ("89.99", "B"),
        ("80", "B"),
        ("79.99", "C"),
        ("70", "C"),
        ("69.99", None),
        ("82.91", "B"),
    ],
)
def test_groups_a_b_c(index: str, group: str | None) -> None:
    assert group_of(D(index)) == group


def test_ranks_share_after_rounding_and_the_next_skips() -> None:
    ranks = competition_ranks(
        {"a": D("90.001"), "b": D("90.004"), "c": D("89.5"), "d": D("89.5"), "e": D(10), "f": None}
    )
    assert ranks == {"a": 1, "b": 1, "c": 3, "d": 3, "e": 5, "f": None}
    assert competition_ranks({"x": D("90.005"), "y": D("90.004")}) == {"x": 1, "y": 2}
