"""`motcua import units FILE.csv`: all-or-nothing, idempotent, rows in any order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from motcua.lib.csvin import ImportProblem, read_csv
from motcua.lib.vntext import nfc
from motcua.units.choices import SuccessionKind, UnitKind, UnitLevel, succession_kind_of
from motcua.units.models import Unit, UnitSuccession
from motcua.units.services import link_successor, save_unit, update_succession

REQUIRED = ["code", "name", "parent_code", "level"]
OPTIONAL = [
    "kind",
    "valid_from",
    "valid_to",
    "successor_code",
    "short_name",
    "admin_code",
    "has_one_stop",
    # What the official table says about each move, and its legal basis (optional; a file
    # without them keeps today's meaning and leaves existing links as they are).
    "succession_kind",
    "succession_note",
    "legal_basis",
]
DEFAULT_KIND = {
    UnitLevel.PROVINCE: UnitKind.PEOPLES_COMMITTEE,
    UnitLevel.DEPARTMENT: UnitKind.DEPARTMENT,
    UnitLevel.DISTRICT: UnitKind.PEOPLES_COMMITTEE,
    UnitLevel.COMMUNE: UnitKind.PEOPLES_COMMITTEE,
    UnitLevel.SUBUNIT: UnitKind.DIVISION,
}
_BOOL = {"": False, "0": False, "false": False, "no": False, "1": True, "true": True, "yes": True}


@dataclass
class UnitRow:
    """One validated row of a units file."""

    line: int
    code: str
    name: str
    parent_code: str
    level: str
    kind: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor_codes: list[str]
    short_name: str = ""
    admin_code: str = ""
    has_one_stop: bool = False
    # Per successor (same order): (kind, the official wording when it says more); None when
    # the file has no `succession_kind` column. Likewise the note and the legal basis.
    succession_kinds: list[tuple[str, str]] | None = None
    succession_note: str | None = None
    legal_basis: str | None = None

    def link_fields(self, position: int) -> dict[str, str]:
        """What the file says about the link to its `position`-th successor (given columns)."""
        several = len(self.successor_codes) > 1
        values: dict[str, str] = {}
        if self.succession_kinds is not None:
            kinds = self.succession_kinds
            kind, text = kinds[position] if len(kinds) > 1 else (kinds[0] if kinds else ("", ""))
            values["kind"] = kind or (SuccessionKind.SPLIT if several else SuccessionKind.MERGE)
            values["kind_text"] = text
        if self.succession_note is not None:
            values["note"] = self.succession_note
        if self.legal_basis is not None:
            values["legal_basis"] = self.legal_basis
        return values

    def fields(self) -> dict[str, Any]:
        """Model field values (parent excluded)."""
        return {
            "name": self.name,
            "level": self.level,
            "kind": self.kind,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "short_name": self.short_name,
            "admin_code": self.admin_code,
            "has_one_stop": self.has_one_stop,
        }


@dataclass
class ImportResult:
    """What an import did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links_created: int = 0
    links_updated: int = 0
    codes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.links_created} successor links created"
        )
        if self.links_updated:
            text += f", {self.links_updated} successor links updated"
        return text


def _date(value: str, column: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{column} {value!r} is not a date (YYYY-MM-DD)") from None


def parse_row(line: int, raw: dict[str, str]) -> UnitRow:
    """Validate one row on its own; raise ValueError with the reason."""
    code = raw["code"].strip()
    if not code:
        raise ValueError("code is empty")
    if len(code) > 64:
        raise ValueError(f"code {code!r} is longer than 64 characters")
    name = nfc(raw["name"])
    if not name:
        raise ValueError(f"name of {code} is empty")
    if len(name) > 255:
        raise ValueError(f"name of {code} is longer than 255 characters")
    level = raw["level"].strip()
    if level not in UnitLevel.values:
        raise ValueError(f"level {level!r} is not one of {', '.join(UnitLevel.values)}")
    kind = (raw.get("kind") or "").strip() or DEFAULT_KIND[UnitLevel(level)]
    if kind not in UnitKind.values:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(UnitKind.values)}")
    valid_from = _date(raw.get("valid_from") or "", "valid_from")
    valid_to = _date(raw.get("valid_to") or "", "valid_to")
    if valid_from and valid_to and valid_from > valid_to:
        raise ValueError(f"valid_from {valid_from} is after valid_to {valid_to}")
    flag = (raw.get("has_one_stop") or "").strip().lower()
    if flag not in _BOOL:
        raise ValueError(f"has_one_stop {flag!r} is not 0/1")
    successors = [c.strip() for c in (raw.get("successor_code") or "").split(";") if c.strip()]
    if successors and valid_to is None:
        raise ValueError(f"{code} has a successor but no valid_to (the last day it existed)")
    kinds = _succession_kinds(code, raw.get("succession_kind"), successors)
    note = raw.get("succession_note")
    basis = raw.get("legal_basis")
    if not successors and (kinds or (note or "").strip() or (basis or "").strip()):
        raise ValueError(
            f"{code} has succession_kind, succession_note or legal_basis but no successor_code"
        )
    if basis is not None and len(nfc(basis)) > 255:
        raise ValueError(f"legal_basis of {code} is longer than 255 characters")
    return UnitRow(
        line=line,
        code=code,
        name=name,
        parent_code=raw["parent_code"].strip(),
        level=level,
        kind=kind,
        valid_from=valid_from,
        valid_to=valid_to,
        successor_codes=successors,
        short_name=nfc(raw.get("short_name") or ""),
        admin_code=(raw.get("admin_code") or "").strip(),
        has_one_stop=_BOOL[flag],
        succession_kinds=kinds,
        succession_note=None if note is None else nfc(note),
        legal_basis=None if basis is None else nfc(basis),
    )


