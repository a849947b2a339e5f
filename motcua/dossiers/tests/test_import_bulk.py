"""The import's PostgreSQL fast paths: keys checked once per load, checking while writing.

`motcua.lib.bulkload` turns the per-row foreign-key checks off for the COPYs and checks the
loaded rows' keys afterwards, one query per key (docs/decisions/0003-import-integrity.md);
`motcua.dossiers.importpipe` checks the file in a child process while the parent writes. Both
must write exactly what the plain path writes, and neither may leave anything behind when
something is wrong. On SQLite neither applies, and the tests say so.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from motcua.conftest import Province
from motcua.dossiers import importers, importpipe
from motcua.dossiers.importers import DossierImportProblem, import_dossiers
from motcua.dossiers.models import Dossier, DossierCodeCounter, DossierEvent
from motcua.dossiers.tests.factories import make_procedure
from motcua.lib import bulkload
from motcua.stats import rollup
from motcua.stats.models import DossierRollup
from motcua.workcalendar.engine import TZ

HEADER = "code,procedure_code,unit_code,channel,received_at,due_at,finished_at,outcome"
TABLES = [Dossier._meta.db_table, DossierEvent._meta.db_table]
DONE = "2025-03-28T10:00+07:00"


def rows(count: int, *, first: int = 1, finished: bool = False) -> list[str]:
    """Legacy rows of commune C1 (some finished, some with a due instant of their own)."""
    out = []
    for n in range(first, first + count):
        day = 1 + n % 27
        received = f"2025-03-{day:02d}T0{n % 9}:15+07:00"
        due = f"2025-04-{day:02d}T16:00+07:00" if n % 3 == 0 else ""
        end, outcome = (DONE, "resolved") if finished or n % 4 == 0 else ("", "")
        channel = ("direct", "online", "postal")[n % 3]
        out.append(
            f"C1-2503{day:02d}-{n:04d},1.000010,C1,{channel},{received},{due},{end},{outcome}"
        )
    return out


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def snapshot() -> dict[str, Any]:
    """What an import wrote, without ids and the import's own instants."""
    skip = {"id", "created_at", "updated_at"}
    dossiers = sorted(
        tuple(v for k, v in row.items() if k not in skip) for row in Dossier.objects.values()
    )
    events = sorted(
        (
            e["dossier__code"],
            e["kind"],
            e["at"],
            e["unit_id"],
            e["to_state"],
            e["actor_name"],
            {k: v for k, v in e["data"].items() if k != "imported_at"},
        )
        for e in DossierEvent.objects.values(
            "dossier__code", "kind", "at", "unit_id", "to_state", "actor_name", "data"
        )
    )
    counters = sorted(DossierCodeCounter.objects.values_list("unit_id", "day", "last"))
    # (rows an update brought back to zero stay; a rebuild does not write them)
    table = sorted(r[1:] for r in DossierRollup.objects.values_list() if any(r[5:]))
    return {"dossiers": dossiers, "events": events, "counters": counters, "rollup": table}


def checked_in_bulk_possible() -> bool:
    with connection.cursor() as cursor:
        return bulkload.may_skip_row_checks(cursor.cursor, TABLES)


@pytest.fixture
def procedure(province: Province) -> Any:
    return make_procedure("1.000010", units=[province.commune_a], amount=10)


class _Rollback(Exception):
    pass


def imported(path: Path) -> tuple[importers.ImportResult, dict[str, Any]]:
    """Import `path` and snapshot what it wrote, then undo it."""
    out: dict[str, Any] = {}
    with pytest.raises(_Rollback), transaction.atomic():
        out["result"] = import_dossiers(path)
        out["snapshot"] = snapshot()
        raise _Rollback
    return out["result"], out["snapshot"]


