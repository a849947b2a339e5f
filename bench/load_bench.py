#!/usr/bin/env python3
"""Open-loop load of mixed officer traffic on two gunicorn workers (issue 16 item 8).

    BENCH_DATABASE_URL=postgres://… python bench/load_bench.py  # 40 req/s, 60 s, 10 users
    BENCH_DATABASE_URL=postgres://… python bench/load_bench.py --rate 20 --seconds 30
    … --conn-max-age 0     # a connection per request, to compare

1. The database of `bench/request_cpu_bench.py` (1,000,000 dossiers, `_officer_db.prepare`:
   reused when present, else generated).
2. `motcua serve --workers 2` (gunicorn, two worker processes) on 127.0.0.1 and a free port,
   with persistent connections (`MOTCUA_DB_CONN_MAX_AGE`, production's default 60 s).
3. Signs the demo officer `motcua.caolanh` in through the login form, then runs Locust headless
   (`bench/_load_locustfile.py`) with rate × pacing users, each starting one request every
   `--pacing` seconds whatever the answers (open loop while answers take less than that):
   the queue and its tabs (full pages and HTMX fragments), dossier pages, the receipt form and
   its procedure search, and POSTs by which a specialist of the commune (`congchuc.caolanh`)
   takes an unassigned dossier (one write each); `--search-weight N` adds queue searches.
   Taken dossiers stay taken: a run at 40 req/s for 60 s uses ~200 of the ~700 unassigned
   ones, so regenerate (`--fresh`) after a few runs.
4. Prints the achieved rate, p50/p95/p99 and errors, overall and per kind of request, with the
   machine's load average before and after. Target: p95 ≤ 150 ms, p99 ≤ 300 ms, no error;
   figures are printed as they come, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _data
import _officer_db
import queue_bench

HOME_UNIT = queue_bench.HOME_UNIT
OFFICER = queue_bench.OFFICER
SERVE = [sys.executable, "-m", "motcua.cli", "serve", "--dev", "--host", "127.0.0.1"]
TAKER = "congchuc.caolanh"  # a specialist of Phường Cao Lãnh (docs/demo.md)


def open_codes(limit: int = 3000) -> list[str]:
    """Open, unassigned dossiers held by the officer's commune."""
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.selectors import WORKING_STATES

    return list(
        Dossier.objects.filter(
            current_unit__code=HOME_UNIT, state__in=WORKING_STATES, assignee__isnull=True
        )
        .order_by("-received_at")
        .values_list("code", flat=True)[:limit]
    )


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not listen on {port} within {seconds:.0f} s")


