"""`motcua restore DIR [--force]`: check a backup, then put it back."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from motcua.console.backup import BackupProblem, restore_backup
from motcua.lib.commands import CommandFailure, MotcuaCommand


class Command(MotcuaCommand):
    help = (
        "Khôi phục cơ sở dữ liệu và tệp tải lên từ bản sao lưu (kiểm tra mã SHA-256 trước). "
        "Restore the database and the uploaded files from a backup (checksums first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", metavar="DIR", help="thư mục sao lưu (a backup)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="ghi đè cơ sở dữ liệu và tệp đang có (overwrite a database in use)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore_backup(options["directory"], force=options["force"])
        except BackupProblem as problem:
            raise CommandFailure(f"motcua restore: {problem}", code=1) from None
        self.stdout.write(f"đã khôi phục / restored: {summary}")
