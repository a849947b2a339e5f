"""`motcua import dossiers`: the legacy format, every error with its line, idempotence, clock."""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from motcua.conftest import Province
from motcua.dossiers import importers, services
from motcua.dossiers.choices import State
from motcua.dossiers.importers import BulkClock, import_dossiers
from motcua.dossiers.models import Dossier, DossierCodeCounter, DossierEvent
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.lib.csvin import ImportProblem
from motcua.workcalendar.engine import TZ, compute_due
from motcua.workcalendar.models import CalendarEntry
from motcua.workcalendar.selectors import get_calendar

HEADER = "code,procedure_code,unit_code,channel,received_at,due_at,finished_at,outcome"
ROOT = Path(__file__).resolve().parents[3]
LIMITS = [
    (1, "working_days"),
    (3, "working_days"),
    (15, "working_days"),
    (4, "working_hours"),
    (7, "calendar_days"),
    (2, "calendar_months"),
    (None, "same_day"),
]


def write(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "d.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def problem_lines(path: Path) -> list[str]:
    with pytest.raises(ImportProblem) as info:
        import_dossiers(path)
    return str(info.value).splitlines()


@pytest.fixture
def procs(province: Province) -> dict:
    p = province
    return {
        "one": make_procedure("1.000001", units=[p.commune_a], amount=1),
        "ten": make_procedure("1.000010", units=[p.commune_a, p.new_commune], amount=10),
        "cal": make_procedure("1.000030", units=[p.commune_a], amount=4, time_unit="calendar_days"),
        "day": make_procedure(
            "1.000000",
            units=[p.commune_a],
            amount=None,
            time_unit="same_day",
            same_day_cutoff=dt.time(15, 0),
        ),
    }


def test_worked_example_w1_due_computed_from_the_procedure(
    tmp_path: Path, province: Province, procs: dict
) -> None:
    path = write(tmp_path, "C1-240207-0001,1.000001,C1,direct,2024-02-07T09:00:00+07:00,,,")
    result = import_dossiers(path)
    assert (result.created, result.due_computed) == (1, 1)
    d = Dossier.objects.get(code="C1-240207-0001")
    assert d.statutory_due == dt.datetime(2024, 2, 15, 9, tzinfo=TZ)
    assert d.promised_due == d.statutory_due
    assert d.state == State.IN_PROGRESS
    assert d.finished_at is None
    assert d.received_at == local(2024, 2, 7, 9)
    assert d.receiving_unit == province.commune_a == d.competent_unit == d.current_unit
    assert d.submission_point == province.commune_a  # direct
    assert d.rule_version == "nd61_2018"
    assert d.procedure_version.procedure == procs["one"]
    assert (d.time_limit_amount, d.time_limit_unit) == (1, "working_days")
    assert d.lock_version == 0 and d.created_at is not None
    event = d.events.get()
    assert event.kind == "dossier.imported"
    assert event.data["line"] == 2 and event.data["source"] == "d.csv"
    assert event.at == d.received_at
    assert event.to_state == State.IN_PROGRESS


def test_utc_and_local_instants(tmp_path: Path, province: Province, procs: dict) -> None:
    path = write(
        tmp_path,
        # 02:00Z is 09:00 local: the same W1 due.
        "Z-1,1.000001,C1,online,2024-02-07T02:00:00Z,,,",
        # no offset: local time
        "L-1,1.000001,C1,postal,2024-02-07 09:00,,,",
        # a given due instant wins, in any spelling
        "G-1,1.000001,C1,online,2024-02-07T09:00:00+07:00,2024-02-20T10:00:00Z,,",
        # finished, after 2025-07-01 at the new commune
        "F-1,1.000010,N1,online,2025-07-02T08:00+07:00,,2025-07-03T16:00+07:00,resolved",
    )
    import_dossiers(path)
    due = {d.code: d.statutory_due for d in Dossier.objects.all()}
    assert due["Z-1"] == due["L-1"] == dt.datetime(2024, 2, 15, 9, tzinfo=TZ)
    assert due["G-1"] == dt.datetime(2024, 2, 20, 17, tzinfo=TZ)
    f = Dossier.objects.get(code="F-1")
    assert f.state == State.RESOLVED and f.rule_version == "nd118_2025"
    assert f.competent_unit == province.new_commune
    assert f.finished_at == local(2025, 7, 3, 16)
    assert f.statutory_due == local(2025, 7, 16, 8)  # 10 working days
    assert Dossier.objects.get(code="L-1").submission_point is None  # not direct


def test_outcomes_map_to_states(tmp_path: Path, province: Province, procs: dict) -> None:
    rows = [
        f"O-{o or 'open'},1.000010,C1,direct,2025-03-03T09:00+07:00,,"
        f"{'2025-03-05T10:00+07:00' if o else ''},{o}"
        for o in ("resolved", "refused", "withdrawn", "")
    ]
    import_dossiers(write(tmp_path, *rows))
    states = dict(Dossier.objects.values_list("code", "state"))
    assert states == {
        "O-resolved": "resolved",
        "O-refused": "refused",
        "O-withdrawn": "withdrawn",
        "O-open": "in_progress",
    }


def test_unit_codes_resolve_to_the_version_in_force_on_the_receipt_day(
    tmp_path: Path, province: Province, procs: dict
) -> None:
    # DT names the old province until 2025-06-30 and the new one from 2025-07-01.
    path = write(
        tmp_path,
        "P-1,1.000010,DT,direct,2025-06-30T16:00+07:00,,,",
        "P-2,1.000010,DT,direct,2025-07-01T08:00+07:00,,,",
        # a receipt at 23:30 UTC on 30/06 is 06:30 local on 01/07
        "P-3,1.000010,DT,direct,2025-06-30T23:30:00Z,,,",
    )
    import_dossiers(path)
    units = dict(Dossier.objects.values_list("code", "competent_unit"))
    assert units == {"P-1": province.old.pk, "P-2": province.new.pk, "P-3": province.new.pk}


def test_optional_receiving_unit_and_applicant(
    tmp_path: Path, province: Province, procs: dict
) -> None:
    path = write(
        tmp_path,
        "VP-250303-0007,1.000010,C1,direct,2025-03-03T09:00+07:00,,,,VP,Trần Văn Bình",
        "X-2,1.000010,C1,online,2025-03-03T09:00+07:00,,,,,",
        header=HEADER + ",receiving_unit_code,applicant_name",
    )
    import_dossiers(path)
    d = Dossier.objects.get(code="VP-250303-0007")
    assert (d.receiving_unit, d.competent_unit) == (province.office, province.commune_a)
    assert d.applicant_name == "Trần Văn Bình"
    assert Dossier.objects.get(code="X-2").applicant_name == importers.UNKNOWN_APPLICANT
    # the legacy sequence 0007 of VP on 03/03/2025 is taken: live receipts continue at 0008
    counter = DossierCodeCounter.objects.get(unit=province.office, day=dt.date(2025, 3, 3))
    assert counter.last == 7
    assert services.allocate_code(province.office, dt.date(2025, 3, 3)) == "VP-250303-0008"


def test_header_problems(tmp_path: Path, province: Province) -> None:
    path = write(tmp_path, "a,b", header="code,procedure_code,colour")
    (line,) = problem_lines(path)
    assert line.startswith("line 1: missing column(s): unit_code, channel, received_at")
    assert "unknown column(s): colour" in line
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert problem_lines(empty) == ["line 1: the file is empty: expected a header line"]
    assert problem_lines(tmp_path / "missing.csv")[0].startswith("line 0: cannot read")
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "\nC,1,C1,direct,2025-03-03T09:00,,,Đ\n").encode("cp1258"))
    assert problem_lines(latin)[0].endswith("the file is not UTF-8 text")


