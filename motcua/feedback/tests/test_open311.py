"""Open311 GeoReport v2: a client written to the specification drives the whole round trip.

`GeoReportClient` knows nothing of motcua: it speaks only the spec (form-encoded POST with an
api_key, JSON arrays back, ISO 8601 datetimes with a zone, errors as [{code, description}]).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from motcua.conftest import Province, make_user
from motcua.dossiers.tests.factories import local
from motcua.feedback import services
from motcua.feedback.choices import Channel, FeedbackState
from motcua.feedback.models import Category, Feedback
from motcua.people.choices import Role

BASE = "/open311/v2"
SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
DATETIME_FIELDS = ("requested_datetime", "updated_datetime", "expected_datetime")

# What the citizen tells the partner's chatbot: none of it may come back from a public GET.
CITIZEN = {
    "first_name": "Hùng",
    "last_name": "Phạm Văn",
    "phone": "0933222111",
    "email": "hung.pham@example.vn",
}
STORY = "Đèn đường trước nhà số 12 bị hỏng nhiều tuần, ông Phạm Văn Hùng đề nghị sửa."


class GeoReportError(Exception):
    """An error answer: the HTTP status and the spec's [{code, description}] body."""

    def __init__(self, status: int, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{status}: {errors}")
        self.status = status
        self.errors = errors


def parse_datetime(text: str) -> dt.datetime:
    """An ISO 8601 datetime that must carry its zone (Z or ±HH:MM), as the spec requires."""
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert value.tzinfo is not None, f"no zone in {text!r}"
    return value


class GeoReportClient:
    """A minimal GeoReport v2 client over Django's test client (JSON format only)."""

    def __init__(self, client: Client, base: str = BASE, jurisdiction_id: str | None = None):
        self.client = client
        self.base = base
        self.jurisdiction_id = jurisdiction_id
        self.raw: list[str] = []  # every response body, for privacy checks

    def _params(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.jurisdiction_id:
            params = {"jurisdiction_id": self.jurisdiction_id, **params}
        return {k: v for k, v in params.items() if v is not None}

    def _read(self, response: Any) -> Any:
        text = response.content.decode("utf-8")
        self.raw.append(text)
        assert response["Content-Type"].startswith("application/json")
        body = json.loads(text)
        if response.status_code >= 400:
            assert isinstance(body, list) and body, body
            for error in body:
                assert set(error) == {"code", "description"}
                assert error["code"] == response.status_code
                assert isinstance(error["description"], str) and error["description"]
            raise GeoReportError(response.status_code, body)
        return body

    def get(self, path: str, **params: Any) -> Any:
        return self._read(self.client.get(f"{self.base}/{path}", self._params(params)))

    def services(self) -> list[dict[str, Any]]:
        """GET Service List."""
        body = self.get("services.json")
        assert isinstance(body, list)
        for service in body:
            assert set(service) >= SERVICE_FIELDS
            assert service["type"] in {"realtime", "batch", "blackbox"}
            assert isinstance(service["metadata"], bool)
        return body

    def service_definition(self, service_code: str) -> dict[str, Any]:
        """GET Service Definition."""
        body = self.get(f"services/{service_code}.json")
        assert body["service_code"] == service_code
        assert isinstance(body["attributes"], list)
        return body

    def post_request(self, api_key: str, service_code: str, **fields: Any) -> dict[str, Any]:
        """POST Service Request (application/x-www-form-urlencoded)."""
        data = self._params({"api_key": api_key, "service_code": service_code, **fields})
        response = self.client.post(
            f"{self.base}/requests.json",
            urlencode(data),
            content_type="application/x-www-form-urlencoded",
        )
        body = self._read(response)
        assert isinstance(body, list) and len(body) == 1
        assert "service_request_id" in body[0] or "token" in body[0]
        return body[0]

    def requests(self, **params: Any) -> list[dict[str, Any]]:
        """GET Service Requests."""
        body = self.get("requests.json", **params)
        assert isinstance(body, list)
        for item in body:
            self.check_request(item)
        return body

    def request(self, service_request_id: str) -> dict[str, Any]:
        """GET Service Request (an array with one entry)."""
        body = self.get(f"requests/{service_request_id}.json")
        assert isinstance(body, list) and len(body) == 1
        self.check_request(body[0])
        return body[0]

    @staticmethod
    def check_request(item: dict[str, Any]) -> None:
        assert set(item) >= REQUEST_FIELDS
        assert item["service_request_id"]
        assert item["status"] in {"open", "closed"}
        assert item["requested_datetime"]
        for name in DATETIME_FIELDS:
            if item[name] is not None:
                parse_datetime(item[name])


@pytest.fixture
def setting(province: Province) -> dict[str, Any]:
    """Categories of the province, a partner chatbot account at N1 with its key, N1's staff."""
    roads = Category.objects.create(province=province.new, code="ha-tang", name="Hạ tầng")
    Category.objects.create(
        province=province.new,
        parent=roads,
        code="den-duong",
        name="Đèn đường",
        description="Đèn chiếu sáng công cộng hỏng, tắt",
        subject="other",
        norm_days=5,
    )
    Category.objects.create(province=province.new, code="cu", name="Cũ", active=False)
    partner = make_user("chatbot-vendor", (province.new_commune, Role.ONE_STOP_OFFICER))
    return {
        "key": Token.objects.create(user=partner).key,
        "partner": partner,
        "specialist": make_user("chuyenvien", (province.new_commune, Role.SPECIALIST)),
        "leader": make_user("lanhdao", (province.new_commune, Role.LEADER)),
    }


def geo(**kw: Any) -> GeoReportClient:
    return GeoReportClient(Client(), **kw)


def test_round_trip_discover_post_read_list(
    people: dict, province: Province, setting: dict
) -> None:
    client = geo()
    services_ = {s["service_code"]: s for s in client.services()}
    assert "cu" not in services_  # inactive categories are not offered
    lamp = services_["den-duong"]
    assert lamp["service_name"] == "Đèn đường"
    assert lamp["group"] == "Hạ tầng"
    assert lamp["metadata"] is False and lamp["type"] == "realtime"
    assert client.service_definition("den-duong")["attributes"] == []

    created = client.post_request(
        setting["key"],
        "den-duong",
        description=STORY,
        address_string="Đường Nguyễn Huệ, xã Tháp Mười",
        lat="10.5421",
        long="105.8467",
        **CITIZEN,
    )
    code = created["service_request_id"]
    assert created["service_notice"]
    stored = Feedback.objects.get(code=code)
    assert stored.state == FeedbackState.RECEIVED
    assert stored.channel == Channel.APP
    assert stored.intake_unit == province.new_commune
    assert stored.unit == province.new_commune  # no routing rule: the intake unit handles it
    assert stored.sender_name == "Phạm Văn Hùng"
    assert stored.sender_phone == "0933222111"
    assert stored.logged_by == setting["partner"]
    assert "Đường Nguyễn Huệ" in stored.content and "10.542100" in stored.content

    one = client.request(code)
    assert one["service_request_id"] == code
    assert one["status"] == "open"
    assert one["service_code"] == "den-duong"
    assert one["agency_responsible"] == province.new_commune.name
    assert one["description"] == ""  # nothing published yet: none of the sender's words
    requested = parse_datetime(one["requested_datetime"])
    assert abs(requested - stored.received_at) < dt.timedelta(seconds=1)
    assert parse_datetime(one["expected_datetime"]) == stored.norm_due
    assert one["requested_datetime"].endswith("+07:00")

    assert [r["service_request_id"] for r in client.requests()] == [code]
    assert [r["service_request_id"] for r in client.requests(status="open")] == [code]
    assert client.requests(status="closed") == []
    assert client.requests(service_code="ha-tang") == []
    assert len(client.requests(service_code="ha-tang,den-duong")) == 1
    assert len(client.requests(service_request_id=f"{code},PA-DT-000101-0001")) == 1
    later = (stored.received_at + dt.timedelta(hours=1)).isoformat()
    assert client.requests(start_date=later) == []
    earlier = (stored.received_at - dt.timedelta(hours=1)).isoformat()
    assert len(client.requests(start_date=earlier, end_date=later)) == 1
    assert len(geo(jurisdiction_id="DT").requests()) == 1

    public_text = "\n".join(client.raw)
    for secret in (
        "0933222111",
        "933222111",
        "hung.pham",
        "Hùng",
        "Phạm Văn",
        "số 12",
        "Đèn đường trước",
    ):
        assert secret not in public_text, secret


def test_a_published_answer_is_readable_and_redacted(
    people: dict, province: Province, setting: dict
) -> None:
    client = geo()
    code = client.post_request(setting["key"], "den-duong", description=STORY, **CITIZEN)[
        "service_request_id"
    ]
    item = Feedback.objects.get(code=code)
    item = services.start_processing(feedback=item, actor=setting["specialist"])
    item = services.draft_answer(
        feedback=item,
        actor=setting["specialist"],
        official="Kính gửi ông Phạm Văn Hùng: đèn đã được thay.",
        public="Đơn vị quản lý đã thay bóng đèn trong ngày.",
        public_title="Đèn đường hỏng tại xã Tháp Mười",
    )
    item = services.approve_answer(feedback=item, actor=setting["leader"])
    closed_unpublished = client.request(code)
    assert closed_unpublished["status"] == "closed"
    assert closed_unpublished["description"] == ""
    assert "đèn đã được thay" not in closed_unpublished["status_notes"]
    services.publish_feedback(feedback=item, actor=setting["leader"])

    one = client.request(code)
    assert one["status"] == "closed"
    assert one["description"] == "Đèn đường hỏng tại xã Tháp Mười"
    assert one["status_notes"] == "Đơn vị quản lý đã thay bóng đèn trong ngày."
    assert [r["description"] for r in client.requests(status="closed")] == [one["description"]]
    public_text = "\n".join(client.raw)
    for secret in ("0933222111", "hung.pham", "Phạm Văn Hùng", "Kính gửi", STORY[:20]):
        assert secret not in public_text, secret


def test_other_items_never_show_sender_data(
    people: dict, province: Province, setting: dict
) -> None:
    """Items logged elsewhere (desk, hotline) are listed with status only."""
    services.receive_feedback(
        actor=people["alice"],
        channel=Channel.COUNTER,
        title="Anh Trần Văn Bình phản ánh cán bộ xã chậm",
        content="Số điện thoại 0912345678, CCCD 087095001234.",
        sender={"name": "Trần Văn Bình", "phone": "0912345678", "id_number": "087095001234"},
        intake_unit=province.commune_a,
        unit=province.commune_a,
        at=local(2025, 3, 3, 9),
    )
    client = geo()
    rows = client.requests(start_date="2025-03-01T00:00:00+07:00", end_date="2025-03-31T00:00:00Z")
    assert [r["status"] for r in rows] == ["open"]
    assert rows[0]["description"] == ""
    assert rows[0]["status_notes"] == "Đã tiếp nhận"
    text = "\n".join(client.raw)
    for secret in ("Trần", "Bình", "0912345678", "087095001234", "chậm"):
        assert secret not in text, secret


def test_default_window_is_the_last_90_days(
    people: dict, province: Province, setting: dict
) -> None:
    old = services.receive_feedback(
        actor=people["alice"],
        channel=Channel.COUNTER,
        title="Cũ",
        content="Cũ",
        sender={"phone": "0912345678"},
        intake_unit=province.commune_a,
        unit=province.commune_a,
        at=local(2025, 3, 3, 9),
    )
    client = geo()
    assert client.requests() == []
    found = client.requests(end_date="2025-03-31T00:00:00+07:00")
    assert [r["service_request_id"] for r in found] == [old.code]
    # Asking by id ignores the window.
    assert len(client.requests(service_request_id=old.code)) == 1


def test_invalid_api_key_is_403(people: dict, setting: dict) -> None:
    client = geo()
    for key in ("", "not-a-key"):
        with pytest.raises(GeoReportError) as caught:
            client.post_request(key, "den-duong", description=STORY, **CITIZEN)
        assert caught.value.status == 403
    # A valid token of an account that may not receive feedback (a leader) is refused too.
    leader_key = Token.objects.create(user=setting["leader"]).key
    with pytest.raises(GeoReportError) as caught:
        client.post_request(leader_key, "den-duong", description=STORY, **CITIZEN)
    assert caught.value.status == 403
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"service_code": "khong-co"}, 400),
        ({"service_code": "cu"}, 400),
        ({"service_code": ""}, 400),
        ({"description": ""}, 400),
        ({"lat": "10.5"}, 400),
        ({"lat": "north", "long": "105"}, 400),
        ({"email": "not-an-address", "phone": ""}, 400),
        ({"phone": "", "email": ""}, 400),  # no way to answer the sender
        ({"jurisdiction_id": "XX"}, 400),
        ({"channel": "counter"}, 400),
    ],
)
def test_bad_requests_are_400_and_create_nothing(
    people: dict, setting: dict, change: dict, status: int
) -> None:
    fields = {"description": STORY, **CITIZEN, **change}
    code = fields.pop("service_code", "den-duong")
    with pytest.raises(GeoReportError) as caught:
        geo().post_request(setting["key"], code, **fields)
    assert caught.value.status == status
    assert not Feedback.objects.exists()


def test_unknown_ids_and_services_are_404(setting: dict) -> None:
    client = geo()
    for call in (
        lambda: client.request("PA-DT-000101-0001"),
        lambda: client.service_definition("khong-co"),
    ):
        with pytest.raises(GeoReportError) as caught:
            call()
        assert caught.value.status == 404


@pytest.mark.parametrize(
    "params",
    [
        {"status": "pending"},
        {"start_date": "yesterday"},
        {"start_date": "2025-03-01T00:00:00"},  # no zone
        {"start_date": "2025-03-02T00:00:00Z", "end_date": "2025-03-01T00:00:00Z"},
        {"jurisdiction_id": "XX"},
    ],
)
def test_bad_queries_are_400(setting: dict, params: dict) -> None:
    with pytest.raises(GeoReportError) as caught:
        geo().requests(**params)
    assert caught.value.status == 400


def test_only_the_json_format_is_served(setting: dict) -> None:
    response = Client().get(f"{BASE}/services.xml")
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


def test_jurisdiction_filters_services(setting: dict) -> None:
    assert {s["service_code"] for s in geo(jurisdiction_id="DT").services()} == {
        "ha-tang",
        "den-duong",
    }
