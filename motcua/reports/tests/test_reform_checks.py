"""The consistency checks of reports.md §4 (pure): every worked example of the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from motcua.lib.periods import parse_period
from motcua.reports.reform import checks
from motcua.reports.reform.build import expected_periods

Q3 = parse_period("2023-Q3")  # Decree 09 window 15/06/2023 – 14/09/2023


def fig(key: str, value: Any, first: str = "2023-06-15", last: str = "2023-09-14", **kw: Any):
    return {
        "key": key,
        "label": kw.pop("label", key),
        "value": value,
        "window": {"kind": "period", "from": first, "to": last},
        **kw,
    }


def seed_000() -> list[dict[str, Any]]:
    """Seed 000's dossier figures as printed, in its two windows."""
    first = [
        fig("dossiers.received", 184027),
        fig("dossiers.new", 162637),
        fig("dossiers.new_online", 83273),
        fig("dossiers.new_direct", 79364),
        fig("dossiers.carried_over", 21390),
        fig("dossiers.resolved", 152104),
        fig("dossiers.early", 129398),
        fig("dossiers.on_time", 21206),
        fig("dossiers.late", 1500),
        fig("dossiers.pending", 10277),
        fig("dossiers.pending_in_time", 9547),
        fig("dossiers.pending_overdue", 730),
    ]
    w = {"first": "2023-07-01", "last": "2023-09-13"}
    second = [
        fig("dossiers.received", 153404, **w),
        fig("dossiers.new", 131535, **w),
        fig("dossiers.carried_over", 21869, **w),
        fig("dossiers.resolved", 122098, **w),
        fig("dossiers.early", 104695, **w),
        fig("dossiers.on_time", 16903, **w),
        fig("dossiers.late", 1310, **w),
        fig("dossiers.pending", 10992, **w),
        fig("dossiers.pending_in_time", 10417, **w),
        fig("dossiers.pending_overdue", 575, **w),
    ]
    return first + second


def test_seed_000_names_both_differences_and_the_second_window() -> None:
    found = checks.run_checks(seed_000(), first=Q3.first, last=Q3.last)
    errors = [f["message"] for f in found if f["level"] == "error"]
    received = [m for m in errors if "184.027" in m]
    assert len(received) == 1
    assert "162.381" in received[0] and "21.646" in received[0]
    resolved = [m for m in errors if "122.098" in m]
    assert len(resolved) == 1
    assert "122.908" in resolved[0] and "chênh lệch 810" in resolved[0]
    # the identities that hold raise nothing: 184.027 = 21.390 + 162.637, 152.104 = parts …
    assert not [m for m in errors if "152.104" in m and "129.398" in m]
    # two data windows in one report
    window = [f for f in found if "khác kỳ số liệu" in f["message"]]
    assert len(window) == 1 and window[0]["level"] == "error"
    assert "01/07/2023" in window[0]["message"] and "13/09/2023" in window[0]["message"]
    assert "dossiers.resolved" in window[0]["figures"]
    # the findings name the figures they are about
    first = next(f for f in found if "21.646" in f["message"])
    assert set(first["figures"]) == {"dossiers.received", "dossiers.resolved", "dossiers.pending"}


def test_consistent_figures_have_no_finding() -> None:
    figures = [f for f in seed_000() if f["window"]["from"] == "2023-06-15"]
    figures = [f for f in figures if f["key"] not in ("dossiers.pending",)]
    figures.append(fig("dossiers.pending", 31923))  # 184.027 − 152.104
    figures = [
        {**f, "value": 31923 - 730} if f["key"] == "dossiers.pending_in_time" else f
        for f in figures
    ]
    assert checks.run_checks(figures, first=Q3.first, last=Q3.last) == []


def test_seed_004_rounding_differs_is_a_warning_and_a_wrong_rate_an_error() -> None:
    commune = fig(
        "digitisation.digitised",
        90.55,
        measure="percent",
        numerator=1506,
        denominator=1663,
        decimals=2,
    )
    district = fig(
        "digitisation.e_result",
        81.76,
        measure="percent",
        numerator=260,
        denominator=318,
        decimals=2,
    )
    wrong = fig(
        "dossiers.online_share",
        52.2,
        measure="percent",
        numerator=83273,
        denominator=162637,
        decimals=1,
    )
    found = checks.check_percentages([commune, district, wrong])
    assert [f["level"] for f in found] == ["warning", "error"]
    assert "90,55%" in found[0]["message"] and "90,56%" in found[0]["message"]
    assert "làm tròn khác" in found[0]["message"]
    assert found[0]["figures"] == ["digitisation.digitised"]
    # 83.273 / 162.637 = 51,2% (seed 000, derived): 52,2% is wrong
    assert "51,2%" in found[1]["message"]


def test_one_figure_one_value_procedures_1833_and_1815() -> None:
    stock = {"kind": "as_of", "as_of": "2023-09-14"}
    found = checks.check_one_value(
        [
            {"key": "procedures.total", "label": "Tổng số TTHC", "value": 1833, "window": stock},
            {"key": "procedures.total", "label": "Tổng số TTHC", "value": 1815, "window": stock},
        ]
    )
    assert len(found) == 1 and found[0]["level"] == "error"
    assert "1.833" in found[0]["message"] and "1.815" in found[0]["message"]


