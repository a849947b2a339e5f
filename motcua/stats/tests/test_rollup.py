"""The daily roll-up (motcua/stats/rollup.py) against the record-level path, its oracle.

Random histories (the generated tree of test_generated, plus a long tail of old dossiers and
random later writes: finishing, reopening, re-dating, transfers, deletions, bulk updates)
must give exactly the same statistics read from the roll-up as counted from the dossier rows,
for every unit, view, breakdown and several kinds of periods; the triggers must leave the
table exactly as a rebuild leaves it; `motcua stats rebuild-rollup` repairs a damaged table.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import override_settings

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import TZ
from motcua.lib.periods import custom_period, parse_period
from motcua.stats import rollup
from motcua.stats.models import DossierRollup
from motcua.stats.selectors import StatsError, dossier_statistics
from motcua.stats.tests.test_generated import build_tree, generate

PERIODS = ("2025-Q3", "2024")


def _figures(use_rollup: bool, **kw: Any) -> Any:
    with override_settings(MOTCUA_STATS_ROLLUP=use_rollup):
        try:
            return dossier_statistics(**kw).as_json()
        except StatsError as exc:
            return str(exc)


CASES = (  # code, view, by, as_current
    ("DT", "handling", None, False),
    ("DT", "handling", "unit", False),
    ("DT", "desk", "unit", False),
    ("DT", "handling", "level", False),
    ("DT", "handling", "field", False),
    ("DT", "desk", "procedure", False),
    ("N1", "handling", "unit", True),
    ("C1", "desk", None, False),
)


def _same_everywhere(periods: list[Any]) -> int:
    compared = 0
    for period in periods:
        for code, view, by, as_current in CASES:
            kw = dict(code=code, period=period, by=by, view=view, as_current=as_current)
            fast = _figures(True, **kw)
            assert fast == _figures(False, **kw), (code, period, view, by, as_current)
            compared += isinstance(fast, dict)
    return compared


def _table() -> dict[tuple, tuple]:
    """The roll-up's non-zero rows, key → measures."""
    rows = {}
    for r in DossierRollup.objects.values_list(*rollup.KEY, *rollup.MEASURES):
        if any(r[len(rollup.KEY) :]):
            rows[r[: len(rollup.KEY)]] = r[len(rollup.KEY) :]
    return rows


def _scramble(rng: random.Random, tree: Any) -> None:
    """Random later writes through the ORM (row saves and bulk updates): the triggers see all."""
    dossiers = list(Dossier.objects.filter(received_at__isnull=False).order_by("pk"))
    handlers = list(tree.units.values())
    for d in rng.sample(dossiers, 120):
        move = rng.randrange(6)
        assert d.received_at is not None
        if move == 0 and d.finished_at is None:  # finish an open dossier
            d.state = rng.choice(["resolved", "refused", "withdrawn"])
            d.finished_at = d.received_at + dt.timedelta(days=rng.randrange(0, 90))
        elif move == 1:  # re-dated due instant (calendar change, extension)
            d.statutory_due = (d.statutory_due or d.received_at) + dt.timedelta(
                days=rng.randrange(-5, 20)
            )
        elif move == 2:  # transfer to another handling unit
            d.competent_unit = rng.choice(handlers)
        elif move == 3:  # reopened by a correction
            d.state, d.finished_at = "in_progress", None
        elif move == 4:
            d.channel = rng.choice(["online", "direct", "postal"])
        else:
            d.delete()
            continue
        d.save()
    # one bulk update over many rows (a statement-level trigger on PostgreSQL)
    Dossier.objects.filter(pk__in=[d.pk for d in dossiers[::7]], finished_at__isnull=True).update(
        statutory_due=dt.datetime(2025, 8, 1, 0, 0, tzinfo=TZ)
    )


def _long_history(seed: int, count: int) -> Any:
    """The generated tree and history, plus dossiers received years earlier (2006–2023, over
    two decade boundaries), some still open, some finished years later."""
    tree = build_tree()
    generate(tree, seed=seed, count=count)
    old = list(Dossier.objects.order_by("pk")[:60])
    for n, d in enumerate(old):
        d.pk, d.code = None, f"OLD-{n}"
        year = 2016 + n % 8 if n % 4 else 2006 + n % 13
        d.received_at = dt.datetime(year, 1 + n % 12, 1 + n % 27, 9, tzinfo=TZ)
        d.finished_at = None if n % 3 else d.received_at + dt.timedelta(days=400 * (n % 5))
        d.statutory_due = d.received_at + dt.timedelta(days=30) if n % 2 else None
        d.state = "in_progress" if d.finished_at is None else "returned"
        d.save()
    return tree


@pytest.mark.django_db
def test_rollup_equals_record_level_on_random_histories() -> None:
    tree = _long_history(seed=7, count=500)
    periods = [parse_period(p) for p in PERIODS]
    periods.append(custom_period(dt.date(2024, 12, 31), dt.date(2025, 1, 1)))
    compared = _same_everywhere(periods)
    assert compared >= 16
    _scramble(random.Random(11), tree)
    kept = _table()
    assert rollup.rebuild() > 0
    assert _table() == kept  # the triggers left exactly what a rebuild computes
    _same_everywhere(periods)


