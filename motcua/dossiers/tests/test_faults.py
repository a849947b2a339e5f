"""`kill -9` in the middle of a write leaves nothing half-written (issue 16 item 9).

Real processes, really killed: a legacy import half-way through writing a large file, and a
gunicorn worker holding a receipt open (the `dossier.receive` fault point of
motcua/lib/faults.py). The processes use the test database: on SQLite a file copy of it (the
online backup API), on PostgreSQL the test database itself (the rows are committed:
`transaction=True`).
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from motcua.conftest import Province
from motcua.dossiers.tests.factories import make_procedure

ROOT = Path(__file__).resolve().parents[3]
MOTCUA = [sys.executable, "-m", "motcua.cli"]
HEADER = "code,procedure_code,unit_code,channel,received_at,due_at,finished_at,outcome"


def shared_database(tmp_path: Path) -> tuple[str, Callable[[str], Any]]:
    """A DATABASE_URL another process can open with this test's rows, and a query on it."""
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()

        def scalar_sqlite(sql: str) -> Any:
            db = sqlite3.connect(path)  # opening it rolls back a killed writer's hot journal
            try:
                return db.execute(sql).fetchone()[0]
            finally:
                db.close()

        return f"sqlite:///{path}", scalar_sqlite
    conf = connection.settings_dict
    url = (
        f"postgres://{quote(conf['USER'])}:{quote(str(conf['PASSWORD']))}@{conf['HOST']}:"
        f"{conf['PORT']}/{conf['NAME']}"
    )

    def scalar_pg(sql: str) -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]

    return url, scalar_pg


def environment(url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"MOTCUA_ENV", "MOTCUA_FAULT_PAUSE"}}
    return env | {"DATABASE_URL": url, "MOTCUA_VAR_DIR": str(tmp_path), **extra}


