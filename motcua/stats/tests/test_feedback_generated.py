"""Generated feedback histories against the identity and an independent oracle (feedback.md §8).

Items are written directly (bulk_create) from a seeded RNG over the versioned tree of
`test_generated` (old province with districts and communes until 2025-06-30, the two-tier
province from 2025-07-01, every old unit linked to a successor). Then, for Decree 09 and
calendar months, quarters, halves, years and custom ranges (several across 2025-07-01), for
every unit code and both breakdowns:

- carried_over + received = resolved + forwarded + redirected + refused + open_in_time +
  open_overdue, for the total and every row; received = Σ by_channel = Σ by_subject;
- a pure-Python reading of feedback.md §8 (`oracle`, written from the text, not from
  `motcua.stats.feedback`) gives exactly the same figures, total and row by row;
- open(P) = carried_over(next P) for contiguous periods of one family;
- every click-through list is as long as its figure;
- a row is ranked exactly when it has at least N items and something in competence.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pytest

from motcua.conftest import make_user
from motcua.feedback.models import Feedback
from motcua.lib.periods import Period, parse_period
from motcua.stats.feedback import (
    FIGURES,
    FeedbackFigures,
    FeedbackStatistics,
    feedback_for_figure,
    feedback_statistics,
)
from motcua.stats.selectors import StatsError
from motcua.stats.tests.test_generated import (
    CODES,
    HISTORY_FIRST,
    HISTORY_LAST,
    REFORM,
    Tree,
    _instant,
    all_periods,
    build_tree,
    chains,
    local_date,
    oracle_scope,
    row_owner,
    window,
    within_one_era,
)

OUTCOME_LEAVES = (
    "resolved_on_time",
    "resolved_late",
    "forwarded",
    "redirected",
    "refused",
    "open_in_time",
    "open_overdue",
)
LEAVES = ("carried_over", "received", *OUTCOME_LEAVES)
CHANNELS = (
    "portal",
    "national_portal",
    "hotline",
    "email",
    "zalo",
    "app",
    "chatbot",
    "counter",
    "letter",
    "transfer",
)
SUBJECTS = ("regulation", "conduct", "other")
OPEN = ("received", "supplement_requested", "supplemented", "processing")
ANSWERED = ("answer_approved", "published", "closed")
HANDLERS = ("hoa", "minh", "tuan")


# ---------------------------------------------------------------------------- the oracle


@dataclass(frozen=True)
class Item:
    """The fields of an item that §8 reads, plus what it is grouped by."""

    kind: str
    state: str
    received_at: dt.datetime
    finished_at: dt.datetime | None
    resolved_at: dt.datetime | None
    handle_due: dt.datetime | None
    channel: str
    subject: str
    unit: int
    handler: str  # username, "" when nobody was assigned


def oracle(item: Item, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """What one item adds to the figures of the period [start, end) (§8, rule by rule)."""
    if item.kind == "question":  # quick answers: apart, by receipt in the period
        return {"questions": 1} if start <= item.received_at < end else {}
    # open at the start of the period or received in it; never finished before it started
    if not item.received_at < end:
        return {}
    if item.finished_at is not None and item.finished_at < start:
        return {}
    counted: dict[str, int] = {}
    if item.received_at < start:
        counted["carried_over"] = 1
    else:
        counted["received"] = 1
        counted[f"channel:{item.channel}"] = 1
        counted[f"subject:{item.subject or 'unclassified'}"] = 1
    if item.finished_at is not None and item.finished_at < end:
        if item.state in ("forwarded", "redirected", "refused"):
            counted[item.state] = 1
        else:  # answered: awaiting publication, published or closed
            assert item.state in ANSWERED and item.resolved_at is not None
            late = item.handle_due is not None and item.resolved_at > item.handle_due
            counted["resolved_late" if late else "resolved_on_time"] = 1
    elif item.handle_due is not None and item.handle_due < end:
        counted["open_overdue"] = 1
    else:
        counted["open_in_time"] = 1
    return counted


def oracle_counts(
    items: Iterable[Item], period: Period, key: Callable[[Item], Any] | None = None
) -> dict[Any, Counter]:
    """Figures of `items` for `period`, per `key(item)` (one group `None` without a key)."""
    start, end = window(period)
    result: dict[Any, Counter] = defaultdict(Counter)
    for item in items:
        added = oracle(item, start, end)
        if added:
            result[key(item) if key else None].update(added)
    return result


def owner_key(tree: Tree, root: int) -> Callable[[Item], str]:
    """The by-unit row of an item: the root's child its unit sits under (`row_owner`)."""
    return lambda item: row_owner(tree, root, item.unit)


