"""Statistics at province scale: motcua's figures on SQLite and PostgreSQL against DuckDB.

Generates a three-year history of the demo province (by default 3,000,000 dossiers over
~1,000 units: the demo tree plus generated reception desks) as a tab-separated file, loads the
same bytes into SQLite (`executemany` in big batches), PostgreSQL (`COPY`) and DuckDB
(`read_csv`, columnar, the physical-limit reference), then times, warm, best of N:

  province quarter   dossier_statistics(code="DT", period=2025-Q1)         (Decree 09 window)
  province by unit   dossier_statistics(code="DT", period=2025-Q1, by="unit")
  commune quarter    dossier_statistics(code=<the busiest old commune>, period=2025-Q1)

DuckDB runs the counting rules of statistics.md §2 written by hand in SQL; its figures must
equal motcua's on both databases ("figures agree"), or the benchmark fails.

PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (its `public` schema is dropped and
re-created, as in bench/_data.py), else a throw-away PostgreSQL 15 cluster is started on
127.0.0.1 as an unprivileged user, like .ci/run, and removed at the end. Without any
PostgreSQL server the PostgreSQL part is skipped with a note. DuckDB is an optional
dependency (`pip install duckdb`, the `bench` extra); without it that part is skipped.

    python bench/stats_bench.py                      # 3,000,000 rows, 3 runs
    python bench/stats_bench.py --rows 200000 --runs 2 --no-postgres
    python bench/stats_bench.py --keep               # keep the work directory
    python bench/stats_bench.py --experiments        # also time candidate indexes
    BENCH_DATABASE_URL=... python bench/stats_bench.py --no-sqlite --keep     # load once, then
    BENCH_DATABASE_URL=... python bench/stats_bench.py --no-sqlite --reuse DIR  # DIR: --keep
                                                     # re-time the loaded database (migrated,
                                                     # not reloaded) and the kept data file

Each database is loaded and queried in its own child process (Django is configured once per
process), which also gives each its own peak RSS.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
for entry in (str(BENCH_DIR), str(ROOT)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from _data import machine, peak_rss_mib, postgres_url  # noqa: E402

SEED = 20261124
PERIOD = "2025-Q1"
PROVINCE = "DT"
HISTORY_START = dt.date(2023, 11, 24)
HISTORY_DAYS = 3 * 365
# "Now" for the generated history: the day after the last generated receipt. Dossiers still
# open then are pending; every instant stays in the past of the real clock.
NOW_DAY = dt.date(2026, 11, 23)  # 00:00 local
BATCH = 50_000

LEAVES = (
    "carried_over",
    "new_online",
    "new_direct",
    "new_postal",
    "early",
    "on_time",
    "late",
    "refused",
    "withdrawn",
    "within_deadline",
    "overdue",
)

# The dossier columns written to the data file, in order (every NOT NULL column has a value).
COLUMNS = (
    "id",
    "code",
    "procedure_id",
    "procedure_version_id",
    "field_id",
    "time_limit_amount",
    "time_limit_unit",
    "rule_version",
    "state",
    "channel",
    "submitted_by",
    "receiving_unit_id",
    "competent_unit_id",
    "current_unit_id",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "owner_name",
    "submitted_at",
    "received_at",
    "finished_at",
    "returned_at",
    "statutory_due",
    "promised_due",
    "supplement_count",
    "lock_version",
    "created_at",
    "updated_at",
    # NOT NULL columns added since the benchmark was written (Django defaults, constant here)
    "delivery",
    "postal_consignment",
    "search_text",
    "clock_start_event",
    "edata_linked",
    "fee_detail",
    "identity_source",
    "time_limit_extension_reason",
)
TIMESTAMPS = (
    "submitted_at",
    "received_at",
    "finished_at",
    "returned_at",
    "statutory_due",
    "promised_due",
    "created_at",
    "updated_at",
)

# Candidate indexes timed with --experiments (created, measured, dropped again).
EXPERIMENTS: dict[str, dict[str, str]] = {
    "covering (received_at) INCLUDE (...)": {
        "postgresql": (
            "CREATE INDEX bench_cover ON dossiers_dossier (received_at) INCLUDE "
            "(finished_at, statutory_due, state, channel, competent_unit_id, receiving_unit_id)"
        ),
        "sqlite": (
            "CREATE INDEX bench_cover ON dossiers_dossier (received_at, finished_at, "
            "statutory_due, state, channel, competent_unit_id, receiving_unit_id)"
        ),
    },
    "handling unit (COALESCE(competent, receiving), received_at)": {
        "postgresql": (
            "CREATE INDEX bench_handler ON dossiers_dossier "
            "((COALESCE(competent_unit_id, receiving_unit_id)), received_at)"
        ),
        "sqlite": (
            "CREATE INDEX bench_handler ON dossiers_dossier "
            "(COALESCE(competent_unit_id, receiving_unit_id), received_at)"
        ),
    },
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- units


def add_generated_units(target: int = 1000) -> int:
    """Reception desks under the demo communes until the tree holds about `target` units.

    Deterministic: the same rows (and so the same primary keys) in every fresh database.
    """
    from motcua.units.models import Unit

    existing = Unit.objects.count()
    communes = list(Unit.objects.filter(level="commune").order_by("code", "valid_from"))
    missing = max(0, target - existing)
    rows = []
    for n in range(missing):
        parent = communes[n % len(communes)]
        rows.append(
            Unit(
                code=f"{parent.code}.BENCH{n // len(communes) + 1}",
                name=f"Tổ tiếp nhận {n // len(communes) + 1} (đo hiệu năng)",
                level="subunit",
                parent=parent,
                valid_from=parent.valid_from,
                valid_to=parent.valid_to,
            )
        )
    Unit.objects.bulk_create(rows)
    return Unit.objects.count()


def unit_table() -> list[tuple[int, str, int | None, str, str | None, str | None]]:
    """(id, code, parent_id, level, valid_from, valid_to) of every unit version."""
    from motcua.units.models import Unit

    return [
        (pk, code, parent, level, str(vf) if vf else None, str(vt) if vt else None)
        for pk, code, parent, level, vf, vt in Unit.objects.order_by("pk").values_list(
            "pk", "code", "parent_id", "level", "valid_from", "valid_to"
        )
    ]


def prepare_tree() -> dict[str, Any]:
    """Demo province, catalogue and generated units; the facts the generator needs."""
    from _data import ensure_demo

    from motcua.procedures.models import Procedure, ProcedureVersion
    from motcua.units.models import Unit

    ensure_demo()
    total_units = add_generated_units()
    versions = dict(
        ProcedureVersion.objects.order_by("procedure_id", "number").values_list(
            "procedure_id", "pk"
        )
    )
    procedures = [
        (pk, versions[pk], field_id, level, amount, unit)
        for pk, field_id, level, amount, unit in Procedure.objects.filter(published=True)
        .order_by("pk")
        .values_list("pk", "field_id", "level", "time_limit_amount", "time_limit_unit")
        if pk in versions
    ]

    def era(day: dt.date) -> dict[str, list[int]]:
        live = Unit.objects.valid_on(day)
        return {
            level: list(live.filter(level=level).order_by("pk").values_list("pk", flat=True))
            for level in ("commune", "subunit", "department", "district")
        }

    centre = {
        day: Unit.objects.version_of("DT.HCC", on=day)
        for day in (dt.date(2025, 6, 30), dt.date(2025, 7, 1))
    }
    return {
        "units": total_units,
        "unit_table": unit_table(),
        "procedures": procedures,
        "old": era(dt.date(2025, 6, 30)),
        "new": era(dt.date(2025, 7, 1)),
        "centre_old": centre[dt.date(2025, 6, 30)].pk,  # type: ignore[union-attr]
        "centre_new": centre[dt.date(2025, 7, 1)].pk,  # type: ignore[union-attr]
    }


# ---------------------------------------------------------------------------- history


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
DAY = 86_400
LOCAL_SECONDS = 7 * 3600  # Asia/Ho_Chi_Minh, no daylight saving


def _seconds(day: dt.date) -> int:
    """UTC seconds of `day` 00:00 local."""
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)
    return int((midnight - EPOCH).total_seconds()) - LOCAL_SECONDS


class _Clock:
    """Instants as integer UTC seconds, formatted through tables (fast, no datetime objects)."""

    def __init__(self, first: dt.date, days: int) -> None:
        self.first_day = _seconds(first) // DAY
        base = dt.date(1970, 1, 1) + dt.timedelta(days=self.first_day)
        self.dates = [str(base + dt.timedelta(days=d)) for d in range(days)]
        self.times = [f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]

    def text(self, t: int | None) -> str | None:
        """'YYYY-MM-DD HH:MM:SS' in UTC (Django's SQLite spelling; COPY reads it as UTC)."""
        if t is None:
            return None
        return self.dates[t // DAY - self.first_day] + self.times[t % DAY]


def _span_seconds(amount: int | None, unit: str) -> int | None:
    """A plausible statutory span (calendar seconds) for a time limit; None without a limit."""
    if unit == "same_day":
        return 0
    if amount is None:
        return None
    if unit == "working_days":
        return amount * DAY * 7 // 5
    if unit == "working_hours":
        return amount * 3600 * 3
    if unit == "calendar_months":
        return 30 * amount * DAY
    return amount * DAY


def generate_history(facts: dict[str, Any], rows: int, seed: int = SEED) -> Iterator[tuple]:
    """`rows` dossier tuples in COLUMNS order, received chronologically over three years.

    Half online, 44% direct, 6% postal; 75% at communes (and their desks), 5% at old districts,
    the rest at departments through the provincial centre. Of the received: about 95% of the
    finished are resolved (85% early, 14% on the due date, 1% late), 3% refused, 2% withdrawn
    or stopped; a few hundred stay open for months (overdue); recent ones are still pending,
    some paused for a supplement within their budget (no due instant). 0.5% never received.
    """
    rng = random.Random(seed)
    rand = rng.random
    clock = _Clock(HISTORY_START, HISTORY_DAYS + 400)
    text = clock.text
    commune_procs = [p for p in facts["procedures"] if p[3] == "commune"]
    other_procs = [p for p in facts["procedures"] if p[3] != "commune"] or commune_procs
    spans = {p[0]: _span_seconds(p[4], p[5]) for p in facts["procedures"]}
    eras = {False: facts["old"], True: facts["new"]}
    centres = {False: facts["centre_old"], True: facts["centre_new"]}
    reform = _seconds(dt.date(2025, 7, 1))
    start = _seconds(HISTORY_START)
    now = _seconds(NOW_DAY)
    hours = (7, 7, 8, 8, 8, 9, 9, 9, 10, 10, 13, 14, 14, 15, 15, 16)
    first_weekday = HISTORY_START.weekday()
    for n in range(rows):
        day = n * HISTORY_DAYS // rows
        weekday = (first_weekday + day) % 7
        if weekday >= 5 and rand() < 0.9:  # few weekend receipts: most move to Monday
            day += 7 - weekday
        received = start + day * DAY + rng.choice(hours) * 3600 + int(rand() * 3600)
        after = received >= reform
        units = eras[after]
        pick = rand()
        receiving: int
        competent: int | None
        if pick < 0.75 or (after and pick < 0.80):
            pool = units["commune"] if rand() < 0.8 or not units["subunit"] else units["subunit"]
            competent = pool[int(rand() * len(pool))]
            receiving = competent
            proc = commune_procs[int(rand() * len(commune_procs))]
        elif pick < 0.80:
            competent = units["district"][int(rand() * len(units["district"]))]
            receiving = competent
            proc = other_procs[int(rand() * len(other_procs))]
        else:
            competent = units["department"][int(rand() * len(units["department"]))]
            receiving = centres[after]
            proc = other_procs[int(rand() * len(other_procs))]
        if rand() < 0.02:  # decided where received
            receiving, competent = competent, None
        channel = "online" if rand() < 0.5 else ("direct" if rand() < 0.88 else "postal")
        span = spans[proc[0]]
        due: int | None = None
        if span is not None:
            due = received + span
            if span == 0:  # same day: 17:00 local
                due = received - (received + LOCAL_SECONDS) % DAY + 17 * 3600
        state: str
        finished: int | None = None
        received_at: int | None = received
        if rand() < 0.005:  # never received: refused at intake
            state, received_at, due = "refused_at_intake", None, None
        elif rand() < 0.0002:  # stuck for months: pending and overdue
            state = "in_progress"
        else:
            if due is None:
                finished = received + 7200 + int(rand() * 20 * DAY)
            else:
                due_day_start = due - (due + LOCAL_SECONDS) % DAY
                outcome = rand()
                if outcome < 0.85 and due_day_start > received:
                    finished = received + int((due_day_start - received) * (0.05 + 0.9 * rand()))
                elif outcome < 0.99:
                    floor = max(due_day_start, received)
                    finished = floor + int((due - floor) * rand())
                else:
                    finished = due + 1 + int(rand() * 10 * DAY)
            exit_ = rand()
            if exit_ < 0.95:
                state = "returned" if rand() < 0.85 else "resolved"
            elif exit_ < 0.98:
                state = "refused"
            else:
                state = "withdrawn" if rand() < 0.6 else "stopped"
            if finished >= now:  # not finished yet: still open
                finished = None
                state = "in_progress"
        if state == "in_progress" and rand() < 0.1:
            state = "supplement_requested"
            due = None if rand() < 0.8 else due  # paused within budget: no due instant
        returned = finished + DAY if state == "returned" and finished else None
        open_ = state in ("in_progress", "supplement_requested")
        received_text = text(received)
        due_text = text(due)
        yield (
            n + 1,
            f"B{n + 1:09d}",
            proc[0],
            proc[1],
            proc[2],
            proc[4],
            proc[5] or "working_days",
            "nd118_2025" if after else "nd61_2018",
            state,
            channel,
            "applicant",
            receiving,
            competent,
            (competent or receiving) if open_ else None,
            f"Người nộp {n + 1}",
            "",
            "",
            "",
            "",
            "",
            received_text,
            received_text if received_at is not None else None,
            text(finished),
            text(returned),
            due_text,
            due_text,
            0,
            0,
            received_text,
            text(finished) or received_text,
            "",
            "",
            "",
            "",
            0,
            "{}",
            "",
            "",
        )


def write_history(path: Path, facts: dict[str, Any], rows: int) -> float:
    """Write the history as tab-separated text (\\N for NULL, a header line); seconds taken."""
    started = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        out.write("\t".join(COLUMNS) + "\n")
        lines: list[str] = []
        for row in generate_history(facts, rows):
            lines.append("\t".join(r"\N" if v is None else str(v) for v in row))
            if len(lines) >= BATCH:
                out.write("\n".join(lines) + "\n")
                lines.clear()
        if lines:
            out.write("\n".join(lines) + "\n")
    return time.perf_counter() - started


def read_history(path: Path) -> Iterator[list[tuple]]:
    """Batches of row tuples back from the data file (NULLs as None, integers as int)."""
    ints = {i for i, c in enumerate(COLUMNS) if c.endswith("_id") or c in ("id", "lock_version")}
    ints |= {COLUMNS.index(c) for c in ("time_limit_amount", "supplement_count", "edata_linked")}
    with path.open(encoding="utf-8") as handle:
        next(handle)
        batch: list[tuple] = []
        for line in handle:
            values = line.rstrip("\n").split("\t")
            batch.append(
                tuple(
                    None if v == r"\N" else (int(v) if i in ints else v)
                    for i, v in enumerate(values)
                )
            )
            if len(batch) >= BATCH:
                yield batch
                batch = []
        if batch:
            yield batch


# ---------------------------------------------------------------------------- loading


def load_sqlite(path: Path) -> tuple[int, float]:
    """executemany in batches inside one transaction; (rows, seconds)."""
    from django.db import connection

    started = time.perf_counter()
    connection.ensure_connection()
    raw = connection.connection
    raw.execute("PRAGMA journal_mode=OFF")
    raw.execute("PRAGMA synchronous=OFF")
    raw.execute("PRAGMA foreign_keys=OFF")  # keys are right by construction; checked below
    raw.execute("PRAGMA cache_size=-1000000")  # 1 GB page cache while loading
    # Like a restore: secondary indexes are dropped for the load and built afterwards.
    indexes = [
        sql
        for (sql,) in raw.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'dossiers_dossier' AND sql IS NOT NULL"
        )
    ]
    for sql in indexes:
        raw.execute("DROP INDEX " + sql.split()[2])
    from motcua.stats import rollup

    for sql in rollup.drop_sql("sqlite"):  # like the indexes: rebuilt after the load
        raw.execute(sql)
    columns, marks = ", ".join(COLUMNS), ", ".join("?" for _ in COLUMNS)
    sql = f"INSERT INTO dossiers_dossier ({columns}) VALUES ({marks})"  # noqa: S608 (constants)
    count = 0
    raw.execute("BEGIN")
    for batch in read_history(path):
        raw.executemany(sql, batch)
        count += len(batch)
    raw.execute("COMMIT")
    log(f"  rows inserted in {time.perf_counter() - started:.1f} s")
    for sql in indexes:
        raw.execute(sql)
    log(f"  {len(indexes)} indexes built at {time.perf_counter() - started:.1f} s")
    raw.execute("PRAGMA foreign_keys=ON")
    broken = raw.execute("PRAGMA foreign_key_check(dossiers_dossier)").fetchone()
    if broken:
        raise RuntimeError(f"foreign key broken by the generated rows: {broken}")
    rollup_started = time.perf_counter()
    rows = rollup.rebuild()
    log(f"  roll-up rebuilt: {rows:,} rows in {time.perf_counter() - rollup_started:.1f} s")
    raw.execute("ANALYZE")
    raw.execute("PRAGMA cache_size=-262144")  # 256 MB for the queries
    return count, time.perf_counter() - started


def load_postgres(path: Path) -> tuple[int, float]:
    """COPY FROM STDIN in 8 MiB chunks, then VACUUM ANALYZE; (rows, seconds)."""
    from django.db import connection

    started = time.perf_counter()
    connection.ensure_connection()
    raw = connection.connection
    raw.autocommit = True
    with raw.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")  # the file's instants are UTC
        # Like a restore: secondary indexes (not those of constraints) are built afterwards.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'dossiers_dossier' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # Foreign keys are deferred per-row triggers; a superuser (the throw-away cluster's
        # owner) can skip them for the load, as pg_restore does. Keys are right by
        # construction (the same rows pass SQLite's foreign_key_check).
        try:
            cursor.execute("SET session_replication_role = replica")
        except Exception as exc:  # not a superuser: load with the checks
            log(f"  foreign-key triggers stay on ({exc.__class__.__name__})")
        with (
            cursor.copy(
                f"COPY dossiers_dossier ({', '.join(COLUMNS)}) FROM STDIN "
                "(FORMAT text, HEADER true)"
            ) as copy,
            path.open("rb") as handle,
        ):
            while chunk := handle.read(8 << 20):
                copy.write(chunk)
        log(f"  rows copied in {time.perf_counter() - started:.1f} s")
        for _, definition in indexes:
            cursor.execute(definition)
        log(f"  {len(indexes)} indexes built at {time.perf_counter() - started:.1f} s")
        with contextlib.suppress(Exception):
            cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('dossiers_dossier', 'id'), "
            "(SELECT max(id) FROM dossiers_dossier))"
        )
        cursor.execute("VACUUM ANALYZE dossiers_dossier")
        # The replica role skipped the roll-up's triggers too: rebuild it, as after an import.
        from motcua.stats import rollup

        rollup_started = time.perf_counter()
        rows = rollup.rebuild()
        log(f"  roll-up rebuilt: {rows:,} rows in {time.perf_counter() - rollup_started:.1f} s")
        cursor.execute("VACUUM ANALYZE stats_dossierrollup")
        cursor.execute("SELECT count(*) FROM dossiers_dossier")
        count = cursor.fetchone()[0]
        cursor.execute("SET TIME ZONE DEFAULT")
    return count, time.perf_counter() - started


