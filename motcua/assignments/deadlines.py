"""Deadlines as worded (assignments.md §4): the kind and the due date of a wording.

Pure: no database. `read_deadline("trước ngày 10/12/2024", issued=2024-10-15)` gives
`Deadline(kind="before_date", due=2024-12-09)`. The wording is read without diacritics, so
"truoc ngay 10/12/2024" reads the same. Rules (motcua DECISION, assignments.md §4):

- by date ("chậm nhất ngày 15/12/2024", "hoàn thành ngày …"): that date, inclusive, never moved
  off a Sunday;
- before date ("trước ngày 10/12/2024"): the day before, unless the province makes it inclusive;
- within month ("(chậm nhất) trong tháng 12/2024"): the month's last calendar day;
- relative ("trong 10 ngày kể từ ngày ký", "trong 05 ngày làm việc", "trong 02 tháng"): from the
  document's date, the day of signing not counted; working days with the working calendar;
- recurring ("định kỳ hằng tháng", "hằng quý", "báo cáo tháng trước ngày 20"): no single date,
  each occurrence gets its own (`occurrence_due`);
- continuous ("thường xuyên", "tiếp tục"), as soon as possible ("khẩn trương", "trong thời gian
  sớm nhất") and none (empty): no date.
"""

from __future__ import annotations

import calendar as _stdcalendar
import datetime as dt
import re
from dataclasses import dataclass

from motcua.assignments.choices import DeadlineKind
from motcua.lib.vntext import fold
from motcua.workcalendar.engine import WorkCalendar, add_months

K = DeadlineKind
NO_DATE_KINDS = frozenset({K.RECURRING, K.CONTINUOUS, K.ASAP, K.NONE})


