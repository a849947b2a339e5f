"""`motcua import dossiers FILE.csv`: legacy dossiers, streamed, all or nothing, idempotent.

Format (docs/import.md): ``code,procedure_code,unit_code,channel,received_at,due_at,
finished_at,outcome`` plus the optional ``receiving_unit_code`` and ``applicant_name``.

The file is read twice and never held in memory:

1. **Validate** (streaming): each row is parsed and checked on its own, unit codes are
   resolved to the version in force on the local receipt date, empty ``due_at`` is computed
   with the receiving unit's working calendar, codes already in the database are looked up
   in batches, and each valid row is written as a compact tuple to a temporary file. The
   codes seen (for duplicates) go to a temporary SQLite file; only small caches stay in
   memory. Nothing is written to the database; any problem ends the import with
   ``line N: reason`` lines.
2. **Write** (one transaction): the tuples are read back in batches and written with
   `BulkInsert` (executemany; on PostgreSQL every new dossier in one streamed ``COPY``) and
   ``bulk_update``, with one timeline event per created or changed dossier.

Re-importing the same file changes nothing. A changed row updates a dossier that an earlier
import created, provided nobody has worked on it in motcua since; the change is logged on the
timeline (``dossier.import_updated``) with the fields before and after.
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import datetime as dt
import io
import itertools
import json
import os
import pickle
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

from django.db import connection, models, transaction
from django.db.models import Model
from django.utils import timezone

from motcua.dossiers.choices import Channel, State, rule_version_on
from motcua.dossiers.models import Dossier, DossierCodeCounter, DossierEvent
from motcua.lib import bulkload
from motcua.lib.csvin import ImportProblem
from motcua.lib.vntext import fold, nfc
from motcua.procedures.choices import MINUTES_PER, WORKING_TIME_UNITS, TimeLimitUnit
from motcua.procedures.models import Procedure, ProcedureVersion
from motcua.procedures.services import current_version
from motcua.units.models import Unit
from motcua.workcalendar.engine import TZ, CalendarError, WorkCalendar, compute_due
from motcua.workcalendar.selectors import get_calendar

REQUIRED = [
    "code",
    "procedure_code",
    "unit_code",
    "channel",
    "received_at",
    "due_at",
    "finished_at",
    "outcome",
]
OPTIONAL = ["receiving_unit_code", "applicant_name"]

IMPORTED = "dossier.imported"
IMPORT_UPDATED = "dossier.import_updated"
IMPORT_KINDS = (IMPORTED, IMPORT_UPDATED)
# Shown where the legacy system gave no applicant (the column is optional).
UNKNOWN_APPLICANT = "(không rõ — nhập từ hệ thống cũ)"

OUTCOME_STATES = {
    "resolved": State.RESOLVED,
    "refused": State.REFUSED,
    "withdrawn": State.WITHDRAWN,
    "": State.IN_PROGRESS,
}
CHANNELS = (Channel.ONLINE, Channel.DIRECT, Channel.POSTAL)
MAX_ERRORS = 200  # printed; the rest are counted
BATCH = 5000  # rows per database round trip (existence checks, inserts)
CODE_MAX = Dossier._meta.get_field("code").max_length or 80
NAME_MAX = 255
_CODE_RE = re.compile(r"^(?P<unit>.+)-(?P<day>\d{6})-(?P<seq>\d{4})$")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_US = dt.timedelta(microseconds=1)


class DossierImportProblem(ImportProblem):
    """ImportProblem that also says how many further errors were not printed."""

    def __init__(self, errors: list[tuple[int, str]], more: int = 0) -> None:
        super().__init__(errors)
        self.more = more

    def __str__(self) -> str:
        text = super().__str__()
        if self.more:
            text += f"\n… and {self.more} more errors (first {len(self.errors)} shown)"
        return text


# -- progress ------------------------------------------------------------------------------


class Progress:
    """A one-line progress bar on a terminal stream: phase, rows, rows/s, percent."""

    def __init__(self, stream: IO[str] | None, *, interval: float = 0.25) -> None:
        self.stream = stream
        self.interval = interval
        self.phase = ""
        self.total = 0
        self.started = 0.0
        self._shown = 0.0

    def start(self, phase: str, total: int) -> None:
        """Begin a phase; `total` is the unit of the percentage (bytes or rows)."""
        self.phase, self.total = phase, total
        self.started = time.monotonic()
        self._shown = self.started - self.interval  # the phase's first update shows at once

    def update(self, rows: int, done: int, *, force: bool = False) -> None:
        """Redraw at most every `interval` seconds."""
        if self.stream is None:
            return
        now = time.monotonic()
        if not force and now - self._shown < self.interval:
            return
        self._shown = now
        elapsed = max(now - self.started, 1e-9)
        share = min(done / self.total, 1.0) if self.total else 1.0
        width = 24
        filled = int(share * width)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(
            f"\r{self.phase:<9} [{bar}] {share:6.1%} {rows:>10,} rows "
            f"{rows / elapsed:>9,.0f} rows/s {elapsed:6.1f} s"
        )
        self.stream.flush()

    def finish(self, rows: int) -> None:
        """Draw the phase's last state and end the line."""
        if self.stream is None:
            return
        self.update(rows, self.total, force=True)
        self.stream.write("\n")
        self.stream.flush()


# -- the clock in bulk ---------------------------------------------------------------------


def _calendar_signature(cal: WorkCalendar) -> tuple[Any, ...]:
    """What makes two calendars compute the same instants (units without local days share)."""
    overrides = tuple(sorted((day, str(o.kind)) for day, o in cal.overrides.items()))
    return (overrides, cal.hours, cal.hours_schedule)


