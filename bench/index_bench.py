"""The Decision 766 index at province scale: a province's month by unit on SQLite and PostgreSQL.

Generates the same history as `bench/stats_bench.py` (the demo province, ~1,000 units, three
years of dossiers; its generator, loaders and throw-away PostgreSQL are reused), then times,
warm, best of N:

  province month by unit   compute_index("DT", 2026-M08 calendar, by_unit=True)
  province month           compute_index("DT", 2026-M08 calendar)

and counts the SQL queries of one computation (a fixed number: one grouped query per
indicator family, whatever the number of units). The `progress.on_time` figures of both
databases must agree, or the benchmark fails.

    python bench/index_bench.py                       # 300,000 rows, 3 runs
    python bench/index_bench.py --rows 3000000        # the size of the issue's target
    python bench/index_bench.py --no-postgres
    python bench/index_bench.py --no-sqlite --rows 1000000

PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (its `public` schema is dropped), else a
throw-away PostgreSQL 15 cluster on 127.0.0.1, removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
for entry in (str(BENCH_DIR), str(ROOT)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

import stats_bench  # noqa: E402
from _data import machine, peak_rss_mib, postgres_url  # noqa: E402
from stats_bench import (  # noqa: E402
    best_of,
    load_postgres,
    load_sqlite,
    log,
    prepare_tree,
    throwaway_postgres,
    write_history,
)

PERIOD = "2026-M08"
PROVINCE = "DT"

# Dossier columns added after stats_bench's generator was written (NOT NULL, no database
# default): the generated rows get their model defaults ('0' is false for both databases).
EXTRA = {
    "delivery": "",
    "postal_consignment": "",
    "search_text": "",
    "clock_start_event": "",
    "time_limit_extension_reason": "",
    "fee_detail": "{}",
    "identity_source": "",
    "edata_linked": "0",
}
_generate = stats_bench.generate_history


def _with_extra(facts: dict[str, Any], rows: int, seed: int = stats_bench.SEED) -> Any:
    extra = tuple(EXTRA[c] for c in EXTRA if c not in _BASE)
    for row in _generate(facts, rows, seed):
        yield (*row, *extra)


_BASE = stats_bench.COLUMNS
stats_bench.COLUMNS = (*_BASE, *(c for c in EXTRA if c not in _BASE))
stats_bench.generate_history = _with_extra


def time_index(runs: int) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.index766.engine import compute_index
    from motcua.lib.periods import parse_period

    period = parse_period(PERIOD, calendar=True)
    results = []
    for name, by_unit in (("province month by unit", True), ("province month", False)):
        seconds, result = best_of(
            runs, lambda b=by_unit: compute_index(PROVINCE, period, by_unit=b)
        )
        with CaptureQueriesContext(connection) as queries:
            compute_index(PROVINCE, period, by_unit=by_unit)
        on_time = result.total.indicator("progress.on_time")
        slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
        for q in slowest:
            log(f"    {float(q['time']):.3f} s  {q['sql'][:110]}")
        results.append(
            {
                "query": name,
                "seconds": seconds,
                "queries": len(queries),
                "rows": len(result.rows),
                "on_time": [on_time.numerator, on_time.denominator],
                "points": result.total.points,
                "row_on_time": {
                    r.code: [
                        r.card.indicator("progress.on_time").numerator,
                        r.card.indicator("progress.on_time").denominator,
                    ]
                    for r in result.rows
                },
            }
        )
        log(f"  {name}: {seconds:.3f} s, {len(queries)} queries, {len(result.rows)} rows")
    return results


def child(vendor: str, workdir: Path, url: str | None, rows: int, runs: int) -> int:
    from _data import scratch_database

    sqlite_dir = workdir / "sqlite"
    scratch_database(url, workdir=sqlite_dir if url is None else workdir / "pg-var")
    log(f"[{vendor}] building the demo tree and catalogue")
    facts = prepare_tree()
    data = workdir / "dossiers.tsv"
    if not data.exists():
        log(f"[{vendor}] generating {rows:,} dossiers")
        write_history(data, facts, rows)
    count, seconds = load_sqlite(data) if vendor == "sqlite" else load_postgres(data)
    log(f"[{vendor}] loaded {count:,} rows in {seconds:.1f} s; timing (best of {runs}, warm)")
    out = {"vendor": vendor, "rows": count, "units": facts["units"], "queries": time_index(runs)}
    out["rss_mib"] = peak_rss_mib()
    (workdir / f"{vendor}.json").write_text(json.dumps(out, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.workdir, args.url, args.rows, args.runs)

    workdir = Path(tempfile.mkdtemp(prefix="motcua-index-bench-", dir="/tmp"))
    results: list[dict[str, Any]] = []
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    try:

        def run_child(vendor: str, url: str | None) -> bool:
            command = [sys.executable, __file__, "--child", vendor, "--workdir", str(workdir)]
            command += ["--rows", str(args.rows), "--runs", str(args.runs)]
            if url:
                command += ["--url", url]
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
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
                    ok = True if url is None else run_child("postgresql", url)
                    if url is None:
                        print("no PostgreSQL server installed: PostgreSQL part skipped")
            if not ok:
                return 1
        print(f"{started}; machine: {machine()}; period {PERIOD} (calendar 01/08–31/08/2026)")
        for r in results:
            for q in r["queries"]:
                print(
                    f"{r['vendor']:<11} {r['rows']:>10,} dossiers  {q['query']:<23} "
                    f"{q['seconds']:>7.3f} s  {q['queries']:>3} queries  {q['rows']:>4} rows  "
                    f"on time {q['on_time'][0]:,}/{q['on_time'][1]:,}  "
                    f"peak RSS {r['rss_mib']:.0f} MiB"
                )
        differ = [
            r["vendor"]
            for r in results[1:]
            if [(q["on_time"], q["row_on_time"]) for q in r["queries"]]
            != [(q["on_time"], q["row_on_time"]) for q in results[0]["queries"]]
        ]
        if differ:
            print("FIGURES DIFFER: " + ", ".join(differ))
            return 1
        print("figures agree (" + ", ".join(r["vendor"] for r in results) + ")")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
