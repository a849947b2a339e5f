"""Generated dossier histories against the identities and an independent oracle (statistics.md §2).

Rows are written directly (bulk_create) from a seeded RNG over a small versioned tree: an old
province with its office, two districts and three communes until 2025-06-30, and the new
two-tier province from 2025-07-01, every old unit linked to a successor. Then, for months,
quarters, halves, years (Decree 09 and calendar) and custom ranges, for every unit and every
breakdown:

- carried_over + new = resolved + refused + withdrawn + pending, for the total and every row;
- the rows add up to the total;
- pending(P) = carried_over(next P) for contiguous periods of one family;
- a pure-Python reading of §2 (`oracle_leaf`, written from the text, not from
  classification.py) gives exactly the same leaves, row by row;
- as_current moves dossiers between rows but never creates or loses one.

`hypothesis` is not a dependency of the project; the seeds below play its part.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pytest

from motcua.conftest import make_unit
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import TZ, make_procedure
from motcua.lib.periods import CALENDAR, DECREE09, Period, custom_period, parse_period
from motcua.procedures.models import Field, Procedure
from motcua.stats.figures import Figures
from motcua.stats.selectors import Statistics, StatsError, dossier_statistics
from motcua.units.models import Unit, UnitSuccession

LEAVES = (
    "carried_over",
    "new_online",
    "new_direct",
    "new_postal",
    "early",
    "on_time",
    "late",
    "refused",
    "withdrawn",
    "within_deadline",
    "overdue",
)
REFORM = dt.date(2025, 7, 1)
LAST_OLD_DAY = dt.date(2025, 6, 30)
HISTORY_FIRST = dt.date(2024, 9, 1)
HISTORY_LAST = dt.date(2026, 2, 28)
OPEN_STATES = ("received", "in_progress", "supplement_requested", "awaiting_payment")
NEVER_RECEIVED = ("draft", "submitted", "refused_at_intake")


# ---------------------------------------------------------------------------- the oracle


def local_date(instant: dt.datetime) -> dt.date:
    """The date in Vietnam (UTC+7, no daylight saving) of an aware instant."""
    return (instant.astimezone(dt.UTC) + dt.timedelta(hours=7)).date()


def window(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """§1: from F 00:00 local up to, excluding, (T + 1 day) 00:00 local — as UTC instants."""
    start = dt.datetime.combine(period.first, dt.time(0), tzinfo=dt.UTC) - dt.timedelta(hours=7)
    end = dt.datetime.combine(
        period.last + dt.timedelta(days=1), dt.time(0), tzinfo=dt.UTC
    ) - dt.timedelta(hours=7)
    return start, end


@dataclass(frozen=True)
class Row:
    """The fields of a dossier that §2 reads, plus what it is grouped by."""

    received_at: dt.datetime | None
    finished_at: dt.datetime | None
    statutory_due: dt.datetime | None
    state: str
    channel: str
    handler: int  # the competent unit, else the receiving one
    level: str
    field: str
    procedure: str


def oracle_leaf(row: Row, start: dt.datetime, end: dt.datetime) -> tuple[str, str] | None:
    """(intake leaf, outcome leaf) of a dossier for the period [start, end), or None.

    Written from statistics.md §2, rule by rule.
    """
    # 1. counted: validly received before E and not finished before S.
    if row.received_at is None or not row.received_at < end:
        return None
    if row.finished_at is not None and row.finished_at < start:
        return None
    # 2./3. carried over if received before S, else new by channel.
    intake = "carried_over" if row.received_at < start else f"new_{row.channel}"
    # 4. finished in the period, by exit.
    if row.finished_at is not None and start <= row.finished_at < end:
        if row.state in ("resolved", "returned"):
            if row.statutory_due is None:  # 6. no time limit: on time
                return intake, "on_time"
            if local_date(row.finished_at) < local_date(row.statutory_due):
                return intake, "early"
            if row.finished_at > row.statutory_due:
                return intake, "late"
            return intake, "on_time"
        if row.state == "refused":
            return intake, "refused"
        if row.state in ("withdrawn", "stopped"):
            return intake, "withdrawn"
        raise AssertionError(f"finished dossier in state {row.state}")
    # 5. pending: open at E; a pause within its budget has no due instant (within deadline).
    if row.statutory_due is not None and row.statutory_due < end:
        return intake, "overdue"
    return intake, "within_deadline"


def oracle_counts(rows: Iterable[Row], period: Period, key: Any = None) -> dict[Any, Counter]:
    """Leaf counts of `rows` for `period`, per `key(row)` (one group `None` without a key)."""
    start, end = window(period)
    result: dict[Any, Counter] = defaultdict(Counter)
    for row in rows:
        leaves = oracle_leaf(row, start, end)
        if leaves is None:
            continue
        group = key(row) if key else None
        result[group][leaves[0]] += 1
        result[group][leaves[1]] += 1
    return result


def leaves_of(figures: Figures) -> dict[str, int]:
    return {leaf: getattr(figures, leaf) for leaf in LEAVES}


def as_dict(counter: Counter) -> dict[str, int]:
    return {leaf: counter.get(leaf, 0) for leaf in LEAVES}


# ---------------------------------------------------------------------------- the tree


@dataclass
class Tree:
    """The unit versions of the generated province, and its unit graph in plain dicts."""

    units: dict[str, Unit]  # short name -> unit
    parent: dict[int, int | None]
    code: dict[int, str]
    valid: dict[int, tuple[dt.date | None, dt.date | None]]
    successor: dict[int, int]  # principal successor
    old_handlers: list[Unit]
    new_handlers: list[Unit]


def build_tree() -> Tree:
    """Old DT (office, districts D1 and D2, communes C1–C3) → new DT (office, N1, N2)."""
    old = make_unit("DT", "Ủy ban nhân dân tỉnh Đồng Tháp", "province", valid_to=LAST_OLD_DAY)
    vp_old = make_unit("VP", "Văn phòng UBND tỉnh", "department", old, valid_to=LAST_OLD_DAY)
    d1 = make_unit("D1", "UBND huyện Tháp Mười", "district", old, valid_to=LAST_OLD_DAY)
    c1 = make_unit("C1", "UBND xã Mỹ An", "commune", d1, valid_to=LAST_OLD_DAY)
    c2 = make_unit("C2", "UBND xã Mỹ Hòa", "commune", d1, valid_to=LAST_OLD_DAY)
    d2 = make_unit("D2", "UBND huyện Lấp Vò", "district", old, valid_to=LAST_OLD_DAY)
    c3 = make_unit("C3", "UBND xã Bình Thành", "commune", d2, valid_to=LAST_OLD_DAY)
    new = make_unit("DT", "Ủy ban nhân dân tỉnh Đồng Tháp", "province", valid_from=REFORM)
    vp_new = make_unit("VP", "Văn phòng UBND tỉnh", "department", new, valid_from=REFORM)
    n1 = make_unit("N1", "UBND xã Tháp Mười", "commune", new, valid_from=REFORM)
    n2 = make_unit("N2", "UBND xã Lấp Vò", "commune", new, valid_from=REFORM)
    links = [(old, new), (vp_old, vp_new), (d1, n1), (c1, n1), (c2, n1), (d2, n2), (c3, n2)]
    for pred, succ in links:
        UnitSuccession.objects.create(predecessor=pred, successor=succ, effective_date=REFORM)
    units = {
        "old": old,
        "vp_old": vp_old,
        "d1": d1,
        "c1": c1,
        "c2": c2,
        "d2": d2,
        "c3": c3,
        "new": new,
        "vp_new": vp_new,
        "n1": n1,
        "n2": n2,
    }
    return Tree(
        units=units,
        parent={u.pk: u.parent_id for u in units.values()},
        code={u.pk: u.code for u in units.values()},
        valid={u.pk: (u.valid_from, u.valid_to) for u in units.values()},
        successor={p.pk: s.pk for p, s in links},
        old_handlers=[old, vp_old, d1, c1, c2, d2, c3],
        new_handlers=[new, vp_new, n1, n2],
    )


def oracle_scope(tree: Tree, code: str, period: Period) -> tuple[set[int], int] | None:
    """Units whose dossiers count for `code` in `period` (units as they were), and the root.

    A unit counts when it is in force on some day of the period and one of its ancestors (or
    itself) is a version of `code` in force during the period; so do the closed units that a
    counted unit took over, with everything below them, whether or not they were in force on
    some day of the period (units.md §5: their files went to the successor). The root
    labelling the figures is the latest such version. None when `code` has no version in the
    period.
    """

    def alive(pk: int) -> bool:
        first, last = tree.valid[pk]
        return (first is None or first <= period.last) and (last is None or last >= period.first)

    roots = [pk for pk, c in tree.code.items() if c == code and alive(pk)]
    if not roots:
        return None
    ids = set()
    for pk in tree.parent:
        up: int | None = pk
        while up is not None:
            if up in roots:
                ids.add(pk)
                break
            up = tree.parent[up]
    ids = {pk for pk in ids if alive(pk)}

    def below(top: int) -> set[int]:
        found = set()
        for pk in tree.parent:
            up: int | None = pk
            while up is not None and up != top:
                up = tree.parent[up]
            if up == top:
                found.add(pk)
        return found

    stack = list(ids)
    while stack:
        unit = stack.pop()
        for pred in [p for p, succ in tree.successor.items() if succ == unit]:
            for pk in below(pred):
                # Alive on some day of the period or not (a quarter spanning 01/07/2025
                # counts the old units' dossiers under their successors).
                if pk not in ids:
                    ids.add(pk)
                    stack.append(pk)
    latest = max(roots, key=lambda pk: tree.valid[pk][0] or dt.date.min)
    return ids, latest


def current_of(tree: Tree, pk: int) -> int:
    while pk in tree.successor:
        pk = tree.successor[pk]
    return pk


def row_owner(tree: Tree, root: int, pk: int) -> str:
    """The by-unit row of a handler: the root's child on its way up, or the root itself.

    A closed unit outside the root's subtree (taken over by a unit in it) counts in the row
    of its successor.
    """

    def under_root(unit: int) -> bool:
        up: int | None = unit
        while up is not None and up != root:
            up = tree.parent[up]
        return up == root

    while not under_root(pk) and pk in tree.successor:
        pk = tree.successor[pk]
    path = [pk]
    while path[-1] != root and (up := tree.parent[path[-1]]) is not None:
        path.append(up)
    if path[-1] != root or len(path) == 1:
        return tree.code[root]
    return tree.code[path[-2]]


# ---------------------------------------------------------------------------- the history


def _instant(rng: random.Random, first: dt.date, days: int) -> dt.datetime:
    """A local instant in [first, first + days), often on an edge of a day."""
    day = first + dt.timedelta(days=rng.randrange(days))
    edge = rng.random()
    if edge < 0.08:
        clock = dt.time(0, 0, 0)  # midnight: the first instant of a period
    elif edge < 0.14:
        clock = dt.time(23, 59, 59)  # the last second of a day
    else:
        clock = dt.time(rng.randrange(7, 17), rng.randrange(60), rng.randrange(60))
    return dt.datetime.combine(day, clock, tzinfo=TZ)


def generate(tree: Tree, seed: int, count: int = 700) -> list[Row]:
    """`count` dossiers with consistent fields, written with bulk_create; their oracle rows."""
    rng = random.Random(seed)
    fields = [
        Field.objects.get_or_create(code=c, defaults={"name": n})[0]
        for c, n in [("ho-tich", "Hộ tịch"), ("chung-thuc", "Chứng thực"), ("dat-dai", "Đất đai")]
    ]
    units = list(tree.units.values())
    procedures = [
        make_procedure("1.000001", units=units, amount=5, level="commune"),
        make_procedure("1.000002", units=units, amount=15, level="district", name="Đất đai"),
        make_procedure("1.000003", units=units, amount=None, level="province", name="Không hạn"),
        make_procedure("1.000004", units=units, amount=1, level="commune", name="Chứng thực"),
    ]
    for proc, kind in zip(procedures, [fields[0], fields[2], fields[1], fields[1]], strict=True):
        Procedure.objects.filter(pk=proc.pk).update(field=kind)
    versions = {p.pk: p.versions.get() for p in procedures}
    span = (HISTORY_LAST - HISTORY_FIRST).days + 1
    objects, rows = [], []
    for n in range(count):
        received = _instant(rng, HISTORY_FIRST, span)
        proc = rng.choice(procedures)
        handlers = tree.new_handlers if local_date(received) >= REFORM else tree.old_handlers
        competent: Unit | None = rng.choice(handlers)
        receiving = competent if rng.random() < 0.7 else rng.choice(handlers)
        if rng.random() < 0.1:
            receiving, competent = competent, None  # decided where received
        assert receiving is not None
        channel = rng.choices(("online", "direct", "postal"), (50, 44, 6))[0]
        field: Field | None = rng.choice([*fields, None])
        due: dt.datetime | None = None
        if proc.time_limit_amount is not None:
            due = received + dt.timedelta(
                days=rng.choice((1, 3, 7, 21, 60)), hours=rng.randrange(9)
            )
            if rng.random() < 0.3:  # due at a local midnight
                due = dt.datetime.combine(local_date(due), dt.time(0), tzinfo=TZ)
            due = max(due, received)
        state = rng.choices(
            ("returned", "resolved", "refused", "withdrawn", "stopped", "open", "never"),
            (45, 15, 5, 3, 2, 25, 5),
        )[0]
        finished: dt.datetime | None = None
        received_at: dt.datetime | None = received
        if state == "never":
            state = rng.choice(NEVER_RECEIVED)
            received_at = None
            if state == "refused_at_intake":  # an intake refusal has an instant too
                finished = received + dt.timedelta(hours=rng.randrange(1, 200))
                due = None
        elif state == "open":
            state = rng.choice(OPEN_STATES)
            if state == "supplement_requested" and rng.random() < 0.6:
                due = None  # paused within its budget
        else:
            finished = _finish(rng, received, due)
        objects.append(
            Dossier(
                code=f"G{seed}-{n:05d}",
                procedure=proc,
                procedure_version=versions[proc.pk],
                field=field,
                time_limit_amount=proc.time_limit_amount,
                time_limit_unit=proc.time_limit_unit,
                rule_version="nd118_2025" if local_date(received) >= REFORM else "nd61_2018",
                state=state,
                channel=channel,
                receiving_unit=receiving,
                competent_unit=competent,
                applicant_name=f"Người nộp {n}",
                submitted_at=received,
                received_at=received_at,
                finished_at=finished,
                statutory_due=due,
                promised_due=due,
            )
        )
        rows.append(
            Row(
                received_at,
                finished,
                due,
                state,
                channel,
                (competent or receiving).pk,
                proc.level,
                field.code if field else "",
                proc.code,
            )
        )
    Dossier.objects.bulk_create(objects)
    return rows


def _finish(rng: random.Random, received: dt.datetime, due: dt.datetime | None) -> dt.datetime:
    """A finishing instant after receipt, often right on an edge of the due instant."""
    if due is None or rng.random() < 0.3:
        return received + dt.timedelta(seconds=rng.randrange(60, 40 * 86400))
    day_start = dt.datetime.combine(local_date(due), dt.time(0), tzinfo=TZ)
    choice = rng.randrange(6)
    if choice == 0:
        instant = due  # exactly at the due instant: on time
    elif choice == 1:
        instant = due + dt.timedelta(seconds=1)  # one second late
    elif choice == 2:
        instant = day_start  # first instant of the due date: not early
    elif choice == 3:
        instant = day_start - dt.timedelta(seconds=1)  # last second of the day before: early
    elif choice == 4:
        instant = due + dt.timedelta(days=rng.randrange(1, 30))
    else:
        instant = received + (due - received) * rng.random()
    return max(instant, received)


# ---------------------------------------------------------------------------- periods


def months(calendar: bool) -> list[Period]:
    return [
        parse_period(f"{y}-M{m:02d}", calendar=calendar)
        for y, m in [(2024, 10), (2024, 11), (2024, 12)]
        + [(2025, m) for m in range(1, 13)]
        + [(2026, 1), (2026, 2)]
    ]


def quarters(calendar: bool) -> list[Period]:
    names = ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]
    return [parse_period(n, calendar=calendar) for n in names]


def custom_chain(first: dt.date, length: int, count: int) -> list[Period]:
    return [
        custom_period(
            first + dt.timedelta(days=i * length),
            first + dt.timedelta(days=(i + 1) * length - 1),
        )
        for i in range(count)
    ]


def chains() -> list[list[Period]]:
    """Contiguous sequences of one family each."""
    return [
        months(False),
        months(True),
        quarters(False),
        quarters(True),
        [parse_period(n) for n in ("2025-H1", "2025-H2")],
        [parse_period(n, calendar=True) for n in ("2025-H1", "2025-H2")],
        custom_chain(dt.date(2025, 5, 20), 9, 6),  # across the reform
        custom_chain(dt.date(2024, 12, 30), 31, 4),
    ]


def all_periods(seed: int) -> list[Period]:
    """Decree 09 months, quarters of both families, halves, years and random custom ranges."""
    rng = random.Random(seed)
    periods = [*months(False)[::2], *months(True)[1::4], *quarters(False), *quarters(True)]
    periods += [parse_period(n, calendar=c) for n in ("2025-H1", "2025-H2") for c in (False, True)]
    periods += [parse_period("2025"), parse_period("2025", calendar=True)]
    for _ in range(4):
        first = HISTORY_FIRST + dt.timedelta(days=rng.randrange(500))
        periods.append(custom_period(first, first + dt.timedelta(days=rng.randrange(0, 120))))
    return periods


def within_one_era(period: Period) -> bool:
    return period.last < REFORM or period.first >= REFORM


# ---------------------------------------------------------------------------- the tests


@pytest.fixture
def history(db: None, request: pytest.FixtureRequest) -> tuple[Tree, list[Row]]:
    tree = build_tree()
    return tree, generate(tree, getattr(request, "param", 1))


def assert_identity(figures: Figures, where: str) -> None:
    assert figures.received == figures.resolved + figures.refused + figures.withdrawn + (
        figures.pending
    ), where
    assert figures.new == figures.new_online + figures.new_direct + figures.new_postal, where
    assert figures.resolved == figures.early + figures.on_time + figures.late, where
    assert figures.pending == figures.within_deadline + figures.overdue, where


BREAKDOWN_KEYS = {
    "level": lambda row: row.level,
    "field": lambda row: row.field,
    "procedure": lambda row: row.procedure,
}
CODES = ("DT", "VP", "D1", "C1", "D2", "N1", "N2")


@pytest.mark.parametrize("history", [1, 2], indirect=True)
def test_figures_equal_the_oracle_for_every_period_unit_and_breakdown(
    history: tuple[Tree, list[Row]],
) -> None:
    tree, rows = history
    checked = 0
    for period in all_periods(len(rows)):
        # Every code over the named quarters, halves and years; the province over all.
        named = period.family != "custom" and "Tháng" not in period.name
        for code in CODES if named else ("DT",):
            scope = oracle_scope(tree, code, period)
            if scope is None:
                with pytest.raises(StatsError):
                    dossier_statistics(code=code, period=period)
                continue
            ids, root = scope
            mine = [r for r in rows if r.handler in ids]
            expected = oracle_counts(mine, period).get(None, Counter())
            where = f"{code} {period.label}"
            # A breakdown by every key only for the province and a commune: enough rows.
            kinds = ["unit", "level", "field", "procedure"] if code == "DT" else ["unit"]
            for by in kinds:
                stats = dossier_statistics(code=code, period=period, by=by)
                assert leaves_of(stats.total) == as_dict(expected), f"{where} total"
                assert_identity(stats.total, where)
                for row in stats.rows:
                    assert_identity(row.figures, f"{where} by {by} {row.key}")
                summed = sum((r.figures for r in stats.rows), Figures())
                assert summed == stats.total, f"{where} by {by}: rows do not add up"
                got = {row.key: leaves_of(row.figures) for row in stats.rows}
                if by == "unit":
                    if code == "DT" and not within_one_era(period):
                        continue  # see test_by_unit_across_the_reform
                    per = oracle_counts(
                        mine, period, lambda r, root=root: row_owner(tree, root, r.handler)
                    )
                else:
                    per = oracle_counts(mine, period, BREAKDOWN_KEYS[by])
                want = {str(k): as_dict(c) for k, c in per.items()}
                assert got == want, f"{where} by {by}"
                checked += 1
    assert checked > 150


def test_pending_is_next_periods_carried_over(history: tuple[Tree, list[Row]]) -> None:
    figures: dict[tuple[str, Period, bool], Statistics | None] = {}

    def stats(code: str, period: Period, as_current: bool) -> Statistics | None:
        if (code, period, as_current) not in figures:
            try:
                found = dossier_statistics(code=code, period=period, as_current=as_current)
            except StatsError:
                found = None
            figures[code, period, as_current] = found
        return figures[code, period, as_current]

    compared = 0
    for chain in chains():
        for before, after in itertools.pairwise(chain):
            assert before.last + dt.timedelta(days=1) == after.first  # contiguous
            assert before.family == after.family
            # As current: always the same units. As they were: within one era only (across
            # the reform see test_closed_units_keep_their_open_dossiers).
            views = [True]
            if within_one_era(before) and within_one_era(after):
                views.append(False)
            for as_current in views:
                for code in ("DT",) if as_current else ("DT", "D1", "C1", "N1"):
                    a, b = stats(code, before, as_current), stats(code, after, as_current)
                    if a is None or b is None or a.unit_ids != b.unit_ids:
                        continue  # not the same units on both sides
                    where = f"{code} {before.label} → {after.label} as_current={as_current}"
                    assert a.total.pending == b.total.carried_over, where
                    compared += 1
    assert compared > 50


def test_families_are_what_they_say(history: tuple[Tree, list[Row]]) -> None:
    assert {p.family for p in months(False)} == {DECREE09}
    assert {p.family for p in months(True)} == {CALENDAR}
    q3 = parse_period("2025-Q3", calendar=True)
    assert (q3.first, q3.last) == (dt.date(2025, 7, 1), dt.date(2025, 9, 30))


def test_subtree_before_and_after_the_reorganisation(history: tuple[Tree, list[Row]]) -> None:
    tree, _ = history
    u = tree.units
    q2 = dossier_statistics(code="DT", period=parse_period("2025-Q2"), by="unit")
    # Q2 2025 (Decree 09: 15/03–14/06): the old province, its districts and their communes.
    assert q2.unit_ids == {u[k].pk for k in ("old", "vp_old", "d1", "c1", "c2", "d2", "c3")}
    assert {r.key for r in q2.rows} <= {"DT", "VP", "D1", "D2"}
    d1 = dossier_statistics(code="D1", period=parse_period("2025-Q2"), by="unit")
    assert d1.unit_ids == {u["d1"].pk, u["c1"].pk, u["c2"].pk}
    assert {r.key for r in d1.rows} <= {"D1", "C1", "C2"}
    # Q3 2025 calendar (01/07–30/09): the new province and its new communes, plus the closed
    # units they took over (their dossiers still open on 01/07 count under the successors).
    q3 = dossier_statistics(code="DT", period=parse_period("2025-Q3", calendar=True), by="unit")
    new = {u[k].pk for k in ("new", "vp_new", "n1", "n2")}
    old = {u[k].pk for k in ("old", "vp_old", "d1", "c1", "c2", "d2", "c3")}
    assert q3.unit_ids == new | old
    assert {r.key for r in q3.rows} <= {"DT", "VP", "N1", "N2"}
    assert q3.total.received > 0 and q2.total.received > 0


@pytest.mark.parametrize("history", [6, 7], indirect=True)
def test_as_current_moves_rows_but_never_creates_or_loses_one(
    history: tuple[Tree, list[Row]],
) -> None:
    tree, rows = history
    new_root = tree.units["new"].pk
    periods = [*quarters(False), *quarters(True), parse_period("2025"), parse_period("2025-H1")]
    # After 2025-07-01 the default view drops closed units (see
    # test_closed_units_keep_their_open_dossiers): compare where every handler was alive.
    periods = [p for p in periods if p.first < REFORM]
    for period in periods:
        then = dossier_statistics(code="DT", period=period, by="unit")
        now = dossier_statistics(code="DT", period=period, by="unit", as_current=True)
        where = period.label
        assert now.total == then.total, where  # same dossiers, other rows
        assert sum((r.figures for r in now.rows), Figures()) == now.total, where
        # Every row of the current view is today's unit that the dossier's handler became.
        per = oracle_counts(
            rows, period, lambda r: row_owner(tree, new_root, current_of(tree, r.handler))
        )
        assert {r.key: leaves_of(r.figures) for r in now.rows} == {
            k: as_dict(c) for k, c in per.items()
        }, where
        if period.last < REFORM:  # old rows D1, D2 become N1, N2
            assert {r.key for r in now.rows} <= {"DT", "VP", "N1", "N2"}


def test_by_unit_across_the_reform(history: tuple[Tree, list[Row]]) -> None:
    tree, rows = history
    period = parse_period("2025")  # Decree 09: 15/12/2024–14/12/2025
    scope = oracle_scope(tree, "DT", period)
    assert scope is not None
    ids, _ = scope
    stats = dossier_statistics(code="DT", period=period, by="unit")
    owners = {}
    for pk in ids:  # the child of whichever province version the unit sat under
        unit = pk
        while (up := tree.parent[unit]) is not None and tree.code[up] != "DT":
            unit = up
        owners[pk] = tree.code[unit]
    per = oracle_counts([r for r in rows if r.handler in ids], period, lambda r: owners[r.handler])
    assert {r.key: leaves_of(r.figures) for r in stats.rows} == {
        k: as_dict(c) for k, c in per.items()
    }


def test_closed_units_keep_their_open_dossiers(history: tuple[Tree, list[Row]]) -> None:
    q2 = dossier_statistics(code="DT", period=parse_period("2025-Q2", calendar=True))
    q3 = dossier_statistics(code="DT", period=parse_period("2025-Q3", calendar=True))
    q3_now = dossier_statistics(
        code="DT", period=parse_period("2025-Q3", calendar=True), as_current=True
    )
    assert q3.total == q3_now.total
    assert q2.total.pending == q3.total.carried_over