class BulkClock:
    """Due instants of fresh receipts (no pauses, no extension) for many rows, fast.

    Working-time limits use a per-calendar table of cumulative working minutes per day, so a
    due instant costs a bisect instead of a day-by-day walk; the table is built from the
    calendar's own `is_working_day` and `hours_for`, and the tests compare it with
    `compute_due` on random instants. Calendar-day, month and same-day limits depend only on
    the snapped start, so `compute_due` itself is called once per distinct snapped start.
    """

    def __init__(self, calendar: WorkCalendar) -> None:
        self.cal = calendar
        self.first = dt.date.max
        self.periods: list[tuple[tuple[int, int], ...]] = []  # minutes of the day, per day
        self.cum: list[int] = []  # working minutes before the day
        self.cum_end: list[int] = []  # working minutes up to the end of the day
        self._memo: dict[tuple[Any, ...], dt.datetime | None] = {}

    def _build(self, first: dt.date, days: int) -> None:
        self.first = first
        self.periods, self.cum, self.cum_end = [], [], []
        self._extend(days)

    def _extend(self, days: int) -> None:
        total = self.cum_end[-1] if self.cum_end else 0
        day = self.first + dt.timedelta(days=len(self.periods))
        for _ in range(days):
            spans: tuple[tuple[int, int], ...] = ()
            if self.cal.is_working_day(day):
                spans = tuple(
                    (s.hour * 60 + s.minute, e.hour * 60 + e.minute)
                    for s, e in self.cal.hours_for(day)
                )
            self.periods.append(spans)
            self.cum.append(total)
            total += sum(e - s for s, e in spans)
            self.cum_end.append(total)
            day += dt.timedelta(days=1)

    def _index(self, day: dt.date) -> int:
        if day < self.first:
            # Rows come in any order: rebuild from well before the earliest day seen.
            start = day - dt.timedelta(days=366)
            span = (self.first - start).days + len(self.periods) if self.periods else 3 * 366
            self._build(start, max(span, 3 * 366))
        i = (day - self.first).days
        while i >= len(self.periods):
            self._extend(366)
        return i

    def snap(self, local: dt.datetime) -> tuple[int, int]:
        """(day index, minute of day) of the snapped start of a local, minute-truncated instant."""
        i = self._index(local.date())
        minute = local.hour * 60 + local.minute
        for _ in range(3 * 366):
            for s, e in self.periods[i]:
                if minute < e:
                    return i, max(s, minute)
            i += 1
            minute = -1
            if i >= len(self.periods):
                self._extend(366)
        raise CalendarError("no working period within three years")

    def _instant(self, i: int, minute: int) -> dt.datetime:
        day = self.first + dt.timedelta(days=i)
        return dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=TZ)

    def add_working(self, i: int, minute: int, budget: int) -> dt.datetime:
        """The earliest instant at which `budget` working minutes from (i, minute) are used."""
        position = self.cum[i] + sum(
            max(0, min(e, minute) - s) for s, e in self.periods[i] if s < minute
        )
        target = position + budget
        while self.cum_end[-1] < target:
            self._extend(366)
        j = bisect.bisect_left(self.cum_end, target, lo=i)
        rest = target - self.cum[j]
        for s, e in self.periods[j]:
            if rest <= e - s:
                return self._instant(j, s + rest)
            rest -= e - s
        raise CalendarError("working-time table is inconsistent")  # pragma: no cover

    def due(
        self, received: dt.datetime, amount: int | None, unit: str, cutoff: dt.time | None
    ) -> dt.datetime | None:
        """Statutory due of a dossier received at `received`, exactly as `compute_due` says."""
        local = received.astimezone(TZ).replace(second=0, microsecond=0)
        i, minute = self.snap(local)
        if unit in WORKING_TIME_UNITS:
            if not amount or amount <= 0:
                raise CalendarError("amount must be a positive whole number")
            return self.add_working(i, minute, amount * MINUTES_PER[TimeLimitUnit(unit)])
        if unit == TimeLimitUnit.SAME_DAY:
            key: tuple[Any, ...] = (unit, cutoff, i, minute)
        else:
            key = (unit, amount, i)
        if key not in self._memo:
            result = compute_due(self.cal, local, amount, unit, cutoff=cutoff, explain=False)
            self._memo[key] = result.statutory_due
        return self._memo[key]


# -- lookups -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Procedure:
    pk: int
    field_id: int | None
    amount: int | None
    unit: str
    cutoff: dt.time | None


class _Lookups:
    """Procedures, unit versions and calendars met in the file, each read once."""

    def __init__(self) -> None:
        self.procedures: dict[str, _Procedure | None] = {}
        self.versions: dict[str, list[tuple[int, dt.date | None, dt.date | None]]] = {}
        self.clocks: dict[int, BulkClock] = {}
        self._by_signature: dict[tuple[Any, ...], BulkClock] = {}

    def procedure(self, code: str) -> _Procedure | None:
        if not self.procedures:  # the whole catalogue in one query (thousands of rows)
            for code_, pk, field_id, amount, unit, cutoff in Procedure.objects.values_list(
                "code", "pk", "field_id", "time_limit_amount", "time_limit_unit", "same_day_cutoff"
            ):
                self.procedures[code_] = _Procedure(pk, field_id, amount, unit, cutoff)
        return self.procedures.get(code)

    def unit(self, code: str, day: dt.date) -> int | None:
        """Like `Unit.objects.version_of(code, on=day)`, with every version of `code` cached."""
        if code not in self.versions:
            self.versions[code] = list(
                Unit.objects.filter(code=code)
                .order_by("pk")
                .values_list("pk", "valid_from", "valid_to")
            )
        for pk, start, end in self.versions[code]:
            if (start is None or start <= day) and (end is None or end >= day):
                return pk
        return None

    def clock(self, unit_id: int) -> BulkClock:
        """The bulk clock of a receiving unit (units with the same calendar share one)."""
        if unit_id not in self.clocks:
            cal = get_calendar(Unit.objects.get(pk=unit_id))
            signature = _calendar_signature(cal)
            if signature not in self._by_signature:
                self._by_signature[signature] = BulkClock(cal)
            self.clocks[unit_id] = self._by_signature[signature]
        return self.clocks[unit_id]


# -- reading -------------------------------------------------------------------------------


def _open(path: str | Path) -> io.TextIOWrapper:
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ImportProblem([(0, f"cannot read {path}: {exc.strerror}")]) from None


def stream_rows(handle: IO[str]) -> Iterator[tuple[int, list[str]]]:
    """Yield (line, values) of a dossiers file after checking its header; never reads ahead.

    Messages match `motcua.lib.csvin.read_csv`; values come in `REQUIRED + OPTIONAL` order
    ('' for an absent optional column).
    """
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportProblem([(1, "the file is empty: expected a header line")]) from None
    except UnicodeDecodeError:
        raise ImportProblem([(1, "the file is not UTF-8 text")]) from None
    except csv.Error as exc:
        raise ImportProblem([(1, f"malformed CSV: {exc}")]) from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in REQUIRED and c not in OPTIONAL]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    problems = []
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    if unknown:
        problems.append(
            f"unknown column(s): {', '.join(unknown)} "
            f"(expected {', '.join(REQUIRED)} and optionally {', '.join(OPTIONAL)})"
        )
    if duplicated:
        problems.append(f"duplicated column(s): {', '.join(duplicated)}")
    if problems:
        raise ImportProblem([(1, "; ".join(problems))])
    order = [header.index(c) if c in header else None for c in REQUIRED + OPTIONAL]
    width = len(header)
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise ImportProblem([(line, "the file is not UTF-8 text")]) from None
        except csv.Error as exc:
            raise ImportProblem([(line, f"malformed CSV: {exc}")]) from None
        if not values or all(not v.strip() for v in values):
            continue
        if len(values) != width:
            yield line, [f"\x00expected {width} values, found {len(values)}"]
            continue
        yield line, [values[k].strip() if k is not None else "" for k in order]


def parse_instant(value: str, column: str) -> dt.datetime:
    """An ISO 8601 instant with an offset or `Z`; without one it is local (Asia/Ho_Chi_Minh)."""
    if "T" not in value and " " not in value:
        raise ValueError(
            f"{column} {value!r} is not an instant: expected YYYY-MM-DDTHH:MM[:SS] with an "
            "optional offset (+07:00, Z)"
        )
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{column} {value!r} is not an ISO 8601 instant (e.g. 2024-02-07T09:00:00+07:00)"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=TZ)
    return parsed


def _us(instant: dt.datetime) -> int:
    return (instant - _EPOCH) // _US


def _from_us(value: int | None) -> dt.datetime | None:
    return None if value is None else _EPOCH + dt.timedelta(microseconds=value)


