"""`motcua stats dossiers|feedback`: a unit's figures for a period (JSON or a table)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser

from motcua.assignments.counting import ACTIVE_VIEW
from motcua.assignments.counting import VIEWS as TASK_VIEWS
from motcua.lib.commands import CommandFailure, MotcuaCommand
from motcua.stats import feedback, rollup, taskstats
from motcua.stats.feedback_render import feedback_table
from motcua.stats.params import ParamError, read_request
from motcua.stats.render import as_table
from motcua.stats.selectors import BREAKDOWNS, DESK_VIEW, VIEWS, StatsError, dossier_statistics


class Command(MotcuaCommand):
    help = (
        "Thống kê hồ sơ, phản ánh kiến nghị theo kỳ và đơn vị. "
        "Dossier and feedback statistics for a period and a unit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="WHAT")
        dossiers = sub.add_parser("dossiers", help="dossier figures (Biểu 06 blocks)")
        self._common(dossiers, BREAKDOWNS)
        dossiers.add_argument(
            "--view",
            choices=VIEWS,
            help="handling (default): dossiers of the competent unit; "
            "desk: dossiers received at the unit's desk (Biểu II.06a)",
        )
        dossiers.add_argument(
            "--by-desk",
            dest="view",
            action="store_const",
            const=DESK_VIEW,
            help="same as --view desk",
        )
        answers = sub.add_parser(
            "feedback", help="feedback (PAKN) figures: received, resolved, forwarded, open"
        )
        self._common(answers, feedback.BREAKDOWNS)
        tasks = sub.add_parser("tasks", help="tasks handed down (nhiệm vụ được giao) by status")
        self._common(tasks, taskstats.BREAKDOWNS)
        tasks.add_argument(
            "--view",
            choices=TASK_VIEWS,
            help="active (default): tasks open during the period; assigned: assigned in it",
        )
        tasks.add_argument("--issuer", help="only these issuers, e.g. CP,TTg")
        # Roll-up (issue 16 item 8): recompute the daily roll-up the statistics read.
        sub.add_parser(
            "rebuild-rollup",
            help="dựng lại bảng số liệu cộng dồn theo ngày từ hồ sơ (rebuild the daily roll-up)",
        )

    @staticmethod
    def _common(parser: CommandParser, breakdowns: tuple[str, ...]) -> None:
        parser.add_argument("--unit", help="unit code, e.g. DT")
        parser.add_argument("--period", help="2023-Q3, 2023-M09, 2023-H1 or 2023")
        parser.add_argument("--from", dest="date_from", help="first day YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", help="last day YYYY-MM-DD")
        parser.add_argument(
            "--calendar", action="store_true", help="calendar periods instead of Decree 09 windows"
        )
        parser.add_argument("--by", choices=breakdowns, help="add a breakdown (rows)")
        parser.add_argument(
            "--as-current", action="store_true", help="re-aggregate history onto today's units"
        )
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        what = options["what"]
        if what == "rebuild-rollup":
            rows = rollup.rebuild()
            self.stdout.write(f"Đã dựng lại bảng số liệu cộng dồn: {rows} dòng (rebuilt).")
            return
        if what == "tasks":
            self._tasks(options)
            return
        try:
            request = read_request(
                unit=options.get("unit"),
                period=options.get("period"),
                date_from=options.get("date_from"),
                date_to=options.get("date_to"),
                calendar=options.get("calendar", False),
                by=options.get("by"),
                as_current=options.get("as_current", False),
                breakdowns=feedback.BREAKDOWNS if what == "feedback" else BREAKDOWNS,
                view=options.get("view"),
            )
            if what == "feedback":
                answers = feedback.feedback_statistics(
                    code=request.unit,
                    period=request.period,
                    by=request.by,
                    as_current=request.as_current,
                )
            else:
                stats = dossier_statistics(
                    code=request.unit,
                    period=request.period,
                    by=request.by,
                    as_current=request.as_current,
                    view=request.view,
                )
        except (ParamError, StatsError) as exc:
            raise CommandFailure(f"motcua stats {what}: {exc}", code=2) from None
        if what == "feedback":
            if options["format"] == "table":
                self.stdout.write(feedback_table(answers))
            else:
                self.stdout.write(json.dumps(answers.as_json(), ensure_ascii=False))
        elif options["format"] == "table":
            self.stdout.write(as_table(stats))
        else:
            self.stdout.write(json.dumps(stats.as_json(), ensure_ascii=False))

    def _tasks(self, options: dict[str, Any]) -> None:
        try:
            request = read_request(
                unit=options.get("unit"),
                period=options.get("period"),
                date_from=options.get("date_from"),
                date_to=options.get("date_to"),
                calendar=options.get("calendar", False),
                by=options.get("by"),
                breakdowns=taskstats.BREAKDOWNS,
            )
            issuers = tuple(
                i.strip() for i in (options.get("issuer") or "").split(",") if i.strip()
            )
            stats = taskstats.task_statistics(
                code=request.unit,
                period=request.period,
                view=options.get("view") or ACTIVE_VIEW,
                by=request.by,
                issuers=issuers,
            )
        except (ParamError, StatsError) as exc:
            raise CommandFailure(f"motcua stats tasks: {exc}", code=2) from None
        if options["format"] == "table":
            self.stdout.write(taskstats.as_table(stats))
        else:
            self.stdout.write(json.dumps(stats.as_json(), ensure_ascii=False))
