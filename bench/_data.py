"""Shared helpers of the benchmarks: a scratch database, the demo province, a catalogue, CSVs.

Imported by `bench/*_bench.py` before Django is configured: call `scratch_database()` first.
Nothing here touches the caller's database: every benchmark works in a temporary directory
(SQLite) or in the PostgreSQL database named by BENCH_DATABASE_URL / TEST_DATABASE_URL.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import resource
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = 20260101


def postgres_url() -> str | None:
    """The PostgreSQL database a benchmark may use, if any."""
    return os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or None


def scratch_database(url: str | None = None, *, workdir: Path | None = None) -> Path:
    """Point Django at a fresh SQLite file (or `url`), set it up and migrate; return the dir."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix="motcua-bench-"))
    os.environ["MOTCUA_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if url:  # a shared PostgreSQL database: start from an empty schema
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0, interactive=False)
    return workdir


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    """One line: cores, memory, CPU model."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return f"{os.cpu_count()} cores, {pages / 2**30:.0f} GiB, {model}"


def ensure_demo() -> None:
    """The demo province and logins (idempotent)."""
    from motcua.demo.builder import build_demo
    from motcua.units.models import Unit

    if not Unit.objects.exists():
        build_demo(seed=1)


# Time limits of the stand-in catalogue: (amount, unit, share). Mostly working days, as in
# the national catalogue; a few in hours, calendar days and same-day.
_LIMITS = [
    (1, "working_days", 10),
    (3, "working_days", 18),
    (5, "working_days", 20),
    (7, "working_days", 10),
    (10, "working_days", 14),
    (15, "working_days", 10),
    (20, "working_days", 6),
    (8, "working_hours", 4),
    (30, "calendar_days", 4),
    (None, "same_day", 4),
]


def ensure_procedures(count: int = 300) -> str:
    """Published procedures: the real demo catalogue when it exists, else `count` stand-ins."""
    from motcua.procedures.models import Field, Procedure, ProcedureVersion
    from motcua.procedures.services import procedure_content

    if Procedure.objects.filter(published=True).exists():
        return f"{Procedure.objects.filter(published=True).count()} procedures (existing)"
    try:
        from motcua.demo.catalogue import build_catalogue  # type: ignore[import-not-found]
    except ImportError:
        build_catalogue = None
    if build_catalogue is not None:
        build_catalogue(seed=1)
        published = Procedure.objects.filter(published=True).count()
        if published:
            return f"{published} procedures (motcua.demo.catalogue)"
    rng = random.Random(SEED)
    fields = [
        Field.objects.get_or_create(code=c, defaults={"name": n})[0]
        for c, n in [
            ("ho-tich", "Hộ tịch"),
            ("chung-thuc", "Chứng thực"),
            ("dat-dai", "Đất đai"),
            ("xay-dung", "Xây dựng"),
            ("kinh-doanh", "Thành lập và hoạt động của hộ kinh doanh"),
            ("bao-tro-xa-hoi", "Bảo trợ xã hội"),
        ]
    ]
    weights = [w for _, _, w in _LIMITS]
    procedures = []
    for n in range(count):
        amount, unit, _ = rng.choices(_LIMITS, weights)[0]
        level = "commune" if n % 3 else "province"
        procedures.append(
            Procedure(
                code=f"9.{n:06d}",
                name=f"Thủ tục mẫu số {n} (đo hiệu năng)",
                field=fields[n % len(fields)],
                level=level,
                time_limit_amount=amount,
                time_limit_unit=unit,
                same_day_cutoff=dt.time(15, 0) if unit == "same_day" else None,
                published=True,
            )
        )
    Procedure.objects.bulk_create(procedures)
    ProcedureVersion.objects.bulk_create(
        ProcedureVersion(procedure=p, number=1, data=procedure_content(p))
        for p in Procedure.objects.filter(code__startswith="9.")
    )
    return f"{count} stand-in procedures (bench/_data.py; motcua.demo.catalogue not found)"


def demo_units() -> dict[str, Any]:
    """Codes of the demo units that decide dossiers, before and after 2025-07-01."""
    from motcua.units.models import Unit

    old = dt.date(2025, 6, 30)
    new = dt.date(2025, 7, 1)

    def codes(day: dt.date, level: str) -> list[str]:
        return sorted(Unit.objects.valid_on(day).filter(level=level).values_list("code", flat=True))

    return {
        "old_communes": codes(old, "commune"),
        "old_departments": codes(old, "department"),
        "new_communes": codes(new, "commune"),
        "new_departments": codes(new, "department"),
        "centre": "DT.HCC",
    }


def procedure_codes() -> dict[str, list[str]]:
    """Published procedure codes by level ('commune', 'province', others)."""
    from motcua.procedures.models import Procedure

    result: dict[str, list[str]] = {"commune": [], "province": []}
    for code, level in Procedure.objects.filter(published=True).values_list("code", "level"):
        result["commune" if level == "commune" else "province"].append(code)
    if not result["commune"]:
        result["commune"] = result["province"]
    if not result["province"]:
        result["province"] = result["commune"]
    return result


HEADER = [
    "code",
    "procedure_code",
    "unit_code",
    "channel",
    "received_at",
    "due_at",
    "finished_at",
    "outcome",
    "receiving_unit_code",
]


def write_dossier_csv(path: Path, rows: int, *, seed: int = SEED) -> None:
    """A realistic legacy file: 2024-01 → 2026-10, half online, most finished, some open.

    Due instants are left empty in 70% of rows (the importer computes them) and given in
    the others (a legacy system's own figure, here a day later than the statutory one would
    be, which the importer keeps as given). Codes follow `<unit>-<yyMMdd>-<NNNN>`.
    """
    rng = random.Random(seed)
    units = demo_units()
    procs = procedure_codes()
    start = dt.datetime(2024, 1, 2, tzinfo=dt.UTC)
    span_days = (dt.datetime(2026, 10, 31, tzinfo=dt.UTC) - start).days
    sequences: dict[tuple[str, str], int] = {}
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for _ in range(rows):
            day = start + dt.timedelta(days=rng.randrange(span_days))
            while day.weekday() >= 5 and rng.random() < 0.9:
                day += dt.timedelta(days=1)
            local_hour = rng.choice((7, 8, 8, 9, 9, 10, 10, 11, 13, 14, 14, 15, 16))
            received = day.replace(hour=local_hour - 7, minute=rng.randrange(60))
            local_day = (received + dt.timedelta(hours=7)).date()
            after = local_day >= dt.date(2025, 7, 1)
            if rng.random() < 0.75:
                unit = rng.choice(units["new_communes" if after else "old_communes"])
                receiving = ""
                procedure = rng.choice(procs["commune"])
                prefix = unit
            else:
                unit = rng.choice(units["new_departments" if after else "old_departments"])
                receiving = units["centre"]
                procedure = rng.choice(procs["province"])
                prefix = receiving
            key = (prefix, local_day.strftime("%y%m%d"))
            sequences[key] = sequences.get(key, 0) + 1
            if sequences[key] > 9999:
                continue
            code = f"{prefix}-{key[1]}-{sequences[key]:04d}"
            channel = rng.choices(("online", "direct", "postal"), (50, 44, 6))[0]
            # Three spellings of an instant: with an offset, in UTC with Z, and local time.
            style = rng.random()
            if style < 0.5:
                received_text = (received + dt.timedelta(hours=7)).strftime(
                    "%Y-%m-%dT%H:%M:%S+07:00"
                )
            elif style < 0.8:
                received_text = received.strftime("%Y-%m-%dT%H:%M:%SZ")
            else:
                received_text = (received + dt.timedelta(hours=7)).strftime("%Y-%m-%d %H:%M:%S")
            due_text = ""
            if rng.random() < 0.3:
                due_text = (received + dt.timedelta(days=rng.choice((3, 7, 10, 21)))).strftime(
                    "%Y-%m-%dT%H:%M:%SZ"
                )
            age = (dt.datetime(2026, 11, 1, tzinfo=dt.UTC) - received).days
            finished_text = outcome = ""
            if age > 60 or rng.random() < 0.7:
                finished = min(
                    received + dt.timedelta(hours=rng.randrange(2, 24 * 25)),
                    dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
                )
                finished_text = finished.strftime("%Y-%m-%dT%H:%M:%SZ")
                outcome = rng.choices(("resolved", "refused", "withdrawn"), (95, 3, 2))[0]
            out.writerow(
                [
                    code,
                    procedure,
                    unit,
                    channel,
                    received_text,
                    due_text,
                    finished_text,
                    outcome,
                    receiving,
                ]
            )
