"""Working minutes over long spans (a queue of dossiers overdue for months) add whole days at
once; they must equal the day-by-day sum of the working periods."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.workcalendar.engine import WorkCalendar
from motcua.workcalendar.tests.support import at


def by_periods(cal: WorkCalendar, a: dt.datetime, b: dt.datetime) -> int:
    total, day = 0, a.date()
    while day <= b.date():
        for start, end in cal.periods(day):
            lo, hi = max(start, a), min(end, b)
            if hi > lo:
                total += int((hi - lo).total_seconds()) // 60
        day += dt.timedelta(days=1)
    return total


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2024-02-07T09:00", "2024-02-20T10:15"),  # Tết 2024
        ("2024-04-26T10:00", "2025-05-07T16:40"),  # swaps, makeup Saturdays, a whole year
        # Counted per year (issue 16): three New Years, two Tết, ends on a year's first days.
        ("2023-12-29T15:00", "2026-01-02T10:00"),
        ("2024-01-01T08:00", "2024-12-31T17:00"),
        ("2025-03-03T12:00", "2025-03-03T14:00"),  # one day, across lunch
        ("2025-03-07T18:00", "2025-03-10T06:00"),  # a weekend, outside hours on both ends
        ("2025-03-10T10:00", "2025-03-10T09:00"),  # end before start
    ],
)
def test_long_spans_match_the_day_by_day_sum(cal: WorkCalendar, start: str, end: str) -> None:
    a, b = at(start), at(end)
    assert cal.working_minutes(a, b) == max(0, by_periods(cal, a, b))


def test_year_counts_follow_each_calendars_own_entries(cal: WorkCalendar) -> None:
    """Counts are shared between calendars of this process only when their entries agree: a
    unit's local day off (and a worked Saturday) changes its figure, not the national one."""
    from motcua.workcalendar.engine import Override, OverrideKind
    from motcua.workcalendar.tests.support import calendar_with

    a, b = at("2024-03-01T08:00"), at("2026-03-02T08:00")
    national = cal.working_minutes(a, b)
    local = calendar_with(
        [
            Override(dt.date(2025, 6, 10), OverrideKind.DAY_OFF, "Nghỉ", unit="DT.1"),
            Override(dt.date(2025, 6, 14), OverrideKind.WORKING_DAY, "Làm bù", unit="DT.1"),
            Override(dt.date(2025, 6, 16), OverrideKind.DAY_OFF, "Nghỉ", unit="DT.1"),
        ]
    )
    assert local.working_minutes(a, b) == by_periods(local, a, b) == national - 480
    # Asked again after the local calendar filled the shared counts: unchanged.
    assert WorkCalendar(overrides=list(cal.overrides.values())).working_minutes(a, b) == national
    assert national == by_periods(cal, a, b)
