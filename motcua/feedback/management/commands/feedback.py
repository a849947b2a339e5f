"""`motcua feedback`: the feedback jobs, for cron or a systemd timer.

    motcua feedback remind [--now 2025-03-20T09:00]
    đã gửi 3 lời nhắc hạn xử lý phản ánh
    motcua feedback close-due [--now ...]
    đã đóng 2 phản ánh hết thời hạn đánh giá

Both are safe to run twice and from two machines at once. `--now` without an offset is
local time (Asia/Ho_Chi_Minh). Bad input exits with status 2 and a message naming it.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from motcua.feedback.jobs import close_due, send_due_reminders
from motcua.lib.commands import CommandFailure, MotcuaCommand
from motcua.workcalendar.engine import TZ


def parse_now(raw: str | None) -> dt.datetime | None:
    """The --now argument as an aware instant (None when not given)."""
    if raw is None:
        return None
    try:
        value = dt.datetime.fromisoformat(raw.strip())
    except ValueError:
        raise CommandFailure(
            f"--now: “{raw}” không phải thời điểm ISO 8601 (ví dụ 2025-03-20T09:00)", code=2
        ) from None
    return value.replace(tzinfo=TZ) if value.tzinfo is None else value


class Command(MotcuaCommand):
    """Nhắc hạn và đóng phản ánh, kiến nghị — feedback reminders and closing."""

    help = "Phản ánh, kiến nghị (feedback): remind | close-due"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Subcommands remind and close-due."""
        sub = parser.add_subparsers(dest="action", metavar="{remind,close-due}")
        remind = sub.add_parser("remind", help="gửi các lời nhắc đã đến lúc (send due reminders)")
        remind.add_argument("--now", help="ISO 8601 instant to act as now (default: now)")
        close = sub.add_parser(
            "close-due", help="đóng phản ánh hết thời hạn đánh giá (close after the rating window)"
        )
        close.add_argument("--now", help="ISO 8601 instant to act as now (default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Dispatch to the subcommand."""
        action = options.get("action")
        if action == "remind":
            count = send_due_reminders(now=parse_now(options.get("now")))
            self.stdout.write(f"đã gửi {count} lời nhắc hạn xử lý phản ánh")
        elif action == "close-due":
            count = close_due(now=parse_now(options.get("now")))
            self.stdout.write(f"đã đóng {count} phản ánh hết thời hạn đánh giá")
        else:
            raise CommandFailure("usage: motcua feedback {remind,close-due} [--now ISO]", code=2)
