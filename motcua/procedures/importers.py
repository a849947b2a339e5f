"""`motcua import procedures FILE.csv`: all-or-nothing, idempotent, change-logged.

Columns (UTF-8, header line first): `code,name,level,processing_days` and optionally
`time_unit,field,fee,online_level,unit_codes,cutoff,published`. See docs/procedures.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from motcua.lib.csvin import ImportProblem, read_csv
from motcua.lib.vntext import nfc
from motcua.procedures.choices import OnlineLevel, ProcedureLevel, TimeLimitUnit
from motcua.procedures.models import Field, Procedure
from motcua.procedures.services import (
    ProcedureError,
    get_or_create_field,
    resolve_unit,
    save_procedure,
)

REQUIRED = ["code", "name", "level", "processing_days"]
OPTIONAL = ["time_unit", "field", "fee", "online_level", "unit_codes", "cutoff", "published"]
CODE_MAX = Procedure._meta.get_field("code").max_length or 32
FIELD_NAME_MAX = Field._meta.get_field("name").max_length or 255
_BOOL = {"": True, "1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}
_DIGITS = re.compile(r"^[0-9]+$")
_CUTOFF = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


@dataclass
class ProcedureRow:
    """One validated row of a procedures file."""

    line: int
    code: str
    name: str
    level: str
    time_limit_amount: int | None
    time_limit_unit: str
    same_day_cutoff: dt.time | None
    field_name: str
    fee: int
    online_level: str
    unit_codes: list[str]
    published: bool

    def fields(self) -> dict[str, Any]:
        """Model field values (field and competent units excluded)."""
        return {
            "name": self.name,
            "level": self.level,
            "time_limit_amount": self.time_limit_amount,
            "time_limit_unit": self.time_limit_unit,
            "same_day_cutoff": self.same_day_cutoff,
            "fee": self.fee,
            "online_level": self.online_level,
            "published": self.published,
        }


@dataclass
class ImportResult:
    """What an import did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    fields_created: int = 0
    codes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.fields_created} fields created"
        )


def _choice(value: str, column: str, allowed: list[str], default: str) -> str:
    value = value.strip() or default
    if value not in allowed:
        raise ValueError(f"{column} {value!r} is not one of {', '.join(allowed)}")
    return value


def _amount(raw: str, unit: str) -> int | None:
    raw = raw.strip()
    if unit == TimeLimitUnit.SAME_DAY:
        if raw in {"", "0"}:
            return None
        raise ValueError(f"processing_days {raw!r} must be empty or 0 when time_unit is same_day")
    if not raw:
        raise ValueError("processing_days is empty")
    if not _DIGITS.match(raw):
        raise ValueError(f"processing_days {raw!r} is not a whole number")
    amount = int(raw)
    if amount <= 0:
        raise ValueError(f"processing_days must be greater than 0 for {unit}")
    return amount


def _fee(raw: str) -> int:
    raw = raw.strip()
    if not raw:
        return 0
    if raw.startswith("-"):
        raise ValueError(f"fee {raw!r} is negative")
    if not _DIGITS.match(raw):
        raise ValueError(
            f"fee {raw!r} is not a whole number of đồng (write digits only, e.g. 50000, "
            "without separators or currency)"
        )
    return int(raw)


def _cutoff(raw: str, unit: str) -> dt.time | None:
    raw = raw.strip()
    if not raw:
        return None
    if unit != TimeLimitUnit.SAME_DAY:
        raise ValueError(f"cutoff {raw!r} is only allowed when time_unit is same_day")
    match = _CUTOFF.match(raw)
    if not match:
        raise ValueError(f"cutoff {raw!r} is not a time HH:MM")
    return dt.time(int(match[1]), int(match[2]))