def test_every_row_error_with_its_line_and_nothing_written(
    tmp_path: Path, province: Province, procs: dict
) -> None:
    ok = "2025-03-03T09:00+07:00"
    path = write(
        tmp_path,
        f"A-1,1.000010,C1,direct,{ok},,,",  # 2 fine
        f",1.000010,C1,direct,{ok},,,",  # 3
        f"A-3,9.999999,C1,direct,{ok},,,",  # 4
        f"A-4,1.000010,ZZ,direct,{ok},,,",  # 5
        f"A-5,1.000010,N1,direct,{ok},,,",  # 6 N1 exists only from 2025-07-01
        f"A-6,1.000010,C1,fax,{ok},,,",  # 7
        "A-7,1.000010,C1,direct,03/03/2025 09:00,,,",  # 8
        "A-8,1.000010,C1,direct,2025-03-03,,,",  # 9
        f"A-9,1.000010,C1,direct,{ok},,,resolved",  # 10
        f"A-10,1.000010,C1,direct,{ok},,2025-03-04T09:00+07:00,",  # 11
        f"A-11,1.000010,C1,direct,{ok},,2025-03-02T09:00+07:00,resolved",  # 12
        f"A-12,1.000010,C1,direct,{ok},,2025-03-04T09:00+07:00,done",  # 13
        f"A-1,1.000010,C1,direct,{ok},,,",  # 14 duplicate of line 2
        f"A-14,1.000010,C1,direct,{ok},2025-03-01T09:00+07:00,,",  # 15
        "A-15,1.000010,C1,direct,2099-01-01T09:00+07:00,,,",  # 16
        f"A-16,1.000010,C1,direct,{ok},,2099-01-01T09:00+07:00,resolved",  # 17
        f"A-17,1.000010,C1,direct,{ok},,",  # 18 too few values
        f"A-18,,C1,direct,{ok},,,",  # 19
        "A-19,1.000010,C1,direct,,,,",  # 20
        f"A-20,1.000010,,direct,{ok},,,",  # 21
        f"{'X' * 81},1.000010,C1,direct,{ok},,,",  # 22
    )
    assert problem_lines(path) == [
        "line 3: code is empty",
        "line 4: procedure_code 9.999999 is not a known procedure",
        "line 5: unit_code ZZ is not a known unit on 2025-03-03",
        "line 6: unit_code N1 is not a known unit on 2025-03-03",
        "line 7: channel 'fax' is not one of online, direct, postal",
        "line 8: received_at '03/03/2025 09:00' is not an ISO 8601 instant "
        "(e.g. 2024-02-07T09:00:00+07:00)",
        "line 9: received_at '2025-03-03' is not an instant: expected "
        "YYYY-MM-DDTHH:MM[:SS] with an optional offset (+07:00, Z)",
        "line 10: outcome resolved needs finished_at",
        "line 11: finished_at is given but outcome is empty",
        "line 12: finished_at 2025-03-02T09:00+07:00 is before received_at 2025-03-03T09:00+07:00",
        "line 13: outcome 'done' is not one of resolved, refused, withdrawn "
        "(or empty while in process)",
        "line 14: code A-1 is duplicated (lines 2 and 14)",
        "line 15: due_at 2025-03-01T09:00+07:00 is before received_at 2025-03-03T09:00+07:00",
        "line 16: received_at 2099-01-01T09:00+07:00 is in the future",
        "line 17: finished_at 2099-01-01T09:00+07:00 is in the future",
        "line 18: expected 8 values, found 7",
        "line 19: procedure_code is empty",
        "line 20: received_at is empty",
        "line 21: unit_code is empty",
        f"line 22: code '{'X' * 81}' is longer than 80 characters",
    ]
    assert not Dossier.objects.exists()
    assert not DossierEvent.objects.exists()
    assert not DossierCodeCounter.objects.exists()