# ---------------------------------------------------------------------------- timing


def best_of(runs: int, call: Any) -> tuple[float, Any]:
    """Warm-up once, then the best wall time of `runs` calls, and the last result."""
    result = call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return min(times), result


def figures_of(stats: Any) -> dict[str, Any]:
    """Leaves of the total and of every row (keyed by unit code) of a Statistics."""
    return {
        "total": {leaf: getattr(stats.total, leaf) for leaf in LEAVES},
        "rows": {
            row.key: {leaf: getattr(row.figures, leaf) for leaf in LEAVES} for row in stats.rows
        },
    }


def busiest_commune(period: Any) -> str:
    """Code of the old commune with the most dossiers received in the period."""
    from django.db.models import Count

    from motcua.dossiers.models import Dossier

    top = (
        Dossier.objects.filter(
            received_at__gte=period.start,
            received_at__lt=period.end,
            competent_unit__level="commune",
        )
        .values("competent_unit__code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return top["competent_unit__code"] if top else PROVINCE


def explain(vendor: str, code: str, period: Any) -> str:
    """The query plan of the province total (first lines), from the SQL motcua runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.stats.selectors import dossier_statistics

    with CaptureQueriesContext(connection) as captured:
        dossier_statistics(code=code, period=period)
    for q in captured.captured_queries:
        log(f"  query {q['time']} s: {q['sql'][:90]}")
    sql = next(
        q["sql"]
        for q in captured.captured_queries
        if "stats_dossierrollup" in q["sql"] or "dossiers_dossier" in q["sql"]
    )
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        lines = [" | ".join(str(c) for c in row) for row in cursor.fetchall()]
    return "\n".join(lines)


def time_queries(runs: int, commune: str) -> list[dict[str, Any]]:
    from motcua.lib.periods import parse_period
    from motcua.stats.selectors import dossier_statistics

    period = parse_period(PERIOD)
    results = []
    for name, kwargs in (
        ("province quarter", {"code": PROVINCE}),
        ("province by unit", {"code": PROVINCE, "by": "unit"}),
        ("commune quarter", {"code": commune}),
    ):
        seconds, stats = best_of(runs, lambda kw=kwargs: dossier_statistics(period=period, **kw))
        results.append({"query": name, "seconds": seconds, **figures_of(stats)})
        log(f"  {name}: {seconds:.3f} s")
    # The record-level path (the roll-up's oracle), for comparison: same figures, slower.
    from django.test import override_settings

    with override_settings(MOTCUA_STATS_ROLLUP=False):
        seconds, stats = best_of(runs, lambda: dossier_statistics(period=period, code=PROVINCE))
    results.append({"query": "province (records)", "seconds": seconds, **figures_of(stats)})
    log(f"  province quarter, record level: {seconds:.3f} s")
    return results


HISTORY_PERIODS = ("2024-Q1", "2025-Q1", "2026-Q3")  # early, the benchmark's, late
EXTRA_YEARS = 28  # 1995–2022 before the generated history


def history_check(runs: int) -> list[dict[str, Any]]:
    """The province quarter early and late in the history, then with EXTRA_YEARS more years
    of history before it, in a transaction rolled back at the end.

    The extra history is written straight into the roll-up: for every unit with a flow and
    both cubes, a year row for each extra year and a row for each decade before 2020, each
    with receipts that all left the stock (net zero: every figure must stay the same; the
    rows are read all the same). Finer rows of those years are left out: no read of a later
    period touches them (they lie outside its index ranges).
    """
    from django.db import transaction

    from motcua.lib.periods import parse_period
    from motcua.stats import rollup
    from motcua.stats.models import DossierRollup
    from motcua.stats.selectors import dossier_statistics

    periods = [parse_period(p) for p in HISTORY_PERIODS]

    def timed() -> list[tuple[float, Any]]:
        result = []
        for period in periods:
            seconds, stats = best_of(
                runs, lambda period=period: dossier_statistics(code=PROVINCE, period=period)
            )
            result.append((seconds, figures_of(stats)))
        return result

    before = timed()
    first = HISTORY_START.year - EXTRA_YEARS
    with transaction.atomic():
        units = list(
            DossierRollup.objects.filter(grain=DossierRollup.DECADE)
            .values_list("unit", flat=True)
            .distinct()
        )
        zero = dict.fromkeys(rollup.MEASURES, 0)

        def row(cube: int, grain: int, year: int, unit: int, n: int) -> DossierRollup:
            flows = {**zero, "received": n, "received_online": n, "exited": n, "early": n}
            return DossierRollup(
                cube=cube, grain=grain, day=dt.date(year, 1, 1), unit=unit, **flows
            )

        extra = [
            row(cube, grain, year, unit, n)
            for unit in units
            for cube in rollup.CUBES
            for grain, years, n in (
                (DossierRollup.YEAR, range(first, HISTORY_START.year), 1000),
                (DossierRollup.DECADE, range(first // 10 * 10, 2020, 10), 10000),
            )
            for year in years
        ]
        DossierRollup.objects.bulk_create(extra, batch_size=5000)
        log(f"  history: {len(extra):,} roll-up rows for {first}–{HISTORY_START.year - 1}")
        after = timed()
        transaction.set_rollback(True)
    report = []
    for name, (was, figures), (now, same) in zip(HISTORY_PERIODS, before, after, strict=True):
        if figures != same:
            raise RuntimeError(f"history check: the figures of {name} changed")
        report.append({"period": name, "seconds": was, "longer_history": now})
        log(f"  province {name}: {was:.4f} s; with {EXTRA_YEARS} more years {now:.4f} s")
    return report


def child(
    vendor: str, workdir: Path, url: str | None, rows: int, runs: int, exp: bool, reuse: bool
) -> int:
    """Load one database and time motcua on it; write `<vendor>.json` into `workdir`.

    `reuse`: the database already holds this work directory's rows (a run with `--keep`);
    migrate it (a new roll-up migration rebuilds the table) and time it without reloading.
    """
    from _data import scratch_database

    sqlite_dir = workdir / "sqlite"
    if reuse:
        _reuse_database(url, workdir=sqlite_dir if url is None else workdir / "pg-var")
    else:
        scratch_database(url, workdir=sqlite_dir if url is None else workdir / "pg-var")
    from django.db import connection

    log(f"[{vendor}] building the demo tree and catalogue")
    facts = prepare_tree()
    data = workdir / "dossiers.tsv"
    units_file = workdir / "units.json"
    out: dict[str, Any] = {"vendor": vendor, "units": facts["units"]}
    if not data.exists():
        log(f"[{vendor}] generating {rows:,} dossiers into {data}")
        seconds = write_history(data, facts, rows)
        units_file.write_text(json.dumps(facts["unit_table"]))
        out["generate"] = {"rows": rows, "seconds": seconds}
        log(f"  generated in {seconds:.1f} s ({rows / seconds:,.0f} rows/s)")
    elif json.loads(units_file.read_text()) != [list(u) for u in facts["unit_table"]]:
        log(f"[{vendor}] the unit tree differs from the one the data file was made for")
        return 2
    if reuse:
        from motcua.dossiers.models import Dossier

        count = Dossier.objects.count()
        if count != rows:
            log(f"[{vendor}] --reuse: the database holds {count:,} dossiers, not {rows:,}")
            return 2
        out["load"] = {"rows": count, "seconds": 0.0, "reused": True}
        log(f"[{vendor}] reusing the loaded {count:,} rows")
    else:
        log(f"[{vendor}] loading")
        count, seconds = load_sqlite(data) if vendor == "sqlite" else load_postgres(data)
        out["load"] = {"rows": count, "seconds": seconds}
        log(f"  loaded {count:,} rows in {seconds:.1f} s ({count / seconds:,.0f} rows/s)")
    if vendor == "sqlite":
        size = (sqlite_dir / "bench.sqlite3").stat().st_size
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('dossiers_dossier')")
            size = cursor.fetchone()[0]
    out["size_mib"] = size / 2**20
    from motcua.lib.periods import parse_period

    period = parse_period(PERIOD)
    commune = busiest_commune(period)
    out["commune"] = commune
    log(f"[{vendor}] timing (best of {runs}, warm)")
    out["queries"] = time_queries(runs, commune)
    out["plan"] = explain(vendor, PROVINCE, period)
    out["experiments"] = []
    if exp:
        for label, sql in EXPERIMENTS.items():
            log(f"[{vendor}] experiment: {label}")
            with connection.cursor() as cursor:
                cursor.execute(sql[vendor])
                cursor.execute("ANALYZE dossiers_dossier")
            if vendor == "postgresql":  # for index-only scans (Django runs in autocommit)
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM dossiers_dossier")
            timings = time_queries(runs, commune)
            out["experiments"].append(
                {
                    "index": label,
                    "plan": explain(vendor, PROVINCE, period),
                    "queries": [{"query": t["query"], "seconds": t["seconds"]} for t in timings],
                }
            )
            with connection.cursor() as cursor:
                cursor.execute("DROP INDEX " + sql[vendor].split()[2])
    out["history"] = history_check(runs)
    out["rss_mib"] = peak_rss_mib()
    out["scope"] = scope_facts(period, commune)
    (workdir / f"{vendor}.json").write_text(json.dumps(out, ensure_ascii=False))
    return 0


def _reuse_database(url: str | None, *, workdir: Path) -> None:
    """Point Django at the database a `--keep` run loaded and migrate it (no reload)."""
    os.environ["MOTCUA_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"  migrated in {time.perf_counter() - started:.1f} s")


def scope_facts(period: Any, commune: str) -> dict[str, Any]:
    """Unit ids in scope and the row owner of each, for the DuckDB side (from the unit table).

    Computed here from parent links and validity only (not through motcua.stats), so the
    DuckDB figures check motcua's scoping too.
    """
    from motcua.units.models import Unit

    first, last = period.first, period.last
    units = list(Unit.objects.values_list("pk", "code", "parent_id", "valid_from", "valid_to"))
    alive = {
        pk
        for pk, _, _, vf, vt in units
        if (vf is None or vf <= last) and (vt is None or vt >= first)
    }
    parent = {pk: par for pk, _, par, _, _ in units}
    code_of = {pk: code for pk, code, _, _, _ in units}

    def chain(pk: int) -> list[int]:
        path = [pk]
        while parent[path[-1]] is not None:
            path.append(parent[path[-1]])
        return path

    result: dict[str, Any] = {}
    for target in (PROVINCE, commune):
        roots = {pk for pk in alive if code_of[pk] == target}
        owner: dict[int, str] = {}
        for pk in alive:
            path = chain(pk)
            for i, up in enumerate(path):
                if up in roots:
                    # the row is the root's child on the way up, or the root itself
                    owner[pk] = code_of[path[i - 1]] if i > 0 else target
                    break
        result[target] = owner
    return {"province": result[PROVINCE], "commune": result[commune]}


# ---------------------------------------------------------------------------- DuckDB


def duckdb_side(workdir: Path, runs: int, scope: dict[str, Any]) -> dict[str, Any] | None:
    """The same figures by hand-written SQL over a DuckDB copy of the same rows."""
    try:
        import duckdb
    except ImportError:
        log("duckdb is not installed (pip install duckdb): skipping the reference")
        return None
    from motcua.lib.periods import parse_period

    period = parse_period(PERIOD)
    start = (period.start.astimezone(dt.UTC)).replace(tzinfo=None)
    end = (period.end.astimezone(dt.UTC)).replace(tzinfo=None)
    db = duckdb.connect()
    db.execute(f"SET threads = {os.cpu_count() or 1}")
    started = time.perf_counter()
    types = {c: "TIMESTAMP" for c in TIMESTAMPS}
    types.update({c: "BIGINT" for c in COLUMNS if c.endswith("_id") or c == "id"})
    type_list = ", ".join(f"'{c}': '{t}'" for c, t in types.items())
    reader = f"read_csv(?, delim='\t', header=true, nullstr='\\N', types={{{type_list}}})"
    columns = (
        "id, state, channel, received_at, finished_at, statutory_due, "
        "COALESCE(competent_unit_id, receiving_unit_id) AS handler"
    )
    load = f"CREATE TABLE d AS SELECT {columns} FROM {reader}"  # noqa: S608 (constants)
    db.execute(load, [str(workdir / "dossiers.tsv")])
    load_seconds = time.perf_counter() - started
    count = db.execute("SELECT count(*) FROM d").fetchone()[0]  # type: ignore[index]
    log(f"  DuckDB loaded {count:,} rows in {load_seconds:.1f} s")
    for name, owners in (("province", scope["province"]), ("commune", scope["commune"])):
        db.execute(f"CREATE TABLE scope_{name} (unit BIGINT, owner VARCHAR)")
        insert = f"INSERT INTO scope_{name} VALUES (?, ?)"  # noqa: S608 (constant names)
        db.executemany(insert, list(owners.items()))
    # statistics.md §2, by hand; local dates are UTC + 7 hours (no daylight saving).
    leaves = """
        count(*) FILTER (WHERE received_at < $S) AS carried_over,
        count(*) FILTER (WHERE received_at >= $S AND channel = 'online') AS new_online,
        count(*) FILTER (WHERE received_at >= $S AND channel = 'direct') AS new_direct,
        count(*) FILTER (WHERE received_at >= $S AND channel = 'postal') AS new_postal,
        count(*) FILTER (WHERE fin AND res AND statutory_due IS NOT NULL
            AND CAST(finished_at + INTERVAL 7 HOUR AS DATE)
                < CAST(statutory_due + INTERVAL 7 HOUR AS DATE)) AS early,
        count(*) FILTER (WHERE fin AND res AND NOT (statutory_due IS NOT NULL AND (
            CAST(finished_at + INTERVAL 7 HOUR AS DATE)
                < CAST(statutory_due + INTERVAL 7 HOUR AS DATE)
            OR finished_at > statutory_due))) AS on_time,
        count(*) FILTER (WHERE fin AND res AND finished_at > statutory_due) AS late,
        count(*) FILTER (WHERE fin AND state = 'refused') AS refused,
        count(*) FILTER (WHERE fin AND state IN ('withdrawn', 'stopped')) AS withdrawn,
        count(*) FILTER (WHERE NOT fin AND NOT coalesce(statutory_due < $E, false))
            AS within_deadline,
        count(*) FILTER (WHERE NOT fin AND statutory_due < $E) AS overdue
    """
    base = """
        WITH c AS (
            SELECT *, finished_at IS NOT NULL AND finished_at < $E AS fin,
                   state IN ('resolved', 'returned') AS res
            FROM d JOIN scope_{name} ON d.handler = scope_{name}.unit
            WHERE received_at < $E AND (finished_at IS NULL OR finished_at >= $S))
    """
    total_sql = "SELECT " + leaves + " FROM c"  # noqa: S608 (constants)
    grouped_sql = "SELECT owner, " + leaves + " FROM c GROUP BY owner"  # noqa: S608 (constants)
    province, commune = base.format(name="province"), base.format(name="commune")
    queries = {
        "province quarter": [province + total_sql],
        "province by unit": [province + total_sql, province + grouped_sql],
        "commune quarter": [commune + total_sql],
    }
    params = {"S": start, "E": end}

    def run(sqls: list[str]) -> list[list[tuple]]:
        return [db.execute(sql, params).fetchall() for sql in sqls]

    results = []
    for name, sqls in queries.items():
        seconds, answer = best_of(runs, lambda sqls=sqls: run(sqls))
        total = dict(zip(LEAVES, answer[0][0], strict=True))
        rows = {}
        if len(answer) > 1:
            rows = {r[0]: dict(zip(LEAVES, r[1:], strict=True)) for r in answer[1]}
            rows = {k: v for k, v in rows.items() if sum(v.values())}
        results.append({"query": name, "seconds": seconds, "total": total, "rows": rows})
        log(f"  DuckDB {name}: {seconds:.4f} s")
    return {
        "vendor": "duckdb",
        "load": {"rows": count, "seconds": load_seconds},
        "queries": results,
        "rss_mib": peak_rss_mib(),
    }


# ---------------------------------------------------------------------------- PostgreSQL


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str | None]:
    """A PostgreSQL cluster on 127.0.0.1 for the duration (like .ci/run), or None."""
    bindir = next(
        (
            d
            for d in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
            if (d / "initdb").exists()
        ),
        None,
    )
    preferred = Path("/usr/lib/postgresql/15/bin")
    if (preferred / "initdb").exists():
        bindir = preferred
    if bindir is None:
        yield None
        return
    runner: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        runner = ["runuser", "-u", "postgres", "--"]
    tmp = Path(tempfile.mkdtemp(prefix="motcua-stats-pg.", dir="/tmp"))
    data, sock = tmp / "data", tmp / "sock"
    sock.mkdir()
    if runner:
        shutil.chown(tmp, "postgres")
        shutil.chown(sock, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    password = secrets.token_hex(16)
    pwfile = tmp / "pw"
    pwfile.write_text(password + "\n")
    if runner:
        shutil.chown(pwfile, "postgres")

    def pg(*args: str) -> None:
        subprocess.run([*runner, *args], cwd=tmp, check=True, capture_output=True)

    try:
        pg(
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "motcua",
            f"--pwfile={pwfile}",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-instructions",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=2GB "
            "-c work_mem=64MB -c maintenance_work_mem=512MB -c max_wal_size=4GB "
            "-c effective_cache_size=12GB -c random_page_cost=1.1"
        )
        pg(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(tmp / "log"), "-w", "start")
        pg(str(bindir / "pg_ctl"), "-D", str(data), "-w", "stop")
        pg(
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(tmp / "log"),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        )
        pg(str(bindir / "createdb"), "-h", str(sock), "-p", str(port), "-U", "motcua", "motcua")
        log(f"throw-away PostgreSQL {bindir.parent.name} on 127.0.0.1:{port} in {tmp}")
        yield f"postgres://motcua:{password}@127.0.0.1:{port}/motcua"
    finally:
        if (data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                pg(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------------------- report


def compare(reference: dict[str, Any], other: dict[str, Any]) -> list[str]:
    """Differences between two result sets (query → total and rows)."""
    problems = []
    mine = {q["query"]: q for q in other["queries"]}
    for q in reference["queries"]:
        o = mine.get(q["query"])
        if o is None:
            problems.append(f"{other['vendor']}: no {q['query']}")
            continue
        if q["total"] != o["total"]:
            problems.append(f"{other['vendor']} {q['query']}: {o['total']} ≠ {q['total']}")
        if q["rows"] != o["rows"]:
            problems.append(f"{other['vendor']} {q['query']}: rows differ")
    return problems


def load_average() -> str:
    """The machine's load average (1, 5, 15 minutes), as `uptime` prints it."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def report(
    results: list[dict[str, Any]], duck: dict[str, Any] | None, loads: tuple[str, str]
) -> None:
    print(f"machine: {machine()}; period {PERIOD} (Decree 09 window 15/12/2024–14/03/2025)")
    print(f"load average at the start: {loads[0]}; at the end of the timings: {loads[1]}")
    for r in results:
        gen = r.get("generate")
        if gen:
            print(
                f"generate: {gen['rows']:,} dossiers in {gen['seconds']:.1f} s "
                f"({gen['rows'] / gen['seconds']:,.0f} rows/s), {r['units']} units"
            )
    for r in [*results, *([duck] if duck else [])]:
        load = r["load"]
        size = f", {r['size_mib']:,.0f} MiB with indexes" if "size_mib" in r else ""
        if load.get("reused"):
            print(f"load {r['vendor']}: {load['rows']:,} rows already loaded (--reuse){size}")
            continue
        print(
            f"load {r['vendor']}: {load['rows']:,} rows in {load['seconds']:.1f} s "
            f"({load['rows'] / load['seconds']:,.0f} rows/s){size}"
        )
    ref = {q["query"]: q["seconds"] for q in duck["queries"]} if duck else {}
    print(f"{'database':<12} {'rows':>10}  {'query':<18} {'seconds':>9} {'× DuckDB':>9}  peak RSS")
    for r in [*results, *([duck] if duck else [])]:
        for q in r["queries"]:
            ratio = f"{q['seconds'] / ref[q['query']]:.1f}" if q["query"] in ref else "—"
            print(
                f"{r['vendor']:<12} {r['load']['rows']:>10,}  {q['query']:<18} "
                f"{q['seconds']:>9.3f} {ratio:>9}  {r['rss_mib']:.0f} MiB"
            )
    for r in results:
        for e in r.get("experiments", []):
            for q in e["queries"]:
                ratio = f"{q['seconds'] / ref[q['query']]:.1f}" if q["query"] in ref else "—"
                print(
                    f"{r['vendor']:<12} + {e['index']}: {q['query']} {q['seconds']:.3f} s "
                    f"(× DuckDB {ratio})"
                )
    for r in results:
        for h in r.get("history", []):
            print(
                f"{r['vendor']}: province {h['period']} {h['seconds']:.3f} s; with "
                f"{EXTRA_YEARS} more years of history before it {h['longer_history']:.3f} s "
                "(same figures)"
            )
    for r in results:
        quarter = {q["query"]: q["seconds"] for q in r["queries"]}
        if "province quarter" in ref:
            print(
                f"{r['vendor']}: province quarter / DuckDB = "
                f"{quarter['province quarter'] / ref['province quarter']:.2f} "
                f"(record level {quarter['province (records)'] / ref['province quarter']:.2f})"
                + (
                    ""
                    if r["load"].get("reused")
                    else f"; load {r['load']['rows'] / r['load']['seconds']:,.0f} rows/s"
                )
            )
    first = results[0]["queries"][0]["total"] if results else {}
    print("province quarter figures: " + ", ".join(f"{k} {v:,}" for k, v in first.items()))
    if results:
        print(f"commune quarter: {results[0]['commune']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=3_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL and DuckDB only")
    parser.add_argument("--experiments", action="store_true", help="time candidate indexes")
    parser.add_argument(
        "--reuse",
        type=Path,
        metavar="WORKDIR",
        help="re-time a database loaded by an earlier --keep run (its work directory)",
    )
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(
            args.child,
            args.workdir,
            args.url,
            args.rows,
            args.runs,
            args.experiments,
            args.reuse is not None,
        )

    load_at_start = load_average()
    reuse = args.reuse is not None
    if reuse:
        workdir = args.reuse
        if not (workdir / "dossiers.tsv").exists():
            parser.error(f"--reuse {workdir}: no dossiers.tsv (a work directory kept by --keep)")
    else:
        workdir = Path(tempfile.mkdtemp(prefix="motcua-stats-bench-", dir="/tmp"))
    log(f"work directory {workdir}; load average {load_at_start}")
    results: list[dict[str, Any]] = []
    status = 0
    try:

        def run_child(vendor: str, url: str | None) -> bool:
            command = [
                sys.executable,
                __file__,
                "--child",
                vendor,
                "--workdir",
                str(workdir),
                "--rows",
                str(args.rows),
                "--runs",
                str(args.runs),
            ]
            if args.experiments:
                command.append("--experiments")
            if reuse:
                command += ["--reuse", str(workdir)]
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            if url:
                command += ["--url", url]
            done = subprocess.run(command, cwd=ROOT, env=env, check=False)
            if done.returncode != 0:
                print(f"{vendor}: FAILED (exit {done.returncode})")
                return False
            results.append(json.loads((workdir / f"{vendor}.json").read_text()))
            return True

        if not args.no_sqlite and not run_child("sqlite", None):
            return 1
        if not args.no_postgres:
            url = postgres_url()
            if url:
                ok = run_child("postgresql", url)
            else:
                with throwaway_postgres() as url:
                    if url is None:
                        print("no PostgreSQL server installed: PostgreSQL part skipped")
                        ok = True
                    else:
                        ok = run_child("postgresql", url)
            if not ok:
                return 1
        scope = results[0]["scope"]
        log("[duckdb] loading and timing")
        duck = duckdb_side(workdir, args.runs, scope)
        report(results, duck, (load_at_start, load_average()))
        problems = [p for r in results[1:] for p in compare(results[0], r)]
        if duck:
            problems += [p for r in results for p in compare(duck, r)]
        for r in results:
            for line in r["plan"].splitlines()[:14]:
                log(f"  plan {r['vendor']}: {line}")
        if problems:
            for p in problems:
                print("FIGURES DIFFER: " + p)
            status = 1
        else:
            agreeing = ", ".join([r["vendor"] for r in results] + (["duckdb"] if duck else []))
            print(f"figures agree ({agreeing})")
        (workdir / "results.json").write_text(
            json.dumps({"results": results, "duckdb": duck}, ensure_ascii=False, indent=1)
        )
    finally:
        if args.keep or reuse:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
