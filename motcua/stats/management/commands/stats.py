"""`motcua stats dossiers`: the dossier figures of a unit for a period (JSON or a table)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser

from motcua.lib.commands import CommandFailure, MotcuaCommand
from motcua.stats.params import ParamError, read_request
from motcua.stats.render import as_table
from motcua.stats.selectors import BREAKDOWNS, StatsError, dossier_statistics


class Command(MotcuaCommand):
    help = "Thống kê hồ sơ theo kỳ và đơn vị. Dossier statistics for a period and a unit."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="WHAT")
        dossiers = sub.add_parser("dossiers", help="dossier figures (Biểu 06 blocks)")
        dossiers.add_argument("--unit", help="unit code, e.g. DT")
        dossiers.add_argument("--period", help="2023-Q3, 2023-M09, 2023-H1 or 2023")
        dossiers.add_argument("--from", dest="date_from", help="first day YYYY-MM-DD")
        dossiers.add_argument("--to", dest="date_to", help="last day YYYY-MM-DD")
        dossiers.add_argument(
            "--calendar", action="store_true", help="calendar periods instead of Decree 09 windows"
        )
        dossiers.add_argument("--by", choices=BREAKDOWNS, help="add a breakdown (rows)")
        dossiers.add_argument(
            "--as-current", action="store_true", help="re-aggregate history onto today's units"
        )
        dossiers.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            request = read_request(
                unit=options.get("unit"),
                period=options.get("period"),
                date_from=options.get("date_from"),
                date_to=options.get("date_to"),
                calendar=options.get("calendar", False),
                by=options.get("by"),
                as_current=options.get("as_current", False),
            )
            stats = dossier_statistics(
                code=request.unit,
                period=request.period,
                by=request.by,
                as_current=request.as_current,
            )
        except (ParamError, StatsError) as exc:
            raise CommandFailure(f"motcua stats dossiers: {exc}", code=2) from None
        if options["format"] == "table":
            self.stdout.write(as_table(stats))
        else:
            self.stdout.write(json.dumps(stats.as_json(), ensure_ascii=False))
