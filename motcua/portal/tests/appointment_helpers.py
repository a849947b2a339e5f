"""Helpers of the appointment tests: a fixed clock and two communes' desks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from motcua.conftest import REFORM, Province, make_unit, make_user
from motcua.people.choices import Role
from motcua.people.models import User
from motcua.portal.appointments import book_appointment
from motcua.portal.models import Appointment
from motcua.portal.tests.account_helpers import Setup
from motcua.units.models import Unit
from motcua.workcalendar.engine import TZ

# Wednesday 28/04/2027, 09:10 local. Thursday 29/04 works; Friday 30/04 is Reunification
# Day, then the weekend of 1–2/05.
NOW = dt.datetime(2027, 4, 28, 9, 10, tzinfo=TZ)


def at(day: int, hour: int, minute: int = 0, month: int = 4) -> dt.datetime:
    """A local instant of 2027."""
    return dt.datetime(2027, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture(name="clock")
def clock_fixture(monkeypatch: pytest.MonkeyPatch) -> dict[str, dt.datetime]:
    """`timezone.now()` answers `clock["now"]` (NOW unless a test moves it)."""
    state = {"now": NOW}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])
    return state


@dataclass
class Desks:
    """The commune desk of `Setup` and a second commune with its own desk and officer."""

    setup: Setup
    other_centre: Unit
    other_officer: User


@pytest.fixture(name="desks")
def desks_fixture(setup: Setup, province: Province, clock: Any) -> Desks:
    """See `Desks`."""
    other = make_unit(
        "N2.TTPV",
        "Trung tâm Phục vụ hành chính công xã Lấp Vò",
        "subunit",
        province.new_commune_2,
        kind="service_centre",
        has_one_stop=True,
        valid_from=REFORM,
    )
    officer = make_user("lena", (other, Role.ONE_STOP_OFFICER), full_name="Phan Thị Lê")
    setup.procedure.competent_units.add(province.new_commune_2)
    return Desks(setup, other, officer)


APPLICANT = {
    "name": "Nguyễn Thị Mai",
    "phone": "0912 345 678",
    "email": "mai@example.vn",
    "id_number": "087190001234",
    "address": "",
}


def book(setup: Setup, start: dt.datetime, **kw: Any) -> Appointment:
    """A counter booking at the setup's centre."""
    values: dict[str, Any] = {
        "procedure": setup.procedure,
        "unit": setup.centre,
        "kind": "counter",
        "start": start,
        "applicant": dict(APPLICANT),
    }
    values.update(kw)
    return book_appointment(**values)
