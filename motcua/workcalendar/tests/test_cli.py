"""`motcua calendar`: the exact output contract, explanations, bad input and overlay edits."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.audit.models import ObjectChange
from motcua.units.models import Unit
from motcua.workcalendar.models import CalendarEntry, WorkingHours
from motcua.workcalendar.services import update_calendar_entry
from motcua.workcalendar.tests.cases import WORKED_EXAMPLES

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    """Run `motcua calendar ARGS` in-process; return stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    call_command("calendar", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args: str) -> tuple[int, str]:
    """Run a command expected to fail; return its exit status and stderr."""
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("calendar", *args, stdout=io.StringIO(), stderr=err)
    code = exc.value.code
    assert isinstance(code, int)
    return code, err.getvalue()


def due_args(start, amount, unit, pauses, cutoff) -> list[str]:
    args = ["due", "--start", start, "--unit", unit]
    if amount is not None:
        args += ["--amount", str(amount)]
    for pause in pauses:
        args += ["--pause", pause]
    if cutoff:
        args += ["--cutoff", cutoff]
    return args


@pytest.mark.parametrize(
    ("start", "amount", "unit", "pauses", "cutoff", "expected"),
    [case[1:] for case in WORKED_EXAMPLES],
    ids=[case[0] for case in WORKED_EXAMPLES],
)
def test_worked_example_last_line(start, amount, unit, pauses, cutoff, expected):
    out, _ = run(*due_args(start, amount, unit, pauses, cutoff))
    assert out.splitlines() == [f"{expected}:00+07:00"]


def test_contract_example_exactly():
    out, err = run("due", "--start", "2024-02-07T09:00", "--amount", "1", "--unit", "working_days")
    assert out == "2024-02-15T09:00:00+07:00\n"
    assert err == ""


def test_start_with_offset_is_converted():
    out, _ = run("due", "--start", "2024-02-07T02:00Z", "--amount", "1", "--unit", "working_days")
    assert out.splitlines()[-1] == "2024-02-15T09:00:00+07:00"
    out, _ = run(
        "due", "--start", "2024-02-07T09:00+07:00", "--amount", "1", "--unit", "working_days"
    )
    assert out.splitlines()[-1] == "2024-02-15T09:00:00+07:00"


def test_explain_prints_lines_above_the_due_instant():
    out, _ = run(
        "due",
        "--start",
        "2024-04-26T10:00",
        "--amount",
        "5",
        "--unit",
        "working_days",
        "--explain",
    )
    lines = out.splitlines()
    assert lines[-1] == "2024-05-07T10:00:00+07:00"
    text = "\n".join(lines[:-1])
    assert "Ngày Chiến thắng" in text
    assert "Ngày Quốc tế Lao động" in text
    assert "Công văn 2450/VPCP-KGVX" in text
    assert "Ngày làm bù" in text
    assert lines[0].startswith("bắt đầu   T6 26/04/2024 10:00")


def test_open_pause_prints_remaining_budget_and_exits_zero():
    out, _ = run(
        "due",
        "--start",
        "2025-03-03T09:00",
        "--amount",
        "10",
        "--unit",
        "working_days",
        "--pause",
        "2025-03-05T10:00/",
    )
    lines = out.splitlines()
    assert "chưa có hạn" in lines[0]
    assert lines[-1] == "paused remaining_minutes=3780"


@pytest.mark.parametrize(
    ("args", "named", "detail"),
    [
        (
            ["--start", "2024-13-01", "--amount", "1", "--unit", "working_days"],
            "--start",
            "'2024-13-01' is not an ISO 8601 date-time",
        ),
        (["--amount", "1", "--unit", "working_days"], "--start", "required"),
        (
            ["--start", "2024-02-07T09:00", "--amount", "0", "--unit", "working_days"],
            "--amount",
            "positive",
        ),
        (
            ["--start", "2024-02-07T09:00", "--amount", "two", "--unit", "working_days"],
            "--amount",
            "positive",
        ),
        (["--start", "2024-02-07T09:00", "--unit", "working_days"], "--amount", "required"),
        (["--start", "2024-02-07T09:00", "--amount", "1", "--unit", "weeks"], "--unit", "weeks"),
        (
            [
                "--start",
                "2024-02-07T09:00",
                "--amount",
                "1",
                "--unit",
                "working_days",
                "--pause",
                "2024-02-07T10:00",
            ],
            "--pause",
            "FROM/TO",
        ),
        (
            [
                "--start",
                "2024-02-07T09:00",
                "--amount",
                "1",
                "--unit",
                "working_days",
                "--pause",
                "2024-02-07T10:00/2024-02-06T10:00",
            ],
            "--pause",
            "ends before",
        ),
        (
            ["--start", "2024-02-07T09:00", "--unit", "same_day", "--cutoff", "25:00"],
            "--cutoff",
            "HH:MM",
        ),
        (
            [
                "--start",
                "2024-02-07T09:00",
                "--amount",
                "1",
                "--unit",
                "working_days",
                "--unit-code",
                "NOPE",
            ],
            "--unit-code",
            "NOPE",
        ),
    ],
    ids=[
        "bad-date",
        "no-start",
        "zero",
        "words",
        "no-amount",
        "bad-unit",
        "pause-no-slash",
        "pause-backwards",
        "bad-cutoff",
        "unknown-unit",
    ],
)
def test_bad_input_exits_2_naming_the_argument(args, named, detail):
    code, err = run_failing("due", *args)
    assert code == 2
    assert err.startswith(f"{named}: ")
    assert detail in err