def _cpu_seconds(pid: str) -> float:
    """User + system CPU seconds of one process so far (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_by_side(server_pid: int, database: str) -> dict[str, float]:
    """CPU seconds so far of the server's worker processes and of the database's backends.

    Backends are recognised by their process title (`postgres: user database host …`), so
    only on this machine; a backend or worker that ended meanwhile is not counted.
    """
    sides = {"server": 0.0, "database": 0.0}
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == server_pid:
            sides["server"] += _cpu_seconds(pid)
        elif title.startswith("postgres:") and f" {database} " in title:
            sides["database"] += _cpu_seconds(pid)
    return sides


def report(prefix: Path, seconds: float) -> int:
    """Print Locust's CSV statistics (per request kind, then the aggregate); return the count."""
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in sorted(rows, key=lambda r: r["Name"] == "Aggregated"):
        count = int(row["Request Count"])
        if not count:
            continue
        label = "ALL" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        print(
            f"  {label}: {count / seconds:.1f} req/s (n={count}), p50 {row['50%']} ms, "
            f"p95 {row['95%']} ms, p99 {row['99%']} ms, max {float(row['Max Response Time']):.0f}"
            f" ms, errors {row['Failure Count']}"
        )
    total = next((int(r["Request Count"]) for r in rows if r["Name"] == "Aggregated"), 0)
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        lines = failures.read_text().splitlines()[1:6]
        for line in lines:
            print(f"  failure: {line[:200]}")
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--rate", type=float, default=40, help="requests a second (open loop)")
    parser.add_argument(
        "--pacing",
        type=float,
        default=0.25,
        help="seconds between two requests of a user (with 2 s, Locust's 80 users send in "
        "step: docs/performance.md)",
    )
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--conn-max-age", type=int, default=60)
    parser.add_argument("--fresh", action="store_true", help="regenerate even if present")
    parser.add_argument(
        "--search-weight",
        type=int,
        default=0,
        help="share of queue searches (0 by default: on PostgreSQL a search scans the officer's "
        "scope without a trigram index, seconds a request at 1,000,000 dossiers)",
    )
    args = parser.parse_args()
    print(f"machine: {_data.machine()}")
    _sample, workdir, _ = _officer_db.prepare(args.dossiers, fresh=args.fresh)
    codes = open_codes()
    if not codes:
        raise SystemExit("no open dossier of the officer's commune: regenerate (--fresh)")
    codes_file = workdir / "codes.txt"
    codes_file.write_text("\n".join(codes))
    port = queue_bench._free_port()
    env = {k: v for k, v in os.environ.items() if k != "MOTCUA_DEBUG"}
    env["MOTCUA_DB_CONN_MAX_AGE"] = str(args.conn_max_age)
    server = subprocess.Popen(
        [*SERVE, "--port", str(port), "--workers", str(args.workers)],
        cwd=_data.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "server.log", "w"),  # noqa: SIM115 — closed with the process
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(port)
        jar = queue_bench.login(base)
        cookies = {c.name: c.value for c in jar}
        # The desk officer receives; a specialist of the commune takes dossiers (docs/demo.md).
        queue_bench.OFFICER = TAKER
        taker = {c.name: c.value for c in queue_bench.login(base)}
        queue_bench.OFFICER = OFFICER
        client = queue_bench.Client(base, jar)
        for path in ("/ho-so/", f"/ho-so/{codes[0]}/", "/ho-so/tiep-nhan/") * 3:
            client.get(path)  # warm-up of both workers: templates, caches, connections
        users = max(1, round(args.rate * args.pacing))
        prefix = Path(tempfile.mkdtemp(prefix="motcua-load-")) / "load"
        load_env = dict(
            os.environ,
            LOAD_COOKIE="; ".join(f"{k}={v}" for k, v in cookies.items()),
            LOAD_CSRF=taker.get("csrftoken", ""),
            LOAD_TAKER_COOKIE="; ".join(f"{k}={v}" for k, v in taker.items()),
            LOAD_SEARCH=str(args.search_weight),
            LOAD_CODES=str(codes_file),
            LOAD_PACING=str(args.pacing),
        )
        before = os.getloadavg()
        print(
            f"server: gunicorn, {args.workers} workers, CONN_MAX_AGE {args.conn_max_age}; "
            f"load: {users} users × 1 request / {args.pacing:g} s = {args.rate:g} req/s "
            f"for {args.seconds} s; load average before {before[0]:.2f} {before[1]:.2f}"
        )
        database = _data.postgres_url() or ""
        before_cpu = cpu_by_side(server.pid, database.rsplit("/", 1)[-1].split("?")[0])
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(Path(__file__).with_name("_load_locustfile.py")),
                "--headless",
                "--host",
                base,
                "-u",
                str(users),
                # Users start over one pacing period (and each at a random moment of it,
                # _load_locustfile.py), so that requests arrive evenly, not in bursts.
                "-r",
                f"{users / args.pacing:g}",
                "-t",
                f"{args.seconds}s",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--stop-timeout",
                "5",
            ],
            cwd=_data.ROOT,
            env=load_env,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        elapsed = time.monotonic() - started
        after_cpu = cpu_by_side(server.pid, database.rsplit("/", 1)[-1].split("?")[0])
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        after = os.getloadavg()
        print(
            f"open-loop {args.rate:g} req/s target, 1,000,000-dossier database: "
            f"load average after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}"
        )
        served = report(prefix, min(elapsed, args.seconds))
        locust = (children_after.ru_utime + children_after.ru_stime) - (
            children_before.ru_utime + children_before.ru_stime
        )
        if served:
            per = {k: (after_cpu[k] - before_cpu[k]) / served * 1000 for k in after_cpu}
            per["load generator"] = locust / served * 1000
            print(
                "  CPU per request: "
                + ", ".join(f"{k} {v:.1f} ms" for k, v in per.items())
                + f"; together {sum(per.values()):.1f} ms, so {os.cpu_count()} cores serve at "
                f"most ~{os.cpu_count() * 1000 / sum(per.values()):.0f} requests a second"
            )
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