def parse_row(line: int, raw: dict[str, str]) -> ProcedureRow:
    """Validate one row on its own; raise ValueError with the reason."""
    code = raw["code"].strip()
    if not code:
        raise ValueError("code is empty")
    if len(code) > CODE_MAX or any(ch.isspace() for ch in code):
        raise ValueError(f"code {code!r} is longer than {CODE_MAX} characters or has spaces")
    name = nfc(raw["name"])
    if not name:
        raise ValueError(f"name of {code} is empty")
    level = _choice(raw["level"], "level", ProcedureLevel.values, "")
    unit = _choice(
        raw.get("time_unit") or "", "time_unit", TimeLimitUnit.values, TimeLimitUnit.WORKING_DAYS
    )
    field_name = nfc(raw.get("field") or "")
    if len(field_name) > FIELD_NAME_MAX:
        raise ValueError(f"field of {code} is longer than {FIELD_NAME_MAX} characters")
    flag = (raw.get("published") or "").strip().lower()
    if flag not in _BOOL:
        raise ValueError(f"published {flag!r} is not 0/1")
    codes: list[str] = []
    for part in (raw.get("unit_codes") or "").split(";"):
        if part.strip() and part.strip() not in codes:
            codes.append(part.strip())
    return ProcedureRow(
        line=line,
        code=code,
        name=name,
        level=level,
        time_limit_amount=_amount(raw["processing_days"], unit),
        time_limit_unit=unit,
        same_day_cutoff=_cutoff(raw.get("cutoff") or "", unit),
        field_name=field_name,
        fee=_fee(raw.get("fee") or ""),
        online_level=_choice(
            raw.get("online_level") or "", "online_level", OnlineLevel.values, OnlineLevel.NONE
        ),
        unit_codes=codes,
        published=_BOOL[flag],
    )


def read_procedures_file(path: str | Path) -> list[ProcedureRow]:
    """Read and validate every row of a procedures CSV file (raises ImportProblem)."""
    rows: list[ProcedureRow] = []
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    try:
        for line, raw in read_csv(path, required=REQUIRED, optional=OPTIONAL):
            try:
                row = parse_row(line, raw)
            except ValueError as exc:
                errors.append((line, str(exc)))
                continue
            if row.code in seen:
                errors.append((line, f"code {row.code} is already on line {seen[row.code]}"))
                continue
            seen[row.code] = line
            rows.append(row)
    except ImportProblem as problem:
        errors.extend(problem.errors)
    if errors:
        raise ImportProblem(sorted(errors))
    return rows


def _resolve_units(rows: list[ProcedureRow]) -> dict[str, int]:
    """Unit code → id of its version in force today (else the latest); errors by line."""
    resolved: dict[str, int] = {}
    errors: list[tuple[int, str]] = []
    for row in rows:
        unknown = []
        for unit_code in row.unit_codes:
            if unit_code not in resolved:
                unit = resolve_unit(unit_code)
                if unit is None:
                    unknown.append(unit_code)
                    continue
                resolved[unit_code] = unit.pk
        if unknown:
            errors.append((row.line, f"unit_codes: unknown unit(s) {', '.join(unknown)}"))
    if errors:
        raise ImportProblem(errors)
    return resolved


def import_procedures(
    rows: list[ProcedureRow], *, actor: Any = None, source: str = "import"
) -> ImportResult:
    """Create or update the procedures of `rows`, all or nothing."""
    units = _resolve_units(rows)
    result = ImportResult()
    errors: list[tuple[int, str]] = []
    with transaction.atomic():
        existing = {p.code: p for p in Procedure.objects.filter(code__in=[r.code for r in rows])}
        fields: dict[str, Field] = {}
        for row in rows:
            field_obj = None
            if row.field_name:
                if row.field_name not in fields:
                    fields[row.field_name], created = get_or_create_field(
                        row.field_name, actor=actor, source=source
                    )
                    result.fields_created += created
                field_obj = fields[row.field_name]
            try:
                _, outcome = save_procedure(
                    existing.get(row.code),
                    code=row.code,
                    field=field_obj,
                    unit_ids=[units[c] for c in row.unit_codes],
                    actor=actor,
                    source=source,
                    **row.fields(),
                )
            except ProcedureError as exc:
                errors.append((row.line, f"{row.code}: {exc.message}"))
                continue
            except ValidationError as exc:
                errors.append((row.line, f"{row.code}: {'; '.join(exc.messages)}"))
                continue
            setattr(result, outcome, getattr(result, outcome) + 1)
            result.codes.append(row.code)
        if errors:
            raise ImportProblem(errors)  # leaving the atomic block rolls everything back
    return result


def import_file(path: str, *, stdout: Any = None, options: dict[str, Any] | None = None) -> str:
    """`motcua import procedures FILE.csv`: validate the whole file, then write it in one go."""
    return str(import_procedures(read_procedures_file(path), source="import"))
