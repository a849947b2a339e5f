"""Parsing clock input written by people (CLI, API, web form): ISO instants, pauses, cut-offs.

Each parser raises ValueError with a message that does not name the argument; callers
prefix the argument name (`--start: ...`, `{"start": [...]}`).
"""

from __future__ import annotations

import datetime as dt
import re

from motcua.workcalendar.engine import TZ, Pause, TimeUnit


def parse_instant(text: str) -> dt.datetime:
    """ISO 8601 date-time; without an offset it is local time (Asia/Ho_Chi_Minh)."""
    value = (text or "").strip()
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=TZ)
    return parsed.astimezone(TZ)


_VN_INSTANT = re.compile(
    r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"
    r"(?:[ T,]+(?P<H>\d{1,2})[:hg](?P<M>\d{2})?(?::(?P<S>\d{2}))?)?$"
)


def parse_local_instant(text: str, *, date_only: dt.time | None = None) -> dt.datetime:
    """A person's instant: `15/12/2026 16:00`, `15/12/2026` alone, or ISO 8601.

    Vietnamese order (day/month/year) first; `16h00` and `16h` are read too. A date without
    a time takes `date_only` (ValueError when None). Local time (Asia/Ho_Chi_Minh) unless an
    ISO offset is given. An impossible date (31/02) is a ValueError.
    """
    value = " ".join((text or "").split())
    match = _VN_INSTANT.match(value)
    if match is None:
        return parse_instant(value.replace(" ", "T", 1))
    parts = match.groupdict()
    day = dt.date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
    if parts["H"] is None:
        if date_only is None:
            raise ValueError(f"{text!r} has no time of day")
        return dt.datetime.combine(day, date_only, tzinfo=TZ)
    moment = dt.time(int(parts["H"]), int(parts["M"] or 0), int(parts["S"] or 0))
    return dt.datetime.combine(day, moment, tzinfo=TZ)


def format_local_instant(value: dt.datetime) -> str:
    """`15/12/2026 16:00` in local time: how instants are shown in forms."""
    return value.astimezone(TZ).strftime("%d/%m/%Y %H:%M")


def parse_pause(text: str) -> Pause:
    """'FROM/TO' (two ISO instants); 'FROM/' is a pause still open."""
    opened_text, sep, closed_text = (text or "").partition("/")
    if not sep:
        raise ValueError(f"{text!r} must be two ISO 8601 instants joined by '/' (FROM/TO)")
    opened = parse_instant(opened_text)
    closed = parse_instant(closed_text) if closed_text.strip() else None
    if closed is not None and closed < opened:
        raise ValueError(f"{text!r}: the pause ends before it starts")
    return opened, closed


def parse_cutoff(text: str) -> dt.time:
    """'HH:MM' local time of day."""
    try:
        value = dt.time.fromisoformat((text or "").strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a time of day HH:MM") from None
    if value.second or value.microsecond or value.tzinfo:
        raise ValueError(f"{text!r} is not a time of day HH:MM")
    return value


def parse_unit(text: str) -> TimeUnit:
    """One of working_days, working_hours, calendar_days, calendar_months, same_day."""
    try:
        return TimeUnit((text or "").strip())
    except ValueError:
        choices = ", ".join(u.value for u in TimeUnit)
        raise ValueError(f"{text!r} is not one of {choices}") from None


def parse_amount(text: str | int | None, unit: TimeUnit) -> int | None:
    """A positive whole number; not needed (ignored if absent) for same_day."""
    if text is None or (isinstance(text, str) and not text.strip()):
        if unit == TimeUnit.SAME_DAY:
            return None
        raise ValueError(f"is required for the unit {unit.value}")
    try:
        value = int(str(text).strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a positive whole number") from None
    if value <= 0:
        raise ValueError(f"{text!r} is not a positive whole number")
    return value


def parse_year(text: str | int | None) -> int:
    """A year between 1995 and 2100."""
    try:
        value = int(str(text).strip())
    except (TypeError, ValueError):
        raise ValueError(f"{text!r} is not a year") from None
    if not 1995 <= value <= 2100:
        raise ValueError(f"{value} is outside 1995–2100")
    return value
