"""Every operation documents its error answers; every error under /api/ is JSON in Vietnamese."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.lib.apischema import ERROR_COMPONENT, VALIDATION_COMPONENT

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _ref(response: dict[str, Any]) -> str:
    return str(response["content"]["application/json"]["schema"]["$ref"])


def test_every_operation_documents_its_error_answers(schema: dict[str, Any]) -> None:
    missing: list[str] = []
    count = 0
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            count += 1
            responses = operation["responses"]
            parameters = operation.get("parameters", [])
            expected = {"401", "403"}  # every API operation needs a signed-in user
            if parameters or operation.get("requestBody"):
                expected.add("400")
            if "{" in path:
                expected.add("404")
            if method in WRITES:
                expected |= {"400", "404", "409"} if "{" in path else {"400", "409"}
            for code in sorted(expected):
                if code not in responses:
                    missing.append(f"{method.upper()} {path}: {code}")
                    continue
                wanted = VALIDATION_COMPONENT if code == "400" else ERROR_COMPONENT
                if not _ref(responses[code]).endswith(f"/{wanted}"):
                    missing.append(f"{method.upper()} {path}: {code} without the shared shape")
    assert count > 70
    assert not missing, "\n".join(missing)
    error = schema["components"]["schemas"][ERROR_COMPONENT]
    assert error["required"] == ["detail"]
    assert schema["components"]["schemas"][VALIDATION_COMPONENT]["additionalProperties"] == {}


def test_the_receipt_documents_the_action_errors_once(schema: dict[str, Any]) -> None:
    receipt = schema["paths"]["/api/v1/dossiers/"]["post"]["responses"]
    assert set(receipt) >= {"201", "400", "401", "403", "409", "422"}
    # A view's own wording stays, with the shared shape.
    assert receipt["403"]["description"] == "Không có quyền thực hiện thao tác"
    me = schema["paths"]["/api/v1/me/"]["get"]["responses"]
    assert set(me) == {"200", "401", "403"}


def _json(response: Any) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body: dict[str, Any] = response.json()
    return body


def _vietnamese(text: str) -> bool:
    return not text.isascii()


def test_unknown_api_url_answers_json_and_pages_keep_html(people: dict, settings: Any) -> None:
    settings.DEBUG = False
    client = Client()
    client.force_login(people["alice"])
    body = _json(client.get("/api/v1/no-such-thing/"))
    assert body == {"detail": "Không có địa chỉ API này."}
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_drf_errors_are_json_in_vietnamese(people: dict) -> None:
    anonymous = APIClient().get("/api/v1/units/")
    assert anonymous.status_code == 401
    assert _vietnamese(_json(anonymous)["detail"])
    bad_token = APIClient(HTTP_AUTHORIZATION="Token nope").get("/api/v1/units/")
    assert bad_token.status_code == 401
    assert _json(bad_token)["detail"] == "Thông tin đăng nhập không đúng."
    alice = APIClient()
    alice.force_authenticate(people["alice"])
    missing = alice.get("/api/v1/units/NO-SUCH/")
    assert missing.status_code == 404
    assert _json(missing) == {"detail": "Không tìm thấy."}
    method = alice.delete("/api/v1/units/C1/")
    assert method.status_code == 405
    assert "“DELETE”" in _json(method)["detail"]
    assert _vietnamese(method.json()["detail"])
    broken = alice.post("/api/v1/dossiers/", "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert _json(broken)["detail"] == "Không đọc được nội dung gửi lên (JSON không hợp lệ)."
    empty = alice.post("/api/v1/dossiers/", {}, format="json")
    assert _json(empty)["procedure"] == ["Trường này là bắt buộc."]


def test_csrf_failure_under_api_is_json(people: dict) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["alice"])
    refused = client.post("/api/v1/dossiers/", {}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in _json(refused)["detail"]
    assert _vietnamese(refused.json()["detail"])
    # A token needs no CSRF token.
    token = Token.objects.create(user=people["alice"])
    with_token = APIClient(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert with_token.post("/api/v1/dossiers/", {}, format="json").status_code == 400


def test_a_server_error_under_api_is_json(people: dict, settings: Any, monkeypatch: Any) -> None:
    from motcua.units.api import views

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(views.UnitViewSet, "list", explode)
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(people["alice"])
    answer = client.get("/api/v1/units/")
    assert answer.status_code == 500
    assert _json(answer)["detail"].startswith("Lỗi máy chủ")
    assert "boom" not in answer.content.decode()
