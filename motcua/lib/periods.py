"""Reporting periods (kỳ báo cáo): Decree 09/2019 windows, calendar periods, custom ranges.

A period [F, T] covers the instants from F 00:00 local time up to, and excluding, (T + 1 day)
00:00 local (statistics.md §1). Syntax: `2023-Q3`, `2023-M09`, `2023-H1`, `2023`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DECREE09 = "decree09"
CALENDAR = "calendar"
CUSTOM = "custom"
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_SYNTAX = re.compile(r"^(\d{4})(?:-(Q[1-4]|M(0[1-9]|1[0-2])|H[12]))?$")


class PeriodError(ValueError):
    """A period that cannot be read."""


@dataclass(frozen=True)
class Period:
    """An inclusive range of local dates with its family and a label."""

    first: dt.date
    last: dt.date
    family: str = CUSTOM
    name: str = ""

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise PeriodError(f"the period ends ({self.last}) before it starts ({self.first})")

    @property
    def start(self) -> dt.datetime:
        """The first instant of the period (F 00:00 local)."""
        return dt.datetime.combine(self.first, dt.time(0), tzinfo=TZ)

    @property
    def end(self) -> dt.datetime:
        """The instant just after the period ((T + 1) 00:00 local, excluded)."""
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(0), tzinfo=TZ)

    @property
    def label(self) -> str:
        """Vietnamese label with the exact window, e.g. 'Quý III/2023 (15/06/2023–14/09/2023)'."""
        window = f"{self.first:%d/%m/%Y}–{self.last:%d/%m/%Y}"
        if not self.name:
            return f"Từ ngày {self.first:%d/%m/%Y} đến ngày {self.last:%d/%m/%Y}"
        return f"{self.name} ({window})"

    @property
    def in_words(self) -> str:
        """'từ ngày 15/06/2023 đến ngày 14/09/2023' as printed under a table's title."""
        return f"từ ngày {self.first:%d/%m/%Y} đến ngày {self.last:%d/%m/%Y}"

    def previous(self, count: int = 1) -> list[Period]:
        """The `count` periods of the same kind before this one, oldest first (named only)."""
        result: list[Period] = []
        current = self
        for _ in range(count):
            current = _shift(current, -1)
            result.append(current)
        return list(reversed(result))

    def as_json(self) -> dict[str, str]:
        """The `period` object of the statistics contract."""
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


def _month_window(year: int, month: int, family: str) -> tuple[dt.date, dt.date]:
    if family == CALENDAR:
        first = dt.date(year, month, 1)
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    prev_year, prev_month = (year - 1, 12) if month == 1 else (year, month - 1)
    return dt.date(prev_year, prev_month, 15), dt.date(year, month, 14)


def _span(year: int, first_month: int, last_month: int, family: str) -> tuple[dt.date, dt.date]:
    first, _ = _month_window(year, first_month, family)
    _, last = _month_window(year, last_month, family)
    return first, last


def parse_period(text: str, *, calendar: bool = False) -> Period:
    """Read `2023-Q3`, `2023-M09`, `2023-H1` or `2023` (Decree 09 windows unless `calendar`)."""
    match = _SYNTAX.match(text.strip())
    if not match:
        raise PeriodError(
            f"{text!r} is not a period (use 2023-Q3, 2023-M09, 2023-H1 or 2023, "
            "or --from/--to dates)"
        )
    year = int(match.group(1))
    part = match.group(2) or ""
    family = CALENDAR if calendar else DECREE09
    if part.startswith("Q"):
        q = int(part[1])
        first, last = _span(year, 3 * q - 2, 3 * q, family)
        name = f"Quý {ROMAN[q]}/{year}"
    elif part.startswith("M"):
        month = int(part[1:])
        first, last = _month_window(year, month, family)
        name = f"Tháng {month:02d}/{year}"
    elif part.startswith("H"):
        h = int(part[1])
        first, last = _span(year, 6 * h - 5, 6 * h, family)
        name = f"{'6 tháng đầu năm' if h == 1 else '6 tháng cuối năm'} {year}"
    else:
        first, last = _span(year, 1, 12, family)
        name = f"Năm {year}"
    return Period(first, last, family, name)


def custom_period(first: dt.date, last: dt.date) -> Period:
    """An arbitrary [first, last] range."""
    return Period(first, last, CUSTOM, "")


def _shift(period: Period, step: int) -> Period:
    if period.family == CUSTOM or not period.name:
        length = (period.last - period.first).days + 1
        first = period.first + dt.timedelta(days=step * length)
        return custom_period(first, first + dt.timedelta(days=length - 1))
    calendar = period.family == CALENDAR
    year = period.last.year
    if period.name.startswith("Quý"):
        q = (period.last.month - 1) // 3 + 1 + step
        year += (q - 1) // 4
        q = (q - 1) % 4 + 1
        return parse_period(f"{year}-Q{q}", calendar=calendar)
    if period.name.startswith("Tháng"):
        m = period.last.month + step
        year += (m - 1) // 12
        m = (m - 1) % 12 + 1
        return parse_period(f"{year}-M{m:02d}", calendar=calendar)
    if period.name.startswith("6 tháng"):
        h = (1 if period.last.month <= 6 else 2) + step
        year += (h - 1) // 2
        h = (h - 1) % 2 + 1
        return parse_period(f"{year}-H{h}", calendar=calendar)
    return parse_period(f"{year + step}", calendar=calendar)