def test_many_errors_are_capped(tmp_path: Path, province: Province, procs: dict) -> None:
    rows = [f"E-{n},1.000010,C1,fax,2025-03-03T09:00,,," for n in range(250)]
    lines = problem_lines(write(tmp_path, *rows))
    assert len(lines) == importers.MAX_ERRORS + 1
    assert lines[-1] == "… and 50 more errors (first 200 shown)"


def test_reimport_changes_nothing(tmp_path: Path, province: Province, procs: dict) -> None:
    path = write(
        tmp_path,
        "R-1,1.000010,C1,direct,2025-03-03T09:00+07:00,,,",
        "R-2,1.000010,C1,online,2025-03-03T09:00+07:00,,2025-03-05T10:00+07:00,resolved",
    )
    first = import_dossiers(path)
    before = list(Dossier.objects.order_by("code").values())
    second = import_dossiers(path)
    assert (first.created, second.created, second.updated, second.unchanged) == (2, 0, 0, 2)
    assert list(Dossier.objects.order_by("code").values()) == before
    assert DossierEvent.objects.count() == 2


def test_a_changed_row_updates_the_dossier_and_logs_it(
    tmp_path: Path, province: Province, procs: dict
) -> None:
    import_dossiers(write(tmp_path, "U-1,1.000010,C1,direct,2025-03-03T09:00+07:00,,,"))
    result = import_dossiers(
        write(tmp_path, "U-1,1.000010,C1,direct,2025-03-03T09:00+07:00,,2025-03-10T15:00Z,refused")
    )
    assert (result.created, result.updated) == (0, 1)
    d = Dossier.objects.get(code="U-1")
    assert d.state == State.REFUSED
    assert d.finished_at == dt.datetime(2025, 3, 10, 15, tzinfo=dt.UTC)
    assert d.lock_version == 1
    event = d.events.get(kind="dossier.import_updated")
    assert event.data["changes"] == {
        "finished_at": [None, "2025-03-10T22:00:00+07:00"],
        "state": ["in_progress", "refused"],
    }
    assert event.at == d.finished_at


def test_dossiers_worked_on_in_motcua_are_never_overwritten(
    tmp_path: Path, people: dict, province: Province, procs: dict
) -> None:
    live = services.receive_dossier(
        actor=people["alice"],
        procedure=procs["ten"],
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=local(2025, 3, 3, 9),
    )
    import_dossiers(write(tmp_path, "W-1,1.000010,C1,direct,2025-03-03T09:00+07:00,,,"))
    imported = Dossier.objects.get(code="W-1")
    services.resolve_dossier(dossier=imported, actor=None, at=local(2025, 3, 4, 9))
    path = write(
        tmp_path,
        f"{live.code},1.000010,C1,direct,2025-03-03T09:00+07:00,,,",
        "W-1,1.000010,C1,direct,2025-03-03T09:00+07:00,,2025-03-05T09:00+07:00,refused",
    )
    assert problem_lines(path) == [
        f"line 2: code {live.code} belongs to a dossier created in motcua, not by an import: "
        "not overwritten",
        "line 3: dossier W-1 has been processed in motcua since it was imported: not updated",
    ]
    assert Dossier.objects.get(code="W-1").state == State.RESOLVED


