"""Hints to PostgreSQL's planner for the officer's hottest reads (issue 16).

A dossier row of the queue or the dossier page comes with its procedure, field, units and
assignee (`select_related`): 7–9 tables joined on their primary keys. PostgreSQL then searches
the orders in which to join them, which cost 5 ms of planning for 0.3 ms of execution on the
dossier page (1,000,000 dossiers; 10–19 ms under load), on every request, in the database
server's CPU. The order Django writes — the dossiers first, then each related row by its
key — is the best one for such a query, so `fixed_join_order()` tells the planner to keep it
(`join_collapse_limit = 1`, planning 1 ms) for the queries run inside it, and only those.

The setting is transaction-local (`set_config(…, true)`): it ends with the block's transaction
whatever happens, and inside an outer transaction the previous value is put back on exit.
Other databases have no such planner search; the block does nothing there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@contextmanager
def fixed_join_order(using: str | None = None) -> Iterator[None]:
    """Run the block's PostgreSQL queries with their joins in the order they are written."""
    alias = using or DEFAULT_DB_ALIAS
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    nested = connection.in_atomic_block
    with transaction.atomic(using=alias, savepoint=False):
        with connection.cursor() as cursor:
            # The target list is evaluated left to right: the previous value, then the new one.
            cursor.execute(
                "SELECT current_setting('join_collapse_limit'), "
                "set_config('join_collapse_limit', '1', true)"
            )
            previous = cursor.fetchone()[0]
        yield
        if nested and not connection.needs_rollback:
            # Inside somebody else's transaction: give the rest of it the value it had.
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('join_collapse_limit', %s, true)", [previous])