def handler_key(item: Item) -> str:
    """The by-officer row of an item: its handler's username, "" when unassigned."""
    return item.handler


def flat(figures: FeedbackFigures) -> dict[str, int]:
    """Every basic figure, flattened like the oracle's keys (zeros dropped)."""
    data = {leaf: getattr(figures, leaf) for leaf in LEAVES}
    data.update({f"channel:{c}": n for c, n in figures.by_channel.items()})
    data.update({f"subject:{s}": n for s, n in figures.by_subject.items()})
    data["questions"] = figures.questions
    return {k: v for k, v in data.items() if v}


def assert_identity(figures: FeedbackFigures, where: str) -> None:
    outcomes = sum(getattr(figures, leaf) for leaf in OUTCOME_LEAVES)
    assert figures.carried_over + figures.received == outcomes, where
    assert sum(figures.by_channel.values()) == figures.received, where
    assert sum(figures.by_subject.values()) == figures.received, where
    assert figures.resolved == figures.resolved_on_time + figures.resolved_late, where


# ---------------------------------------------------------------------------- the history


def _due(rng: random.Random, received: dt.datetime) -> dt.datetime | None:
    if rng.random() < 0.12:
        return None  # not computed (e.g. an item logged before the calendar was set)
    due = received + dt.timedelta(days=rng.choice((3, 15, 21, 30)), hours=rng.randrange(9))
    if rng.random() < 0.3:  # due at a local midnight
        due = dt.datetime.combine(local_date(due), dt.time(0), tzinfo=received.tzinfo)
    return due


def _finish(rng: random.Random, received: dt.datetime, due: dt.datetime | None) -> dt.datetime:
    """A finishing instant after receipt, often right on an edge of the due instant."""
    if due is None or rng.random() < 0.3:
        return received + dt.timedelta(seconds=rng.randrange(60, 50 * 86400))
    edges = [
        due,  # exactly at the due instant: on time
        due + dt.timedelta(seconds=1),  # one second late
        due - dt.timedelta(seconds=1),
        due + dt.timedelta(days=rng.randrange(1, 30)),
        received + (due - received) * rng.random(),
    ]
    return max(rng.choice(edges), received)


