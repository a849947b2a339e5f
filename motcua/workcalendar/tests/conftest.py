"""Fixtures: calendars built without the database."""

from __future__ import annotations

import pytest

from motcua.workcalendar.engine import WorkCalendar
from motcua.workcalendar.swaps import shipped_overrides


@pytest.fixture(scope="session")
def cal() -> WorkCalendar:
    """National calendar: holidays.VN plus the shipped swap table."""
    return WorkCalendar(overrides=shipped_overrides())


@pytest.fixture(scope="session")
def package_only() -> WorkCalendar:
    """holidays.VN alone, without motcua's worked Saturdays."""
    return WorkCalendar()
