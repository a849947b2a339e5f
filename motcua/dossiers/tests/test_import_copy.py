"""The import's fast write path: the rows it writes are the rows the ORM would write.

On PostgreSQL the importer formats the COPY text itself and streams every new dossier in one
statement (`BulkInsert`, `_Writer._write_streamed`); elsewhere it sends `executemany`. Both
must store what `Model.objects.create` stores, and a file that mixes new and changed rows
must give the same ids, events and roll-up as when it was written batch by batch.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from motcua.conftest import Province
from motcua.dossiers import importers
from motcua.dossiers.importers import BulkInsert, import_dossiers
from motcua.dossiers.models import Dossier, DossierCodeCounter, DossierEvent
from motcua.dossiers.tests.factories import make_procedure
from motcua.stats import rollup
from motcua.stats.models import DossierRollup
from motcua.workcalendar.engine import TZ

HEADER = "code,procedure_code,unit_code,channel,received_at,due_at,finished_at,outcome"
TRICKY = "Tab\there, new\nline, CR\r, back\\slash \\N, quote \" ' — Đỗ Thị Ánh"


def test_bulk_insert_stores_what_the_orm_stores(province: Province) -> None:
    """Tabs, newlines, backslashes, \\N, NULLs, JSON, times and booleans survive the COPY text."""
    procedure = make_procedure("1.000010", units=[province.commune_a], amount=10)
    version = procedure.versions.get()
    received = dt.datetime(2025, 3, 3, 9, 15, 30, 123456, tzinfo=TZ)
    values = {
        "procedure_id": procedure.pk,
        "procedure_version_id": version.pk,
        "time_limit_amount": 10,
        "time_limit_unit": "working_days",
        "same_day_cutoff": dt.time(15, 30),
        "rule_version": "nd61_2018",
        "state": "in_progress",
        "channel": "direct",
        "receiving_unit_id": province.commune_a.pk,
        "competent_unit_id": None,
        "applicant_name": TRICKY,
        "applicant_address": "\\",
        "received_at": received,
        "statutory_due": dt.datetime(2025, 3, 17, 1, 0, tzinfo=dt.UTC),
        "postal_delivered_on": dt.date(2025, 3, 20),
        "fee_amount": 2**40,
        "fee_detail": {"note": TRICKY, "items": [1, None, True, "\\N"], "nested": {"a": "\t"}},
        "edata_linked": True,
    }
    now = timezone.now()
    BulkInsert(Dossier, now=now).run([{"code": "BULK-1", **values}])
    Dossier.objects.create(code="ORM-1", **values)
    bulk = Dossier.objects.get(code="BULK-1")
    orm = Dossier.objects.get(code="ORM-1")
    skip = {"id", "code", "search_text", "created_at", "updated_at"}
    names = [f.attname for f in Dossier._meta.concrete_fields if f.attname not in skip]
    assert {n: getattr(bulk, n) for n in names} == {n: getattr(orm, n) for n in names}
    assert bulk.applicant_name == TRICKY and bulk.fee_detail["note"] == TRICKY
    assert bulk.search_text == bulk.folded_search_text()
    assert bulk.created_at == bulk.updated_at == now

    events = BulkInsert(DossierEvent, now=now)
    events.run([{"dossier_id": bulk.pk, "kind": "x.y", "at": received, "note": TRICKY}])
    event = DossierEvent.objects.get(dossier=bulk)
    assert (event.note, event.data, event.actor_id, event.at) == (TRICKY, {}, None, received)


def test_search_text_of_imported_names_is_the_models(tmp_path: Path, province: Province) -> None:
    make_procedure("1.000010", units=[province.commune_a], amount=10)
    path = tmp_path / "names.csv"
    names = ["Trần Văn Bình", "ĐOÀN  thị   ánh", "Nguyễn Văn A", "Trần Văn Bình", ""]
    path.write_text(
        "\n".join(
            [HEADER + ",receiving_unit_code,applicant_name"]
            + [
                f"Mã-Đ{n}  X,1.000010,C1,direct,2025-03-03T09:00+07:00,,,,,{name}"
                for n, name in enumerate(names)
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    import_dossiers(path)
    texts = dict(Dossier.objects.values_list("code", "search_text"))
    assert len(texts) == len(names)
    for dossier in Dossier.objects.all():
        assert dossier.search_text == dossier.folded_search_text()
    assert texts["Mã-Đ1  X"] == "ma-d1 x doan thi anh"


@pytest.mark.parametrize("batch", [2, 5000])
def test_new_and_changed_rows_in_one_file_keep_the_batch_order(
    tmp_path: Path, province: Province, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """Ids, events and their order, counters and the roll-up as batch by batch."""
    make_procedure("1.000010", units=[province.commune_a], amount=10)
    monkeypatch.setattr(importers, "BATCH", batch)
    path = tmp_path / "mixed.csv"

    def write(rows: list[str]) -> Path:
        path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
        return path

    def row(n: int, finished: str = "", outcome: str = "") -> str:
        received = f"2025-03-{n:02d}T09:00+07:00"
        return f"C1-2503{n:02d}-0001,1.000010,C1,direct,{received},,{finished},{outcome}"

    import_dossiers(write([row(3), row(5)]))
    first_ids = dict(Dossier.objects.values_list("code", "pk"))
    done = "2025-03-20T10:00+07:00"
    # new, changed, new, new, changed, new: with BATCH = 2 each batch mixes both kinds
    result = import_dossiers(
        write([row(4), row(3, done, "resolved"), row(6), row(7), row(5, done, "refused"), row(10)])
    )
    assert (result.created, result.updated, result.unchanged) == (4, 2, 0)
    ids = dict(Dossier.objects.values_list("code", "pk"))
    assert {c: ids[c] for c in first_ids} == first_ids
    new_codes = ["C1-250304-0001", "C1-250306-0001", "C1-250307-0001", "C1-250310-0001"]
    # new dossiers take the next ids in file order
    assert [ids[c] for c in new_codes] == list(
        range(max(first_ids.values()) + 1, ids[new_codes[0]] + 4)
    )
    timeline = [
        (e.dossier.code, e.kind)
        for e in DossierEvent.objects.order_by("id").select_related("dossier")[2:]
    ]
    imported, updated = "dossier.imported", "dossier.import_updated"
    if batch == 2:  # each batch: its new rows' events, then its changed rows'
        expected = [
            ("C1-250304-0001", imported),
            ("C1-250303-0001", updated),
            ("C1-250306-0001", imported),
            ("C1-250307-0001", imported),
            ("C1-250310-0001", imported),
            ("C1-250305-0001", updated),
        ]
    else:
        expected = [(c, imported) for c in new_codes] + [
            ("C1-250303-0001", updated),
            ("C1-250305-0001", updated),
        ]
    assert timeline == expected
    assert dict(Dossier.objects.values_list("code", "state"))["C1-250305-0001"] == "refused"
    assert (
        DossierCodeCounter.objects.get(unit=province.commune_a, day=dt.date(2025, 3, 10)).last == 1
    )
    table = list(DossierRollup.objects.order_by("cube", "grain", "day", "unit").values_list())
    rollup.rebuild()
    rebuilt = list(DossierRollup.objects.order_by("cube", "grain", "day", "unit").values_list())
    assert [r[1:] for r in table] == [r[1:] for r in rebuilt]
