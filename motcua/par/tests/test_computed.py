"""Computed leaves (par-index.md §8): value, points by the leaf's rule, the records behind them,
exact against the statistics modules for the same unit and window."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.audit.models import ObjectChange
from motcua.dossiers.models import Apology, Dossier
from motcua.index766.engine import compute_index
from motcua.index766.tests.rows import at, dossier, procedure
from motcua.par.computed import computed_values, override_computed, window_of
from motcua.par.models import ComputedOverride, CriteriaSet, LeafScore, RoundScore
from motcua.par.process import ProcessError
from motcua.par.services import NodeSpec, ParError, save_criteria_set
from motcua.units.models import Unit

AS_OF = dt.date(2026, 6, 30)
BANDS = {
    "bands": [{"ge": 95, "points": 2}, {"ge": 70, "lt": 95, "points": 1}, {"lt": 70, "points": 0}]
}


@pytest.fixture
def tree(db: None) -> tuple[Unit, Unit]:
    p = Unit.objects.create(code="P", name="Ủy ban nhân dân tỉnh Quảng Ngãi", level="province")
    c = Unit.objects.create(code="BDT", name="Ban Dân tộc tỉnh", level="department", parent=p)
    return p, c


def make_set(code: str = "QNG-SO-2026") -> CriteriaSet:
    nodes = [
        NodeSpec("3", "", "Cải cách thủ tục hành chính", D("3")),
        NodeSpec(
            "3.1", "3", "Hồ sơ giải quyết đúng hạn", D("2"), "bands", BANDS, "", "dossiers_on_time"
        ),
        NodeSpec("3.2", "3", "Xin lỗi khi trễ hạn", D("1"), "binary", {}, "", "apologies"),
        NodeSpec("7", "", "Hiện đại hóa hành chính", D("2.5")),
        NodeSpec(
            "7.2.1",
            "7",
            "Số TTHC cung cấp trực tuyến có phát sinh hồ sơ",
            D("1.25"),
            "proportional",
            {},
            "",
            "online_procedures_used",
        ),
        NodeSpec(
            "7.2.2",
            "7",
            "Tỷ lệ hồ sơ giải quyết trực tuyến",
            D("1.25"),
            "proportional",
            {"threshold": 50},
            "",
            "dossiers_online",
        ),
    ]
    criteria_set, _ = save_criteria_set(
        code=code, year=2026, unit_type="department", survey_max=D(0), nodes=nodes, actor=None
    )
    return criteria_set


def by_code(criteria_set: CriteriaSet, values: dict) -> dict:
    ids = {c.pk: c.code for c in criteria_set.criteria.all()}
    return {ids[k]: v for k, v in values.items()}


def test_window_is_the_year_up_to_the_scoring_date(tree: tuple[Unit, Unit]) -> None:
    s = make_set()
    w = window_of(s, AS_OF)
    assert w is not None and (w.first, w.last) == (dt.date(2026, 1, 1), AS_OF)
    later = window_of(s, dt.date(2027, 3, 1))
    assert later is not None and later.last == dt.date(2026, 12, 31)
    assert window_of(s, dt.date(2025, 12, 31)) is None
    assert computed_values(s, "BDT", dt.date(2025, 12, 31)) == {}
    assert computed_values(s, "NOT-IN-TREE", AS_OF) == {}


def test_seed_002_online_procedures_without_a_dossier_then_with_one(
    tree: tuple[Unit, Unit],
) -> None:
    """Seed 002, 7.2.1/7.2.2: two online procedures with no dossier by the scoring date score 0;
    one online dossier for each wins both leaves back."""
    _p, c = tree
    a = procedure([c], "2.000001", online_level="partial", result_is_paper=False)
    b = procedure([c], "2.000002", online_level="partial", result_is_paper=False)
    Dossier.objects.bulk_create(
        [dossier(a, c, received=at(3, 2), due=at(3, 16), code="BDT-001", channel="direct")]
    )
    s = make_set()
    v = by_code(s, computed_values(s, "BDT", AS_OF))
    assert (v["7.2.1"].numerator, v["7.2.1"].denominator, v["7.2.1"].points) == (0, 2, D("0"))
    assert v["7.2.1"].at_risk == D("1.25")
    assert [r["code"] for r in v["7.2.1"].records] == ["2.000001", "2.000002"]
    assert v["7.2.2"].value == D("0") and v["7.2.2"].points == D("0")

    Dossier.objects.bulk_create(
        [
            dossier(a, c, received=at(4, 2), due=at(4, 16), code="BDT-002", channel="online"),
            dossier(b, c, received=at(4, 3), due=at(4, 17), code="BDT-003", channel="online"),
        ]
    )
    v = by_code(s, computed_values(s, "BDT", AS_OF))
    assert (v["7.2.1"].value, v["7.2.1"].points, v["7.2.1"].at_risk) == (D("100.00"), D("1.25"), 0)
    # 2 of 3 dossiers online = 66.67% ≥ the 50% threshold: full
    assert (v["7.2.2"].numerator, v["7.2.2"].denominator) == (2, 3)
    assert v["7.2.2"].points == D("1.25")
    assert [r["code"] for r in v["7.2.2"].records if r["counted"]] == ["BDT-002", "BDT-003"]


def test_on_time_and_apologies_exact_against_index_766(tree: tuple[Unit, Unit]) -> None:
    _p, c = tree
    proc = procedure([c], "2.000001")
    d = Dossier.objects.bulk_create(
        [
            dossier(
                proc,
                c,
                received=at(2, 2),
                due=at(2, 16),
                finished=at(2, 10),
                state="resolved",
                code="HS-1",
            ),
            dossier(
                proc,
                c,
                received=at(3, 2),
                due=at(3, 16),
                finished=at(3, 12),
                state="resolved",
                code="HS-2",
            ),
            dossier(
                proc,
                c,
                received=at(4, 2),
                due=at(4, 16),
                finished=at(4, 20),
                state="resolved",
                code="HS-3",
            ),
            dossier(proc, c, received=at(5, 2), due=at(5, 16), code="HS-4"),  # open, overdue
            dossier(proc, c, received=at(7, 2), due=at(7, 16), code="HS-5"),  # after the date
        ]
    )
    s = make_set()
    v = by_code(s, computed_values(s, "BDT", AS_OF))
    on_time = v["3.1"]
    window = window_of(s, AS_OF)
    assert window is not None
    index = compute_index("BDT", window).total.indicator("progress.on_time")
    assert (on_time.numerator, on_time.denominator) == (index.numerator, index.denominator)
    assert (on_time.numerator, on_time.denominator) == (2, 4)
    # 50% is in the band < 70%: 0 of 2 points, 2 at risk
    assert (on_time.value, on_time.points, on_time.at_risk) == (D("50.00"), D("0"), D("2"))
    assert len(on_time.records) == index.denominator
    assert {r["code"] for r in on_time.records if not r["counted"]} == {"HS-3", "HS-4"}
    late = next(r for r in on_time.records if r["code"] == "HS-3")
    assert (late["received"], late["due"], late["finished"]) == (
        "2026-04-02",
        "2026-04-16",
        "2026-04-20",
    )
    # apologies: 2 late dossiers, none apologised → binary 0
    assert (v["3.2"].numerator, v["3.2"].denominator, v["3.2"].points) == (0, 2, D("0"))
    Apology.objects.create(dossier=d[2], issued_at=at(4, 15), new_due=at(4, 22), reason="Chờ")
    v = by_code(s, computed_values(s, "BDT", AS_OF))
    assert (v["3.2"].numerator, v["3.2"].value, v["3.2"].points) == (1, D("50.00"), D("0"))
    Apology.objects.create(dossier=d[3], issued_at=at(5, 15), new_due=at(5, 30), reason="Chờ")
    v = by_code(s, computed_values(s, "BDT", AS_OF))
    assert (v["3.2"].value, v["3.2"].points) == (D("100.00"), D("1"))
    assert [r["apology"] for r in v["3.2"].records] == ["2026-04-15", "2026-05-15"]


def test_no_late_dossier_means_the_apology_leaf_is_met(tree: tuple[Unit, Unit]) -> None:
    s = make_set()
    v = by_code(s, computed_values(s, "BDT", AS_OF))
    assert (v["3.2"].denominator, v["3.2"].points, v["3.2"].note) == (
        0,
        D("1"),
        "Không phát sinh trong kỳ",
    )
    # nothing received: the on-time band cannot be judged, the appraisers score it
    assert v["3.1"].points is None and v["3.1"].at_risk == 0


def test_override_is_audited_replaces_the_value_and_reaches_the_final_score(
    tree: tuple[Unit, Unit], monkeypatch: pytest.MonkeyPatch
) -> None:
    from motcua.par import process
    from motcua.par.models import Round, Submission

    _p, c = tree
    proc = procedure([c], "2.000001")
    Dossier.objects.bulk_create(
        [dossier(proc, c, received=at(5, 2), due=at(5, 16), code="HS-4")]  # overdue
    )
    s = make_set()
    monkeypatch.setattr(process, "_today", lambda: AS_OF)
    with pytest.raises(ProcessError):
        override_computed(
            criteria_set=s,
            unit_code="BDT",
            criterion_code="3.1",
            value=D("96"),
            reason="Hồ sơ HS-4 chậm do lỗi hệ thống",
            actor=None,
        )
    final = Round.objects.create(
        criteria_set=s, kind="final", opens_on=AS_OF, deadline=AS_OF + dt.timedelta(days=5)
    )
    Submission.objects.create(criteria_set=s, unit_code="BDT", status="approved")
    with pytest.raises(ParError):
        override_computed(
            criteria_set=s,
            unit_code="BDT",
            criterion_code="3.1",
            value=D("96"),
            reason=" ",
            actor=None,
        )
    assert not ComputedOverride.objects.exists()
    override_computed(
        criteria_set=s,
        unit_code="BDT",
        criterion_code="3.1",
        value=D("96"),
        reason="Hồ sơ HS-4 chậm do lỗi hệ thống",
        actor=None,
    )
    v = by_code(s, computed_values(s, "BDT", AS_OF))
    assert (v["3.1"].value, v["3.1"].points) == (D("96.00"), D("2"))
    assert (v["3.1"].computed_value, v["3.1"].computed_points) == (D("0.00"), D("0"))
    assert v["3.1"].override_reason == "Hồ sơ HS-4 chậm do lỗi hệ thống"
    leaf = s.criteria.get(code="3.1")
    assert LeafScore.objects.get(criterion=leaf, unit_code="BDT").points == D("2")
    assert RoundScore.objects.get(round=final, criterion=leaf).points == D("2")
    change = ObjectChange.objects.filter(reason="Hồ sơ HS-4 chậm do lỗi hệ thống").get()
    assert change.after is not None and change.after["value"] == "96.00"


def test_tasks_on_time_exact_against_the_task_statistics(province: object, tmp_path: Path) -> None:
    """Tasks led by the unit: done on time ÷ (on time + late + overdue), as `stats tasks`."""
    from motcua.assignments.tests.support import row, write_csv
    from motcua.stats.taskstats import task_statistics

    rows = [
        row("A", due_on="2023-08-01", reported_done_on="2023-07-20", confirmed_on="2023-07-30"),
        row("B", due_on="2023-06-01", reported_done_on="2023-06-10", confirmed_on="2023-06-15"),
        row("C", due_on="2023-05-15"),
        row("D", due_on="2024-01-30"),
    ]
    rows = [{**r, "lead_unit_code": "D1"} for r in rows]
    call_command("import", "tasks", str(write_csv(tmp_path / "t.csv", rows)), stdout=io.StringIO())
    nodes = [
        NodeSpec("1", "", "Công tác chỉ đạo, điều hành", D("2")),
        NodeSpec(
            "1.3",
            "1",
            "Nhiệm vụ UBND tỉnh giao hoàn thành đúng hạn",
            D("2"),
            "proportional",
            {},
            "",
            "tasks_on_time",
        ),
    ]
    s, _ = save_criteria_set(
        code="DT-HUYEN-2023",
        year=2023,
        unit_type="district",
        survey_max=D(0),
        nodes=nodes,
        actor=None,
    )
    (v,) = computed_values(s, "D1", dt.date(2023, 12, 31)).values()
    window = window_of(s, dt.date(2023, 12, 31))
    assert window is not None
    figures = task_statistics(code="D1", period=window).total.counts
    assert v.numerator == figures["done_on_time"] == 1
    assert v.denominator == figures["done_on_time"] + figures["done_late"] + figures["overdue"]
    assert (v.denominator, v.value, v.points) == (3, D("33.33"), D("0.67"))
    assert {(r["code"], r["status"], r["counted"]) for r in v.records} == {
        ("A", "done_on_time", True),
        ("B", "done_late", False),
        ("C", "overdue", False),
    }
