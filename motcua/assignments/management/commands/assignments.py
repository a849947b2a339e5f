"""`motcua tasks due|remind`: read a deadline wording; fire the reminder ladders.

(The management command is named `assignments` because "tasks" is a domain word here; the
`motcua` entry point maps `motcua tasks …` onto it.)
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from motcua.assignments.deadlines import DeadlineError, read_deadline
from motcua.lib.commands import CommandFailure, MotcuaCommand


class Command(MotcuaCommand):
    help = "Nhiệm vụ được giao: đọc thời hạn, nhắc hạn. Tasks: read a deadline, send reminders."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="WHAT")
        due = sub.add_parser("due", help="the kind and due date of a deadline wording")
        due.add_argument("--text", required=True, help='e.g. "trước ngày 10/12/2024"')
        due.add_argument("--issued", required=True, help="the document's date YYYY-MM-DD")
        due.add_argument("--format", choices=["json", "text"], default="json")
        remind = sub.add_parser("remind", help="fire the reminder rungs that have come due")
        remind.add_argument("--now", help="ISO instant (default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "remind":
            self._remind(options)
            return
        try:
            issued = dt.date.fromisoformat(options["issued"])
        except ValueError:
            raise CommandFailure(
                f"motcua tasks due: --issued: {options['issued']!r} is not a date (YYYY-MM-DD)",
                code=2,
            ) from None
        from motcua.workcalendar.selectors import get_calendar

        try:
            deadline = read_deadline(
                options["text"],
                issued=issued,
                calendar=get_calendar(),
                before_inclusive=getattr(settings, "MOTCUA_TASKS_BEFORE_INCLUSIVE", False),
            )
        except DeadlineError as exc:
            raise CommandFailure(f"motcua tasks due: --text: {exc.message}", code=2) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(deadline.as_json(), ensure_ascii=False))
        else:
            due = f"{deadline.due:%d/%m/%Y}" if deadline.due else "-"
            self.stdout.write(f"{deadline.kind}\t{due}")

    def _remind(self, options: dict[str, Any]) -> None:
        from motcua.assignments.jobs import send_due_reminders

        now = None
        if options.get("now"):
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError:
                raise CommandFailure(
                    f"--now: {options['now']!r} is not an instant", code=2
                ) from None
        fired = send_due_reminders(now=now)
        self.stdout.write(f"đã gửi {fired} lời nhắc hạn nhiệm vụ")