def test_keys_checked_once_per_load_write_what_the_row_checks_write(
    tmp_path: Path, procedure: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same dossiers, events, counters and roll-up with and without PostgreSQL's row checks."""
    first = write(tmp_path / "first.csv", rows(30))
    import_dossiers(first)  # so that the second file also changes dossiers
    second = write(tmp_path / "second.csv", rows(30, finished=True) + rows(20, first=31))
    fast, fast_rows = imported(second)
    assert (fast.created, fast.updated) == (20, 30 - 30 // 4)
    if connection.vendor != "postgresql":
        assert not fast.checked_in_bulk  # SQLite has no such checks to skip
        return
    assert checked_in_bulk_possible(), (
        "the test database's role needs GRANT SET ON PARAMETER session_replication_role "
        "(scripts/with_postgres.sh grants it)"
    )
    assert fast.checked_in_bulk
    monkeypatch.setattr(bulkload, "may_skip_row_checks", lambda cursor, tables: False)
    slow, slow_rows = imported(second)
    assert not slow.checked_in_bulk
    assert (slow.created, slow.updated) == (fast.created, fast.updated)
    assert fast_rows == slow_rows
    # and the roll-up is the one the dossiers give
    import_dossiers(second)
    table = snapshot()["rollup"]
    rollup.rebuild()
    assert snapshot()["rollup"] == table


def test_a_unit_deleted_before_the_write_rolls_the_import_back(
    tmp_path: Path, province: Province, procedure: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check after the load finds what the row checks would have refused."""
    path = write(tmp_path / "d.csv", rows(12))
    if connection.vendor != "postgresql":
        assert import_dossiers(path).created == 12
        return
    prepare = importers._Writer.prepare_copy

    def delete_the_unit_first(self: Any, cursor: Any, result: Any) -> bool:
        # as another session would, between the check of the file and the write
        cursor.execute("DELETE FROM units_unit WHERE id = %s", [province.commune_a.pk])
        return prepare(self, cursor, result)

    monkeypatch.setattr(importers._Writer, "prepare_copy", delete_the_unit_first)
    with pytest.raises(DossierImportProblem) as info:
        import_dossiers(path)
    message = str(info.value)
    assert message.startswith("line 0: ")
    assert "of dossiers_dossier.submission_point_id name no existing row" in message
    assert message.endswith("nothing was written")
    assert not Dossier.objects.exists()
    assert not DossierEvent.objects.exists()
    assert type(province.commune_a).objects.filter(pk=province.commune_a.pk).exists()


def test_a_trigger_that_would_be_skipped_keeps_the_row_checks(
    tmp_path: Path, procedure: Any
) -> None:
    """Only the keys' own triggers may be skipped: any other trigger must still fire."""
    if connection.vendor != "postgresql":
        assert not importpipe.possible()
        return
    assert checked_in_bulk_possible()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_noop() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RETURN NULL; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER test_noop AFTER INSERT ON dossiers_dossierevent "
            "FOR EACH STATEMENT EXECUTE FUNCTION test_noop()"
        )
    assert not checked_in_bulk_possible()
    result = import_dossiers(write(tmp_path / "d.csv", rows(5)))
    assert result.created == 5
    assert not result.checked_in_bulk


def test_the_rollup_triggers_are_enabled_in_every_replication_role(procedure: Any) -> None:
    """The role that skips the row checks must not skip the roll-up (stats 0003)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'dossiers_dossier'::regclass "
            "AND NOT tgisinternal ORDER BY tgname"
        )
        assert cursor.fetchall() == [(name, "A") for name in sorted(rollup.TRIGGERS)]


# -- checking while writing (two processes) --------------------------------------------------


def children() -> Iterator[int]:
    """Child processes of this one that are over but not reaped (zombies) or still running."""
    try:
        pid, _ = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return
    if pid:
        yield pid


@pytest.mark.django_db(transaction=True)
def test_checking_while_writing_gives_what_one_after_the_other_gives(
    tmp_path: Path, province: Province, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_procedure("1.000010", units=[province.commune_a], amount=10)
    monkeypatch.setattr(importers, "BATCH", 7)  # many batches through the pipe
    first = write(tmp_path / "first.csv", rows(30))
    second = write(tmp_path / "second.csv", rows(30, finished=True) + rows(25, first=31))
    if connection.vendor != "postgresql":
        assert not importpipe.possible()
        assert import_dossiers(first).created == 30
        return
    assert importpipe.possible()
    DossierRollup.objects.all().delete()  # whatever an earlier test's flush left behind
    results, snapshots = [], []
    for enabled in (True, False):
        monkeypatch.setattr(importpipe, "ENABLED", enabled)
        results.append((import_dossiers(first), import_dossiers(second)))
        snapshots.append(snapshot())
        assert not list(children())
        Dossier.objects.all().delete()
        DossierCodeCounter.objects.all().delete()
        DossierRollup.objects.all().delete()
    (piped_first, piped), (plain_first, plain) = results
    assert str(piped_first).split(" in ")[0] == str(plain_first).split(" in ")[0]
    assert str(piped).split(" in ")[0] == str(plain).split(" in ")[0]
    assert (piped.created, piped.updated, piped.unchanged) == (25, 30 - 30 // 4, 30 // 4)
    assert piped.checked_in_bulk
    assert snapshots[0] == snapshots[1]


@pytest.mark.django_db(transaction=True)
def test_a_problem_found_while_writing_leaves_nothing(
    tmp_path: Path, province: Province, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches were already in the COPY when the last line turns out wrong: all rolled back."""
    make_procedure("1.000010", units=[province.commune_a], amount=10)
    monkeypatch.setattr(importers, "BATCH", 5)
    bad = "C1-250301-9999,1.000010,C1,fax,2025-03-01T09:00+07:00,,,"
    path = write(tmp_path / "d.csv", [*rows(40), bad, rows(1, first=41)[0].replace("C1,", "XX,")])
    # (a transactional test's flush may leave roll-up rows behind: compare, do not expect none)
    before = list(DossierRollup.objects.order_by("pk").values_list())
    with pytest.raises(DossierImportProblem) as info:
        import_dossiers(path)
    assert str(info.value).splitlines() == [
        "line 42: channel 'fax' is not one of online, direct, postal",
        "line 43: unit_code XX is not a known unit on 2025-03-15",
    ]
    assert not Dossier.objects.exists()
    assert not DossierEvent.objects.exists()
    assert list(DossierRollup.objects.order_by("pk").values_list()) == before
    assert not list(children())
    # and the same file, mended, imports in full
    path = write(tmp_path / "d.csv", rows(41))
    assert import_dossiers(path).created == 41
    assert Dossier.objects.count() == 41


def test_the_direct_copy_lines_are_the_generic_ones(province: Province, procedure: Any) -> None:
    """`_CopyLines` writes byte for byte what `_CopyText` makes of the writer's rows."""
    other = make_procedure(
        "2.000020", units=[province.commune_a], amount=None, time_unit="same_day"
    )
    writer = importers._Writer(
        source="cũ\t.csv", now=timezone.now(), progress=importers.Progress(None)
    )
    rng = random.Random(16)
    start = importers._us(dt.datetime(1900, 1, 1, tzinfo=dt.UTC))
    boundary = importers._us(dt.datetime(2025, 7, 1, tzinfo=TZ))  # Decree 118 from here
    names = ["Nguyễn Văn An", "Tab\there \\N back\\slash", importers.UNKNOWN_APPLICANT, "  A  B "]
    for n in range(400):
        if n % 4 == 0:  # around the local midnight that changes the rule version
            received = boundary + rng.randrange(-3, 3) * 3_600_000_000 + rng.randrange(-5, 5)
        else:
            received = rng.randrange(start, importers._us(dt.datetime(2027, 1, 1, tzinfo=dt.UTC)))
        due = None if n % 3 == 0 else received + rng.randrange(0, 10**12)
        finished = None if n % 5 == 0 else received + rng.randrange(0, 10**12)
        record = (
            n + 2,
            f"C1-{n:06d}-0001",
            (procedure, other)[n % 2].pk,
            province.commune_a.pk,
            (province.commune_a, province.new_commune)[n % 3 % 2].pk,
            ("direct", "online", "postal")[n % 3],
            received,
            due,
            finished,
            ("resolved", "refused", "withdrawn", "in_progress")[n % 4],
            names[n % len(names)],
            None,
            None,
        )
        pk, event_id = 10_000 + n, 90_000 + n
        row = writer._fields(record)
        row["id"] = pk
        generic = writer.lines.dossier_insert.text.lines([row], derive=True)
        assert writer.lines.dossier(record, pk) == generic, record
        event = writer._created_event(row, record)
        event["id"] = event_id
        generic = writer.lines.event_insert.text.lines([event])
        assert writer.lines.created_event(record, pk, event_id) == generic, record


@pytest.mark.django_db
def test_an_officers_dossiers_still_use_an_index_that_imports_do_not_feed() -> None:
    """Rows without an account have no entry in the account indexes (migration 0010), and
    a query for one officer's dossiers or one actor's events still reads its index."""
    queries = [
        ("SELECT id FROM dossiers_dossier WHERE assignee_id = %s", "dossier_assignee"),
        ("SELECT id FROM dossiers_dossier WHERE applicant_user_id = %s", "dossier_applicant_user"),
        ("SELECT id FROM dossiers_dossierevent WHERE actor_id = %s", "dossier_event_actor"),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                "SELECT count(*) FROM pg_indexes WHERE tablename = 'dossiers_dossier' "
                "AND indexdef LIKE '%%varchar_pattern_ops%%'"
            )
            assert cursor.fetchone()[0] == 0  # no LIKE index on the code
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'dossier_assignee'")
            assert cursor.fetchone()[0].endswith("WHERE (assignee_id IS NOT NULL)")
        explain = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        for sql, index in queries:
            cursor.execute(explain + sql, [7])
            plan = " ".join(str(part) for row in cursor.fetchall() for part in row)
            assert index in plan, plan
