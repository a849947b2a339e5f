"""A dossier's life from receipt to returned result, with the clock on the way."""

from __future__ import annotations

import pytest

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.choices import State
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure


@pytest.fixture
def procedure(province: Province):
    p = province
    return make_procedure(
        units=[p.commune_a],
        steps=[
            ("Tiếp nhận", p.commune_a, 4),
            ("Thẩm định", p.commune_a, 60),
            ("Phê duyệt", p.commune_a, 16),
        ],
    )


def test_walk_in_receipt_issues_code_and_starts_the_clock(
    people: dict, province: Province, procedure
) -> None:
    dossier = services.receive_dossier(
        actor=people["alice"],
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=local(2025, 3, 3, 9),
    )
    assert dossier.code == "C1-250303-0001"
    assert dossier.state == State.RECEIVED
    assert dossier.rule_version == "nd61_2018"
    assert dossier.statutory_due == local(2025, 3, 17, 9)
    second = services.receive_dossier(
        actor=people["alice"],
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=local(2025, 3, 3, 10),
    )
    assert second.code == "C1-250303-0002"


def test_supplement_pause_moves_the_due_instant_w13(
    people: dict, province: Province, procedure
) -> None:
    alice = people["alice"]
    d = services.receive_dossier(
        actor=alice,
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=local(2025, 3, 3, 9),
    )
    d = services.transfer_dossier(
        dossier=d, actor=alice, to_unit=province.commune_a, at=local(2025, 3, 3, 9, 30)
    )
    dana = people["dana"]  # leader of the district: may process and approve in C1
    d = services.request_supplement(
        dossier=d,
        actor=dana,
        items=["Giấy chứng sinh"],
        reason="Thiếu giấy chứng sinh",
        at=local(2025, 3, 5, 10),
    )
    assert d.state == State.SUPPLEMENT_REQUESTED
    assert d.statutory_due is None
    d = services.resume_dossier(dossier=d, actor=alice, at=local(2025, 3, 10, 10))
    assert d.statutory_due == local(2025, 3, 20, 9)
    d = services.resolve_dossier(dossier=d, actor=dana, at=local(2025, 3, 19, 9))
    d = services.return_result(
        dossier=d, actor=alice, recipient="Trần Văn Bình", at=local(2025, 3, 19, 10)
    )
    assert d.state == State.RETURNED
    kinds = list(d.events.values_list("kind", flat=True))
    assert kinds == [
        "dossier.received",
        "dossier.transferred",
        "dossier.supplement_requested",
        "dossier.resumed",
        "dossier.resolved",
        "dossier.result_returned",
    ]
