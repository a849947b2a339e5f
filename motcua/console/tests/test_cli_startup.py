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
