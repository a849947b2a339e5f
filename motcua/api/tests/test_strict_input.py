"""Instants without a time zone and digits of other scripts answer 400 on their field."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.procedures.models import Procedure

TZ_MESSAGE = "Thời điểm phải có múi giờ, ví dụ 2026-12-07T08:00:00+07:00"
DIGITS_MESSAGE = (
    "Chỉ dùng chữ số 0–9 thông thường, không dùng chữ số của bảng chữ khác (như “٣” hay “３”)."
)
RECEIPT = {
    "procedure": "1.001193",
    "receiving_unit": "C1",
    "applicant": {"name": "Trần Văn Bình"},
    "received_at": "2025-03-03T09:00:00+07:00",
}


@pytest.fixture
def alice(people: dict, province: Province) -> APIClient:
    make_procedure(
        units=[province.commune_a],
        steps=[
            ("Tiếp nhận", province.commune_a, 4),
            ("Thẩm định", province.commune_a, 60),
            ("Phê duyệt", province.commune_a, 16),
        ],
    )
    client = APIClient()
    client.force_authenticate(people["alice"])
    return client


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"received_at": "2025-03-03T09:00:00"}, "received_at", TZ_MESSAGE),
        ({"received_at": "2025-03-03 09:00"}, "received_at", TZ_MESSAGE),
        ({"received_at": "٢٠٢٥-03-03T09:00:00+07:00"}, "received_at", DIGITS_MESSAGE),
        ({"procedure": "１.001193"}, "procedure", DIGITS_MESSAGE),
        ({"receiving_unit": "C١"}, "receiving_unit", DIGITS_MESSAGE),
    ],
)
def test_receipt_refuses_naive_instants_and_foreign_digits(
    alice: APIClient, change: dict, field: str, message: str
) -> None:
    answer = alice.post("/api/v1/dossiers/", {**RECEIPT, **change}, format="json")
    assert answer.status_code == 400, answer.content
    assert answer.json() == {field: [message]}
    assert not Dossier.objects.exists()


def test_receipt_refuses_foreign_digits_in_component_counts(alice: APIClient) -> None:
    body = {**RECEIPT, "components": [{"name": "Tờ khai", "originals": "٣"}]}
    answer = alice.post("/api/v1/dossiers/", body, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"components": {"0": {"originals": [DIGITS_MESSAGE]}}}
    # The same with ASCII digits and an offset is received.
    good = {**RECEIPT, "components": [{"name": "Tờ khai", "originals": "3"}]}
    assert alice.post("/api/v1/dossiers/", good, format="json").status_code == 201
    assert Dossier.objects.count() == 1


def _received(people: dict, province: Province) -> Dossier:
    procedure = Procedure.objects.get()
    return services.receive_dossier(
        actor=people["alice"],
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=local(2025, 3, 3, 9),
    )


def test_actions_refuse_naive_instants_and_foreign_digits(
    alice: APIClient, people: dict, province: Province
) -> None:
    dossier = _received(people, province)
    url = f"/api/v1/dossiers/{dossier.code}/actions"
    naive = alice.post(
        f"{url}/transfer/", {"to_unit": "C1", "at": "2025-03-03T10:00:00"}, format="json"
    )
    assert naive.status_code == 400
    assert naive.json() == {"at": [TZ_MESSAGE]}
    step = alice.post(f"{url}/transfer/", {"to_unit": "C1", "step_order": "２"}, format="json")
    assert step.json() == {"step_order": [DIGITS_MESSAGE]}
    unit = alice.post(f"{url}/transfer/", {"to_unit": "C１"}, format="json")
    assert unit.json() == {"to_unit": [DIGITS_MESSAGE]}
    dossier.refresh_from_db()
    assert dossier.state == "received"
    # With an offset (Z is UTC) the same move is accepted.
    moved = alice.post(
        f"{url}/transfer/", {"to_unit": "C1", "at": "2025-03-03T03:00:00Z"}, format="json"
    )
    assert moved.status_code == 200, moved.content
    dossier.refresh_from_db()
    assert dossier.state == "in_progress"


def test_filters_and_path_codes_refuse_foreign_digits(
    alice: APIClient, people: dict, province: Province
) -> None:
    dossier = _received(people, province)
    assert alice.get("/api/v1/dossiers/?received_from=2025-03-03").json()["count"] == 1
    date = alice.get("/api/v1/dossiers/?received_from=٢٠٢٥-03-03")
    assert date.status_code == 400
    assert date.json() == {"received_from": [DIGITS_MESSAGE]}
    unit = alice.get("/api/v1/dossiers/?receiving_unit=C１")
    assert unit.json() == {"receiving_unit": [DIGITS_MESSAGE]}
    page = alice.get("/api/v1/dossiers/?page=１")
    assert page.json() == {"page": [DIGITS_MESSAGE]}
    # Free-text search is text: any script is allowed.
    assert alice.get("/api/v1/dossiers/?q=٣").status_code == 200
    foreign_code = str(dossier.code).replace("0", "٠")
    path = alice.get(f"/api/v1/dossiers/{foreign_code}/")
    assert path.status_code == 400
    assert path.json() == {"code": [DIGITS_MESSAGE]}
    assert APIClient().get(f"/api/v1/dossiers/{foreign_code}/").status_code == 401


def test_stats_and_calendar_query_numbers_refuse_foreign_digits(alice: APIClient) -> None:
    answer: Any = alice.get("/api/v1/calendar/days/?year=２０２５")
    assert answer.status_code == 400
    assert DIGITS_MESSAGE in str(answer.json())
