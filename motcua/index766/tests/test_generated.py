"""Generated dossiers against an independent oracle for `progress.on_time` (statistics.md §5.6).

Rows come from a seeded RNG (every exit, open and paused dossiers, 0–3 supplement requests,
due instants at, just before and just after the finishing instant and the period's edges,
dossiers received after the period or never received) and are written with bulk_create.
`oracle` below is plain Python written from the rule text, not from `progress.py`; for many
calendar periods and for every unit the engine's numerator and denominator must equal it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

import pytest

from motcua.dossiers.models import Dossier
from motcua.index766.engine import compute_index
from motcua.index766.progress import on_time_by_unit, on_time_counts
from motcua.index766.tests.rows import dossier, procedure
from motcua.lib.periods import Period, parse_period
from motcua.units.models import Unit

UTC7 = dt.timezone(dt.timedelta(hours=7))
FIRST = dt.datetime(2026, 5, 1, tzinfo=UTC7)
FINISHED = ("resolved", "returned", "refused", "withdrawn", "stopped")
OPEN = ("received", "in_progress", "supplement_requested", "awaiting_payment")


@dataclass(frozen=True)
class Row:
    unit: int
    received: dt.datetime | None
    finished: dt.datetime | None
    due: dt.datetime | None
    supplements: int


def window(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """[F 00:00, (T + 1) 00:00) in Vietnam (UTC+7)."""
    start = dt.datetime.combine(period.first, dt.time(0), tzinfo=UTC7)
    end = dt.datetime.combine(period.last, dt.time(0), tzinfo=UTC7) + dt.timedelta(days=1)
    return start, end


def oracle(row: Row, start: dt.datetime, end: dt.datetime) -> tuple[bool, bool]:
    """(counted, on time) of one dossier, from the text of the rule.

    Counted: validly received before the end and not finished before the start. On time:
    never with more than one supplement request; a dossier finished in the period (any exit)
    when it finished no later than its appointment; one still open at the end when its
    appointment is not before the end; no appointment (no limit, or paused on one supplement
    with time left) is on time.
    """
    if row.received is None or row.received >= end:
        return False, False
    if row.finished is not None and row.finished < start:
        return False, False
    if row.supplements > 1:
        return True, False
    if row.due is None:
        return True, True
    if row.finished is not None and row.finished < end:
        return True, row.finished <= row.due
    return True, row.due >= end


def generate(units: list[Unit], seed: int, count: int = 900) -> list[Row]:
    rng = random.Random(seed)
    proc = procedure(units)
    version = proc.versions.get()
    objects, rows = [], []
    for _ in range(count):
        unit = rng.choice(units)
        received: dt.datetime | None = FIRST + dt.timedelta(minutes=rng.randrange(0, 150 * 1440))
        assert received is not None
        due: dt.datetime | None = received + dt.timedelta(hours=rng.randrange(1, 40 * 24))
        kind = rng.random()
        finished = None
        if kind < 0.55:
            state = rng.choice(FINISHED)
            edge = rng.random()
            assert due is not None
            if edge < 0.2:
                finished = due  # exactly at the appointment: on time
            elif edge < 0.35:
                finished = due + dt.timedelta(seconds=1)
            else:
                finished = received + dt.timedelta(hours=rng.randrange(1, 50 * 24))
        elif kind < 0.95:
            state = rng.choice(OPEN)
        else:
            state, received, due = "submitted", None, None
        if received is not None and rng.random() < 0.15:
            due = None  # no limit, or paused on a supplement with time left
        if due is not None and rng.random() < 0.1:  # due at a month's end instant
            local = due.astimezone(UTC7)
            nxt = dt.datetime(
                local.year + (local.month == 12), local.month % 12 + 1, 1, tzinfo=UTC7
            )
            due = nxt
        supplements = rng.choices((0, 1, 2, 3), (60, 25, 10, 5))[0]
        objects.append(
            dossier(
                proc,
                unit,
                received=received,
                due=due,
                state=state,
                finished=finished,
                supplements=supplements,
                version=version,
            )
        )
        rows.append(Row(unit.pk, received, finished, due, supplements))
    Dossier.objects.bulk_create(objects)
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2])
def test_on_time_matches_the_oracle(seed: int) -> None:
    province = Unit.objects.create(code="P", name="Ủy ban nhân dân tỉnh", level="province")
    communes = [
        Unit.objects.create(
            code=f"X{i}", name=f"Ủy ban nhân dân xã {i}", level="commune", parent=province
        )
        for i in range(4)
    ]
    rows = generate([province, *communes], seed)
    periods = [
        parse_period(p, calendar=True)
        for p in (
            "2026-M05",
            "2026-M06",
            "2026-M07",
            "2026-M08",
            "2026-M09",
            "2026-Q3",
            "2026-H2",
            "2026",
        )
    ]
    checked = 0
    for period in periods:
        start, end = window(period)
        want: dict[int, Counter] = {}
        for row in rows:
            counted, on_time = oracle(row, start, end)
            if counted:
                c = want.setdefault(row.unit, Counter())
                c["d"] += 1
                c["n"] += on_time
        got = on_time_by_unit([province, *communes], period.start, period.end)
        assert got == {u: (c["n"], c["d"]) for u, c in want.items()}, period
        total = (sum(c["n"] for c in want.values()), sum(c["d"] for c in want.values()))
        assert on_time_counts([province, *communes], period.start, period.end) == total
        result = compute_index("P", period, by_unit=True)
        v = result.total.indicator("progress.on_time")
        assert (v.numerator, v.denominator) == total
        for line in result.rows:
            unit = Unit.objects.get(code=line.code)
            c = want.get(unit.pk, Counter())
            value = line.card.indicator("progress.on_time")
            assert (value.numerator, value.denominator) == (c["n"], c["d"])
        checked += total[1]
    assert checked > 1000  # the periods really contain dossiers
