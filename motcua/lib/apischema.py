"""The OpenAPI schema documents every operation's error answers, once for the whole API.

`AutoSchema` (settings `DEFAULT_SCHEMA_CLASS`) adds to each operation the errors it can give,
with the shapes the API really returns (`motcua.lib.apierrors`):

- 400 (`ApiValidationError`: field errors, `non_field_errors` or `detail`) for operations
  with input: a request body or query/path parameters;
- 401 and 403 (`ApiError`: `{"detail": …}`) for every operation that needs a signed-in user;
- 404 (`ApiError`) for operations on one object (a path parameter) and for paginated lists
  (a page past the end);
- 409 (`ApiError`) for state-changing operations (POST, PUT, PATCH, DELETE).

A view may still document an error itself (its own description is kept); the content is
always the shared shape so that every client reads errors one way.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent

ERROR_COMPONENT = "ApiError"
VALIDATION_COMPONENT = "ApiValidationError"

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Lỗi: một thông báo tiếng Việt — an error with one Vietnamese message.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "Dữ liệu không hợp lệ: mỗi trường sai kèm danh sách thông báo tiếng Việt (trường lồng "
        "nhau: một đối tượng, danh sách: một mảng), `non_field_errors` cho lỗi chung, hoặc "
        "`detail` khi không đọc được nội dung gửi lên — field errors by name, or `detail`."
    ),
    "properties": {
        "detail": {"type": "string"},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": {},
}

DESCRIPTIONS = {
    "400": "Dữ liệu không hợp lệ: lỗi theo từng trường",
    "401": "Chưa đăng nhập hoặc mã xác thực (token) không đúng",
    "403": "Không có quyền thực hiện thao tác",
    "404": "Không tìm thấy (hoặc ngoài phạm vi được xem)",
    "409": "Trạng thái không cho phép thao tác này, hoặc xung đột khi cập nhật",
}

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def error_codes(operation: dict[str, Any], method: str) -> list[str]:
    """The error statuses an operation can answer, by what it takes and what it does."""
    parameters = operation.get("parameters") or []
    security = operation.get("security") or []
    codes = []
    if operation.get("requestBody") or parameters:
        codes.append("400")
    if security and {} not in security:
        codes += ["401", "403"]
    in_path = any(p.get("in") == "path" for p in parameters)
    paginated = any(p.get("in") == "query" and p.get("name") == "page" for p in parameters)
    if in_path or paginated:
        codes.append("404")
    if method.upper() in WRITE_METHODS:
        codes.append("409")
    return codes


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema with the error answers of every operation."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        """The operation as drf-spectacular builds it, plus its documented errors."""
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for code in error_codes(operation, self.method):
            existing = responses.get(code) or {}
            responses[code] = self.error_response(code, existing.get("description"))
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def error_response(self, code: str, description: str | None = None) -> dict[str, Any]:
        """An error answer with the shared shape (field errors for 400, `detail` otherwise)."""
        component = VALIDATION_COMPONENT if code == "400" else ERROR_COMPONENT
        return {
            "description": description or DESCRIPTIONS.get(code, ""),
            "content": {"application/json": {"schema": self._error_ref(component)}},
        }

    def _error_ref(self, name: str) -> dict[str, Any]:
        schema = VALIDATION_SCHEMA if name == VALIDATION_COMPONENT else ERROR_SCHEMA
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return component.ref
