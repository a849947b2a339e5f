"""Two runners at once never send the same row twice, and each dossier stays in order."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from motcua.conftest import Province
from motcua.national.choices import OutboxState
from motcua.national.delivery import Answer, HttpPortal, claim, deliver_pending
from motcua.national.models import OutboxRow
from motcua.national.tests.fakeportal import FakeClock, FakePortal
from motcua.national.tests.helpers import config_for, dossier_with_rows, procedure_for


@pytest.mark.django_db
def test_a_claimed_row_cannot_be_claimed_again_until_its_lease_ends(province: Province) -> None:
    d = dossier_with_rows(province, procedure_for(province), 2)
    head, second = OutboxRow.objects.filter(dossier=d).order_by("sequence")
    config = config_for("http://127.0.0.1:1/")
    now = timezone.now()
    assert claim(head.pk, now, config)
    assert not claim(head.pk, now, config)  # the second runner
    assert not claim(second.pk, now, config)  # never the row behind it
    later = now + dt.timedelta(seconds=config.lease_seconds)
    assert claim(head.pk, later, config)  # the first runner died: the lease ran out
    head.refresh_from_db()
    assert head.attempts == 2


class Recording:
    """Sends through HTTP and remembers, per thread, the last key sent."""

    def __init__(self, url: str) -> None:
        self.real = HttpPortal(config_for(url))
        self.last = threading.local()

    def send(self, row: OutboxRow) -> Answer:
        self.last.key = str(row.idempotency_key)
        return self.real.send(row)


@pytest.mark.django_db(transaction=True)
def test_two_runners_at_once_send_each_row_once_in_order(province: Province) -> None:
    procedure = procedure_for(province)
    dossiers = [dossier_with_rows(province, procedure, 3, hour=7 + i) for i in range(8)]
    keys = [str(k) for k in OutboxRow.objects.values_list("idempotency_key", flat=True)]
    clock = FakeClock(timezone.now())
    # The in-memory SQLite test database (shared cache) answers "table is locked" instead of
    # waiting as PostgreSQL and SQLite files do; a runner stopped that way right after a send
    # leaves its row claimed, to be sent again after the lease: that key may travel twice.
    interrupted: set[str] = set()
    errors: list[Exception] = []
    start = threading.Barrier(2)

    with FakePortal(latency=0.02) as portal:
        recording = Recording(portal.url)
        config = config_for(portal.url, batch_size=3)

        def run() -> None:
            try:
                start.wait()
                for _ in range(200):
                    recording.last.key = None
                    try:
                        deliver_pending(config=config, portal=recording, now=clock)
                    except Exception as exc:
                        if "locked" not in str(exc):
                            errors.append(exc)
                            return
                        if recording.last.key:
                            interrupted.add(recording.last.key)
                        time.sleep(0.02)
                        continue
                    if not OutboxRow.objects.filter(state=OutboxState.PENDING).exists():
                        return
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        clock.advance(config.lease_seconds)  # rows left claimed by an interrupted runner
        deliver_pending(config=config, portal=recording, now=clock)

    assert errors == []
    assert not OutboxRow.objects.exclude(state=OutboxState.DELIVERED).exists()
    sent = Counter(portal.requests)
    assert set(sent) == set(keys)
    twice = {k for k, n in sent.items() if n > 1}
    assert twice <= interrupted
    if connection.vendor == "postgresql":
        assert interrupted == set() and twice == set()
    assert portal.out_of_order == []
    for d in dossiers:
        assert portal.sequences(d.code) == [1, 2, 3]
