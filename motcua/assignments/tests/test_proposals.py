"""Proposed tasks from a pasted letter: seed 003 (re-typed with diacritics) gives the items of
the assignments.md §2 table, units matched to the tree by name, deadlines parsed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from motcua.assignments.proposals import UnitRef, propose

LETTER = (Path(__file__).parent.parent / "data" / "letter_1449.txt").read_text(encoding="utf-8")
ISSUED = dt.date(2024, 10, 14)

UNITS = [
    UnitRef(1, "SNV", "Sở Nội vụ", "department"),
    UnitRef(2, "SKHDT", "Sở Kế hoạch và Đầu tư", "department"),
    UnitRef(3, "STC", "Sở Tài chính", "department"),
    UnitRef(4, "STTTT", "Sở Thông tin và Truyền thông", "department"),
    UnitRef(5, "VP", "Văn phòng Ủy ban nhân dân tỉnh", "department"),
    UnitRef(6, "CT", "Ủy ban nhân dân huyện Châu Thành", "district"),
    UnitRef(7, "VT", "Ủy ban nhân dân thành phố Vị Thanh", "district"),
    UnitRef(8, "HG", "Ủy ban nhân dân tỉnh Hậu Giang", "province"),
]
DEPTS = ["SNV", "SKHDT", "STC", "STTTT", "VP"]
DISTRICTS = ["CT", "VT"]

# (lead codes, coordinating codes, wording contains, kind, due) in the letter's order;
# assignments.md §2's third row is one item with two wordings: two drafts here.
EXPECTED = [
    (DEPTS + DISTRICTS, [], "trong thời gian sớm nhất", "asap", None),
    (["SNV"], ["SKHDT"], "hoàn thành trong tháng 12/2024", "within_month", dt.date(2024, 12, 31)),
    (["SNV"], [], "trong tháng 11/2024", "within_month", dt.date(2024, 11, 30)),
    (["VP"], [], "thường xuyên", "continuous", None),
    (["VP"], ["STTTT"], "hoàn thành trong tháng 12/2024", "within_month", dt.date(2024, 12, 31)),
    (["SNV"], [], "trong tháng 12/2024", "within_month", dt.date(2024, 12, 31)),
    (["SKHDT"], [], "chậm nhất trong tháng 12/2024", "within_month", dt.date(2024, 12, 31)),
    (["SKHDT"], [], "chậm nhất 15/12/2024", "by_date", dt.date(2024, 12, 15)),
    (["STC"], [], "trong tháng 12/2024", "within_month", dt.date(2024, 12, 31)),
    (["STTTT"], [], "trước ngày 10/12/2024", "before_date", dt.date(2024, 12, 9)),
    (["STTTT"], [], "khẩn trương", "asap", None),
    (["STTTT"], [], "chậm nhất ngày 31/12/2024", "by_date", dt.date(2024, 12, 31)),
    (["STTTT"], [], "chậm nhất ngày 15/12/2024", "by_date", dt.date(2024, 12, 15)),
    (
        ["STTTT"],
        ["SNV", "SKHDT", "STC", "VP"],
        "chậm nhất ngày 15/12/2024",
        "by_date",
        dt.date(2024, 12, 15),
    ),
    (DEPTS + DISTRICTS, [], "trong tháng 12/2024", "within_month", dt.date(2024, 12, 31)),
    (
        ["SNV", "SKHDT", "STC", "STTTT", *DISTRICTS],
        ["VP"],
        "chậm nhất ngày 01/12/2024",
        "by_date",
        dt.date(2024, 12, 1),
    ),
    (["SNV"], [], "trước ngày 20/12/2024", "before_date", dt.date(2024, 12, 19)),
]


def test_seed_003_letter_gives_the_table() -> None:
    drafts = propose(LETTER, issued=ISSUED, units=UNITS)
    got = [
        (
            sorted(u.code for u in d.lead),
            sorted(u.code for u in d.coordinating),
            d.deadline_text,
            d.kind,
            d.due,
        )
        for d in drafts
    ]
    assert len(got) == len(EXPECTED) == 17
    for (lead, coord, wording, kind, due), (g_lead, g_coord, g_text, g_kind, g_due) in zip(
        EXPECTED, got, strict=True
    ):
        assert (g_lead, g_coord, g_kind, g_due) == (sorted(lead), sorted(coord), kind, due), g_text
        assert wording in g_text


def test_positions_and_titles() -> None:
    drafts = propose(LETTER, issued=ISSUED, units=UNITS)
    assert drafts[0].position == "mục 1"
    assert drafts[1].position == "mục 2, gạch đầu dòng 1"
    assert drafts[1].title == "Công tác chỉ đạo, điều hành cải cách hành chính"
    assert drafts[-1].position == "mục 3"


def test_without_diacritics_and_abbreviations() -> None:
    text = "1. Giao So Noi vu phoi hop Van phong UBND tinh hoan thanh truoc ngay 10/12/2024."
    (draft,) = propose(text, issued=ISSUED, units=UNITS)
    assert [u.code for u in draft.lead] == ["SNV"] and [u.code for u in draft.coordinating] == [
        "VP"
    ]
    assert (draft.kind, draft.due) == ("before_date", dt.date(2024, 12, 9))


def test_a_clause_without_a_known_unit_is_flagged() -> None:
    (draft,) = propose(
        "1. Giao Sở Xây dựng hoàn thành trong tháng 12/2024.", issued=ISSUED, units=UNITS
    )
    assert draft.lead == [] and draft.notes == ["no_lead"]


def test_the_office_written_without_the_province_name() -> None:
    office = UnitRef(9, "DT.VP", "Văn phòng Ủy ban nhân dân tỉnh Đồng Tháp", "department")
    text = "1. Giao Văn phòng UBND tỉnh chủ trì, hoàn thành chậm nhất ngày 05/11/2024."
    (draft,) = propose(text, issued=ISSUED, units=[*UNITS[:4], office])
    assert [u.code for u in draft.lead] == ["DT.VP"]
