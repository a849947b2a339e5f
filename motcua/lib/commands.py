"""Base class for motcua management commands: clean messages and documented exit codes."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand


class CommandFailure(Exception):
    """A command failed for a reason the user must read; `code` is the exit status."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


class MotcuaCommand(BaseCommand):
    """A management command that prints a CommandFailure's message alone and exits with its code."""

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except CommandFailure as exc:
            self.stderr.write(str(exc))
            sys.exit(exc.code)