def generate(tree: Tree, seed: int, count: int = 800) -> list[Item]:
    """`count` items with consistent fields, written with bulk_create; their oracle rows."""
    rng = random.Random(seed)
    users = {name: make_user(name, full_name=f"Cán bộ {name}") for name in HANDLERS}
    span = (HISTORY_LAST - HISTORY_FIRST).days + 1
    objects, items = [], []
    for n in range(count):
        received = _instant(rng, HISTORY_FIRST, span)
        era = tree.new_handlers if local_date(received) >= REFORM else tree.old_handlers
        unit = rng.choice(era)
        handler = rng.choice([*HANDLERS, ""])
        channel = rng.choice(CHANNELS)
        subject = rng.choice([*SUBJECTS, ""])
        due = _due(rng, received)
        finished: dt.datetime | None = None
        resolved: dt.datetime | None = None
        if rng.random() < 0.1:
            kind, state, channel, due = "question", "closed", "hotline", None
            finished = received + dt.timedelta(minutes=rng.randrange(1, 10))
        else:
            kind = "pakn"
            outcome = rng.choices(
                ("open", "answered", "forwarded", "redirected", "refused"), (28, 50, 8, 7, 7)
            )[0]
            if outcome == "open":
                state = rng.choice(OPEN)
            else:
                finished = _finish(rng, received, due)
                state = rng.choice(ANSWERED) if outcome == "answered" else outcome
                resolved = finished if outcome == "answered" else None
        objects.append(
            Feedback(
                code=f"PA-G{seed}-{n:05d}",
                kind=kind,
                state=state,
                channel=channel,
                subject=subject,
                title=f"Phản ánh {n}",
                content="Nội dung",
                contact_at=received,
                received_at=received,
                unit=unit,
                handler=users.get(handler),
                finished_at=finished,
                resolved_at=resolved,
                handle_due=due,
            )
        )
        items.append(
            Item(kind, state, received, finished, resolved, due, channel, subject, unit.pk, handler)
        )
    Feedback.objects.bulk_create(objects)
    return items


@pytest.fixture
def history(db: None, request: pytest.FixtureRequest) -> tuple[Tree, list[Item]]:
    tree = build_tree()
    return tree, generate(tree, getattr(request, "param", 3))


def ranked_as_expected(stats: FeedbackStatistics, where: str) -> None:
    """Ranked iff ≥ N items and something in competence; ranks follow the on-time rate."""
    ranked = [r for r in stats.rows if r.rank is not None]
    for row in stats.rows:
        unassigned = stats.by == "officer" and row.key == ""
        eligible = (
            not unassigned
            and row.figures.counted >= stats.ranking_min
            and row.figures.in_competence > 0
        )
        assert (row.rank is not None) == eligible, f"{where} {row.key}"
    standings = [
        (r.figures.rates()["on_time"], r.figures.rates()["resolution"], r.rank) for r in ranked
    ]
    assert standings == sorted(standings, key=lambda s: (-(s[0] or 0), -(s[1] or 0), s[2]))
    if ranked:
        assert ranked[0].rank == 1
    assert stats.rows[: len(ranked)] == ranked, f"{where}: ranked rows first"


# ---------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("history", [3, 4], indirect=True)
def test_figures_equal_the_oracle_for_every_period_unit_and_breakdown(
    history: tuple[Tree, list[Item]],
) -> None:
    tree, items = history
    checked = 0
    ranks: Counter = Counter()
    for period in all_periods(len(items)):
        named = period.family != "custom" and "Tháng" not in period.name
        for code in CODES if named else ("DT", "N1", "C1"):
            scope = oracle_scope(tree, code, period)
            if scope is None:
                with pytest.raises(StatsError):
                    feedback_statistics(code=code, period=period)
                continue
            ids, root = scope
            mine = [i for i in items if i.unit in ids]
            expected = dict(oracle_counts(mine, period).get(None, Counter()))
            where = f"{code} {period.label}"
            plain = feedback_statistics(code=code, period=period)
            assert flat(plain.total) == expected, f"{where} total"
            assert_identity(plain.total, where)
            for by in ("unit", "officer"):
                stats = feedback_statistics(code=code, period=period, by=by, minimum=25)
                assert stats.total == plain.total, f"{where} by {by}: total"
                for row in stats.rows:
                    assert_identity(row.figures, f"{where} by {by} {row.key}")
                summed = sum((r.figures for r in stats.rows), FeedbackFigures())
                for leaf in LEAVES:  # rows hold every counted item (questions: total only)
                    assert getattr(summed, leaf) == getattr(stats.total, leaf), (where, by, leaf)
                ranked_as_expected(stats, f"{where} by {by}")
                ranks.update(r.rank is not None for r in stats.rows)
                got = {
                    r.key: {k: v for k, v in flat(r.figures).items() if k != "questions"}
                    for r in stats.rows
                }
                if by == "unit" and code == "DT" and not within_one_era(period):
                    continue  # rows across the reform: see test_generated
                key = owner_key(tree, root) if by == "unit" else handler_key
                per = oracle_counts(mine, period, key)
                want = {
                    str(k): {f: n for f, n in c.items() if f != "questions"} for k, c in per.items()
                }
                want = {k: v for k, v in want.items() if v}  # groups with questions only
                assert got == want, f"{where} by {by}"
                checked += 1
    assert checked > 150
    assert ranks[True] > 50 and ranks[False] > 50  # both kinds of rows were checked


