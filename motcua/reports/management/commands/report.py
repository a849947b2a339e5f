"""`motcua report dossiers`: Biểu số 06/VPCP/KSTT of a unit for a period, as XLSX, DOCX or PDF.

    motcua report dossiers --period 2023-Q3 --unit DT --format xlsx --out bieu06.xlsx

The file is written atomically (a temporary file in the same folder, then renamed): a failure
never leaves a half-written file behind. Bad arguments exit with status 2.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from motcua.documents.render import DocumentError
from motcua.lib.commands import CommandFailure, MotcuaCommand
from motcua.reports.bieu06 import ROWS_BY, TableDoesNotAddUp, build_bieu06
from motcua.reports.reform.command import add_reform_parser, run_reform
from motcua.reports.render import FORMATS, render
from motcua.stats.figures import IdentityBroken
from motcua.stats.params import ParamError, read_request
from motcua.stats.selectors import DESK_VIEW, VIEWS, StatsError

PROG = "motcua report dossiers"


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _choose_format(fmt: str | None, out: Path) -> str:
    if fmt is None:
        fmt = out.suffix.lstrip(".").lower()
        if fmt not in FORMATS:
            raise CommandFailure(
                f"{PROG}: --format: give one of {', '.join(FORMATS)} "
                f"(cannot tell it from {out.name!r})",
                code=2,
            )
    if fmt not in FORMATS:
        raise CommandFailure(
            f"{PROG}: --format: {fmt!r} is not one of {', '.join(FORMATS)}", code=2
        )
    return fmt


def _check_out(raw: str | None) -> Path:
    if not raw:
        raise CommandFailure(f"{PROG}: --out: an output file is required", code=2)
    out = Path(raw).expanduser()
    if out.is_dir():
        raise CommandFailure(f"{PROG}: --out: {raw!r} is a folder, give a file name", code=2)
    if not out.parent.is_dir():
        raise CommandFailure(
            f"{PROG}: --out: the folder {str(out.parent)!r} does not exist", code=2
        )
    return out


class Command(MotcuaCommand):
    help = (
        "Báo cáo Biểu số 06/VPCP/KSTT (XLSX, DOCX, PDF). "
        "Biểu 06 report of a unit for a period as a file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="WHAT")
        dossiers = sub.add_parser(
            "dossiers", help="Biểu 06/VPCP/KSTT: results of handling TTHC dossiers"
        )
        dossiers.add_argument("--unit", help="unit code, e.g. DT")
        dossiers.add_argument("--period", help="2023-Q3, 2023-M09, 2023-H1 or 2023")
        dossiers.add_argument("--from", dest="date_from", help="first day YYYY-MM-DD")
        dossiers.add_argument("--to", dest="date_to", help="last day YYYY-MM-DD")
        dossiers.add_argument(
            "--calendar", action="store_true", help="calendar periods instead of Decree 09 windows"
        )
        dossiers.add_argument(
            "--rows", default="field", help=f"rows within a level: {' or '.join(ROWS_BY)}"
        )
        dossiers.add_argument(
            "--as-current", action="store_true", help="re-aggregate history onto today's units"
        )
        dossiers.add_argument(
            "--view",
            choices=VIEWS,
            help="handling (default): by competent unit; desk: by receiving desk (Biểu II.06a)",
        )
        dossiers.add_argument(
            "--by-desk", dest="view", action="store_const", const=DESK_VIEW, help="--view desk"
        )
        dossiers.add_argument("--format", help=f"{', '.join(FORMATS)} (default: from --out)")
        dossiers.add_argument("--out", help="output file (written atomically)")
        # Periodic reform report (issue 15): `motcua report reform`.
        add_reform_parser(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("what") == "reform":
            run_reform(options, self.stdout)
            return
        rows = options.get("rows") or "field"
        if rows not in ROWS_BY:
            raise CommandFailure(
                f"{PROG}: --rows: {rows!r} is not one of {', '.join(ROWS_BY)}", code=2
            )
        out = _check_out(options.get("out"))
        fmt = _choose_format(options.get("format"), out)
        try:
            request = read_request(
                unit=options.get("unit"),
                period=options.get("period"),
                date_from=options.get("date_from"),
                date_to=options.get("date_to"),
                calendar=options.get("calendar", False),
                as_current=options.get("as_current", False),
                view=options.get("view"),
            )
            table = build_bieu06(
                code=request.unit,
                period=request.period,
                rows_by=rows,
                as_current=request.as_current,
                view=request.view,
            )
        except (ParamError, StatsError) as exc:
            raise CommandFailure(f"{PROG}: {exc}", code=2) from None
        except (TableDoesNotAddUp, IdentityBroken) as exc:
            # inconsistent data: never print a table that does not add up (statistics.md §3)
            raise CommandFailure(f"{PROG}: the figures do not add up: {exc}", code=1) from None
        try:
            data = render(table, fmt)
        except DocumentError as exc:
            raise CommandFailure(f"{PROG}: {exc.message}", code=1) from None
        try:
            write_atomically(out, data)
        except OSError as exc:
            raise CommandFailure(
                f"{PROG}: --out: cannot write {str(out)!r}: {exc}", code=1
            ) from None
        self.stdout.write(str(out))
        self.stdout.write(table.summary)
