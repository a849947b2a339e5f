"""`motcua index warn [--hours N] [--today ISO]`: send the early warnings that have come due.

    motcua index warn --hours 8 --today 2025-03-14T11:00
    1 hồ sơ sắp quá hạn; đã gửi 1 cảnh báo (1 thư)

Safe to run twice and from two machines at once (`motcua.index766.jobs`). `--today` without
an offset is local time (Asia/Ho_Chi_Minh); a date alone is 00:00 local that day. Bad input
exits with status 2 and a message naming it. Registered in `motcua index` (SUBCOMMANDS).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from motcua.index766.jobs import send_warnings
from motcua.lib.commands import CommandFailure, MotcuaCommand
from motcua.workcalendar.engine import TZ

HELP = "gửi cảnh báo hồ sơ sắp quá hạn, mỗi bậc một lần (send early warnings once per rung)"
MAX_HOURS = 200


def add_arguments(parser: CommandParser) -> None:
    """`--hours N`, `--today ISO`."""
    parser.add_argument(
        "--hours",
        help="số giờ làm việc nhìn trước (working hours ahead; default MOTCUA_INDEX_WARN_HOURS)",
    )
    parser.add_argument(
        "--today", help="thời điểm coi là hiện tại, ISO 8601 (instant to act as now)"
    )


def parse_today(raw: str | None) -> dt.datetime | None:
    """The --today argument as an aware instant (None when not given)."""
    if raw is None:
        return None
    text = raw.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return dt.datetime.combine(day, dt.time(0), tzinfo=TZ)
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandFailure(
            f"--today: “{raw}” không phải ngày hoặc thời điểm ISO 8601 (ví dụ 2025-03-14T11:00)",
            code=2,
        ) from None
    return value.replace(tzinfo=TZ) if value.tzinfo is None else value


def parse_hours(raw: str | None) -> int:
    """The --hours argument (1 to 200 working hours)."""
    if raw is None:
        return int(settings.MOTCUA_INDEX_WARN_HOURS)
    if not raw.strip().isdigit() or not 1 <= int(raw) <= MAX_HOURS:
        raise CommandFailure(
            f"--hours: “{raw}” phải là số giờ làm việc từ 1 đến {MAX_HOURS}", code=2
        )
    return int(raw)


def handle(command: MotcuaCommand, options: dict[str, Any]) -> None:
    """Run the warning job and print what it did."""
    hours = parse_hours(options.get("hours"))
    now = parse_today(options.get("today"))
    report = send_warnings(now=now, hours=hours)
    command.stdout.write(str(report))
