"""The `motcua` console script: dispatch, exit codes, loud failure on bad settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.lib.env import database_config, env_bool, env_int


def motcua(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    return subprocess.run(
        [sys.executable, "-m", "motcua.cli", *args],
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_the_commands() -> None:
    proc = motcua("--help")
    assert proc.returncode == 0
    for word in [
        "migrate",
        "serve",
        "demo",
        "createsuperuser",
        "import units",
        "calendar",
        "manage",
    ]:
        assert word in proc.stdout


def test_unknown_command_exits_2() -> None:
    proc = motcua("frobnicate")
    assert proc.returncode == 2
    assert "unknown command 'frobnicate'" in proc.stderr


def test_serve_rejects_a_bad_port() -> None:
    proc = motcua("serve", "--port", "70000")
    assert proc.returncode == 2
    assert "--port 70000" in proc.stderr


def test_manage_passes_through_to_django(tmp_path: Path) -> None:
    proc = motcua("manage", "check", env={"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"})
    assert proc.returncode == 0, proc.stderr
    assert "no issues" in proc.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MOTCUA_DEBUG": "maybe"}, "MOTCUA_DEBUG='maybe' is not a boolean"),
        ({"DATABASE_URL": "mysql://u:p@h/db"}, "unsupported scheme 'mysql'"),
        ({"MOTCUA_API_PAGE_SIZE": "lots"}, "MOTCUA_API_PAGE_SIZE='lots' is not an integer"),
        ({"MOTCUA_ENV": "staging"}, "MOTCUA_ENV='staging' must be"),
        ({"MOTCUA_ENV": "production"}, "MOTCUA_SECRET_KEY must be set"),
        ({"MOTCUA_LOG_LEVEL": "chatty"}, "MOTCUA_LOG_LEVEL='chatty' is not one of"),
        ({"DATABASE_URL": "mysql://u:hunter2@h/db"}, "mysql://u:***@h/db"),
    ],
)
def test_malformed_settings_fail_loudly(env: dict[str, str], message: str) -> None:
    proc = motcua("manage", "check", env=env)
    assert proc.returncode != 0
    assert message in proc.stderr


def test_env_helpers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("X_BOOL", "Yes")
    assert env_bool("X_BOOL", False) is True
    monkeypatch.setenv("X_INT", "0")
    with pytest.raises(ImproperlyConfigured, match="must be at least 1"):
        env_int("X_INT", 5, minimum=1)
    sqlite = database_config(f"sqlite:///{tmp_path}/db/x.sqlite3", var_dir=tmp_path)
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"
    assert (tmp_path / "db").is_dir()
    pg = database_config("postgres://u:secret@127.0.0.1:5433/motcua", var_dir=tmp_path)
    assert (pg["ENGINE"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "django.db.backends.postgresql",
        "127.0.0.1",
        5433,
        "motcua",
    )
    default = database_config("", var_dir=tmp_path)
    assert default["NAME"] == str(tmp_path / "motcua.sqlite3")
    with pytest.raises(ImproperlyConfigured, match="names no database"):
        database_config("postgres://u:p@h:5432", var_dir=tmp_path)


def test_every_environment_variable_is_documented() -> None:
    import re

    root = Path(__file__).resolve().parents[3]
    settings_text = (root / "motcua" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', settings_text)) | {"DATABASE_URL"}
    docs = (root / "docs" / "configuration.md").read_text(encoding="utf-8")
    vietnamese, english = docs.split("\n## English\n", 1)
    assert len(names) > 10
    for table in (vietnamese, english):  # a table row (`| `NAME`` or `, `NAME``) in both
        rows = [line for line in table.splitlines() if line.startswith("| ")]
        missing = sorted(n for n in names if not any(f"`{n}`" in row for row in rows))
        assert missing == []


def test_serve_refuses_bad_worker_counts() -> None:
    proc = motcua("serve", "--workers", "-1")
    assert proc.returncode == 2 and "--workers -1" in proc.stderr
    proc = motcua("serve", "--workers", "2", "--reload")
    assert proc.returncode == 2 and "--reload" in proc.stderr


def test_serve_with_workers_runs_gunicorn_processes(tmp_path: Path) -> None:
    """`motcua serve --workers 2` answers pages and static files from gunicorn's workers."""
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        "MOTCUA_DEBUG": "1",
        "MOTCUA_SECRET_KEY": "a-real-secret-for-this-test-only-0123456789-abcdefghij",
        "MOTCUA_PAYMENT_GATEWAY": "",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "motcua.cli", "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        response = None
        for _ in range(200):  # wait for the workers to boot (not a timing assertion)
            try:
                response = urllib.request.urlopen(f"{base}/dang-nhap/", timeout=5)  # noqa: S310
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.1)
        assert response is not None, server.stdout.read() if server.stdout else ""
        assert response.status == 200 and response.headers["Server"].startswith("gunicorn")
        assert "Đăng nhập" in response.read().decode()
        css = urllib.request.urlopen(f"{base}/static/web/motcua.css", timeout=5)  # noqa: S310
        assert css.status == 200
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Booting worker" in output and output.count("Booting worker") >= 2


def test_check_is_clean_at_the_end_of_the_working_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """The working hours' fixed TimeField defaults must not turn `check` red at 17:00:00 UTC
    (fields.W161 compares a fixed time with the clock, within ten seconds)."""
    import datetime as dt
    from io import StringIO

    from django.core.management import call_command
    from django.db.models import fields

    monkeypatch.setattr(fields, "_get_naive_now", lambda: dt.datetime(2026, 12, 7, 17, 0, 0))
    out = StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()
