#!/usr/bin/env python3
"""Import N legacy dossiers (`motcua import dossiers`) into a fresh database and time it.

    python bench/import_bench.py                 # 1,000,000 rows on SQLite (a few minutes)
    python bench/import_bench.py --rows 100000   # smaller
    BENCH_DATABASE_URL=postgres://… python bench/import_bench.py   # also on PostgreSQL

Prints rows, seconds, rows/s and the peak RSS of the importing process, then re-imports the
same file to show that nothing changes. Each database gets its own subprocess so that peak
memory is measured per run. See docs/performance.md ("Import").
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _data


def _child(args: argparse.Namespace) -> int:
    """Run in a subprocess: build the database, import the file twice, print one JSON line."""
    workdir = Path(args.workdir)
    _data.scratch_database(args.database or None, workdir=workdir)
    _data.ensure_demo()
    catalogue = _data.ensure_procedures()
    from motcua.dossiers.importers import import_dossiers
    from motcua.dossiers.models import Dossier, DossierEvent

    before = _data.peak_rss_mib()
    progress = sys.stderr if args.progress else None
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    first = import_dossiers(args.csv, progress=progress)
    seconds = time.perf_counter() - started
    load_after = os.getloadavg()[0]
    # the importer's own peak; on PostgreSQL a forked child checks the file (its peak apart)
    peak = _data.peak_rss_mib()
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    started = time.perf_counter()
    second = import_dossiers(args.csv, progress=progress)
    again = time.perf_counter() - started
    print(
        json.dumps(
            {
                "catalogue": catalogue,
                "first": str(first),
                "second": str(second),
                "seconds": seconds,
                "again": again,
                "rss_before": before,
                "rss_peak": peak,
                "rss_child_peak": child_peak,
                "load": [load_before, load_after],
                "checked_in_bulk": first.checked_in_bulk,
                "dossiers": Dossier.objects.count(),
                "events": DossierEvent.objects.count(),
                "created": first.created,
                "unchanged_again": second.unchanged,
                "computed": first.due_computed,
            }
        )
    )
    return 0


def main() -> int:
    """Generate the file, import it on SQLite (and PostgreSQL if configured), print figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--progress", action="store_true", help="progress bars on stderr")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--database", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(args)

    workdir = Path(tempfile.mkdtemp(prefix="motcua-import-bench-"))
    print(f"machine: {_data.machine()}")
    # The generator needs the demo units and the catalogue: build them in a throw-away file.
    gen = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, 'bench'); import _data, pathlib; "
            f"_data.scratch_database(workdir=pathlib.Path({str(workdir / 'gen')!r})); "
            "_data.ensure_demo(); _data.ensure_procedures(); "
            f"_data.write_dossier_csv(pathlib.Path({str(workdir / 'dossiers.csv')!r}), "
            f"{args.rows})",
        ],
        check=False,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
    )
    if gen.returncode:
        return gen.returncode
    path = workdir / "dossiers.csv"
    size = path.stat().st_size / 2**20
    print(f"file: {args.rows:,} rows requested, {size:.0f} MiB ({path})")
    targets = [("sqlite", "")]
    if _data.postgres_url():
        targets.append(("postgresql", _data.postgres_url() or ""))
    if args.only:
        targets = [t for t in targets if t[0] == args.only]
    status = 0
    for name, url in targets:
        child_dir = workdir / name
        child_dir.mkdir()
        cmd = [
            sys.executable,
            __file__,
            "--child",
            "--csv",
            str(path),
            "--workdir",
            str(child_dir),
            "--database",
            url,
        ]
        if args.progress:
            cmd.append("--progress")
        run = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if run.returncode:
            sys.stderr.write(run.stderr)
            status = 1
            continue
        if args.progress:
            sys.stderr.write(run.stderr)
        figures = json.loads(run.stdout.strip().splitlines()[-1])
        rows = figures["created"]
        print(f"{name}: catalogue {figures['catalogue']}")
        child = figures["rss_child_peak"]
        print(
            f"import_dossiers db={name} rows={rows:,}: {figures['seconds']:.1f} s, "
            f"{rows / figures['seconds']:,.0f} rows/s, peak RSS {figures['rss_peak']:.0f} MiB "
            f"(before import {figures['rss_before']:.0f} MiB"
            + (f"; checking child {child:.0f} MiB" if child else "")
            + f"); {figures['computed']:,} due instants computed; foreign keys checked "
            + ("once per load" if figures["checked_in_bulk"] else "per row")
            + f"; load average {figures['load'][0]:.2f} → {figures['load'][1]:.2f}"
        )
        print(
            f"reimport_dossiers db={name} rows={rows:,}: {figures['again']:.1f} s, "
            f"{figures['unchanged_again']:,} unchanged; database holds "
            f"{figures['dossiers']:,} dossiers, {figures['events']:,} events"
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
