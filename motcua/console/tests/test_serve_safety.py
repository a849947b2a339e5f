"""`motcua serve` refuses the development secret key, the demo payment gateway and DEBUG on a
reachable address unless `--dev` (what `make run` passes) says this is a developer's machine."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from motcua.lib.servecheck import DEVELOPMENT_SECRET_KEY, is_loopback, serve_refusals

REAL_KEY = "k3Jq-9vXb_Zr2LmN8pQs4TuWy6AcEgIkMoPrStUvWxYz0123456789abcd"
PUBLIC = "0.0.0.0"  # noqa: S104
SAFE: dict[str, Any] = {"secret_key": REAL_KEY, "payment_gateway": "", "debug": False}
SAFE["host"] = PUBLIC


def test_safe_settings_pass() -> None:
    assert serve_refusals(**SAFE) == []
    assert serve_refusals(**{**SAFE, "debug": True, "host": "127.0.0.1"}) == []
    assert serve_refusals(**{**SAFE, "payment_gateway": "my.gateway.Class"}) == []


@pytest.mark.parametrize(
    ("change", "variable"),
    [
        ({"secret_key": DEVELOPMENT_SECRET_KEY}, "MOTCUA_SECRET_KEY"),
        ({"secret_key": ""}, "MOTCUA_SECRET_KEY"),
        ({"secret_key": "   "}, "MOTCUA_SECRET_KEY"),
        ({"payment_gateway": "demo"}, "MOTCUA_PAYMENT_GATEWAY"),
        ({"debug": True}, "MOTCUA_DEBUG"),
        ({"debug": True, "host": "10.0.0.5"}, "MOTCUA_DEBUG"),
        ({"debug": True, "host": "motcua.example.gov.vn"}, "MOTCUA_DEBUG"),
    ],
)
def test_each_unsafe_setting_names_its_variable(change: dict[str, object], variable: str) -> None:
    problems = serve_refusals(**{**SAFE, **change})
    assert len(problems) == 1
    assert problems[0].startswith(f"{variable}:")
    assert f"đặt {variable}" in problems[0]  # Vietnamese: "hãy đặt VARIABLE"
    assert f"set {variable}" in problems[0]  # English


def test_all_three_together() -> None:
    problems = serve_refusals(
        secret_key=DEVELOPMENT_SECRET_KEY,
        payment_gateway="demo",
        debug=True,
        host="0.0.0.0",  # noqa: S104
    )
    assert [p.split(":")[0] for p in problems] == [
        "MOTCUA_SECRET_KEY",
        "MOTCUA_PAYMENT_GATEWAY",
        "MOTCUA_DEBUG",
    ]


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),  # noqa: S104
        ("::", False),
        ("192.168.1.10", False),
        ("example.vn", False),
    ],
)
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def _run(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
    }
    return subprocess.run(
        [sys.executable, "-m", "motcua.cli", "serve", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_serve_with_nothing_set_refuses(tmp_path: Path) -> None:
    """The issue's operator: `motcua serve --workers 2` with MOTCUA_DEBUG=0 and nothing else."""
    proc = _run("--workers", "2", env={"MOTCUA_DEBUG": "0"}, tmp_path=tmp_path)
    assert proc.returncode == 2
    assert "từ chối khởi động" in proc.stderr and "refusing to start" in proc.stderr
    assert "MOTCUA_SECRET_KEY:" in proc.stderr
    assert "MOTCUA_PAYMENT_GATEWAY:" in proc.stderr
    assert "MOTCUA_DEBUG:" not in proc.stderr  # DEBUG is off
    assert "Booting" not in proc.stdout + proc.stderr


def test_serve_refuses_debug_on_a_public_address(tmp_path: Path) -> None:
    env = {"MOTCUA_SECRET_KEY": REAL_KEY, "MOTCUA_PAYMENT_GATEWAY": "", "MOTCUA_DEBUG": "1"}
    proc = _run("--host", "0.0.0.0", "--port", "1", env=env, tmp_path=tmp_path)  # noqa: S104
    assert proc.returncode == 2
    assert "MOTCUA_DEBUG:" in proc.stderr and "MOTCUA_SECRET_KEY" not in proc.stderr


def test_dev_is_refused_in_production(tmp_path: Path) -> None:
    env = {"MOTCUA_ENV": "production", "MOTCUA_SECRET_KEY": REAL_KEY}
    proc = _run("--dev", env=env, tmp_path=tmp_path)
    assert proc.returncode == 2
    assert "--dev" in proc.stderr and "MOTCUA_ENV=production" in proc.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def _serves(args: list[str], env: dict[str, str], tmp_path: Path) -> str:
    """Start `motcua serve ARGS`, wait until /dang-nhap/ answers 200, stop it; its output."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "motcua.cli", "serve", *args, "--port", str(port)],
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status = None
        for _ in range(300):  # wait for the server to boot (not a timing assertion)
            try:
                url = f"http://127.0.0.1:{port}/dang-nhap/"
                status = urllib.request.urlopen(url, timeout=5).status
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.1)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert status == 200, output
    return output


def test_dev_flag_serves_with_the_development_settings(tmp_path: Path) -> None:
    """What `make run` does: DEBUG, development key, demo gateway, --dev."""
    output = _serves(["--dev"], {"MOTCUA_DEBUG": "1"}, tmp_path)
    assert "for development on your own machine only" in output


def test_real_settings_serve_without_dev(tmp_path: Path) -> None:
    env = {"MOTCUA_SECRET_KEY": REAL_KEY, "MOTCUA_PAYMENT_GATEWAY": ""}
    output = _serves([], env, tmp_path)
    assert "refusing" not in output and "--dev" not in output


def test_make_run_passes_dev() -> None:
    makefile = (Path(__file__).resolve().parents[3] / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun: setup\n", 1)[1].split("\n\n", 1)[0]
    assert "motcua serve --dev " in run
