"""Every dossier state change writes its outbox row in the same transaction (dossiers.md §13)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.choices import State
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.national.choices import OutboxState
from motcua.national.models import OutboxRow
from motcua.national.selectors import sync_state, synchronised_q


@pytest.fixture
def procedure(province: Province) -> Any:
    p = province
    return make_procedure(
        units=[p.commune_a],
        steps=[("Tiếp nhận", p.commune_a, 4), ("Thẩm định", p.commune_a, 76)],
    )


def rows(dossier: Any) -> list[tuple[int, int, str]]:
    return list(
        OutboxRow.objects.filter(dossier=dossier)
        .order_by("sequence")
        .values_list("sequence", "status_code", "dossier_state")
    )


def walk_in(people: dict, province: Province, procedure: Any, hour: int = 9) -> Any:
    return services.receive_dossier(
        actor=people["alice"],
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=local(2025, 3, 3, hour),
    )


def test_each_state_change_is_numbered_with_its_national_code(
    people: dict, province: Province, procedure: Any
) -> None:
    alice = people["alice"]
    d = walk_in(people, province, procedure)
    d = services.transfer_dossier(
        dossier=d, actor=alice, to_unit=province.commune_a, at=local(2025, 3, 3, 10)
    )
    # a second transfer keeps the national status (4): no row
    d = services.transfer_dossier(
        dossier=d, actor=alice, to_unit=province.commune_a, at=local(2025, 3, 3, 11)
    )
    d = services.request_supplement(
        dossier=d, actor=None, items=["Giấy chứng sinh"], reason="thiếu", at=local(2025, 3, 4, 9)
    )
    d = services.resume_dossier(dossier=d, actor=alice, at=local(2025, 3, 5, 9))
    assert rows(d) == [
        (1, 2, State.RECEIVED),
        (2, 4, State.IN_PROGRESS),
        (3, 5, State.SUPPLEMENT_REQUESTED),
        (4, 4, State.IN_PROGRESS),
    ]
    first = OutboxRow.objects.get(dossier=d, sequence=1)
    assert first.state == OutboxState.PENDING
    assert first.event is not None and first.event.kind == "dossier.received"
    assert first.payload["MaHoSo"] == d.code
    assert first.payload["MaTTHC"] == "1.001193"
    assert first.payload["TrangThaiHoSo"] == 2
    assert first.payload["KenhThucHien"] == 1
    assert first.payload["NgayTiepNhan"] == "2025-03-03T09:00:00+07:00"
    assert first.payload["NgayHenTra"] == "2025-03-17T09:00:00+07:00"
    assert first.payload["DonViTinh"] == "Ngày làm việc"


def test_a_draft_is_never_synchronised_and_submission_is_code_1(
    people: dict, province: Province, procedure: Any
) -> None:
    draft = services.create_draft(
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=local(2025, 3, 3, 8),
    )
    assert rows(draft) == []
    submitted = services.submit_dossier(dossier=draft, at=local(2025, 3, 3, 8, 30))
    assert rows(submitted) == [(1, 1, State.SUBMITTED)]
    assert OutboxRow.objects.get(dossier=submitted).payload["KenhThucHien"] == 2


def test_a_refused_change_writes_no_row(people: dict, province: Province, procedure: Any) -> None:
    d = walk_in(people, province, procedure)
    with pytest.raises(services.DossierError):
        services.resolve_dossier(dossier=d, actor=people["alice"], at=local(2025, 3, 3, 10))
    assert rows(d) == [(1, 2, State.RECEIVED)]


def test_the_row_rolls_back_with_the_change(
    people: dict, province: Province, procedure: Any
) -> None:
    d = walk_in(people, province, procedure)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.transfer_dossier(
            dossier=d, actor=people["alice"], to_unit=province.commune_a, at=local(2025, 3, 3, 10)
        )
        assert len(rows(d)) == 2
        raise RuntimeError("the caller's transaction fails after the service")
    assert rows(d) == [(1, 2, State.RECEIVED)]
    assert Dossier.objects.get(pk=d.pk).state == State.RECEIVED


def test_synchronised_needs_a_delivered_row_and_none_waiting(
    people: dict, province: Province, procedure: Any
) -> None:
    a = walk_in(people, province, procedure, 9)
    b = walk_in(people, province, procedure, 10)
    c = walk_in(people, province, procedure, 11)
    OutboxRow.objects.filter(dossier=a).update(state=OutboxState.DELIVERED)
    OutboxRow.objects.filter(dossier=c).update(state=OutboxState.SKIPPED, skip_reason="nhập")
    synced = set(Dossier.objects.filter(synchronised_q()).values_list("pk", flat=True))
    assert synced == {a.pk}
    assert sync_state(a).synchronised
    assert sync_state(b).label == "Đang chờ đồng bộ"
    assert sync_state(c).status == "not_sent"
    a = services.transfer_dossier(
        dossier=a, actor=people["alice"], to_unit=province.commune_a, at=local(2025, 3, 3, 12)
    )
    assert not Dossier.objects.filter(synchronised_q(), pk=a.pk).exists()
    # through a relation: events of synchronised dossiers
    from motcua.dossiers.models import DossierEvent

    OutboxRow.objects.filter(dossier=a).update(state=OutboxState.DELIVERED)
    events = DossierEvent.objects.filter(synchronised_q("dossier__"))
    assert {e.dossier_id for e in events} == {a.pk}
