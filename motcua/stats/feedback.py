"""Feedback statistics — thống kê phản ánh, kiến nghị (feedback.md §8): figures of a unit scope.

The counting rules, written once as `Q` expressions over `Feedback` rows (S and E are the
period's start and end instants, `motcua.lib.periods`); the aggregate counts and the
click-through lists use the same expressions, so a list's length always equals its figure.

Only PAKN (`kind=pakn`) is counted; hotline questions answered on the spot (`kind=question`)
are a separate `questions` figure outside the identity (§9). An item's unit is its handling
unit (`Feedback.unit`); the units of a code in a period are the dossiers' (`scope_of`), with
closed units' items counted under their successors across the 2025 reform.

1. **counted**: PAKN with `received_at` < E and not finished before S (`finished_at` empty
   or ≥ S).
2. **carried_over**: counted and `received_at` < S; **received**: counted and S ≤
   `received_at` < E, split `by_channel` and `by_subject` ("unclassified" when empty).
3. **finished in the period** (S ≤ `finished_at` < E), by outcome: **forwarded**,
   **redirected**, **refused** by state; **resolved** otherwise (the item reached "awaiting
   publication", where `resolved_at` = `finished_at`, and counts as resolved after
   publication and closure too): **resolved_late** when it was resolved after `handle_due`,
   else **resolved_on_time** (also without a due instant).
4. **open** otherwise (not finished at E): **open_overdue** when `handle_due` < E, else
   **open_in_time**.

Identity, by construction (every counted row falls in one intake and one outcome leaf):
carried_over + received = resolved + forwarded + redirected + refused + open_in_time +
open_overdue.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields, replace
from typing import Any

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_noop

from motcua.feedback.choices import Channel, FeedbackState, Kind, Subject
from motcua.feedback.models import Feedback
from motcua.lib.periods import Period
from motcua.lib.rowcount import count_rows
from motcua.people.models import User
from motcua.stats.figures import rate
from motcua.stats.selectors import DIRECT_ROW, StatsError, scope_of, unit_rows
from motcua.units.models import Unit

BREAKDOWNS = ("unit", "officer")
UNCLASSIFIED = "unclassified"
CHANNELS: tuple[str, ...] = tuple(Channel.values)
SUBJECTS: tuple[str, ...] = (*Subject.values, UNCLASSIFIED)
# Every counted item is in exactly one intake leaf and exactly one outcome leaf.
INTAKE = ("carried_over", "received")
OUTCOMES = (
    "resolved_on_time",
    "resolved_late",
    "forwarded",
    "redirected",
    "refused",
    "open_in_time",
    "open_overdue",
)
LEAVES = INTAKE + OUTCOMES
# The keys of the contract (`motcua stats feedback --format json`) after `period` and `unit`.
CONTRACT_KEYS = (
    "carried_over",
    "received",
    "resolved",
    "resolved_on_time",
    "resolved_late",
    "forwarded",
    "redirected",
    "refused",
    "open_in_time",
    "open_overdue",
    "by_channel",
    "by_subject",
)
DISPOSED = {
    "forwarded": FeedbackState.FORWARDED,
    "redirected": FeedbackState.REDIRECTED,
    "refused": FeedbackState.REFUSED,
}
# Row names that are words, not data (translated by value on the page).
UNASSIGNED = gettext_noop("Chưa phân công người xử lý")


def channel_figure(channel: str) -> str:
    """The figure key of the items received through `channel`, e.g. `channel:hotline`."""
    return f"channel:{channel}"


def subject_figure(subject: str) -> str:
    """The figure key of the items received about `subject` (or `unclassified`)."""
    return f"subject:{subject}"


# Conditions `conditions()` writes: the leaves, one per channel and subject, and questions.
BASIC = (
    *LEAVES,
    *(channel_figure(c) for c in CHANNELS),
    *(subject_figure(s) for s in SUBJECTS),
    "questions",
)
# Figures a person can click: the basic ones and the sums the page shows.
FIGURES: dict[str, tuple[str, ...]] = {
    **{basic: (basic,) for basic in BASIC},
    "counted": INTAKE,
    "resolved": ("resolved_on_time", "resolved_late"),
    "open": ("open_in_time", "open_overdue"),
    "in_competence": ("resolved_on_time", "resolved_late", "open_in_time", "open_overdue"),
}


def conditions(period: Period) -> dict[str, Q]:
    """One condition per basic figure for `period` (feedback.md §8, rules in the docstring)."""
    start, end = period.start, period.end
    counted = Q(kind=Kind.PAKN, received_at__lt=end) & (
        Q(finished_at__isnull=True) | Q(finished_at__gte=start)
    )
    received = counted & Q(received_at__gte=start)
    finished = counted & Q(finished_at__gte=start, finished_at__lt=end)
    resolved = finished & ~Q(state__in=list(DISPOSED.values()))
    # resolved_at is finished_at for a resolved item; finished_at stands in if it is missing.
    late = resolved & (
        Q(handle_due__isnull=False)
        & (
            Q(resolved_at__gt=F("handle_due"))
            | Q(resolved_at__isnull=True, finished_at__gt=F("handle_due"))
        )
    )
    still_open = counted & (Q(finished_at__isnull=True) | Q(finished_at__gte=end))
    result = {
        "carried_over": counted & Q(received_at__lt=start),
        "received": received,
        "resolved_on_time": resolved & ~late,
        "resolved_late": late,
        **{name: finished & Q(state=state) for name, state in DISPOSED.items()},
        "open_in_time": still_open & ~Q(handle_due__lt=end),
        "open_overdue": still_open & Q(handle_due__lt=end),
        **{channel_figure(c): received & Q(channel=c) for c in CHANNELS},
        **{subject_figure(s): received & Q(subject=s) for s in Subject.values},
        subject_figure(UNCLASSIFIED): received & ~Q(subject__in=Subject.values),
        "questions": Q(kind=Kind.QUESTION, received_at__gte=start, received_at__lt=end),
    }
    # not a figure: every row some figure can come from
    result["_rows"] = counted | result["questions"]
    return result


def figure_condition(period: Period, figure: str) -> Q:
    """The condition of a basic or summed figure (`resolved`, `open`, `channel:hotline`...)."""
    if figure not in FIGURES:
        raise KeyError(figure)
    found = conditions(period)
    combined = Q(pk__in=[])
    for basic in FIGURES[figure]:
        combined |= found[basic]
    return combined


def counts(queryset: QuerySet, period: Period, group_by: str | None = None) -> list[dict]:
    """Basic counts of the items in `queryset` for `period`, optionally per `group_by` value.

    One query; only rows some figure counts are read. Keys are the basic figure names
    (plus `group_by`).
    """
    found = conditions(period)
    alias = {f"n{i}": name for i, name in enumerate(BASIC)}
    aggregates = {a: count_rows(found[name]) for a, name in alias.items()}
    rows = queryset.filter(found["_rows"])
    if group_by is None:
        raw = [rows.aggregate(**aggregates)]
    else:
        raw = list(rows.values(group_by).annotate(**aggregates).order_by(group_by))
    result = []
    for row in raw:
        named = {name: int(row.get(a) or 0) for a, name in alias.items()}
        if group_by is not None:
            named[group_by] = row[group_by]
        result.append(named)
    return result


def items_behind(queryset: QuerySet, period: Period, figure: str) -> QuerySet:
    """The items behind one figure (same expressions as `counts`)."""
    return queryset.filter(figure_condition(period, figure))


# -- figures ---------------------------------------------------------------------------------


class IdentityBroken(AssertionError):
    """carried_over + received ≠ resolved + forwarded + redirected + refused + open."""


def _zeros(keys: tuple[str, ...]) -> dict[str, int]:
    return dict.fromkeys(keys, 0)


@dataclass
class FeedbackFigures:
    """Leaf counts of PAKN, received items by channel and subject, and quick answers apart."""

    carried_over: int = 0
    received: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    forwarded: int = 0
    redirected: int = 0
    refused: int = 0
    open_in_time: int = 0
    open_overdue: int = 0
    by_channel: dict[str, int] = field(default_factory=lambda: _zeros(CHANNELS))
    by_subject: dict[str, int] = field(default_factory=lambda: _zeros(SUBJECTS))
    questions: int = 0

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> FeedbackFigures:
        """Build from a `counts()` row."""
        return cls(
            **{leaf: int(row.get(leaf) or 0) for leaf in LEAVES},
            by_channel={c: int(row.get(channel_figure(c)) or 0) for c in CHANNELS},
            by_subject={s: int(row.get(subject_figure(s)) or 0) for s in SUBJECTS},
            questions=int(row.get("questions") or 0),
        )

    def __add__(self, other: FeedbackFigures) -> FeedbackFigures:
        summed: dict[str, Any] = {}
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if isinstance(mine, dict):
                summed[f.name] = {k: mine.get(k, 0) + theirs.get(k, 0) for k in mine}
            else:
                summed[f.name] = mine + theirs
        return FeedbackFigures(**summed)

    @property
    def resolved(self) -> int:
        """Đã giải quyết xong: on time + late."""
        return self.resolved_on_time + self.resolved_late

    @property
    def open(self) -> int:
        """Open at the period's end (in time + overdue)."""
        return self.open_in_time + self.open_overdue

    @property
    def counted(self) -> int:
        """Every PAKN the period is about: carried over + received."""
        return self.carried_over + self.received

    @property
    def in_competence(self) -> int:
        """Items the unit had to answer itself: counted − forwarded − redirected − refused."""
        return self.resolved + self.open

    def value(self, figure: str) -> int:
        """The value of any key of `FIGURES`."""
        kind, _, key = figure.partition(":")
        if kind == "channel" and key:
            return self.by_channel.get(key, 0)
        if kind == "subject" and key:
            return self.by_subject.get(key, 0)
        if figure not in FIGURES:
            raise KeyError(figure)
        return int(getattr(self, figure))

    def rates(self) -> dict[str, float | None]:
        """feedback.md §8 rates (None when there is nothing to divide by).

        resolution = resolved ÷ in competence; on_time (766 style) = (resolved on time +
        open in time) ÷ in competence; rounded half-up to 2 decimals (`figures.rate`).
        """
        if not self.in_competence:
            return {"resolution": None, "on_time": None}
        return {
            "resolution": rate(self.resolved, self.in_competence),
            "on_time": rate(self.resolved_on_time + self.open_in_time, self.in_competence),
        }

    def check(self) -> FeedbackFigures:
        """Raise IdentityBroken unless the outcome side accounts for every counted item."""
        outcomes = self.resolved + self.forwarded + self.redirected + self.refused + self.open
        if self.counted != outcomes:
            raise IdentityBroken(f"counted {self.counted} ≠ outcomes {outcomes}")
        return self

    def contract(self) -> dict[str, Any]:
        """The figures of the contract, in its order (without `period` and `unit`)."""
        return {
            key: dict(getattr(self, key)) if key.startswith("by_") else getattr(self, key)
            for key in CONTRACT_KEYS
        }


