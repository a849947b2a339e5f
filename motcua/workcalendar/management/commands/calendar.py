"""`motcua calendar`: working days, due instants with explanations, overlay edits.

    motcua calendar due --start 2024-02-07T09:00 --amount 1 --unit working_days
    2024-02-15T09:00:00+07:00

The last line of `due` is the due instant (ISO 8601, Asia/Ho_Chi_Minh, with seconds); with an
open pause (`--pause FROM/`) there is none and the last line is `paused remaining_minutes=N`.
Bad input exits with status 2 and a message naming the argument.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from django.db import DatabaseError

from motcua.lib.commands import CommandFailure, MotcuaCommand
from motcua.workcalendar import inputs
from motcua.workcalendar.engine import (
    WEEKDAY_NAMES,
    CalendarError,
    TimeUnit,
    WorkCalendar,
    compute_due,
    format_minutes,
)
from motcua.workcalendar.models import CalendarEntry, EntryKind, EntryStatusChoice
from motcua.workcalendar.selectors import get_calendar, get_unit_by_code
from motcua.workcalendar.services import (
    CalendarEditError,
    add_calendar_entry,
    delete_calendar_entry,
    update_calendar_entry,
)
from motcua.workcalendar.swaps import shipped_overrides

ACTOR = "cli"


def _bad(argument: str, message: str) -> CommandFailure:
    return CommandFailure(f"{argument}: {message}", code=2)


class Command(MotcuaCommand):
    """Lịch làm việc và hạn xử lý — working calendar and deadlines."""

    help = "Lịch làm việc và hạn xử lý (working calendar and deadlines): due | days | add | remove"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Subcommands due, days, add, remove."""
        sub = parser.add_subparsers(dest="action", metavar="{due,days,add,update,remove}")

        due = sub.add_parser("due", help="tính hạn xử lý (compute a due instant)")
        due.add_argument("--start", help="ISO 8601 receipt instant; no offset = local time")
        due.add_argument("--amount", help="positive whole number (not for same_day)")
        due.add_argument("--unit", help=", ".join(u.value for u in TimeUnit))
        due.add_argument(
            "--pause",
            action="append",
            default=[],
            metavar="FROM/TO",
            help="suspension; repeatable; 'FROM/' = still paused",
        )
        due.add_argument("--cutoff", metavar="HH:MM", help="cut-off time for same_day")
        due.add_argument("--unit-code", help="use this unit's working hours and local days off")
        due.add_argument("--explain", action="store_true", help="print the explanation first")

        days = sub.add_parser("days", help="ngày nghỉ và ngày làm bù trong năm (list a year)")
        days.add_argument("--year")
        days.add_argument("--unit-code")

        add = sub.add_parser("add", help="thêm ngày điều chỉnh (add an overlay day)")
        add.add_argument("--date")
        add.add_argument("--kind", help="day_off | working_day")
        add.add_argument("--name", default="")
        add.add_argument("--document", default="")
        add.add_argument("--status", default=EntryStatusChoice.CONFIRMED.value)
        add.add_argument("--note", default="")
        add.add_argument("--unit-code")
        add.add_argument("--reason", default="")

        update = sub.add_parser("update", help="sửa ngày điều chỉnh (change an overlay day)")
        update.add_argument("--date")
        update.add_argument("--unit-code")
        update.add_argument("--kind", help="day_off | working_day")
        update.add_argument("--name")
        update.add_argument("--document")
        update.add_argument("--status")
        update.add_argument("--note")
        update.add_argument("--reason", default="")

        remove = sub.add_parser("remove", help="xoá ngày điều chỉnh (remove an overlay day)")
        remove.add_argument("--date")
        remove.add_argument("--unit-code")
        remove.add_argument("--reason", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        """Dispatch to the subcommand."""
        action = options.get("action")
        if action == "due":
            self._due(options)
        elif action == "days":
            self._days(options)
        elif action == "add":
            self._add(options)
        elif action == "update":
            self._update(options)
        elif action == "remove":
            self._remove(options)
        else:
            raise CommandFailure("usage: motcua calendar {due,days,add,update,remove} ...", code=2)

    # -- helpers ------------------------------------------------------------------------------

    def _unit(self, code: str | None) -> Any:
        if not code:
            return None
        try:
            unit = get_unit_by_code(code)
        except DatabaseError as exc:
            raise CommandFailure(f"database not ready (run `motcua migrate`): {exc}") from exc
        if unit is None:
            raise _bad("--unit-code", f"unknown unit {code!r}")
        return unit

    def _calendar(self, unit: Any) -> WorkCalendar:
        try:
            return get_calendar(unit)
        except DatabaseError:
            if unit is not None:
                raise CommandFailure("database not ready (run `motcua migrate`)") from None
            # An unmigrated database still gets the shipped swap table.
            self.stderr.write("warning: database not migrated; using the shipped swap table")
            return WorkCalendar(overrides=shipped_overrides(), version="data/swaps.csv")

    @staticmethod
    def _date(text: str | None, argument: str = "--date") -> dt.date:
        try:
            return dt.date.fromisoformat((text or "").strip())
        except ValueError:
            raise _bad(argument, f"{text!r} is not an ISO 8601 date (YYYY-MM-DD)") from None

    # -- due ----------------------------------------------------------------------------------

    def _due(self, options: dict[str, Any]) -> None:
        if not options.get("start"):
            raise _bad("--start", "is required")
        try:
            start = inputs.parse_instant(options["start"])
        except ValueError as exc:
            raise _bad("--start", str(exc)) from None
        if not options.get("unit"):
            raise _bad("--unit", "is required")
        try:
            unit = inputs.parse_unit(options["unit"])
        except ValueError as exc:
            raise _bad("--unit", str(exc)) from None
        try:
            amount = inputs.parse_amount(options.get("amount"), unit)
        except ValueError as exc:
            raise _bad("--amount", str(exc)) from None
        pauses = []
        for text in options.get("pause") or []:
            try:
                pauses.append(inputs.parse_pause(text))
            except ValueError as exc:
                raise _bad("--pause", str(exc)) from None
        cutoff = None
        if options.get("cutoff"):
            try:
                cutoff = inputs.parse_cutoff(options["cutoff"])
            except ValueError as exc:
                raise _bad("--cutoff", str(exc)) from None
        calendar = self._calendar(self._unit(options.get("unit_code")))
        try:
            result = compute_due(calendar, start, amount, unit, pauses=pauses, cutoff=cutoff)
        except CalendarError as exc:
            raise _bad("--pause" if pauses else "--start", str(exc)) from None
        if options.get("explain"):
            for line in result.explanation:
                self.stdout.write(line)
        if result.statutory_due is None:
            remaining = result.remaining_minutes
            left = (
                format_minutes(remaining)
                if remaining is not None
                else f"{result.remaining_days} ngày"
            )
            self.stdout.write(
                f"Hồ sơ đang tạm dừng: chưa có hạn (no due instant while paused); còn {left}"
            )
            if remaining is not None:
                self.stdout.write(f"paused remaining_minutes={remaining}")
            else:
                self.stdout.write(f"paused remaining_days={result.remaining_days}")
            return
        self.stdout.write(result.statutory_due.isoformat(timespec="seconds"))

    # -- days ---------------------------------------------------------------------------------

    def _days(self, options: dict[str, Any]) -> None:
        if not options.get("year"):
            raise _bad("--year", "is required")
        try:
            year = inputs.parse_year(options["year"])
        except ValueError as exc:
            raise _bad("--year", str(exc)) from None
        calendar = self._calendar(self._unit(options.get("unit_code")))
        for info in calendar.notable_days(year):
            weekday = WEEKDAY_NAMES[info.date.weekday()]
            state = "làm việc" if info.working else "nghỉ"
            self.stdout.write(f"{info.date.isoformat()}  {weekday:<9} {state:<9} {info.reason()}")

    # -- add / remove -------------------------------------------------------------------------

    def _add(self, options: dict[str, Any]) -> None:
        day = self._date(options.get("date"))
        kind = (options.get("kind") or "").strip()
        if kind not in EntryKind.values:
            raise _bad("--kind", f"{kind!r} is not one of day_off, working_day")
        if not (options.get("name") or "").strip():
            raise _bad("--name", "is required")
        status = options.get("status") or EntryStatusChoice.CONFIRMED
        if status not in EntryStatusChoice.values:
            raise _bad(
                "--status", f"{status!r} is not one of {', '.join(EntryStatusChoice.values)}"
            )
        unit = self._unit(options.get("unit_code"))
        try:
            entry = add_calendar_entry(
                date=day,
                kind=kind,
                name=options["name"].strip(),
                document=(options.get("document") or "").strip(),
                status=status,
                note=options.get("note") or "",
                unit=unit,
                actor=ACTOR,
                reason=options.get("reason") or "",
                source="cli",
            )
        except CalendarEditError as exc:
            raise CommandFailure(str(exc)) from None
        self.stdout.write(f"Đã thêm (added): {entry}")

    def _update(self, options: dict[str, Any]) -> None:
        day = self._date(options.get("date"))
        unit = self._unit(options.get("unit_code"))
        entry = CalendarEntry.objects.filter(date=day, unit=unit).first()
        if entry is None:
            raise CommandFailure(f"--date: no calendar entry on {day.isoformat()} in this scope")
        changes: dict[str, Any] = {}
        if options.get("kind") is not None:
            if options["kind"] not in EntryKind.values:
                raise _bad("--kind", f"{options['kind']!r} is not one of day_off, working_day")
            changes["kind"] = options["kind"]
        if options.get("status") is not None:
            if options["status"] not in EntryStatusChoice.values:
                choices = ", ".join(EntryStatusChoice.values)
                raise _bad("--status", f"{options['status']!r} is not one of {choices}")
            changes["status"] = options["status"]
        for name in ("name", "document", "note"):
            if options.get(name) is not None:
                changes[name] = options[name].strip()
        if not changes:
            raise _bad("--kind", "nothing to change (give --kind, --name, --document, ...)")
        try:
            update_calendar_entry(
                entry, actor=ACTOR, reason=options.get("reason") or "", source="cli", **changes
            )
        except CalendarEditError as exc:
            raise CommandFailure(str(exc)) from None
        self.stdout.write(f"Đã sửa (updated): {entry}")

    def _remove(self, options: dict[str, Any]) -> None:
        day = self._date(options.get("date"))
        unit = self._unit(options.get("unit_code"))
        entry = CalendarEntry.objects.filter(date=day, unit=unit).first()
        if entry is None:
            raise CommandFailure(f"--date: no calendar entry on {day.isoformat()} in this scope")
        shown = str(entry)
        try:
            delete_calendar_entry(
                entry, actor=ACTOR, reason=options.get("reason") or "", source="cli"
            )
        except CalendarEditError as exc:
            raise CommandFailure(str(exc)) from None
        self.stdout.write(f"Đã xoá (removed): {shown}")