def test_bad_start_message_is_exact():
    code, err = run_failing(
        "due", "--start", "2024-13-01", "--amount", "1", "--unit", "working_days"
    )
    assert code == 2
    assert err.strip() == "--start: '2024-13-01' is not an ISO 8601 date-time"


def test_same_day_needs_no_amount():
    out, _ = run("due", "--start", "2025-06-10T15:20", "--unit", "same_day", "--cutoff", "15:00")
    assert out.splitlines()[-1] == "2025-06-11T17:00:00+07:00"


def test_calendar_months_accepted():
    out, _ = run("due", "--start", "2024-01-31T10:00", "--amount", "1", "--unit", "calendar_months")
    assert out.splitlines()[-1] == "2024-02-29T17:00:00+07:00"


def _unit(code: str = "X01") -> Unit:
    return Unit.objects.create(code=code, name=f"Trung tâm {code}", level="commune")


def test_unit_code_uses_unit_hours_and_local_days_off():
    unit = _unit()
    WorkingHours.objects.create(
        unit=unit,
        morning_start=dt.time(7, 30),
        morning_end=dt.time(11, 30),
        afternoon_start=dt.time(13, 0),
        afternoon_end=dt.time(17, 0),
    )
    CalendarEntry.objects.create(
        date=dt.date(2025, 3, 11), kind="day_off", name="Nghỉ sự kiện", document="QĐ 5", unit=unit
    )
    base = ["due", "--start", "2025-03-10T16:45", "--amount", "1", "--unit", "working_days"]
    out, _ = run(*base)
    assert out.splitlines()[-1] == "2025-03-11T16:45:00+07:00"
    out, _ = run(*base, "--unit-code", "X01", "--explain")
    # Mon 16:45–17:00 = 15 min; Tue off; Wed 07:30–11:30 + 13:00–16:45
    assert out.splitlines()[-1] == "2025-03-12T16:45:00+07:00"
    assert "Ngày nghỉ riêng của đơn vị X01: Nghỉ sự kiện; QĐ 5" in out
    other = _unit("X02")
    assert other.code == "X02"
    out, _ = run(*base, "--unit-code", "X02")
    assert out.splitlines()[-1] == "2025-03-11T16:45:00+07:00"


def test_w19_switching_the_unconfirmed_culture_day():
    base = ["due", "--start", "2026-11-23T09:00", "--amount", "1", "--unit", "working_days"]
    assert run(*base)[0].splitlines()[-1] == "2026-11-25T09:00:00+07:00"
    entry = CalendarEntry.objects.get(date=dt.date(2026, 11, 24), unit=None)
    update_calendar_entry(
        entry, kind="working_day", name="Làm việc", actor="test", reason="chưa có hiệu lực"
    )
    assert run(*base)[0].splitlines()[-1] == "2026-11-24T09:00:00+07:00"


def test_w9_switching_the_unconfirmed_swap():
    base = ["due", "--start", "2026-08-27T13:30", "--amount", "4", "--unit", "working_days"]
    assert run(*base)[0].splitlines()[-1] == "2026-09-07T11:30:00+07:00"
    monday = CalendarEntry.objects.get(date=dt.date(2026, 8, 31), unit=None)
    update_calendar_entry(
        monday, kind="working_day", name="Làm việc", actor="test", reason="không hoán đổi"
    )
    assert run(*base)[0].splitlines()[-1] == "2026-09-04T11:30:00+07:00"


