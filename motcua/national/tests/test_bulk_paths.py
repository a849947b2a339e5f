"""The bulk paths: the demo builder writes one row per dossier; imported history none."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db.models import Count

from motcua.conftest import Province
from motcua.demo.tests.test_dossiers import AS_OF, COUNT, demo  # noqa: F401 (fixture)
from motcua.dossiers.importers import import_dossiers
from motcua.dossiers.models import Dossier
from motcua.national.choices import STATUS_CODES, OutboxState
from motcua.national.demo import DEMO_ERROR
from motcua.national.models import OutboxRow
from motcua.national.selectors import sync_state, synchronised_q
from motcua.national.tests.helpers import procedure_for


@pytest.mark.django_db
def test_imported_history_is_not_queued_and_a_later_change_is(
    province: Province, tmp_path: Path
) -> None:
    from motcua.dossiers import services
    from motcua.dossiers.tests.factories import local

    procedure_for(province)
    csv = tmp_path / "cu.csv"
    csv.write_text(
        "code,procedure_code,unit_code,channel,received_at,due_at,finished_at,outcome\n"
        "C1-250303-0001,1.001193,C1,direct,2025-03-03T09:00,2025-03-17T09:00,,\n",
        encoding="utf-8",
    )
    import_dossiers(str(csv))
    d = Dossier.objects.get(code="C1-250303-0001")
    assert not OutboxRow.objects.exists()
    state = sync_state(d)
    assert state.status == "not_sent"
    assert state.label == (
        "Không gửi lên Cổng Dịch vụ công quốc gia: nhập từ hệ thống cũ, "
        "hệ thống cũ đã đồng bộ lịch sử này"
    )
    assert not Dossier.objects.filter(synchronised_q(), pk=d.pk).exists()
    d = services.resolve_dossier(dossier=d, actor=None, at=local(2025, 3, 4, 9))
    row = OutboxRow.objects.get(dossier=d)
    assert (row.sequence, row.status_code, row.state) == (1, 9, OutboxState.PENDING)
    assert row.payload["NgayTiepNhan"] == "2025-03-03T09:00:00+07:00"
    assert sync_state(d).label == "Đang chờ đồng bộ"


# Last in the file: the module-scoped demo stays in the database until the module ends.
@pytest.mark.django_db
def test_the_demo_has_one_row_per_dossier_in_the_three_states(demo: dict) -> None:  # noqa: F811
    assert demo["created"] == COUNT
    rows = OutboxRow.objects.all()
    drafts = Dossier.objects.filter(state="draft").count()
    assert rows.count() == COUNT - drafts
    assert not rows.values("dossier").annotate(n=Count("id")).filter(n__gt=1).exists()
    for row in rows.select_related("dossier")[:200]:
        assert row.status_code == STATUS_CODES[row.dossier.state]
        assert row.payload["MaHoSo"] == row.dossier.code
    by_state = dict(rows.values_list("state").annotate(n=Count("id")))
    failed = rows.filter(state=OutboxState.PENDING, last_error=DEMO_ERROR)
    assert by_state[OutboxState.DELIVERED] > 0.9 * COUNT
    assert failed.exists() and rows.filter(state=OutboxState.PENDING, attempts=0).exists()
    assert not rows.filter(state=OutboxState.DELIVERED, delivered_at__gt=AS_OF).exists()
    synced = Dossier.objects.filter(synchronised_q()).count()
    assert synced == by_state[OutboxState.DELIVERED]
    assert sync_state(failed.first().dossier).label.startswith(  # type: ignore[union-attr]
        f"Lỗi đồng bộ: {DEMO_ERROR} (thử lại lúc "
    )
