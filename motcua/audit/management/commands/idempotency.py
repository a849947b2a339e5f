"""`motcua idempotency forget-expired`: delete remembered write requests past their lifetime.

    motcua idempotency forget-expired
    đã xoá 12 khoá chống gửi trùng hết hạn

The stored answers of API writes hold the dossier as it was returned (personal data
included), so they are kept no longer than `MOTCUA_IDEMPOTENCY_TTL_HOURS` (24 by default).
Run it daily from cron or a systemd timer; safe to run twice.
"""

from __future__ import annotations

import argparse
from typing import Any

from motcua.audit.idempotency import forget_expired_keys
from motcua.lib.commands import CommandFailure, MotcuaCommand


class Command(MotcuaCommand):
    """Xoá khoá chống gửi trùng hết hạn — forget expired idempotency keys."""

    help = "Khoá chống gửi trùng (idempotency keys): forget-expired"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Subcommand forget-expired."""
        sub = parser.add_subparsers(dest="action", metavar="{forget-expired}")
        sub.add_parser("forget-expired", help="xoá các khoá đã hết hạn (delete expired keys)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Dispatch to the subcommand."""
        if options.get("action") != "forget-expired":
            raise CommandFailure("motcua idempotency: give forget-expired", code=2)
        count = forget_expired_keys()
        self.stdout.write(f"đã xoá {count} khoá chống gửi trùng hết hạn")
