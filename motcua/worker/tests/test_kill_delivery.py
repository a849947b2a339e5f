"""Faults (issue 16 item 9, for tasks): a worker process is killed with SIGKILL in the middle
of a national-portal delivery, while the portal holds the request it has already applied.
A worker started again sends the row again with the same key once the lease has ended: the
portal applies it once, the rows stay in order, and at the kill nothing was half-written."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from motcua.conftest import Province
from motcua.national.choices import OutboxState
from motcua.national.jobs import deliver_national
from motcua.national.models import OutboxRow
from motcua.national.tests.fakeportal import TOKEN, FakePortal
from motcua.national.tests.helpers import dossier_with_rows, procedure_for

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
FIELDS = "sequence, state, attempts, delivered_at, claimed_until, idempotency_key"


def database_url(tmp_path: Path) -> tuple[str, Callable[[], list[tuple[Any, ...]]]]:
    """The URL a worker process reaches this test's data by, and a reader of the outbox."""
    if connection.vendor == "sqlite":
        # The test database lives in memory: copy it (schema, data, queue) to a file.
        path = tmp_path / "queue.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()

        def read() -> list[tuple[Any, ...]]:
            with sqlite3.connect(path, timeout=10) as db:
                sql = f"SELECT {FIELDS} FROM national_outboxrow ORDER BY sequence"  # noqa: S608
                return db.execute(sql).fetchall()

        return f"sqlite:///{path}", read
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"

    def read_pg() -> list[tuple[Any, ...]]:
        return list(OutboxRow.objects.order_by("sequence").values_list(*FIELDS.split(", ")))

    return url, read_pg


def start_worker(url: str, portal: FakePortal) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": url,
        "MOTCUA_TASKS_BACKEND": "database",
        "MOTCUA_NATIONAL_URL": portal.url,
        "MOTCUA_NATIONAL_TOKEN": TOKEN,
        "MOTCUA_NATIONAL_TIMEOUT": "3",
        "MOTCUA_NATIONAL_LEASE": "4",
    }
    command = [sys.executable, "-m", "motcua.cli", "worker", "--tick", "1", "--interval", "0.2"]
    return subprocess.Popen(
        [*command, "--no-startup-delay"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(check: Callable[[], bool], seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while not check():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_kill_9_mid_delivery_then_restart_delivers_exactly_once(
    province: Province, settings: Any, tmp_path: Path
) -> None:
    dossier = dossier_with_rows(province, procedure_for(province), 2)  # rows #1 and #2
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    deliver_national.enqueue()
    url, read = database_url(tmp_path)
    with FakePortal(slow_seconds=60) as portal:
        portal.plan[(dossier.code, 1)] = ["slow"]  # applied, then the answer is held back
        worker = start_worker(url, portal)
        try:
            wait_for(lambda: len(portal.requests) == 1, 120, "the first request")
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(10)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait(10)

        # At the kill: the portal has row #1, the database only knows it was being sent.
        first, second = read()
        assert first[1:3] == (OutboxState.PENDING, 1) and first[3] is None
        assert first[4] is not None  # claimed, with a lease
        assert second[1:4] == (OutboxState.PENDING, 0, None)
        assert len(portal.applied) == 1

        # Restart after the lease has run out (4 s from the claim).
        claimed_until = first[4]
        if isinstance(claimed_until, str):  # SQLite hands back text (UTC)
            claimed_until = dt.datetime.fromisoformat(claimed_until).replace(tzinfo=dt.UTC)
        time.sleep(max(0.0, (claimed_until - timezone.now()).total_seconds()) + 0.2)
        worker = start_worker(url, portal)
        try:
            wait_for(
                lambda: [r[1] for r in read()] == [OutboxState.DELIVERED] * 2,
                120,
                "both rows delivered",
            )
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(10)

    first, second = read()
    key_1, key_2 = str(first[5]).replace("-", ""), str(second[5]).replace("-", "")
    sent = [k.replace("-", "") for k in portal.requests]
    assert sent == [key_1, key_1, key_2]  # row #1 sent twice with one key, #2 once
    assert sorted(k.replace("-", "") for k in portal.applied) == sorted([key_1, key_2])
    assert portal.sequences(dossier.code) == [1, 2]  # applied once each, in order
    assert not portal.out_of_order
    assert (first[2], second[2]) == (2, 1)
    if connection.vendor == "sqlite":
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