@pytest.mark.django_db
def test_rebuild_command_repairs_the_table() -> None:
    tree = build_tree()
    generate(tree, seed=3, count=80)
    period = parse_period("2025-Q3")
    truth = _figures(False, code="DT", period=period)
    assert _figures(True, code="DT", period=period) == truth
    DossierRollup.objects.filter(grain=DossierRollup.WEEK).delete()  # flows lost
    assert _figures(True, code="DT", period=period) != truth
    out = io.StringIO()
    call_command("stats", "rebuild-rollup", stdout=out)
    assert "rebuilt" in out.getvalue() or "dựng lại" in out.getvalue()
    assert _figures(True, code="DT", period=period) == truth
    received = Dossier.objects.filter(received_at__isnull=False).count()
    day = DossierRollup.objects.filter(grain=DossierRollup.DAY, cube=rollup.BY_HANDLER)
    assert day.aggregate(n=Sum("received"))["n"] == received


@pytest.mark.django_db
def test_a_legacy_import_and_its_update_keep_the_rollup(tmp_path: Any, province: Any) -> None:
    """The importer writes in bulk (COPY / executemany, then bulk_update): the table follows."""
    from motcua.dossiers.importers import import_dossiers
    from motcua.dossiers.tests.factories import make_procedure

    make_procedure("1.000010", units=[province.commune_a], amount=10)
    header = "code,procedure_code,unit_code,channel,received_at,due_at,finished_at,outcome"
    rows = [
        "L-1,1.000010,C1,direct,2025-01-03T09:00+07:00,,,",
        "L-2,1.000010,C1,online,2024-12-20T09:00+07:00,,2025-01-10T15:00Z,resolved",
        "L-3,1.000010,C1,postal,2024-11-02T09:00+07:00,,,",
    ]
    path = tmp_path / "d.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    import_dossiers(path)
    period = parse_period("2025-Q1")
    first = _figures(True, code="C1", period=period)
    assert first == _figures(False, code="C1", period=period)
    assert first["received"]["total"] == 3
    rows[0] = "L-1,1.000010,C1,direct,2025-01-03T09:00+07:00,,2025-01-06T10:00+07:00,refused"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    assert import_dossiers(path).updated == 1
    second = _figures(True, code="C1", period=period)
    assert second == _figures(False, code="C1", period=period)
    assert second["closed_other"]["refused"] == first["closed_other"]["refused"] + 1
    kept = _table()
    rollup.rebuild()
    assert _table() == kept


def test_read_plan_covers_the_prefix_and_the_period_exactly() -> None:
    """The buckets a read sums: every day before E once in the prefix ("e" + "b"), every day
    of [S, E) once in the flows ("f" + "b"), and a bounded number of ranges whatever the
    period's length or how far it lies from the start of the history."""
    rng = random.Random(5)
    edges = [dt.date(2019, 12, 31), dt.date(2020, 1, 1), dt.date(2024, 2, 29)]
    for n in range(150):
        if n < 50:  # month ends, leap days, decade boundaries
            first = rng.choice(edges) + dt.timedelta(days=rng.randrange(-40, 40))
        else:
            first = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(40 * 365))
        last = first + dt.timedelta(days=rng.choice([0, 1, 6, 27, 30, 89, 364, 800, 4000]))
        origin, ranges = rollup.read_plan(custom_period(first, last))
        end = last + dt.timedelta(days=1)
        prefix: list[dt.date] = []
        flows: list[dt.date] = []
        for tag, grain, lo, hi in ranges:
            if lo is None:
                assert (tag, grain, hi) == ("e", DossierRollup.DECADE, origin) and origin <= first
                continue
            day = lo
            while day < hi:  # the buckets of the range, day by day
                assert rollup.bucket_start(grain, day) == day
                following = rollup.bucket_end(grain, day)
                covered = [day + dt.timedelta(days=k) for k in range((following - day).days)]
                assert all(rollup.bucket_start(grain, c) == day for c in covered)
                if tag in "eb":
                    prefix += covered
                if tag in "fb":
                    flows += covered
                day = following
        span = [origin + dt.timedelta(days=k) for k in range((end - origin).days)]
        assert sorted(prefix) == span
        assert sorted(flows) == span[(first - origin).days :]
        assert len(ranges) <= 14, (first, last, ranges)
    # a Decree 09 quarter: the open decades, 5 years, 2 months and 5 weeks
    _, ranges = rollup.read_plan(parse_period("2025-Q1"))
    assert [(tag, grain) for tag, grain, _, _ in ranges] == [
        ("e", DossierRollup.DECADE),
        ("b", DossierRollup.MONTH),
        ("e", DossierRollup.YEAR),
        ("f", DossierRollup.WEEK),
        ("b", DossierRollup.WEEK),
    ]


@pytest.mark.django_db
def test_rollup_equals_record_level_on_random_periods() -> None:
    """Custom periods with random edges (month ends, leap days, decades, many years)."""
    _long_history(seed=13, count=250)
    rng = random.Random(17)
    cases = (("DT", "handling", None), ("DT", "desk", "unit"), ("C1", "handling", None))
    compared = 0
    for n in range(14):
        first = dt.date(2005, 6, 1) + dt.timedelta(days=rng.randrange(21 * 365))
        if n < 4:
            first = dt.date(2019 + n, 12, 28 + n)
        last = first + dt.timedelta(days=rng.choice([0, 3, 20, 45, 100, 400, 3000]))
        period = custom_period(first, last)
        for code, view, by in cases:
            kw = dict(code=code, period=period, by=by, view=view)
            fast = _figures(True, **kw)
            assert fast == _figures(False, **kw), (first, last, code, view, by)
            compared += isinstance(fast, dict) and fast["received"]["total"] > 0
    assert compared >= 25
