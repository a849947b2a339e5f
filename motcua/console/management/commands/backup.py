"""`motcua backup --out DIR`: the database and the uploaded files, with a manifest."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from motcua.console.backup import BackupProblem, create_backup
from motcua.lib.commands import CommandFailure, MotcuaCommand


class Command(MotcuaCommand):
    help = (
        "Sao lưu cơ sở dữ liệu và tệp tải lên vào một thư mục mới. "
        "Back up the database and the uploaded files into a new directory."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", required=True, metavar="DIR", help="thư mục mới (a new directory)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = create_backup(options["out"])
        except BackupProblem as problem:
            raise CommandFailure(f"motcua backup: {problem}", code=1) from None
        self.stdout.write(f"đã sao lưu / backed up: {summary}")
