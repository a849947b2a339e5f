#!/usr/bin/env python3
"""Procedure search on the whole national catalogue: matches, queries and time per search.

`bench/search_bench.py [--requests 20]` imports every file of
`../shared/data/tthc-catalogue-dvcqg` (2,642 procedures) into a scratch database (SQLite, or the
PostgreSQL database of BENCH_DATABASE_URL / TEST_DATABASE_URL), publishes the province's
procedures (not the reference ones) and prints, for a few searches from narrow to broad: the
number of matches, the time of `rank_procedures` over the whole catalogue, and the portal page
`/thu-tuc/?q=` in process (Django's test client): status, median and p95, queries.

Figures only: nothing here asserts a time. docs/performance.md keeps dated runs.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from pathlib import Path

import _data

DATA = _data.ROOT.parent / "shared" / "data" / "tthc-catalogue-dvcqg"
SEARCHES = ["cap ban sao", "khai sinh", "dang ky kinh doanh", "giay phep", "dang ky", "cap"]


def _median_p95(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def main() -> int:
    """Import, publish, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"{args.data} missing: clone shared/ beside the repository")
        return 1

    url = _data.postgres_url()
    _data.scratch_database(url)
    print(f"machine: {_data.machine()}; database {'postgresql' if url else 'sqlite'}")
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from motcua.procedures.models import Procedure
    from motcua.procedures.search import rank_procedures

    t0 = time.perf_counter()
    call_command("import", "catalogue", str(args.data), stdout=io.StringIO())
    Procedure.objects.filter(is_reference=False).update(published=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE procedures_procedure")
    total = Procedure.objects.count()
    print(f"catalogue imported in {time.perf_counter() - t0:.1f} s: {total:,} procedures")

    client = Client()
    print(
        f"{'search':<22} {'matches':>7} {'rank all':>9} {'portal':>5} {'median':>8} "
        f"{'p95':>8} {'queries':>7}"
    )
    for text in SEARCHES:
        rank_times = []
        for _ in range(args.requests):
            t1 = time.perf_counter()
            matches = len(rank_procedures(Procedure.objects.all(), text))
            rank_times.append((time.perf_counter() - t1) * 1000)
        path = "/thu-tuc/?q=" + text.replace(" ", "+")
        client.get(path)  # warm-up
        times = []
        status = queries = 0
        for _ in range(args.requests):
            with CaptureQueriesContext(connection) as captured:
                t1 = time.perf_counter()
                status = client.get(path).status_code
                times.append((time.perf_counter() - t1) * 1000)
            queries = len(captured)
        median, p95 = _median_p95(times)
        print(
            f"{text:<22} {matches:>7} {statistics.median(rank_times):>7.0f}ms {status:>5} "
            f"{median:>6.0f}ms {p95:>6.0f}ms {queries:>7}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
