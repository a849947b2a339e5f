"""The feedback API contract: intake, scoped list and filters, detail, every action, timeline."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.conftest import Province, make_unit, make_user
from motcua.dossiers.tests.factories import local
from motcua.feedback import services
from motcua.feedback.choices import Channel, FeedbackState
from motcua.feedback.models import Category, Feedback, RoutingRule
from motcua.people.choices import Role

SENDER = {
    "name": "Trần Văn Bình",
    "phone": "0912345678",
    "email": "binh@example.vn",
    "id_number": "087095001234",
    "address": "Ấp 1, xã Mỹ An",
}

INTAKE = {
    "channel": "counter",
    "title": "Cấp giấy phép xây dựng chậm",
    "content": "Hồ sơ xin cấp giấy phép xây dựng nộp đã lâu chưa có kết quả.",
    "sender": SENDER,
    "intake_unit": "C1",
    "unit": "C1",
    "category": "xay-dung",
    "received_at": "2025-03-03T09:00:00+07:00",
}

# Pinned (a process that served it once): token (with its user), memberships, the units' change
# token, count, page.
API_LIST = 5


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def token_client(user: Any) -> APIClient:
    """A client with token authentication: the user (and their scope) is read per request."""
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def category(province: Province) -> Category:
    parent = Category.objects.create(province=province.old, code="ha-tang", name="Hạ tầng")
    return Category.objects.create(
        province=province.old,
        parent=parent,
        code="xay-dung",
        name="Xây dựng",
        subject="regulation",
        norm_days=10,
    )


def receive(people: dict, province: Province, **kw: Any) -> Feedback:
    """An item logged by alice at C1 and handled there (Mon 03/03/2025 09:00 by default)."""
    return services.receive_feedback(
        actor=kw.pop("actor", people["alice"]),
        channel=kw.pop("channel", Channel.COUNTER),
        title=kw.pop("title", "Cấp giấy phép xây dựng chậm"),
        content=kw.pop("content", "Hồ sơ nộp đã lâu chưa có kết quả."),
        sender=kw.pop("sender", SENDER),
        intake_unit=kw.pop("intake_unit", province.commune_a),
        unit=kw.pop("unit", province.commune_a),
        at=kw.pop("at", local(2025, 3, 3, 9)),
        **kw,
    )


def act(user: Any, item: Feedback | str, slug: str, body: dict | None = None) -> Any:
    code = item if isinstance(item, str) else item.code
    return client_for(user).post(
        f"/api/v1/feedback/{code}/actions/{slug}/", body or {}, format="json"
    )


# -- authentication and intake ------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/v1/feedback/", "/api/v1/feedback/categories/", "/api/v1/feedback/X/events/"]
)
def test_anonymous_requests_answer_401(people: dict, url: str) -> None:
    assert APIClient().get(url).status_code == 401


def test_intake_answers_201_with_the_item(people: dict, category: Category) -> None:
    response = client_for(people["alice"]).post("/api/v1/feedback/", INTAKE, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "PA-DT-250303-0001"
    assert body["state"] == FeedbackState.RECEIVED
    assert body["category"] == "xay-dung"
    assert body["unit"] == "C1"
    assert body["received_at"] == "2025-03-03T09:00:00+07:00"
    assert body["events"][0]["kind"] == "feedback.received"
    # The one-stop officer logs but does not handle: the sender is masked for her.
    assert body["personal_data"] is False
    assert body["sender_phone"] == "*******678"
    assert body["sender_name"] == "T*** V** B***"
    assert body["sender_email"] == "b***@example.vn"
    stored = Feedback.objects.get(code="PA-DT-250303-0001")
    assert stored.sender_phone == "0912345678"
    assert stored.sender_email == "binh@example.vn"
    assert stored.logged_by == people["alice"]
    assert stored.received_at == local(2025, 3, 3, 9)


def test_token_authentication_logs_an_item(people: dict, category: Category) -> None:
    response = token_client(people["alice"]).post("/api/v1/feedback/", INTAKE, format="json")
    assert response.status_code == 201, response.content


def test_partner_account_logs_at_its_only_receiving_unit(
    people: dict, province: Province, category: Category
) -> None:
    partner = make_user("chatbot-vendor", (province.commune_a, Role.ONE_STOP_OFFICER))
    body = {**INTAKE, "channel": "chatbot"}
    del body["intake_unit"]
    response = token_client(partner).post("/api/v1/feedback/", body, format="json")
    assert response.status_code == 201, response.content
    stored = Feedback.objects.get(code=response.json()["code"])
    assert stored.channel == Channel.CHATBOT
    assert stored.intake_unit == province.commune_a
    assert stored.logged_by == partner


def test_intake_routes_by_category_when_no_unit_is_named(
    people: dict, province: Province, category: Category
) -> None:
    RoutingRule.objects.create(category=category, handling_unit=province.commune_b)
    body = {k: v for k, v in INTAKE.items() if k != "unit"}
    response = client_for(people["alice"]).post("/api/v1/feedback/", body, format="json")
    assert response.status_code == 201, response.content
    assert Feedback.objects.get().unit == province.commune_b
    # Logged at her desk, so alice still sees it after routing sent it to C2.
    assert response.json()["unit"] == "C2"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"intake_unit": "NOPE"}, "intake_unit"),
        ({"intake_unit": "C2"}, "intake_unit"),  # outside alice's scope: like an unknown one
        ({"unit": "NOPE"}, "unit"),
        ({"category": "khong-co"}, "category"),
        ({"channel": "fax"}, "channel"),
        ({"title": ""}, "title"),
        ({"received_at": "2099-01-01T09:00:00+07:00"}, "received_at"),
    ],
)
def test_intake_errors_are_field_level_and_create_nothing(
    people: dict, category: Category, change: dict, field: str
) -> None:
    response = client_for(people["alice"]).post(
        "/api/v1/feedback/", {**INTAKE, **change}, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Feedback.objects.exists()


def test_intake_from_the_portal_needs_a_contact(people: dict, category: Category) -> None:
    body = {**INTAKE, "channel": "portal", "sender": {"name": "Ẩn danh"}}
    response = client_for(people["alice"]).post("/api/v1/feedback/", body, format="json")
    assert response.status_code == 400, response.content
    assert "sender" in response.json()
    assert not Feedback.objects.exists()


def test_intake_without_receive_right_is_refused(people: dict, category: Category) -> None:
    # The district leader sees C1 but only processes and approves: no intake there.
    response = client_for(people["dana"]).post("/api/v1/feedback/", INTAKE, format="json")
    assert response.status_code == 403, response.content
    assert not Feedback.objects.exists()


# -- scope and personal data ---------------------------------------------------------------


def test_list_and_detail_are_scoped(people: dict, province: Province) -> None:
    item = receive(people, province)
    for name in ("alice", "dana", "nina"):
        codes = [
            r["code"] for r in client_for(people[name]).get("/api/v1/feedback/").json()["results"]
        ]
        assert codes == [item.code], name
    for name in ("bob", "ivan", "nora"):
        client = client_for(people[name])
        assert client.get("/api/v1/feedback/").json()["results"] == [], name
        assert client.get(f"/api/v1/feedback/{item.code}/").status_code == 404, name
        assert client.get(f"/api/v1/feedback/{item.code}/events/").status_code == 404, name
        assert act(people[name], item, "start-processing").status_code == 404, name
    assert client_for(people["alice"]).get("/api/v1/feedback/PA-DT-000000-9999/").status_code == 404


def test_the_handling_leader_sees_the_sender_in_full(people: dict, province: Province) -> None:
    item = receive(people, province)
    dana = client_for(people["dana"])
    listed = dana.get("/api/v1/feedback/").json()["results"][0]
    detail = dana.get(f"/api/v1/feedback/{item.code}/").json()
    for row in (listed, detail):
        assert row["personal_data"] is True
        assert row["sender_phone"] == "0912345678"
        assert row["sender_name"] == "Trần Văn Bình"
        assert row["sender_id_number"] == "087095001234"
    assert detail["sender_address"] == "Ấp 1, xã Mỹ An"
    assert detail["content"] == "Hồ sơ nộp đã lâu chưa có kết quả."


def test_others_in_scope_see_the_sender_masked(people: dict, province: Province) -> None:
    item = receive(people, province)
    inspector = make_user("ines", (province.district, Role.INSPECTOR))
    for user in (people["alice"], inspector):
        detail = client_for(user).get(f"/api/v1/feedback/{item.code}/").json()
        assert detail["personal_data"] is False
        assert detail["sender_phone"] == "*******678"
        assert detail["sender_id_number"] == "*********234"
        assert detail["sender_address"] == "***"
        assert "0912345678" not in str(detail)
        assert "binh@example.vn" not in str(detail)


# -- filters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("", {"Cấp giấy phép xây dựng chậm", "Đường ngập nước", "Hỏi lệ phí"}),
        ("q=cap+giay+phep", {"Cấp giấy phép xây dựng chậm"}),
        ("q=CẤP GIẤY", {"Cấp giấy phép xây dựng chậm"}),
        ("q=duong ngap", {"Đường ngập nước"}),
        ("q=PA-DT-250304", {"Đường ngập nước"}),
        ("channel=hotline", {"Hỏi lệ phí"}),
        ("state=processing", {"Đường ngập nước"}),
        ("category=xay-dung", {"Cấp giấy phép xây dựng chậm"}),
        ("unit=C2", {"Hỏi lệ phí"}),
        ("intake_unit=C1", {"Cấp giấy phép xây dựng chậm", "Đường ngập nước", "Hỏi lệ phí"}),
        ("received_from=2025-03-04&received_to=2025-03-04", {"Đường ngập nước"}),
        ("received_to=2025-03-03", {"Cấp giấy phép xây dựng chậm"}),
        ("overdue=true", {"Cấp giấy phép xây dựng chậm", "Đường ngập nước", "Hỏi lệ phí"}),
        ("overdue=false", set()),
    ],
)
def test_filters(
    people: dict, province: Province, category: Category, query: str, titles: set[str]
) -> None:
    receive(people, province, category=category)
    road = receive(people, province, title="Đường ngập nước", at=local(2025, 3, 4, 9))
    services.start_processing(feedback=road, actor=people["dana"], at=local(2025, 3, 4, 10))
    receive(
        people,
        province,
        title="Hỏi lệ phí",
        channel=Channel.HOTLINE,
        unit=province.commune_b,
        at=local(2025, 3, 5, 9),
    )
    params = dict(parse_qsl(query))
    rows = client_for(people["dana"]).get("/api/v1/feedback/", params).json()["results"]
    assert {r["title"] for r in rows} == titles


def test_bad_filter_values_answer_400(people: dict) -> None:
    client = client_for(people["dana"])
    assert client.get("/api/v1/feedback/?state=nope").status_code == 400
    assert client.get("/api/v1/feedback/?received_from=2025-13-01").status_code == 400


# -- actions -------------------------------------------------------------------------------


def test_the_full_lifecycle_through_the_actions(people: dict, province: Province) -> None:
    item = receive(people, province)
    dana = people["dana"]
    steps: list[tuple[str, dict, str]] = [
        ("classify", {"subject": "regulation", "competence": "in_scope"}, "received"),
        ("start-processing", {"handler": "dana"}, "processing"),
        (
            "draft-answer",
            {
                "official": "Kính gửi ông Trần Văn Bình: hồ sơ đã được giải quyết.",
                "public": "Hồ sơ đã được giải quyết ngày 10/03/2025.",
                "public_title": "Cấp phép xây dựng chậm tại xã Mỹ An",
            },
            "processing",
        ),
        ("approve-answer", {}, "answer_approved"),
        ("publish", {}, "published"),
        ("close", {}, "closed"),
    ]
    for day, (slug, body, state) in enumerate(steps, start=4):
        response = act(dana, item, slug, {**body, "at": local(2025, 3, day, 9).isoformat()})
        assert response.status_code == 200, (slug, response.content)
        assert response.json()["state"] == state, slug
    stored = Feedback.objects.get(pk=item.pk)
    assert stored.state == FeedbackState.CLOSED
    assert stored.subject == "regulation"
    assert stored.handler == dana
    assert stored.answer_public == "Hồ sơ đã được giải quyết ngày 10/03/2025."
    assert stored.published_at == local(2025, 3, 8, 9)
    events = client_for(dana).get(f"/api/v1/feedback/{item.code}/events/").json()
    kinds = [e["kind"] for e in events]
    for kind in (
        "feedback.received",
        "feedback.classified",
        "feedback.processing_started",
        "feedback.answer_drafted",
        "feedback.answer_approved",
        "feedback.published",
        "feedback.closed",
    ):
        assert kind in kinds
    assert kinds.index("feedback.received") < kinds.index("feedback.closed")


def test_refusal_needs_a_reason_field_level(people: dict, province: Province) -> None:
    item = receive(people, province)
    response = act(people["dana"], item, "refuse", {"reason": ""})
    assert response.status_code == 400
    assert "reason" in response.json()
    ok = act(people["dana"], item, "refuse", {"reason": "Nội dung không rõ ràng."})
    assert ok.status_code == 200, ok.content
    assert Feedback.objects.get(pk=item.pk).state == FeedbackState.REFUSED


def test_action_outside_the_transition_table_answers_409(people: dict, province: Province) -> None:
    item = receive(people, province)
    response = act(people["dana"], item, "publish")
    assert response.status_code == 409
    assert response.json()["detail"]
    assert Feedback.objects.get(pk=item.pk).state == FeedbackState.RECEIVED


def test_action_without_the_right_answers_403(people: dict, province: Province) -> None:
    item = receive(people, province)
    # alice sees the item (logged at her desk) but neither processes nor approves.
    response = act(people["alice"], item, "start-processing")
    assert response.status_code == 403, response.content
    assert Feedback.objects.get(pk=item.pk).state == FeedbackState.RECEIVED


def test_stale_lock_version_answers_409(people: dict, province: Province) -> None:
    item = receive(people, province)
    seen = client_for(people["dana"]).get(f"/api/v1/feedback/{item.code}/").json()
    assert act(people["dana"], item, "classify", {"subject": "conduct"}).status_code == 200
    stale = act(people["dana"], item, "start-processing", {"lock_version": seen["lock_version"]})
    assert stale.status_code == 409
    assert Feedback.objects.get(pk=item.pk).state == FeedbackState.RECEIVED
    fresh = Feedback.objects.get(pk=item.pk).lock_version
    assert act(people["dana"], item, "start-processing", {"lock_version": fresh}).status_code == 200


def test_supplement_round_trip(people: dict, province: Province) -> None:
    item = receive(people, province)
    dana = people["dana"]
    asked = act(dana, item, "request-supplement", {"request": "Cho biết số biên nhận hồ sơ."})
    assert asked.status_code == 200, asked.content
    assert asked.json()["state"] == FeedbackState.SUPPLEMENT_REQUESTED
    assert asked.json()["first_supplement_at"] is not None
    given = act(dana, item, "record-supplement", {"text": "Biên nhận số 123."})
    assert given.status_code == 200, given.content
    assert given.json()["state"] == FeedbackState.SUPPLEMENTED


def test_forward_to_a_unit_creates_an_item_there(people: dict, province: Province) -> None:
    item = receive(people, province)
    body = {"reason": "Thuộc thẩm quyền xã Mỹ Hòa", "to_unit": "C2", "at": "2025-03-04T09:00+07:00"}
    response = act(people["dana"], item, "forward", body)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["code"] == item.code
    assert body["state"] == FeedbackState.FORWARDED
    assert body["forwarded_to_unit"] == "C2"
    assert len(body["forwards"]) == 1
    new = Feedback.objects.get(code=body["forwards"][0])
    assert new.unit == province.commune_b
    assert new.forwarded_from_id == item.pk
    bob_sees = client_for(people["bob"]).get("/api/v1/feedback/").json()["results"]
    assert [r["code"] for r in bob_sees] == [new.code]


def test_forward_to_an_unknown_unit_is_field_level(people: dict, province: Province) -> None:
    item = receive(people, province)
    response = act(people["dana"], item, "forward", {"reason": "x", "to_unit": "NOPE"})
    assert response.status_code == 400
    assert "to_unit" in response.json()


def test_redirect_a_complaint(people: dict, province: Province) -> None:
    item = receive(people, province)
    response = act(
        people["dana"],
        item,
        "redirect",
        {"reason": "Đây là khiếu nại", "target": "Ban Tiếp công dân tỉnh"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == FeedbackState.REDIRECTED


def test_assign_and_reject_answer(people: dict, province: Province) -> None:
    item = receive(people, province)
    clerk = make_user("chuyenvien", (province.commune_a, Role.SPECIALIST))
    dana = people["dana"]
    assigned = act(dana, item, "assign", {"handler": "chuyenvien"})
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["handler"] == "chuyenvien"
    assert act(dana, item, "assign", {"handler": "khong-co-ai"}).status_code == 400
    assert act(clerk, item, "start-processing").status_code == 200
    drafted = act(clerk, item, "draft-answer", {"official": "Trả lời.", "public": "Công khai."})
    assert drafted.status_code == 200, drafted.content
    # The specialist may not approve; the leader sends the draft back.
    assert act(clerk, item, "approve-answer").status_code == 403
    rejected = act(dana, item, "reject-answer", {"reason": "Cần nêu căn cứ pháp lý."})
    assert rejected.status_code == 200, rejected.content
    assert rejected.json()["state"] == FeedbackState.PROCESSING


def test_approval_refuses_a_public_text_with_the_senders_phone(
    people: dict, province: Province
) -> None:
    item = receive(people, province)
    dana = people["dana"]
    act(dana, item, "start-processing")
    act(dana, item, "draft-answer", {"official": "Trả lời.", "public": "Gọi 0912345678."})
    response = act(dana, item, "approve-answer")
    assert response.status_code == 400, response.content
    assert Feedback.objects.get(pk=item.pk).state == FeedbackState.PROCESSING


def test_unknown_action_is_404(people: dict, province: Province) -> None:
    item = receive(people, province)
    assert act(people["dana"], item, "explode").status_code == 404


# -- categories ----------------------------------------------------------------------------


def test_categories_are_listed(people: dict, category: Category) -> None:
    rows = client_for(people["alice"]).get("/api/v1/feedback/categories/").json()["results"]
    by_code = {r["code"]: r for r in rows}
    assert by_code["xay-dung"]["parent"] == "ha-tang"
    assert by_code["xay-dung"]["norm_days"] == 10
    assert by_code["xay-dung"]["province"] == "DT"
    one = client_for(people["alice"]).get(f"/api/v1/feedback/categories/{category.pk}/")
    assert one.json()["name"] == "Xây dựng"
    filtered = client_for(people["alice"]).get("/api/v1/feedback/categories/?parent=ha-tang")
    assert [r["code"] for r in filtered.json()["results"]] == ["xay-dung"]


# -- query counts --------------------------------------------------------------------------


def count_queries(fetch: Any) -> int:
    """Queries of `fetch()` in a process that served it once already (the unit graph and the
    calendars are then kept per process, `motcua.audit.stamps`)."""
    fetch()
    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
        assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


@pytest.mark.parametrize("size", [1, 10, 100])
def test_list_does_not_grow_with_the_scope(db: None, size: int) -> None:
    """A leader who sees 1, 10 or 100 units gets the same number of queries."""
    province = make_unit("PX", "Tỉnh thử", "province")
    district = make_unit("DX", "Huyện thử", "district", province)
    communes = [make_unit(f"X{i:03d}", f"Xã {i}", "commune", district) for i in range(size - 1)]
    leader = make_user("lead", (district, Role.LEADER))
    units = [district, *communes]
    category = Category.objects.create(province=province, code="chung", name="Chung")
    for i, unit in enumerate(units[:: max(1, size // 10)]):
        services.receive_feedback(
            channel=Channel.HOTLINE,
            title=f"Phản ánh {i}",
            content="Nội dung",
            sender={"name": "Lê Văn Cường", "phone": "0987654321"},
            intake_unit=unit,
            unit=unit,
            category=category,
            at=local(2025, 3, 3, 8, i),
        )
    assert Feedback.objects.visible_to(leader).count() == min(size, 10)
    client = token_client(leader)
    count = count_queries(lambda: client.get("/api/v1/feedback/"))
    filtered = count_queries(lambda: client.get("/api/v1/feedback/?q=phan+anh&overdue=true"))
    assert count == filtered == API_LIST
