"""Persistent PostgreSQL connections by default in production, checked before reuse
(issue 16 item 8; docs/configuration.md `MOTCUA_DB_CONN_MAX_AGE`, docs/performance.md)."""

from __future__ import annotations

import json
from pathlib import Path

from motcua.console.tests.test_production_settings import PRODUCTION, run

CODE = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps([db["CONN_MAX_AGE"], db.get("CONN_HEALTH_CHECKS", False)]))
"""
POSTGRES = "postgres://motcua:secret@127.0.0.1:5432/motcua"


def connection_settings(env: dict[str, str], tmp_path: Path) -> list[object]:
    proc = run(CODE, env, tmp_path)
    assert proc.returncode == 0, proc.stderr
    result: list[object] = json.loads(proc.stdout)
    return result


def test_production_postgres_keeps_checked_connections(tmp_path: Path) -> None:
    assert connection_settings({**PRODUCTION, "DATABASE_URL": POSTGRES}, tmp_path) == [60, True]
    # The operator's figure wins, 0 included (close after every request).
    env = {**PRODUCTION, "DATABASE_URL": POSTGRES, "MOTCUA_DB_CONN_MAX_AGE": "0"}
    assert connection_settings(env, tmp_path) == [0, True]


def test_development_and_sqlite_close_connections(tmp_path: Path) -> None:
    # The threaded development server would keep one connection per thread.
    assert connection_settings({"DATABASE_URL": POSTGRES}, tmp_path) == [0, True]
    # SQLite: a file, nothing to keep open, whatever the environment says.
    assert connection_settings(PRODUCTION, tmp_path) == [0, False]
    env = {**PRODUCTION, "MOTCUA_DB_CONN_MAX_AGE": "300"}
    assert connection_settings(env, tmp_path) == [0, False]