def _succession_kinds(
    code: str, value: str | None, successors: list[str]
) -> list[tuple[str, str]] | None:
    """`succession_kind`: one kind for every successor, or one per successor code (`;`).

    Each is a code (`merge`, `split`, `rename`, `kept` ...) or the official wording ("Nhập
    toàn bộ", "Nhập một phần diện tích", "Giữ nguyên", "Đổi tên" ...), kept as written.
    """
    if value is None:
        return None
    parts = [nfc(p) for p in value.split(";")]
    if not any(parts):
        return []
    if len(parts) not in (1, len(successors)):
        raise ValueError(
            f"succession_kind of {code} has {len(parts)} values for {len(successors)} "
            "successors: give one for all, or one per successor_code"
        )
    result = []
    for part in parts:
        kind = succession_kind_of(part)
        if kind is None:
            raise ValueError(
                f"succession_kind {part!r} of {code} is not one of "
                f"{', '.join(SuccessionKind.values)} nor a wording such as 'Nhập toàn bộ', "
                "'Nhập một phần', 'Giữ nguyên', 'Đổi tên'"
            )
        wording = "" if " ".join(part.split()).lower() in SuccessionKind.values else part
        result.append((kind, " ".join(wording.split())))
    return result


def read_units_file(path: str | Path) -> list[UnitRow]:
    """Read and validate every row of a units CSV file (raises ImportProblem)."""
    rows: list[UnitRow] = []
    errors: list[tuple[int, str]] = []
    try:
        for line, raw in read_csv(path, required=REQUIRED, optional=OPTIONAL):
            try:
                rows.append(parse_row(line, raw))
            except ValueError as exc:
                errors.append((line, str(exc)))
    except ImportProblem as problem:
        errors.extend(problem.errors)
    if errors:
        raise ImportProblem(sorted(errors))
    return rows


