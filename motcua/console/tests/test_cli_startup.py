"""`motcua` commands start without Django's system checks (issue 16 item 8: they cost every
command ~0.6 s of start-up); `migrate` and `motcua manage check` still run them."""

from __future__ import annotations

import pytest
from django.core import checks
from django.core.management.base import BaseCommand

from motcua import cli


@pytest.fixture
def checks_run(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every system-check run instead of running it."""
    seen: list[str] = []

    def fake_run_checks(*args: object, **kwargs: object) -> list[checks.CheckMessage]:
        seen.append("run")
        return []

    monkeypatch.setattr(checks, "run_checks", fake_run_checks)
    return seen


@pytest.mark.django_db
def test_motcua_commands_skip_the_system_checks(
    checks_run: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["idempotency", "forget-expired"]) == 0
    assert "đã xoá 0 khoá" in capsys.readouterr().out  # the command really ran
    assert checks_run == []
    # The command class itself is untouched: Django's own entry point still checks.
    from motcua.audit.management.commands.idempotency import Command

    assert Command.requires_system_checks == BaseCommand.requires_system_checks


@pytest.mark.django_db
def test_manage_check_still_runs_them(checks_run: list[str]) -> None:
    assert cli.main(["manage", "check"]) == 0
    assert checks_run == ["run"]


def test_start_up_does_not_import_the_api_or_the_qr_writer() -> None:
    """A fresh process's `django.setup()` leaves Django REST framework's serializers (~0.15 s)
    and the QR code writer to the processes that serve the API and the enrolment page."""
    import os
    import subprocess
    import sys

    probe = (
        "import sys, django; django.setup(); "
        "print(sorted(m for m in ('rest_framework.serializers', 'segno', 'motcua.lib.apiinput')"
        " if m in sys.modules))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "motcua.settings"}
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert out.strip() == "[]", out


def test_the_api_rules_apply_once_the_api_is_loaded() -> None:
    """Importing the API's base module hardens every DRF field (Arabic-Indic digits refused)."""
    from rest_framework import serializers

    import motcua.lib.api  # noqa: F401

    with pytest.raises(serializers.ValidationError):
        serializers.IntegerField().run_validation("١٢")
