"""Outside indices per unit and year (SIPAS, PAPI, PCI, PGI, DTI, DDCI, the published PAR
Index; par-index.md §7): the import of `motcua par import-indices FILE.csv` and its service.

All or nothing: every row is checked first (`line N: reason`), then one service writes the
clean file and records one change-log row. Importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.models import ChangeAction
from motcua.audit.services import record_change, snapshot
from motcua.lib.csvin import ImportProblem, read_csv
from motcua.lib.vntext import nfc
from motcua.par.choices import OtherIndex
from motcua.par.models import OtherIndexValue
from motcua.par.rules import RuleError, dec

INDICES_HEADER = ["index", "year", "unit_code", "value", "rank", "out_of", "source_document"]


@dataclass(frozen=True)
class IndexValue:
    """One row of the file: an index's value, rank and out of how many for a unit and year."""

    index: str
    year: int
    unit_code: str
    value: Decimal | None
    rank: int | None
    out_of: int | None
    source_document: str


def _count(raw: str, what: str, problems: list[str]) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        problems.append(f"{what} must be a whole number from 1, found {raw!r}")
        return None
    return int(raw)


def read_indices_file(path: str | Path) -> list[IndexValue]:
    """The rows of an indices CSV after every check."""
    rows: list[IndexValue] = []
    seen: dict[tuple[str, int, str], int] = {}
    errors: list[tuple[int, str]] = []
    for line, row in read_csv(path, required=INDICES_HEADER, optional=[]):
        problems: list[str] = []
        index = row["index"].strip().upper()
        if index not in OtherIndex.values:
            problems.append(
                f"index {row['index'].strip()!r} is unknown (expected one of "
                f"{', '.join(OtherIndex.values)})"
            )
        year = 0
        raw_year = row["year"].strip()
        if not raw_year.isdigit() or not 2000 <= int(raw_year) <= 2100:
            problems.append(f"year {raw_year!r} is not a plausible year")
        else:
            year = int(raw_year)
        unit = row["unit_code"].strip()
        if not unit:
            problems.append("unit_code is empty")
        elif len(unit) > 64:
            problems.append("unit_code is longer than 64 characters")
        value: Decimal | None = None
        if row["value"].strip():
            try:
                value = dec(row["value"], "value")
            except RuleError as exc:
                problems.append(str(exc))
            else:
                if value != value.quantize(Decimal("0.0001")):
                    problems.append(f"value {row['value'].strip()} has more than 4 decimals")
                elif abs(value) >= Decimal("1e8"):
                    problems.append(f"value {row['value'].strip()} is too large")
        rank = _count(row["rank"], "rank", problems)
        out_of = _count(row["out_of"], "out_of", problems)
        if rank is not None and out_of is not None and rank > out_of:
            problems.append(f"rank {rank} is above out_of {out_of}")
        if value is None and rank is None and not problems:
            problems.append("neither a value nor a rank")
        source = nfc(row["source_document"])
        if len(source) > 255:
            problems.append("source_document is longer than 255 characters")
        key = (index, year, unit)
        if index and year and unit:
            if key in seen:
                problems.append(f"{index} {year} of {unit} repeats line {seen[key]}")
            seen.setdefault(key, line)
        if problems:
            errors.extend((line, p) for p in problems)
            continue
        rows.append(IndexValue(index, year, unit, value, rank, out_of, source))
    if errors:
        raise ImportProblem(errors)
    if not rows:
        raise ImportProblem([(1, "the file has no rows")])
    return rows


@transaction.atomic
def save_index_values(*, values: Sequence[IndexValue], actor: Any, source: str = "import") -> int:
    """Create or update each (index, year, unit) row; the number of rows changed."""
    current = {
        (r.index, r.year, r.unit_code): r
        for r in OtherIndexValue.objects.select_for_update().filter(
            unit_code__in={v.unit_code for v in values}
        )
    }
    changed = 0
    now = timezone.now()
    for v in values:
        fields = {
            "value": v.value,
            "rank": v.rank,
            "out_of": v.out_of,
            "source_document": v.source_document,
        }
        row = current.get((v.index, v.year, v.unit_code))
        before = None
        if row is None:
            row = OtherIndexValue.objects.create(
                index=v.index, year=v.year, unit_code=v.unit_code, updated_at=now, **fields
            )
        else:
            diff = {k: x for k, x in fields.items() if getattr(row, k) != x}
            if not diff:
                continue
            before = snapshot(row)
            for k, x in diff.items():
                setattr(row, k, x)
            row.updated_at = now
            row.save(update_fields=[*diff, "updated_at"])
        changed += 1
        record_change(
            obj=row,
            action=ChangeAction.CREATE if before is None else ChangeAction.UPDATE,
            actor=actor,
            before=before,
            after=snapshot(row),
            source=source,
            reason=_("Nhập các chỉ số khác"),
        )
    return changed


def import_indices(path: str | Path, *, actor: Any = None) -> str:
    """Import an indices CSV; the summary line."""
    values = read_indices_file(path)
    changed = save_index_values(values=values, actor=actor)
    units = len({v.unit_code for v in values})
    return f"indices: {len(values)} rows of {units} units, {changed} rows changed"