def _show(value: dt.datetime) -> str:
    return value.astimezone(TZ).isoformat()


# A validated row, as pickled to the temporary file:
# (line, code, procedure_id, competent_id, receiving_id, channel, received_us, due_us,
#  finished_us, state, applicant_name, existing_pk, changes)
Record = tuple[int, str, int, int, int, str, int, int | None, int | None, str, str, int | None, Any]


@dataclass
class ImportResult:
    """What an import did (or, with --dry-run, would do)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    due_computed: int = 0
    counters: int = 0
    seconds: float = 0.0
    dry_run: bool = False
    # PostgreSQL: the foreign keys were checked once for the whole load (motcua.lib.bulkload)
    checked_in_bulk: bool = False
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        what = "would be " if self.dry_run else ""
        return (
            f"{self.rows} rows: {self.created} {what}created, {self.updated} {what}updated, "
            f"{self.unchanged} unchanged ({self.due_computed} due instants computed, "
            f"{self.counters} code counters advanced) in {self.seconds:.1f} s"
        )


class _SeenCodes:
    """The codes met so far, for duplicates: on disk, so memory does not grow with the file.

    A Python set of a million codes took ~100 MiB; this is a private temporary SQLite
    database (deleted when closed) with a page cache of at most 16 MiB.
    """

    def __init__(self) -> None:
        self.db = sqlite3.connect("", isolation_level=None)
        self.db.execute("PRAGMA cache_size = -16384")
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("CREATE TABLE seen (code TEXT PRIMARY KEY) WITHOUT ROWID")
        self.db.execute("BEGIN")
        self._insert = partial(self.db.execute, "INSERT INTO seen VALUES (?)")

    def add(self, code: str) -> bool:
        """Remember `code`; False if it was already there."""
        try:
            self._insert((code,))
        except sqlite3.IntegrityError:
            return False
        return True

    def close(self) -> None:
        self.db.close()


class _Validator:
    """Pass 1: parse and check every row, streaming; keep only what pass 2 needs."""

    def __init__(self, now: dt.datetime, progress: Progress) -> None:
        self.now = now
        self.lookups = _Lookups()
        self.codes = _SeenCodes()
        self.duplicates: dict[str, list[int]] = {}
        self.errors: list[tuple[int, str]] = []
        self.error_count = 0
        self.result = ImportResult()
        self.progress = progress
        self.new = 0  # records spooled for creation (the others update a dossier)
        self.position = 0  # bytes of the file read so far (roughly: the reader's buffer)
        # Procedures of the spooled records, in the order the writer first meets them.
        self.procedure_ids: dict[int, None] = {}

    def error(self, line: int, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append((line, reason))

    def parse(self, line: int, values: list[str]) -> Record | None:
        """One row on its own; None (and an error) if invalid."""
        if values[0].startswith("\x00"):
            self.error(line, values[0][1:])
            return None
        code, proc_code, unit_code, channel, received, due, finished, outcome = values[:8]
        receiving_code, applicant = values[8], nfc(values[9])
        try:
            if not code:
                raise ValueError("code is empty")
            if len(code) > CODE_MAX:
                raise ValueError(f"code {code!r} is longer than {CODE_MAX} characters")
            if not self.codes.add(code):
                self.duplicates.setdefault(code, []).append(line)
                raise _Duplicate
            if not proc_code:
                raise ValueError("procedure_code is empty")
            procedure = self.lookups.procedure(proc_code)
            if procedure is None:
                raise ValueError(f"procedure_code {proc_code} is not a known procedure")
            if not unit_code:
                raise ValueError("unit_code is empty")
            if channel not in CHANNELS:
                raise ValueError(f"channel {channel!r} is not one of {', '.join(CHANNELS)}")
            if not received:
                raise ValueError("received_at is empty")
            received_at = parse_instant(received, "received_at")
            if received_at > self.now:
                raise ValueError(f"received_at {received} is in the future")
            day = received_at.astimezone(TZ).date()
            competent = self.lookups.unit(unit_code, day)
            if competent is None:
                raise ValueError(f"unit_code {unit_code} is not a known unit on {day}")
            receiving = competent
            if receiving_code:
                found = self.lookups.unit(receiving_code, day)
                if found is None:
                    raise ValueError(
                        f"receiving_unit_code {receiving_code} is not a known unit on {day}"
                    )
                receiving = found
            if outcome not in OUTCOME_STATES:
                raise ValueError(
                    f"outcome {outcome!r} is not one of resolved, refused, withdrawn "
                    "(or empty while in process)"
                )
            finished_at = parse_instant(finished, "finished_at") if finished else None
            if outcome and finished_at is None:
                raise ValueError(f"outcome {outcome} needs finished_at")
            if finished_at is not None and not outcome:
                raise ValueError("finished_at is given but outcome is empty")
            if finished_at is not None and finished_at < received_at:
                raise ValueError(f"finished_at {finished} is before received_at {received}")
            if finished_at is not None and finished_at > self.now:
                raise ValueError(f"finished_at {finished} is in the future")
            if due:
                due_at: dt.datetime | None = parse_instant(due, "due_at")
                assert due_at is not None
                if due_at < received_at:
                    raise ValueError(f"due_at {due} is before received_at {received}")
            else:
                try:
                    due_at = self.lookups.clock(receiving).due(
                        received_at, procedure.amount, procedure.unit, procedure.cutoff
                    )
                except CalendarError as exc:
                    raise ValueError(f"cannot compute due_at: {exc}") from None
                self.result.due_computed += 1
            if len(applicant) > NAME_MAX:
                raise ValueError(f"applicant_name is longer than {NAME_MAX} characters")
        except _Duplicate:
            return None
        except ValueError as exc:
            self.error(line, str(exc))
            return None
        return (
            line,
            code,
            procedure.pk,
            competent,
            receiving,
            channel,
            _us(received_at),
            _us(due_at) if due_at is not None else None,
            _us(finished_at) if finished_at is not None else None,
            OUTCOME_STATES[outcome],
            applicant or UNKNOWN_APPLICANT,
            None,
            None,
        )

    def check_existing(self, batch: list[Record]) -> list[Record]:
        """Codes already in the database: unchanged rows drop out, changed ones carry a diff."""
        codes = [r[1] for r in batch]
        existing = {
            row[1]: row
            # No ordering: with the table's statistics taken while an import filled it
            # (uncommitted rows are not counted), the model's ordering made PostgreSQL walk the
            # whole receipt index for each batch instead of probing the codes' index.
            for row in Dossier.objects.filter(code__in=codes)
            .order_by()
            .values_list(
                "pk",
                "code",
                "procedure_id",
                "competent_unit_id",
                "receiving_unit_id",
                "channel",
                "received_at",
                "statutory_due",
                "finished_at",
                "state",
                "applicant_name",
            )
        }
        if not existing:
            return batch
        ids = [row[0] for row in existing.values()]
        imported = set(
            DossierEvent.objects.filter(dossier_id__in=ids, kind=IMPORTED).values_list(
                "dossier_id", flat=True
            )
        )
        worked = set(
            DossierEvent.objects.filter(dossier_id__in=ids)
            .exclude(kind__in=IMPORT_KINDS)
            .values_list("dossier_id", flat=True)
        )
        kept: list[Record] = []
        for record in batch:
            row = existing.get(record[1])
            if row is None:
                kept.append(record)
                continue
            pk = row[0]
            if pk not in imported:
                self.error(
                    record[0],
                    f"code {record[1]} belongs to a dossier created in motcua, not by an "
                    "import: not overwritten",
                )
                continue
            new = (
                record[2],
                record[3],
                record[4],
                record[5],
                _from_us(record[6]),
                _from_us(record[7]),
                _from_us(record[8]),
                record[9],
                record[10],
            )
            names = (
                "procedure_id",
                "competent_unit_id",
                "receiving_unit_id",
                "channel",
                "received_at",
                "statutory_due",
                "finished_at",
                "state",
                "applicant_name",
            )
            changes = {
                name: [_plain(old), _plain(value)]
                for name, old, value in zip(names, row[2:], new, strict=True)
                if old != value
            }
            if not changes:
                self.result.unchanged += 1
                continue
            if pk in worked:
                self.error(
                    record[0],
                    f"dossier {record[1]} has been processed in motcua since it was imported: "
                    "not updated",
                )
                continue
            kept.append((*record[:11], pk, changes))
        return kept

    def run(
        self,
        path: str | Path,
        spool: IO[bytes] | None = None,
        *,
        emit: Callable[[list[Record]], None] | None = None,
    ) -> int:
        """Validate the file into `spool` (or hand each kept batch to `emit`); return the
        number of records kept. No batch is kept after the first error."""
        size = os.path.getsize(path) if os.path.exists(path) else 0
        self.progress.start("checking", size)
        spooled = 0
        batch: list[Record] = []
        if emit is None:
            assert spool is not None
            emit = partial(pickle.dump, file=spool, protocol=pickle.HIGHEST_PROTOCOL)

        def flush() -> None:
            nonlocal spooled
            kept = self.check_existing(batch)
            for record in kept:
                if record[11] is None:
                    self.new += 1
                    self.procedure_ids.setdefault(record[2])
            for record in kept:
                if record[11] is not None:
                    self.procedure_ids.setdefault(record[2])
            if kept:
                emit(kept)
                spooled += len(kept)
            batch.clear()

        with _open(path) as handle:
            for line, values in stream_rows(handle):
                self.result.rows += 1
                record = self.parse(line, values)
                if record is not None and not self.errors:
                    batch.append(record)
                    if len(batch) >= BATCH:
                        flush()
                if self.result.rows % 1000 == 0:
                    # tell() is unavailable while iterating a text file: use the buffer.
                    self.position = handle.buffer.tell()  # type: ignore[attr-defined]
                    self.progress.update(self.result.rows, self.position)
        self.position = size
        if batch and not self.errors:
            flush()
        self.progress.finish(self.result.rows)
        if self.duplicates:
            self._report_duplicates(path)
        return spooled

    def _report_duplicates(self, path: str | Path) -> None:
        """Second look (only when duplicates exist): the first line of each duplicated code."""
        first: dict[str, int] = {}
        with _open(path) as handle:
            for line, values in stream_rows(handle):
                code = values[0]
                if code in self.duplicates and code not in first:
                    first[code] = line
        for code, lines in self.duplicates.items():
            for line in lines:
                self.error(line, f"code {code} is duplicated (lines {first[code]} and {line})")


class _Duplicate(Exception):
    pass


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return _show(value)
    return value


# -- writing -------------------------------------------------------------------------------


class _Writer:
    """Pass 2: read the spooled records back and write them, batch by batch."""

    def __init__(self, *, source: str, now: dt.datetime, progress: Progress) -> None:
        self.source = source
        self.now = now
        self.actor_name = f"import:{source}"
        self.imported_at = now.isoformat()
        self.progress = progress
        self.versions: dict[int, int] = {}
        self.procedures: dict[int, Procedure] = {}
        self.counters: dict[tuple[int, dt.date], int] = {}
        self.unit_codes: dict[int, str] = dict(Unit.objects.values_list("pk", "code"))
        # Batch by batch (SQLite): ids read back by code. PostgreSQL draws them before its
        # COPY (`_CopyLines`, `draw_id_runs`).
        self.dossier_insert = BulkInsert(Dossier, now=now)
        self.event_insert = BulkInsert(DossierEvent, now=now)
        self.lines = _CopyLines(self)

    def _catalogue(self) -> None:
        if not self.procedures:  # one query for the catalogue, one for its versions
            self.procedures = Procedure.objects.in_bulk()
            wanted = {(p.pk, p.version) for p in self.procedures.values()}
            for version_pk, procedure_id, number in ProcedureVersion.objects.values_list(
                "pk", "procedure_id", "number"
            ):
                if (procedure_id, number) in wanted:
                    self.versions[procedure_id] = version_pk

    def resolve_procedures(self) -> None:
        """The current version of every procedure, created where missing (before a COPY)."""
        self._catalogue()
        for pk in self.procedures:
            self._procedure(pk)

    def _procedure(self, pk: int) -> tuple[Procedure, int]:
        self._catalogue()
        if pk not in self.versions:
            self.versions[pk] = current_version(self.procedures[pk]).pk
        return self.procedures[pk], self.versions[pk]

    def _fields(self, record: Record) -> dict[str, Any]:
        (_, code, proc_id, competent, receiving, channel, received, due, finished, state, name) = (
            record[:11]
        )
        procedure, version = self._procedure(proc_id)
        received_at = _from_us(received)
        assert received_at is not None
        due_at = _from_us(due)
        return {
            "code": code,
            "procedure_id": proc_id,
            "procedure_version_id": version,
            "field_id": procedure.field_id,
            "time_limit_amount": procedure.time_limit_amount,
            "time_limit_unit": procedure.time_limit_unit,
            "same_day_cutoff": procedure.same_day_cutoff,
            "rule_version": rule_version_on(received_at.astimezone(TZ).date()),
            "state": state,
            "channel": channel,
            "submission_point_id": receiving if channel == Channel.DIRECT else None,
            "receiving_unit_id": receiving,
            "competent_unit_id": competent,
            # Legacy rows say who decides, not who holds the file now: processing is there.
            "current_unit_id": competent,
            "applicant_name": name,
            "submitted_at": received_at,
            "received_at": received_at,
            "finished_at": _from_us(finished),
            "statutory_due": due_at,
            "promised_due": due_at,
            "remaining_minutes": None,
        }

    def _count_code(self, code: str, receiving: int) -> None:
        """Remember the highest legacy sequence per unit and day, so live codes continue it."""
        match = _CODE_RE.match(code)
        if not match or match["unit"] != self.unit_codes.get(receiving):
            return
        digits = match["day"]
        try:
            day = dt.date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:]))
        except ValueError:
            return
        key = (receiving, day)
        seq = int(match["seq"])
        if seq > self.counters.get(key, 0):
            self.counters[key] = seq

    def _event(
        self, dossier_id: int, record: Record, kind: str, data: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "dossier_id": dossier_id,
            "kind": kind,
            # On the legacy record's last instant, so that live actions after it still fit.
            "at": _from_us(record[8]) or _from_us(record[6]),
            "actor_name": self.actor_name,
            "unit_id": record[4],
            "to_state": record[9],
            "data": {"source": self.source, "line": record[0], "imported_at": self.imported_at}
            | data,
        }

    def write(
        self,
        spool: IO[bytes],
        total: int,
        result: ImportResult,
        *,
        new_count: int | None = None,
        procedure_ids: Iterable[int] = (),
    ) -> None:
        """Write the spooled records; `new_count` and `procedure_ids` (from the validator) let
        PostgreSQL stream every new dossier in one COPY (`_write_streamed`)."""
        cursor = _copy_cursor() if new_count is not None else None
        if cursor is not None and new_count is not None:
            with cursor:
                self._write_streamed(
                    cursor, spool, total, result, new_count=new_count, procedure_ids=procedure_ids
                )
            return
        self.progress.start("writing", total)
        done = 0
        while True:
            try:
                batch: list[Record] = pickle.load(spool)  # noqa: S301 — our own temp file
            except EOFError:
                break
            new = [r for r in batch if r[11] is None]
            changed = [r for r in batch if r[11] is not None]
            if new:
                self._create(new)
                result.created += len(new)
            if changed:
                self._update(changed)
                result.updated += len(changed)
            done += len(batch)
            self.progress.update(done, done)
        self.progress.finish(done)
        result.counters = self._advance_counters()

    def _write_streamed(
        self,
        cursor: Any,
        spool: IO[bytes],
        total: int,
        result: ImportResult,
        *,
        new_count: int,
        procedure_ids: Iterable[int],
    ) -> None:
        """PostgreSQL: all new dossiers in ONE `COPY`, then the updates, then all events in
        one `COPY`; the same rows, ids and events as batch by batch.

        The roll-up's statement trigger costs far more per row in small statements: 150 µs a
        row at 5,000 rows a COPY, 43 µs in one COPY of 100,000 rows (docs/performance.md).
        Nothing else may use the connection while a COPY streams, so
        the dossiers' ids are drawn beforehand and the procedures' versions resolved first;
        the events (the same lines, in the same order, as batch by batch) wait in a
        temporary file. Memory stays one batch of records.

        When the role may (`motcua.lib.bulkload`), both COPYs run without PostgreSQL's
        per-row foreign-key checks (12 a dossier with its event: more server time than the
        rows and their indexes) and the loaded rows' keys are checked and their targets
        locked afterwards, one query per key.
        """
        for pk in procedure_ids:  # may create a missing version: not while the COPY streams
            self._procedure(pk)
        dossier_runs = draw_id_runs(Dossier, new_count)
        ids = _ids_of(dossier_runs)
        # One event per spooled record, in the order they are written (as the default gives).
        event_runs = draw_id_runs(DossierEvent, total)
        event_ids = _ids_of(event_runs)
        checked_in_bulk = self.prepare_copy(cursor, result)
        self.progress.start("writing", total)
        done = 0
        start = spool.tell()
        with (
            tempfile.TemporaryFile(
                "w+", encoding="utf-8", newline="", prefix="motcua-events-"
            ) as events,
        ):
            with (
                bulkload.row_checks_off(cursor, checked_in_bulk),
                cursor.copy(self.lines.dossier_insert.copy_sql) as copy,
            ):
                while True:
                    try:
                        batch: list[Record] = pickle.load(spool)  # noqa: S301 — our own file
                    except EOFError:
                        break
                    self.copy_batch(batch, ids, event_ids, copy, events, result)
                    done += len(batch)
                    self.progress.update(done, done)
            spool.seek(start)
            self.finish_copy(cursor, spool, events, dossier_runs, event_runs, result)
        self.progress.finish(done)

    def prepare_copy(self, cursor: Any, result: ImportResult) -> bool:
        """Before the COPYs: whether the foreign keys are checked once per load
        (`motcua.lib.bulkload`) rather than per row."""
        tables = [Dossier._meta.db_table, DossierEvent._meta.db_table]
        result.checked_in_bulk = bulkload.may_skip_row_checks(cursor, tables)
        return result.checked_in_bulk

    def copy_batch(
        self,
        batch: list[Record],
        ids: Iterator[int],
        event_ids: Iterator[int],
        copy: Any,
        events: IO[str],
        result: ImportResult,
    ) -> None:
        """One batch of records: its new dossiers to the COPY, every record's event (with its
        id) to `events`; the changed records wait for `finish_copy`."""
        lines = self.lines
        created = [r for r in batch if r[11] is None]
        pks = [next(ids) for _ in created]
        if created:
            copy.write("".join(map(lines.dossier, created, pks)))
        out = [
            lines.created_event(r, pk, next(event_ids)) for r, pk in zip(created, pks, strict=True)
        ]
        for record in batch:
            if record[11] is not None:
                out.append(lines.event(self._updated_event(record), next(event_ids)))
        for record in created:
            self._count_code(record[1], record[4])
        if out:
            events.write("".join(out))
        result.created += len(created)
        result.updated += len(batch) - len(created)

    def finish_copy(
        self,
        cursor: Any,
        spool: IO[bytes],
        events: IO[str],
        dossier_runs: list[tuple[int, int]],
        event_runs: list[tuple[int, int]],
        result: ImportResult,
    ) -> None:
        """After the dossiers' COPY: the changed dossiers (from `spool`, pickled batches),
        every event in one COPY, the loaded rows' keys (if not checked per row), counters."""
        if result.updated:  # with the row checks: these rows were not locked before
            while True:
                try:
                    batch = pickle.load(spool)  # noqa: S301 — our own temp file
                except EOFError:
                    break
                changed = [r for r in batch if r[11] is not None]
                if changed:
                    self._update_rows(changed)
        events.seek(0)
        with (
            bulkload.row_checks_off(cursor, result.checked_in_bulk),
            cursor.copy(self.lines.event_insert.copy_sql) as copy,
        ):
            while chunk := events.read(1 << 20):
                copy.write(chunk)
        if result.checked_in_bulk:
            bulkload.verify_references(cursor, Dossier, dossier_runs)
            # The events' dossiers were created or updated (so locked) by this transaction.
            bulkload.verify_references(cursor, DossierEvent, event_runs, own=[Dossier])
        result.counters = self._advance_counters()

    def _created_event(self, row: dict[str, Any], record: Record) -> dict[str, Any]:
        self._count_code(record[1], record[4])
        return self._event(row["id"], record, IMPORTED, _imported_data(record))

    def _updated_event(self, record: Record) -> dict[str, Any]:
        self._count_code(record[1], record[4])
        assert record[11] is not None  # a changed record carries its dossier's pk
        return self._event(record[11], record, IMPORT_UPDATED, {"changes": record[12]})

    def _create(self, records: list[Record]) -> None:
        rows = [self._fields(r) for r in records]
        self.dossier_insert.run(rows)
        ids = dict(
            Dossier.objects.filter(code__in=[r[1] for r in records]).values_list("code", "pk")
        )
        events = []
        for row, record in zip(rows, records, strict=True):
            row["id"] = ids[record[1]]
            events.append(self._created_event(row, record))
        self.event_insert.run(events)

    def _update(self, records: list[Record]) -> None:
        self._update_rows(records)
        self.event_insert.run([self._updated_event(r) for r in records])

    def _update_rows(self, records: list[Record]) -> None:
        by_pk = Dossier.objects.in_bulk([r[11] for r in records])
        names: set[str] = set()
        for record in records:
            dossier = by_pk[record[11]]
            for name, value in self._fields(record).items():
                if getattr(dossier, name) != value:
                    setattr(dossier, name, value)
                    names.add(name)
            dossier.lock_version += 1
            dossier.updated_at = self.now
            dossier.search_text = dossier.folded_search_text()
        Dossier.objects.bulk_update(
            list(by_pk.values()),
            [*sorted(names), "lock_version", "updated_at", "search_text"],
            batch_size=500,
        )

    def _advance_counters(self) -> int:
        """Raise DossierCodeCounter.last to the highest imported sequence (never lower it)."""
        if not self.counters:
            return 0
        if connection.vendor == "postgresql":
            return self._advance_counters_upsert()
        advanced = 0
        keys = sorted(self.counters)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            units = {u for u, _ in chunk}
            days = {d for _, d in chunk}
            existing = {
                (c.unit_id, c.day): c
                for c in DossierCodeCounter.objects.filter(unit_id__in=units, day__in=days)
            }
            to_create, to_update = [], []
            for key in chunk:
                seq = self.counters[key]
                counter = existing.get(key)
                if counter is None:
                    to_create.append(DossierCodeCounter(unit_id=key[0], day=key[1], last=seq))
                elif counter.last < seq:
                    counter.last = seq
                    to_update.append(counter)
            DossierCodeCounter.objects.bulk_create(to_create)
            DossierCodeCounter.objects.bulk_update(to_update, ["last"])
            advanced += len(to_create) + len(to_update)
        return advanced

    def _advance_counters_upsert(self) -> int:
        """PostgreSQL: the same in one upsert per 10,000 counters (the ORM path took 5 s for
        50,000 counters: three queries and a CASE per 500)."""
        table = connection.ops.quote_name(DossierCodeCounter._meta.db_table)
        # The table name comes from the model; the values are parameters.
        sql = (
            f"INSERT INTO {table} AS c (unit_id, day, last) "  # noqa: S608
            "SELECT * FROM unnest(%s::bigint[], %s::date[], %s::integer[]) "
            "ON CONFLICT (unit_id, day) DO UPDATE SET last = EXCLUDED.last "
            "WHERE c.last < EXCLUDED.last"
        )
        advanced = 0
        keys = sorted(self.counters)
        with connection.cursor() as cursor:
            for start in range(0, len(keys), 10_000):
                chunk = keys[start : start + 10_000]
                cursor.execute(
                    sql,
                    [
                        [u for u, _ in chunk],
                        [d for _, d in chunk],
                        [self.counters[k] for k in chunk],
                    ],
                )
                advanced += cursor.rowcount
        return advanced


