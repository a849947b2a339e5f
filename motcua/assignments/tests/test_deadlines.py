"""Deadlines as worded: every row of seed 003's table (assignments.md §2) and the CLI contract."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.assignments.deadlines import (
    DeadlineError,
    due_in_force,
    occurrence_due,
    read_deadline,
)
from motcua.workcalendar.engine import WorkCalendar

ISSUED = dt.date(2024, 10, 15)  # letter 1449/UBND-NC, October 2024

# assignments.md §2, seed 003: (wording, kind, due date)
SEED_003 = [
    ("hoàn thành trong tháng 12/2024", "within_month", dt.date(2024, 12, 31)),
    ("trong tháng 11/2024", "within_month", dt.date(2024, 11, 30)),
    ("thường xuyên", "continuous", None),
    ("hoàn thành trong tháng 12/2024", "within_month", dt.date(2024, 12, 31)),
    ("trong tháng 12/2024", "within_month", dt.date(2024, 12, 31)),
    ("chậm nhất trong tháng 12/2024", "within_month", dt.date(2024, 12, 31)),
    ("chậm nhất 15/12/2024", "by_date", dt.date(2024, 12, 15)),
    ("trong tháng 12/2024", "within_month", dt.date(2024, 12, 31)),
    ("trước ngày 10/12/2024", "before_date", dt.date(2024, 12, 9)),
    ("chậm nhất ngày 31/12/2024", "by_date", dt.date(2024, 12, 31)),
    ("chậm nhất ngày 15/12/2024", "by_date", dt.date(2024, 12, 15)),
    ("chậm nhất ngày 15/12/2024", "by_date", dt.date(2024, 12, 15)),
    ("trong tháng 12/2024", "within_month", dt.date(2024, 12, 31)),
    ("chậm nhất ngày 01/12/2024", "by_date", dt.date(2024, 12, 1)),
    ("trong thời gian sớm nhất", "asap", None),
    ("khẩn trương", "asap", None),
    ("trước ngày 20/12/2024", "before_date", dt.date(2024, 12, 19)),
]


@pytest.mark.parametrize(("text", "kind", "due"), SEED_003)
def test_seed_003_row(text: str, kind: str, due: dt.date | None) -> None:
    found = read_deadline(text, issued=ISSUED)
    assert (found.kind, found.due) == (kind, due)


@pytest.mark.parametrize(("text", "kind", "due"), SEED_003)
def test_seed_003_row_without_diacritics(text: str, kind: str, due: dt.date | None) -> None:
    from motcua.lib.vntext import fold

    found = read_deadline(fold(text).upper(), issued=ISSUED)
    assert (found.kind, found.due) == (kind, due)


def test_sunday_due_dates_are_not_moved() -> None:
    assert read_deadline("chậm nhất ngày 15/12/2024", issued=ISSUED).due == dt.date(2024, 12, 15)
    assert dt.date(2024, 12, 15).weekday() == 6
    assert read_deadline("chậm nhất ngày 01/12/2024", issued=ISSUED).due == dt.date(2024, 12, 1)
    assert dt.date(2024, 12, 1).weekday() == 6


def test_before_date_can_be_inclusive() -> None:
    found = read_deadline("trước ngày 10/12/2024", issued=ISSUED, before_inclusive=True)
    assert found.due == dt.date(2024, 12, 10)


def test_relative_calendar_and_working_days() -> None:
    calendar_days = read_deadline("trong 10 ngày kể từ ngày ký", issued=ISSUED)
    assert (calendar_days.kind, calendar_days.due) == ("relative", dt.date(2024, 10, 25))
    # 26/04/2024 (Fri) + 5 working days: 29/04, 30/04, 01/05 off; Sat 04/05 worked.
    working = read_deadline(
        "trong 05 ngày làm việc", issued=dt.date(2024, 4, 26), calendar=WorkCalendar()
    )
    assert working.kind == "relative"
    # holidays 0.109 lists 29/04 (swap), 30/04, 01/05 off: 02/05, 03/05, 06/05, 07/05, 08/05
    assert working.due == dt.date(2024, 5, 8)
    months = read_deadline("trong 02 tháng", issued=dt.date(2024, 12, 31))
    assert months.due == dt.date(2025, 2, 28)


def test_recurring_has_no_single_date_and_each_occurrence_its_own() -> None:
    monthly = read_deadline("báo cáo tháng trước ngày 20", issued=dt.date(2023, 8, 15))
    assert (monthly.kind, monthly.due, monthly.recurrence) == ("recurring", None, "monthly")
    assert occurrence_due(monthly, dt.date(2024, 2, 29)) == dt.date(2024, 3, 19)
    quarterly = read_deadline("định kỳ hằng quý", issued=dt.date(2023, 8, 15))
    assert quarterly.recurrence == "quarterly"
    assert occurrence_due(quarterly, dt.date(2024, 3, 31)) == dt.date(2024, 4, 30)


def test_no_wording_is_none() -> None:
    assert read_deadline("", issued=ISSUED).kind == "none"


@pytest.mark.parametrize(
    ("text", "part"),
    [("chậm nhất ngày 31/02/2024", "31/02/2024"), ("trong tháng 13/2024", "13/2024")],
)
def test_impossible_date_names_the_part(text: str, part: str) -> None:
    with pytest.raises(DeadlineError) as exc:
        read_deadline(text, issued=ISSUED)
    assert exc.value.part == part
    assert part in exc.value.message


def test_unreadable_wording_names_it() -> None:
    with pytest.raises(DeadlineError) as exc:
        read_deadline("khi nào xong thì báo", issued=ISSUED)
    assert "khi nào xong thì báo" in exc.value.message


def test_extension_after_the_deadline_does_not_rescue() -> None:
    original = dt.date(2024, 12, 15)
    # granted before the deadline: in force for a completion after it
    assert due_in_force(
        original, [(dt.date(2024, 12, 10), dt.date(2024, 12, 31))], on=dt.date(2024, 12, 20)
    ) == dt.date(2024, 12, 31)
    # granted after the deadline had passed: the original date still judges the completion
    assert (
        due_in_force(
            original, [(dt.date(2024, 12, 18), dt.date(2024, 12, 31))], on=dt.date(2024, 12, 20)
        )
        == original
    )
    # not yet decided at the completion date
    assert (
        due_in_force(
            original, [(dt.date(2024, 12, 14), dt.date(2024, 12, 31))], on=dt.date(2024, 12, 13)
        )
        == original
    )


@pytest.mark.django_db
def test_cli_contract() -> None:
    out = io.StringIO()
    call_command(
        "assignments",
        "due",
        "--text",
        "trước ngày 10/12/2024",
        "--issued",
        "2024-10-15",
        "--format",
        "json",
        stdout=out,
    )
    assert json.loads(out.getvalue()) == {"kind": "before_date", "due": "2024-12-09"}
    out = io.StringIO()
    call_command(
        "assignments", "due", "--text", "khẩn trương", "--issued", "2024-10-15", stdout=out
    )
    assert json.loads(out.getvalue()) == {"kind": "asap", "due": None}


@pytest.mark.django_db
def test_cli_impossible_date_exits_2_naming_the_part() -> None:
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command(
            "assignments",
            "due",
            "--text",
            "chậm nhất ngày 31/02/2024",
            "--issued",
            "2024-10-15",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert exc.value.code == 2
    assert "31/02/2024" in err.getvalue()


def test_motcua_entry_point_maps_tasks(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}
    subprocess.run([sys.executable, "-m", "motcua.cli", "migrate", "-v", "0"], check=True, env=env)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "motcua.cli",
            "tasks",
            "due",
            "--text",
            "truoc ngay 10/12/2024",
            "--issued",
            "2024-10-15",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"kind": "before_date", "due": "2024-12-09"}
