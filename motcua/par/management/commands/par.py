"""`motcua par import-set|import-scores|import-survey|import-indices|copy-set|results`: the PAR
Index (import-set also reads an .xlsx file with the same columns).

Exit status: 0 done; 1 the file or the set's state refused the import (nothing written,
`line N: reason` on stderr); 2 bad arguments.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import CommandParser

from motcua.lib.commands import CommandFailure, MotcuaCommand
from motcua.lib.csvin import ImportProblem
from motcua.par.choices import UnitType
from motcua.par.models import CriteriaSet

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


class Command(MotcuaCommand):
    help = (
        "Chỉ số CCHC: nhập bộ tiêu chí, điểm, điểm điều tra, các chỉ số khác; in kết quả và "
        "xếp hạng. The PAR Index: import a criteria set, scores, survey points, other indices; "
        "print results and ranks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="WHAT")
        one = sub.add_parser(
            "import-set", help="a criteria set: code,parent_code,name,max_points,rule,params"
        )
        one.add_argument("file", metavar="FILE.csv|FILE.xlsx")
        one.add_argument("--code", required=True, help="e.g. QNG-SO-2022")
        one.add_argument("--year", required=True, type=int)
        one.add_argument("--unit-type", required=True, choices=UnitType.values)
        one.add_argument("--survey-max", required=True, help="survey points, e.g. 33.5")
        one.add_argument("--decision", help="the issuing decision, e.g. 733/QĐ-UBND")
        one.add_argument("--decision-date", help="its date YYYY-MM-DD")
        scores = sub.add_parser(
            "import-scores",
            help="final leaf scores: unit_code,criterion_code,points,not_applicable",
        )
        scores.add_argument("file", metavar="FILE.csv")
        scores.add_argument("--set", required=True, dest="set_code")
        survey = sub.add_parser("import-survey", help="survey points: unit_code,points")
        survey.add_argument("file", metavar="FILE.csv")
        survey.add_argument("--set", required=True, dest="set_code")
        indices = sub.add_parser(
            "import-indices",
            help="other indices: index,year,unit_code,value,rank,out_of,source_document",
        )
        indices.add_argument("file", metavar="FILE.csv")
        # Copy last year's set as the start of a new one (computed leaves work).
        copy = sub.add_parser("copy-set", help="copy a set's tree into a new draft set")
        copy.add_argument("--from", required=True, dest="set_code", help="e.g. QNG-SO-2022")
        copy.add_argument("--code", required=True, help="the new set, e.g. QNG-SO-2023")
        copy.add_argument("--year", required=True, type=int)
        results = sub.add_parser("results", help="totals, indices, groups and ranks of a set")
        results.add_argument("--set", required=True, dest="set_code")
        results.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        from motcua.par import importers
        from motcua.par.services import ParError

        what = options["what"]
        try:
            if what == "import-set":
                code, year, survey_max = self._set_arguments(options)
                summary = importers.import_set(
                    options["file"],
                    code=code,
                    year=year,
                    unit_type=options["unit_type"],
                    survey_max=survey_max,
                    decision_number=(options.get("decision") or "").strip() or None,
                    decision_date=self._date(options.get("decision_date")),
                )
            elif what == "import-scores":
                summary = importers.import_scores(
                    options["file"], criteria_set=self._set(options, what)
                )
            elif what == "import-indices":
                from motcua.par.indices import import_indices

                summary = import_indices(options["file"])
            elif what == "copy-set":
                from motcua.par.copy import copy_set

                source = self._set(options, what)
                if not _CODE.match(options["code"].strip()):
                    raise CommandFailure(
                        f"motcua par copy-set: --code {options['code']!r}: letters, digits, "
                        "'.', '-' or '_' (at most 40)",
                        code=2,
                    )
                if not 2000 <= options["year"] <= 2100:
                    raise CommandFailure(
                        f"motcua par copy-set: --year {options['year']}: not a plausible year",
                        code=2,
                    )
                created = copy_set(
                    source=source,
                    code=options["code"],
                    year=options["year"],
                    actor=None,
                    src="cli",
                )
                summary = (
                    f"{created.code}: {created.criteria.count()} criteria copied from "
                    f"{source.code} (draft)"
                )
            elif what == "import-survey":
                summary = importers.import_survey(
                    options["file"], criteria_set=self._set(options, what)
                )
            else:
                self._results(self._set(options, what), options["format"])
                return
        except ImportProblem as problem:
            raise CommandFailure(str(problem), code=1) from None
        except ParError as exc:
            raise CommandFailure(f"motcua par {what}: {exc}", code=1) from None
        self.stdout.write(summary)

    def _set_arguments(self, options: dict[str, Any]) -> tuple[str, int, Decimal]:
        code = options["code"].strip()
        if not _CODE.match(code):
            raise CommandFailure(
                f"motcua par import-set: --code {code!r}: letters, digits, '.', '-' or '_' "
                "(at most 40)",
                code=2,
            )
        year = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandFailure(
                f"motcua par import-set: --year {year}: not a plausible year", code=2
            )
        raw = options["survey_max"]
        try:
            survey_max = Decimal(raw.strip())
        except InvalidOperation:
            survey_max = Decimal("NaN")
        if (
            not survey_max.is_finite()
            or not 0 <= survey_max <= 100
            or survey_max != survey_max.quantize(Decimal("0.01"))
        ):
            raise CommandFailure(
                f"motcua par import-set: --survey-max {raw!r}: points from 0 to 100, "
                "at most 2 decimals",
                code=2,
            )
        return code, year, survey_max

    def _date(self, raw: str | None) -> dt.date | None:
        if not raw:
            return None
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise CommandFailure(
                f"motcua par import-set: --decision-date {raw!r}: not a date (YYYY-MM-DD)", code=2
            ) from None

    def _set(self, options: dict[str, Any], what: str) -> CriteriaSet:
        criteria_set = CriteriaSet.objects.filter(code=options["set_code"]).first()
        if criteria_set is None:
            known = ", ".join(CriteriaSet.objects.values_list("code", flat=True)[:10]) or "none"
            raise CommandFailure(
                f"motcua par {what}: --set {options['set_code']!r}: no such criteria set "
                f"(known: {known})",
                code=2,
            )
        return criteria_set

    def _results(self, criteria_set: CriteriaSet, fmt: str) -> None:
        from motcua.par.selectors import results_as_json

        data = results_as_json(criteria_set)
        if fmt == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        field_codes = [f["code"] for f in data["units"][0]["fields"]] if data["units"] else []
        head = ["rank", "unit", "evidence", "survey", "bonus", "penalty", "total", "max", "index"]
        head += ["group", *(f"field {c}" for c in field_codes)]
        rows = [head]
        for u in data["units"]:
            cells = [u["rank"], u["unit"], u["evidence"], u["survey"], u["bonus"], u["penalty"]]
            cells += [u["total"], u["applicable_max"], u["index"], u["group"] or "-"]
            cells += [
                "-" if f["index"] is None else f"{f['index']} (#{f['rank']})" for f in u["fields"]
            ]
            rows.append(["-" if c is None else str(c) for c in cells])
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        for r in rows:
            self.stdout.write(
                "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
            )
