"""Phú Thọ, August 2026: the portal's published progress figures reproduced for all 163 units.

`../shared/data/qd766-phutho-2026-08/dvc-progress-tree_month-all.json` is the national
portal's own response (byte-identical, see its README): for each of the 163 units the dossiers
counted (`totalReceived`), those on time (`totalOnTime`) and overdue, the ratio and the score.
The test builds the province (H44) and its 163 units, then for every unit exactly its
published numbers of dossiers, spread over every way of being on time or overdue under the
national rule (finished on time by any exit, open within the deadline, waiting on one
supplement, carried over from July; finished late by any exit, refused after the
appointment, open past it, two supplement requests), plus dossiers that must not count
(finished in July, received in September, never received). `compute_index("H44",
2026-M08, by_unit=True)` must give, for every unit and the province, the published received,
on-time, ratio and score.

How the published ratio and score relate (checked here on every row): ratio = on time ÷
received × 100 and score = on time ÷ received × 20, each rounded **half-up** to 2 decimals
from the exact fraction. Rounding half-to-even (or binary floats) fails on one unit: Sở Tư
pháp (H44.19), 29 ÷ 32 = 90.625% → score 18.125 → published 18.13 (half-even gives 18.12).
Rounding the score from the rounded ratio (90.63 × 0.2 = 18.126) also gives 18.13 on all
rows, so the data cannot tell these two apart; motcua scores from the exact fraction.
Units with no dossiers (H44.01, H44.23) get ratio 0 and score 0, as published.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from motcua.dossiers.models import Dossier
from motcua.index766.engine import compute_index
from motcua.index766.indicators import ratio_percent, score
from motcua.index766.tests.rows import at, dossier, procedure
from motcua.lib.periods import parse_period
from motcua.units.models import Unit

DATA = (
    Path(__file__).resolve().parents[3]
    / ".."
    / "shared"
    / "data"
    / "qd766-phutho-2026-08"
    / "dvc-progress-tree_month-all.json"
)
AUGUST = parse_period("2026-M08", calendar=True)


def published() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))["data"]


Kind = tuple[str, dt.datetime | None, dt.datetime | None, dt.datetime | None, int]
# (state, received, due, finished, supplement_count): on time by the national rule
ON_TIME: list[Kind] = [
    ("returned", at(8, 3), at(8, 15), at(8, 10), 0),  # returned before the appointment
    ("in_progress", at(8, 20), at(9, 5), None, 0),  # open, within its deadline
    ("resolved", at(7, 20), at(8, 3, 10), at(8, 3, 10), 0),  # carried over, at the due instant
    ("refused", at(8, 4), at(8, 18), at(8, 11), 0),  # refused before the appointment
    ("supplement_requested", at(8, 25), None, None, 1),  # waiting on one supplement
    ("withdrawn", at(8, 5), at(8, 19), at(8, 6), 0),  # withdrawn in time
    ("received", at(7, 28), at(9, 1, 0), None, 0),  # due exactly at the period's end
    ("stopped", at(8, 6), None, at(8, 7), 0),  # no time limit
]
# ... and overdue
OVERDUE: list[Kind] = [
    ("returned", at(8, 3), at(8, 14), at(8, 14, 9, 1), 0),  # one minute after the appointment
    ("in_progress", at(8, 4), at(8, 20), None, 0),  # open past its deadline
    ("in_progress", at(6, 10), at(7, 1), None, 0),  # carried over, overdue since July
    ("refused", at(8, 5), at(8, 12), at(8, 28), 0),  # refused after the appointment
    ("resolved", at(8, 6), at(8, 30), at(8, 20), 2),  # two supplement requests
    ("stopped", at(8, 7), at(8, 11), at(8, 29), 0),  # stopped after the appointment
    ("supplement_requested", at(8, 8), None, None, 2),  # waiting on a second supplement
    ("withdrawn", at(7, 1), at(7, 30), at(8, 2), 0),  # carried over, withdrawn late
]
# never counted in August
NOISE: list[Kind] = [
    ("returned", at(7, 1), at(7, 15), at(7, 31, 23, 59), 0),  # finished before the period
    ("received", at(9, 1, 0), at(9, 10), None, 0),  # received after it
    ("submitted", None, None, None, 0),  # never received
]


def spread(total: int, kinds: int, k: int) -> int:
    """How many of `total` dossiers get kind `k` when kinds are dealt in turn."""
    return total // kinds + (1 if k < total % kinds else 0)


def replicate(templates: list[Dossier], copies: list[int]) -> None:
    """Give each saved template `count − 1` identical copies (codes left empty)."""
    columns = [f.column for f in Dossier._meta.concrete_fields if f.column not in ("id", "code")]
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = connection.ops.quote_name(Dossier._meta.db_table)
    top = max(copies)
    by_count: dict[int, list[int]] = {}
    for template, count in zip(templates, copies, strict=True):
        if count > 1:
            by_count.setdefault(count, []).append(template.pk)
    with connection.cursor() as cursor:
        for count, pks in by_count.items():
            marks = ", ".join(["%s"] * len(pks))
            # names from the model's own metadata, values as parameters
            series = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
            insert = f"INSERT INTO {table} ({names}) SELECT {names} FROM {table}, n "  # noqa: S608
            sql = series + insert + f"WHERE id IN ({marks}) AND n.i < %s"
            cursor.execute(sql, [min(count, top), *pks, count])


def build(data: dict) -> dict[str, Unit]:
    """The province, its 163 units, and their dossiers (bulk_create)."""
    parent = data["parent"]
    province = Unit.objects.create(
        code=parent["departmentCode"], name=parent["departmentName"], level="province"
    )
    units = Unit.objects.bulk_create(
        [
            Unit(
                code=c["departmentCode"],
                name=c["departmentName"],
                level="department" if c["level"] == "PROVINCE" else "commune",
                parent=province,
            )
            for c in data["children"]
        ]
    )
    by_code = {u.code: u for u in units}
    proc = procedure([province])
    version = proc.versions.get()
    # One template row per unit and kind (bulk_create), then as many copies as the published
    # counts ask for, made by the database (INSERT … SELECT over a recursive number series):
    # 184,513 rows without 184,513 Python objects.
    templates: list[Dossier] = []
    copies: list[int] = []
    for n, child in enumerate(data["children"]):
        unit = by_code[child["departmentCode"]]
        on_time, overdue = child["totalOnTime"], child["totalOverdue"]
        assert on_time + overdue == child["totalReceived"]
        wanted = [(kind, spread(on_time, len(ON_TIME), k)) for k, kind in enumerate(ON_TIME)]
        wanted += [(kind, spread(overdue, len(OVERDUE), k)) for k, kind in enumerate(OVERDUE)]
        if n % 10 == 0:
            wanted += [(kind, 1) for kind in NOISE]
        for (state, received, due, finished, supplements), count in wanted:
            if not count:
                continue
            templates.append(
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
            copies.append(count)
    Dossier.objects.bulk_create(templates, batch_size=2000)
    replicate(templates, copies)
    return {"H44": province, **by_code}


def test_published_ratio_and_score_are_half_up_of_the_exact_fraction() -> None:
    """The rounding rule, read off the published rows (independent of motcua's code)."""
    cent = Decimal("0.01")
    half_even_misses = []
    for row in published()["children"]:
        on_time, received = row["totalOnTime"], row["totalReceived"]
        if not received:
            assert (row["ratio"], row["score"]) == (0, 0)
            continue
        exact = Decimal(on_time) / Decimal(received)
        assert float((exact * 100).quantize(cent, ROUND_HALF_UP)) == row["ratio"]
        assert float((exact * 20).quantize(cent, ROUND_HALF_UP)) == row["score"]
        assert ratio_percent(on_time, received) == row["ratio"]
        assert score(on_time, received, 20) == row["score"]
        if float((exact * 20).quantize(cent, ROUND_HALF_EVEN)) != row["score"]:
            half_even_misses.append(row["departmentCode"])
    assert half_even_misses == ["H44.19"]


@pytest.mark.django_db
def test_all_163_units_and_the_province_match_the_portal() -> None:
    data = published()
    build(data)
    assert Dossier.objects.count() == 184_513 + 3 * 17

    result = compute_index("H44", AUGUST, by_unit=True)

    parent = data["parent"]
    total = result.total.indicator("progress.on_time")
    assert (total.denominator, total.numerator) == (parent["totalReceived"], parent["totalOnTime"])
    assert (total.ratio, total.points) == (parent["ratio"], parent["totalScore"])
    assert total.spec.max == parent["totalMaxScore"] == 20

    rows = {row.code: row for row in result.rows}
    assert len(rows) == 163  # every unit, with or without dossiers; H44 has none of its own
    mismatches = []
    for child in data["children"]:
        value = rows[child["departmentCode"]].card.indicator("progress.on_time")
        got = (value.denominator, value.numerator, value.ratio, value.points)
        want = (child["totalReceived"], child["totalOnTime"], child["ratio"], child["score"])
        if got != want:
            mismatches.append((child["departmentCode"], got, want))
        assert rows[child["departmentCode"]].name == child["departmentName"]
    assert mismatches == []

    # The contract, as the CLI prints it.
    out = StringIO()
    call_command(
        "index", "services", "--period", "2026-M08", "--unit", "H44", "--by", "unit", stdout=out
    )
    printed = json.loads(out.getvalue())
    assert (printed["unit"], printed["from"], printed["to"]) == ("H44", "2026-08-01", "2026-08-31")
    progress = next(g for g in printed["groups"] if g["code"] == "progress")
    assert progress["points"] == 15.68 and progress["max"] == 20
    assert progress["indicators"][0] == {
        "code": "progress.on_time",
        "numerator": 144625,
        "denominator": 184513,
        "ratio": 78.38,
        "points": 15.68,
        "max": 20,
        "status": "live",
        "data": "ok",
    }
    assert [r["unit"] for r in printed["rows"]] == [
        c["departmentCode"]
        for c in sorted(
            data["children"],
            key=lambda c: [int(p) if p.isdigit() else p for p in c["departmentCode"].split(".")],
        )
    ]
    empty = next(r for r in printed["rows"] if r["unit"] == "H44.01")
    empty_progress = next(g for g in empty["groups"] if g["code"] == "progress")["indicators"][0]
    assert (empty_progress["ratio"], empty_progress["points"], empty_progress["data"]) == (
        0.0,
        0.0,
        "empty",
    )
