#!/usr/bin/env python3
"""CPU per officer request, in process: the work queue and one dossier page (issue 16 item 8).

    BENCH_DATABASE_URL=postgres://… python bench/request_cpu_bench.py       # 1,000,000 dossiers
    python bench/request_cpu_bench.py --dossiers 100000                      # SQLite, smaller
    python bench/request_cpu_bench.py --profile 'queue /ho-so/'              # where the time goes

Generates the dossiers of `bench/queue_bench.py` once (`_officer_db.prepare`: a PostgreSQL
that already holds them is reused), signs the demo officer `motcua.caolanh` in with Django's
test client and sends each page `--requests` times after a warm-up, measuring
`time.process_time()` around each request: the CPU the web process spends (Python, template
rendering, the driver; not the database server's own work, which runs in another process).
Also prints the wall time, the number of queries and their time. The target is ≤ 25 ms of CPU
per page (docs/performance.md); the figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _data
import _officer_db

OFFICER = "motcua.caolanh"


def pages(sample: str) -> list[tuple[str, str]]:
    """(label, path) of the officer pages measured."""
    return [
        ("queue /ho-so/", "/ho-so/"),
        ("queue tab cua-don-vi", "/ho-so/?tab=cua-don-vi"),
        ("queue tab qua-han page 2", "/ho-so/?tab=qua-han&trang=2"),
        ("queue search (a code)", f"/ho-so/?q={sample}"),
        ("queue htmx tab", "/ho-so/?tab=sap-den-han"),
        ("dossier page", f"/ho-so/{sample}/"),
    ]


def measure(requests: int, sample: str, profile: str) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from motcua.people.models import User

    client = Client()
    client.force_login(User.objects.get(username=OFFICER))
    for label, path in pages(sample):
        headers = {"HX-Request": "true"} if "htmx" in label else {}
        for _ in range(2):  # warm-up: templates, caches, prepared plans
            client.get(path, headers=headers)
        cpu: list[float] = []
        wall: list[float] = []
        sql: list[float] = []
        count = 0
        status = 0
        # CPU and wall are timed without capturing queries: Django's debug cursor (timing,
        # formatting every statement with its parameters) is not part of a production request.
        for _ in range(requests):
            c0, w0 = time.process_time(), time.perf_counter()
            response = client.get(path, headers=headers)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
            status = response.status_code
        for _ in range(3):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                client.get(path, headers=headers)
            count = len(queries)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        print(
            f"{label}: HTTP {status}, CPU {statistics.median(cpu):.1f} ms median "
            f"(min {min(cpu):.1f}), wall {statistics.median(wall):.1f} ms, {count} queries "
            f"({statistics.median(sql):.1f} ms SQL, client side) (n={requests})"
        )
        if profile and profile == label:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(10):
                client.get(path, headers=headers)
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(40)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--fresh", action="store_true", help="regenerate even if present")
    parser.add_argument("--profile", default="", help="cProfile this page label (10 requests)")
    args = parser.parse_args()
    url = _data.postgres_url()
    print(f"machine: {_data.machine()}; load average {os.getloadavg()[0]:.2f}")
    sample, _, _ = _officer_db.prepare(args.dossiers, fresh=args.fresh)
    from django.conf import settings

    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"database {db if url else 'sqlite (scratch)'}, {args.dossiers:,} dossiers")
    measure(args.requests, sample, args.profile)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
