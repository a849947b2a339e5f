"""The working calendar and the deadline clock — lịch làm việc và đồng hồ tính hạn.

Pure Python, no Django ORM: the calendar is `holidays.VN` (Vietnamese names) plus overlay
entries passed in as plain data; the clock implements deadlines.md §2–§3. All instants are
aware datetimes; the local zone is Asia/Ho_Chi_Minh (UTC+7, no daylight saving) and the
arithmetic is in whole minutes (seconds of an instant are dropped).
"""

from __future__ import annotations

import calendar as _stdcalendar
import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext, gettext_noop

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DAY_MINUTES = 8 * 60
# No real calendar has a year without a working day; a longer walk means a broken overlay.
MAX_WALK_DAYS = 3 * 366

Periods = tuple[tuple[dt.time, dt.time], ...]
DEFAULT_HOURS: Periods = ((dt.time(7, 0), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0)))

WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
WEEKDAY_SHORT = (
    gettext_noop("T2"),
    gettext_noop("T3"),
    gettext_noop("T4"),
    gettext_noop("T5"),
    gettext_noop("T6"),
    gettext_noop("T7"),
    gettext_noop("CN"),
)


class Phrase(str):
    """Vietnamese text that remembers the message and values it was built from.

    It is an ordinary string (the command line, the API and stored texts read the Vietnamese),
    and `translated()` renders it again in the active language on a page: the messages are
    marked with `gettext_noop` so the catalogue picks them up.
    """

    msg: str
    params: dict[str, Any]

    def __new__(cls, msg: str, /, **params: Any) -> Phrase:
        """`msg % params` as the string value; both kept for `translated()`."""
        obj = super().__new__(cls, msg % params if params else msg)
        obj.msg = msg
        obj.params = params
        return obj

    @classmethod
    def concat(cls, separator: str, parts: Sequence[str]) -> Phrase:
        """The parts one after the other (each translated on its own)."""
        msg = separator.join(f"%(p{i})s" for i in range(len(parts)))
        return cls(msg, **{f"p{i}": part for i, part in enumerate(parts)})

    def translated(self) -> str:
        """The text in the active language (Vietnamese is the source language)."""
        values = {k: translated(v) for k, v in self.params.items()}
        message = gettext(self.msg) if self.msg.strip("%()ps0123456789 ,;:") else self.msg
        return message % values if values else message


class Line(Phrase):
    """One explanation line: a short label (padded to nine characters) and its text."""

    label: str
    text: str

    def __new__(cls, label: str, text: str) -> Line:
        """'tính      T6 26/04  5 giờ …'."""
        obj = str.__new__(cls, f"{label:<9} {text}")
        obj.msg, obj.params, obj.label, obj.text = "", {}, label, text
        return obj

    def translated(self) -> str:
        """'tính: T6 26/04 …' in the active language."""
        return f"{gettext(self.label)}: {translated(self.text)}"


def translated(value: Any) -> str:
    """A `Phrase` in the active language; anything else as it is."""
    return value.translated() if isinstance(value, Phrase) else str(value)


class CalendarError(ValueError):
    """Bad calendar configuration or clock input (hours not totalling 8 h, naive instant ...)."""


class TimeUnit(enum.StrEnum):
    """Unit of a procedure's time limit — đơn vị thời hạn giải quyết."""

    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"
    CALENDAR_MONTHS = "calendar_months"
    SAME_DAY = "same_day"


class OverrideKind(enum.StrEnum):
    """What an overlay entry makes of its date."""

    DAY_OFF = "day_off"
    WORKING_DAY = "working_day"


class EntryStatus(enum.StrEnum):
    """How sure we are of an overlay entry (markers of the domain reference)."""

    CONFIRMED = "confirmed"
    SECONDARY = "secondary"
    UNCONFIRMED = "unconfirmed"


class DayKind(enum.StrEnum):
    """Why a day works or not."""

    ORDINARY = "ordinary"
    MAKEUP = "makeup"
    RESTORED = "restored"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    COMPENSATORY = "compensatory"
    SWAPPED_OFF = "swapped_off"
    LOCAL_OFF = "local_off"


DAY_KIND_LABELS = {
    DayKind.ORDINARY: gettext_noop("Ngày làm việc"),
    DayKind.MAKEUP: gettext_noop("Ngày làm bù"),
    DayKind.RESTORED: gettext_noop("Ngày làm việc (điều chỉnh)"),
    DayKind.WEEKEND: gettext_noop("Nghỉ cuối tuần"),
    DayKind.HOLIDAY: gettext_noop("Ngày nghỉ lễ"),
    DayKind.COMPENSATORY: gettext_noop("Nghỉ bù"),
    DayKind.SWAPPED_OFF: gettext_noop("Nghỉ hoán đổi"),
    DayKind.LOCAL_OFF: gettext_noop("Ngày nghỉ riêng của đơn vị"),
}
WEEKEND_IN_A_LINE = gettext_noop("nghỉ cuối tuần")
UNCONFIRMED_MARK = gettext_noop("[chưa xác nhận]")


@dataclass(frozen=True)
class Override:
    """One overlay entry: a day off or a working day on `date`, national unless `unit` is set."""

    date: dt.date
    kind: str
    name: str = ""
    document: str = ""
    unit: str | None = None
    status: str = EntryStatus.CONFIRMED

    def __post_init__(self) -> None:
        if self.kind not in OverrideKind.__members__.values():
            raise CalendarError(f"overlay kind {self.kind!r} must be 'day_off' or 'working_day'")


