"""Helpers for the calendar tests: local instants and calendars with edited overlays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from motcua.workcalendar.engine import TZ, Override, WorkCalendar
from motcua.workcalendar.swaps import shipped_overrides


def at(text: str) -> dt.datetime:
    """A local (Asia/Ho_Chi_Minh) instant from 'YYYY-MM-DDTHH:MM'."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def pauses_of(texts: Iterable[str]) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """'FROM/TO' strings as pause tuples."""
    result = []
    for text in texts:
        opened, _, closed = text.partition("/")
        result.append((at(opened), at(closed) if closed else None))
    return result


def calendar_with(
    extra: Iterable[Override] = (), drop: Iterable[str] = (), **kwargs: Any
) -> WorkCalendar:
    """The shipped calendar with entries added (replacing the same date) or dropped."""
    extra = list(extra)
    gone = {dt.date.fromisoformat(d) for d in drop} | {o.date for o in extra}
    base = [o for o in shipped_overrides() if o.date not in gone]
    return WorkCalendar(overrides=[*base, *extra], **kwargs)
