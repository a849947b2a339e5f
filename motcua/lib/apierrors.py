"""JSON errors everywhere under /api/: DRF's errors, unknown URLs, 405, 500 and CSRF failures.

Every error answer of the API is `application/json` with a Vietnamese `detail` (or, for
invalid input, the field errors: `{"field": ["…"]}`), the shapes documented in the schema
(`motcua.lib.apischema`). HTML pages keep their HTML error pages.

- `exception_handler` (settings `REST_FRAMEWORK["EXCEPTION_HANDLER"]`): DRF's handler with
  Vietnamese messages for DRF's own exceptions.
- `page_not_found`, `server_error` (`handler404`, `handler500` in `motcua/urls.py`) and
  `csrf_failure` (settings `CSRF_FAILURE_VIEW`): JSON under /api/, Django's pages elsewhere.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.csrf import csrf_failure as django_csrf_failure
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

API_PREFIX = "/api/"

# DRF's exceptions by class, said in Vietnamese (their default English text is replaced
# only when the view raised them without a message of its own).
MESSAGES: dict[type[exceptions.APIException], Any] = {
    exceptions.ParseError: _("Không đọc được nội dung gửi lên (JSON không hợp lệ)."),
    exceptions.AuthenticationFailed: _("Thông tin đăng nhập không đúng."),
    exceptions.NotAuthenticated: _(
        "Cần đăng nhập: gửi header Authorization: Token <mã> hoặc đăng nhập trên trang web."
    ),
    exceptions.PermissionDenied: _("Bạn không có quyền thực hiện thao tác này."),
    exceptions.NotFound: _("Không tìm thấy."),
    exceptions.MethodNotAllowed: _("Phương thức “{method}” không được hỗ trợ ở địa chỉ này."),
    exceptions.NotAcceptable: _("Không trả lời được theo định dạng yêu cầu (header Accept)."),
    exceptions.UnsupportedMediaType: _("Kiểu nội dung “{media_type}” không được hỗ trợ."),
    exceptions.Throttled: _("Quá nhiều yêu cầu; hãy thử lại sau."),
}
NOT_FOUND = _("Không có địa chỉ API này.")
SERVER_ERROR = _("Lỗi máy chủ; yêu cầu chưa được thực hiện. Hãy thử lại hoặc báo quản trị viên.")
CSRF_FAILED = _(
    "Yêu cầu bị từ chối vì thiếu mã chống giả mạo (CSRF). Khi gọi API bằng phiên đăng nhập, "
    "hãy gửi header X-CSRFToken; hoặc dùng xác thực bằng token."
)


def is_api(request: HttpRequest) -> bool:
    """Whether the request is addressed to the API."""
    return request.path.startswith(API_PREFIX)


def _vietnamese(exc: exceptions.APIException) -> None:
    """Replace DRF's own English message (DRF ships almost no Vietnamese) by ours.

    A message the project wrote is Vietnamese, with diacritics; an ASCII-only one is DRF's
    ("Invalid token.", "Method \"PUT\" not allowed.", …).
    """
    if not isinstance(exc.detail, str) or not str(exc.detail).isascii():
        return
    code = getattr(exc.detail, "code", None)
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        exc.detail = exceptions.ErrorDetail(str(CSRF_FAILED), code="csrf_failed")
        return
    for cls in type(exc).__mro__:
        message = MESSAGES.get(cls)
        if message is None:
            continue
        text = str(message)
        if isinstance(exc, exceptions.MethodNotAllowed):
            text = text.format(method=exc.args[0] if exc.args else "")
        elif isinstance(exc, exceptions.UnsupportedMediaType):
            text = text.format(media_type=exc.args[0] if exc.args else "")
        exc.detail = exceptions.ErrorDetail(text, code=code)
        return


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with Vietnamese messages for DRF's own exceptions."""
    if isinstance(exc, Http404):
        # Django's "No Dossier matches the given query." names a model, in English.
        message = str(exc.args[0]) if exc.args else ""
        exc = exceptions.NotFound(message if message and not message.isascii() else None)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, exceptions.APIException):
        _vietnamese(exc)
    # None for anything else: Django answers it through `server_error` (JSON under /api/),
    # after logging it with its traceback like every unhandled error.
    return drf_exception_handler(exc, context)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: JSON under /api/, the site's page elsewhere."""
    if is_api(request):
        return JsonResponse({"detail": str(NOT_FOUND)}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: JSON under /api/, the site's page elsewhere."""
    if is_api(request):
        return JsonResponse({"detail": str(SERVER_ERROR)}, status=500)
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a missing or wrong CSRF token: JSON under /api/, Django's page elsewhere."""
    if is_api(request):
        return JsonResponse({"detail": str(CSRF_FAILED)}, status=403)
    return django_csrf_failure(request, reason)
