"""Process caches keyed by change tokens see every write, whatever path it takes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.audit.stamps import CALENDAR, UNITS, StampedCache, tokens
from motcua.conftest import Province, make_user
from motcua.people.choices import Role
from motcua.people.models import Membership
from motcua.people.scope import current_graph, forget_scope, visible_unit_ids
from motcua.units.models import Unit, UnitSuccession
from motcua.workcalendar.models import CalendarEntry
from motcua.workcalendar.selectors import get_calendar, get_calendars

pytestmark = pytest.mark.django_db


def test_every_kind_of_write_replaces_the_token(province: Province) -> None:
    before = tokens(UNITS)
    assert before[0]
    Unit.objects.filter(pk=province.commune_a.pk).update(name="Xã Đổi Tên")  # no signal
    after_update = tokens(UNITS)
    assert after_update != before
    Unit.objects.bulk_create([Unit(code="BULK1", name="Xã Mới", level="commune")])
    assert tokens(UNITS) != after_update
    with connection.cursor() as cursor:  # raw SQL, as an import or a hand fix would
        cursor.execute("DELETE FROM units_unit WHERE code = 'BULK1'")
    assert tokens(UNITS) not in (before, after_update)


def test_scope_sees_a_unit_moved_by_a_bulk_update(province: Province) -> None:
    leader = make_user("chief")
    Membership.objects.create(user=leader, unit=province.district, role=Role.LEADER)
    stranger = Unit.objects.create(code="ZZ", name="Xã Ngoài", level="commune")
    assert stranger.pk not in (visible_unit_ids(leader) or ())
    graph = current_graph()
    assert current_graph() is graph  # kept while nothing changed
    # Attached under the leader's district without a save(): the graph is read again.
    Unit.objects.filter(pk=stranger.pk).update(parent=province.district)
    forget_scope(leader)
    assert current_graph() is not graph
    assert stranger.pk in (visible_unit_ids(leader) or ())


def test_calendar_sees_a_day_off_written_by_bulk_create(province: Province) -> None:
    unit = province.commune_a
    day = dt.date(2099, 3, 11)
    first = get_calendar(unit)
    assert first.is_working_day(day)
    assert get_calendars([unit])[unit.pk] is first
    CalendarEntry.objects.bulk_create(
        [CalendarEntry(date=day, kind="day_off", name="Nghỉ bão", unit=unit)]
    )
    again = get_calendar(unit)
    assert again is not first and not again.is_working_day(day)
    # Renaming the unit (no calendar table touched) rebuilds it too: it carries the unit code.
    Unit.objects.filter(pk=unit.pk).update(code="C1X")
    unit.refresh_from_db()
    assert get_calendars([unit])[unit.pk].unit == "C1X"


def test_a_rolled_back_write_leaves_the_cache_right(province: Province) -> None:
    unit = province.commune_a
    day = dt.date(2099, 4, 14)
    with pytest.raises(RuntimeError), transaction.atomic():
        CalendarEntry.objects.create(date=day, kind="day_off", name="Tạm", unit=unit)
        assert not get_calendar(unit).is_working_day(day)  # built inside the transaction
        raise RuntimeError
    assert get_calendar(unit).is_working_day(day)  # the old token came back with the old rows


def test_nothing_is_cached_without_a_token() -> None:
    cache = StampedCache()
    built: list[int] = []

    def build() -> int:
        built.append(1)
        return len(built)

    assert cache.get("k", (None,), build) == 1
    assert cache.get("k", (None,), build) == 2
    assert cache.get("k", ("t1",), build) == 3
    assert cache.get("k", ("t1",), build) == 3
    assert cache.get("k", ("t2",), build) == 4


def test_successions_are_watched_too(province: Province) -> None:
    before = tokens(UNITS)
    UnitSuccession.objects.filter(pk__in=[]).delete()
    link = UnitSuccession.objects.first()
    assert link is not None
    UnitSuccession.objects.filter(pk=link.pk).update(is_principal=not link.is_principal)
    assert tokens(UNITS) != before
    assert tokens(CALENDAR)[0]


def test_tokens_are_read_once_per_get_request_and_every_time_elsewhere(db: None) -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory

    from motcua.audit.stamps import CALENDAR, FIELDS, UNITS, RequestTokensMiddleware, bump, tokens

    reads: list[int] = []
    seen: list[tuple[str | None, ...]] = []

    def view(request: object) -> HttpResponse:
        with CaptureQueriesContext(connection) as ctx:
            seen.append(tokens(UNITS))
            tokens(CALENDAR, UNITS)
            tokens(FIELDS)
        reads.append(len(ctx.captured_queries))
        return HttpResponse()

    middleware = RequestTokensMiddleware(view)
    factory = RequestFactory()
    middleware(factory.get("/"))
    bump(UNITS)  # between two requests: the next one sees the new token
    middleware(factory.get("/"))
    middleware(factory.post("/"))  # a request that may write reads them every time
    assert reads == [1, 1, 3]
    assert seen[0] != seen[1] == seen[2]
    with CaptureQueriesContext(connection) as ctx:  # outside a request too
        tokens(UNITS)
        tokens(UNITS)
    assert len(ctx.captured_queries) == 2