def test_open_is_next_periods_carried_over(history: tuple[Tree, list[Item]]) -> None:
    compared = 0
    for chain in chains():
        for before, after in itertools.pairwise(chain):
            assert before.last + dt.timedelta(days=1) == after.first  # contiguous
            for as_current in (True, False):
                if not as_current and not (within_one_era(before) and within_one_era(after)):
                    continue  # across the reform the scope itself changes
                for code in ("DT",) if as_current else ("DT", "D1", "C1", "N1"):
                    try:
                        a = feedback_statistics(code=code, period=before, as_current=as_current)
                        b = feedback_statistics(code=code, period=after, as_current=as_current)
                    except StatsError:
                        continue
                    if a.unit_ids != b.unit_ids:
                        continue
                    where = f"{code} {before.label} → {after.label} as_current={as_current}"
                    assert a.total.open == b.total.carried_over, where
                    compared += 1
    assert compared > 50


def test_items_open_at_the_reform_stay_counted_under_the_successor(
    history: tuple[Tree, list[Item]],
) -> None:
    tree, items = history
    q2 = parse_period("2025-Q2", calendar=True)
    q3 = parse_period("2025-Q3", calendar=True)
    before = feedback_statistics(code="DT", period=q2).total
    after = feedback_statistics(code="DT", period=q3).total
    assert before.open == after.carried_over > 0
    # commune N1 took over D1, C1, C2: their open items are N1's carried-over ones
    n1 = feedback_statistics(code="N1", period=q3, by="unit")
    old = {tree.units[k].pk for k in ("d1", "c1", "c2")}
    start, _end = window(q3)
    expected = sum(
        1
        for i in items
        if i.kind == "pakn"
        and i.unit in old
        and i.received_at < start
        and (i.finished_at is None or i.finished_at >= start)
    )
    assert n1.total.carried_over == expected > 0
    assert {r.key for r in n1.rows} == {"N1"}
    now = feedback_statistics(code="DT", period=q3, as_current=True)
    assert now.total == feedback_statistics(code="DT", period=q3).total


@pytest.mark.parametrize(
    ("code", "period"),
    [
        ("DT", parse_period("2025")),  # Decree 09 year, across the reform
        ("DT", parse_period("2025-Q3", calendar=True)),
        ("N1", parse_period("2025-H2")),
        ("D1", parse_period("2025-Q1")),
        ("C1", parse_period("2024-Q4", calendar=True)),
    ],
)
def test_every_list_is_as_long_as_its_figure(
    history: tuple[Tree, list[Item]], code: str, period: Period
) -> None:
    stats = feedback_statistics(code=code, period=period)
    assert stats.total.counted > 0
    for figure in FIGURES:
        listed = feedback_for_figure(stats, figure)
        assert listed.count() == stats.total.value(figure), f"{code} {period.label} {figure}"

    # each counted item sits in one intake and one outcome leaf: the lists partition it
    def pks(figure: str) -> set[int]:
        return set(feedback_for_figure(stats, figure).values_list("pk", flat=True))

    intake = [pks(f) for f in ("carried_over", "received")]
    outcomes = [pks(f) for f in OUTCOME_LEAVES]
    assert set.union(*intake) == set.union(*outcomes)
    assert sum(map(len, intake)) == sum(map(len, outcomes)) == len(set.union(*intake))
