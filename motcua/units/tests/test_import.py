"""`motcua import units`: all or nothing, idempotent, line numbers, rows in any order."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.audit.models import ObjectChange
from motcua.units.models import Unit, UnitSuccession

HEADER = "code,name,parent_code,level,kind,valid_from,valid_to,successor_code\n"
GOOD = HEADER + (
    # children before parents on purpose: rows may come in any order
    "C2,Xã Mỹ Hòa,D1,commune,,,2025-06-30,N1\n"
    "C1,Xã Mỹ An,D1,commune,,,2025-06-30,N1;N2\n"
    "D1,Ủy ban nhân dân huyện Tháp Mười,DT,district,,,2025-06-30,\n"
    "DT,Ủy ban nhân dân tỉnh Đồng Tháp,,province,,,2025-06-30,DT\n"
    "DT,Ủy ban nhân dân tỉnh Đồng Tháp,,province,,2025-07-01,,\n"
    "N1,Xã Tháp Mười,DT,commune,,2025-07-01,,\n"
    "N2,Xã Thanh Mỹ,DT,commune,,2025-07-01,,\n"
)


def write(tmp_path: Path, text: str, name: str = "units.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_import(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "units", str(path), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def state() -> tuple[int, int, int]:
    return Unit.objects.count(), UnitSuccession.objects.count(), ObjectChange.objects.count()


@pytest.mark.django_db
def test_import_creates_versions_parents_and_successor_links(tmp_path: Path) -> None:
    code, out, _ = run_import(write(tmp_path, GOOD))
    assert code == 0
    assert "7 created" in out
    old = Unit.objects.version_of("DT", dt.date(2024, 1, 1))
    new = Unit.objects.version_of("DT", dt.date(2025, 7, 1))
    assert old is not None and new is not None and old.pk != new.pk
    assert Unit.objects.get(code="D1").parent == old
    assert Unit.objects.get(code="N1").parent == new
    c1 = Unit.objects.get(code="C1")
    links = {(s.successor.code, s.kind, s.is_principal) for s in c1.successions.all()}
    assert links == {("N1", "split", True), ("N2", "split", False)}
    assert UnitSuccession.objects.get(predecessor=old).successor == new
    assert UnitSuccession.objects.get(predecessor__code="C2").effective_date == dt.date(2025, 7, 1)
    assert ObjectChange.objects.filter(source="import", action="create").count() == 7 + 4


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    run_import(path)
    before = state()
    code, out, _ = run_import(path)
    assert code == 0
    assert "0 created, 0 updated, 7 unchanged, 0 successor links created" in out
    assert state() == before


@pytest.mark.django_db
def test_changed_row_updates_and_logs_before_and_after(tmp_path: Path) -> None:
    run_import(write(tmp_path, GOOD))
    code, out, _ = run_import(write(tmp_path, GOOD.replace("Xã Thanh Mỹ", "Xã Thanh Mỹ Mới")))
    assert code == 0 and "1 updated" in out
    change = ObjectChange.objects.filter(action="update").get()
    assert change.before is not None and change.after is not None
    assert change.before["name"] == "Xã Thanh Mỹ"
    assert change.after["name"] == "Xã Thanh Mỹ Mới"
    assert change.changed_fields == ["name"]


@pytest.mark.django_db
def test_names_are_stored_nfc(tmp_path: Path) -> None:
    decomposed = "Xa\u0303 Mỹ An".replace("Mỹ", "My\u0303")
    run_import(write(tmp_path, HEADER + f"P,{decomposed},,province,,,,\n"))
    assert Unit.objects.get(code="P").name == "Xã Mỹ An"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER + "A,,,province,,,,\n", "line 2: name of A is empty"),
        (HEADER + "A,Tỉnh A,,county,,,,\n", "line 2: level 'county' is not one of"),
        (HEADER + "A,Tỉnh A,,province,,2025-13-01,,\n", "line 2: valid_from '2025-13-01'"),
        (
            HEADER + "A,Tỉnh A,,province,,2025-07-01,2025-06-30,\n",
            "line 2: valid_from 2025-07-01 is after",
        ),
        (
            HEADER + "A,Tỉnh A,,province,,,,\nB,Xã B,ZZ,commune,,,,\n",
            "line 3: parent_code ZZ is not a known unit",
        ),
        (
            HEADER + "A,Tỉnh A,,province,,,,\nA,Tỉnh A bis,,province,,,,\n",
            "line 3: A (… – …) overlaps",
        ),
        (HEADER + "A,Tỉnh A,B,province,,,,\nB,Tỉnh B,A,province,,,,\n", "parent chain loops back"),
        (
            HEADER + "A,Tỉnh A,,province,,,2025-06-30,\nB,Xã B,A,commune,,,,\n",
            "line 3: B (… – …) is not within",
        ),
        (
            HEADER + "A,Tỉnh A,,province,,,2025-06-30,Z\n",
            "line 2: successor_code Z is not a known unit",
        ),
        (HEADER + "A,Tỉnh A,,province,,,,B\n", "line 2: A has a successor but no valid_to"),
        (
            HEADER + "A,Tỉnh A,,province,,,2025-06-30,B\nB,Tỉnh B,,province,,2026-01-01,,\n",
            "line 2: successor B is not in force on 2025-07-01",
        ),
        (HEADER + "A,Tỉnh A,,province,council,,,\n", "line 2: kind 'council' is not one of"),
        ("code,name,level\nA,Tỉnh A,province\n", "line 1: missing column(s): parent_code"),
        ("code,name,parent_code,level,colour\n", "line 1: unknown column(s): colour"),
        ("", "line 1: the file is empty"),
        (HEADER + "A,Tỉnh A,,province\n", "line 2: expected 8 values, found 4"),
    ],
)
@pytest.mark.django_db
def test_bad_rows_abort_with_line_number_and_write_nothing(
    tmp_path: Path, text: str, message: str
) -> None:
    run_import(write(tmp_path, GOOD, "seed.csv"))
    before = state()
    code, _, err = run_import(write(tmp_path, text))
    assert code == 1
    assert message in err
    assert state() == before


@pytest.mark.django_db
def test_one_bad_row_among_good_ones_writes_nothing(tmp_path: Path) -> None:
    text = GOOD + "X9,Xã X,NOPE,commune,,,,\n"
    code, _, err = run_import(write(tmp_path, text))
    assert code == 1
    assert err.strip() == "line 9: parent_code NOPE is not a known unit"
    assert state() == (0, 0, 0)


@pytest.mark.django_db
def test_non_utf8_file_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(
        HEADER.encode()
        + "A,Tỉnh A,,province,,,,\n".encode("cp1258", "replace")
        + b"B,T\xe9,,province,,,,\n"
    )
    code, _, err = run_import(path)
    assert code == 1
    assert "line 3: the file is not UTF-8 text" in err


def test_cli_exit_status_and_stderr_from_a_real_process(tmp_path: Path) -> None:
    """The console script itself exits 1 with `line N: reason` alone on stderr."""
    db = tmp_path / "cli.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{db}", "PATH": "/usr/bin:/bin"}
    motcua = [sys.executable, "-m", "motcua.cli"]
    subprocess.run([*motcua, "migrate", "-v", "0"], env=env, check=True)
    bad = write(tmp_path, HEADER + "A,,,province,,,,\n")
    proc = subprocess.run(
        [*motcua, "import", "units", str(bad)], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert proc.stderr.strip() == "line 2: name of A is empty"
    good = write(tmp_path, GOOD, "good.csv")
    proc = subprocess.run(
        [*motcua, "import", "units", str(good)], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert "7 created" in proc.stdout
