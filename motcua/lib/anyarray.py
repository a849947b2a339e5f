"""`field__any_of=<subquery>`: membership in a subquery that PostgreSQL can answer by index.

`pk__in=<subquery>` becomes `id IN (SELECT …)`. Inside an OR with other conditions (a user's
scope: received at, decided by, held by *or* routed through their units), PostgreSQL can only
evaluate that as a "hashed SubPlan" filter on every row the other conditions let through, so it
gives up combining the indexes of the other arms (a bitmap OR) and reads far more of the table
(issue 16: the overdue tab of a commune read 26,000 heap pages of 1,000,000 dossiers, 100–150 ms
a query, for 1,300 rows).

`id = ANY(ARRAY(SELECT …))` is the same set, computed once before the scan (an InitPlan), and
an array parameter is an index condition: each arm of the OR becomes an index scan and
PostgreSQL ORs the bitmaps (5 ms for the same query). Other databases get `IN (SELECT …)`.
Use it for subqueries that return few rows; the array is built in memory.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.lookups import In


@models.Field.register_lookup
class AnyOf(In):
    """`IN (subquery)`, written `= ANY(ARRAY(subquery))` on PostgreSQL."""

    lookup_name = "any_of"

    def get_prep_lookup(self) -> Any:
        if not hasattr(self.rhs, "resolve_expression"):
            raise TypeError("any_of takes a subquery (a QuerySet), not a list")
        return super().get_prep_lookup()

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if not rhs.startswith("("):  # a compiled subquery is always parenthesised
            rhs = f"({rhs})"
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]
