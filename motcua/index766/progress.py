"""The 766 progress indicator `progress.on_time`: the national on-time rule (statistics.md §5.6).

The dossiers of a set of handling units (the competent unit, else the receiving one, as in
`motcua.stats`) in a calendar window [S, E) (S, E: the period's start and end instants,
`motcua.lib.periods.Period.start` / `.end`; E is excluded):

- **denominator**: every dossier counted in the period (statistics.md §2 rule 1): validly
  received before E and not finished before S (carried over + new);
- **numerator**: of those, the dossiers finished in the period by any exit (resolved, returned,
  refused, withdrawn, stopped) no later than their `statutory_due`, plus those open at E within
  their deadline (`statutory_due` not before E); a dossier without a due instant (no time limit,
  or waiting on a supplement requested while budget was left: the national rule ends it at the
  request instant) is on time; a dossier with **more than one supplement request** is overdue
  whatever its dates (`supplement_count` > 1).

Everything is a `Q` over `Dossier` rows, shared by the counts and the lists, so a list's length
always equals its figure. One grouped query gives the counts of many units at once.

Python API (stable; used by the early warning and the `/chi-so/` pages):

- `on_time_counts(units, start, end) -> (numerator, denominator)`
- `on_time_lists(units, start, end) -> (numerator queryset, denominator queryset)`
- `late_list(units, start, end)`: the denominator minus the numerator (what costs points)
- `on_time_by_unit(units, start, end) -> {handling unit id: (numerator, denominator)}`
- `counted_q(start, end)`, `on_time_q(start, end)`: the conditions themselves.

`units` is an iterable of unit ids or `Unit` objects: exactly the handling units whose dossiers
count (pass `motcua.stats.selectors.scope_of(code, period).ids` for a unit with its subtree).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce

from motcua.dossiers.models import Dossier
from motcua.lib.rowcount import count_rows
from motcua.units.models import Unit

# More supplement requests than this make a dossier overdue (national rule).
MAX_SUPPLEMENTS = 1


def unit_ids(units: Iterable[int | Unit]) -> list[int]:
    """Unit ids from ids or `Unit` objects."""
    return [u.pk if isinstance(u, Unit) else int(u) for u in units]


def handled(units: Iterable[int | Unit]) -> QuerySet[Dossier]:
    """Dossiers handled by `units` (competent unit, else receiving unit), as `handling_unit`."""
    return Dossier.objects.annotate(
        handling_unit=Coalesce(F("competent_unit_id"), F("receiving_unit_id"))
    ).filter(handling_unit__in=unit_ids(units))


def counted_q(start: dt.datetime, end: dt.datetime) -> Q:
    """Counted in [start, end): received before `end`, not finished before `start`."""
    return Q(received_at__isnull=False, received_at__lt=end) & (
        Q(finished_at__isnull=True) | Q(finished_at__gte=start)
    )


def finished_q(start: dt.datetime, end: dt.datetime) -> Q:
    """Counted and finished in the period (any exit)."""
    return counted_q(start, end) & Q(finished_at__isnull=False, finished_at__lt=end)


def open_q(start: dt.datetime, end: dt.datetime) -> Q:
    """Counted and still open at `end`."""
    return counted_q(start, end) & (Q(finished_at__isnull=True) | Q(finished_at__gte=end))


def on_time_q(start: dt.datetime, end: dt.datetime) -> Q:
    """Counted dossiers that are on time by the national rule (the numerator)."""
    no_due = Q(statutory_due__isnull=True)
    finished_in_time = finished_q(start, end) & (no_due | Q(finished_at__lte=F("statutory_due")))
    open_in_time = open_q(start, end) & (no_due | Q(statutory_due__gte=end))
    return (finished_in_time | open_in_time) & Q(supplement_count__lte=MAX_SUPPLEMENTS)


def on_time_lists(
    units: Iterable[int | Unit], start: dt.datetime, end: dt.datetime
) -> tuple[QuerySet[Dossier], QuerySet[Dossier]]:
    """The dossiers behind the numerator and the denominator (lengths equal the counts)."""
    base = handled(units)
    return base.filter(on_time_q(start, end)), base.filter(counted_q(start, end))


def late_list(
    units: Iterable[int | Unit], start: dt.datetime, end: dt.datetime
) -> QuerySet[Dossier]:
    """Counted dossiers that are not on time: the ones that cost the unit points."""
    return handled(units).filter(counted_q(start, end)).exclude(on_time_q(start, end))


def on_time_counts(
    units: Iterable[int | Unit], start: dt.datetime, end: dt.datetime
) -> tuple[int, int]:
    """(numerator, denominator) of `progress.on_time` for `units` in [start, end)."""
    row = (
        handled(units)
        .filter(counted_q(start, end))
        .aggregate(
            numerator=count_rows(on_time_q(start, end)),
            denominator=count_rows(),
        )
    )
    return int(row["numerator"] or 0), int(row["denominator"] or 0)


def on_time_by_unit(
    units: Iterable[int | Unit], start: dt.datetime, end: dt.datetime
) -> dict[int, tuple[int, int]]:
    """{handling unit id: (numerator, denominator)} in one grouped query (units with dossiers)."""
    rows = (
        handled(units)
        .filter(counted_q(start, end))
        .values("handling_unit")  # type: ignore[misc]
        .annotate(
            numerator=count_rows(on_time_q(start, end)),
            denominator=count_rows(),
        )
        .order_by()
    )
    return {r["handling_unit"]: (int(r["numerator"]), int(r["denominator"])) for r in rows}
