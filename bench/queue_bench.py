#!/usr/bin/env python3
"""A commune officer's work queue and one dossier page at 1,000,000 dossiers, 20 clients.

    python bench/queue_bench.py                      # 1,000,000 dossiers, SQLite
    python bench/queue_bench.py --dossiers 200000    # smaller
    BENCH_DATABASE_URL=postgres://… python bench/queue_bench.py   # PostgreSQL

1. Bulk-generates the dossiers straight into a fresh database (the demo province, the
   catalogue, receipts 2024-01 → 2026-11 spread over every commune and the provincial centre;
   about 1.5% at the demo officer's commune, Phường Cao Lãnh; ~8% still open), then ANALYZE.
2. Starts the real application with `motcua serve` on 127.0.0.1 and a free port: Django's
   threaded development server, or with `--workers N` gunicorn with N worker processes (the
   production server, docs/decisions/0001-gunicorn.md).
3. Logs in as `motcua.caolanh` (password `motcua-demo`, docs/demo.md) and sends, from 20
   threads, 50 requests each (bounded by --seconds per endpoint) to the queue `/ho-so/` and to
   one dossier page `/ho-so/<code>/`. Prints p50/p95/p99 latency and throughput.

The goal is p95 ≤ 150 ms; whatever comes out is printed as is. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _data

OFFICER = "motcua.caolanh"
PASSWORD = "motcua-demo"  # published demo password (docs/demo.md)
HOME_UNIT = "DT.29869"  # Phường Cao Lãnh; its desk is DT.29869.TTPV


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def generate(count: int, seed: int = _data.SEED) -> tuple[str, float]:
    """Insert `count` dossiers directly (no clock walk per row); return a code and seconds."""
    from django.db import connection, transaction
    from django.utils import timezone

    from motcua.dossiers.choices import rule_version_on
    from motcua.dossiers.importers import BulkInsert
    from motcua.dossiers.models import Dossier, DossierEvent
    from motcua.procedures.models import Procedure
    from motcua.procedures.services import current_version
    from motcua.units.models import Unit
    from motcua.workcalendar.engine import TZ

    started = time.perf_counter()
    rng = random.Random(seed)
    reform = dt.date(2025, 7, 1)
    procs = [
        (p, current_version(p).pk) for p in Procedure.objects.filter(published=True).order_by("pk")
    ]
    commune_procs = [x for x in procs if x[0].level == "commune"] or procs
    province_procs = [x for x in procs if x[0].level != "commune"] or procs

    def places(day: dt.date) -> list[tuple[Unit, Unit, bool]]:
        units = {u.code: u for u in Unit.objects.valid_on(day)}
        result = []
        for unit in units.values():
            if unit.level == "commune":
                desk = units.get(f"{unit.code}.TTPV", unit) if day >= reform else unit
                result.append((desk, unit, True))
            elif unit.level == "department" and "DT.HCC" in units:
                result.append((units["DT.HCC"], unit, False))
        return result

    before, after = places(reform - dt.timedelta(days=1)), places(reform)
    home = [p for p in after if p[1].code == HOME_UNIT]
    first = dt.datetime(2024, 1, 2, tzinfo=TZ)
    span = (dt.datetime(2026, 11, 20, tzinfo=TZ) - first).days
    now = timezone.now()
    insert = BulkInsert(Dossier, now=now)
    sequences: dict[tuple[int, str], int] = {}
    sample = ""
    chunk: list[dict[str, object]] = []

    def flush() -> None:
        with transaction.atomic():
            insert.run(chunk)
        chunk.clear()

    for n in range(count):
        received = first + dt.timedelta(
            days=rng.randrange(span), minutes=rng.randrange(7 * 60, 17 * 60)
        )
        day = received.date()
        if day >= reform and home and rng.random() < 0.015:
            desk, unit, commune = home[0]
        else:
            desk, unit, commune = rng.choice(after if day >= reform else before)
        procedure, version = rng.choice(commune_procs if commune else province_procs)
        key = (desk.pk, f"{day:%y%m%d}")
        sequences[key] = sequences.get(key, 0) + 1
        code = f"{desk.code}-{key[1]}-{sequences[key]:04d}"
        due = received + dt.timedelta(days=rng.choice((1, 3, 5, 7, 10, 15, 21)))
        age = (dt.datetime(2026, 11, 20, tzinfo=TZ) - received).days
        open_ = age < 20 or rng.random() < 0.02
        finished = None if open_ else received + dt.timedelta(hours=rng.randrange(2, 24 * 20))
        state = "in_progress" if open_ else rng.choices(("returned", "refused"), (97, 3))[0]
        if open_ and unit.code == HOME_UNIT and not sample:
            sample = code
        chunk.append(
            {
                "code": code,
                "procedure_id": procedure.pk,
                "procedure_version_id": version,
                "field_id": procedure.field_id,
                "time_limit_amount": procedure.time_limit_amount,
                "time_limit_unit": procedure.time_limit_unit,
                "same_day_cutoff": procedure.same_day_cutoff,
                "rule_version": rule_version_on(day),
                "state": state,
                "channel": rng.choices(("online", "direct", "postal"), (50, 44, 6))[0],
                "receiving_unit_id": desk.pk,
                "competent_unit_id": unit.pk,
                "current_unit_id": unit.pk,
                "applicant_name": f"Người nộp số {n}",
                "applicant_phone": f"09{rng.randrange(10**8):08d}",
                "submitted_at": received,
                "received_at": received,
                "finished_at": finished,
                "returned_at": finished if state == "returned" else None,
                "statutory_due": due,
                "promised_due": due,
            }
        )
        if len(chunk) >= 20_000:
            flush()
    if chunk:
        flush()
    if sample:
        dossier = Dossier.objects.get(code=sample)
        DossierEvent.objects.bulk_create(
            DossierEvent(
                dossier=dossier,
                kind=kind,
                at=dossier.received_at,
                actor_name="bench",
                unit_id=dossier.receiving_unit_id,
                to_state=to,
            )
            for kind, to in (
                ("dossier.received", "received"),
                ("dossier.transferred", "in_progress"),
            )
        )
    with connection.cursor() as cursor:
        # The control slip as transfers leave it: a step at the desk, one at the deciding unit,
        # and for one dossier in ten a step at the unit above the desk (an appraisal), which
        # widens who may see the dossier (`StepRecord.widens_scope`): 2.1 steps a dossier.
        for order, name, unit, every in STEPS:
            # The constants of STEPS only, no input:
            sql = (
                "INSERT INTO dossiers_steprecord"  # noqa: S608
                ' ("order", name, started_at, ended_at, note, dossier_id, unit_id, widens_scope)'
                f" SELECT {order}, %s, d.received_at, NULL, '', d.id, {unit},"
                f" {unit} NOT IN (d.receiving_unit_id, d.competent_unit_id)"
                " FROM dossiers_dossier d JOIN units_unit u ON u.id = d.receiving_unit_id"
                f" WHERE d.received_at IS NOT NULL AND d.id %% {every} = 0"
            )
            cursor.execute(sql, [name])
        cursor.execute("ANALYZE")
    return sample, time.perf_counter() - started


STEPS = (  # (order, name, unit column, one dossier in …)
    (1, "Tiếp nhận hồ sơ", "d.receiving_unit_id", 1),
    (2, "Giải quyết hồ sơ", "d.competent_unit_id", 1),
    (3, "Thẩm định", "COALESCE(u.parent_id, d.receiving_unit_id)", 10),
)


class Client:
    """A logged-in HTTP client (its own cookie jar) for 127.0.0.1."""

    def __init__(self, base: str, cookies: http.cookiejar.CookieJar) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()


def login(base: str) -> http.cookiejar.CookieJar:
    """Sign in through the real login form; return the session cookies."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/dang-nhap/", timeout=30) as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the login page"
    form = urllib.parse.urlencode(
        {"username": OFFICER, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 — http://127.0.0.1 only
        base + "/dang-nhap/", data=form, headers={"Referer": base + "/dang-nhap/"}
    )
    with opener.open(request, timeout=30) as response:
        response.read()
    if not any(c.name == "sessionid" for c in jar):
        raise SystemExit("login failed: no session cookie (wrong password or form?)")
    return jar


def hammer(
    base: str, jar: http.cookiejar.CookieJar, path: str, threads: int, each: int, seconds: float
) -> dict[str, float]:
    """`threads` clients × `each` GETs of `path` (stops at `seconds`); latency percentiles."""
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        client = Client(base, jar)
        for _ in range(each):
            if time.monotonic() > deadline:
                return
            t0 = time.perf_counter()
            status, _ = client.get(path)
            elapsed = time.perf_counter() - t0
            with lock:
                (latencies if status == 200 else failures).append(
                    elapsed if status == 200 else status
                )

    Client(base, jar).get(path)  # warm-up: templates, first queries
    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - started
    if not latencies:
        return {"n": 0, "failures": len(failures)}
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "n": len(latencies),
        "failures": len(failures),
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "p99": q[98] * 1000,
        "rps": len(latencies) / wall,
    }


