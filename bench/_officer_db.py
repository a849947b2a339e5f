"""A PostgreSQL of 1,000,000 dossiers for the officer-page benchmarks, generated once and reused.

`request_cpu_bench.py` and `load_bench.py` need the same large database. Generating it takes
minutes (`queue_bench.generate`), so `prepare()` keeps it: when the database named by
BENCH_DATABASE_URL already holds at least `count` dossiers and the marker event of the sample
dossier, it only migrates; otherwise (or with `fresh=True`) it drops the schema and generates.
Without BENCH_DATABASE_URL / TEST_DATABASE_URL it works in a throw-away SQLite file instead.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _data


def prepare(count: int, *, fresh: bool = False) -> tuple[str, Path, bool]:
    """Configure Django on the bench database; return (sample code, work dir, generated?)."""
    url = _data.postgres_url()
    workdir = Path(tempfile.mkdtemp(prefix="motcua-bench-"))
    if not url or fresh:
        _data.scratch_database(url, workdir=workdir)
        return _generate(count), workdir, True
    os.environ["MOTCUA_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('dossiers_dossier') IS NOT NULL")
        exists = cursor.fetchone()[0]
    if exists:
        call_command("migrate", verbosity=0, interactive=False)
        from motcua.dossiers.models import Dossier, DossierEvent

        marker = DossierEvent.objects.filter(actor_name="bench").select_related("dossier").first()
        # pg_class.reltuples after ANALYZE: an estimate, enough to tell 1,000,000 from 20.
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'dossiers_dossier'")
            rows = int(cursor.fetchone()[0])
        if marker and rows >= count * 0.95:
            print(f"reusing the database: ~{rows:,} dossiers")
            return marker.dossier.code, workdir, False
        del Dossier
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0, interactive=False)
    return _generate(count), workdir, True


def _generate(count: int) -> str:
    import queue_bench

    _data.ensure_demo()
    print(f"catalogue: {_data.ensure_procedures()}")
    sample, seconds = queue_bench.generate(count)
    print(f"generated {count:,} dossiers in {seconds:.1f} s (dossier page: {sample})")
    return sample