def test_dry_run_writes_nothing(tmp_path: Path, province: Province, procs: dict) -> None:
    path = write(tmp_path, "D-1,1.000010,C1,direct,2025-03-03T09:00+07:00,,,")
    result = import_dossiers(path, dry_run=True)
    assert result.created == 1 and "would be created" in str(result)
    assert not Dossier.objects.exists()


def test_bulk_clock_agrees_with_the_engine(province: Province) -> None:
    """The fast path must give compute_due's instant for every receipt and limit."""
    CalendarEntry.objects.create(
        date=dt.date(2025, 3, 12), kind="day_off", name="Nghỉ riêng", unit=province.commune_a
    )
    rng = random.Random(7)
    for unit in (province.commune_a, province.new_commune):
        cal = get_calendar(unit)
        clock = BulkClock(cal)
        for _ in range(400):
            start = dt.datetime(2024, 1, 1, tzinfo=TZ) + dt.timedelta(
                minutes=rng.randrange(3 * 366 * 24 * 60), seconds=rng.randrange(60)
            )
            amount, limit = rng.choice(LIMITS)
            cutoff = dt.time(15, 0) if limit == "same_day" else None
            expected = compute_due(cal, start, amount, limit, cutoff=cutoff, explain=False)
            assert clock.due(start, amount, limit, cutoff) == expected.statutory_due, (
                start,
                amount,
                limit,
            )


def test_streams_twenty_thousand_rows(
    tmp_path: Path, province: Province, procs: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several validation and write batches, the spool file and the progress bar."""
    monkeypatch.setattr(importers, "BATCH", 3000)
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        for n in range(20_000):
            day = dt.date(2025, 3, 3) + dt.timedelta(days=n % 90)
            done = n % 3 != 0
            finished = f"{day + dt.timedelta(days=2)}T10:00:00+07:00" if done else ""
            out.write(
                f"C1-{day:%y%m%d}-{n // 90 + 1:04d},{('1.000010', '1.000001')[n % 2]},C1,"
                f"{('online', 'direct', 'postal')[n % 3]},{day}T0{7 + n % 3}:15:00+07:00,,"
                f"{finished},{'resolved' if done else ''}\n"
            )
    progress = tmp_path / "progress.txt"
    with progress.open("w") as bar:
        result = import_dossiers(path, progress=bar)
    assert result.created == 20_000 and result.due_computed == 20_000
    assert Dossier.objects.count() == DossierEvent.objects.count() == 20_000
    assert Dossier.objects.filter(state=State.RESOLVED).count() == 13_333
    assert "rows/s" in progress.read_text()
    assert DossierCodeCounter.objects.get(unit=province.commune_a, day=dt.date(2025, 3, 3)).last
    again = import_dossiers(path)
    assert again.unchanged == 20_000 and again.created == 0


@pytest.mark.django_db(transaction=True)
def test_command_exit_codes(tmp_path: Path) -> None:
    """A real `motcua import dossiers` in a subprocess, on its own SQLite file."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cmd.sqlite3'}",
        "MOTCUA_VAR_DIR": str(tmp_path),
    }
    motcua = [sys.executable, "-m", "motcua.cli"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*motcua, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
        )

    assert run("migrate").returncode == 0
    setup = textwrap.dedent(
        """
        from motcua.units.models import Unit
        from motcua.procedures.models import Procedure
        Unit.objects.create(code="X1", name="Xã Một", level="commune")
        Procedure.objects.create(code="1.1", name="Thủ tục", level="commune",
                                 time_limit_amount=1, published=True)
        """
    )
    assert run("manage", "shell", "-c", setup).returncode == 0
    good = write(tmp_path, "X1-240207-0001,1.1,X1,direct,2024-02-07T09:00:00+07:00,,,")
    done = run("import", "dossiers", str(good))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("1 rows: 1 created")
    assert "rows/s" not in done.stderr  # no progress bar when stderr is not a terminal
    shown = run("import", "dossiers", str(good), "--progress")
    assert shown.returncode == 0 and "rows/s" in shown.stderr
    assert "1 unchanged" in shown.stdout
    bad = write(tmp_path, "X1-240207-0002,1.1,X9,direct,2024-02-07T09:00:00+07:00,,,", name="b.csv")
    failed = run("import", "dossiers", str(bad))
    assert failed.returncode == 1
    assert failed.stderr.strip() == "line 2: unit_code X9 is not a known unit on 2024-02-07"
