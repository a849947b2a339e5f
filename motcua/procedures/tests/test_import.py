"""`motcua import procedures`: all or nothing, idempotent, line numbers, change-logged."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.audit.models import ObjectChange
from motcua.procedures.models import Field, Procedure, ProcedureVersion, ProcessStep

HEADER = "code,name,level,processing_days,time_unit,field,fee,online_level,unit_codes\n"
GOOD = HEADER + (
    "1.001193,Thủ tục đăng ký khai sinh,commune,,same_day,Hộ tịch,0,full,C1;C2\n"
    "1.002099,Đăng ký hoạt động của chi nhánh của tổ chức hành nghề luật sư,province,5,,"
    "Luật sư,50000,partial,VP\n"
    "2.000815,Chứng thực bản sao từ bản chính,commune,4,working_hours,Chứng thực,2000,none,\n"
)


def write(tmp_path: Path, text: str, name: str = "procedures.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_import(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "procedures", str(path), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def state() -> tuple[int, int, int, int]:
    return (
        Procedure.objects.count(),
        ProcedureVersion.objects.count(),
        Field.objects.count(),
        ObjectChange.objects.count(),
    )


def test_import_creates_published_procedures_with_fields_and_units(
    tmp_path: Path, province: object
) -> None:
    code, out, err = run_import(write(tmp_path, GOOD))
    assert code == 0, err
    assert "3 created, 0 updated, 0 unchanged, 3 fields created" in out
    birth = Procedure.objects.get(code="1.001193")
    assert birth.published and birth.version == 1
    assert birth.time_limit_unit == "same_day" and birth.time_limit_amount is None
    assert birth.field is not None and birth.field.name == "Hộ tịch"
    assert birth.field.code == "ho-tich"
    assert sorted(birth.competent_units.values_list("code", flat=True)) == ["C1", "C2"]
    lawyers = Procedure.objects.get(code="1.002099")
    assert (lawyers.fee, lawyers.online_level, lawyers.time_limit_amount) == (50000, "partial", 5)
    assert lawyers.time_limit_text == "5 ngày làm việc"
    copies = Procedure.objects.get(code="2.000815")
    assert copies.time_limit_text == "4 giờ làm việc"
    assert ProcedureVersion.objects.count() == 3
    assert ObjectChange.objects.filter(source="import", action="create").count() == 3 + 3


def test_unit_codes_resolve_to_the_version_in_force_today(tmp_path: Path, province: object) -> None:
    text = "code,name,level,processing_days,unit_codes\nX.1,Thủ tục X,province,3,DT\n"
    assert run_import(write(tmp_path, text))[0] == 0
    unit = Procedure.objects.get(code="X.1").competent_units.get()
    assert unit.valid_from == dt.date(2025, 7, 1)  # the new province, not the old one


def test_reimporting_the_same_file_changes_nothing(tmp_path: Path, province: object) -> None:
    path = write(tmp_path, GOOD)
    run_import(path)
    before = state()
    code, out, _ = run_import(path)
    assert code == 0
    assert "0 created, 0 updated, 3 unchanged, 0 fields created" in out
    assert state() == before


def test_changed_row_updates_bumps_the_version_and_logs_before_and_after(
    tmp_path: Path, province: object
) -> None:
    run_import(write(tmp_path, GOOD))
    code, out, _ = run_import(
        write(tmp_path, GOOD.replace(",5,,Luật sư,50000", ",7,,Luật sư,25000"))
    )
    assert code == 0 and "1 updated, 2 unchanged" in out
    procedure = Procedure.objects.get(code="1.002099")
    assert procedure.version == 2
    assert [v.number for v in procedure.versions.all()] == [2, 1]
    assert procedure.versions.get(number=1).data["fee"] == 50000
    change = ObjectChange.objects.get(action="update")
    assert change.before is not None and change.after is not None
    assert (change.before["fee"], change.after["fee"]) == (50000, 25000)
    assert change.before["content"]["time_limit_amount"] == 5
    assert change.after["content"]["time_limit_amount"] == 7
    assert {"fee", "time_limit_amount", "content", "version"} <= set(change.changed_fields)


def test_unpublishing_is_logged_without_a_new_version(tmp_path: Path, province: object) -> None:
    text = "code,name,level,processing_days,published\nX.1,Thủ tục X,province,3,1\n"
    run_import(write(tmp_path, text))
    code, out, _ = run_import(write(tmp_path, text.replace(",3,1", ",3,0")))
    assert code == 0 and "1 updated" in out
    procedure = Procedure.objects.get(code="X.1")
    assert not procedure.published and procedure.version == 1
    change = ObjectChange.objects.get(action="update")
    assert change.changed_fields == ["published", "updated_at"]


def test_names_are_stored_nfc(tmp_path: Path, db: None) -> None:
    decomposed = "Đăng ky\u0301 khai sinh"
    run_import(
        write(
            tmp_path,
            f"code,name,level,processing_days,field\nX.1,{decomposed},commune,1,Hô\u0323 tịch\n",
        )
    )
    procedure = Procedure.objects.get(code="X.1")
    assert procedure.name == "Đăng ký khai sinh"
    assert procedure.field is not None and procedure.field.name == "Hộ tịch"


def test_a_change_that_breaks_the_process_of_a_published_procedure_is_refused(
    tmp_path: Path, db: None
) -> None:
    text = "code,name,level,processing_days\nX.1,Thủ tục X,province,1\n"
    run_import(write(tmp_path, text))
    procedure = Procedure.objects.get(code="X.1")
    ProcessStep.objects.create(procedure=procedure, order=1, name="Xử lý", budget_minutes=480)
    before = state()
    code, _, err = run_import(write(tmp_path, text.replace(",1\n", ",2\n")))
    assert code == 1
    assert "line 2: X.1: tổng thời gian các bước (8 giờ làm việc) khác thời hạn giải quyết" in err
    assert state() == before
    assert Procedure.objects.get(code="X.1").time_limit_amount == 1


H = "code,name,level,processing_days,time_unit,fee,online_level,unit_codes,cutoff\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (H + "A,,province,3,,,,,\n", "line 2: name of A is empty"),
        (H + ",Thủ tục A,province,3,,,,,\n", "line 2: code is empty"),
        (H + "A,Thủ tục A,county,3,,,,,\n", "line 2: level 'county' is not one of"),
        (H + "A,Thủ tục A,province,,,,,,\n", "line 2: processing_days is empty"),
        (H + "A,Thủ tục A,province,2.5,,,,,\n", "line 2: processing_days '2.5' is not a whole"),
        (H + "A,Thủ tục A,province,0,,,,,\n", "line 2: processing_days must be greater than 0"),
        (H + "A,Thủ tục A,province,3,weeks,,,,\n", "line 2: time_unit 'weeks' is not one of"),
        (H + "A,Thủ tục A,province,3,same_day,,,,\n", "line 2: processing_days '3' must be empty"),
        (
            H + "A,Thủ tục A,province,3,,1.000,,,\n",
            "line 2: fee '1.000' is not a whole number of đồng",
        ),
        (H + "A,Thủ tục A,province,3,,-5,,,\n", "line 2: fee '-5' is negative"),
        (H + "A,Thủ tục A,province,3,,,level4,,\n", "line 2: online_level 'level4' is not one of"),
        (H + "A,Thủ tục A,province,3,,,,ZZ;C1,\n", "line 2: unit_codes: unknown unit(s) ZZ"),
        (H + "A,Thủ tục A,province,3,,,,,15:00\n", "line 2: cutoff '15:00' is only allowed"),
        (H + "A,Thủ tục A,province,,same_day,,,,25:00\n", "line 2: cutoff '25:00' is not a time"),
        (
            H + "A,Thủ tục A,province,3,,,,,\nA,Thủ tục A bis,province,3,,,,,\n",
            "line 3: code A is already on line 2",
        ),
        ("code,name,level\nA,Thủ tục A,province\n", "line 1: missing column(s): processing_days"),
        ("code,name,level,processing_days,colour\n", "line 1: unknown column(s): colour"),
        ("", "line 1: the file is empty"),
        (H + "A,Thủ tục A,province\n", "line 2: expected 9 values, found 3"),
    ],
)
def test_bad_rows_abort_with_line_number_and_write_nothing(
    tmp_path: Path, province: object, text: str, message: str
) -> None:
    run_import(write(tmp_path, GOOD, "seed.csv"))
    before = state()
    code, _, err = run_import(write(tmp_path, text))
    assert code == 1
    assert message in err
    assert state() == before


def test_every_bad_row_is_reported_and_nothing_is_written(tmp_path: Path, province: object) -> None:
    text = GOOD + "B,Thủ tục B,province,3,,,1.000,,\nC,,province,3,,,,,\n"
    code, _, err = run_import(write(tmp_path, text))
    assert code == 1
    assert err.strip().splitlines() == [
        "line 5: fee '1.000' is not a whole number of đồng (write digits only, e.g. 50000, "
        "without separators or currency)",
        "line 6: name of C is empty",
    ]
    assert state() == (0, 0, 0, 0)


def test_cli_exit_status_and_stderr_from_a_real_process(tmp_path: Path) -> None:
    """The console script itself exits 1 with `line N: reason` alone on stderr."""
    db = tmp_path / "cli.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{db}", "PATH": "/usr/bin:/bin"}
    motcua = [sys.executable, "-m", "motcua.cli"]
    subprocess.run([*motcua, "migrate", "-v", "0"], env=env, check=True)
    bad = write(tmp_path, "code,name,level,processing_days\nA,Thủ tục A,province,-3\n")
    proc = subprocess.run(
        [*motcua, "import", "procedures", str(bad)], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert proc.stderr.strip() == "line 2: processing_days '-3' is not a whole number"
    good = write(tmp_path, "code,name,level,processing_days\nA,Thủ tục A,province,3\n", "g.csv")
    proc = subprocess.run(
        [*motcua, "import", "procedures", str(good)], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert "1 created" in proc.stdout
