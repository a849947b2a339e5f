"""Bulk loads into PostgreSQL without per-row foreign-key checks, checked once per load instead.

PostgreSQL checks a foreign key with one internal trigger per row and key: a `SELECT … FOR
KEY SHARE` on the referenced row. A dossier has nine such keys and its event three, so a
legacy import spent more time in these checks than in writing its rows and all their indexes
(docs/performance.md, "Import"). `session_replication_role = replica` turns them off for the
rows a transaction loads; `verify_references` then checks the loaded rows set by set — one
query per key instead of one per row and key — and takes the same locks the row checks would
have taken, so that nobody can delete a referenced row before the load commits.

Only the internal (constraint) triggers may be skipped: the load uses the fast path only when
every other trigger of the tables is `ENABLE ALWAYS` (the statistics' roll-up is), so derived
data is kept exactly as on the checked path. Setting the parameter needs a superuser or, from
PostgreSQL 15, `GRANT SET ON PARAMETER session_replication_role TO <role>`; without it the
load keeps the row checks (docs/decisions/0003-import-integrity.md).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import models

REPLICA = "SET LOCAL session_replication_role = replica"
ORIGIN = "SET LOCAL session_replication_role = origin"


class DanglingReference(Exception):
    """Loaded rows name a row that does not exist (any more); the load must roll back."""

    def __init__(self, model: type[models.Model], column: str, missing: int) -> None:
        self.model, self.column, self.missing = model, column, missing
        super().__init__(
            f"{missing} value(s) of {model._meta.db_table}.{column} name no existing row "
            "(deleted while the import ran?): nothing was written"
        )


def may_skip_row_checks(cursor: Any, tables: Iterable[str]) -> bool:
    """Whether this session may load `tables` with their row checks off (see the module)."""
    cursor.execute("SHOW server_version_num")
    if int(cursor.fetchone()[0]) < 150000:  # has_parameter_privilege is new in 15
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    else:
        cursor.execute(
            "SELECT current_setting('is_superuser') = 'on' "
            "OR has_parameter_privilege('session_replication_role', 'SET')"
        )
    if not cursor.fetchone()[0]:
        return False
    # A trigger that fires only in the "origin" role (the default) would be skipped too.
    cursor.execute(
        "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'A' "
        "AND tgrelid = ANY(ARRAY(SELECT to_regclass(t) FROM unnest(%s::text[]) AS t))",
        [list(tables)],
    )
    return int(cursor.fetchone()[0]) == 0


@contextlib.contextmanager
def row_checks_off(cursor: Any, enabled: bool = True) -> Iterator[None]:
    """Within a transaction: the statements inside run without row checks (if `enabled`)."""
    if not enabled:
        yield
        return
    cursor.execute(REPLICA)
    yield
    # Not on an error: the transaction (or savepoint) is rolled back, and the setting with it.
    cursor.execute(ORIGIN)


def foreign_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    """The model's foreign keys that have a database constraint."""
    return [
        f
        for f in model._meta.local_concrete_fields
        if isinstance(f, models.ForeignKey) and getattr(f, "db_constraint", True)
    ]


def verify_references(
    cursor: Any,
    model: type[models.Model],
    runs: list[tuple[int, int]],
    *,
    own: Iterable[type[models.Model]] = (),
) -> None:
    """Check every foreign key of the rows of `model` whose ids lie in `runs` (first, length);
    raise DanglingReference if one names a missing row.

    Each referenced row is locked `FOR KEY SHARE`, as the row checks lock it, except in the
    tables of `own`: rows this transaction wrote itself, which nobody else can see or delete.
    """
    if not runs:
        return
    table = model._meta.db_table
    pk = model._meta.pk.column
    inside = " OR ".join(f"x.{pk} BETWEEN %s AND %s" for _ in runs)
    bounds = [v for first, n in runs for v in (first, first + n - 1)]
    own_tables = {m._meta.db_table for m in own}
    for fk in foreign_keys(model):
        target = fk.target_field
        ref_table, ref_column = target.model._meta.db_table, target.column
        if ref_table in own_tables:
            # Nothing to lock; often one target a row (an event's dossier): an anti-join.
            cursor.execute(
                f"SELECT count(*) FROM {table} AS x WHERE ({inside}) "  # noqa: S608 (names)
                f"AND x.{fk.column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {ref_table} "
                f"AS t WHERE t.{ref_column} = x.{fk.column})",
                bounds,
            )
        else:
            wanted = (
                f"SELECT DISTINCT x.{fk.column} AS v FROM {table} AS x "  # noqa: S608 (names)
                f"WHERE ({inside}) AND x.{fk.column} IS NOT NULL"
            )
            cursor.execute(
                f"WITH wanted AS MATERIALIZED ({wanted}) "  # noqa: S608 (model names)
                "SELECT (SELECT count(*) FROM wanted) - (SELECT count(*) FROM ("
                f"SELECT 1 FROM {ref_table} AS t WHERE t.{ref_column} IN (SELECT v FROM wanted)"
                " FOR KEY SHARE OF t) AS found)",
                bounds,
            )
        missing = int(cursor.fetchone()[0])
        if missing:
            raise DanglingReference(model, fk.column, missing)