# -- statistics of a unit scope --------------------------------------------------------------


@dataclass
class FeedbackRow:
    """One line of a breakdown; `rank` is set only for rows with enough items to rank."""

    key: str
    name: str
    figures: FeedbackFigures
    rank: int | None = None
    rankable: bool = False

    def as_json(self) -> dict[str, Any]:
        """A row of `rows`: the contract's figures, the rates beside their counts, the rank."""
        return {
            "key": self.key,
            "name": self.name,
            **self.figures.contract(),
            "in_competence": self.figures.in_competence,
            "rates": self.figures.rates(),
            "ranked": self.rank is not None,
            "rank": self.rank,
        }


@dataclass
class FeedbackStatistics:
    """The feedback figures of one unit (with its subtree) for one period, optional rows."""

    period: Period
    unit: Unit
    unit_ids: frozenset[int]
    total: FeedbackFigures
    by: str | None = None
    rows: list[FeedbackRow] = field(default_factory=list)
    as_current: bool = False
    roots: frozenset[int] = frozenset()
    ranking_min: int = 10

    def as_json(self, *, questions: bool = False) -> dict[str, Any]:
        """The contract of `motcua stats feedback --format json` (+ `rows` with a breakdown).

        `questions` adds the quick answers counted apart (the API and page show them; the
        command-line contract does not).
        """
        data: dict[str, Any] = {
            "period": self.period.as_json(),
            "unit": self.unit.code,
            **self.total.contract(),
        }
        if questions:
            data["questions"] = self.total.questions
        if self.by:
            data["rows"] = [row.as_json() for row in self.rows]
        return data


