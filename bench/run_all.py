#!/usr/bin/env python3
"""Run every bench/*_bench.py in name order with this interpreter and print their output.

``make bench`` runs it with the project's virtual environment. Names given on the command
line keep only the benchmarks whose file name contains one of them:
``python bench/run_all.py scope calendar``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


def find_benchmarks(filters: list[str]) -> list[Path]:
    """Return the benchmark scripts to run, sorted by file name."""
    scripts = sorted(BENCH_DIR.glob("*_bench.py"))
    if filters:
        scripts = [s for s in scripts if any(f in s.name for f in filters)]
    return scripts


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; exit 1 if any of them failed."""
    filters = list(sys.argv[1:] if argv is None else argv)
    scripts = find_benchmarks(filters)
    if not scripts:
        wanted = f" matching {' '.join(filters)}" if filters else ""
        print(f"no benchmarks{wanted} in {BENCH_DIR.relative_to(ROOT)}/ (files named *_bench.py)")
        return 0
    failed: list[str] = []
    for script in scripts:
        print(f"== {script.relative_to(ROOT)} ==", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], cwd=ROOT, check=False)
        elapsed = time.perf_counter() - started
        status = "ok" if result.returncode == 0 else f"FAILED (exit {result.returncode})"
        print(f"-- {script.name}: {status} in {elapsed:.1f} s", flush=True)
        if result.returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"{len(failed)} of {len(scripts)} benchmarks failed: {', '.join(failed)}")
        return 1
    print(f"{len(scripts)} benchmarks ran")
    return 0


if __name__ == "__main__":
    sys.exit(main())
