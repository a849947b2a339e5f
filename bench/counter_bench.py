#!/usr/bin/env python3
"""The counter on the demo: page weights and in-process response times of an officer's day.

`bench/counter_bench.py [--requests 30] [--officer motcua.caolanh]` builds the demo province in
a scratch database (SQLite, or the PostgreSQL database of BENCH_DATABASE_URL /
TEST_DATABASE_URL), signs in as a commune desk officer and prints, for the pages a counter
officer opens all day:

- the weight of the walk-in intake page `/ho-so/tiep-nhan/`: its HTML, and the HTML with every
  linked stylesheet and script, both as served and gzip-compressed (what travels over a
  network with compression on); the goal is under 100 KB;
- the time one request takes in process (Django's test client, no network), median and p95
  over `--requests` requests, with the number of queries: the work queue (each tab, and a
  search by name without diacritics), the dossier page of open and finished dossiers, and the
  procedure search of the intake form; the goal is under 300 ms.

Figures only: nothing here asserts a time. docs/performance.md keeps dated runs.
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import time
from pathlib import Path
from typing import Any

import _data

ASSET_RE = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')


def _weights(client: Any, path: str) -> tuple[int, int, int, int]:
    """(HTML bytes, HTML gzip bytes, HTML + assets bytes, HTML + assets gzip bytes)."""
    from django.contrib.staticfiles import finders

    html = client.get(path).content
    total, total_gz = len(html), len(gzip.compress(html))
    for url in sorted(set(ASSET_RE.findall(html.decode()))):
        found = finders.find(url.removeprefix("/static/").split("?")[0])
        if found:
            data = Path(found).read_bytes()
            total += len(data)
            total_gz += len(gzip.compress(data))
    return len(html), len(gzip.compress(html)), total, total_gz


def _timed(client: Any, path: str, requests: int) -> tuple[int, float, float, int, int]:
    """(status, median ms, p95 ms, queries, bytes) of `requests` GETs of `path`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm-up (template and URL caches)
    times = []
    queries = 0
    status = size = 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
        queries, status, size = len(captured), response.status_code, len(response.content)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return status, statistics.median(times), p95, queries, size


def main() -> int:
    """Build the demo, sign in, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--officer", default="motcua.caolanh")
    args = parser.parse_args()

    url = _data.postgres_url()
    _data.scratch_database(url)
    print(f"machine: {_data.machine()}; database {'postgresql' if url else 'sqlite'}")
    import io

    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("demo", stdout=io.StringIO())  # as `make run` does: units, users, dossiers
    print(f"demo built in {time.perf_counter() - t0:.1f} s")

    from django.test import Client

    from motcua.dossiers.choices import State
    from motcua.dossiers.models import Dossier
    from motcua.people.models import User

    officer = User.objects.get(username=args.officer)
    client = Client()
    client.force_login(officer)
    mine = Dossier.objects.visible_to(officer)
    print(f"officer {officer.username}: {mine.count():,} dossiers in scope")

    html, html_gz, total, total_gz = _weights(client, "/ho-so/tiep-nhan/")
    print(
        f"intake page /ho-so/tiep-nhan/: HTML {html / 1024:.1f} KB "
        f"({html_gz / 1024:.1f} KB gzip); with its CSS and JS {total / 1024:.1f} KB "
        f"({total_gz / 1024:.1f} KB gzip); goal < 100 KB"
    )

    open_one = mine.filter(state=State.IN_PROGRESS).order_by("statutory_due").first()
    done_one = mine.filter(state=State.RETURNED).order_by("-returned_at").first()
    name = (open_one or done_one).applicant_name.split()[-1] if (open_one or done_one) else "a"
    from motcua.lib.vntext import fold

    pages = [
        ("queue, default tab", "/ho-so/"),
        ("queue, overdue tab", "/ho-so/?tab=qua-han"),
        ("queue, due soon tab", "/ho-so/?tab=sap-den-han"),
        ("queue, search by name (no diacritics)", f"/ho-so/?q={fold(name)}"),
        ("intake page", "/ho-so/tiep-nhan/"),
        ("intake procedure search 'khai sinh'", "/ho-so/tiep-nhan/thu-tuc/?q=khai+sinh"),
    ]
    for label, dossier in (
        ("dossier page (open)", open_one),
        ("dossier page (returned)", done_one),
    ):
        if dossier is not None:
            pages.append((label, f"/ho-so/{dossier.code}/"))
    print(f"{'page':<42} {'HTTP':>4} {'median':>8} {'p95':>8} {'queries':>7} {'KB':>7}")
    for label, path in pages:
        status, median, p95, queries, size = _timed(client, path, args.requests)
        print(
            f"{label:<42} {status:>4} {median:>6.0f}ms {p95:>6.0f}ms {queries:>7} "
            f"{size / 1024:>7.1f}"
        )
    print("goal: dossier page and queue under 300 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