_HOUR_US = 3_600_000_000
# From 1912 Asia/Ho_Chi_Minh has only whole-hour offsets (+7, +8, +9; local mean time before).
_WHOLE_HOURS_US = int(
    (dt.datetime(1912, 1, 1, tzinfo=dt.UTC) - _EPOCH) / dt.timedelta(microseconds=1)
)


class _CopyLines:
    """The COPY lines of imported dossiers and their events, built straight from records.

    Byte for byte what `_CopyText.lines` makes of `_Writer._fields` and `_created_event`
    (`test_import_bulk.py` compares them on random records), at well under half the cost: no
    dictionary per row, the procedure's columns formatted once per procedure, each instant
    formatted once (a dossier repeats its receipt and its due instant), the local day of
    an instant looked up per hour (Vietnam's offsets are whole hours since 1911).
    """

    def __init__(self, writer: _Writer) -> None:
        self.writer = writer
        # Both with the ids, drawn beforehand (`draw_id_runs`).
        self.dossier_insert = BulkInsert(Dossier, now=writer.now, with_pk=True)
        self.event_insert = BulkInsert(DossierEvent, now=writer.now, with_pk=True)
        dossier, event = self.dossier_insert.text, self.event_insert.text
        self.dossier_template, self.event_template = dossier.template, event.template
        self.dossier_encoders, self.event_encoders = dossier.encoders, event.encoders
        self.d = dossier.index
        self.e = event.index
        self.plans: dict[int, list[str]] = {}
        self.days: dict[int, dt.date] = {}

    def _plan(self, proc_id: int) -> list[str]:
        plan = self.plans.get(proc_id)
        if plan is None:
            procedure, version = self.writer._procedure(proc_id)
            plan = self.dossier_template.copy()
            for name, value in (
                ("procedure_id", proc_id),
                ("procedure_version_id", version),
                ("field_id", procedure.field_id),
                ("time_limit_amount", procedure.time_limit_amount),
                ("time_limit_unit", procedure.time_limit_unit),
                ("same_day_cutoff", procedure.same_day_cutoff),
                ("remaining_minutes", None),
            ):
                i = self.d[name]
                plan[i] = _COPY_NULL if value is None else self.dossier_encoders[i](value)
            self.plans[proc_id] = plan
        return plan

    def _local_day(self, us: int) -> dt.date:
        if us < _WHOLE_HOURS_US:  # local mean time (+7:06:30) until 1911: no shortcut
            return _from_us(us).astimezone(TZ).date()  # type: ignore[union-attr]
        hour = us // _HOUR_US
        day = self.days.get(hour)
        if day is None:
            day = self.days[hour] = _from_us(hour * _HOUR_US).astimezone(TZ).date()  # type: ignore[union-attr]
        return day

    def dossier(self, record: Record, pk: int) -> str:
        """The COPY line of a new dossier (with its newline)."""
        _, code, proc_id, competent, receiving, channel, received, due, finished, state, name = (
            record[:11]
        )
        d = self.d
        parts = self._plan(proc_id).copy()
        parts[d["id"]] = str(pk)
        parts[d["code"]] = _copy_str(code)
        parts[d["rule_version"]] = _copy_str(str(rule_version_on(self._local_day(received))))
        parts[d["state"]] = _copy_str(str(state))
        parts[d["channel"]] = _copy_str(str(channel))
        parts[d["submission_point_id"]] = (
            str(receiving) if channel == Channel.DIRECT else _COPY_NULL
        )
        parts[d["receiving_unit_id"]] = str(receiving)
        parts[d["competent_unit_id"]] = parts[d["current_unit_id"]] = str(competent)
        parts[d["applicant_name"]] = _copy_str(name)
        parts[d["submitted_at"]] = parts[d["received_at"]] = _utc_text(received)
        parts[d["finished_at"]] = _COPY_NULL if finished is None else _utc_text(finished)
        due_text = _COPY_NULL if due is None else _utc_text(due)
        parts[d["statutory_due"]] = parts[d["promised_due"]] = due_text
        # as _search_text_of: the code and the name (never empty here), folded
        parts[d["search_text"]] = _copy_str(f"{_fold(code)} {_fold(name)}")
        return "\t".join(parts) + "\n"

    def created_event(self, record: Record, pk: int, event_id: int) -> str:
        """The COPY line of a new dossier's `dossier.imported` event (with its newline)."""
        data = _imported_data(record)
        return self.event(self.writer._event(pk, record, IMPORTED, data), event_id)

    def event(self, row: dict[str, Any], event_id: int) -> str:
        """The COPY line of an event given as `_Writer._event` makes it."""
        e, enc = self.e, self.event_encoders
        parts = self.event_template.copy()
        parts[e["id"]] = str(event_id)
        parts[e["dossier_id"]] = str(row["dossier_id"])
        parts[e["kind"]] = _copy_str(row["kind"])
        parts[e["at"]] = row["at"].isoformat()
        parts[e["actor_name"]] = _copy_str(row["actor_name"])
        parts[e["unit_id"]] = str(row["unit_id"])
        parts[e["to_state"]] = _copy_str(str(row["to_state"]))
        parts[e["data"]] = enc[e["data"]](row["data"])
        return "\t".join(parts) + "\n"