def profile(sample: str) -> None:
    """In-process look at one request of each page: queries and their database time."""
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    from motcua.people.models import User

    client = TestClient()
    client.force_login(User.objects.get(username=OFFICER))
    for label, path in (("queue /ho-so/", "/ho-so/"), ("dossier page", f"/ho-so/{sample}/")):
        client.get(path)  # warm-up
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - t0) * 1000
        sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        slowest = max(queries.captured_queries, key=lambda q: float(q["time"]), default=None)
        print(
            f"{label} one request in-process: HTTP {response.status_code}, {elapsed:.0f} ms, "
            f"{len(queries)} queries, {sql:.0f} ms in SQL"
            + (f" (slowest {float(slowest['time']) * 1000:.0f} ms)" if slowest else "")
        )
        if slowest and float(slowest["time"]) > 0.05:
            print(f"  slowest SQL: {slowest['sql'][:400]}")


def main() -> int:
    """Build the database, serve it, measure, stop the server."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50, help="per thread and endpoint")
    parser.add_argument("--seconds", type=float, default=240, help="bound per endpoint")
    parser.add_argument(
        "--workers", type=int, default=0, help="gunicorn worker processes (0: development server)"
    )
    args = parser.parse_args()

    url = _data.postgres_url()
    workdir = _data.scratch_database(url)
    db = "postgresql" if url else "sqlite"
    print(f"machine: {_data.machine()}; database {db}")
    _data.ensure_demo()
    print(f"catalogue: {_data.ensure_procedures()}")
    sample, seconds = generate(args.dossiers)
    print(f"generated {args.dossiers:,} dossiers in {seconds:.1f} s (dossier page: {sample})")

    profile(sample)
    port = _free_port()
    env = dict(os.environ)
    env.pop("MOTCUA_DEBUG", None)
    serve = ["serve", "--dev", "--host", "127.0.0.1", "--port", str(port)]
    serve += ["--workers", str(args.workers)]
    server_name = f"gunicorn, {args.workers} workers" if args.workers else "runserver"
    print(f"server: {server_name}")
    server = subprocess.Popen(
        [sys.executable, "-m", "motcua.cli", *serve],
        cwd=_data.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "server.log", "w"),  # noqa: SIM115 — closed with the process
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        jar = login(base)
        status, _ = Client(base, jar).get("/ho-so/")
        targets = [("queue /ho-so/", "/ho-so/"), ("dossier page", f"/ho-so/{sample}/")]
        if status != 200:
            print(f"/ho-so/ answered {status}: measuring the API list instead")
            targets = [
                ("api list", "/api/v1/dossiers/"),
                ("api detail", f"/api/v1/dossiers/{sample}/"),
            ]
        for label, path in targets:
            # One client first (the server's own latency), then the concurrent load.
            for threads, each in ((1, 20), (args.threads, args.requests)):
                r = hammer(base, jar, path, threads, each, args.seconds)
                if not r["n"]:
                    print(f"{label} db={db}: all {r['failures']:.0f} requests failed")
                    continue
                print(
                    f"{label} db={db} dossiers={args.dossiers:,} clients={threads}: "
                    f"p50 {r['p50']:.0f} ms, p95 {r['p95']:.0f} ms, p99 {r['p99']:.0f} ms, "
                    f"{r['rps']:.1f} req/s (n={r['n']:.0f}, failed {r['failures']:.0f})"
                )
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