def test_days_lists_the_year_with_reasons():
    out, _ = run("days", "--year", "2026")
    lines = out.splitlines()
    assert len(lines) == 14  # 13 weekdays off + Sat 22/08 worked
    assert lines[0].startswith("2026-01-01  Thứ Năm")
    assert "Tết Dương lịch" in lines[0]
    saturday = next(line for line in lines if line.startswith("2026-08-22"))
    assert "Thứ Bảy" in saturday and "làm việc" in saturday and "[chưa xác nhận]" in saturday
    culture = next(line for line in lines if line.startswith("2026-11-24"))
    assert "Ngày Văn hóa Việt Nam" in culture and "Nghị quyết 80-NQ/TW" in culture


def test_days_bad_year_exits_2():
    code, err = run_failing("days", "--year", "abc")
    assert code == 2 and err.startswith("--year: ")


def test_add_and_remove_write_the_change_log():
    _unit()
    out, _ = run(
        "add",
        "--date",
        "2099-03-11",
        "--kind",
        "day_off",
        "--name",
        "Nghỉ sự kiện",
        "--document",
        "QĐ 7/QĐ-UBND",
        "--unit-code",
        "X01",
    )
    assert "Đã thêm" in out
    entry = CalendarEntry.objects.get(date=dt.date(2099, 3, 11))
    assert entry.unit is not None and entry.unit.code == "X01"
    created = ObjectChange.objects.get(object_id=str(entry.pk), action="create")
    assert created.actor_name == "cli" and created.source == "cli"
    assert (created.after or {})["document"] == "QĐ 7/QĐ-UBND"
    out, _ = run("remove", "--date", "2099-03-11", "--unit-code", "X01", "--reason", "huỷ")
    assert "Đã xoá" in out
    assert not CalendarEntry.objects.filter(date=dt.date(2099, 3, 11)).exists()
    deleted = ObjectChange.objects.get(object_id=str(entry.pk), action="delete")
    assert (deleted.before or {})["name"] == "Nghỉ sự kiện" and deleted.reason == "huỷ"


def test_past_date_edit_without_reason_is_refused():
    code, err = run_failing(
        "add", "--date", "2020-03-11", "--kind", "day_off", "--name", "Nghỉ", "--document", "QĐ"
    )
    assert code == 1 and "lý do" in err
    assert not CalendarEntry.objects.filter(date=dt.date(2020, 3, 11)).exists()
    run(
        "add",
        "--date",
        "2020-03-11",
        "--kind",
        "day_off",
        "--name",
        "Nghỉ",
        "--document",
        "QĐ",
        "--reason",
        "bổ sung hồ sơ cũ",
    )
    assert CalendarEntry.objects.filter(date=dt.date(2020, 3, 11)).exists()


def test_add_bad_kind_exits_2():
    code, err = run_failing("add", "--date", "2099-01-01", "--kind", "holiday", "--name", "x")
    assert code == 2 and err.startswith("--kind: ")


def test_subprocess_contract_on_an_unmigrated_database(tmp_path: Path):
    motcua = Path(sys.executable).parent / "motcua"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["MOTCUA_VAR_DIR"] = str(tmp_path)
    done = subprocess.run(
        [
            str(motcua),
            "calendar",
            "due",
            "--start",
            "2024-04-26T10:00",
            "--amount",
            "5",
            "--unit",
            "working_days",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "2024-05-07T10:00:00+07:00"
    bad = subprocess.run(
        [
            str(motcua),
            "calendar",
            "due",
            "--start",
            "2024-13-01",
            "--amount",
            "1",
            "--unit",
            "working_days",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2
    assert "--start: '2024-13-01' is not an ISO 8601 date-time" in bad.stderr


def test_update_switches_the_unconfirmed_swap_with_a_reason():
    code, err = run_failing("update", "--date", "2026-08-31", "--kind", "working_day")
    assert code == 1 and "lý do" in err
    out, _ = run(
        "update",
        "--date",
        "2026-08-31",
        "--kind",
        "working_day",
        "--name",
        "Làm việc",
        "--reason",
        "không có văn bản hoán đổi",
    )
    assert "Đã sửa" in out
    run("remove", "--date", "2026-08-22", "--reason", "không có văn bản hoán đổi")
    base = ["due", "--start", "2026-08-27T13:30", "--amount", "4", "--unit", "working_days"]
    assert run(*base)[0].splitlines()[-1] == "2026-09-04T11:30:00+07:00"
    base = ["due", "--start", "2026-08-21T09:00", "--amount", "7", "--unit", "working_days"]
    assert run(*base)[0].splitlines()[-1] == "2026-09-03T09:00:00+07:00"
    entry = CalendarEntry.objects.get(date=dt.date(2026, 8, 31), unit=None)
    change = ObjectChange.objects.get(object_id=str(entry.pk), action="update")
    assert (change.before or {})["kind"] == "day_off"
    assert (change.after or {})["kind"] == "working_day"
    assert change.actor_name == "cli"