@dataclass(frozen=True)
class DayInfo:
    """Whether a date is a working day and why."""

    date: dt.date
    working: bool
    kind: DayKind
    name: str = ""
    document: str = ""
    unit: str | None = None
    status: str = ""

    @property
    def label(self) -> str:
        """Vietnamese label of the kind ("Ngày nghỉ lễ", "Nghỉ bù", "Ngày làm bù" ...)."""
        return DAY_KIND_LABELS[self.kind]

    @property
    def weekday_name(self) -> str:
        """Full Vietnamese weekday name ("Thứ Hai" ... "Chủ Nhật")."""
        return WEEKDAY_NAMES[self.date.weekday()]

    @property
    def unconfirmed(self) -> bool:
        """Whether the entry behind this day is marked [unconfirmed]."""
        return self.status == EntryStatus.UNCONFIRMED

    def reason(self) -> str:
        """One line saying why: kind, name, unit, document, and the [unconfirmed] mark."""
        label = WEEKEND_IN_A_LINE if self.kind == DayKind.WEEKEND else self.label
        text: str = Phrase(label)
        if self.kind == DayKind.LOCAL_OFF and self.unit:
            text = Phrase("%(label)s %(unit)s", label=text, unit=self.unit)
        if self.name and self.name.lower().startswith(self.label.lower()):
            text = self.name
        elif self.name:
            text = Phrase("%(label)s: %(name)s", label=text, name=self.name)
        if self.document:
            text = Phrase("%(text)s; %(document)s", text=text, document=self.document)
        if self.unconfirmed:
            text = Phrase("%(text)s %(mark)s", text=text, mark=Phrase(UNCONFIRMED_MARK))
        return text


@dataclass(frozen=True)
class HoursSpan:
    """Working periods valid on [valid_from, valid_to] (inclusive, open ends)."""

    periods: Periods
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        """Whether the span is valid on `day`."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )


def _minutes_of(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def validate_hours(periods: Iterable[Sequence[dt.time]]) -> Periods:
    """Return the periods as a tuple; CalendarError unless ordered, disjoint and totalling 8 h."""
    result = tuple((p[0], p[1]) for p in periods)
    if not result:
        raise CalendarError("giờ làm việc trống — working hours are empty")
    previous_end = -1
    total = 0
    for start, end in result:
        if start.second or end.second or start.microsecond or end.microsecond:
            raise CalendarError("giờ làm việc tính theo phút — working hours are whole minutes")
        s, e = _minutes_of(start), _minutes_of(end)
        if s >= e:
            raise CalendarError(
                f"khoảng {start:%H:%M}–{end:%H:%M} không hợp lệ — a period must end after it starts"
            )
        if s < previous_end:
            raise CalendarError(
                "các khoảng giờ làm việc chồng lấn — periods overlap or are unordered"
            )
        previous_end = e
        total += e - s
    if total != DAY_MINUTES:
        raise CalendarError(
            f"giờ làm việc phải đủ 8 giờ/ngày, hiện là {format_minutes(total)} — "
            f"working hours must total 8 h, got {total} min"
        )
    return result


PAUSE = gettext_noop("tạm dừng")
PAUSE_TOO_LATE = gettext_noop("%(at)s: mở sau khi đã hết thời hạn — không làm thay đổi hạn")
LIMIT = gettext_noop("thời hạn")
EXTENSION = gettext_noop("gia hạn")


def _line(label: str, text: str) -> Line:
    return Line(label, text)


def format_minutes(minutes: int) -> str:
    """Vietnamese duration: '5 giờ', '2 giờ 30 phút', '15 phút'."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    if hours and rest:
        return Phrase(gettext_noop("%(sign)s%(h)s giờ %(m)s phút"), sign=sign, h=hours, m=rest)
    if hours:
        return Phrase(gettext_noop("%(sign)s%(h)s giờ"), sign=sign, h=hours)
    return Phrase(gettext_noop("%(sign)s%(m)s phút"), sign=sign, m=rest)


def format_day(day: dt.date, year: bool = False) -> str:
    """'T6 26/04' or 'T6 26/04/2024'."""
    date = f"{day:%d/%m}" + (f"/{day:%Y}" if year else "")
    return Phrase("%(weekday)s %(date)s", weekday=Phrase(WEEKDAY_SHORT[day.weekday()]), date=date)


def format_instant(t: dt.datetime) -> str:
    """'T6 26/04/2024 10:00' in local time."""
    local = t.astimezone(TZ)
    day = format_day(local.date(), year=True)
    return Phrase("%(day)s %(time)s", day=day, time=f"{local:%H:%M}")


def to_local(t: dt.datetime) -> dt.datetime:
    """The instant in Asia/Ho_Chi_Minh, truncated to the minute; naive instants are refused."""
    if t.tzinfo is None or t.utcoffset() is None:
        raise CalendarError(f"instant {t.isoformat()} has no time zone")
    return t.astimezone(TZ).replace(second=0, microsecond=0)


_PACKAGE_DAYS: dict[int, dict[dt.date, str]] = {}
# Cumulative working days of a year, keyed by the year and its overlay entries (see _counts).
_YEAR_COUNTS: dict[tuple[int, tuple[tuple[dt.date, str], ...]], list[int]] = {}


