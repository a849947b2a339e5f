"""The queue's search on PostgreSQL is served by the trigram index of migration 0008; SQLite
keeps its scan (the migration writes nothing there)."""

from __future__ import annotations

import pytest
from django.db import connection

from motcua.dossiers.filtersets import search_dossiers
from motcua.dossiers.models import Dossier

pytestmark = pytest.mark.django_db
INDEX = "dossiers_dossier_search_text_trgm"


def test_the_search_words_use_the_trigram_index_on_postgresql() -> None:
    queryset = search_dossiers(Dossier.objects.all(), "Nguyễn Văn Bình C1-250303")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name = %s", [INDEX]
            )
            assert cursor.fetchall() == []
            return
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX])
        assert "gin_trgm_ops" in cursor.fetchone()[0]
        # An empty test table makes any plan cheap: forbid the scans (sequential, and the
        # ordered index scan of the queue's sort) to see that the trigram index can serve
        # every word's LIKE '%…%'.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert INDEX in plan, plan
