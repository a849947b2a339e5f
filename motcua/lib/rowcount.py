"""Counting rows, not values: `COUNT(*)` (issue 16 item 8).

`Count("pk")` counts the non-null values of the primary key, so the database must read the
`id` of every row, which no covering index of the statistics holds: PostgreSQL then fetches
each heap row instead of answering from the index alone. A count of rows needs no column:
`COUNT(*)`, and with a condition `COUNT(1) FILTER (WHERE …)` (Django refuses a star with a
filter; on SQLite it becomes `COUNT(CASE WHEN … THEN 1 END)`).
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, Q, Value


def count_rows(condition: Q | None = None) -> Count:
    """The number of rows (those matching `condition`, when given)."""
    if condition is None:
        return Count("*")
    return Count(Value(1, output_field=IntegerField()), filter=condition)