def _imported_data(record: Record) -> dict[str, Any]:
    """What a `dossier.imported` event records of the legacy row (local ISO instants)."""
    due, finished = record[7], record[8]
    return {
        "received_at": _local_text(record[6]),
        "due_at": None if due is None else _local_text(due),
        "finished_at": None if finished is None else _local_text(finished),
        "state": record[9],
    }


def _utc_text(us: int) -> str:
    """An instant (µs since the epoch) as the COPY text of its UTC datetime."""
    return (_EPOCH + dt.timedelta(microseconds=us)).isoformat()


def _local_text(us: int) -> str:
    """An instant as `_show` writes it (ISO 8601, Vietnam's time)."""
    return (_EPOCH + dt.timedelta(microseconds=us)).astimezone(TZ).isoformat()


class BulkInsert:
    """Batched INSERTs of plain rows into one model's table, prepared once per import.

    Equivalent to `bulk_create` for rows given as {attname: value}: every concrete column
    not given gets the field's default (auto_now fields get the import instant), and values
    go through the backend's own adapters. It skips `bulk_create`'s per-value compilation,
    which at 1,000,000 dossiers (~30 columns) was 85% of the write time (docs/performance.md).

    On PostgreSQL the rows go as one `COPY … FROM STDIN` text stream per call, formatted here
    (`_CopyText`): psycopg's `write_row` adapted every value of every row again, 25 µs a row.
    `with_pk=True` adds the primary key column, for rows that carry ids drawn beforehand
    (`allocate_ids`).
    """

    def __init__(self, model: type[Model], *, now: dt.datetime, with_pk: bool = False) -> None:
        self.model = model
        meta = model._meta
        fields = [f for f in meta.local_concrete_fields if with_pk or not f.primary_key]
        qn = connection.ops.quote_name
        self.names = [f.attname for f in fields]
        columns = ", ".join(qn(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        # Table and column names come from the model, never from the file.
        self.sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        self.copy_sql = f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN"
        self.defaults: dict[str, Any] = {}
        self.adapters: list[Any] = []
        ops = connection.ops
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif f.primary_key:
                self.defaults[f.attname] = None  # always given with with_pk
            else:
                self.defaults[f.attname] = f.get_default()
            if isinstance(f, models.DateTimeField):
                self.adapters.append(_datetime_adapter())
            elif isinstance(f, models.TimeField):
                self.adapters.append(ops.adapt_timefield_value)
            elif isinstance(f, models.JSONField):
                self.adapters.append(partial(_json_value, f))
            else:
                self.adapters.append(None)
        self.text = _CopyText(fields, self.defaults)

    def run(self, rows: list[dict[str, Any]]) -> None:
        """Insert `rows`: COPY on PostgreSQL (psycopg 3), executemany elsewhere."""
        derive = "search_text" in self.names and self.model is Dossier
        with connection.cursor() as cursor:
            raw = getattr(cursor, "cursor", None)
            if connection.vendor == "postgresql" and hasattr(raw, "copy"):
                # psycopg 3: COPY streams the rows; per-row INSERTs cost a round trip each
                # and client-side parameter binding re-parses every statement.
                text = self.text.lines(rows, derive=derive)
                with raw.copy(self.copy_sql) as copy:  # type: ignore[union-attr]
                    copy.write(text)
                return
            params = self._params(rows, derive=derive)
            for start in range(0, len(params), 1000):
                cursor.executemany(self.sql, params[start : start + 1000])

    def _params(self, rows: list[dict[str, Any]], *, derive: bool) -> list[list[Any]]:
        names, defaults, adapters = self.names, self.defaults, self.adapters
        params = []
        for row in rows:
            if derive and "search_text" not in row:
                row = {**row, "search_text": _search_text_of(row)}
            values = []
            for name, adapt in zip(names, adapters, strict=True):
                value = row[name] if name in row else defaults[name]
                values.append(adapt(value) if adapt is not None and value is not None else value)
            params.append(values)
        return params


def draw_id_runs(model: type[Model], count: int) -> list[tuple[int, int]]:
    """`count` fresh primary keys of `model` from its PostgreSQL sequence, as ascending runs
    `(first, length)`.

    The ids the rows would have received from the column's default, inserted in this order
    (one run unless another session drew ids meanwhile); read back as runs, so a million ids
    cost two numbers, not a million. Nobody else can ever be given an id of these runs.
    """
    if not count:
        return []
    meta = model._meta
    with connection.cursor() as cursor:
        # The sequence's name first: pg_get_serial_sequence() inside the query ran once per
        # id (3 µs each, 7 times the cost of nextval(); 6 s of server time a million rows).
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
        sequence = cursor.fetchone()[0]
        cursor.execute(
            "SELECT min(v), count(*) FROM (SELECT v, v - row_number() OVER (ORDER BY v) AS run "
            "FROM (SELECT nextval(%s::regclass) AS v "
            "FROM generate_series(1, %s)) AS drawn) AS numbered GROUP BY run ORDER BY 1",
            [sequence, count],
        )
        return [(int(first), int(n)) for first, n in cursor.fetchall()]


def _ids_of(runs: list[tuple[int, int]]) -> Iterator[int]:
    return itertools.chain.from_iterable(range(first, first + n) for first, n in runs)


def _copy_cursor() -> Any:
    """The psycopg 3 cursor of the default connection on PostgreSQL (None elsewhere)."""
    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    raw = connection.connection.cursor()
    return raw if hasattr(raw, "copy") else None


# PostgreSQL COPY text format: tab between columns, \N for NULL, backslash escapes.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_NULL = "\\N"


def _copy_str(text: str) -> str:
    """Escape what the COPY text format reserves (rare: checked before translating)."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_COPY_ESCAPES)
    return text


def _copy_plain(value: Any) -> str:
    """The COPY text of a non-JSON, non-boolean value (what psycopg's text dumpers send)."""
    kind = type(value)
    if kind is str:
        return _copy_str(value)
    if kind is int:
        return str(value)
    if isinstance(value, str):  # TextChoices members
        return _copy_str(str.__str__(value))
    if isinstance(value, dt.date | dt.time):  # datetimes too: ISO 8601, with the offset
        return value.isoformat()
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(int(value))
    return _copy_str(str(value))


def _copy_datetime(value: Any) -> str:
    return value.isoformat() if type(value) is dt.datetime else _copy_plain(value)


def _copy_int(value: Any) -> str:
    return str(value) if type(value) is int else _copy_plain(value)


class _CopyText:
    """Rows given as {attname: value} → the text of one COPY … FROM STDIN (text format).

    Columns a row does not give keep their default's text, formatted once; rows with the
    same keys in the same order (an importer's rows) share one plan of columns and encoders.
    """

    def __init__(self, fields: list[Any], defaults: dict[str, Any]) -> None:
        self.index = {f.attname: i for i, f in enumerate(fields)}
        self.encoders: list[Any] = []
        for f in fields:
            if isinstance(f, models.JSONField):
                dumps = partial(json.dumps, cls=f.encoder) if f.encoder else json.dumps
                self.encoders.append(lambda v, dumps=dumps: _copy_str(dumps(v)))
            elif isinstance(f, models.BooleanField):
                self.encoders.append(lambda v: "t" if v else "f")
            elif isinstance(f, models.DateTimeField):
                self.encoders.append(_copy_datetime)
            elif isinstance(f, models.IntegerField | models.ForeignKey | models.AutoField):
                self.encoders.append(_copy_int)
            else:
                self.encoders.append(_copy_plain)
        self.template = [
            _COPY_NULL if defaults[f.attname] is None else enc(defaults[f.attname])
            for f, enc in zip(fields, self.encoders, strict=True)
        ]
        self._plans: dict[tuple[str, ...], list[tuple[int, Any]]] = {}

    def _plan(self, keys: tuple[str, ...]) -> list[tuple[int, Any]]:
        plan = self._plans.get(keys)
        if plan is None:
            plan = [
                (i, self.encoders[i]) if i is not None else (-1, None)
                for i in (self.index.get(name) for name in keys)
            ]
            self._plans[keys] = plan
        return plan

    def lines(self, rows: list[dict[str, Any]], *, derive: bool = False) -> str:
        template, null = self.template, _COPY_NULL
        search = self.index.get("search_text", -1)
        out = []
        for row in rows:
            parts = template.copy()
            for (i, encode), value in zip(self._plan(tuple(row)), row.values(), strict=True):
                if i >= 0:
                    parts[i] = null if value is None else encode(value)
            if derive and "search_text" not in row:
                parts[search] = _copy_str(_search_text_of(row))
            out.append("\t".join(parts))
        out.append("")
        return "\n".join(out)


def _search_text_of(row: dict[str, Any]) -> str:
    """The folded search text of a dossier given as a plain row (as `Dossier.save` does)."""
    return " ".join(
        _fold(part)
        for part in (
            row.get("code"),
            row.get("applicant_name"),
            row.get("owner_name"),
            row.get("applicant_phone"),
            row.get("applicant_id_number"),
        )
        if part
    )


_FOLDED: dict[str, str] = {}


def _fold(text: str) -> str:
    """`motcua.lib.vntext.fold`, faster for what an import repeats.

    ASCII text (the codes) has no diacritics to strip: lower case and single spaces are all
    `fold` does to it. Other text (the names; often the one UNKNOWN_APPLICANT text) is folded
    once per distinct value, in a cache of at most 10,000 values.
    """
    if text.isascii():
        return " ".join(text.lower().split())
    folded = _FOLDED.get(text)
    if folded is None:
        if len(_FOLDED) >= 10_000:
            _FOLDED.clear()
        folded = _FOLDED[text] = fold(text)
    return folded


def _datetime_adapter() -> Any:
    """The backend's datetime adapter; on SQLite an equivalent one, four times faster.

    Django stores an aware instant on SQLite as the text of the naive instant in the
    connection's zone (UTC): `str(value.astimezone(zone).replace(tzinfo=None))`.
    """
    if connection.vendor != "sqlite":
        return connection.ops.adapt_datetimefield_value
    zone = connection.timezone

    def adapt(value: dt.datetime) -> str:
        if value.tzinfo is None:  # Django refuses these under USE_TZ: let it say so
            return str(connection.ops.adapt_datetimefield_value(value))
        return str(value.astimezone(zone).replace(tzinfo=None))

    return adapt


def _json_value(field: models.JSONField, value: Any) -> Any:
    return field.get_db_prep_save(value, connection)


@contextlib.contextmanager
def _roomy_sqlite_cache(mib: int = 256) -> Iterator[None]:
    """On SQLite, a larger page cache while one transaction writes a million rows.

    The default 2 MiB cache spills index pages to disk over and over; the setting belongs to
    this connection only and is put back afterwards.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        saved = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-mib * 1024:d}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(saved):d}")


def import_dossiers(
    path: str | Path,
    *,
    source: str | None = None,
    progress: IO[str] | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Validate the whole file, then write it in one transaction (raises ImportProblem)."""
    started = time.monotonic()
    now = timezone.now()
    bar = Progress(progress)
    if not dry_run:
        from motcua.dossiers import importpipe

        if importpipe.possible():
            piped = importpipe.import_dossiers(
                path, source=source or Path(path).name, now=now, progress=bar
            )
            piped.seconds = time.monotonic() - started
            return piped
    validator = _Validator(now, bar)
    with tempfile.TemporaryFile(prefix="motcua-import-") as spool:
        try:
            total = validator.run(path, spool)
        finally:
            validator.codes.close()
        if validator.errors:
            raise DossierImportProblem(
                sorted(validator.errors), more=validator.error_count - len(validator.errors)
            )
        result = validator.result
        result.dry_run = dry_run
        if not dry_run:
            spool.seek(0)
            writer = _Writer(source=source or Path(path).name, now=now, progress=bar)
            try:
                with _roomy_sqlite_cache(), transaction.atomic():
                    writer.write(
                        spool,
                        total,
                        result,
                        new_count=validator.new,
                        procedure_ids=validator.procedure_ids,
                    )
            except bulkload.DanglingReference as exc:
                raise DossierImportProblem([(0, str(exc))]) from None
        else:
            new = 0
            spool.seek(0)
            while True:
                try:
                    batch = pickle.load(spool)  # noqa: S301 — our own temp file
                except EOFError:
                    break
                new += sum(1 for r in batch if r[11] is None)
            result.created, result.updated = new, total - new
    result.seconds = time.monotonic() - started
    return result


def add_arguments(parser: Any) -> None:
    """Extra flags of `motcua import dossiers`."""
    parser.add_argument(
        "--progress",
        action="store_true",
        help="thanh tiến độ trên stderr kể cả khi không phải terminal (progress bar on stderr)",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="chỉ kiểm tra, không ghi (validate only, write nothing)",
    )


def import_file(path: str, *, stdout: Any = None, options: dict[str, Any] | None = None) -> str:
    """`motcua import dossiers FILE.csv`: validate the whole file, then write it in one go."""
    options = options or {}
    show = bool(options.get("progress")) or sys.stderr.isatty()
    result = import_dossiers(
        path, progress=sys.stderr if show else None, dry_run=bool(options.get("dry_run"))
    )
    return str(result)
