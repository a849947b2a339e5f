"""`motcua import KIND FILE.csv`: load data files, all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from motcua.lib.commands import CommandFailure, MotcuaCommand
from motcua.lib.csvin import ImportProblem


def _import_units(path: str, **_: Any) -> str:
    from motcua.units.importers import import_units, read_units_file

    return str(import_units(read_units_file(path), source="import"))


IMPORTERS = {"units": _import_units}


class Command(MotcuaCommand):
    help = "Nhập dữ liệu từ tệp CSV (UTF-8). Import data from a UTF-8 CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        units = sub.add_parser(
            "units", help="units: code,name,parent_code,level[,kind,valid_from,valid_to,...]"
        )
        units.add_argument("file", metavar="FILE.csv")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = IMPORTERS[options["kind"]](options["file"])
        except ImportProblem as problem:
            raise CommandFailure(str(problem), code=1) from None
        self.stdout.write(summary)