def legacy_file(path: Path, rows: int) -> Path:
    """`rows` walk-ins at commune C1 over ten working days of March 2025."""
    days = [3, 4, 5, 6, 7, 10, 11, 12, 13, 14]
    per_day = rows // len(days)
    lines = [HEADER]
    for day in days:
        for n in range(1, per_day + 1):
            lines.append(
                f"C1-2503{day:02d}-{n:04d},1.000010,C1,direct,2025-03-{day:02d}T09:00:00+07:00,,,"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


WRITING = re.compile(r"writing\s+\[[#-]+\]\s+[\d.]+%\s+([\d,]+) rows")


@pytest.mark.django_db(transaction=True)
def test_kill_9_in_the_middle_of_an_import_leaves_nothing_and_a_rerun_imports_once(
    province: Province, tmp_path: Path
) -> None:
    make_procedure("1.000010", units=[province.commune_a], amount=10)
    rows = 3000
    source = legacy_file(tmp_path / "legacy.csv", rows)
    url, scalar = shared_database(tmp_path)
    env = environment(url, tmp_path)
    command = [*MOTCUA, "import", "dossiers", str(source)]
    # The real command, writing in batches of 300 rows (not 5,000) so that it shows its
    # progress, and is killed, between two batches of one transaction.
    small_batches = (
        "import os, sys, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'motcua.settings'; "
        "django.setup(); from motcua.dossiers import importers; importers.BATCH = 300; "
        "from motcua.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", small_batches, *command[3:], "--progress"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    seen, written = b"", 0
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([process.stderr], [], [], 1.0)
            if not ready:
                continue
            chunk = os.read(process.stderr.fileno(), 4096)
            if not chunk:
                break  # the import ended before we could kill it
            seen += chunk
            counts = WRITING.findall(seen.decode("utf-8", "replace"))
            written = max((int(c.replace(",", "")) for c in counts), default=0)
            if written:
                os.kill(process.pid, signal.SIGKILL)  # half-way through the transaction
                break
    finally:
        if process.poll() is None and not written:
            process.kill()
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, seen.decode("utf-8", "replace")[-500:]
    assert 0 < written < rows  # it died in the middle of writing, not before or after
    assert scalar("SELECT COUNT(*) FROM dossiers_dossier") == 0
    assert scalar("SELECT COUNT(*) FROM dossiers_dossierevent") == 0

    rerun = subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, check=False, timeout=120
    )
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.startswith(f"{rows} rows: {rows} created"), rerun.stdout
    assert scalar("SELECT COUNT(*) FROM dossiers_dossier") == rows
    assert scalar("SELECT COUNT(DISTINCT code) FROM dossiers_dossier") == rows


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


RECEIPT = {
    "procedure": "1.001193",
    "receiving_unit": "C1",
    "applicant": {"name": "Trần Văn Bình", "id_number": "087095001234", "address": "Ấp 1"},
    "channel": "direct",
    "submitted_by": "applicant",
    "received_at": "2025-03-03T09:00:00+07:00",
}


def post_receipt(port: int, token: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/dossiers/",
        data=json.dumps(RECEIPT).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=40) as response:  # noqa: S310 — our server
        return int(response.status)


@pytest.mark.django_db(transaction=True)
def test_kill_9_of_a_worker_in_the_middle_of_a_receipt_leaves_no_half_dossier(
    people: dict, province: Province, tmp_path: Path
) -> None:
    make_procedure(units=[province.commune_a])
    token = Token.objects.create(user=people["alice"]).key
    url, scalar = shared_database(tmp_path)
    marker = tmp_path / "paused.pid"
    port = free_port()
    env = environment(
        url, tmp_path, MOTCUA_DEBUG="0", MOTCUA_FAULT_PAUSE=f"dossier.receive:{marker}"
    )
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [*MOTCUA, "serve", "--dev", "--workers", "2", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    outcome: list[Any] = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "no server"
                time.sleep(0.1)

        def first() -> None:
            try:
                outcome.append(post_receipt(port, token))
            except (urllib.error.URLError, ConnectionError, OSError) as exc:
                outcome.append(exc)

        request = threading.Thread(target=first)
        request.start()
        while not (marker.exists() and marker.read_text()):
            assert time.monotonic() < deadline and request.is_alive(), outcome
            time.sleep(0.05)
        worker = int(marker.read_text())
        assert worker != server.pid  # a gunicorn worker, not the master
        os.kill(worker, signal.SIGKILL)  # the receipt is written but not committed
        request.join(timeout=30)
        assert outcome and not isinstance(outcome[0], int), outcome  # no answer came back

        assert scalar("SELECT COUNT(*) FROM dossiers_dossier") == 0
        assert scalar("SELECT COUNT(*) FROM dossiers_dossierevent") == 0
        assert scalar("SELECT COUNT(*) FROM dossiers_dossiercodecounter") == 0

        # The other worker (or a new one) takes the same receipt: now whole, and once.
        while True:
            try:
                assert post_receipt(port, token) == 201
                break
            except (urllib.error.URLError, ConnectionError) as exc:
                assert time.monotonic() < deadline, exc
                time.sleep(0.2)
        assert scalar("SELECT COUNT(*) FROM dossiers_dossier") == 1
        assert scalar("SELECT code FROM dossiers_dossier") == "C1-250303-0001"
        assert scalar("SELECT COUNT(*) FROM dossiers_dossierevent") == 1
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=15)
        log.close()


def test_the_fault_point_holds_one_process_once_and_never_in_production(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from motcua.lib import faults

    marker = tmp_path / "paused.pid"
    slept: list[float] = []
    monkeypatch.setattr(faults.time, "sleep", slept.append)
    monkeypatch.setenv("MOTCUA_FAULT_PAUSE", f"dossier.receive:{marker}")
    monkeypatch.setenv("MOTCUA_ENV", "production")
    faults.fault_point("dossier.receive")
    assert not marker.exists() and slept == []
    monkeypatch.delenv("MOTCUA_ENV")
    faults.fault_point("feedback.receive")  # another point
    assert not marker.exists() and slept == []
    faults.fault_point("dossier.receive")
    assert marker.read_text() == str(os.getpid()) and slept == [faults.PAUSE_SECONDS]
    faults.fault_point("dossier.receive")  # later arrivals pass
    assert slept == [faults.PAUSE_SECONDS]
