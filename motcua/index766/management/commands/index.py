"""`motcua index services`: the Decision 766 service index of a unit (JSON or a table).

Subcommands are registered in `SUBCOMMANDS` (name → (help, add_arguments, handle)) so that
other parts of the index (e.g. `warn`) can be added beside `services`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.management.base import CommandParser

from motcua.index766 import warn_command
from motcua.index766.engine import compute_index
from motcua.index766.params import IndexParamError, read_index_request
from motcua.index766.render import as_table
from motcua.lib.commands import CommandFailure, MotcuaCommand
from motcua.stats.selectors import StatsError


def _services_arguments(parser: CommandParser) -> None:
    parser.add_argument("--unit", help="mã đơn vị, ví dụ H44 (unit code)")
    parser.add_argument(
        "--period", help="2026-M08, 2026-Q3, 2026-H1 hoặc 2026 (kỳ theo lịch; calendar)"
    )
    parser.add_argument("--from", dest="date_from", help="ngày đầu YYYY-MM-DD (first day)")
    parser.add_argument("--to", dest="date_to", help="ngày cuối YYYY-MM-DD (last day)")
    parser.add_argument("--by", help="unit: thêm một dòng cho mỗi đơn vị cấp dưới (rows)")
    parser.add_argument("--format", choices=["json", "table"], default="json")


def _services(command: MotcuaCommand, options: dict[str, Any]) -> None:
    try:
        request = read_index_request(
            unit=options.get("unit"),
            period=options.get("period"),
            date_from=options.get("date_from"),
            date_to=options.get("date_to"),
            by=options.get("by"),
        )
        result = compute_index(request.unit, request.period, by_unit=request.by_unit)
    except IndexParamError as exc:
        raise CommandFailure(f"motcua index services: {exc.name}: {exc.message}", code=2) from None
    except StatsError:
        raise CommandFailure(
            f"motcua index services: --unit: không có đơn vị {options.get('unit')!r} "
            "trong kỳ đã chọn",
            code=2,
        ) from None
    if options["format"] == "table":
        command.stdout.write(as_table(result))
    else:
        command.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))


Handler = Callable[[MotcuaCommand, dict[str, Any]], None]
SUBCOMMANDS: dict[str, tuple[str, Callable[[CommandParser], None], Handler]] = {
    "services": (
        "chỉ số phục vụ của một đơn vị trong kỳ (the unit's 766 index)",
        _services_arguments,
        _services,
    ),
    "warn": (warn_command.HELP, warn_command.add_arguments, warn_command.handle),
}


class Command(MotcuaCommand):
    help = (
        "Chỉ số phục vụ người dân, doanh nghiệp theo Quyết định 766/QĐ-TTg. "
        "The Decision 766 service index."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="WHAT")
        for name, (help_text, arguments, _handler) in SUBCOMMANDS.items():
            arguments(sub.add_parser(name, help=help_text))

    def handle(self, *args: Any, **options: Any) -> None:
        SUBCOMMANDS[options["what"]][2](self, options)
