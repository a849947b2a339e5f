#!/usr/bin/env python3
"""Start-up of the `motcua` command (issue 16 item 8: under 0.5 s).

    python bench/startup_bench.py [--runs 5]

Runs `motcua --help`, `motcua stats dossiers --help` and `motcua idempotency forget-expired`
(a real command: Django set up, the database opened, one DELETE) in fresh processes on a scratch
SQLite database, after one warm-up run that writes the bytecode caches, and prints the median
wall time and the median CPU time of the child (user + system) of `--runs` runs. Wall time
depends on how busy the machine is: the load average is printed with it.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [
    ["--help"],
    ["stats", "dossiers", "--help"],
    ["idempotency", "forget-expired"],
]


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and child CPU seconds of one `motcua` run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "motcua.cli", *argv],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="motcua-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}",
        MOTCUA_VAR_DIR=str(work),
        DJANGO_SETTINGS_MODULE="motcua.settings",
        PYTHONPATH=str(ROOT),
    )
    subprocess.run(
        [sys.executable, "-m", "motcua.cli", "migrate"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    for argv in COMMANDS:
        timed(argv, env)  # warm-up: bytecode caches, page cache
        runs = [timed(argv, env) for _ in range(args.runs)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(
            f"motcua {' '.join(argv)}: {wall:.3f} s wall median, {cpu:.3f} s CPU "
            f"(n={args.runs}, load average {os.getloadavg()[0]:.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
