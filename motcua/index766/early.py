"""Early warning — cảnh báo sớm: the open dossiers that will turn late within the next N
working hours, and the 766 progress points their unit loses this month if they do.

A dossier is **at risk** at `now` when it is received and open with its clock running (not
paused for a supplement), its statutory due is still ahead, and the working time left before
it (the receiving desk's calendar, as the queue and the dossier page count it) is at most N
working hours. Its unit is the one the index counts it under: the competent unit, else the
receiving one.

Points (statistics.md §5.2, `progress.on_time`): the numerator counts a dossier open at the
period's end within its deadline, or finished no later than its due; one that turns late
leaves the numerator. Losing k dossiers of the unit's denominator D costs 20 × k ÷ D points,
rounded half-up to 2 decimals. Only dossiers due before the end of this calendar month count
towards this month's loss: one due later is still "within its deadline" at the month's end.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet

from motcua.dossiers.choices import RECEIVED_OPEN_STATES, State
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import minutes_left
from motcua.index766.progress import MAX_SUPPLEMENTS, on_time_counts
from motcua.lib.periods import Period, parse_period
from motcua.stats.selectors import StatsError, scope_of
from motcua.units.models import Unit
from motcua.workcalendar.engine import to_local
from motcua.workcalendar.selectors import get_calendars

PROGRESS_MAX = 20
DEFAULT_HOURS = 8
# The clock runs in these states; a dossier paused for a supplement has no due to approach.
RUNNING_STATES = frozenset(RECEIVED_OPEN_STATES - {State.SUPPLEMENT_REQUESTED})
# N working hours never span more calendar time than this (Tết: about ten days off).
_SLACK = dt.timedelta(days=21)


def points_lost(k: int, denominator: int) -> Decimal:
    """20 × k ÷ D, rounded half-up to 2 decimals; 0 when D is 0 (the portal's rule)."""
    if denominator <= 0 or k <= 0:
        return Decimal("0.00")
    value = Decimal(PROGRESS_MAX * k) / Decimal(denominator)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def month_of(now: dt.datetime) -> Period:
    """The calendar month containing `now` (local time), as the portal's monthly index."""
    day = to_local(now).date()
    return parse_period(f"{day.year}-M{day.month:02d}", calendar=True)


@dataclass
class AtRisk:
    """One dossier that will turn late soon."""

    dossier: Dossier
    due: dt.datetime
    minutes_left: int
    unit_id: int
    counts_this_month: bool

    @property
    def left_text(self) -> str:
        """'còn 3 giờ 20 phút làm việc' (as the queue says it)."""
        from motcua.lib.durations import remaining_working_text
        from motcua.workcalendar.engine import DAY_MINUTES

        return remaining_working_text(self.minutes_left, DAY_MINUTES)


@dataclass
class UnitRisk:
    """The at-risk dossiers of one unit, and what they cost this month."""

    unit: Unit
    items: list[AtRisk] = field(default_factory=list)
    denominator: int = 0

    @property
    def counted(self) -> int:
        """At-risk dossiers due before the end of this month (those that cost points)."""
        return sum(1 for i in self.items if i.counts_this_month)

    @property
    def points(self) -> Decimal:
        """The progress points the unit loses this month if every counted one turns late."""
        return points_lost(self.counted, self.denominator)


def handling_unit_id(dossier: Dossier) -> int:
    """The unit the index counts the dossier under: competent, else receiving."""
    return dossier.competent_unit_id or dossier.receiving_unit_id


def at_risk(
    queryset: QuerySet[Dossier], *, now: dt.datetime, hours: int = DEFAULT_HOURS
) -> list[AtRisk]:
    """The dossiers of `queryset` that turn late within `hours` working hours, nearest first."""
    month = month_of(now)
    limit = hours * 60
    rows = list(
        queryset.filter(
            state__in=RUNNING_STATES,
            statutory_due__isnull=False,
            statutory_due__gt=now,
            statutory_due__lte=now + _SLACK + dt.timedelta(hours=hours * 3),
        )
        .select_related("procedure", "receiving_unit", "assignee")
        .order_by("statutory_due", "pk")
    )
    calendars = get_calendars({d.receiving_unit for d in rows})
    result = []
    for dossier in rows:
        due = dossier.statutory_due
        assert due is not None
        left = minutes_left(calendars[dossier.receiving_unit_id], due, now)
        if 0 < left <= limit:
            result.append(
                AtRisk(
                    dossier,
                    due,
                    left,
                    handling_unit_id(dossier),
                    # More than one supplement request: already overdue, nothing left to lose.
                    due < month.end and dossier.supplement_count <= MAX_SUPPLEMENTS,
                )
            )
    return result


def denominators(units: Iterable[Unit], period: Period) -> dict[int, int]:
    """Each unit's `progress.on_time` denominator for `period` (the unit with its subtree)."""
    result = {}
    for unit in units:
        try:
            ids = scope_of(unit.code, period).ids
        except StatsError:  # a unit not in force in the period counts nothing
            result[unit.pk] = 0
            continue
        result[unit.pk] = on_time_counts(ids, period.start, period.end)[1]
    return result


def risk_by_unit(items: list[AtRisk], *, now: dt.datetime) -> list[UnitRisk]:
    """Group at-risk dossiers by unit with this month's denominator; most points first."""
    by_unit: dict[int, list[AtRisk]] = defaultdict(list)
    for item in items:
        by_unit[item.unit_id].append(item)
    units = Unit.objects.in_bulk(list(by_unit))
    dens = denominators(units.values(), month_of(now))
    groups = [
        UnitRisk(units[pk], rows, dens.get(pk, 0)) for pk, rows in by_unit.items() if pk in units
    ]
    groups.sort(key=lambda g: (-g.points, -len(g.items), g.unit.name))
    return groups


def officer_at_risk(user: Any, *, now: dt.datetime, hours: int = DEFAULT_HOURS) -> list[AtRisk]:
    """The dossiers assigned to `user` (within their scope) that turn late soon."""
    mine = Dossier.objects.visible_to(user).filter(assignee_id=user.pk)
    return at_risk(mine, now=now, hours=hours)