def package_holiday(day: dt.date) -> str | None:
    """The name `holidays.VN` (in Vietnamese) gives `day`, if any; computed once a year per
    process (it is the same for every unit's calendar; a lookup in the package costs ~25 µs
    and a queue row overdue for a year used to ask it for every day in between)."""
    days = _PACKAGE_DAYS.get(day.year)
    if days is None:
        # Imported here, not at module level: `import holidays` loads every country's entity
        # registry (~0.1 s), which every `motcua` command paid at start-up.
        from holidays.countries.vietnam import Vietnam

        days = _PACKAGE_DAYS[day.year] = dict(Vietnam(language="vi", years=day.year))
    return days.get(day)


def preload() -> None:
    """Import `holidays` and read this year's days now: the web server calls it at start
    (motcua/wsgi.py) so that no request pays the first import (~0.1 s)."""
    package_holiday(dt.datetime.now(TZ).date())


def _classify_package(name: str) -> DayKind:
    if "(nghỉ bù" in name:
        return DayKind.COMPENSATORY
    if name.startswith("Ngày nghỉ (thay cho"):
        return DayKind.SWAPPED_OFF
    return DayKind.HOLIDAY


class WorkCalendar:
    """Working days and hours: holidays.VN (vi) + overlay entries, Mon–Fri, 8 h per day."""

    def __init__(
        self,
        hours: Iterable[Sequence[dt.time]] = DEFAULT_HOURS,
        overrides: Iterable[Override] = (),
        hours_schedule: Iterable[HoursSpan] = (),
        unit: str | None = None,
        version: str = "",
    ) -> None:
        # Imported here, not at module level: `import holidays` loads every country's entity
        # registry (~0.1 s), which every `motcua` command paid at start-up (docs/performance.md).
        from holidays.version import __version__ as holidays_version

        self.hours = validate_hours(hours)
        # Which calendar produced a result: frozen with a finished dossier's due instants.
        self.version = f"holidays {holidays_version}" + (f"; {version}" if version else "")
        self.hours_schedule = tuple(
            HoursSpan(validate_hours(s.periods), s.valid_from, s.valid_to) for s in hours_schedule
        )
        self.unit = unit
        merged: dict[dt.date, Override] = {}
        # National entries first; a unit's own entry for the same date wins.
        for entry in sorted(overrides, key=lambda o: o.unit is not None):
            merged[entry.date] = entry
        self.overrides = merged
        self._cache: dict[dt.date, DayInfo] = {}
        # Working days of a year before each of its days (index: day of the year - 1).
        self._year_counts: dict[int, list[int]] = {}

    # -- days -----------------------------------------------------------------------------

    def day_info(self, day: dt.date) -> DayInfo:
        """Whether `day` is a working day and why (weekend, holiday name, swap document ...)."""
        cached = self._cache.get(day)
        if cached is None:
            cached = self._cache[day] = self._day_info(day)
        return cached

    def _day_info(self, day: dt.date) -> DayInfo:
        package_name = package_holiday(day)
        entry = self.overrides.get(day)
        weekend = day.weekday() >= 5
        if entry is not None and entry.kind == OverrideKind.WORKING_DAY:
            kind = DayKind.MAKEUP if weekend else DayKind.ORDINARY
            if package_name and not weekend:
                kind = DayKind.RESTORED
            return DayInfo(
                day, True, kind, entry.name, entry.document, entry.unit, str(entry.status)
            )
        if package_name:
            doc = entry.document if entry is not None else ""
            status = str(entry.status) if entry is not None else ""
            return DayInfo(
                day, False, _classify_package(package_name), package_name, doc, None, status
            )
        if entry is not None:  # a day off the package does not know
            kind = DayKind.LOCAL_OFF if entry.unit else DayKind.SWAPPED_OFF
            if weekend and not entry.unit:
                kind = DayKind.WEEKEND
            return DayInfo(
                day, False, kind, entry.name, entry.document, entry.unit, str(entry.status)
            )
        if weekend:
            return DayInfo(day, False, DayKind.WEEKEND)
        return DayInfo(day, True, DayKind.ORDINARY)

    def is_working_day(self, day: dt.date) -> bool:
        """Whether `day` is a working day."""
        return self.day_info(day).working

    def notable_days(self, year: int) -> list[DayInfo]:
        """Every non-working weekday and every working Saturday/Sunday of `year`, in order."""
        day = dt.date(year, 1, 1)
        result = []
        while day.year == year:
            info = self.day_info(day)
            if info.working == (day.weekday() >= 5):
                result.append(info)
            day += dt.timedelta(days=1)
        return result

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day on or after `day`."""
        for _ in range(MAX_WALK_DAYS):
            if self.is_working_day(day):
                return day
            day += dt.timedelta(days=1)
        raise CalendarError(f"no working day within {MAX_WALK_DAYS} days of {day}")

    def hours_for(self, day: dt.date) -> Periods:
        """Working periods valid on `day` (the unit's schedule, else the default)."""
        for span in self.hours_schedule:
            if span.covers(day):
                return span.periods
        return self.hours

    def periods(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The working periods of `day` as aware instants; empty on a non-working day."""
        if not self.is_working_day(day):
            return []
        return [
            (dt.datetime.combine(day, s, TZ), dt.datetime.combine(day, e, TZ))
            for s, e in self.hours_for(day)
        ]

    def end_of_day(self, day: dt.date) -> dt.datetime:
        """End of working hours on `day` (17:00 by default)."""
        return dt.datetime.combine(day, self.hours_for(day)[-1][1], TZ)

    # -- instants -------------------------------------------------------------------------

    def snap(self, instant: dt.datetime) -> dt.datetime:
        """The instant itself if inside working time, else the start of the next working period."""
        t = to_local(instant)
        day = t.date()
        for _ in range(MAX_WALK_DAYS):
            for start, end in self.periods(day):
                if t < end:
                    return max(start, t)
            day += dt.timedelta(days=1)
        raise CalendarError(f"no working period within {MAX_WALK_DAYS} days of {t}")

    def snap_note(self, instant: dt.datetime) -> str:
        """Why `snap(instant)` is what it is, in Vietnamese."""
        t = to_local(instant)
        snapped = self.snap(t)
        if snapped == t:
            return Phrase(gettext_noop("tiếp nhận %(time)s, trong giờ làm việc"), time=f"{t:%H:%M}")
        info = self.day_info(t.date())
        why: str
        if not info.working:
            why = info.reason()
        else:
            periods = self.periods(t.date())
            if t < periods[0][0]:
                why = Phrase(gettext_noop("trước giờ làm việc"))
            elif t >= periods[-1][1]:
                why = Phrase(gettext_noop("sau giờ làm việc"))
            else:
                why = Phrase(gettext_noop("ngoài giờ làm việc (nghỉ trưa)"))
        return Phrase(
            gettext_noop("tiếp nhận %(at)s, %(why)s; bắt đầu tính từ %(start)s"),
            at=format_instant(t),
            why=why,
            start=format_instant(snapped),
        )

    def working_minutes(self, a: dt.datetime, b: dt.datetime) -> int:
        """Working minutes in [a, b); 0 if b is not after a."""
        a, b = to_local(a), to_local(b)
        if b <= a:
            return 0
        total = 0
        first, last = a.date(), b.date()
        for day in {first, last}:
            for start, end in self.periods(day):
                lo, hi = max(start, a), min(end, b)
                if hi > lo:
                    total += int((hi - lo).total_seconds()) // 60
        # Every working day between holds exactly DAY_MINUTES (`validate_hours`): a queue of
        # dossiers overdue for months adds them up from counts kept per year.
        return total + self.working_days_in(first + dt.timedelta(days=1), last) * DAY_MINUTES

    def working_days_in(self, lo: dt.date, hi: dt.date) -> int:
        """The number of working days in [lo, hi); 0 if hi is not after lo.

        A work queue shows dossiers overdue for years: the days are counted once per year and
        calendar, not walked again for every row (docs/performance.md, issue 16).
        """
        if hi <= lo:
            return 0
        if (hi - lo).days <= 31:
            return sum(
                self.is_working_day(lo + dt.timedelta(days=n)) for n in range((hi - lo).days)
            )
        total = 0
        while lo.year < hi.year:
            counts = self._counts(lo.year)
            total += counts[-1] - counts[lo.timetuple().tm_yday - 1]
            lo = dt.date(lo.year + 1, 1, 1)
        counts = self._counts(lo.year)
        return total + counts[hi.timetuple().tm_yday - 1] - counts[lo.timetuple().tm_yday - 1]

    def _counts(self, year: int) -> list[int]:
        counts = self._year_counts.get(year)
        if counts is None:
            # Whether a day works depends on the package and the year's overlay entries only:
            # calendars with the same entries (every unit without local ones) share the counts
            # across requests of this process.
            entries = (d_e for d_e in self.overrides.items() if d_e[0].year == year)
            key = (year, tuple(sorted((d, str(e.kind)) for d, e in entries)))
            counts = _YEAR_COUNTS.get(key)
            if counts is None:
                counts = [0]
                day = dt.date(year, 1, 1)
                while day.year == year:
                    counts.append(counts[-1] + self.is_working_day(day))
                    day += dt.timedelta(days=1)
                if len(_YEAR_COUNTS) > 4096:
                    _YEAR_COUNTS.clear()
                _YEAR_COUNTS[key] = counts
            self._year_counts[year] = counts
        return counts

    def add_working(self, instant: dt.datetime, minutes: int) -> dt.datetime:
        """The earliest instant at which `minutes` working minutes from `instant` are used up."""
        if minutes < 0:
            raise CalendarError("minutes must not be negative")
        t = to_local(instant)
        if minutes == 0:
            return t
        day = t.date()
        for _ in range(MAX_WALK_DAYS * 10):
            for start, end in self.periods(day):
                lo = max(start, t)
                if lo >= end:
                    continue
                available = int((end - lo).total_seconds()) // 60
                if minutes <= available:
                    return lo + dt.timedelta(minutes=minutes)
                minutes -= available
            day += dt.timedelta(days=1)
        raise CalendarError("working-time walk did not end")

    # -- explanation helpers ----------------------------------------------------------------

    def trace(self, a: dt.datetime, b: dt.datetime, left: int) -> tuple[list[str], int]:
        """Lines for the days from a to b: counted working time and skipped days; returns left."""
        a, b = to_local(a), to_local(b)
        records: list[dict[str, Any]] = []
        day = a.date()
        while day <= b.date():
            info = self.day_info(day)
            if not info.working:
                records.append({"type": "skip", "day": day, "info": info})
            else:
                parts = []
                for start, end in self.periods(day):
                    lo, hi = max(start, a), min(end, b)
                    if hi > lo:
                        parts.append((lo, hi))
                used = sum(int((hi - lo).total_seconds()) // 60 for lo, hi in parts)
                if used:
                    left -= used
                    full = used == DAY_MINUTES
                    records.append(
                        {
                            "type": "count",
                            "day": day,
                            "info": info,
                            "used": used,
                            "parts": parts,
                            "full": full,
                            "left": left,
                        }
                    )
            day += dt.timedelta(days=1)
        return _render_records(records), left


def _render_records(records: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    groups: list[list[dict[str, Any]]] = []
    for rec in records:
        if groups and _groupable(groups[-1][-1], rec):
            groups[-1].append(rec)
        else:
            groups.append([rec])
    for group in groups:
        first = group[0]
        days: str = Phrase.concat(", ", [format_day(r["day"]) for r in group])
        if len(group) > 2:
            days = Phrase.concat(" – ", [format_day(group[0]["day"]), format_day(group[-1]["day"])])
        if first["type"] == "skip":
            skipped = Phrase("%(days)s  %(why)s", days=days, why=first["info"].reason())
            lines.append(_line(gettext_noop("bỏ qua"), skipped))
            continue
        used = sum(r["used"] for r in group)
        detail: str = ""
        if not first["full"]:
            hours = ", ".join(f"{lo:%H:%M}–{hi:%H:%M}" for lo, hi in first["parts"])
            detail = f"  ({hours})"
        info: DayInfo = first["info"]
        if info.kind in (DayKind.MAKEUP, DayKind.RESTORED):
            detail = Phrase("%(detail)s  %(why)s", detail=detail, why=info.reason())
        text = Phrase(
            gettext_noop("%(days)s  %(used)s%(detail)s  — còn %(left)s"),
            days=days,
            used=format_minutes(used),
            detail=detail,
            left=format_minutes(group[-1]["left"]),
        )
        lines.append(_line(gettext_noop("tính"), text))
    return lines


def _groupable(prev: dict[str, Any], rec: dict[str, Any]) -> bool:
    if prev["type"] != rec["type"] or (rec["day"] - prev["day"]).days != 1:
        return False
    if rec["type"] == "skip":
        a, b = prev["info"], rec["info"]
        return a.kind == b.kind == DayKind.WEEKEND
    return (
        prev["full"] and rec["full"] and prev["info"].kind == rec["info"].kind == DayKind.ORDINARY
    )


# -- the clock ----------------------------------------------------------------------------

Pause = tuple[dt.datetime, dt.datetime | None]


@dataclass
class DueResult:
    """A computed deadline: statutory and promised due instants, and how they were found."""

    unit: str
    amount: int | None
    start: dt.datetime
    statutory_due: dt.datetime | None
    promised_due: dt.datetime | None
    budget_minutes: int | None = None
    remaining_minutes: int | None = None
    remaining_days: int | None = None
    extension_minutes: int | None = None
    extension_days: int | None = None
    extension_refused: str = ""
    explanation: list[str] = field(default_factory=list)

    @property
    def paused(self) -> bool:
        """Paused now within the budget: there is no due instant."""
        return self.statutory_due is None

    @property
    def extended(self) -> bool:
        """Whether an extension was granted."""
        return self.promised_due is not None and self.promised_due != self.statutory_due

    def is_overdue(self, at: dt.datetime) -> bool:
        """Overdue at `at`: the statutory due instant is before it (never while paused)."""
        return self.statutory_due is not None and self.statutory_due < at


def _budget_minutes(unit: TimeUnit, amount: int) -> int:
    return amount * (DAY_MINUTES if unit == TimeUnit.WORKING_DAYS else 60)


def _check_pauses(pauses: Iterable[Pause]) -> list[Pause]:
    result = []
    for opened, closed in pauses:
        to_local(opened)
        if closed is not None and to_local(closed) < to_local(opened):
            raise CalendarError(
                f"pause closes ({closed.isoformat()}) before it opens ({opened.isoformat()})"
            )
        result.append((opened, closed))
    result.sort(key=lambda p: p[0])
    if any(p[1] is None for p in result[:-1]):
        raise CalendarError("only the last pause may still be open")
    return result


def _run_working(
    cal: WorkCalendar, start: dt.datetime, budget: int, pauses: list[Pause], explain: bool
) -> tuple[dt.datetime | None, int, list[str]]:
    """deadlines.md §3: returns (due or None if paused now, remaining budget, lines)."""
    lines: list[str] = []
    remaining = budget
    cursor = start
    for opened, closed in pauses:
        p = to_local(opened)
        used = cal.working_minutes(cursor, p)
        if used >= remaining:
            due = cal.add_working(cursor, remaining)
            if explain:
                lines += cal.trace(cursor, due, remaining)[0]
                lines.append(_line(PAUSE, Phrase(PAUSE_TOO_LATE, at=format_instant(p))))
            return due, 0, lines
        if explain:
            lines += cal.trace(cursor, p, remaining)[0]
        remaining -= used
        if closed is None:
            if explain:
                text = Phrase(
                    gettext_noop("từ %(at)s, chưa kết thúc — chưa có hạn; còn %(left)s"),
                    at=format_instant(p),
                    left=format_minutes(remaining),
                )
                lines.append(_line(PAUSE, text))
            return None, remaining, lines
        resume = max(cal.snap(closed), cursor)
        if explain:
            added = cal.working_minutes(p, resume)
            inside = [
                Phrase("%(day)s %(why)s", day=format_day(d.date), why=d.reason())
                for d in _days_between(cal, p.date(), resume.date())
                if not d.working and d.kind != DayKind.WEEKEND
            ]
            note: str = ""
            if inside:
                note = Phrase(
                    gettext_noop("; trong thời gian tạm dừng: %(days)s"),
                    days=Phrase.concat("; ", inside),
                )
            text = Phrase(
                gettext_noop(
                    "từ %(start)s đến %(end)s: thêm %(added)s làm việc%(note)s  — còn %(left)s"
                ),
                start=format_instant(p),
                end=format_instant(resume),
                added=format_minutes(added),
                note=note,
                left=format_minutes(remaining),
            )
            lines.append(_line(PAUSE, text))
        cursor = resume
    due = cal.add_working(cursor, remaining)
    if explain:
        lines += cal.trace(cursor, due, remaining)[0]
    return due, remaining, lines


def _days_between(cal: WorkCalendar, first: dt.date, last: dt.date) -> list[DayInfo]:
    result = []
    day = first
    while day <= last:
        result.append(cal.day_info(day))
        day += dt.timedelta(days=1)
    return result


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day number `months` later, or the last day of that month if it does not exist."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = _stdcalendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def _push(cal: WorkCalendar, day: dt.date, explain: bool) -> tuple[dt.date, list[str]]:
    """The next working day on or after `day`, with lines for the skipped days."""
    lines = []
    skipped = []
    for _ in range(MAX_WALK_DAYS):
        info = cal.day_info(day)
        if info.working:
            break
        skipped.append({"type": "skip", "day": day, "info": info})
        day += dt.timedelta(days=1)
    if explain:
        lines = _render_records(skipped)
    return day, lines


def _run_calendar(
    cal: WorkCalendar,
    start: dt.datetime,
    unit: TimeUnit,
    amount: int,
    pauses: list[Pause],
    explain: bool,
) -> tuple[dt.datetime | None, dt.date, int | None, list[str]]:
    """Calendar days/months: returns (due, unpushed last date, remaining days if paused, lines)."""
    lines: list[str] = []
    base = start.date()
    if unit == TimeUnit.CALENDAR_DAYS:
        last = base + dt.timedelta(days=amount)
    else:
        last = add_months(base, amount)
    if explain:
        text = Phrase(
            gettext_noop("%(last)s (không tính ngày bắt đầu %(first)s)"),
            last=format_day(last, year=True),
            first=format_day(base),
        )
        lines.append(_line(gettext_noop("ngày cuối"), text))
    cursor_day = base
    for opened, closed in pauses:
        p = to_local(opened)
        current_due = cal.end_of_day(_push(cal, last, False)[0])
        if p >= current_due:
            if explain:
                lines.append(_line(PAUSE, Phrase(PAUSE_TOO_LATE, at=format_instant(p))))
            break
        if closed is None:
            remaining = (last - max(p.date(), cursor_day)).days
            if explain:
                text = Phrase(
                    gettext_noop("từ %(at)s, chưa kết thúc — chưa có hạn; còn %(days)s ngày"),
                    at=format_instant(p),
                    days=remaining,
                )
                lines.append(_line(PAUSE, text))
            return None, last, remaining, lines
        resume = cal.snap(closed)
        shift = max(0, (resume.date() - max(p.date(), cursor_day)).days)
        last += dt.timedelta(days=shift)
        cursor_day = max(cursor_day, resume.date())
        if explain:
            text = Phrase(
                gettext_noop(
                    "từ %(start)s đến %(end)s: thêm %(shift)s ngày, ngày cuối là %(last)s"
                ),
                start=format_instant(p),
                end=format_instant(resume),
                shift=shift,
                last=format_day(last, year=True),
            )
            lines.append(_line(PAUSE, text))
    day, skipped = _push(cal, last, explain)
    lines += skipped
    return cal.end_of_day(day), last, None, lines


def _run_same_day(
    cal: WorkCalendar,
    start: dt.datetime,
    cutoff: dt.time | None,
    pauses: list[Pause],
    explain: bool,
) -> tuple[dt.datetime | None, list[str]]:
    lines: list[str] = []

    def rule(t: dt.datetime) -> dt.datetime:
        day = t.date()
        if cutoff is not None and t.time() > cutoff:
            if explain:
                text = Phrase(
                    gettext_noop(
                        "nhận lúc %(at)s, sau %(cutoff)s: tính từ ngày làm việc tiếp theo"
                    ),
                    at=f"{t:%H:%M}",
                    cutoff=f"{cutoff:%H:%M}",
                )
                lines.append(_line(gettext_noop("giờ chốt"), text))
            day, skipped = _push(cal, day + dt.timedelta(days=1), explain)
            lines.extend(skipped)
        return cal.end_of_day(day)

    due = rule(start)
    for opened, closed in pauses:
        p = to_local(opened)
        if p >= due:
            if explain:
                lines.append(_line(PAUSE, Phrase(PAUSE_TOO_LATE, at=format_instant(p))))
            break
        if closed is None:
            if explain:
                text = Phrase(
                    gettext_noop("từ %(at)s, chưa kết thúc — chưa có hạn"), at=format_instant(p)
                )
                lines.append(_line(PAUSE, text))
            return None, lines
        resume = cal.snap(closed)
        if explain:
            text = Phrase(
                gettext_noop(
                    "từ %(start)s đến %(end)s: tính lại quy tắc trong ngày từ khi tiếp tục"
                ),
                start=format_instant(p),
                end=format_instant(resume),
            )
            lines.append(_line(PAUSE, text))
        due = rule(resume)
    return due, lines


def _parse_unit(unit: str | TimeUnit) -> TimeUnit:
    try:
        return TimeUnit(unit)
    except ValueError:
        choices = ", ".join(u.value for u in TimeUnit)
        raise CalendarError(f"unit {unit!r} must be one of {choices}") from None


def compute_due(
    calendar: WorkCalendar,
    start: dt.datetime,
    amount: int | None,
    unit: str | TimeUnit,
    pauses: Iterable[Pause] = (),
    cutoff: dt.time | None = None,
    extension_to: dt.datetime | None = None,
    apology_at: dt.datetime | None = None,
    explain: bool = True,
) -> DueResult:
    """Statutory and promised due instants of a clock started at `start` (deadlines.md §2–§3)."""
    tu = _parse_unit(unit)
    if tu != TimeUnit.SAME_DAY and (amount is None or amount <= 0):
        raise CalendarError("amount must be a positive whole number")
    pause_list = _check_pauses(pauses)
    received = to_local(start)
    snapped = calendar.snap(received)
    start_text = Phrase(
        "%(at)s (%(note)s)", at=format_instant(snapped), note=calendar.snap_note(received)
    )
    lines: list[str] = [_line(gettext_noop("bắt đầu"), start_text)]
    if calendar.unit:
        unit_text = Phrase(gettext_noop("đơn vị %(unit)s"), unit=calendar.unit)
        lines.append(_line(gettext_noop("lịch"), unit_text))
    result = DueResult(
        unit=tu.value, amount=amount, start=snapped, statutory_due=None, promised_due=None
    )
    assert amount is not None or tu == TimeUnit.SAME_DAY

    if tu in (TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS):
        assert amount is not None
        budget = _budget_minutes(tu, amount)
        result.budget_minutes = budget
        what = (
            gettext_noop("ngày làm việc")
            if tu == TimeUnit.WORKING_DAYS
            else gettext_noop("giờ làm việc")
        )
        text = Phrase(
            "%(amount)s %(what)s = %(budget)s",
            amount=amount,
            what=Phrase(what),
            budget=format_minutes(budget),
        )
        lines.append(_line(LIMIT, text))
        due, remaining, walk = _run_working(calendar, snapped, budget, pause_list, explain)
        lines += walk
        result.statutory_due = due
        if due is None:
            result.remaining_minutes = remaining
    elif tu in (TimeUnit.CALENDAR_DAYS, TimeUnit.CALENDAR_MONTHS):
        assert amount is not None
        what = (
            gettext_noop("ngày theo lịch")
            if tu == TimeUnit.CALENDAR_DAYS
            else gettext_noop("tháng theo lịch")
        )
        text = Phrase(
            gettext_noop("%(amount)s %(what)s (Bộ luật Dân sự, Điều 147–148)"),
            amount=amount,
            what=Phrase(what),
        )
        lines.append(_line(LIMIT, text))
        due, _last, remaining_days, walk = _run_calendar(
            calendar, snapped, tu, amount, pause_list, explain
        )
        lines += walk
        result.statutory_due = due
        result.remaining_days = remaining_days
    else:
        rule = (
            Phrase(gettext_noop("giờ chốt %(cutoff)s"), cutoff=f"{cutoff:%H:%M}")
            if cutoff
            else Phrase(gettext_noop("không có giờ chốt"))
        )
        lines.append(_line(LIMIT, Phrase(gettext_noop("trong ngày (%(rule)s)"), rule=rule)))
        due, walk = _run_same_day(calendar, snapped, cutoff, pause_list, explain)
        lines += walk
        result.statutory_due = due

    if result.statutory_due is None:
        no_due = Phrase(gettext_noop("chưa có — hồ sơ đang tạm dừng"))
        lines.append(_line(gettext_noop("hạn"), no_due))
    else:
        lines.append(_line(gettext_noop("hạn"), format_instant(result.statutory_due)))
    result.promised_due = result.statutory_due

    if extension_to is not None:
        refused = _extension_refusal(result, extension_to, apology_at)
        if refused:
            result.extension_refused = refused
            text = Phrase(gettext_noop("không gia hạn: %(why)s"), why=refused)
            lines.append(_line(EXTENSION, text))
        else:
            assert result.statutory_due is not None
            new = to_local(extension_to)
            if tu in (TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS):
                assert result.budget_minutes is not None
                extra = calendar.working_minutes(result.statutory_due, new)
                result.extension_minutes = extra
                promised, _rem, _walk = _run_working(
                    calendar, snapped, result.budget_minutes + extra, pause_list, False
                )
                result.promised_due = promised
                text = Phrase(
                    gettext_noop("thêm %(extra)s làm việc (từ %(start)s đến %(end)s)"),
                    extra=format_minutes(extra),
                    start=format_instant(result.statutory_due),
                    end=format_instant(new),
                )
                lines.append(_line(EXTENSION, text))
            else:
                days = (new.date() - result.statutory_due.date()).days
                result.extension_days = days
                day, skipped = _push(
                    calendar, result.statutory_due.date() + dt.timedelta(days), True
                )
                text = Phrase(gettext_noop("thêm %(days)s ngày"), days=days)
                lines.append(_line(EXTENSION, text))
                lines += skipped
                result.promised_due = calendar.end_of_day(day)
            assert result.promised_due is not None
            text = Phrase(
                gettext_noop("%(due)s (hạn đã hẹn lại)"), due=format_instant(result.promised_due)
            )
            lines.append(_line(gettext_noop("hạn hẹn"), text))
    version = Phrase(gettext_noop("lịch %(version)s"), version=calendar.version)
    lines.append(_line(gettext_noop("phiên bản"), version))
    result.explanation = lines if explain else []
    return result


def _extension_refusal(
    current: DueResult, new_due: dt.datetime, apology_at: dt.datetime | None
) -> str:
    if current.statutory_due is None:
        return Phrase(gettext_noop("hồ sơ đang tạm dừng, chưa có hạn để gia hạn"))
    if current.extended:
        return Phrase(gettext_noop("hồ sơ đã được gia hạn một lần"))
    if apology_at is not None and to_local(apology_at) > current.statutory_due:
        return Phrase(
            gettext_noop("văn bản xin lỗi (%(apology)s) sau khi đã hết hạn (%(due)s)"),
            apology=format_instant(apology_at),
            due=format_instant(current.statutory_due),
        )
    if to_local(new_due) <= (current.promised_due or current.statutory_due):
        return Phrase(
            gettext_noop("ngày hẹn mới (%(due)s) không muộn hơn hạn hiện tại"),
            due=format_instant(new_due),
        )
    return ""


def extension_refusal(
    current: DueResult, new_due: dt.datetime, apology_at: dt.datetime | None = None
) -> str:
    """Why an extension to `new_due` would be refused ('' if it would be granted)."""
    return _extension_refusal(current, new_due, apology_at)


# -- step budgets (deadlines.md §2(g), W20) -------------------------------------------------


@dataclass(frozen=True)
class StepSpec:
    """One step of a procedure's internal process: its budget and its actual span."""

    name: str
    budget_minutes: int
    start: dt.datetime
    end: dt.datetime | None = None
    pauses: tuple[Pause, ...] = ()


@dataclass(frozen=True)
class StepResult:
    """A step's due instant, consumed working time and overrun (negative = under budget)."""

    name: str
    budget_minutes: int
    start: dt.datetime
    due: dt.datetime | None
    end: dt.datetime | None
    consumed_minutes: int
    over_minutes: int

    @property
    def late(self) -> bool:
        """Late on its own account: consumed more than its budget."""
        return self.over_minutes > 0


def consumed_minutes(
    calendar: WorkCalendar, start: dt.datetime, end: dt.datetime, pauses: Iterable[Pause] = ()
) -> int:
    """Working minutes from snap(start) to `end`, excluding pauses (open pauses run to `end`)."""
    total = calendar.working_minutes(calendar.snap(start), end)
    for opened, closed in _check_pauses(pauses):
        lo = max(to_local(opened), to_local(start))
        hi = min(calendar.snap(closed) if closed is not None else to_local(end), to_local(end))
        if hi > lo:
            total -= calendar.working_minutes(lo, hi)
    return max(total, 0)


def compute_steps(
    calendar: WorkCalendar, steps: Iterable[StepSpec], at: dt.datetime | None = None
) -> list[StepResult]:
    """Per-step due instant, consumed time (to `end`, or to `at` if unfinished) and overrun."""
    results = []
    for step in steps:
        due, _rem, _lines = _run_working(
            calendar,
            calendar.snap(step.start),
            step.budget_minutes,
            _check_pauses(step.pauses),
            False,
        )
        until = step.end or at
        used = consumed_minutes(calendar, step.start, until, step.pauses) if until else 0
        results.append(
            StepResult(
                step.name,
                step.budget_minutes,
                to_local(step.start),
                due,
                to_local(step.end) if step.end else None,
                used,
                used - step.budget_minutes,
            )
        )
    return results


def lateness_minutes(calendar: WorkCalendar, due: dt.datetime, finished: dt.datetime) -> int:
    """Working minutes from the statutory due instant to the finishing instant (0 if on time)."""
    return calendar.working_minutes(due, finished)


def attribute_lateness(steps: Sequence[StepResult | int], late_minutes: int) -> list[int]:
    """Split `late_minutes` over the steps in proportion to their overruns, in whole minutes.

    Steps within budget get nothing; each share is rounded to the nearest minute (halves up) and
    the rounding difference goes to the largest overrun (the first one on a tie).
    """
    overs = [max(s.over_minutes if isinstance(s, StepResult) else int(s), 0) for s in steps]
    total = sum(overs)
    if late_minutes <= 0 or total == 0:
        return [0] * len(overs)
    shares = [(2 * late_minutes * o + total) // (2 * total) if o else 0 for o in overs]
    largest = max(range(len(overs)), key=lambda i: (overs[i], -i))
    shares[largest] += late_minutes - sum(shares)
    return shares