def may_rank_officers(user: object, unit: Unit) -> bool:
    """Whether `user` may see the breakdown by officer of `unit` (issue: "for leaders").

    Figures by unit are for everyone who sees the unit; figures that name colleagues are for
    those who may export the unit's figures: leaders, the provincial office, inspectors.
    """
    from motcua.people.policy import Action, can

    return can(user, Action.EXPORT, unit)


def ranking_minimum() -> int:
    """N of the fair league table: a row is ranked only with at least N items (feedback §10)."""
    return int(settings.MOTCUA_FEEDBACK_RANKING_MIN)


def scoped_items(ids: frozenset[int]) -> QuerySet[Feedback]:
    """Feedback items handled by the units `ids`."""
    return Feedback.objects.filter(unit_id__in=ids)


def feedback_statistics(
    *,
    code: str,
    period: Period,
    by: str | None = None,
    as_current: bool = False,
    minimum: int | None = None,
) -> FeedbackStatistics:
    """Feedback figures for unit `code` (with its subtree) in `period`, optionally broken down.

    `by="unit"`: one row per child unit (as for dossiers) and the unit's own items;
    `by="officer"`: one row per handler, plus the items nobody was assigned. Rows with at
    least `minimum` (default `MOTCUA_FEEDBACK_RANKING_MIN`) counted items are ranked.
    """
    if by is not None and by not in BREAKDOWNS:
        raise StatsError(f"--by {by!r}: use one of {', '.join(BREAKDOWNS)}")
    found = scope_of(code, period, as_current=as_current)
    stats = FeedbackStatistics(
        period,
        found.unit,
        found.ids,
        FeedbackFigures(),
        by,
        as_current=as_current,
        roots=found.roots,
        ranking_min=ranking_minimum() if minimum is None else minimum,
    )
    if by is None:
        stats.total = FeedbackFigures.from_row(counts(scoped_items(found.ids), period)[0]).check()
        return stats
    return broken_down(stats, by)