class DeadlineError(ValueError):
    """A wording that cannot be read; `part` is the piece that could not be read."""

    def __init__(self, message: str, part: str, *, impossible: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.part = part
        self.impossible = impossible  # a date that does not exist (31/02), not an odd wording


@dataclass(frozen=True)
class Deadline:
    """The kind of a wording and its due date (None for kinds without a date)."""

    kind: str
    due: dt.date | None
    text: str = ""
    recurrence: str = ""  # monthly / quarterly / half_yearly / yearly / weekly (recurring)
    day_of_period: int | None = None  # "trước ngày 20" of a recurring report

    def as_json(self) -> dict[str, str | None]:
        """The contract of `motcua tasks due --format json`."""
        return {"kind": str(self.kind), "due": self.due.isoformat() if self.due else None}


_DATE = r"(\d{1,2})\s*[/\-.]\s*(\d{1,2})(?:\s*[/\-.]\s*(\d{4}))?"
_MONTH = re.compile(r"trong (?:thang|thoi gian thang) (\d{1,2})\s*[/\-.]\s*(\d{4})")
_MONTH_WORDS = re.compile(r"trong thang (\d{1,2}) nam (\d{4})")
_BEFORE = re.compile(r"truoc (?:ngay )?" + _DATE)
_RELATIVE = re.compile(
    r"(?:trong (?:vong |thoi han |thoi gian )?|sau )(\d{1,3}) (ngay lam viec|ngay|thang|tuan)"
)
_BY = re.compile(r"(?:cham nhat|han|hoan thanh|xong|trong|ngay|truoc|den)[^0-9]{0,20}?" + _DATE)
_BARE_DATE = re.compile(r"^(?:ngay )?" + _DATE + r"$")
_RECURRING = (
    ("hang tuan", "weekly"),
    ("hang thang", "monthly"),
    ("hang quy", "quarterly"),
    ("6 thang", "half_yearly"),
    ("sau thang", "half_yearly"),
    ("hang nam", "yearly"),
    ("dinh ky", "monthly"),
    ("bao cao thang", "monthly"),
    ("bao cao quy", "quarterly"),
    ("bao cao nam", "yearly"),
)
_CONTINUOUS = ("thuong xuyen", "tiep tuc", "lien tuc")
_ASAP = ("khan truong", "som nhat", "ngay lap tuc", "kip thoi", "cap bach")
_DAY_OF_PERIOD = re.compile(r"truoc ngay (\d{1,2})(?![\d/\-.])")


def _make_date(day: str, month: str, year: str | None, issued: dt.date) -> dt.date:
    part = f"{day}/{month}" + (f"/{year}" if year else "")
    y = int(year) if year else issued.year
    try:
        value = dt.date(y, int(month), int(day))
    except ValueError:
        raise DeadlineError(f"ngày không có thật: «{part}»", part, impossible=True) from None
    if not year and value < issued:  # "trước ngày 20/01" written in December: next year
        value = dt.date(y + 1, value.month, value.day)
    return value


def _month_end(month: str, year: str) -> dt.date:
    part = f"{month}/{year}"
    m, y = int(month), int(year)
    if not 1 <= m <= 12:
        raise DeadlineError(f"tháng không có thật: «{part}»", part, impossible=True)
    return dt.date(y, m, _stdcalendar.monthrange(y, m)[1])


def add_working_days(cal: WorkCalendar, start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start` (the start day itself not counted)."""
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if cal.is_working_day(day):
            counted += 1
    return day


def read_deadline(
    text: str,
    *,
    issued: dt.date,
    calendar: WorkCalendar | None = None,
    before_inclusive: bool = False,
) -> Deadline:
    """The kind and due date of a deadline wording, from the document's date `issued`.

    Raises DeadlineError naming the part that could not be read.
    """
    original = (text or "").strip()
    words = fold(original).strip(" .;,:")
    if not words or words in {"khong", "khong co", "khong neu", "-", "khong thoi han"}:
        return Deadline(K.NONE, None, original)
    for key, recurrence in _RECURRING:
        if key in words and not re.search(r"trong (?:vong )?6 thang", words):
            found = _DAY_OF_PERIOD.search(words)
            return Deadline(
                K.RECURRING, None, original, recurrence, int(found.group(1)) if found else None
            )
    if m := (_MONTH.search(words) or _MONTH_WORDS.search(words)):
        return Deadline(K.WITHIN_MONTH, _month_end(m.group(1), m.group(2)), original)
    if m := _BEFORE.search(words):
        day = _make_date(m.group(1), m.group(2), m.group(3), issued)
        due = day if before_inclusive else day - dt.timedelta(days=1)
        return Deadline(K.BEFORE_DATE, due, original)
    if m := _RELATIVE.search(words):
        count, unit = int(m.group(1)), m.group(2)
        if count == 0:
            raise DeadlineError(f"thời hạn bằng 0: «{m.group(0)}»", m.group(0))
        if unit == "ngay lam viec":
            due = add_working_days(calendar or WorkCalendar(), issued, count)
        elif unit == "thang":
            due = add_months(issued, count)
        elif unit == "tuan":
            due = issued + dt.timedelta(days=7 * count)
        else:
            due = issued + dt.timedelta(days=count)
        return Deadline(K.RELATIVE, due, original)
    if m := (_BY.search(words) or _BARE_DATE.search(words)):
        return Deadline(K.BY_DATE, _make_date(m.group(1), m.group(2), m.group(3), issued), original)
    if any(key in words for key in _CONTINUOUS):
        return Deadline(K.CONTINUOUS, None, original)
    if any(key in words for key in _ASAP):
        return Deadline(K.ASAP, None, original)
    raise DeadlineError(f"không đọc được thời hạn: «{original}»", original)


def occurrence_due(deadline: Deadline, period_end: dt.date) -> dt.date:
    """Due date of one occurrence of a recurring task whose data window ends on `period_end`.

    "báo cáo tháng trước ngày 20": the 19th of the month after the window; otherwise the last
    day of the month after the window (a report is due after the period it reports on).
    """
    nxt = period_end + dt.timedelta(days=1)
    if deadline.day_of_period:
        last = _stdcalendar.monthrange(nxt.year, nxt.month)[1]
        return dt.date(nxt.year, nxt.month, min(deadline.day_of_period, last + 1)) - dt.timedelta(
            days=1
        )
    return dt.date(nxt.year, nxt.month, _stdcalendar.monthrange(nxt.year, nxt.month)[1])


def due_in_force(
    original: dt.date | None,
    changes: list[tuple[dt.date, dt.date]],
    on: dt.date,
) -> dt.date | None:
    """The due date in force on `on`, given extensions as (decided_on, new_due), in order.

    An extension counts only if decided on or before `on` and before the due date it replaced
    had passed: an extension granted after the deadline does not turn a late task on time.
    """
    due = original
    for decided_on, new_due in sorted(changes):
        if decided_on > on:
            break
        if due is not None and decided_on > due:
            continue
        due = new_due
    return due