@dataclass
class _Version:
    """A unit version known to the import: from the file or already in the database."""

    code: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    parent_code: str
    line: int | None = None  # None: from the database

    def covers(self, first: dt.date | None, last: dt.date | None) -> bool:
        starts_ok = self.valid_from is None or (first is not None and first >= self.valid_from)
        ends_ok = self.valid_to is None or (last is not None and last <= self.valid_to)
        return starts_ok and ends_ok

    def contains(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    def overlaps(self, other: _Version) -> bool:
        return (
            self.valid_from is None or other.valid_to is None or self.valid_from <= other.valid_to
        ) and (
            self.valid_to is None or other.valid_from is None or other.valid_from <= self.valid_to
        )


def _key(code: str, valid_from: dt.date | None) -> tuple[str, dt.date | None]:
    return (code, valid_from)


class _Versions:
    """Every version of the codes an import touches, file rows taking precedence."""

    def __init__(self, rows: list[UnitRow]) -> None:
        self.by_code: dict[str, list[_Version]] = {}
        in_file = {_key(r.code, r.valid_from) for r in rows}
        codes = {r.code for r in rows} | {r.parent_code for r in rows if r.parent_code}
        codes |= {c for r in rows for c in r.successor_codes}
        for unit in Unit.objects.filter(code__in=codes).select_related("parent"):
            if _key(unit.code, unit.valid_from) in in_file:
                continue
            parent = unit.parent.code if unit.parent else ""
            self.by_code.setdefault(unit.code, []).append(
                _Version(unit.code, unit.valid_from, unit.valid_to, parent)
            )
        for r in rows:
            self.by_code.setdefault(r.code, []).append(
                _Version(r.code, r.valid_from, r.valid_to, r.parent_code, r.line)
            )

    def covering(self, code: str, first: dt.date | None, last: dt.date | None) -> _Version | None:
        return next((v for v in self.by_code.get(code, []) if v.covers(first, last)), None)

    def on(self, code: str, day: dt.date) -> _Version | None:
        return next((v for v in self.by_code.get(code, []) if v.contains(day)), None)


def _span_text(first: dt.date | None, last: dt.date | None) -> str:
    return f"{first or '…'} – {last or '…'}"


def _check_graph(rows: list[UnitRow], versions: _Versions) -> list[tuple[int, str]]:
    """Cross-row checks: overlapping versions, parents, cycles, validity nesting, successors."""
    errors: list[tuple[int, str]] = []
    for code, known in versions.by_code.items():
        for i, a in enumerate(known):
            for b in known[i + 1 :]:
                if a.overlaps(b) and (a.line or b.line):
                    line = max(a.line or 0, b.line or 0)
                    where = f"line {min(a.line, b.line)}" if a.line and b.line else "the database"
                    errors.append(
                        (
                            line,
                            f"{code} ({_span_text(b.valid_from, b.valid_to)}) overlaps "
                            f"another version of {code} "
                            f"({_span_text(a.valid_from, a.valid_to)}) in {where}",
                        )
                    )
    for row in rows:
        if row.parent_code:
            if row.parent_code == row.code:
                errors.append((row.line, f"{row.code} cannot be its own parent"))
                continue
            if not versions.by_code.get(row.parent_code):
                errors.append((row.line, f"parent_code {row.parent_code} is not a known unit"))
                continue
            if versions.covering(row.parent_code, row.valid_from, row.valid_to) is None:
                errors.append(
                    (
                        row.line,
                        f"{row.code} ({_span_text(row.valid_from, row.valid_to)}) is not within "
                        f"the validity of any version of its parent {row.parent_code}",
                    )
                )
                continue
            seen = {row.code}
            up: _Version | None = versions.covering(row.parent_code, row.valid_from, row.valid_to)
            while up is not None:
                if up.code in seen:
                    errors.append((row.line, f"{row.code}: parent chain loops back to {up.code}"))
                    break
                seen.add(up.code)
                up = (
                    versions.covering(up.parent_code, up.valid_from, up.valid_to)
                    if up.parent_code
                    else None
                )
        for succ in row.successor_codes:
            assert row.valid_to is not None
            day_after = row.valid_to + dt.timedelta(days=1)
            if not versions.by_code.get(succ):
                errors.append((row.line, f"successor_code {succ} is not a known unit"))
            elif versions.on(succ, day_after) is None:
                errors.append(
                    (
                        row.line,
                        f"successor {succ} is not in force on {day_after}, "
                        f"the day after {row.code} closes",
                    )
                )
    return errors


def import_units(
    rows: Iterable[UnitRow], *, actor: Any = None, source: str = "import"
) -> ImportResult:
    """Create or update the units of `rows` and their successor links, all or nothing."""
    rows = list(rows)
    versions = _Versions(rows)
    errors = _check_graph(rows, versions)
    if errors:
        raise ImportProblem(sorted(set(errors)))
    result = ImportResult()
    by_key = {_key(r.code, r.valid_from): r for r in rows}

    def parent_key(row: UnitRow) -> tuple[str, dt.date | None] | None:
        if not row.parent_code:
            return None
        version = versions.covering(row.parent_code, row.valid_from, row.valid_to)
        assert version is not None
        return _key(version.code, version.valid_from)

    # Parents first, so every row finds its parent's id.
    order: list[UnitRow] = []
    placed: set[tuple[str, dt.date | None]] = set()

    def place(row: UnitRow) -> None:
        key = _key(row.code, row.valid_from)
        if key in placed:
            return
        placed.add(key)
        up = parent_key(row)
        if up in by_key:
            place(by_key[up])
        order.append(row)

    for row in rows:
        place(row)
    with transaction.atomic():
        codes = {r.code for r in rows} | {r.parent_code for r in rows if r.parent_code}
        codes |= {c for r in rows for c in r.successor_codes}
        units: dict[tuple[str, dt.date | None], Unit] = {
            _key(u.code, u.valid_from): u for u in Unit.objects.filter(code__in=codes)
        }
        for row in order:
            up = parent_key(row)
            unit, outcome = save_unit(
                units.get(_key(row.code, row.valid_from)),
                code=row.code,
                parent=units[up] if up else None,
                actor=actor,
                source=source,
                **row.fields(),
            )
            units[_key(row.code, row.valid_from)] = unit
            setattr(result, outcome, getattr(result, outcome) + 1)
            result.codes.append(row.code)
        existing_links = {
            (link.predecessor_id, link.successor_id): link
            for link in UnitSuccession.objects.filter(predecessor__in=[units[k] for k in by_key])
        }
        for row in rows:
            several = len(row.successor_codes) > 1
            predecessor = units[_key(row.code, row.valid_from)]
            for position, succ in enumerate(row.successor_codes):
                assert row.valid_to is not None
                day_after = row.valid_to + dt.timedelta(days=1)
                version = versions.on(succ, day_after)
                assert version is not None
                successor = units[_key(version.code, version.valid_from)]
                said = row.link_fields(position)
                link = existing_links.get((predecessor.pk, successor.pk))
                if link is not None:
                    # Today's files (without the new columns) leave the link as it is.
                    if said and update_succession(link, actor=actor, source=source, **said):
                        result.links_updated += 1
                    continue
                link_successor(
                    predecessor=predecessor,
                    successor=successor,
                    effective_date=day_after,
                    **{"kind": "split" if several else "merge", **said},
                    is_principal=position == 0,
                    actor=actor,
                    source=source,
                )
                result.links_created += 1
    return result


def import_file(path: str, *, stdout: Any = None, options: dict[str, Any] | None = None) -> str:
    """`motcua import units FILE.csv`: validate the whole file, then write it in one go."""
    return str(import_units(read_units_file(path), source="import"))
