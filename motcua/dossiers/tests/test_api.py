"""The dossier API contract: receipt, list and filters, detail, every action, deadline, scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.actions import SLUG_TO_EVENT
from motcua.dossiers.choices import State
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def iso(t: dt.datetime) -> str:
    return t.isoformat()


@pytest.fixture
def procedure(province: Province) -> Any:
    p = province
    return make_procedure(
        units=[p.commune_a],
        steps=[
            ("Tiếp nhận", p.commune_a, 4),
            ("Thẩm định", p.commune_a, 60),
            ("Phê duyệt", p.commune_a, 16),
        ],
    )


def receive(people: dict, province: Province, procedure: Any, **kw: Any) -> Dossier:
    """A walk-in dossier received by alice at commune C1 (Mon 03/03/2025 09:00 by default)."""
    return services.receive_dossier(
        actor=people["alice"],
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=kw.pop("applicant", APPLICANT),
        at=kw.pop("at", local(2025, 3, 3, 9)),
        **kw,
    )


def in_progress(people: dict, province: Province, procedure: Any, **kw: Any) -> Dossier:
    """A received dossier transferred to processing at C1."""
    d = receive(people, province, procedure, **kw)
    return services.transfer_dossier(
        dossier=d, actor=people["alice"], to_unit=province.commune_a, at=d.received_at
    )


RECEIPT = {
    "procedure": "1.001193",
    "receiving_unit": "C1",
    "applicant": {
        "name": "Trần Văn Bình",
        "id_number": "087095001234",
        "phone": "0912345678",
        "email": "binh@example.vn",
        "address": "Ấp 1, xã Mỹ An",
        "owner_name": "",
    },
    "channel": "direct",
    "submitted_by": "applicant",
    "received_at": "2025-03-03T09:00:00+07:00",
}


# -- receipt ---------------------------------------------------------------------------------


def test_walk_in_receipt_answers_201_with_the_dossier(people: dict, procedure: Any) -> None:
    response = client_for(people["alice"]).post("/api/v1/dossiers/", RECEIPT, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "C1-250303-0001"
    assert body["state"] == State.RECEIVED
    assert body["statutory_due"] == "2025-03-17T09:00:00+07:00"
    assert body["applicant_phone"] == "0912345678"  # the desk works it: full contact
    assert body["events"][0]["kind"] == "dossier.received"
    stored = Dossier.objects.get(code="C1-250303-0001")
    assert stored.applicant_email == "binh@example.vn"
    assert stored.received_at == local(2025, 3, 3, 9)


def test_token_authentication_receives(people: dict, procedure: Any) -> None:
    token = Token.objects.create(user=people["alice"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.post("/api/v1/dossiers/", RECEIPT, format="json").status_code == 201


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"procedure": "9.999999"}, "procedure"),
        ({"receiving_unit": "NOPE"}, "receiving_unit"),
        ({"channel": "fax"}, "channel"),
        ({"applicant": {"name": ""}}, "applicant"),
        ({"applicant": {"name": "   "}}, "applicant"),
        ({"received_at": "2099-01-01T09:00:00+07:00"}, "received_at"),
        ({"competent_unit": "NOPE"}, "competent_unit"),
    ],
)
def test_receipt_errors_are_field_level_and_create_nothing(
    people: dict, procedure: Any, change: dict, field: str
) -> None:
    body = {**RECEIPT, **change}
    response = client_for(people["alice"]).post("/api/v1/dossiers/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Dossier.objects.count() == 0


def test_receiving_unit_outside_scope_looks_like_an_unknown_one(
    people: dict, procedure: Any
) -> None:
    alice = client_for(people["alice"])
    other = alice.post("/api/v1/dossiers/", {**RECEIPT, "receiving_unit": "C2"}, format="json")
    missing = alice.post("/api/v1/dossiers/", {**RECEIPT, "receiving_unit": "ZZ"}, format="json")
    assert other.status_code == missing.status_code == 400
    assert other.json()["receiving_unit"] == [
        m.replace("ZZ", "C2") for m in missing.json()["receiving_unit"]
    ]
    assert Dossier.objects.count() == 0


def test_receipt_by_a_viewer_is_403(people: dict, procedure: Any) -> None:
    response = client_for(people["olga"]).post("/api/v1/dossiers/", RECEIPT, format="json")
    assert response.status_code == 403
    assert "không có quyền" in response.json()["detail"]
    assert Dossier.objects.count() == 0


# -- list and detail -------------------------------------------------------------------------


def test_list_is_scoped_masked_and_filtered(
    people: dict, province: Province, procedure: Any
) -> None:
    first = receive(people, province, procedure)
    second = in_progress(
        people,
        province,
        procedure,
        applicant={**APPLICANT, "name": "Lê Thị Cúc"},
        at=local(2025, 3, 4, 9),
    )
    services.request_supplement(
        dossier=second,
        actor=people["dana"],
        items=["Giấy chứng sinh"],
        reason="Thiếu",
        at=local(2025, 3, 4, 10),
    )
    alice = client_for(people["alice"])
    rows = alice.get("/api/v1/dossiers/").json()["results"]
    assert {r["code"] for r in rows} == {first.code, second.code}
    assert {r["applicant_phone"] for r in rows} == {"*******678"}
    assert {r["applicant_id_number"] for r in rows} == {"*********234"}

    def codes(query: str) -> set[str]:
        response = alice.get(f"/api/v1/dossiers/?{query}")
        assert response.status_code == 200, response.content
        return {r["code"] for r in response.json()["results"]}

    assert codes("state=supplement_requested") == {second.code}
    assert codes("paused=true") == {second.code}
    assert codes("paused=false") == {first.code}
    assert codes("overdue=true") == {first.code}  # 2025 dossier still open today
    assert codes("q=C%C3%BAc") == {second.code}
    assert codes(f"q={first.code}") == {first.code}
    assert codes("procedure=1.001193&receiving_unit=C1&channel=direct") == {
        first.code,
        second.code,
    }
    assert codes("field=ho-tich&current_unit=C1&competent_unit=C1") == {first.code, second.code}
    assert codes("received_from=2025-03-04") == {second.code}
    assert codes("received_to=2025-03-03") == {first.code}
    assert codes("due_before=2025-03-18") == {first.code}
    assert alice.get("/api/v1/dossiers/?state=nope").status_code == 400
    assert client_for(people["bob"]).get("/api/v1/dossiers/").json()["results"] == []
    dana_rows = client_for(people["dana"]).get("/api/v1/dossiers/").json()["results"]
    assert len(dana_rows) == 2


def test_detail_has_timeline_pauses_apologies_steps_files(
    people: dict, province: Province, procedure: Any
) -> None:
    d = in_progress(people, province, procedure)
    services.request_supplement(
        dossier=d, actor=people["dana"], items=["A"], reason="Thiếu", at=local(2025, 3, 4, 9)
    )
    body = client_for(people["dana"]).get(f"/api/v1/dossiers/{d.code}/").json()
    assert [e["kind"] for e in body["events"]] == [
        "dossier.received",
        "dossier.transferred",
        "dossier.supplement_requested",
    ]
    assert body["pauses"][0]["items"] == ["A"]
    assert body["steps"][0]["unit"] == "C1"
    assert body["steps"][0]["budget_minutes"] == 240
    assert body["apologies"] == [] and body["files"] == []
    assert body["applicant_phone"] == "0912345678"
    # The inspector of another district cannot see it; the provincial office sees it masked.
    assert client_for(people["ivan"]).get(f"/api/v1/dossiers/{d.code}/").status_code == 404
    olga = client_for(people["olga"]).get(f"/api/v1/dossiers/{d.code}/").json()
    assert olga["applicant_phone"] == "*******678"


def test_deadline_endpoint_explains(people: dict, province: Province, procedure: Any) -> None:
    d = receive(people, province, procedure)
    body = client_for(people["alice"]).get(f"/api/v1/dossiers/{d.code}/deadline/").json()
    assert set(body) == {
        "statutory_due",
        "promised_due",
        "remaining_minutes",
        "paused",
        "overdue",
        "explanation",
    }
    assert body["statutory_due"] == "2025-03-17T09:00:00+07:00"
    assert body["promised_due"] == body["statutory_due"]
    assert body["overdue"] is True and body["paused"] is False
    assert body["remaining_minutes"] < 0
    assert any(line.startswith("bắt đầu") for line in body["explanation"])
    assert any(line.startswith("hạn") for line in body["explanation"])


def test_deadline_of_a_paused_dossier(people: dict, province: Province, procedure: Any) -> None:
    d = in_progress(people, province, procedure)
    services.request_supplement(
        dossier=d, actor=people["dana"], items=["A"], reason="Thiếu", at=local(2025, 3, 4, 9)
    )
    body = client_for(people["alice"]).get(f"/api/v1/dossiers/{d.code}/deadline/").json()
    assert body["paused"] is True and body["overdue"] is False
    assert body["statutory_due"] is None
    assert body["remaining_minutes"] == 80 * 60 - 8 * 60  # one working day consumed


# -- actions ---------------------------------------------------------------------------------


def act(client: APIClient, code: str | None, slug: str, **body: Any) -> Any:
    return client.post(f"/api/v1/dossiers/{code}/actions/{slug}/", body, format="json")


def test_every_action_is_reachable(people: dict, province: Province, procedure: Any) -> None:
    alice, dana = client_for(people["alice"]), client_for(people["dana"])
    reached: set[str] = set()

    def ok(client: APIClient, code: str | None, slug: str, state: str, **body: Any) -> dict:
        response = act(client, code, slug, **body)
        assert response.status_code == 200, (slug, response.content)
        assert response.json()["state"] == state
        reached.add(slug)
        return response.json()

    # Full life with supplement, payment and apology.
    d = receive(people, province, procedure)
    c = d.code
    ok(alice, c, "transfer", "in_progress", to_unit="C1", at=iso(local(2025, 3, 3, 10)))
    body = ok(
        dana,
        c,
        "request-supplement",
        "supplement_requested",
        items=["Giấy chứng sinh", "Bản sao CCCD"],
        reason="Thiếu giấy tờ",
        at=iso(local(2025, 3, 4, 9)),
    )
    assert body["pauses"][0]["items"] == ["Giấy chứng sinh", "Bản sao CCCD"]
    ok(alice, c, "resume", "in_progress", note="Đã bổ sung", at=iso(local(2025, 3, 5, 9)))
    ok(
        dana,
        c,
        "request-payment",
        "awaiting_payment",
        amount=50000,
        legal_basis="Thông tư 85/2019/TT-BTC",
        at=iso(local(2025, 3, 6, 9)),
    )
    ok(
        alice,
        c,
        "confirm-payment",
        "in_progress",
        reference="BL-001",
        at=iso(local(2025, 3, 6, 10)),
    )
    body = ok(
        dana,
        c,
        "issue-apology",
        "in_progress",
        reason="Chờ xác minh",
        new_due=iso(local(2025, 3, 25, 16)),
        delaying_unit="C1",
        at=iso(local(2025, 3, 10, 9)),
    )
    assert body["apologies"][0]["grants_extension"] is True
    assert body["promised_due"] != body["statutory_due"]
    ok(dana, c, "resolve", "resolved", note="Đã ký", at=iso(local(2025, 3, 12, 9)))
    ok(
        alice,
        c,
        "return-result",
        "returned",
        recipient="Trần Văn Bình",
        delivery="desk",
        at=iso(local(2025, 3, 12, 10)),
    )

    # Refusal, withdrawal, stop.
    for slug, state, client in [
        ("refuse", "refused", dana),
        ("stop", "stopped", dana),
        ("withdraw", "withdrawn", alice),
    ]:
        other = in_progress(people, province, procedure, at=local(2025, 3, 3, 11))
        ok(client, other.code, slug, state, reason="Căn cứ Điều 9", at=iso(local(2025, 3, 4, 9)))

    # Before receipt: completion request, intake refusal, receipt of a submitted dossier.
    def submitted() -> Dossier:
        return services.submit_dossier(
            procedure=procedure,
            receiving_unit=province.commune_a,
            applicant=APPLICANT,
            at=local(2025, 3, 3, 8),
        )

    s = submitted()
    ok(
        alice,
        s.code,
        "request-completion",
        "awaiting_completion",
        items=["Tờ khai"],
        reason="Thiếu tờ khai",
        at=iso(local(2025, 3, 3, 9)),
    )
    ok(
        alice,
        s.code,
        "refuse-at-intake",
        "refused_at_intake",
        reason="Không thuộc thẩm quyền",
        at=iso(local(2025, 3, 3, 10)),
    )
    body = ok(alice, submitted().code, "receive", "received", at=iso(local(2025, 3, 3, 9)))
    assert body["received_at"] == "2025-03-03T09:00:00+07:00"
    assert reached == set(SLUG_TO_EVENT)


def test_action_errors_map_to_status_codes(
    people: dict, province: Province, procedure: Any
) -> None:
    alice, dana = client_for(people["alice"]), client_for(people["dana"])
    d = receive(people, province, procedure)
    # 409: the table forbids resolving a dossier not yet in progress.
    conflict = act(dana, d.code, "resolve")
    assert conflict.status_code == 409
    assert "Đã tiếp nhận" in conflict.json()["detail"]
    services.transfer_dossier(
        dossier=d, actor=people["alice"], to_unit=province.commune_a, at=local(2025, 3, 3, 10)
    )
    # 403: a desk officer may not resolve.
    forbidden = act(alice, d.code, "resolve")
    assert forbidden.status_code == 403
    assert "không có quyền" in forbidden.json()["detail"]
    # 400 on the field: every missing item must be listed, the reason written.
    assert act(dana, d.code, "request-supplement", reason="x").json() == {
        "items": ["cần liệt kê đầy đủ các thành phần còn thiếu"]
    }
    assert "reason" in act(dana, d.code, "request-supplement", items=["A"]).json()
    assert "amount" in act(dana, d.code, "request-payment", amount=0, legal_basis="x").json()
    assert "to_unit" in act(alice, d.code, "transfer", to_unit="NOPE").json()
    assert "new_due" in act(dana, d.code, "issue-apology", reason="x").json()
    bad_at = act(dana, d.code, "refuse", reason="x", at="2099-01-01T00:00:00+07:00")
    assert bad_at.status_code == 400 and "at" in bad_at.json()
    assert act(alice, d.code, "return-result", recipient="A", delivery="fax").status_code == 400
    # Nothing changed on any refusal.
    d.refresh_from_db()
    assert d.state == State.IN_PROGRESS
    assert d.events.count() == 2


def test_second_extension_is_a_conflict(people: dict, province: Province, procedure: Any) -> None:
    d = in_progress(people, province, procedure)
    dana = client_for(people["dana"])
    first = act(
        dana,
        d.code,
        "issue-apology",
        reason="Chậm",
        new_due=iso(local(2025, 3, 25, 16)),
        at=iso(local(2025, 3, 10, 9)),
    )
    assert first.status_code == 200
    again = act(
        dana,
        d.code,
        "issue-apology",
        reason="Chậm nữa",
        new_due=iso(local(2025, 3, 28, 16)),
        at=iso(local(2025, 3, 11, 9)),
    )
    assert again.status_code == 409
    assert "một lần" in again.json()["detail"]


def test_unknown_action_is_404(people: dict, province: Province, procedure: Any) -> None:
    d = receive(people, province, procedure)
    alice = client_for(people["alice"])
    assert act(alice, d.code, "explode").status_code == 404
    assert act(alice, d.code, "request_supplement").status_code == 404  # underscores: no
    assert alice.get(f"/api/v1/dossiers/{d.code}/actions/resolve/").status_code == 405


def _dossier_urls(code: str) -> list[tuple[str, str]]:
    urls = [
        ("get", f"/api/v1/dossiers/{code}/"),
        ("get", f"/api/v1/dossiers/{code}/deadline/"),
        ("post", f"/api/v1/dossiers/{code}/files/"),
        ("get", f"/api/v1/dossiers/{code}/files/1/"),
    ]
    urls += [("post", f"/api/v1/dossiers/{code}/actions/{slug}/") for slug in SLUG_TO_EVENT]
    return urls


def test_another_units_user_gets_404_on_every_dossier_url(
    people: dict, province: Province, procedure: Any
) -> None:
    d = in_progress(people, province, procedure)
    # (nina, at N1 which succeeded C1, inherits C1's files and may see it.)
    for name in ["bob", "ivan", "nora"]:
        client = client_for(people[name])
        for method, url in _dossier_urls(d.code or ""):
            response = getattr(client, method)(url, {}, format="json")
            assert response.status_code == 404, (name, url, response.status_code)
            # exactly like a missing dossier
            missing = url.replace(d.code or "", "C1-250303-9999")
            assert getattr(client, method)(missing, {}, format="json").status_code == 404
    d.refresh_from_db()
    assert d.state == State.IN_PROGRESS and d.events.count() == 2


def test_anonymous_is_refused_everywhere(people: dict, province: Province, procedure: Any) -> None:
    d = receive(people, province, procedure)
    client = APIClient()
    assert client.get("/api/v1/dossiers/").status_code in {401, 403}
    assert client.post("/api/v1/dossiers/", RECEIPT, format="json").status_code in {401, 403}
    for method, url in _dossier_urls(d.code or ""):
        assert getattr(client, method)(url, {}, format="json").status_code in {401, 403}
    assert Dossier.objects.count() == 1


def test_schema_lists_every_action(people: dict) -> None:
    paths = client_for(people["alice"]).get("/api/v1/schema/?format=json").json()["paths"]
    for slug in SLUG_TO_EVENT:
        assert f"/api/v1/dossiers/{{code}}/actions/{slug}/" in paths
    assert "/api/v1/dossiers/{code}/deadline/" in paths
    assert "/api/v1/dossiers/{code}/files/" in paths
