"""Production settings: HSTS, HTTPS redirect, proxy header, secure cookies, and a clean
`check --deploy` with a real secret (docs/security.md, docs/configuration.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

REAL_KEY = "Zq8-Lr3_vNw7Tb2Yk9Hm4Pd6Xs1Gc5Jf0Ua8Ee3Ri7Oo2Ww9Qq4Tt6Yy1Uu5Ii0Pp"
PRODUCTION = {"MOTCUA_ENV": "production", "MOTCUA_SECRET_KEY": REAL_KEY}


def run(code: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


SETTINGS = """
import json
from django.conf import settings
print(json.dumps({k: getattr(settings, k, None) for k in [
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "DEBUG", "MOTCUA_SESSION_IDLE_MINUTES"]}))
"""


def settings_under(env: dict[str, str], tmp_path: Path) -> dict[str, object]:
    proc = run(SETTINGS, env, tmp_path)
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout)
    return result


def test_production_defaults(tmp_path: Path) -> None:
    assert settings_under(PRODUCTION, tmp_path) == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "DEBUG": False,
        "MOTCUA_SESSION_IDLE_MINUTES": 30,
    }


def test_development_defaults(tmp_path: Path) -> None:
    values = settings_under({}, tmp_path)
    assert values["SECURE_HSTS_SECONDS"] == 0 and values["SECURE_SSL_REDIRECT"] is False


def test_configurable(tmp_path: Path) -> None:
    env = {
        **PRODUCTION,
        "MOTCUA_HSTS_SECONDS": "600",
        "MOTCUA_SSL_REDIRECT": "0",
        "MOTCUA_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "MOTCUA_SESSION_IDLE_MINUTES": "15",
    }
    values = settings_under(env, tmp_path)
    assert values["SECURE_HSTS_SECONDS"] == 600
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["MOTCUA_SESSION_IDLE_MINUTES"] == 15


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MOTCUA_PROXY_SSL_HEADER": "X Forwarded: Proto"}, "MOTCUA_PROXY_SSL_HEADER="),
        ({"MOTCUA_HSTS_SECONDS": "-1"}, "MOTCUA_HSTS_SECONDS"),
        ({"MOTCUA_SESSION_IDLE_MINUTES": "soon"}, "MOTCUA_SESSION_IDLE_MINUTES"),
    ],
)
def test_bad_values_fail_loudly(env: dict[str, str], message: str, tmp_path: Path) -> None:
    proc = run(SETTINGS, env, tmp_path)
    assert proc.returncode != 0 and message in proc.stderr


def deploy_check(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "motcua.cli",
            "manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    env = {**PRODUCTION, "MOTCUA_ALLOWED_HOSTS": "motcua.example.gov.vn"}
    proc = deploy_check(env, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout


def test_check_deploy_still_warns_in_development(tmp_path: Path) -> None:
    """The same check is not blind: development settings get the HSTS/SSL/DEBUG warnings."""
    proc = deploy_check({"MOTCUA_DEBUG": "1"}, tmp_path)
    assert proc.returncode != 0
    for code in ["security.W004", "security.W008", "security.W018"]:
        assert code in proc.stderr


def test_headers_and_redirect(settings: object, db: None) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000  # type: ignore[attr-defined]
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True  # type: ignore[attr-defined]
    settings.SECURE_SSL_REDIRECT = True  # type: ignore[attr-defined]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # type: ignore[attr-defined]
    plain = Client().get("/dang-nhap/")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/dang-nhap/"
    proxied = Client().get("/dang-nhap/", headers={"x-forwarded-proto": "https"})
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    direct = Client().get("/dang-nhap/", secure=True)
    assert direct.status_code == 200 and "Strict-Transport-Security" in direct
