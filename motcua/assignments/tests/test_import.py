"""`motcua import tasks FILE.csv`: the exact header, all or nothing with `line N: reason`,
idempotent."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.assignments.importers import HEADER
from motcua.assignments.models import SourceDocument, Task, TaskEvent
from motcua.assignments.tests.support import row, write_csv


def run(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "tasks", str(path), stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_header_is_the_contract() -> None:
    assert ",".join(HEADER) == (
        "code,issuer_code,document,issued_on,title,lead_unit_code,coordinating_unit_codes,"
        "deadline_text,due_on,assigned_on,reported_done_on,confirmed_on,cancelled_on"
    )


def test_import_creates_documents_tasks_and_events(province: object, tmp_path: Path) -> None:
    rows = [
        row(
            "HG-1",
            issuer_code="DT",
            document="1449/UBND-NC",
            issued_on="2024-10-15",
            lead_unit_code="D1",
            coordinating_unit_codes="VP;D2",
            deadline_text="trước ngày 10/12/2024",
        ),
        row(
            "HG-2",
            issuer_code="DT",
            document="1449/UBND-NC",
            issued_on="2024-10-15",
            deadline_text="khẩn trương",
            due_on="2024-11-30",
        ),
    ]
    code, out, err = run(write_csv(tmp_path / "t.csv", rows))
    assert code == 0, err
    assert out.strip() == "tasks: 2 created, 0 updated, 0 unchanged"
    doc = SourceDocument.objects.get(number="1449/UBND-NC")
    assert doc.issuer_unit is not None and doc.issuer_code == "DT"
    t1 = Task.objects.get(code="HG-1")
    assert (t1.deadline_kind, t1.due_on, t1.original_due) == (
        "before_date",
        dt.date(2024, 12, 9),
        dt.date(2024, 12, 9),
    )
    assert sorted(t1.coordinating_units.values_list("code", flat=True)) == ["D2", "VP"]
    assert Task.objects.get(code="HG-2").due_on == dt.date(2024, 11, 30)
    assert TaskEvent.objects.filter(kind="task.imported").count() == 2


def test_import_is_idempotent_and_updates_changed_rows(province: object, tmp_path: Path) -> None:
    rows = [row("X1", due_on="2023-08-01"), row("X2", due_on="2023-08-01")]
    path = write_csv(tmp_path / "t.csv", rows)
    assert run(path)[1].strip() == "tasks: 2 created, 0 updated, 0 unchanged"
    assert run(path)[1].strip() == "tasks: 0 created, 0 updated, 2 unchanged"
    rows[1]["reported_done_on"] = "2023-07-30"
    assert run(write_csv(tmp_path / "t.csv", rows))[1].strip() == (
        "tasks: 0 created, 1 updated, 1 unchanged"
    )
    x2 = Task.objects.get(code="X2")
    assert (x2.status, x2.reported_done_on) == ("reported_done", dt.date(2023, 7, 30))
    assert Task.objects.count() == 2


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({"lead_unit_code": "NOPE"}, "line 3: lead_unit_code 'NOPE': no such unit"),
        ({"issuer_code": "XX"}, "line 3: issuer_code 'XX': not CP, TTg or a unit code"),
        (
            {"deadline_text": "chậm nhất ngày 31/02/2024"},
            "line 3: deadline_text: ngày không có thật: «31/02/2024»",
        ),
        ({"issued_on": "15/10/2024"}, "line 3: issued_on '15/10/2024' is not a date (YYYY-MM-DD)"),
        ({"code": "OK"}, "line 3: code 'OK' repeats line 2"),
        (
            {
                "confirmed_on": "2023-07-01",
                "cancelled_on": "2023-07-02",
                "reported_done_on": "2023-06-01",
            },
            "line 3: a task cannot be both confirmed done and cancelled",
        ),
    ],
)
def test_all_or_nothing(province: object, tmp_path: Path, bad: dict, reason: str) -> None:
    rows = [row("OK", due_on="2023-08-01"), {**row("BAD", due_on="2023-08-01"), **bad}]
    code, _out, err = run(write_csv(tmp_path / "t.csv", rows))
    assert code == 1
    assert reason in err.splitlines()
    assert Task.objects.count() == 0 and SourceDocument.objects.count() == 0


def test_wrong_header_is_line_1(province: object, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("code,title\nA,B\n", encoding="utf-8")
    code, _out, err = run(path)
    assert code == 1 and err.startswith("line 1: missing column(s): issuer_code")
