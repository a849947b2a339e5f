"""The pure engine against deadlines.md: the worked examples W1–W20 and the rules behind them."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.workcalendar.engine import (
    DEFAULT_HOURS,
    CalendarError,
    DayKind,
    HoursSpan,
    Override,
    StepSpec,
    WorkCalendar,
    add_months,
    attribute_lateness,
    compute_due,
    compute_steps,
    extension_refusal,
    lateness_minutes,
    validate_hours,
)
from motcua.workcalendar.tests.cases import PACKAGE_ONLY, WORKED_EXAMPLES
from motcua.workcalendar.tests.support import at, calendar_with, pauses_of


@pytest.mark.parametrize(
    ("start", "amount", "unit", "pauses", "cutoff", "expected"),
    [case[1:] for case in WORKED_EXAMPLES],
    ids=[case[0] for case in WORKED_EXAMPLES],
)
def test_worked_example_due_instant(cal, start, amount, unit, pauses, cutoff, expected):
    cut = dt.time.fromisoformat(cutoff) if cutoff else None
    result = compute_due(cal, at(start), amount, unit, pauses=pauses_of(pauses), cutoff=cut)
    assert result.statutory_due == at(expected)
    assert result.statutory_due.isoformat() == f"{expected}:00+07:00"


@pytest.mark.parametrize(
    ("start", "amount", "expected"),
    [case[1:] for case in PACKAGE_ONLY],
    ids=[case[0] for case in PACKAGE_ONLY],
)
def test_package_only_results(package_only, start, amount, expected):
    assert compute_due(package_only, at(start), amount, "working_days").statutory_due == at(
        expected
    )


def test_w14_package_only_gives_tuesday(package_only):
    pauses = pauses_of(["2025-04-03T15:00/2025-04-08T09:00", "2025-04-22T14:00/2025-04-25T10:00"])
    result = compute_due(package_only, at("2025-04-01T08:00"), 15, "working_days", pauses=pauses)
    assert result.statutory_due == at("2025-04-29T10:00")


def test_w1_tet_2024_explanation_names_tet_days(cal):
    result = compute_due(cal, at("2024-02-07T09:00"), 1, "working_days")
    text = "\n".join(result.explanation)
    assert "Giao thừa Tết Nguyên Đán" in text
    assert "Mùng năm Tết Nguyên Đán" in text
    assert result.explanation[-2] == "hạn       T5 15/02/2024 09:00"


def test_w4_explanation_follows_the_trace(cal):
    result = compute_due(cal, at("2024-04-26T10:00"), 5, "working_days")
    lines = result.explanation
    assert lines[0].startswith("bắt đầu   T6 26/04/2024 10:00")
    assert "trong giờ làm việc" in lines[0]
    assert lines[1] == "thời hạn  5 ngày làm việc = 40 giờ"
    text = "\n".join(lines)
    assert "T6 26/04  5 giờ  (10:00–11:30, 13:30–17:00)  — còn 35 giờ" in text
    assert "T7 27/04, CN 28/04  nghỉ cuối tuần" in text
    swap = next(line for line in lines if "T2 29/04" in line)
    assert "Nghỉ hoán đổi" in swap
    assert "Ngày nghỉ (thay cho ngày 04/05/2024)" in swap
    assert "Công văn 2450/VPCP-KGVX" in swap
    assert "T3 30/04  Ngày nghỉ lễ: Ngày Chiến thắng" in text
    assert "T4 01/05  Ngày nghỉ lễ: Ngày Quốc tế Lao động" in text
    assert "T5 02/05, T6 03/05  16 giờ  — còn 19 giờ" in text
    saturday = next(line for line in lines if "T7 04/05" in line)
    assert "8 giờ" in saturday and "Ngày làm bù" in saturday and "còn 11 giờ" in saturday
    assert "T3 07/05  3 giờ  (07:00–10:00)  — còn 0 phút" in text
    assert "hạn       T3 07/05/2024 10:00" in lines
    assert lines[-1].startswith("phiên bản")


def test_w5_skips_holidays_and_swap(cal):
    result = compute_due(cal, at("2025-04-29T14:00"), 3, "working_days")
    text = "\n".join(result.explanation)
    assert "Ngày Chiến thắng" in text and "Ngày Quốc tế Lao động" in text
    assert "Ngày nghỉ (thay cho ngày 26/04/2025)" in text


def test_w6_receipt_on_swapped_saturday(cal, package_only):
    assert cal.day_info(dt.date(2025, 4, 26)).kind == DayKind.MAKEUP
    assert cal.snap(at("2025-04-26T09:00")) == at("2025-04-26T09:00")
    assert package_only.snap(at("2025-04-26T09:00")) == at("2025-04-28T07:00")


def test_w7_national_day_2025(cal):
    result = compute_due(cal, at("2025-08-29T08:00"), 2, "working_days")
    assert result.statutory_due == at("2025-09-04T08:00")
    assert "Quốc khánh" in "\n".join(result.explanation)


def test_w8_same_result_without_the_unconfirmed_swap():
    without = calendar_with(
        extra=[Override(dt.date(2026, 8, 31), "working_day", "Làm việc bình thường")],
        drop=["2026-08-22"],
    )
    result = compute_due(without, at("2026-08-21T09:00"), 7, "working_days")
    assert result.statutory_due == at("2026-09-03T09:00")


def test_w9_budget_ends_at_1130_not_1330(cal):
    result = compute_due(cal, at("2026-08-27T13:30"), 4, "working_days")
    assert result.statutory_due == at("2026-09-07T11:30")


def test_w9_if_31_august_is_a_working_day():
    without = calendar_with(
        extra=[Override(dt.date(2026, 8, 31), "working_day", "Làm việc bình thường")],
        drop=["2026-08-22"],
    )
    result = compute_due(without, at("2026-08-27T13:30"), 4, "working_days")
    assert result.statutory_due == at("2026-09-04T11:30")


def test_w11_budget_ending_at_1700_stays_at_1700(cal):
    result = compute_due(cal, at("2025-03-15T09:00"), 2, "working_days")
    assert result.statutory_due == at("2025-03-18T17:00")
    assert "nghỉ cuối tuần" in result.explanation[0]


def test_w12_clock_starts_at_receipt_not_submission(cal):
    submitted = compute_due(cal, at("2025-03-09T21:00"), 2, "working_days")
    received = compute_due(cal, at("2025-03-10T08:15"), 2, "working_days")
    assert received.statutory_due == at("2025-03-12T08:15")
    assert submitted.statutory_due == at("2025-03-11T17:00")


def test_w13_pause_keeps_consumed_time(cal):
    pauses = pauses_of(["2025-03-05T10:00/2025-03-10T10:00"])
    result = compute_due(cal, at("2025-03-03T09:00"), 10, "working_days", pauses=pauses)
    assert result.statutory_due == at("2025-03-20T09:00")
    pause_line = next(line for line in result.explanation if line.startswith("tạm dừng"))
    assert "thêm 24 giờ làm việc" in pause_line
    assert "còn 63 giờ" in pause_line


def test_w13_paused_now_has_no_due_instant(cal):
    pauses = pauses_of(["2025-03-05T10:00/"])
    result = compute_due(cal, at("2025-03-03T09:00"), 10, "working_days", pauses=pauses)
    assert result.statutory_due is None
    assert result.paused
    assert result.remaining_minutes == 63 * 60
    assert not result.is_overdue(at("2030-01-01T00:00"))


def test_w14_two_pauses_holiday_inside_pause_and_swapped_saturday(cal):
    pauses = pauses_of(["2025-04-03T15:00/2025-04-08T09:00", "2025-04-22T14:00/2025-04-25T10:00"])
    result = compute_due(cal, at("2025-04-01T08:00"), 15, "working_days", pauses=pauses)
    assert result.statutory_due == at("2025-04-28T10:00")
    text = "\n".join(result.explanation)
    assert "Ngày Giỗ Tổ Hùng Vương" in text
    first_pause = next(line for line in result.explanation if line.startswith("tạm dừng"))
    assert "còn 99 giờ" in first_pause  # 120 h − 21 h before the pause
    assert cal.working_minutes(at("2025-04-08T09:00"), at("2025-04-22T14:00")) == 83 * 60


def test_pause_opened_after_budget_ran_out_changes_nothing(cal):
    late_pause = pauses_of(["2025-03-18T09:00/2025-03-25T09:00"])
    result = compute_due(cal, at("2025-03-03T09:00"), 10, "working_days", pauses=late_pause)
    assert result.statutory_due == at("2025-03-17T09:00")
    assert result.is_overdue(at("2025-03-18T09:00"))
    open_late = pauses_of(["2025-03-18T09:00/"])
    result = compute_due(cal, at("2025-03-03T09:00"), 10, "working_days", pauses=open_late)
    assert result.statutory_due == at("2025-03-17T09:00")


def test_w15_extension_statutory_and_promised(cal):
    result = compute_due(
        cal,
        at("2025-06-02T08:00"),
        5,
        "working_days",
        extension_to=at("2025-06-12T16:00"),
        apology_at=at("2025-06-05T16:00"),
    )
    assert result.statutory_due == at("2025-06-09T08:00")
    assert result.promised_due == at("2025-06-12T16:00")
    assert result.extension_minutes == 30 * 60
    resolved = at("2025-06-11T10:00")
    assert result.is_overdue(resolved)  # late in statistics
    assert resolved <= result.promised_due  # the promise is kept
    assert extension_refusal(result, at("2025-06-13T16:00"), at("2025-06-10T09:00"))


def test_w15_late_apology_grants_no_extension(cal):
    result = compute_due(
        cal,
        at("2025-06-02T08:00"),
        5,
        "working_days",
        extension_to=at("2025-06-12T16:00"),
        apology_at=at("2025-06-09T09:00"),
    )
    assert result.promised_due == result.statutory_due == at("2025-06-09T08:00")
    assert "sau khi đã hết hạn" in result.extension_refused


def test_extension_must_be_later_than_current_due(cal):
    result = compute_due(
        cal, at("2025-06-02T08:00"), 5, "working_days", extension_to=at("2025-06-06T08:00")
    )
    assert result.promised_due == result.statutory_due
    assert "không muộn hơn" in result.extension_refused


def test_extension_for_calendar_days_adds_days(cal):
    result = compute_due(
        cal, at("2025-06-11T10:00"), 4, "calendar_days", extension_to=at("2025-06-20T17:00")
    )
    assert result.statutory_due == at("2025-06-16T17:00")
    assert result.promised_due == at("2025-06-20T17:00")
    assert result.extension_days == 4


def test_w16_working_hours(cal):
    result = compute_due(cal, at("2025-05-30T15:30"), 4, "working_hours")
    assert result.statutory_due == at("2025-06-02T09:30")
    assert result.budget_minutes == 240


def test_w17_variant_explains_skipped_days(cal):
    result = compute_due(cal, at("2025-04-25T09:00"), 5, "calendar_days")
    text = "\n".join(result.explanation)
    assert "ngày cuối T4 30/04/2025" in text
    assert "Ngày Chiến thắng" in text and "Ngày nghỉ (thay cho ngày 26/04/2025)" in text


def test_calendar_day_pause_shifts_by_local_dates(cal):
    pauses = pauses_of(["2025-06-12T10:00/2025-06-13T09:00"])
    result = compute_due(cal, at("2025-06-11T10:00"), 4, "calendar_days", pauses=pauses)
    # day 4 = Sun 15/06 + 1 day = Mon 16/06, a working day
    assert result.statutory_due == at("2025-06-16T17:00")
    same_day = pauses_of(["2025-06-12T08:00/2025-06-12T16:00"])
    result = compute_due(cal, at("2025-06-11T10:00"), 4, "calendar_days", pauses=same_day)
    assert result.statutory_due == at("2025-06-16T17:00")
    long = pauses_of(["2025-06-12T08:00/2025-06-19T08:00"])
    result = compute_due(cal, at("2025-06-11T10:00"), 4, "calendar_days", pauses=long)
    assert result.statutory_due == at("2025-06-23T17:00")  # Sun 22/06 → Mon 23/06
    still = compute_due(
        cal, at("2025-06-11T10:00"), 4, "calendar_days", pauses=pauses_of(["2025-06-12T08:00/"])
    )
    assert still.statutory_due is None and still.remaining_days == 3


def test_calendar_months_use_last_day_of_short_month(cal):
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    result = compute_due(cal, at("2024-01-31T10:00"), 1, "calendar_months")
    assert result.statutory_due == at("2024-02-29T17:00")
    result = compute_due(cal, at("2025-10-31T10:00"), 1, "calendar_months")
    assert result.statutory_due == at("2025-12-01T17:00")  # Sun 30/11 → Mon 01/12
    result = compute_due(cal, at("2025-03-10T10:00"), 2, "calendar_months")
    assert result.statutory_due == at("2025-05-12T17:00")  # Sat 10/05 → Mon 12/05


def test_w18_same_day_resume_restarts_the_rule(cal):
    pauses = pauses_of(["2025-06-10T10:00/2025-06-12T16:00"])
    result = compute_due(
        cal, at("2025-06-10T09:00"), None, "same_day", pauses=pauses, cutoff=dt.time(15)
    )
    assert result.statutory_due == at("2025-06-13T17:00")


def test_same_day_without_cutoff_is_end_of_the_start_day(cal):
    result = compute_due(cal, at("2025-06-10T16:50"), None, "same_day")
    assert result.statutory_due == at("2025-06-10T17:00")


def test_w19_culture_day_and_its_switch(cal):
    info = cal.day_info(dt.date(2026, 11, 24))
    assert not info.working and info.name == "Ngày Văn hóa Việt Nam" and info.unconfirmed
    switched = calendar_with(
        extra=[Override(dt.date(2026, 11, 24), "working_day", "Làm việc (24/11 chưa có hiệu lực)")]
    )
    assert switched.day_info(dt.date(2026, 11, 24)).kind == DayKind.RESTORED
    result = compute_due(switched, at("2026-11-23T09:00"), 1, "working_days")
    assert result.statutory_due == at("2026-11-24T09:00")


def test_w20_step_budgets_and_attribution(cal):
    steps = [
        StepSpec("desk", 4 * 60, at("2025-03-03T09:00"), at("2025-03-03T16:00")),
        StepSpec("specialist", 48 * 60, at("2025-03-03T16:00"), at("2025-03-13T16:00")),
        StepSpec("leader", 16 * 60, at("2025-03-13T16:00"), at("2025-03-14T16:00")),
        StepSpec("return", 12 * 60, at("2025-03-14T16:00"), at("2025-03-17T16:00")),
    ]
    results = compute_steps(cal, steps)
    assert [r.due for r in results] == [
        at("2025-03-03T15:00"),
        at("2025-03-11T16:00"),
        at("2025-03-17T16:00"),
        at("2025-03-18T10:00"),
    ]
    assert [r.consumed_minutes // 60 for r in results] == [5, 64, 8, 8]
    assert [r.over_minutes // 60 for r in results] == [1, 16, -8, -4]
    assert [r.late for r in results] == [True, True, False, False]
    dossier = compute_due(cal, at("2025-03-03T09:00"), 10, "working_days")
    assert dossier.statutory_due == at("2025-03-17T09:00")
    late = lateness_minutes(cal, dossier.statutory_due, at("2025-03-17T16:00"))
    assert late == 300
    assert attribute_lateness(results, late) == [18, 282, 0, 0]


def test_attribution_rounding_difference_goes_to_largest_overrun():
    shares = attribute_lateness([10, 10, 10], 100)
    assert shares == [34, 33, 33]
    assert sum(attribute_lateness([7, 3, -5], 10)) == 10
    assert attribute_lateness([-1, 0], 50) == [0, 0]


def test_step_pause_is_excluded_from_consumed_time(cal):
    step = StepSpec(
        "specialist",
        16 * 60,
        at("2025-03-03T07:00"),
        at("2025-03-05T17:00"),
        pauses=tuple(pauses_of(["2025-03-04T07:00/2025-03-05T07:00"])),
    )
    [result] = compute_steps(cal, [step])
    assert result.consumed_minutes == 16 * 60
    assert result.due == at("2025-03-05T17:00")
    assert result.over_minutes == 0


# -- the calendar itself --------------------------------------------------------------------


def test_day_info_reasons(cal):
    assert cal.day_info(dt.date(2025, 3, 15)).kind == DayKind.WEEKEND
    assert cal.day_info(dt.date(2026, 4, 27)).kind == DayKind.COMPENSATORY
    assert cal.day_info(dt.date(2026, 4, 27)).label == "Nghỉ bù"
    holiday = cal.day_info(dt.date(2024, 4, 30))
    assert holiday.kind == DayKind.HOLIDAY and holiday.label == "Ngày nghỉ lễ"
    assert holiday.reason() == "Ngày nghỉ lễ: Ngày Chiến thắng"
    swap = cal.day_info(dt.date(2024, 4, 29))
    assert swap.kind == DayKind.SWAPPED_OFF and "2450/VPCP-KGVX" in swap.document
    makeup = cal.day_info(dt.date(2024, 5, 4))
    assert makeup.working and makeup.label == "Ngày làm bù"
    assert cal.day_info(dt.date(2024, 5, 6)).kind == DayKind.ORDINARY
    assert cal.day_info(dt.date(2025, 3, 17)).weekday_name == "Thứ Hai"


def test_notable_days_2026_match_the_reference_table(cal):
    days = {d.date: d for d in cal.notable_days(2026)}
    off = sorted(d for d, info in days.items() if not info.working)
    assert off == [
        dt.date(2026, 1, 1),
        *[dt.date(2026, 2, n) for n in range(16, 21)],
        dt.date(2026, 4, 27),
        dt.date(2026, 4, 30),
        dt.date(2026, 5, 1),
        dt.date(2026, 8, 31),
        dt.date(2026, 9, 1),
        dt.date(2026, 9, 2),
        dt.date(2026, 11, 24),
    ]
    assert [d for d, info in days.items() if info.working] == [dt.date(2026, 8, 22)]
    assert days[dt.date(2026, 8, 22)].unconfirmed and days[dt.date(2026, 8, 31)].unconfirmed


def test_notable_days_2024_and_2025(cal):
    off_2024 = [d.date for d in cal.notable_days(2024) if not d.working]
    assert len(off_2024) == 1 + 5 + 1 + 3 + 2
    assert [d.date for d in cal.notable_days(2024) if d.working] == [dt.date(2024, 5, 4)]
    off_2025 = [d.date for d in cal.notable_days(2025) if not d.working]
    assert off_2025 == [
        dt.date(2025, 1, 1),
        *[dt.date(2025, 1, n) for n in range(27, 32)],
        dt.date(2025, 4, 7),
        dt.date(2025, 4, 30),
        dt.date(2025, 5, 1),
        dt.date(2025, 5, 2),
        dt.date(2025, 9, 1),
        dt.date(2025, 9, 2),
    ]


def test_snap_rules(cal):
    assert cal.snap(at("2025-03-10T06:30")) == at("2025-03-10T07:00")
    assert cal.snap(at("2025-03-10T12:00")) == at("2025-03-10T13:30")
    assert cal.snap(at("2025-03-10T11:30")) == at("2025-03-10T13:30")
    assert cal.snap(at("2025-03-10T17:00")) == at("2025-03-11T07:00")
    assert cal.snap(at("2025-03-14T18:00")) == at("2025-03-17T07:00")
    utc = dt.datetime(2025, 3, 10, 2, 0, tzinfo=dt.UTC)  # 09:00 local
    assert cal.snap(utc) == at("2025-03-10T09:00")
    assert "nghỉ trưa" in cal.snap_note(at("2025-03-10T12:00"))
    assert "trước giờ làm việc" in cal.snap_note(at("2025-03-10T06:00"))
    assert "sau giờ làm việc" in cal.snap_note(at("2025-03-10T18:00"))


def test_add_working_returns_the_earliest_instant(cal):
    assert cal.add_working(at("2025-03-10T07:00"), 270) == at("2025-03-10T11:30")
    assert cal.add_working(at("2025-03-10T07:00"), 480) == at("2025-03-10T17:00")
    assert cal.add_working(at("2025-03-10T07:00"), 481) == at("2025-03-11T07:01")
    assert cal.add_working(at("2025-03-10T09:00"), 0) == at("2025-03-10T09:00")
    assert cal.working_minutes(at("2025-03-10T07:00"), at("2025-03-11T07:00")) == 480
    assert cal.working_minutes(at("2025-03-11T07:00"), at("2025-03-10T07:00")) == 0


def test_naive_instants_are_refused(cal):
    with pytest.raises(CalendarError):
        cal.snap(dt.datetime(2025, 3, 10, 9, 0))


def test_bad_amount_and_unit_are_refused(cal):
    with pytest.raises(CalendarError):
        compute_due(cal, at("2025-03-10T09:00"), 0, "working_days")
    with pytest.raises(CalendarError):
        compute_due(cal, at("2025-03-10T09:00"), 1, "fortnights")
    with pytest.raises(CalendarError):
        compute_due(
            cal,
            at("2025-03-10T09:00"),
            1,
            "working_days",
            pauses=pauses_of(["2025-03-10T10:00/2025-03-10T09:00"]),
        )


def test_working_hours_must_total_eight_hours():
    assert validate_hours(DEFAULT_HOURS) == DEFAULT_HOURS
    with pytest.raises(CalendarError, match="8 giờ"):
        validate_hours(((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17))))
    with pytest.raises(CalendarError):
        validate_hours(((dt.time(13, 0), dt.time(17, 0)), (dt.time(8, 0), dt.time(12, 0))))
    with pytest.raises(CalendarError):
        WorkCalendar(hours=((dt.time(8, 0), dt.time(15, 0)),))


def test_unit_hours_07_30_start():
    hours = ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 0), dt.time(17, 0)))
    unit_cal = calendar_with(hours=hours)
    assert unit_cal.snap(at("2025-03-10T07:10")) == at("2025-03-10T07:30")
    result = compute_due(unit_cal, at("2025-03-10T16:45"), 1, "working_days")
    assert result.statutory_due == at("2025-03-11T16:45")
    result = compute_due(unit_cal, at("2025-03-10T07:30"), 4, "working_hours")
    assert result.statutory_due == at("2025-03-10T11:30")


def test_hours_schedule_by_validity_dates():
    later = ((dt.time(8, 0), dt.time(12, 0)), (dt.time(13, 0), dt.time(17, 0)))
    unit_cal = WorkCalendar(hours_schedule=[HoursSpan(later, valid_from=dt.date(2025, 7, 1))])
    assert unit_cal.hours_for(dt.date(2025, 6, 30)) == DEFAULT_HOURS
    assert unit_cal.hours_for(dt.date(2025, 7, 1)) == later
    assert unit_cal.snap(at("2025-07-01T07:00")) == at("2025-07-01T08:00")


def test_local_day_off_applies_to_the_unit_only(cal):
    local = Override(dt.date(2025, 3, 11), "day_off", "Nghỉ sự kiện", "QĐ 12/QĐ-UBND", unit="X01")
    unit_cal = calendar_with(extra=[local], unit="X01")
    info = unit_cal.day_info(dt.date(2025, 3, 11))
    assert info.kind == DayKind.LOCAL_OFF
    assert "X01" in info.reason() and "QĐ 12/QĐ-UBND" in info.reason()
    result = compute_due(unit_cal, at("2025-03-10T09:00"), 1, "working_days")
    assert result.statutory_due == at("2025-03-12T09:00")
    assert "Ngày nghỉ riêng của đơn vị X01" in "\n".join(result.explanation)
    assert compute_due(cal, at("2025-03-10T09:00"), 1, "working_days").statutory_due == at(
        "2025-03-11T09:00"
    )


def test_unit_entry_wins_over_national_on_the_same_date():
    national = Override(dt.date(2024, 5, 4), "working_day", "Làm bù")
    local = Override(dt.date(2024, 5, 4), "day_off", "Nghỉ riêng", unit="X01")
    unit_cal = WorkCalendar(overrides=[local, national])
    assert unit_cal.day_info(dt.date(2024, 5, 4)).working is False
