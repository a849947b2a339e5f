"""The counting rules of statistics.md §2 as query expressions, shared by figures and lists.

Every figure is a `Q` over dossier rows annotated by `annotate_days`; the aggregate counts and
the click-through lists use the same expressions, so a list's length always equals its figure.
"""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.db.models.functions import TruncDate

from motcua.dossiers.choices import Channel, State
from motcua.lib.periods import TZ, Period
from motcua.lib.rowcount import count_rows

# The leaf figures: every counted dossier falls in exactly one of the `carried_over`/`new_*`
# leaves and exactly one of the outcome leaves.
INTAKE_LEAVES = ("carried_over", "new_online", "new_direct", "new_postal")
OUTCOME_LEAVES = ("early", "on_time", "late", "refused", "withdrawn", "within_deadline", "overdue")
LEAVES = INTAKE_LEAVES + OUTCOME_LEAVES

# Figures a person can click: leaves and the sums the tables show.
FIGURES: dict[str, tuple[str, ...]] = {
    **{leaf: (leaf,) for leaf in LEAVES},
    "received": INTAKE_LEAVES,
    "new": ("new_online", "new_direct", "new_postal"),
    "resolved": ("early", "on_time", "late"),
    "pending": ("within_deadline", "overdue"),
    "finished": ("early", "on_time", "late", "refused", "withdrawn"),
}

RESOLVED_STATES = (State.RESOLVED, State.RETURNED)
WITHDRAWN_STATES = (State.WITHDRAWN, State.STOPPED)


def annotate_days(queryset: QuerySet) -> QuerySet:
    """Add the local dates of finishing and of the statutory due instant."""
    return queryset.annotate(
        finished_day=TruncDate("finished_at", tzinfo=TZ),
        due_day=TruncDate("statutory_due", tzinfo=TZ),
    )


def leaf_conditions(period: Period) -> dict[str, Q]:
    """One condition per leaf figure for `period` (rows must come from `annotate_days`)."""
    start, end = period.start, period.end
    counted = Q(received_at__lt=end) & (Q(finished_at__isnull=True) | Q(finished_at__gte=start))
    new = counted & Q(received_at__gte=start)
    finished = Q(finished_at__gte=start, finished_at__lt=end, received_at__isnull=False)
    resolved = finished & Q(state__in=RESOLVED_STATES)
    # A resolved dossier without a due instant (no time limit) is on time (rule 6).
    early = resolved & Q(statutory_due__isnull=False, finished_day__lt=F("due_day"))
    late = resolved & Q(statutory_due__isnull=False, finished_at__gt=F("statutory_due"))
    pending = counted & (Q(finished_at__isnull=True) | Q(finished_at__gte=end))
    overdue = pending & Q(statutory_due__lt=end)
    return {
        "carried_over": counted & Q(received_at__lt=start),
        "new_online": new & Q(channel=Channel.ONLINE),
        "new_direct": new & Q(channel=Channel.DIRECT),
        "new_postal": new & Q(channel=Channel.POSTAL),
        "early": early,
        "on_time": resolved & ~early & ~late,
        "late": late,
        "refused": finished & Q(state=State.REFUSED),
        "withdrawn": finished & Q(state__in=WITHDRAWN_STATES),
        "within_deadline": pending & ~Q(statutory_due__lt=end),
        "overdue": overdue,
        # not a leaf: the rows any figure can come from
        "_counted": counted,
    }


def figure_condition(period: Period, figure: str) -> Q:
    """The condition of a leaf or summed figure (`received`, `resolved`, `pending`, ...)."""
    if figure not in FIGURES:
        raise KeyError(figure)
    conditions = leaf_conditions(period)
    combined = Q(pk__in=[])
    for leaf in FIGURES[figure]:
        combined |= conditions[leaf]
    return combined


def counts(queryset: QuerySet, period: Period, group_by: str | None = None) -> list[dict]:
    """Leaf counts of the dossiers in `queryset` for `period`, optionally per `group_by` value.

    One query; only rows counted in the period are read.
    """
    conditions = leaf_conditions(period)
    rows = annotate_days(queryset).filter(conditions["_counted"])
    aggregates = {leaf: count_rows(conditions[leaf]) for leaf in LEAVES}
    if group_by is None:
        return [rows.aggregate(**aggregates)]
    return list(rows.values(group_by).annotate(**aggregates).order_by(group_by))


def dossiers_behind(queryset: QuerySet, period: Period, figure: str) -> QuerySet:
    """The dossiers behind one figure (same expressions as `counts`)."""
    return annotate_days(queryset).filter(figure_condition(period, figure))
