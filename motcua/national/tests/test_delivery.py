"""`deliver_pending` against a local fake portal that fails on purpose (docs/national-sync.md)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.utils import timezone

from motcua.conftest import Province
from motcua.national.choices import OutboxState
from motcua.national.delivery import Answer, HttpPortal, backoff_delay, deliver_pending
from motcua.national.models import OutboxRow
from motcua.national.selectors import sync_state
from motcua.national.tests.fakeportal import FakeClock, FakePortal
from motcua.national.tests.helpers import config_for, dossier_with_rows, procedure_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(province: Province) -> Any:
    return procedure_for(province)


@pytest.fixture
def portal() -> Any:
    with FakePortal() as fake:
        yield fake


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(timezone.now().replace(microsecond=0))


def keys_of(dossier: Any) -> dict[int, str]:
    return {r.sequence: str(r.idempotency_key) for r in OutboxRow.objects.filter(dossier=dossier)}


def states(dossier: Any) -> list[str]:
    return list(
        OutboxRow.objects.filter(dossier=dossier)
        .order_by("sequence")
        .values_list("state", flat=True)
    )


def test_everything_is_delivered_in_order_once(
    province: Province, procedure: Any, portal: FakePortal, clock: FakeClock
) -> None:
    a = dossier_with_rows(province, procedure, 6, hour=9)
    b = dossier_with_rows(province, procedure, 3, hour=10)
    report = deliver_pending(config=config_for(portal.url), now=clock)
    assert (report.delivered, report.failed, report.waiting, report.exit_code) == (9, 0, 0, 0)
    assert portal.sequences(a.code) == [1, 2, 3, 4, 5, 6]
    assert portal.sequences(b.code) == [1, 2, 3]
    assert portal.out_of_order == [] and portal.unauthorised == 0
    every_key = [*keys_of(a).values(), *keys_of(b).values()]
    assert Counter(portal.requests) == Counter(every_key)  # each row sent exactly once
    assert states(a) == [OutboxState.DELIVERED] * 6
    row = OutboxRow.objects.get(dossier=a, sequence=6)
    assert (row.attempts, row.delivered_at, row.claimed_until) == (1, clock(), None)
    body = portal.applied[str(row.idempotency_key)]
    assert body["TrangThaiHoSo"] == 10 and body["DuLieu"]["MaHoSo"] == a.code
    # a delivered row is never sent again
    again = deliver_pending(config=config_for(portal.url), now=clock)
    assert (again.delivered, again.failed) == (0, 0)
    assert len(portal.requests) == 9
    assert sync_state(a).label == "Đã đồng bộ lên Cổng Dịch vụ công quốc gia"


def test_a_failing_row_backs_off_exponentially_and_holds_back_its_dossier(
    province: Province, procedure: Any, portal: FakePortal, clock: FakeClock
) -> None:
    a = dossier_with_rows(province, procedure, 3, hour=9)
    b = dossier_with_rows(province, procedure, 2, hour=10)
    portal.plan[(a.code, 1)] = [500, 500, 500]
    config = config_for(portal.url, backoff=60, backoff_max=200)
    t0 = clock()

    report = deliver_pending(config=config, now=clock)
    # b is not held back by a's failure; a's rows 2 and 3 are never sent before row 1
    assert (report.delivered, report.failed, report.exit_code) == (2, 1, 1)
    assert portal.sequences(b.code) == [1, 2]
    assert report.waiting == 3
    head = OutboxRow.objects.get(dossier=a, sequence=1)
    assert head.state == OutboxState.PENDING
    assert (head.attempts, head.last_error) == (1, "Cổng trả lời lỗi HTTP 500")
    assert head.next_attempt_at == t0 + dt.timedelta(seconds=60)
    assert head.last_attempt_at == t0
    state = sync_state(a)
    assert state.status == "failed"
    assert state.label.startswith("Lỗi đồng bộ: Cổng trả lời lỗi HTTP 500 (thử lại lúc ")

    clock.advance(59)
    assert deliver_pending(config=config, now=clock).failed == 0
    assert len(portal.requests) == 3  # a#1 once, b#1, b#2

    clock.advance(1)  # t0 + 60: second attempt, fails, waits 120 s
    deliver_pending(config=config, now=clock)
    head.refresh_from_db()
    assert (head.attempts, head.next_attempt_at) == (2, t0 + dt.timedelta(seconds=180))

    clock.advance(120)  # t0 + 180: third attempt, fails, 240 s capped at 200
    deliver_pending(config=config, now=clock)
    head.refresh_from_db()
    assert (head.attempts, head.next_attempt_at) == (3, t0 + dt.timedelta(seconds=380))

    clock.advance(199)
    assert deliver_pending(config=config, now=clock).delivered == 0
    clock.advance(1)  # t0 + 380: delivered, and the rest of the dossier follows in order
    report = deliver_pending(config=config, now=clock)
    assert (report.delivered, report.failed, report.waiting) == (3, 0, 0)
    assert portal.sequences(a.code) == [1, 2, 3]
    assert portal.out_of_order == []
    assert states(a) == [OutboxState.DELIVERED] * 3
    head.refresh_from_db()
    assert (head.attempts, head.last_error, head.next_attempt_at) == (4, "", None)


@pytest.mark.parametrize("failure", ["slow", "drop"])
def test_an_answer_lost_after_the_portal_accepted_is_resent_and_applied_once(
    province: Province, procedure: Any, portal: FakePortal, clock: FakeClock, failure: str
) -> None:
    a = dossier_with_rows(province, procedure, 2)
    portal.plan[(a.code, 1)] = [failure]
    config = config_for(portal.url)
    report = deliver_pending(config=config, now=clock)
    assert (report.delivered, report.failed) == (0, 1)
    expected = {
        "slow": "Cổng không trả lời trong 0.3 giây",
        "drop": "mất kết nối với Cổng trước khi nhận được trả lời",
    }[failure]
    assert report.failures[0].error == expected
    first = keys_of(a)[1]
    assert list(portal.applied) == [first]  # the portal had it all along
    clock.advance(60)
    report = deliver_pending(config=config, now=clock)
    assert (report.delivered, report.failed) == (2, 0)
    assert portal.requests.count(first) == 2  # sent twice with the same key ...
    assert portal.sequences(a.code) == [1, 2]  # ... applied once, in order
    assert states(a) == [OutboxState.DELIVERED] * 2


class CrashAfterSending:
    """Sends for real, then dies before the runner can mark the row (a killed process)."""

    def __init__(self, url: str) -> None:
        self.real = HttpPortal(config_for(url))

    def send(self, row: OutboxRow) -> Answer:
        self.real.send(row)
        raise KeyboardInterrupt


def test_a_crash_between_send_and_mark_resends_after_the_lease_with_the_same_key(
    province: Province, procedure: Any, portal: FakePortal, clock: FakeClock
) -> None:
    a = dossier_with_rows(province, procedure, 2)
    config = config_for(portal.url)
    with pytest.raises(KeyboardInterrupt):
        deliver_pending(config=config, portal=CrashAfterSending(portal.url), now=clock)
    head = OutboxRow.objects.get(dossier=a, sequence=1)
    assert head.state == OutboxState.PENDING
    assert head.claimed_until == clock() + dt.timedelta(seconds=config.lease_seconds)
    # while the dead runner's lease lasts nobody sends it (nor the row behind it)
    clock.advance(config.lease_seconds - 1)
    assert deliver_pending(config=config, now=clock).delivered == 0
    clock.advance(1)
    report = deliver_pending(config=config, now=clock)
    assert (report.delivered, report.failed) == (2, 0)
    assert Counter(portal.requests)[keys_of(a)[1]] == 2
    assert portal.sequences(a.code) == [1, 2]
    head.refresh_from_db()
    assert head.attempts == 2 and head.state == OutboxState.DELIVERED


def test_limit_caps_the_sends_of_a_pass(
    province: Province, procedure: Any, portal: FakePortal, clock: FakeClock
) -> None:
    a = dossier_with_rows(province, procedure, 4)
    report = deliver_pending(config=config_for(portal.url), now=clock, limit=3)
    assert (report.delivered, report.waiting) == (3, 1)
    assert portal.sequences(a.code) == [1, 2, 3]


def test_an_unreachable_portal_is_a_failure_not_a_crash(
    province: Province, procedure: Any, clock: FakeClock
) -> None:
    a = dossier_with_rows(province, procedure, 1)
    with FakePortal() as gone:
        url = gone.url
    report = deliver_pending(config=config_for(url), now=clock)
    assert report.failures[0].error == "không kết nối được Cổng"
    assert OutboxRow.objects.get(dossier=a).state == OutboxState.PENDING


def test_backoff_doubles_from_the_base_and_stops_at_the_cap() -> None:
    config = config_for("http://127.0.0.1:1/", backoff=30, backoff_max=600)
    delays = [backoff_delay(n, config).total_seconds() for n in range(1, 7)]
    assert delays == [30, 60, 120, 240, 480, 600]


def test_without_back_off_a_failed_row_still_waits_for_the_next_pass(
    province: Province, procedure: Any, portal: FakePortal, clock: FakeClock
) -> None:
    a = dossier_with_rows(province, procedure, 3)
    portal.plan[(a.code, 2)] = [500, 500]
    config = config_for(portal.url, backoff=0, backoff_max=0)
    report = deliver_pending(config=config, now=clock)
    assert (report.delivered, report.failed) == (1, 1)
    report = deliver_pending(config=config, now=clock)
    assert (report.delivered, report.failed) == (0, 1)
    report = deliver_pending(config=config, now=clock)
    assert (report.delivered, report.failed) == (2, 0)
    assert Counter(portal.requests)[keys_of(a)[2]] == 3
    assert portal.sequences(a.code) == [1, 2, 3]
