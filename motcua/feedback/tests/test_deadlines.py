"""The 766 deadlines of feedback on the working calendar, checked on the worked examples of
deadlines.md §4 (W2, W4, W6, W7, W9, W10, W11, W13, W14, W17): exact instants."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.conftest import Province, make_user
from motcua.feedback import services
from motcua.feedback.choices import FeedbackState
from motcua.feedback.clock import (
    HANDLE_DAYS,
    explain_deadline,
    feedback_deadlines,
    working_days_after,
    working_days_before,
)
from motcua.feedback.models import Category, Feedback
from motcua.feedback.tests.factories import (
    PUBLIC_ANSWER,
    local,
    make_categories,
    make_feedback,
    make_staff,
)
from motcua.people.choices import Role
from motcua.workcalendar.models import CalendarEntry
from motcua.workcalendar.selectors import get_calendar

S = FeedbackState


@pytest.fixture
def staff(province: Province) -> dict[str, Any]:
    return make_staff(province)


@pytest.fixture
def cats(province: Province) -> dict[str, Category]:
    return make_categories(province)


def stored(f: Feedback) -> Feedback:
    """The row as read back, after checking the cache equals a fresh computation."""
    row = Feedback.objects.get(pk=f.pk)
    fresh = feedback_deadlines(row)
    assert {name: getattr(row, name) for name in fresh} == fresh
    return row


# -- refuse within 2 working days --------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # W2: Tết 2025, Mon 27/01–Fri 31/01 off.
        (local(2025, 1, 24, 15), local(2025, 2, 4, 15)),
        # W6: received on the swapped working Saturday 26/04/2025.
        (local(2025, 4, 26, 9), local(2025, 4, 29, 9)),
        # W11: an ordinary Saturday snaps to Monday 07:00; ends exactly at 17:00.
        (local(2025, 3, 15, 9), local(2025, 3, 18, 17)),
    ],
)
def test_refuse_due_is_two_working_days(province: Province, received: Any, due: Any) -> None:
    f = stored(make_feedback(unit=province.commune_a, at=received))
    assert f.refuse_due == due


def test_the_handling_units_local_day_off_counts(province: Province) -> None:
    CalendarEntry.objects.create(
        date=local(2025, 2, 3).date(),
        kind="day_off",
        name="Ngày nghỉ riêng của xã",
        document="QĐ 01/QĐ-UBND",
        unit=province.commune_a,
    )
    a = stored(make_feedback(unit=province.commune_a, at=local(2025, 1, 24, 15)))
    b = stored(make_feedback(unit=province.commune_b, at=local(2025, 1, 24, 15)))
    assert a.refuse_due == local(2025, 2, 5, 15)  # W2 pushed by one day at C1 only
    assert b.refuse_due == local(2025, 2, 4, 15)


# -- first supplement request within 5 working days ---------------------------------------------


def test_supplement_due_is_five_working_days_across_the_2024_swap(province: Province) -> None:
    # W4: 29/04/2024 swapped off, 30/04 and 01/05 holidays, Saturday 04/05 worked.
    f = stored(make_feedback(unit=province.commune_a, at=local(2024, 4, 26, 10)))
    assert f.supplement_due == local(2024, 5, 7, 10)


# -- handle within 15 working days, with and without the supplement wait ----------------------


def test_handle_due_and_the_paused_variant_w14(province: Province, staff: dict[str, Any]) -> None:
    spec = staff["spec"]
    f = make_feedback(unit=province.commune_a, at=local(2025, 4, 1, 8))
    f = stored(f)
    assert f.handle_due == local(2025, 4, 23, 8)
    assert f.handle_due_paused == f.handle_due
    # 5 wd, Hùng Kings' day Mon 07/04 skipped: Tue 8 → Wed 09/04 08:00 (by hand).
    assert f.supplement_due == local(2025, 4, 9, 8)

    f = services.request_supplement(
        feedback=f, actor=spec, request="Ghi rõ nơi nộp", at=local(2025, 4, 3, 15)
    )
    f = stored(f)
    assert f.handle_due_paused is None  # waiting for the sender: no due instant
    assert f.handle_due == local(2025, 4, 23, 8)
    event = f.events.get(kind="feedback.supplement_requested")
    assert event.data == {"first": True, "late": False}

    f = services.record_supplement(feedback=f, text="Nộp tại xã", at=local(2025, 4, 8, 9))
    f = services.start_processing(feedback=f, actor=spec, at=local(2025, 4, 8, 9))
    f = services.request_supplement(
        feedback=f, actor=spec, request="Gửi ảnh giấy hẹn", at=local(2025, 4, 22, 14)
    )
    f = services.record_supplement(feedback=f, text="Đã gửi ảnh", at=local(2025, 4, 25, 10))
    f = stored(f)
    assert f.state == S.SUPPLEMENTED
    assert f.handle_due == local(2025, 4, 23, 8)  # the 766 clock does not pause
    assert f.handle_due_paused == local(2025, 4, 28, 10)  # W14 with both pauses
    assert f.first_supplement_at == local(2025, 4, 3, 15)
    lines = "\n".join(explain_deadline(f, "handle_due_paused"))
    assert "tạm dừng" in lines
    assert "T2 28/04/2025 10:00" in lines


# -- the category's norm ---------------------------------------------------------------------


def test_the_category_norm_is_the_expected_date(
    province: Province, cats: dict[str, Category]
) -> None:
    # W13 without its pause: 10 wd from Mon 03/03/2025 09:00.
    f = stored(
        make_feedback(unit=province.commune_a, category=cats["ho-tich"], at=local(2025, 3, 3, 9))
    )
    assert f.norm_due == local(2025, 3, 17, 9)
    assert f.handle_due == local(2025, 3, 24, 9)
    assert f.norm_due <= f.handle_due


def test_a_norm_longer_than_15_days_is_capped(
    province: Province, cats: dict[str, Category]
) -> None:
    assert cats["dat-dai"].norm_days == 20 > HANDLE_DAYS
    f = stored(
        make_feedback(unit=province.commune_a, category=cats["dat-dai"], at=local(2025, 3, 3, 9))
    )
    assert f.norm_due == f.handle_due == local(2025, 3, 24, 9)
    long_calendar = Category.objects.create(
        province=province.old, code="dai", name="Dài", norm_days=60, norm_calendar_days=True
    )
    g = stored(
        make_feedback(unit=province.commune_a, category=long_calendar, at=local(2025, 3, 3, 9))
    )
    assert g.norm_due == g.handle_due


def test_a_norm_in_calendar_days(province: Province, cats: dict[str, Category]) -> None:
    # W17 variant: 5 calendar days from Fri 25/04/2025 end on Wed 30/04, a holiday; 01/05,
    # 02/05 (swap) and the weekend follow → Mon 05/05/2025 17:00.
    f = stored(
        make_feedback(unit=province.commune_a, category=cats["tong-dai"], at=local(2025, 4, 25, 10))
    )
    assert f.norm_due == local(2025, 5, 5, 17)
    assert f.handle_due is not None
    assert f.norm_due < f.handle_due


def test_no_norm_means_the_15_day_limit(province: Province) -> None:
    f = stored(make_feedback(unit=province.commune_a, at=local(2025, 3, 3, 9)))
    assert f.norm_due == f.handle_due


# -- publish within 2 working days of the approval ---------------------------------------------


def test_publish_due_runs_from_the_approval_w7(province: Province) -> None:
    leader = make_user("nlead", (province.new_commune, Role.LEADER))
    f = make_feedback(unit=province.new_commune, at=local(2025, 8, 25, 8))
    assert stored(f).publish_due is None
    f = services.start_processing(feedback=f, actor=leader, at=local(2025, 8, 25, 9))
    f = services.draft_answer(
        feedback=f, actor=leader, official="Trả lời", public=PUBLIC_ANSWER, at=local(2025, 8, 28, 9)
    )
    # W7: National Day 2025, Mon 01/09 and Tue 02/09 off.
    f = services.approve_answer(feedback=f, actor=leader, at=local(2025, 8, 29, 8))
    f = stored(f)
    assert f.resolved_at == local(2025, 8, 29, 8)
    assert f.publish_due == local(2025, 9, 4, 8)
    f = services.publish_feedback(feedback=f, actor=leader, at=local(2025, 9, 4, 9))
    assert f.events.get(kind="feedback.published").data == {"late": True}


# -- a transfer restarts the clock ---------------------------------------------------------


def test_a_forwarded_item_counts_from_the_transfer(
    province: Province, staff: dict[str, Any]
) -> None:
    f = make_feedback(unit=province.commune_a, at=local(2024, 4, 1, 9))
    new = services.forward_feedback(
        feedback=f,
        actor=staff["spec"],
        reason="Thuộc xã Mỹ Hòa",
        to_unit=province.commune_b,
        at=local(2024, 4, 26, 10),
    )
    new = stored(new)
    assert new.supplement_due == local(2024, 5, 7, 10)  # W4 from the transfer instant


# -- the calendar walk backwards, used by the reminder ladder ----------------------------------


@pytest.mark.parametrize(
    ("instant", "days", "expected"),
    [
        (local(2025, 2, 4, 15), 2, local(2025, 1, 24, 15)),  # W2 backwards over Tết 2025
        (local(2024, 5, 7, 10), 5, local(2024, 4, 26, 10)),  # W4 backwards over the swap
        (local(2025, 10, 13, 16, 45), 1, local(2025, 10, 10, 16, 45)),  # W10
        (local(2026, 9, 7, 11, 30), 4, local(2026, 8, 27, 13, 30)),  # W9 [unconfirmed swap]
    ],
)
def test_working_days_before_mirrors_the_examples(
    province: Province, instant: Any, days: int, expected: Any
) -> None:
    cal = get_calendar(province.commune_a)
    assert working_days_before(cal, instant, days) == expected
    assert working_days_after(cal, expected, days) == instant
