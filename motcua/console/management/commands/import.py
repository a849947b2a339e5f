"""`motcua import KIND FILE.csv`: load data files, all or nothing.

Each kind is implemented by its app in a module exposing `import_file(path, *, stdout,
options) -> str` (the summary line) and optionally `add_arguments(parser)`; bad input raises
`motcua.lib.csvin.ImportProblem` whose lines read `line N: reason`.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core.management.base import CommandParser

from motcua.lib.commands import CommandFailure, MotcuaCommand
from motcua.lib.csvin import ImportProblem

IMPORTERS = {
    "units": (
        "motcua.units.importers",
        "units: code,name,parent_code,level[,kind,valid_from,valid_to,successor_code,"
        "succession_kind,succession_note,legal_basis]",
    ),
    "procedures": (
        "motcua.procedures.importers",
        "procedures: code,name,level,processing_days[,time_unit,field,fee,online_level,unit_codes]",
    ),
    "catalogue": (
        "motcua.procedures.catalogue_import",
        "catalogue: the national portal's list exports (.xlsx) and procedure pages (.json)",
    ),
    "dossiers": (
        "motcua.dossiers.importers",
        "dossiers: code,procedure_code,unit_code,channel,received_at,due_at,finished_at,outcome",
    ),
    "index-published": (
        "motcua.index766.published",
        "index-published: the national portal's published 766 figures (.json) --period 2026-M08",
    ),
    "tasks": (
        "motcua.assignments.importers",
        "tasks: code,issuer_code,document,issued_on,title,lead_unit_code,...,cancelled_on",
    ),
}


def _module(kind: str) -> Any:
    return import_module(IMPORTERS[kind][0])


class Command(MotcuaCommand):
    help = "Nhập dữ liệu từ tệp CSV (UTF-8). Import data from a UTF-8 CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        for kind, (module_name, summary) in IMPORTERS.items():
            try:
                module = import_module(module_name)
            except ModuleNotFoundError:
                continue  # an importer not written yet is simply not offered
            kind_parser = sub.add_parser(kind, help=summary)
            kind_parser.add_argument(
                "file",
                metavar=getattr(module, "FILE_METAVAR", "FILE.csv"),
                nargs=getattr(module, "FILE_NARGS", None),
            )
            if hasattr(module, "add_arguments"):
                module.add_arguments(kind_parser)

    def handle(self, *args: Any, **options: Any) -> None:
        module = _module(options["kind"])
        try:
            summary = module.import_file(options["file"], stdout=self.stdout, options=options)
        except ImportProblem as problem:
            raise CommandFailure(str(problem), code=1) from None
        self.stdout.write(summary)
