"""Task statistics: seed 000's 47 = 4 + 27 + 16, the Government Office's 2017 figures, the
counting rules one by one, and an independent oracle on generated tasks (issue 13)."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.assignments.tests.support import row, stats, write_csv

KEYS = [
    "in_scope",
    "done_on_time",
    "done_late",
    "reported_done",
    "in_progress_not_due",
    "overdue",
    "no_deadline",
    "cancelled",
    "completion_rate",
    "on_time_rate",
]


def load(tmp_path: Path, rows: list[dict]) -> str:
    out = io.StringIO()
    call_command("import", "tasks", str(write_csv(tmp_path / "tasks.csv", rows)), stdout=out)
    return out.getvalue()


def test_seed_000_quarter(province: object, tmp_path: Path) -> None:
    """47 Government/PM tasks in Q3 2023: 4 done on time, 27 awaiting confirmation, 16 not due."""
    rows = []
    for i in range(4):
        rows.append(
            row(
                f"A{i}",
                due_on="2023-08-01",
                reported_done_on="2023-07-20",
                confirmed_on="2023-07-30",
                lead_unit_code="D1",
            )
        )
    for i in range(27):
        rows.append(
            row(
                f"B{i}",
                issuer_code="CP",
                document="10/NQ-CP",
                issued_on="2023-04-10",
                deadline_text="trong tháng 8/2023",
                reported_done_on="2023-08-25",
            )
        )
    for i in range(16):
        rows.append(row(f"C{i}", deadline_text="chậm nhất ngày 31/12/2023", lead_unit_code="C1"))
    assert "47 created" in load(tmp_path, rows)
    result = stats("--period", "2023-Q3", "--unit", "DT")
    assert list(result) == KEYS
    assert result == {
        "in_scope": 47,
        "done_on_time": 4,
        "done_late": 0,
        "reported_done": 27,
        "in_progress_not_due": 16,
        "overdue": 0,
        "no_deadline": 0,
        "cancelled": 0,
        "completion_rate": 12.9,
        "on_time_rate": 100.0,
    }
    assert stats("--period", "2023-Q3", "--unit", "DT", "--view", "assigned")["in_scope"] == 0
    # the Office itself: a zero is a result
    office = stats("--period", "2023-Q3", "--unit", "D2")
    assert office["in_scope"] == 0 and office["completion_rate"] == 0.0
    by_issuer = stats("--period", "2023-Q3", "--unit", "DT", "--by", "issuer")["rows"]
    assert {r["issuer"]: r["in_scope"] for r in by_issuer} == {"CP": 27, "TTg": 20}
    by_unit = stats("--period", "2023-Q3", "--unit", "DT", "--by", "unit")["rows"]
    assert {r["unit"]: r["in_scope"] for r in by_unit} == {"C1": 16, "D1": 4, "VP": 27}
    assert stats("--period", "2023-Q3", "--unit", "D1")["in_scope"] == 20  # C1 is below D1


def test_government_office_2017(province: object, tmp_path: Path) -> None:
    """21,914 tasks: 14,068 on time, 1,983 late, 5,640 within term, 223 overdue (§5)."""
    rows = []
    plan = [
        (
            14068,
            {
                "due_on": "2017-10-31",
                "reported_done_on": "2017-10-01",
                "confirmed_on": "2017-10-15",
            },
        ),
        (
            1983,
            {
                "due_on": "2017-06-30",
                "reported_done_on": "2017-07-15",
                "confirmed_on": "2017-07-20",
            },
        ),
        (5640, {"due_on": "2018-06-30"}),
        (223, {"due_on": "2017-11-30"}),
    ]
    n = 0
    for count, fields in plan:
        for _ in range(count):
            n += 1
            rows.append(
                row(
                    f"T{n}",
                    issued_on="2017-02-01",
                    document="100/TB-VPCP",
                    issuer_code="CP",
                    **fields,
                )
            )
    load(tmp_path, rows)
    result = stats("--from", "2017-01-01", "--to", "2017-12-31", "--unit", "DT")
    assert result["in_scope"] == 21914
    assert result["done_on_time"] + result["done_late"] == 16051
    assert (result["done_on_time"], result["done_late"]) == (14068, 1983)
    assert (result["in_progress_not_due"], result["overdue"]) == (5640, 223)
    # 16,051 ÷ 16,274 = 98.6297…: half-up gives 98.63 (the Office printed 98.62, truncated)
    assert result["completion_rate"] == 98.63
    assert result["on_time_rate"] == 87.65


def test_counting_rules(province: object, tmp_path: Path) -> None:
    rows = [
        # confirmed before the period: out of scope in the active view
        row(
            "OLD",
            issued_on="2023-03-01",
            due_on="2023-05-01",
            reported_done_on="2023-04-20",
            confirmed_on="2023-05-02",
        ),
        # cancelled in the period
        row("CAN", due_on="2023-08-01", cancelled_on="2023-07-01"),
        # cancelled before the period: out of scope
        row("CAN0", due_on="2023-08-01", cancelled_on="2023-06-01"),
        # done late: reported after the due date
        row("LATE", due_on="2023-07-01", reported_done_on="2023-07-05", confirmed_on="2023-07-06"),
        # no deadline, open; and no deadline, done → done on time
        row("CONT", deadline_text="thường xuyên"),
        row(
            "ASAP",
            deadline_text="khẩn trương",
            reported_done_on="2023-07-01",
            confirmed_on="2023-07-02",
        ),
        # overdue at period end (due before T = 2023-09-14)
        row("OVER", due_on="2023-09-13"),
        # due on T itself: not overdue
        row("ONT", due_on="2023-09-14"),
        # assigned after the period: out of scope
        row("NEW", issued_on="2023-09-20", due_on="2023-12-01"),
        # confirmed after the period: reported done at its end
        row("RPT", due_on="2023-09-01", reported_done_on="2023-09-10", confirmed_on="2023-10-01"),
    ]
    load(tmp_path, rows)
    result = stats("--period", "2023-Q3", "--unit", "DT")
    assert result == {
        "in_scope": 7,
        "done_on_time": 1,
        "done_late": 1,
        "reported_done": 1,
        "in_progress_not_due": 1,
        "overdue": 1,
        "no_deadline": 1,
        "cancelled": 1,
        # due by T, not cancelled: LATE, OVER, ONT, RPT → 1 done of 4
        "completion_rate": 25.0,
        "on_time_rate": 50.0,
    }


def test_extension_keeps_both_dates_and_does_not_rescue_late(
    province: object, tmp_path: Path
) -> None:
    from motcua.assignments.models import Task
    from motcua.assignments.services import confirm_completion, extend_deadline, report_completion

    load(tmp_path, [row("E1", due_on="2023-07-01"), row("E2", due_on="2023-07-01")])
    e1, e2 = Task.objects.get(code="E1"), Task.objects.get(code="E2")
    extend_deadline(
        task=e1,
        new_due=dt.date(2023, 8, 1),
        decided_on=dt.date(2023, 6, 25),
        document="55/UBND-TH",
        actor=None,
    )
    extend_deadline(
        task=e2,
        new_due=dt.date(2023, 8, 1),
        decided_on=dt.date(2023, 7, 10),
        document="56/UBND-TH",
        actor=None,
    )
    for t in (e1, e2):
        report_completion(
            task=t,
            text="Đã xong",
            evidence="Kế hoạch 12/KH-UBND",
            reported_on=dt.date(2023, 7, 20),
            actor=None,
        )
        confirm_completion(task=t, confirmed_on=dt.date(2023, 7, 25), actor=None)
    e1.refresh_from_db()
    assert (e1.original_due, e1.due_on) == (dt.date(2023, 7, 1), dt.date(2023, 8, 1))
    result = stats("--period", "2023-Q3", "--unit", "DT")
    assert (result["done_on_time"], result["done_late"]) == (1, 1)


def test_bad_parameters_exit_2(province: object) -> None:
    for args in (
        ["--period", "2023-Q5", "--unit", "DT"],
        ["--period", "2023-Q3", "--unit", "ZZ"],
        ["--from", "2023-09-01", "--to", "2023-08-01", "--unit", "DT"],
    ):
        with pytest.raises(SystemExit) as exc:
            call_command("stats", "tasks", *args, stdout=io.StringIO(), stderr=io.StringIO())
        assert exc.value.code == 2


# -- independent oracle -------------------------------------------------------------------------


def _pct(num: int, den: int) -> float:
    if den == 0:
        return 0.0
    return float((Decimal(num * 100) / Decimal(den)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def oracle(tasks: list[dict], first: dt.date, last: dt.date, view: str) -> dict:
    """The issue's counting rules, written again from its text, without the app's code."""
    counts = dict.fromkeys(KEYS[1:8], 0)
    due_n = due_done = 0
    for t in tasks:
        a, due = t["assigned"], t["due"]
        rep, conf, canc = t["reported"], t["confirmed"], t["cancelled"]
        if view == "assigned":
            if not first <= a <= last:
                continue
        elif a > last or (conf and conf < first) or (canc and canc < first):
            continue
        if canc and canc <= last:
            counts["cancelled"] += 1
            continue
        if conf and conf <= last:
            key = "done_on_time" if due is None or (rep or conf) <= due else "done_late"
        elif rep and rep <= last:
            key = "reported_done"
        elif due is None:
            key = "no_deadline"
        elif due < last:
            key = "overdue"
        else:
            key = "in_progress_not_due"
        counts[key] += 1
        if due is not None and due <= last:
            due_n += 1
            due_done += key in ("done_on_time", "done_late")
    done = counts["done_on_time"] + counts["done_late"]
    return {
        "in_scope": sum(counts.values()),
        **counts,
        "completion_rate": _pct(due_done, due_n),
        "on_time_rate": _pct(counts["done_on_time"], done),
    }


def test_oracle_on_generated_tasks(province: object, tmp_path: Path) -> None:
    rng = random.Random(13)
    start = dt.date(2023, 1, 1)
    tasks, rows = [], []
    for i in range(400):
        a = start + dt.timedelta(days=rng.randrange(300))
        due = None if rng.random() < 0.15 else a + dt.timedelta(days=rng.randrange(1, 120))
        rep = conf = canc = None
        fate = rng.random()
        if fate < 0.1:
            canc = a + dt.timedelta(days=rng.randrange(1, 100))
        elif fate < 0.7:
            rep = a + dt.timedelta(days=rng.randrange(0, 150))
            if rng.random() < 0.7:
                conf = rep + dt.timedelta(days=rng.randrange(0, 30))
        tasks.append(
            {"assigned": a, "due": due, "reported": rep, "confirmed": conf, "cancelled": canc}
        )
        iso = lambda d: d.isoformat() if d else ""  # noqa: E731
        rows.append(
            row(
                f"G{i}",
                issued_on=iso(a),
                due_on=iso(due),
                reported_done_on=iso(rep),
                confirmed_on=iso(conf),
                cancelled_on=iso(canc),
                lead_unit_code=rng.choice(["VP", "D1", "C1", "C3"]),
            )
        )
    load(tmp_path, rows)
    cases = [
        ("2023-01-01", "2023-03-31"),
        ("2023-04-01", "2023-06-30"),
        ("2023-07-01", "2023-09-30"),
        ("2023-01-01", "2023-12-31"),
        ("2023-06-15", "2023-06-15"),
    ]
    for first, last in cases:
        for view in ("active", "assigned"):
            got = stats("--from", first, "--to", last, "--unit", "DT", "--view", view)
            want = oracle(tasks, dt.date.fromisoformat(first), dt.date.fromisoformat(last), view)
            assert got == want, (first, last, view)
            assert sum(got[k] for k in KEYS[1:8]) == got["in_scope"]
