"""Durations in words for the web pages, in the active language (Vietnamese first).

The calendar engine keeps its own Vietnamese `format_minutes` for explanations, the command
line and stored texts; pages use these, which read the same in Vietnamese and are translated
when the person chose English.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext


def days_text(n: int) -> str:
    """'3 ngày'."""
    return ngettext("%(n)s ngày", "%(n)s ngày", n) % {"n": n}


def hours_text(n: int) -> str:
    """'5 giờ'."""
    return ngettext("%(n)s giờ", "%(n)s giờ", n) % {"n": n}


def minutes_text(n: int) -> str:
    """'15 phút'."""
    return ngettext("%(n)s phút", "%(n)s phút", n) % {"n": n}


def hours_minutes(minutes: int) -> str:
    """'5 giờ', '2 giờ 30 phút', '15 phút' (as `engine.format_minutes`, translated)."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    if hours and rest:
        return f"{sign}{hours_text(hours)} {minutes_text(rest)}"
    if hours:
        return f"{sign}{hours_text(hours)}"
    return f"{sign}{minutes_text(rest)}"


def calendar_duration(minutes: float) -> str:
    """Calendar time: '2 ngày 3 giờ', '2 ngày', '4 giờ 10 phút', '10 phút'."""
    days, rest = divmod(int(minutes), 24 * 60)
    hours = rest // 60
    if days:
        return f"{days_text(days)} {hours_text(hours)}" if hours else days_text(days)
    mins = int(minutes) % 60
    return f"{hours_text(hours)} {minutes_text(mins)}" if hours else minutes_text(mins)


def working_duration(minutes: int | None, day_minutes: int = 8 * 60) -> str:
    """Working time: '1 ngày 4 giờ làm việc', '1 giờ 30 phút làm việc', '0 phút'."""
    if not minutes:
        return minutes_text(0)
    days, rest = divmod(minutes, day_minutes)
    hours, mins = divmod(rest, 60)
    parts = [days_text(days)] if days else []
    if hours:
        parts.append(hours_text(hours))
    if mins:
        parts.append(minutes_text(mins))
    return gettext("%(duration)s làm việc") % {"duration": " ".join(parts)}


def working_days_hours(minutes: int, day_minutes: int = 8 * 60) -> str:
    """A positive working time as people say it: '2 ngày 3 giờ', '3 giờ 20 phút', '15 phút'.

    A working day is the calendar's working minutes per day; from one day up the minutes are
    dropped (nobody plans a counter day to the minute), below it they are kept.
    """
    minutes = abs(int(minutes))
    days, rest = divmod(minutes, day_minutes)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days_text(days)} {hours_text(hours)}" if hours else days_text(days)
    if hours:
        return f"{hours_text(hours)} {minutes_text(mins)}" if mins else hours_text(hours)
    return minutes_text(mins)


def remaining_working_text(minutes: int | None, day_minutes: int = 8 * 60) -> str:
    """'còn 2 ngày 3 giờ làm việc' / 'quá hạn 1 ngày 2 giờ làm việc' ('' when unknown).

    The one wording of the time left on every officer page (queue and dossier page alike).
    """
    if minutes is None:
        return ""
    duration = working_days_hours(minutes, day_minutes)
    if minutes < 0:
        return gettext("quá hạn %(duration)s làm việc") % {"duration": duration}
    return gettext("còn %(duration)s làm việc") % {"duration": duration}
