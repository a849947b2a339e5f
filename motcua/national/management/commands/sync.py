"""`motcua sync national`: send the dossier state changes waiting in the outbox to the national
portal (Cổng Dịch vụ công quốc gia), in order per dossier, with retries and back-off.

    motcua sync national --once            one pass over what is due now, then exit (cron)
    motcua sync national                   keep running, one pass every --interval seconds
    motcua sync national --once --limit 50 at most 50 sends

Exit status: 0 every send succeeded, 1 some failed (they are retried later), 2 bad
configuration or arguments. Settings: `motcua/national/conf.py` and docs/national-sync.md.
Safe to run from two machines at once: a row is never sent by both.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from django.db import close_old_connections, connection

from motcua.lib.commands import CommandFailure, MotcuaCommand
from motcua.national.conf import ConfigError, load_config
from motcua.national.delivery import SyncReport, deliver_pending
from motcua.workcalendar.engine import to_local


def format_report(report: SyncReport) -> list[str]:
    """The report lines printed after a pass (Vietnamese, one failure a line)."""
    lines = [
        f"đã gửi {report.delivered} bản ghi lên Cổng Dịch vụ công quốc gia; "
        f"lỗi {report.failed}; còn chờ {report.waiting}"
    ]
    for failure in report.failures:
        lines.append(
            f"  lỗi {failure.dossier} #{failure.sequence}: {failure.error} "
            f"(thử lại lúc {to_local(failure.next_attempt_at):%H:%M %d/%m/%Y})"
        )
    return lines


class Command(MotcuaCommand):
    """Đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia — synchronise to the national portal."""

    help = "Đồng bộ (synchronisation): national"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Subcommand national with --once, --limit, --interval."""
        sub = parser.add_subparsers(dest="target", metavar="{national}")
        national = sub.add_parser(
            "national", help="gửi trạng thái hồ sơ lên Cổng Dịch vụ công quốc gia"
        )
        national.add_argument("--once", action="store_true", help="one pass, then exit")
        national.add_argument("--limit", type=int, default=None, help="at most N sends per pass")
        national.add_argument(
            "--interval", type=float, default=30.0, help="seconds between passes (default 30)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Check the configuration, then run one pass or keep running."""
        if options.get("target") != "national":
            raise CommandFailure("usage: motcua sync national [--once] [--limit N]", code=2)
        limit = options.get("limit")
        if limit is not None and limit < 1:
            raise CommandFailure(f"--limit {limit}: phải từ 1 trở lên", code=2)
        interval = options["interval"]
        if interval <= 0:
            raise CommandFailure(f"--interval {interval:g}: phải lớn hơn 0", code=2)
        try:
            config = load_config()
        except ConfigError as exc:
            raise CommandFailure(f"cấu hình đồng bộ không hợp lệ: {exc}", code=2) from None
        report = None
        try:
            while True:
                # A long-running runner must not keep a dead connection; inside a transaction
                # (a caller's, or a test's) the connection is not ours to close.
                if not connection.in_atomic_block:
                    close_old_connections()
                report = deliver_pending(config=config, limit=limit)
                for line in format_report(report):
                    self.stdout.write(line)
                if options["once"]:
                    break
                time.sleep(interval)
        except KeyboardInterrupt:
            # A row being sent stays claimed until its lease ends, then goes again (same key).
            self.stdout.write("đã dừng theo yêu cầu")
        if report is not None and report.exit_code:
            raise CommandFailure(f"{report.failed} bản ghi gửi không thành công", code=1)
