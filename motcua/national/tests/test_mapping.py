"""The national status codes of dossiers.md §13, one by one, as the services write them."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.choices import Channel, State
from motcua.dossiers.tests.factories import APPLICANT, local
from motcua.national.choices import STATUS_CODES
from motcua.national.models import OutboxRow
from motcua.national.tests.helpers import procedure_for

pytestmark = pytest.mark.django_db

# dossiers.md §13, as written (code -> motcua states).
TABLE = {
    1: {"submitted", "awaiting_completion"},
    2: {"received"},
    3: {"refused_at_intake"},
    4: {"in_progress"},
    5: {"supplement_requested"},
    6: {"awaiting_payment"},
    7: {"withdrawn"},
    8: {"stopped", "refused"},
    9: {"resolved"},
    10: {"returned"},
}


def test_the_mapping_is_the_table_and_drafts_are_never_sent() -> None:
    as_table: dict[int, set[str]] = {}
    for state, code in STATUS_CODES.items():
        as_table.setdefault(code, set()).add(state)
    assert as_table == TABLE
    assert set(STATUS_CODES) == set(State.values) - {"draft"}


def codes(dossier: Any) -> list[int]:
    return list(
        OutboxRow.objects.filter(dossier=dossier)
        .order_by("sequence")
        .values_list("status_code", flat=True)
    )


def test_every_code_is_written_by_its_service(province: Province) -> None:
    procedure = procedure_for(province)
    unit = province.commune_a
    t = iter(range(8, 17))

    def at() -> Any:
        return local(2025, 3, 3, next(t))

    # online: 1 (submitted), 1 (awaiting completion), 1 (submitted again), 3 (not received)
    online = services.submit_dossier(
        procedure=procedure, receiving_unit=unit, applicant=APPLICANT, at=local(2025, 3, 3, 7)
    )
    online = services.request_completion(
        dossier=online, actor=None, items=["Tờ khai"], reason="thiếu", at=at()
    )
    online = services.submit_dossier(dossier=online, at=at())
    online = services.refuse_at_intake(dossier=online, actor=None, reason="sai thẩm quyền", at=at())
    assert codes(online) == [1, 1, 1, 3]
    row = OutboxRow.objects.filter(dossier=online).first()
    assert row is not None and row.payload["KenhThucHien"] == 2

    def walk_in(channel: str = Channel.DIRECT) -> Any:
        return services.receive_dossier(
            actor=None,
            procedure=procedure,
            receiving_unit=unit,
            applicant=APPLICANT,
            channel=channel,
            at=local(2025, 3, 4, 8),
        )

    def transfer(d: Any) -> Any:
        return services.transfer_dossier(
            dossier=d, actor=None, to_unit=unit, at=local(2025, 3, 4, 9)
        )

    d = transfer(walk_in())
    d = services.request_payment(
        dossier=d, actor=None, amount=8000, legal_basis="Thông tư 85/2019", at=local(2025, 3, 4, 10)
    )
    d = services.confirm_payment(dossier=d, actor=None, reference="BL-1", at=local(2025, 3, 4, 11))
    d = services.request_supplement(
        dossier=d, actor=None, items=["Tờ khai"], reason="thiếu", at=local(2025, 3, 4, 12)
    )
    d = services.refuse_dossier(
        dossier=d, actor=None, reason="không đủ điều kiện", at=local(2025, 3, 4, 13)
    )
    assert codes(d) == [2, 4, 6, 4, 5, 8]
    last = OutboxRow.objects.filter(dossier=d).order_by("sequence").last()
    assert last is not None
    assert last.payload["NgayKetThucXuLy"] == "2025-03-04T13:00:00+07:00"
    assert last.dossier_state == State.REFUSED

    postal = services.withdraw_dossier(
        dossier=walk_in(Channel.POSTAL), actor=None, reason="đơn rút", at=local(2025, 3, 4, 9)
    )
    assert codes(postal) == [2, 7]
    assert OutboxRow.objects.filter(dossier=postal).first().payload["KenhThucHien"] == 3  # type: ignore[union-attr]

    stopped = services.stop_dossier(
        dossier=transfer(walk_in()), actor=None, reason="Điều 5", at=local(2025, 3, 4, 10)
    )
    assert codes(stopped) == [2, 4, 8]

    done = services.resolve_dossier(
        dossier=transfer(walk_in()), actor=None, at=local(2025, 3, 4, 10)
    )
    done = services.return_result(
        dossier=done, actor=None, recipient="Trần Văn Bình", at=local(2025, 3, 4, 11)
    )
    assert codes(done) == [2, 4, 9, 10]
    returned = OutboxRow.objects.get(dossier=done, sequence=4)
    assert returned.payload["NgayTraKetQua"] == "2025-03-04T11:00:00+07:00"
    assert returned.payload["NgayKetThucXuLy"] == "2025-03-04T10:00:00+07:00"