def broken_down(stats: FeedbackStatistics, by: str) -> FeedbackStatistics:
    """The same scope and period with the rows of breakdown `by` (one grouped query).

    The page shows both breakdowns; the second reuses the scope of the first.
    """
    if by not in BREAKDOWNS:
        raise StatsError(f"--by {by!r}: use one of {', '.join(BREAKDOWNS)}")
    result = replace(stats, by=by, rows=[])
    queryset = scoped_items(stats.unit_ids)
    groups = _by_unit(queryset, result) if by == "unit" else _by_officer(queryset, result)
    # The grouped query read every row once: the total is the sum of its groups.
    result.total = sum((row.figures for row in groups), FeedbackFigures()).check()
    result.rows = rank_rows([row for row in groups if row.figures.counted], stats.ranking_min)
    return result


def _by_unit(queryset: QuerySet[Feedback], stats: FeedbackStatistics) -> list[FeedbackRow]:
    """One row per child unit (with its subtree), plus the unit's own items."""
    row_of = unit_rows(stats)
    totals: dict[str, FeedbackFigures] = defaultdict(FeedbackFigures)
    for row in counts(queryset, stats.period, "unit_id"):
        key = row_of.get(row["unit_id"], stats.unit.code)
        totals[key] = totals[key] + FeedbackFigures.from_row(row)
    latest: dict[str, Unit] = {}
    for u in Unit.objects.filter(code__in=list(totals)).order_by(
        F("valid_from").asc(nulls_first=True)
    ):
        latest[u.code] = u  # the newest version names the row
    has_children = any(key != stats.unit.code for key in totals)
    rows = []
    for key, figures in totals.items():
        name = latest[key].name if key in latest else key
        if key == stats.unit.code:
            name = DIRECT_ROW % {"name": stats.unit.name} if has_children else stats.unit.name
        rows.append(FeedbackRow(key, name, figures.check(), rankable=True))
    return rows


def _by_officer(queryset: QuerySet[Feedback], stats: FeedbackStatistics) -> list[FeedbackRow]:
    """One row per handler (cán bộ xử lý); items nobody was assigned form a row not ranked."""
    grouped = counts(queryset, stats.period, "handler_id")
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in=[r["handler_id"] for r in grouped]).only(
            "username", "full_name"
        )
    }
    rows = []
    for row in grouped:
        figures = FeedbackFigures.from_row(row).check()
        user = users.get(row["handler_id"])
        if user is None:
            rows.append(FeedbackRow("", UNASSIGNED, figures))
        else:
            rows.append(FeedbackRow(user.username, str(user), figures, rankable=True))
    return rows


def _standing(figures: FeedbackFigures) -> tuple[float, float]:
    rates = figures.rates()
    return (rates["on_time"] or 0.0, rates["resolution"] or 0.0)


def rank_rows(rows: list[FeedbackRow], minimum: int) -> list[FeedbackRow]:
    """Rank the rows with at least `minimum` counted items and something in competence.

    Order: the 766-style on-time rate, then the resolution rate, both descending; equal
    rates share a rank (1, 2, 2, 4). Ranked rows come first, in rank order; the others
    follow by name, the row of unassigned items last.
    """
    eligible = [
        r
        for r in rows
        if r.rankable and r.figures.counted >= minimum and r.figures.in_competence > 0
    ]
    eligible.sort(key=lambda r: (tuple(-v for v in _standing(r.figures)), r.name, r.key))
    previous: tuple[float, float] | None = None
    for position, row in enumerate(eligible, start=1):
        standing = _standing(row.figures)
        row.rank = position if standing != previous else eligible[position - 2].rank
        previous = standing
    others = sorted(
        (r for r in rows if r.rank is None), key=lambda r: (not r.rankable, r.name, r.key)
    )
    return [*eligible, *others]


def row_condition(stats: FeedbackStatistics, by: str, key: str) -> Q | None:
    """The items of one breakdown row (the grouping `feedback_statistics` used), or None."""
    if by == "unit":
        handlers = {h for h, row in unit_rows(stats).items() if row == key}
        return Q(unit_id__in=handlers) if handlers else None
    if by == "officer":
        return Q(handler__isnull=True) if key == "" else Q(handler__username=key)
    return None


def feedback_for_figure(stats: FeedbackStatistics, figure: str) -> QuerySet[Feedback]:
    """The items behind one figure of `stats` (the list length equals the figure)."""
    return items_behind(scoped_items(stats.unit_ids), stats.period, figure)