def test_procedures_by_level_1815() -> None:
    stock = {"kind": "as_of", "as_of": "2023-09-14"}
    good: list[dict[str, Any]] = [
        {"key": "procedures.total", "label": "Tổng", "value": 1815, "window": stock},
        {"key": "procedures.province", "label": "Cấp tỉnh", "value": 1360, "window": stock},
        {"key": "procedures.district", "label": "Cấp huyện", "value": 295, "window": stock},
        {"key": "procedures.commune", "label": "Cấp xã", "value": 160, "window": stock},
    ]
    assert checks.check_identities(good) == []
    bad = [{**good[0], "value": 1833}, *good[1:]]
    (found,) = checks.check_identities(bad)
    assert "1.833" in found["message"] and "1.815" in found["message"] and "18" in found["message"]


def test_tasks_47_and_feedback_78() -> None:
    tasks = [
        fig("tasks.in_scope", 47),
        fig("tasks.done_on_time", 4),
        fig("tasks.reported_done", 27),
        fig("tasks.in_progress_not_due", 16),
        fig("feedback.carried_over", 0),
        fig("feedback.received", 78),
        fig("feedback.resolved", 78),
        fig("feedback.open", 0),
        fig("feedback.resolution_rate", 100.0, measure="percent", numerator=78, denominator=78),
    ]
    assert checks.run_checks(tasks, first=Q3.first, last=Q3.last) == []
    broken = [{**f, "value": 48} if f["key"] == "tasks.in_scope" else f for f in tasks]
    (found,) = checks.run_checks(broken, first=Q3.first, last=Q3.last)
    assert "48" in found["message"] and "47" in found["message"]


def test_budget_identities_of_seed_000_hold() -> None:
    year = {"kind": "as_of", "as_of": "2023-09-14"}
    budget: list[dict[str, Any]] = [
        {"key": "budget.available", "label": "Tổng", "value": 21_985_346_717, "window": year},
        {"key": "budget.allocated", "label": "Giao", "value": 21_042_000_000, "window": year},
        {"key": "budget.carried_over", "label": "Chuyển", "value": 943_346_717, "window": year},
        {"key": "budget.autonomous", "label": "Tự chủ", "value": 10_169_000_000, "window": year},
        {"key": "budget.non_autonomous", "label": "Không", "value": 11_816_346_717, "window": year},
    ]
    assert checks.check_identities(budget) == []
    off = [
        {**b, "value": 11_816_346_000} if b["key"] == "budget.non_autonomous" else b for b in budget
    ]
    (found,) = checks.check_identities(off)
    assert "717" in found["message"]


def test_numbering_iii_to_vi_and_the_wrong_next_period() -> None:
    sections: list[dict[str, Any]] = [
        {"number": "I", "heading": "CÔNG TÁC CHỈ ĐẠO", "children": []},
        {
            "number": "II",
            "heading": "KẾT QUẢ",
            "children": [
                {"number": "1", "heading": "Thể chế"},
                {"number": "3", "heading": "Bộ máy"},
            ],
        },
        {"number": "III", "heading": "ĐÁNH GIÁ CHUNG", "children": []},
        {
            "number": "VI",
            "heading": "PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ III NĂM 2023",
            "period_ref": "next",
            "children": [],
        },
    ]
    found = checks.check_numbering(sections, expected_periods(Q3))
    messages = [f["message"] for f in found]
    assert any("“VI." in m and "“IV.”" in m for m in messages)
    assert any("“3." in m and "“2.”" in m for m in messages)
    assert any("QUÝ III" in m and "quý IV năm 2023" in m for m in messages)
    fixed = [
        sections[0],
        {
            **sections[1],
            "children": [{"number": "1", "heading": "a"}, {"number": "2", "heading": "b"}],
        },
        sections[2],
        {**sections[3], "number": "IV", "heading": "PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ IV NĂM 2023"},
    ]
    assert checks.check_numbering(fixed, expected_periods(Q3)) == []


def test_free_text_numbers_are_listed_but_references_dates_and_symbols_are_not() -> None:
    text = (
        "Ngày 29/12/2022 ban hành Kế hoạch số 36/KH-VPUBND theo Nghị định 30/2020/NĐ-CP; "
        "năm 2023 rà soát 402 TTHC, "
        "đạt 51,2% và {{dossiers.received}} hồ sơ, 1.833 thủ tục."
    )
    assert checks.free_text_numbers(text) == ["402", "51,2%", "1.833"]
    (found,) = checks.check_free_text({"II.2": text, "I.1": "Không có số."})
    assert found["level"] == "warning" and "II.2" in found["message"]


def test_vietnamese_number_format() -> None:
    assert checks.vn_number(184027) == "184.027"
    assert checks.vn_number(51.2, 2) == "51,20"
    assert checks.vn_number(21985346717) == "21.985.346.717"
    assert checks.half_up(checks.Decimal("18.125"), 2) == checks.Decimal("18.13")
    assert dt.date(2023, 9, 14) == Q3.last
